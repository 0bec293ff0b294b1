using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Reports;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Reports;

public class TrainingHistoryJsonTests
{
    [Fact]
    public void TheHistoryRoundTripsToTheSameRecordsAndTheSameBytes()
    {
        var history = ReportSamples.History();

        var json = TrainingHistoryJson.Serialize(history);
        var read = TrainingHistoryJson.Deserialize(json, "training_history.json");

        Assert.Equal(history.TotalSteps, read.TotalSteps);
        Assert.Equal(history.Steps, read.Steps);
        Assert.Equal(history.Eval, read.Eval);
        Assert.Equal(json, TrainingHistoryJson.Serialize(read));
    }

    [Fact]
    public void TheLayoutIsCanonicalWithSortedKeysLfLineEndsAndNoTimings()
    {
        var history = new TrainingHistoryFile(
            2,
            [new HistoryStep(1, 0, 2.5, 1e-5, 0.125, 10, 30), new HistoryStep(2, 0, 1.0, 2e-5, 1, 12, 31)],
            [new EvalLossRecord(0, 3), new EvalLossRecord(2, 0.1)]);

        var json = TrainingHistoryJson.Serialize(history);

        Assert.Equal(
            """
            {
              "eval": [
                {
                  "loss": 3,
                  "step": 0
                },
                {
                  "loss": 0.1,
                  "step": 2
                }
              ],
              "steps": [
                {
                  "epoch": 0,
                  "gradient_norm": 0.125,
                  "learning_rate": 1e-5,
                  "loss": 2.5,
                  "step": 1,
                  "target_tokens": 10,
                  "tokens": 30
                },
                {
                  "epoch": 0,
                  "gradient_norm": 1,
                  "learning_rate": 2e-5,
                  "loss": 1,
                  "step": 2,
                  "target_tokens": 12,
                  "tokens": 31
                }
              ],
              "total_steps": 2,
              "version": 1
            }

            """.ReplaceLineEndings("\n"),
            json);
        Assert.DoesNotContain("second", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheFileFromATrainingHistoryLeavesTheWallTimeOut()
    {
        var history = new TrainingHistory();
        history.Add(new StepRecord(1, 0, 2.0, 0.001, 0.5, 8, 20, Seconds: 1.75));
        history.AddEvalLoss(0, 2.5);
        history.AddEvalLoss(1, 1.5);

        var file = TrainingHistoryFile.From(history, totalSteps: 1);

        Assert.Equal(new HistoryStep(1, 0, 2.0, 0.001, 0.5, 8, 20), Assert.Single(file.Steps));
        Assert.Equal([new EvalLossRecord(0, 2.5), new EvalLossRecord(1, 1.5)], file.Eval);
        Assert.DoesNotContain("1.75", TrainingHistoryJson.Serialize(file), StringComparison.Ordinal);
    }

    [Fact]
    public void EvalLossesAreKeptInStepOrder()
    {
        var history = new TrainingHistory();
        history.AddEvalLoss(3, 1.0);
        history.AddEvalLoss(3, 0.5);

        Assert.Equal(new EvalLossRecord(3, 0.5), Assert.Single(history.EvalLosses));
        Assert.Throws<ArgumentOutOfRangeException>(() => history.AddEvalLoss(2, 1.0));
    }

    [Theory]
    [InlineData("{", "not valid")]
    [InlineData("""{"version": 1, "total_steps": 1, "eval": []}""", "'steps'")]
    [InlineData("""{"version": 1, "total_steps": 1, "eval": [], "steps": [{"step": 1}]}""", "'epoch'")]
    [InlineData("""{"version": 2, "total_steps": 1, "eval": [], "steps": []}""", "version 2")]
    public void ABadFileIsLora1354NamingTheFileAndTheProblem(string json, string expected)
    {
        var error = Assert.Throws<LoraException>(() => TrainingHistoryJson.Deserialize(json, "out/training_history.json"));

        Assert.Equal(ReportErrorCodes.HistoryUnreadable, error.Code);
        Assert.Equal("out/training_history.json", error.Location);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, new[] { 10, 20, 30, 40, 50, 60, 70, 80, 90 })]
    [InlineData(6, new[] { 1, 2, 3, 4, 5 })]
    [InlineData(25, new[] { 3, 5, 8, 10, 13, 15, 18, 20, 23 })]
    [InlineData(1, new int[0])]
    [InlineData(0, new int[0])]
    public void TheScheduleSpacesInnerPointsEvenly(int totalSteps, int[] expected)
    {
        Assert.Equal(expected, EvalSchedule.InnerSteps(totalSteps));
    }
}
