using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public class BatchCollatorTests
{
    private static readonly TokenizedExample[] s_examples =
    [
        new([1, 10, 11, 12], [false, false, true, true]),
        new([1, 20], [false, true]),
        new([1, 30, 31, 32, 33, 34], [false, false, false, true, true, true]),
    ];

    [Fact]
    public void PaddedLengthIsTheLongestInTheBatch()
    {
        int[] lengths = [.. s_examples.Select(example => example.Length)];

        Assert.Equal(4, BatchCollator.PaddedLength(lengths, [0, 1]));
        Assert.Equal(6, BatchCollator.PaddedLength(lengths, [1, 2, 0]));
        Assert.Equal(2, BatchCollator.PaddedLength(lengths, [1]));
    }

    [Fact]
    public void RowsArePaddedOnTheRightAndPaddingIsNeverATarget()
    {
        var batch = BatchCollator.Collate(s_examples, [1, 0], padId: 2);

        Assert.Equal(2, batch.Rows);
        Assert.Equal(4, batch.Length);
        Assert.Equal([1, 20, 2, 2, 1, 10, 11, 12], batch.InputIds);
        Assert.Equal([false, true, false, false, false, false, true, true], batch.IsTarget);
        Assert.Equal([true, true, false, false, true, true, true, true], batch.AttentionMask);
        Assert.Equal([-100, 20, -100, -100, -100, -100, 11, 12], batch.Labels());
        Assert.Equal(3, batch.TargetCount);
    }

    [Fact]
    public void PadIdThatIsAlsoEosIsStillMasked()
    {
        // eos (2) is a learned target; padding with the same id must not become one.
        TokenizedExample[] examples = [new([1, 5, 2], [false, true, true]), new([1, 5, 6, 7, 2], [false, false, true, true, true])];

        var batch = BatchCollator.Collate(examples, [0, 1], padId: 2);

        Assert.Equal([1, 5, 2, 2, 2], batch.InputIds[..5]);
        Assert.Equal([false, true, true, false, false], batch.IsTarget[..5]);
        Assert.Equal([-100, 5, 2, -100, -100], batch.Labels()[..5]);
    }
}
