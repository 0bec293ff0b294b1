using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

public class AttentionMasksTests
{
    [Fact]
    public void FreshUnpaddedSequenceUsesTheKernelsCausalMask()
    {
        var (mask, isCausal) = AttentionMasks.For(5, 0, null, null, CPU);

        Assert.Null(mask);
        Assert.True(isCausal);
    }

    [Fact]
    public void SingleNewTokenAfterTheCacheSeesEverything()
    {
        var (mask, isCausal) = AttentionMasks.For(1, 7, null, null, CPU);

        Assert.Null(mask);
        Assert.False(isCausal);
    }

    [Fact]
    public void SeveralNewTokensAfterTheCacheAreMaskedFromTheBottomRight()
    {
        using var scope = NewDisposeScope();

        var (mask, isCausal) = AttentionMasks.For(2, 2, null, null, CPU);

        Assert.False(isCausal);
        Assert.Equal([1L, 1, 2, 4], mask!.shape);
        Assert.Equal([true, true, true, false, true, true, true, true], mask.flatten().data<bool>().ToArray());
    }

    [Fact]
    public void PaddedKeysAreHiddenButEveryRowSeesItself()
    {
        using var scope = NewDisposeScope();
        var padding = tensor(new long[] { 0, 1, 1 }).unsqueeze(0);

        var (mask, _) = AttentionMasks.For(3, 0, padding, null, CPU);

        Assert.Equal(
            [true, false, false, /**/ false, true, false, /**/ false, true, true],
            mask!.flatten().data<bool>().ToArray());
    }

    [Fact]
    public void SlidingWindowLimitsHowFarBackAQuerySees()
    {
        using var scope = NewDisposeScope();

        var (mask, _) = AttentionMasks.For(4, 0, null, 2, CPU);

        Assert.Equal(
            [true, false, false, false, /**/ true, true, false, false, /**/ false, true, true, false, /**/ false, false, true, true],
            mask!.flatten().data<bool>().ToArray());
    }
}
