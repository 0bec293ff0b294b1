using LoraBuild.Core.Training;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

/// <summary>Two steps on a 3-element parameter, against values worked out with the textbook formulas in float64.</summary>
public class OptimizerTests
{
    private static readonly float[] s_initial = [1.0f, -2.0f, 0.5f];
    private static readonly float[][] s_gradients = [[0.1f, -0.2f, 0.3f], [-0.5f, 0.4f, 0.05f]];

    [Fact]
    public void AdamWMatchesPyTorchsUpdate()
    {
        using var parameter = NewParameter();
        using var optimizer = new AdamWOptimizer([("p", parameter)], beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1);

        var steps = Run(optimizer, parameter, learningRate: 0.1);

        TensorAssert.Equal([0.890000009999999, -1.8800000049999996, 0.3950000033333332], steps[0], 1e-6);
        TensorAssert.Equal([0.9409354264523341, -1.8978103564960367, 0.3127172721172726], steps[1], 1e-6);
        Assert.Equal(2, optimizer.StepCount);
        Assert.Equal(2, optimizer.Parameters[0].Steps);
    }

    [Fact]
    public void SgdWithMomentumMatchesPyTorchsUpdate()
    {
        using var parameter = NewParameter();
        using var optimizer = new SgdOptimizer([("p", parameter)], momentum: 0.9, nesterov: false, weightDecay: 0.1);

        var steps = Run(optimizer, parameter, learningRate: 0.1);

        TensorAssert.Equal([0.98, -1.96, 0.465], steps[0], 1e-6);
        TensorAssert.Equal([1.0022, -1.9444, 0.42385], steps[1], 1e-6);
    }

    [Fact]
    public void SgdWithNesterovMomentumMatchesPyTorchsUpdate()
    {
        using var parameter = NewParameter();
        using var optimizer = new SgdOptimizer([("p", parameter)], momentum: 0.9, nesterov: true, weightDecay: 0.1);

        var steps = Run(optimizer, parameter, learningRate: 0.1);

        TensorAssert.Equal([0.962, -1.924, 0.4335], steps[0], 1e-6);
        TensorAssert.Equal([1.022522, -1.931044, 0.3874135], steps[1], 1e-6);
    }

    [Fact]
    public void PlainSgdSubtractsTheScaledGradientAndKeepsNoState()
    {
        using var parameter = NewParameter();
        using var optimizer = new SgdOptimizer([("p", parameter)]);

        var steps = Run(optimizer, parameter, learningRate: 0.5);

        TensorAssert.Equal([0.95, -1.9, 0.35], steps[0], 1e-6);
        TensorAssert.Equal([1.2, -2.1, 0.325], steps[1], 1e-6);
        Assert.Empty(optimizer.Parameters[0].State);
    }

    [Fact]
    public void WeightDecayIsSkippedWhereThePolicySaysSo()
    {
        using var parameter = NewParameter();
        using var optimizer = new SgdOptimizer([("p", parameter)], weightDecay: 0.5, appliesWeightDecay: (_, _) => false);

        var steps = Run(optimizer, parameter, learningRate: 0.5);

        TensorAssert.Equal([0.95, -1.9, 0.35], steps[0], 1e-6);
    }

    [Fact]
    public void AParameterWithoutGradientIsLeftAlone()
    {
        using var parameter = NewParameter();
        using var optimizer = new AdamWOptimizer([("p", parameter)], weightDecay: 0.1);

        optimizer.Step(0.1);

        TensorAssert.Equal([1.0, -2.0, 0.5], parameter, 0);
        Assert.Equal(0, optimizer.Parameters[0].Steps);
        Assert.Equal(1, optimizer.StepCount);
    }

    [Fact]
    public void StateIsFloat32AndShapedLikeTheParameter()
    {
        using var scope = NewDisposeScope();
        using var parameter = new Parameter(zeros(4, 3));
        using var optimizer = new AdamWOptimizer([("w", parameter)]);

        var state = optimizer.Parameters[0].State;

        Assert.Equal([AdamWOptimizer.ExpAvg, AdamWOptimizer.ExpAvgSq], state.Keys.Order(StringComparer.Ordinal));
        Assert.All(state.Values, tensor => Assert.Equal(ScalarType.Float32, tensor.dtype));
        Assert.All(state.Values, tensor => Assert.Equal([4L, 3], tensor.shape));
    }

    [Fact]
    public void ANonFloat32ParameterIsRefused()
    {
        using var scope = NewDisposeScope();
        using var parameter = new Parameter(zeros(3, dtype: ScalarType.BFloat16));

        var error = Assert.Throws<LoraException>(() => new AdamWOptimizer([("adapter", parameter)]));

        Assert.Equal(TrainingErrorCodes.TrainableParameterNotFloat32, error.Code);
        Assert.Equal("adapter", error.Location);
    }

    [Fact]
    public void ZeroGradDropsTheGradients()
    {
        using var parameter = NewParameter();
        using var optimizer = new SgdOptimizer([("p", parameter)]);
        parameter.grad = tensor(s_gradients[0]);

        optimizer.ZeroGrad();

        Assert.Null(parameter.grad);
    }

    [Fact]
    public void CreateFollowsTheSpec()
    {
        using var parameter = NewParameter();
        var spec = new TrainingSpec { Optimizer = Optimizers.Sgd, Momentum = 0.9, Nesterov = true };

        using var sgd = TrainingOptimizer.Create(spec, [("p", parameter)]);
        using var adamW = TrainingOptimizer.Create(spec with { Optimizer = Optimizers.AdamW }, [("p", parameter)]);
        using var lion = TrainingOptimizer.Create(spec with { Optimizer = Optimizers.Lion }, [("p", parameter)]);
        using var sophia = TrainingOptimizer.Create(spec with { Optimizer = Optimizers.Sophia }, [("p", parameter)]);
        using var sophiaEvery3 = TrainingOptimizer.Create(spec with { Optimizer = Optimizers.Sophia, HessianUpdateInterval = 3 }, [("p", parameter)]);

        Assert.IsType<SgdOptimizer>(sgd);
        Assert.Equal(Optimizers.Sgd, sgd.Kind);
        Assert.IsType<AdamWOptimizer>(adamW);
        Assert.Equal(Optimizers.Lion, Assert.IsType<LionOptimizer>(lion).Kind);
        Assert.Equal(Optimizers.Sophia, sophia.Kind);
        Assert.Equal(OptimizerDefaults.SophiaHessianUpdateInterval, Assert.IsType<SophiaOptimizer>(sophia).HessianUpdateInterval);
        Assert.Equal(3, Assert.IsType<SophiaOptimizer>(sophiaEvery3).HessianUpdateInterval);
        Assert.Equal([1, 2, 1, 2], new[] { sgd, adamW, lion, sophia }.Select(optimizer => optimizer.StateTensorCount));
        Assert.Equal(TrainingErrorCodes.UnknownOptimizer, Assert.Throws<LoraException>(
            () => TrainingOptimizer.Create(spec with { Optimizer = "adafactor" }, [("p", parameter)])).Code);
    }

    [Theory]
    [InlineData(Optimizers.Lion, LionOptimizer.ExpAvg, 1 - OptimizerDefaults.LionBeta2)]
    [InlineData(Optimizers.Sophia, SophiaOptimizer.ExpAvg, 1 - OptimizerDefaults.SophiaBeta1)]
    [InlineData(Optimizers.AdamW, AdamWOptimizer.ExpAvg, 1 - OptimizerDefaults.AdamWBeta1)]
    public void CreateGivesEachOptimizerItsOwnDefaultBetas(string optimizer, string momentum, double firstStepShare)
    {
        using var parameter = NewParameter();
        using var created = TrainingOptimizer.Create(new TrainingSpec { Optimizer = optimizer }, [("p", parameter)]);
        parameter.grad = tensor(s_gradients[0]);

        created.Step(0.01);

        TensorAssert.Equal([.. s_gradients[0].Select(g => g * firstStepShare)], created.Parameters[0].State[momentum], 1e-7);
    }

    [Theory]
    [InlineData(-0.1, false)]
    [InlineData(0, true)]
    public void InvalidSgdSettingsAreRefused(double momentum, bool nesterov)
    {
        using var parameter = NewParameter();

        var error = Assert.Throws<LoraException>(() => new SgdOptimizer([("p", parameter)], momentum, nesterov));

        Assert.Equal(TrainingSettingErrorCodes.TrainingSettingInvalid, error.Code);
    }

    [Fact]
    public void ANegativeLearningRateIsRefused()
    {
        using var parameter = NewParameter();
        using var optimizer = new SgdOptimizer([("p", parameter)]);

        Assert.Equal(TrainingSettingErrorCodes.TrainingSettingInvalid, Assert.Throws<LoraException>(() => optimizer.Step(-1)).Code);
    }

    private static Parameter NewParameter() => new(tensor(s_initial));

    private static List<Tensor> Run(TrainingOptimizer optimizer, Parameter parameter, double learningRate)
    {
        var snapshots = new List<Tensor>();
        foreach (var gradient in s_gradients)
        {
            parameter.grad = tensor(gradient);
            optimizer.Step(learningRate);
            optimizer.ZeroGrad();
            snapshots.Add(parameter.detach().clone());
        }

        return snapshots;
    }
}
