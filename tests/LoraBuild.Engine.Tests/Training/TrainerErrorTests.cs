using LoraBuild.Core.Training;
using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

public class TrainerErrorTests
{
    private static readonly FixedBatches s_data = new(TrainingTestData.Batch(TrainingTestData.FourExamples()));

    [Fact]
    public void FullFineTuningWithBf16PrecisionIsRefused()
    {
        using var model = MicroModels.Create(MicroModels.Llama());

        var error = Assert.Throws<LoraException>(
            () => new Trainer(model, TrainingTestData.Spec() with { Precision = Precisions.Bf16, SourceLocation = "lora.json" }, s_data));

        Assert.Equal(TrainingSettingErrorCodes.FullFineTuningNeedsFp32, error.Code);
        Assert.Equal("lora.json", error.Location);
    }

    [Fact]
    public void FullFineTuningOfBf16WeightsIsRefused()
    {
        using var model = MicroModels.Create(MicroModels.Llama(), dtype: ScalarType.BFloat16);

        var error = Assert.Throws<LoraException>(() => new Trainer(model, TrainingTestData.Spec(), s_data));

        Assert.Equal(TrainingSettingErrorCodes.FullFineTuningNeedsFp32, error.Code);
    }

    [Fact]
    public void LoraModeWithoutTrainableParametersIsRefused()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = false;
        }

        var error = Assert.Throws<LoraException>(() => new Trainer(model, LoraSpec(), s_data));

        Assert.Equal(TrainingErrorCodes.NoTrainableParameters, error.Code);
    }

    [Fact]
    public void LoraModeWithBf16TrainableParametersIsRefused()
    {
        using var model = MicroModels.Create(MicroModels.Llama(), dtype: ScalarType.BFloat16);

        var error = Assert.Throws<LoraException>(() => new Trainer(model, LoraSpec(), s_data));

        Assert.Equal(TrainingErrorCodes.TrainableParameterNotFloat32, error.Code);
    }

    [Fact]
    public void LoraModeTrainsFloat32AdaptersOnABf16Base()
    {
        using var model = MicroModels.Create(MicroModels.Llama(), dtype: ScalarType.BFloat16);
        foreach (var (name, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
        }

        model.Layers[0].Mlp.UpProj = new Float32Projection(model.Layers[0].Mlp.UpProj, 32, 64);
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.FourExamples()));
        using var trainer = new Trainer(model, LoraSpec() with { Precision = Precisions.Bf16, MaxSteps = 3 }, data);

        var metrics = trainer.Train();

        Assert.Equal(["model.layers.0.mlp.up_proj.delta.weight"], trainer.State.Parameters.Keys);
        Assert.True(double.IsFinite(metrics.LossFinal));
        Assert.All(
            trainer.State.Optimizer.Parameters.SelectMany(parameter => parameter.State.Values),
            tensor => Assert.Equal(ScalarType.Float32, tensor.dtype));
    }

    [Fact]
    public void DataWithoutBatchesIsRefused()
    {
        using var model = MicroModels.Create(MicroModels.Llama());

        var error = Assert.Throws<LoraException>(() => new Trainer(model, TrainingTestData.Spec(), new FixedBatches()));

        Assert.Equal(TrainingErrorCodes.NoTrainingData, error.Code);
    }

    [Fact]
    public void AStepWithoutTargetTokensIsAnError()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.Example(9, 1, 2, 3)));
        using var trainer = new Trainer(model, TrainingTestData.Spec(), data);

        var error = Assert.Throws<LoraException>(() => trainer.Train());

        Assert.Equal(TrainingErrorCodes.NoTargetTokens, error.Code);
        Assert.Equal("epoch 0, batches 0–0", error.Location);
    }

    [Fact]
    public void ANonFiniteLossStopsTrainingWithoutApplyingTheStep()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        using (no_grad())
        {
            model.Model.Norm.Weight.fill_(float.NaN);
        }

        var before = TrainingTestData.Snapshot(model);
        using var trainer = new Trainer(model, TrainingTestData.Spec(maxSteps: 2), s_data);

        var error = Assert.Throws<LoraException>(() => trainer.Train());

        Assert.Equal(TrainingErrorCodes.TrainingDiverged, error.Code);
        Assert.Equal(0, trainer.State.OptimizerStep);
        foreach (var (name, parameter) in model.named_parameters().Where(pair => !pair.name.Equals("model.norm.weight", StringComparison.Ordinal)))
        {
            Assert.True(TrainingTestData.BitwiseEqual(before[name], parameter), name);
            using var gradient = parameter.grad;
            Assert.Null(gradient);
        }
    }

    [Fact]
    public void ANegativeMaxGradNormIsRefused()
    {
        using var model = MicroModels.Create(MicroModels.Llama());

        var error = Assert.Throws<LoraException>(() => new Trainer(model, TrainingTestData.Spec() with { MaxGradNorm = -1 }, s_data));

        Assert.Equal(TrainingSettingErrorCodes.TrainingSettingInvalid, error.Code);
    }

    [Fact]
    public void AMalformedBatchIsReportedWithItsPosition()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var leftPadded = new PaddedBatch(1, 3, [0, 5, 6], [false, false, true], [false, true, true]);
        using var trainer = new Trainer(model, TrainingTestData.Spec(), new FixedBatches(leftPadded));

        var error = Assert.Throws<LoraException>(() => trainer.Train());

        Assert.Equal(TrainingErrorCodes.BatchInvalid, error.Code);
        Assert.Equal("epoch 0, batch 0", error.Location);
    }

    private static TrainingSpec LoraSpec() => TrainingTestData.Spec(maxSteps: 1) with { Mode = TrainingModes.Lora };

    /// <summary>A bf16 projection plus a trainable float32 correction, like a LoRA layer on a bf16 base.</summary>
    private sealed class Float32Projection : nn.Module<Tensor, Tensor>
    {
        [TorchSharp.Utils.ComponentName(Name = "base_layer")]
        private readonly nn.Module<Tensor, Tensor> _baseLayer;

        [TorchSharp.Utils.ComponentName(Name = "delta")]
        private readonly TorchSharp.Modules.Linear _delta;

        public Float32Projection(nn.Module<Tensor, Tensor> baseLayer, int inFeatures, int outFeatures)
            : base(nameof(Float32Projection))
        {
            _baseLayer = baseLayer;
            _delta = nn.Linear(inFeatures, outFeatures, hasBias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var correction = _delta.call(input.to_type(ScalarType.Float32)).to_type(input.dtype);
            return (_baseLayer.call(input) + correction).MoveToOuterDisposeScope();
        }
    }
}
