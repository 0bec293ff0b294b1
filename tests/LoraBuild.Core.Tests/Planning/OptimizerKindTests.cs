using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Planning;

namespace LoraBuild.Core.Tests.Planning;

public class OptimizerKindTests
{
    [Theory]
    [InlineData("sgd", 0)]
    [InlineData("sgd-momentum", 1)]
    [InlineData("lion", 1)]
    [InlineData("AdamW", 2)]
    [InlineData("sophia", 2)]
    [InlineData("sophia-g", 2)]
    public void EachOptimizerKeepsItsStateTensors(string name, int states)
    {
        Assert.Equal(states, OptimizerKinds.Parse(name).StateTensors());
    }

    [Fact]
    public void NamesRoundTrip()
    {
        Assert.All(OptimizerKinds.Names, name => Assert.Equal(name, OptimizerKinds.Parse(name).Name()));
    }

    [Fact]
    public void AnUnknownOptimizerIsAnError()
    {
        var error = Assert.Throws<LoraException>(() => OptimizerKinds.Parse("adagrad", "--optimizer"));

        Assert.Equal(PlanErrorCodes.OptimizerUnknown, error.Code);
        Assert.Equal("--optimizer", error.Location);
    }
}
