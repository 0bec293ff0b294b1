using System.Globalization;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;

namespace LoraBuild.Engine.Generation;

/// <summary>How the next token is chosen, and when generation stops.</summary>
public sealed record SamplingOptions
{
    /// <summary>Greedy decoding of up to 128 tokens with no stop tokens.</summary>
    public static SamplingOptions Greedy { get; } = new();

    /// <summary>Divides the logits before sampling; 0 picks the most likely token (greedy).</summary>
    public double Temperature { get; init; }

    /// <summary>Keeps only the k most likely tokens before sampling; 0 keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>Keeps the smallest set of most likely tokens whose probabilities reach p (nucleus sampling); 1 keeps all.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>The most tokens to generate after the prompt.</summary>
    public int MaxNewTokens { get; init; } = 128;

    /// <summary>Generation stops before any of these ids; the stop token itself is not yielded.</summary>
    public IReadOnlySet<int> EosTokenIds { get; init; } = new HashSet<int>();

    /// <summary>Seeds the random generator, so the same prompt, model and options give the same tokens.</summary>
    public long Seed { get; init; }

    /// <summary>Whether to reuse keys and values of earlier positions (fast) or rerun the whole sequence each step.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>True when the most likely token is always taken.</summary>
    public bool IsGreedy => Temperature == 0;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="LoraException">A setting is out of range; the location names it.</exception>
    public void Validate()
    {
        if (!double.IsFinite(Temperature) || Temperature < 0)
        {
            throw Invalid(nameof(Temperature), "must be 0 (greedy) or a positive number", Temperature);
        }

        if (TopK < 0)
        {
            throw Invalid(nameof(TopK), "must be 0 (off) or positive", TopK);
        }

        if (!(TopP > 0 && TopP <= 1))
        {
            throw Invalid(nameof(TopP), "must be above 0 and at most 1", TopP);
        }

        if (MaxNewTokens < 0)
        {
            throw Invalid(nameof(MaxNewTokens), "must not be negative", MaxNewTokens);
        }
    }

    private static LoraException Invalid(string setting, string rule, IFormattable value) =>
        new(ModelErrorCodes.SamplingSettingInvalid,
            $"Sampling setting {setting} {rule}, but is {value.ToString(null, CultureInfo.InvariantCulture)}.",
            setting);
}
