using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Training;

public class EvaluatorTests
{
    [Fact]
    public void LossIsTheTokenWeightedMeanOverAllBatchesAndPerplexityItsExponential()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var examples = TrainingTestData.FourExamples();
        var batches = ExampleBatches.InOrder(examples, batchSize: 3, TrainingTestData.PadId).ToList();

        var result = Evaluator.Evaluate(model, batches);

        var whole = CausalLmLossTests.ReferenceMeanLoss(model, TrainingTestData.Batch(examples));
        Assert.Equal(whole, result.Loss, 5);
        Assert.Equal(Math.Exp(result.Loss), result.Perplexity, 12);
        Assert.Equal(examples.Sum(example => example.IsTarget.Skip(1).Count(target => target)), result.TargetTokens);
        Assert.Equal(2, result.Batches);
    }

    [Fact]
    public void EvaluationRunsInEvalModeWithoutGradientsAndRestoresTrainingMode()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var dropouts = DropoutProjection.AddTo(model, 0.5);
        model.train();
        var batches = ExampleBatches.InOrder(TrainingTestData.FourExamples(), batchSize: 4, TrainingTestData.PadId).ToList();

        var first = Evaluator.Evaluate(model, batches);
        var second = Evaluator.Evaluate(model, batches);

        Assert.Equal(first, second);
        Assert.All(dropouts, dropout => Assert.Equal(0, dropout.TrainingForwards));
        Assert.True(model.training);
        Assert.All(model.parameters(), parameter =>
        {
            using var gradient = parameter.grad;
            Assert.Null(gradient);
        });
    }

    [Fact]
    public void BatchesWithoutTargetsAreAnError()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var batch = TrainingTestData.Batch(TrainingTestData.Example(5, 1, 2, 3));

        var error = Assert.Throws<LoraException>(() => Evaluator.Evaluate(model, [batch]));

        Assert.Equal(TrainingErrorCodes.EvaluationHasNoTargets, error.Code);
    }
}
