using LoraBuild.Engine.Native;

namespace LoraBuild.Engine.Tests.Native;

public class ExactAllocationHeapTests
{
    [Fact]
    public void AChildEnvironmentGetsTheMappingThresholdAndTheSwitch()
    {
        var environment = new Dictionary<string, string?>();

        ExactAllocationHeap.Apply(environment);

        Assert.Equal("glibc.malloc.mmap_threshold=131072:glibc.malloc.hugetlb=1", environment["GLIBC_TUNABLES"]);
        Assert.Equal("exact", environment["LORABUILD_NATIVE_HEAP"]);
    }

    [Fact]
    public void TunablesTheUserSetAreKeptAndComeFirst()
    {
        var environment = new Dictionary<string, string?> { ["GLIBC_TUNABLES"] = "glibc.malloc.arena_max=2" };

        ExactAllocationHeap.Apply(environment);

        Assert.Equal("glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072:glibc.malloc.hugetlb=1", environment["GLIBC_TUNABLES"]);
    }
}
