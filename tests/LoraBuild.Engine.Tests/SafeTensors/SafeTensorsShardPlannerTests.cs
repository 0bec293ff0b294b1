using LoraBuild.Engine.SafeTensors;

namespace LoraBuild.Engine.Tests.SafeTensors;

public class SafeTensorsShardPlannerTests
{
    [Fact]
    public void FillsShardsInNameOrderUpToTheLimit()
    {
        SafeTensorInfo[] tensors = [Info("d", 40), Info("a", 40), Info("c", 30), Info("b", 60), Info("e", 0)];

        var shards = SafeTensorsShardPlanner.Plan(tensors, 100);

        Assert.Equal(2, shards.Count);
        Assert.Equal(["a", "b"], shards[0]);
        Assert.Equal(["c", "d", "e"], shards[1]);
    }

    [Fact]
    public void TensorLargerThanLimitGetsItsOwnShard()
    {
        SafeTensorInfo[] tensors = [Info("a", 10), Info("b", 500), Info("c", 10)];

        var shards = SafeTensorsShardPlanner.Plan(tensors, 100);

        Assert.Equal([["a"], ["b"], ["c"]], shards.Select(s => s.ToArray()));
    }

    [Fact]
    public void NoTensorsGiveNoShards()
    {
        Assert.Empty(SafeTensorsShardPlanner.Plan([], 100));
    }

    [Fact]
    public void LimitMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SafeTensorsShardPlanner.Plan([Info("a", 1)], 0));
    }

    private static SafeTensorInfo Info(string name, long bytes) => new(name, SafeTensorsDType.U8, [bytes], 0, bytes);
}
