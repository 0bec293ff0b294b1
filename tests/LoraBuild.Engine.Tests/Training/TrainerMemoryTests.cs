using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using TorchSharp;

namespace LoraBuild.Engine.Tests.Training;

public class TrainerMemoryTests
{
    [Fact]
    public void LiveTensorsDoNotGrowOverManySteps()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        DropoutProjection.AddTo(model, 0.1);
        var examples = TrainingTestData.FourExamples();
        var data = new FixedBatches(TrainingTestData.Batch(examples[0], examples[1]), TrainingTestData.Batch(examples[2], examples[3]));
        var spec = TrainingTestData.Spec(maxSteps: 200) with { GradientAccumulationSteps = 2, MaxGradNorm = 1.0, WeightDecay = 0.01 };
        using var trainer = new Trainer(model, spec, data);
        var liveTensors = new long[201];

        trainer.Train(progress => liveTensors[progress.Step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        Assert.Equal(liveTensors[10], liveTensors[200]);
        Assert.Equal(liveTensors[10], liveTensors[100]);
    }
}
