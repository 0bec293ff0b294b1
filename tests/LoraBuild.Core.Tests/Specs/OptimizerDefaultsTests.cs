using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Specs;

public class OptimizerDefaultsTests
{
    [Theory]
    [InlineData(Optimizers.AdamW, 0.9, 0.999, 1e-8, null, null)]
    [InlineData(Optimizers.Lion, 0.9, 0.99, null, null, null)]
    [InlineData(Optimizers.Sophia, 0.965, 0.99, 1e-15, 0.04, 10)]
    [InlineData(Optimizers.Sgd, null, null, null, null, null)]
    public void EachOptimizerGetsItsOwnDefaultsForTheSettingsItReads(
        string optimizer, double? beta1, double? beta2, double? epsilon, double? rho, int? interval)
    {
        var resolved = OptimizerDefaults.Resolve(new TrainingSpec { Optimizer = optimizer });

        Assert.Equal((beta1, beta2, epsilon, rho, interval), (resolved.Beta1, resolved.Beta2, resolved.Epsilon, resolved.Rho, resolved.HessianUpdateInterval));
    }

    [Fact]
    public void ValuesTheSpecGivesAreKept()
    {
        var spec = new TrainingSpec { Optimizer = Optimizers.Sophia, Beta2 = 0.95, Rho = 0.1, HessianUpdateInterval = 3 };

        var resolved = OptimizerDefaults.Resolve(spec);

        Assert.Equal((0.965, 0.95, 0.1, 3), (resolved.Beta1, resolved.Beta2, resolved.Rho, resolved.HessianUpdateInterval));
        Assert.Equal(TrainingSpecJson.Serialize(resolved), TrainingSpecJson.Serialize(OptimizerDefaults.Resolve(resolved)));
    }

    [Fact]
    public void SettingsAnotherOptimizerReadsAreLeftAsTheyAre()
    {
        var spec = new TrainingSpec { Optimizer = Optimizers.AdamW, Rho = 0.1 };

        var resolved = OptimizerDefaults.Resolve(spec);

        Assert.Equal(0.1, resolved.Rho);
        Assert.Null(resolved.HessianUpdateInterval);
    }

    [Theory]
    [InlineData(Optimizers.AdamW, 0.9, 2)]
    [InlineData(Optimizers.Lion, 0.9, 1)]
    [InlineData(Optimizers.Sophia, 0.9, 2)]
    [InlineData(Optimizers.Sgd, 0.9, 1)]
    [InlineData(Optimizers.Sgd, 0.0, 0)]
    public void StateTensorsPerParameterFollowTheOptimizer(string optimizer, double momentum, int expected)
    {
        Assert.Equal(expected, OptimizerDefaults.StateTensorsPerParameter(new TrainingSpec { Optimizer = optimizer, Momentum = momentum }));
    }
}
