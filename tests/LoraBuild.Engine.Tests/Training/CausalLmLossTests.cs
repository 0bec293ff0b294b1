using LoraBuild.Core.Data;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

public class CausalLmLossTests
{
    private static readonly int[] s_ids = [5, 9, 12, 7, 30, 41];

    // Positions 2 and 3 are targets; 4 and 5 come after them and are not.
    private static readonly bool[] s_targets = [false, false, true, true, false, false];

    [Fact]
    public void EqualsCrossEntropyOfShiftedLogitsOverTargetLabels()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        using var noGrad = no_grad();
        var batch = TrainingTestData.Batch(TrainingTestData.FourExamples());
        var targets = LossTargets.From(batch);

        var loss = CausalLmLoss.Sum(model, batch, targets).item<float>() / targets.Count;

        Assert.Equal(ReferenceMeanLoss(model, batch), loss, 5);
    }

    [Fact]
    public void ChangingATokenThatIsNotATargetLeavesTheLossAlone()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        using var noGrad = no_grad();

        var original = Loss(model, s_ids);
        var lastChanged = Loss(model, With(s_ids, 5, 60));
        var secondLastChanged = Loss(model, With(s_ids, 4, 1));

        Assert.Equal(original, lastChanged);
        Assert.Equal(original, secondLastChanged);
    }

    [Fact]
    public void ChangingATargetTokenChangesTheLoss()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        using var noGrad = no_grad();

        var original = Loss(model, s_ids);
        var changed = Loss(model, With(s_ids, 3, 60));

        Assert.True(Math.Abs(original - changed) > 1e-3, $"{original} vs {changed}");
    }

    [Fact]
    public void PaddingARowDoesNotChangeItsLoss()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        using var noGrad = no_grad();
        var shortExample = TrainingTestData.Example(1, 3, 17, 42, 8);
        var longExample = TrainingTestData.Example(2, 9, 4, 33, 60, 12, 5, 27, 44, 19);
        var alone = TrainingTestData.Batch(shortExample);
        var padded = TrainingTestData.Batch(shortExample, longExample);
        var longAlone = TrainingTestData.Batch(longExample);

        var sumAlone = CausalLmLoss.Sum(model, alone, LossTargets.From(alone)).item<float>();
        var sumLongAlone = CausalLmLoss.Sum(model, longAlone, LossTargets.From(longAlone)).item<float>();
        var sumPadded = CausalLmLoss.Sum(model, padded, LossTargets.From(padded)).item<float>();

        Assert.Equal(sumAlone + sumLongAlone, sumPadded, 4);
    }

    [Fact]
    public void NoTargetsGiveZero()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        var batch = TrainingTestData.Batch(TrainingTestData.Example(9, 1, 2, 3));

        Assert.Equal(0f, CausalLmLoss.Sum(model, batch, LossTargets.From(batch)).item<float>());
    }

    /// <summary>Mean cross-entropy of the full logits at t against the data layer's labels at t + 1 (−100 where ignored).</summary>
    internal static double ReferenceMeanLoss(CausalLanguageModel model, PaddedBatch batch)
    {
        using var scope = NewDisposeScope();
        return ReferenceMeanLossTensor(model, batch).item<float>();
    }

    /// <inheritdoc cref="ReferenceMeanLoss"/>
    internal static Tensor ReferenceMeanLossTensor(CausalLanguageModel model, PaddedBatch batch)
    {
        long[] shape = [batch.Rows, batch.Length];
        var ids = tensor(batch.InputIds, shape, ScalarType.Int64);
        var logits = model.ForwardLogits(ids, tensor(batch.AttentionMask, shape));
        var labels = tensor(batch.Labels(), shape, ScalarType.Int64);
        var shifted = logits.narrow(1, 0, batch.Length - 1).reshape(-1, logits.shape[2]);
        var next = labels.narrow(1, 1, batch.Length - 1).reshape(-1);
        return nn.functional.cross_entropy(shifted, next, ignore_index: TokenizedExample.IgnoreIndex);
    }

    private static double Loss(CausalLanguageModel model, int[] ids)
    {
        var batch = new PaddedBatch(1, ids.Length, ids, s_targets, [.. ids.Select(_ => true)]);
        return CausalLmLoss.Sum(model, batch, LossTargets.From(batch)).item<float>();
    }

    private static int[] With(int[] ids, int position, int id)
    {
        var copy = (int[])ids.Clone();
        copy[position] = id;
        return copy;
    }
}
