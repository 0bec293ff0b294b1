using LoraBuild.Engine.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Tensors;

public class LiveScalarsTests
{
    [Fact]
    public void PlusAddsAsAddDoes()
    {
        using var scope = NewDisposeScope();
        var left = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        var right = full(2, 3, 0.5f);
        using var half = 0.5.ToScalar();

        Assert.True(left.Plus(right).eq(left + right).all().item<bool>());
        Assert.True(left.Plus(half).eq(left + 0.5).all().item<bool>());
        var inPlace = left.clone();
        Assert.Same(inPlace, inPlace.PlusInPlace(right));
        Assert.True(inPlace.eq(left + right).all().item<bool>());
        Assert.True(inPlace.PlusInPlace(half).eq(left + 1.0).all().item<bool>());
    }
}
