using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Training;

public class TrainerCancellationTests
{
    [Fact]
    public void CancellingStopsBetweenStepsAndTrainingAgainFinishesTheSameRun()
    {
        using var uninterrupted = MicroModels.Create(MicroModels.Llama(), seed: 6);
        using var interrupted = MicroModels.Create(MicroModels.Llama(), seed: 6);
        using var uninterruptedTrainer = new Trainer(uninterrupted, Spec(), Data());
        using var interruptedTrainer = new Trainer(interrupted, Spec(), Data());
        uninterruptedTrainer.Train();
        interrupted.eval();
        using var cancellation = new CancellationTokenSource();

        Assert.Throws<OperationCanceledException>(() => interruptedTrainer.Train(
            progress =>
            {
                if (progress.Step == 3)
                {
                    cancellation.Cancel();
                }
            },
            cancellation.Token));

        var state = interruptedTrainer.State;
        Assert.Equal(3, state.OptimizerStep);
        Assert.Equal(3, state.History.Steps.Count);
        Assert.False(interrupted.training);
        Assert.All(state.Parameters.Values, parameter =>
        {
            using var gradient = parameter.grad;
            Assert.Null(gradient);
        });

        var metrics = interruptedTrainer.Train();

        Assert.Equal(6, metrics.Steps);
        TrainingTestData.AssertBitwiseEqual(uninterrupted, interrupted);
        Assert.Equal(
            uninterruptedTrainer.State.History.Steps.Select(step => step.Loss),
            state.History.Steps.Select(step => step.Loss));
    }

    [Fact]
    public void ACancelledTokenStopsBeforeTheFirstStep()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var before = TrainingTestData.Snapshot(model);
        using var trainer = new Trainer(model, Spec(), Data());

        Assert.Throws<OperationCanceledException>(() => trainer.Train(cancellationToken: new CancellationToken(canceled: true)));

        Assert.Equal(0, trainer.State.OptimizerStep);
        Assert.Equal(0, TrainingTestData.UpdateNorm(before, model));
    }

    private static Core.Specs.TrainingSpec Spec() =>
        TrainingTestData.Spec(maxSteps: 6) with { Epochs = 3, WeightDecay = 0.01, MaxGradNorm = 1.0 };

    private static ExampleBatches Data() =>
        ExampleBatches.Shuffled(TrainingTestData.FourExamples(), batchSize: 2, seed: 11, TrainingTestData.PadId);
}
