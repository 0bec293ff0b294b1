using LoraBuild.Cli.Progress;
using LoraBuild.Core.Progress;
using LoraBuild.Engine.Training;
using Spectre.Console.Testing;

namespace LoraBuild.Cli.Tests.Progress;

/// <summary>The live display as a terminal shows it at the end of a job: the last frame Spectre's test console (160 columns) recorded.</summary>
public class BarProgressObserverTests
{
    [Fact]
    public void FinishedStagesAreFullAndSayHowLongTheyTookAndTheTrainingLineHasOneEta()
    {
        var console = new TestConsole().Width(160).Interactive();

        BarProgressObserver.Show(console, observer =>
        {
            observer.Stage("Hashing inputs");
            observer.StageProgress(new WorkProgress(10, 10));
            observer.Stage("Evaluating the base model: answering 50 held-out prompts");
            for (var i = 1; i <= 50; i++)
            {
                observer.StageProgress(new WorkProgress(i, 50));
            }

            observer.Stage("Training 1,024 LoRA parameters");
            observer.StepCompleted(Step(100, 500, TimeSpan.FromSeconds(83)));
            Thread.Sleep(300); // frames are drawn while training runs
            return 0;
        });

        var lines = console.Lines.Where(line => line.Trim().Length > 0).ToList();
        var hashing = lines.Last(l => l.StartsWith("Hashing inputs", StringComparison.Ordinal));
        var answering = lines.Last(l => l.StartsWith("Evaluating the base model", StringComparison.Ordinal));
        var training = lines.First(l => l.StartsWith("step 100/500", StringComparison.Ordinal));
        Assert.Contains("took 0:00", hashing, StringComparison.Ordinal);
        Assert.Contains("took 0:00", answering, StringComparison.Ordinal);
        Assert.DoesNotContain(" 0%", answering, StringComparison.Ordinal);
        Assert.Contains("ETA 1:23", training, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(training, "ETA"));
        Assert.Contains("20%", training, StringComparison.Ordinal);
    }

    [Fact]
    public void AStageWithoutProgressShowsItsRunningTimeAndNoPercentageUntilTheJobEnds()
    {
        var console = new TestConsole().Width(160).Interactive();

        BarProgressObserver.Show(console, observer =>
        {
            observer.Stage("Writing the output");
            Thread.Sleep(300); // a frame or more is drawn while the stage runs
            return 0;
        });

        var frames = console.Lines.Where(l => l.StartsWith("Writing the output", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain("%", frames[0], StringComparison.Ordinal);
        Assert.DoesNotContain("ETA", frames[0], StringComparison.Ordinal);
        Assert.DoesNotContain("took", frames[0], StringComparison.Ordinal);
        Assert.Matches(@" 0:0\d\s*$", frames[0]);
        Assert.Contains("took 0:00", frames[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void AStageHalfwayShowsItsShareAndTheTimeLeft()
    {
        var console = new TestConsole().Width(160).Interactive();

        BarProgressObserver.Show(console, observer =>
        {
            observer.Stage("Evaluating the trained model: answering 50 held-out prompts");
            Thread.Sleep(300);
            observer.StageProgress(new WorkProgress(25, 50));
            Thread.Sleep(300);
            return 0;
        });

        Assert.Contains(console.Lines, l => l.StartsWith("Evaluating the trained model", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 50%  ETA 0:00", StringComparison.Ordinal));
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private static TrainingProgress Step(int step, int total, TimeSpan remaining) =>
        new(step, total, Epoch: 0, Loss: 0.5, LearningRate: 1e-3, GradientNorm: 1, TokensPerSecond: 4000, Elapsed: TimeSpan.FromSeconds(20), Remaining: remaining);
}
