using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Lora;

/// <summary>
/// Which linear layers get a LoRA pair, by module name as PEFT's <c>target_modules</c> lists them.
/// <c>all-linear</c> means every linear layer but the output head, as PEFT defines it.
/// </summary>
public sealed class LoraTargetModules
{
    public const string AllLinear = "all-linear";
    public const string OutputHead = "lm_head";

    /// <summary>The linear layers inside a Llama-family decoder layer, in Hugging Face order.</summary>
    public static IReadOnlyList<string> DecoderProjections { get; } =
        ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    private LoraTargetModules(IReadOnlyList<string> names) => Names = names;

    /// <summary>The resolved module names, in Hugging Face order, <c>lm_head</c> last when targeted.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool IncludesOutputHead => Names.Contains(OutputHead);

    /// <summary>Parses a comma-separated list such as <c>q_proj,v_proj</c> or <c>all-linear</c>.</summary>
    public static LoraTargetModules Parse(string? value, string location = "--targets")
    {
        var requested = (value ?? string.Empty)
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (requested.Length == 0)
        {
            throw new LoraException(LoraErrorCodes.NoTargetModules, $"No LoRA target modules given; use names such as q_proj,v_proj or '{AllLinear}'.", location);
        }

        var known = DecoderProjections.Append(OutputHead).ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in requested)
        {
            if (name == AllLinear)
            {
                names.UnionWith(DecoderProjections);
            }
            else if (known.Contains(name))
            {
                names.Add(name);
            }
            else
            {
                throw new LoraException(
                    LoraErrorCodes.UnknownTargetModule,
                    $"'{name}' is not a linear layer of a Llama-family model; use {string.Join(", ", known)} or '{AllLinear}'.",
                    location);
            }
        }

        return new LoraTargetModules([.. known.Where(names.Contains)]);
    }

    public override string ToString() => string.Join(",", Names);
}
