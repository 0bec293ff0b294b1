using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Generation;

/// <summary>Continues a prompt token by token with a causal language model.</summary>
public sealed class TextGenerator
{
    private readonly CausalLanguageModel _model;

    /// <summary>Generates with <paramref name="model"/>.</summary>
    public TextGenerator(CausalLanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>
    /// Yields the ids of new tokens one at a time, as soon as each is chosen, until <see cref="SamplingOptions.MaxNewTokens"/>
    /// or a stop token (which is not yielded). The prompt is not repeated.
    /// </summary>
    /// <exception cref="LoraException">The prompt is empty, or a sampling setting is out of range.</exception>
    public IEnumerable<int> Generate(IReadOnlyList<int> promptIds, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (promptIds.Count == 0)
        {
            throw new LoraException(ModelErrorCodes.ModelInputInvalid, "Generation needs a prompt of at least one token.");
        }

        return GenerateTokens([.. promptIds], options);
    }

    private IEnumerable<int> GenerateTokens(List<int> sequence, SamplingOptions options)
    {
        if (options.MaxNewTokens == 0)
        {
            yield break;
        }

        using var sampler = new TokenSampler(options);
        using var cache = options.UseCache ? _model.CreateCache(1, sequence.Count + options.MaxNewTokens) : null;

        // The first step feeds the whole prompt; later steps feed only the newest token when caching.
        var next = NextToken(sequence, cache, sampler);
        for (var generated = 1; ; generated++)
        {
            if (options.EosTokenIds.Contains(next))
            {
                yield break;
            }

            // No tensor or dispose scope is alive across this yield: the caller may run torch code in between.
            yield return next;
            sequence.Add(next);
            if (generated == options.MaxNewTokens)
            {
                yield break;
            }

            next = NextToken(cache is null ? sequence : sequence.GetRange(sequence.Count - 1, 1), cache, sampler);
        }
    }

    private int NextToken(List<int> input, KeyValueCache? cache, TokenSampler sampler)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(input.Select(id => (long)id).ToArray(), dtype: ScalarType.Int64, device: _model.Device).unsqueeze(0);
        var hidden = _model.ForwardHidden(ids, cache: cache);
        var lastLogits = _model.ComputeLogits(hidden.select(1, -1)).squeeze(0);
        return sampler.Next(lastLogits);
    }
}
