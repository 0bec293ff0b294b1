using LoraBuild.Core.Data;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

/// <summary>Small specs, examples and batches for trainer tests.</summary>
internal static class TrainingTestData
{
    public const int PadId = 0;

    /// <summary>Full fine-tuning, constant learning rate, no clipping, no weight decay: each test changes what it needs.</summary>
    public static TrainingSpec Spec(string optimizer = Optimizers.AdamW, double learningRate = 1e-2, int? maxSteps = null) => new()
    {
        Mode = TrainingModes.Full,
        Optimizer = optimizer,
        LearningRate = learningRate,
        Momentum = 0,
        WeightDecay = 0,
        Scheduler = Schedulers.Constant,
        WarmupSteps = 0,
        Epochs = 1,
        MaxSteps = maxSteps,
        GradientAccumulationSteps = 1,
        MaxGradNorm = 0,
        Seed = 7,
    };

    /// <summary>An example whose first <paramref name="promptLength"/> tokens are prompt and the rest targets.</summary>
    public static TokenizedExample Example(int promptLength, params int[] ids) =>
        new(ids, [.. ids.Select((_, position) => position >= promptLength)]);

    /// <summary>Four short sequences with different prompt and response lengths.</summary>
    public static TokenizedExample[] FourExamples() =>
    [
        Example(1, 3, 17, 42, 8, 51, 22),
        Example(2, 9, 4, 33, 60, 12, 5, 27, 44, 19),
        Example(2, 14, 38, 7, 56),
        Example(3, 61, 2, 29, 11, 46),
    ];

    public static PaddedBatch Batch(params TokenizedExample[] examples) =>
        BatchCollator.Collate(examples, [.. Enumerable.Range(0, examples.Length)], PadId);

    /// <summary>A copy of every parameter, by name.</summary>
    public static Dictionary<string, Tensor> Snapshot(CausalLanguageModel model) =>
        model.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter.detach().clone().DetachFromDisposeScope());

    public static void AssertBitwiseEqual(CausalLanguageModel expected, CausalLanguageModel actual)
    {
        using var scope = NewDisposeScope();
        var actualParameters = actual.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter);
        foreach (var (name, parameter) in expected.named_parameters())
        {
            Assert.True(BitwiseEqual(parameter, actualParameters[name]), $"'{name}' differs.");
        }
    }

    public static bool BitwiseEqual(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        return expected.shape.SequenceEqual(actual.shape) && expected.eq(actual).all().item<bool>();
    }

    /// <summary>The L2 norm of the change of every parameter between <paramref name="before"/> and now.</summary>
    public static double UpdateNorm(Dictionary<string, Tensor> before, CausalLanguageModel model)
    {
        using var scope = NewDisposeScope();
        var squares = model.named_parameters()
            .Select(pair => (pair.parameter.detach().to_type(ScalarType.Float64) - before[pair.name].to_type(ScalarType.Float64)).square().sum().item<double>())
            .Sum();
        return Math.Sqrt(squares);
    }
}

/// <summary>The same batches in every epoch; records which ones the trainer asked for.</summary>
internal sealed class FixedBatches(params PaddedBatch[] batches) : ITrainingBatches
{
    public List<(int Epoch, int Index)> Requests { get; } = [];

    public int BatchesPerEpoch => batches.Length;

    public PaddedBatch GetBatch(int epoch, int index)
    {
        Requests.Add((epoch, index));
        return batches[index];
    }
}
