using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Generation;

/// <summary>
/// Picks the next token from a row of logits: greedy, or temperature → top-k → top-p → a draw from a seeded
/// generator (the order Hugging Face applies them in). Draws happen on the CPU, so a seed gives the same tokens
/// whatever device the model runs on.
/// </summary>
public sealed class TokenSampler : IDisposable
{
    private readonly SamplingOptions _options;
    private readonly Generator? _generator;

    /// <summary>Creates a sampler; its generator is seeded with <see cref="SamplingOptions.Seed"/>.</summary>
    public TokenSampler(SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _generator = options.IsGreedy ? null : new Generator(unchecked((ulong)options.Seed), CPU);
    }

    /// <summary>The id of the next token for <paramref name="logits"/> ([vocab]).</summary>
    public int Next(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (_generator is null)
        {
            return (int)logits.argmax().to_type(ScalarType.Int64).item<long>();
        }

        using var temperature = _options.Temperature.ToScalar();
        var scores = logits.to(ScalarType.Float32, CPU).div(temperature);
        if (_options.TopK > 0)
        {
            scores = KeepTopK(scores, _options.TopK);
        }

        if (_options.TopP < 1)
        {
            scores = KeepTopP(scores, _options.TopP);
        }

        var probabilities = scores.softmax(-1);
        return (int)probabilities.multinomial(1, generator: _generator).item<long>();
    }

    /// <summary>Sets every logit below the k-th largest to −∞ (ties with the k-th are kept).</summary>
    public static Tensor KeepTopK(Tensor logits, int k)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        using var scope = NewDisposeScope();
        if (k >= logits.shape[^1])
        {
            return logits.alias().MoveToOuterDisposeScope();
        }

        var (values, _) = logits.topk(k);
        var threshold = values.narrow(-1, k - 1, 1);
        using var negativeInfinity = double.NegativeInfinity.ToScalar();
        return logits.masked_fill(logits < threshold, negativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Keeps the smallest set of most likely tokens whose probabilities sum to at least <paramref name="p"/> and sets
    /// the other logits to −∞. The most likely token always stays.
    /// </summary>
    public static Tensor KeepTopP(Tensor logits, double p)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        var (sorted, order) = logits.sort(-1, descending: true);
        var probabilities = sorted.softmax(-1);
        var massBefore = probabilities.cumsum(-1) - probabilities;
        using var mass = p.ToScalar();
        using var negativeInfinity = double.NegativeInfinity.ToScalar();
        var removeSorted = massBefore.ge(mass);
        var remove = zeros_like(removeSorted).scatter(-1, order, removeSorted);
        return logits.masked_fill(remove, negativeInfinity).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void Dispose() => _generator?.Dispose();
}
