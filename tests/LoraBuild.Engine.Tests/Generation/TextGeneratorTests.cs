using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Generation;
using LoraBuild.Engine.Tests.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Generation;

public class TextGeneratorTests
{
    private static readonly int[] s_prompt = [5, 17, 42, 3];

    [Fact]
    public void CachedGreedyGenerationEqualsUncachedGreedyGeneration()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var generator = new TextGenerator(model);

        var cached = generator.Generate(s_prompt, SamplingOptions.Greedy with { MaxNewTokens = 20 }).ToList();
        var uncached = generator.Generate(s_prompt, SamplingOptions.Greedy with { MaxNewTokens = 20, UseCache = false }).ToList();

        Assert.Equal(20, cached.Count);
        Assert.Equal(uncached, cached);
    }

    [Fact]
    public void GreedyTokensAreTheArgmaxOfAFullForward()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());

        var generated = new TextGenerator(model).Generate(s_prompt, SamplingOptions.Greedy with { MaxNewTokens = 6 }).ToList();

        var sequence = s_prompt.Select(id => (long)id).Concat(generated.Select(id => (long)id)).ToArray();
        var logits = model.call(MicroModels.Ids(sequence[..^1]));
        var predicted = logits.argmax(-1).squeeze(0).data<long>().ToArray()[(s_prompt.Length - 1)..];
        Assert.Equal(generated.Select(id => (long)id), predicted);
    }

    [Fact]
    public void SameSeedGivesTheSameSampleAndAnotherSeedAnother()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var generator = new TextGenerator(model);
        var options = new SamplingOptions { Temperature = 2.0, TopP = 0.95, MaxNewTokens = 24, Seed = 123 };

        var first = generator.Generate(s_prompt, options).ToList();
        var second = generator.Generate(s_prompt, options).ToList();
        var otherSeed = generator.Generate(s_prompt, options with { Seed = 124 }).ToList();

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void TopKOfOneSamplesTheGreedyTokens()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var generator = new TextGenerator(model);

        var greedy = generator.Generate(s_prompt, SamplingOptions.Greedy with { MaxNewTokens = 12 }).ToList();
        var topOne = generator.Generate(s_prompt, new SamplingOptions { Temperature = 1.5, TopK = 1, MaxNewTokens = 12, Seed = 9 }).ToList();

        Assert.Equal(greedy, topOne);
    }

    [Fact]
    public void GenerationStopsBeforeAStopToken()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var generator = new TextGenerator(model);
        var options = new SamplingOptions { Temperature = 1.0, MaxNewTokens = 12, Seed = 11 };
        var free = generator.Generate(s_prompt, options).ToList();
        var stopAt = Enumerable.Range(1, free.Count - 1).First(i => !free[..i].Contains(free[i]));

        var stopped = generator.Generate(s_prompt, options with { EosTokenIds = new HashSet<int> { free[stopAt] } }).ToList();

        Assert.Equal(free[..stopAt], stopped);
    }

    [Fact]
    public void TokensAreYieldedOneAtATime()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        using var enumerator = new TextGenerator(model).Generate(s_prompt, SamplingOptions.Greedy with { MaxNewTokens = 3 }).GetEnumerator();

        Assert.True(enumerator.MoveNext());
        Assert.True(enumerator.MoveNext());
        Assert.True(enumerator.MoveNext());
        Assert.False(enumerator.MoveNext());
    }

    [Fact]
    public void GeneratingLeavesNoTensorsBehind()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var generator = new TextGenerator(model);
        var options = new SamplingOptions { Temperature = 1.0, TopK = 10, TopP = 0.9, MaxNewTokens = 16, Seed = 3 };
        _ = generator.Generate(s_prompt, options).ToList();

        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        _ = generator.Generate(s_prompt, options).ToList();
        var after = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.Equal(before, after);
    }

    [Fact]
    public void EmptyPromptIsRejected()
    {
        using var model = MicroModels.Create(MicroModels.Llama());

        var error = Assert.Throws<LoraException>(() => new TextGenerator(model).Generate([], SamplingOptions.Greedy));

        Assert.Equal(ModelErrorCodes.ModelInputInvalid, error.Code);
    }
}
