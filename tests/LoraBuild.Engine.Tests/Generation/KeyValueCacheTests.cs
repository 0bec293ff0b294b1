using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Generation;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Generation;

public class KeyValueCacheTests
{
    [Fact]
    public void AppendReturnsEverythingStoredSoFar()
    {
        using var scope = NewDisposeScope();
        using var cache = new KeyValueCache(1, 1, 2, 5, 4, ScalarType.Float32, CPU);

        cache.Append(0, ones(1, 2, 3, 4), ones(1, 2, 3, 4) * 2);
        cache.Advance(3);
        var (keys, values) = cache.Append(0, ones(1, 2, 1, 4) * 3, ones(1, 2, 1, 4) * 4);
        cache.Advance(1);

        Assert.Equal(4, cache.Length);
        Assert.Equal([1L, 2, 4, 4], keys.shape);
        Assert.Equal([1f, 1, 1, 3], keys[0, 0, TensorIndex.Colon, 0].data<float>().ToArray());
        Assert.Equal([2f, 2, 2, 4], values[0, 1, TensorIndex.Colon, 3].data<float>().ToArray());
    }

    [Fact]
    public void OverflowIsAnError()
    {
        using var scope = NewDisposeScope();
        using var cache = new KeyValueCache(1, 1, 2, 2, 4, ScalarType.Float32, CPU);

        var error = Assert.Throws<LoraException>(() => cache.Append(0, ones(1, 2, 3, 4), ones(1, 2, 3, 4)));

        Assert.Equal(ModelErrorCodes.ModelInputInvalid, error.Code);
    }

    [Fact]
    public void ResetStartsOver()
    {
        using var scope = NewDisposeScope();
        using var cache = new KeyValueCache(1, 1, 2, 2, 4, ScalarType.Float32, CPU);
        cache.Append(0, ones(1, 2, 2, 4), ones(1, 2, 2, 4));
        cache.Advance(2);

        cache.Reset();

        Assert.Equal(0, cache.Length);
        var (keys, _) = cache.Append(0, zeros(1, 2, 1, 4), zeros(1, 2, 1, 4));
        Assert.Equal(1, keys.shape[2]);
    }
}
