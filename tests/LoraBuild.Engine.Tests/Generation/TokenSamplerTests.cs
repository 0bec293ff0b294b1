using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Generation;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Generation;

public class TokenSamplerTests
{
    // Probabilities 0.05, 0.5, 0.15, 0.3 at ids 0..3: sorted, the cumulative mass is 0.5, 0.8, 0.95, 1.
    private static readonly double[] s_probabilities = [0.05, 0.5, 0.15, 0.3];

    private static Tensor Logits() => tensor(s_probabilities).log().to_type(ScalarType.Float32);

    [Theory]
    [InlineData(0.3, new[] { 1 })]
    [InlineData(0.5, new[] { 1 })]
    [InlineData(0.75, new[] { 1, 3 })]
    [InlineData(0.9, new[] { 1, 2, 3 })]
    [InlineData(0.99, new[] { 0, 1, 2, 3 })]
    public void TopPKeepsTheSmallestSetReachingP(double p, int[] kept)
    {
        using var scope = NewDisposeScope();

        var filtered = TokenSampler.KeepTopP(Logits(), p);

        Assert.Equal(kept, Kept(filtered));
    }

    [Fact]
    public void TopKKeepsTheKLargest()
    {
        using var scope = NewDisposeScope();

        Assert.Equal([1, 3], Kept(TokenSampler.KeepTopK(Logits(), 2)));
        Assert.Equal([0, 1, 2, 3], Kept(TokenSampler.KeepTopK(Logits(), 9)));
    }

    [Fact]
    public void SamplesFollowTheFilteredDistribution()
    {
        using var scope = NewDisposeScope();
        using var sampler = new TokenSampler(new SamplingOptions { Temperature = 1, TopP = 0.75, Seed = 5 });
        var logits = Logits();

        var counts = new int[4];
        for (var i = 0; i < 2000; i++)
        {
            counts[sampler.Next(logits)]++;
        }

        // Only ids 1 and 3 survive, renormalized to 0.625 and 0.375.
        Assert.Equal(0, counts[0] + counts[2]);
        Assert.InRange(counts[1] / 2000.0, 0.57, 0.68);
    }

    [Fact]
    public void GreedyPicksTheLargestLogit()
    {
        using var scope = NewDisposeScope();
        using var sampler = new TokenSampler(SamplingOptions.Greedy);

        Assert.Equal(1, sampler.Next(Logits()));
    }

    [Theory]
    [InlineData(nameof(SamplingOptions.Temperature))]
    [InlineData(nameof(SamplingOptions.TopK))]
    [InlineData(nameof(SamplingOptions.TopP))]
    [InlineData(nameof(SamplingOptions.MaxNewTokens))]
    public void OutOfRangeSettingIsNamed(string setting)
    {
        var options = setting switch
        {
            nameof(SamplingOptions.Temperature) => new SamplingOptions { Temperature = -1 },
            nameof(SamplingOptions.TopK) => new SamplingOptions { TopK = -2 },
            nameof(SamplingOptions.TopP) => new SamplingOptions { TopP = 0 },
            _ => new SamplingOptions { MaxNewTokens = -1 },
        };

        var error = Assert.Throws<LoraException>(options.Validate);

        Assert.Equal(ModelErrorCodes.SamplingSettingInvalid, error.Code);
        Assert.Equal(setting, error.Location);
    }

    private static int[] Kept(Tensor filtered) =>
        [.. filtered.data<float>().ToArray().Select((value, id) => (value, id)).Where(pair => !float.IsNegativeInfinity(pair.value)).Select(pair => pair.id)];
}
