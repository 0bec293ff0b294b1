using LoraBuild.Core.Progress;

namespace LoraBuild.Core.Tests.Progress;

public class StageProgressLinesTests
{
    [Fact]
    public void AQuickStagePrintsNothing()
    {
        var lines = new StageProgressLines();

        Assert.All(Enumerable.Range(1, 50), i => Assert.Null(lines.Line(new WorkProgress(i, 50))));
    }

    [Fact]
    public void ASlowStagePrintsEachTenthOnceWithTheTimeLeftUntilTheEnd()
    {
        var lines = new StageProgressLines();
        Thread.Sleep(1100);

        var printed = Enumerable.Range(1, 50).Select(i => lines.Line(new WorkProgress(i, 50))).OfType<string>().ToList();

        Assert.Equal(10, printed.Count);
        Assert.StartsWith("10%  ETA ", printed[0], StringComparison.Ordinal);
        Assert.Equal("100%", printed[^1]);
    }

    [Fact]
    public void ANewStageStartsCountingAgain()
    {
        var lines = new StageProgressLines();
        Thread.Sleep(1100);
        Assert.NotNull(lines.Line(new WorkProgress(50, 50)));

        lines.Restart();

        Assert.Null(lines.Line(new WorkProgress(50, 50)));
    }
}
