using System.Globalization;
using System.Text.RegularExpressions;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Export;

/// <summary>
/// How a model family looks to llama.cpp: its architecture name, its hyper-parameter keys, its tensor names, and
/// whether q and k rows are reordered for llama.cpp's interleaved rotary embedding (the <c>llama</c> architecture
/// rotates adjacent pairs, Hugging Face's Llama the two halves of each head; <c>qwen2</c> uses the halves, as Hugging
/// Face does, as do the Gemmas and <c>phi3</c>, so nothing is reordered there). Phi-3's fused <c>qkv_proj</c> and
/// <c>gate_up_proj</c> keep their fused rows in llama.cpp's <c>attn_qkv</c> and <c>ffn_up</c>.
/// </summary>
public sealed partial class LlamaCppArchitecture
{
    private static readonly Dictionary<string, string> s_layerModules = new(StringComparer.Ordinal)
    {
        ["input_layernorm"] = "attn_norm",
        ["self_attn.q_proj"] = "attn_q",
        ["self_attn.k_proj"] = "attn_k",
        ["self_attn.v_proj"] = "attn_v",
        ["self_attn.qkv_proj"] = "attn_qkv",
        ["self_attn.o_proj"] = "attn_output",
        ["self_attn.q_norm"] = "attn_q_norm",
        ["self_attn.k_norm"] = "attn_k_norm",
        ["post_attention_layernorm"] = "ffn_norm",
        ["mlp.gate_proj"] = "ffn_gate",
        ["mlp.up_proj"] = "ffn_up",
        ["mlp.gate_up_proj"] = "ffn_up",
        ["mlp.down_proj"] = "ffn_down",
    };

    // Gemma's post-attention norm normalizes the attention output; its pre-MLP norm is llama.cpp's ffn_norm.
    private static readonly Dictionary<string, string> s_sandwichNorms = new(StringComparer.Ordinal)
    {
        ["post_attention_layernorm"] = "post_attention_norm",
        ["pre_feedforward_layernorm"] = "ffn_norm",
        ["post_feedforward_layernorm"] = "post_ffw_norm",
    };

    private static readonly Dictionary<string, string> s_modelModules = new(StringComparer.Ordinal)
    {
        ["model.embed_tokens"] = "token_embd",
        ["model.norm"] = "output_norm",
        ["lm_head"] = "output",
    };

    private LlamaCppArchitecture(string name, bool permutesQueryAndKey, ModelConfig config)
    {
        Name = name;
        PermutesQueryAndKey = permutesQueryAndKey;
        Config = config;
    }

    /// <summary><c>general.architecture</c>: <c>llama</c>, <c>qwen2</c>, <c>qwen3</c>, <c>gemma2</c>, <c>gemma3</c> or <c>phi3</c>.</summary>
    public string Name { get; }

    /// <summary>Whether q/k weight rows (and biases, and LoRA B rows) are reordered into llama.cpp's rotary layout.</summary>
    public bool PermutesQueryAndKey { get; }

    public ModelConfig Config { get; }

    /// <summary>The llama.cpp view of <paramref name="config"/>.</summary>
    /// <exception cref="LoraException">LORA4202: a family llama.cpp's converter maps to no architecture this exporter writes.</exception>
    public static LlamaCppArchitecture For(ModelConfig config, string location)
    {
        ArgumentNullException.ThrowIfNull(config);
        var descriptor = config.Descriptor;
        return string.IsNullOrEmpty(descriptor.LlamaCppName)
            ? throw new LoraException(ExportErrorCodes.ArchitectureNotExportable, $"{config.Architecture} has no llama.cpp architecture this exporter writes.", location)
            : new LlamaCppArchitecture(descriptor.LlamaCppName, descriptor.LlamaCppPermutesQueryAndKey, config);
    }

    /// <summary>The hyper-parameter keys llama.cpp reads for this architecture, in the order its converter writes them.</summary>
    /// <exception cref="LoraException">LORA4205: a rope_scaling type llama.cpp has no metadata for.</exception>
    public IEnumerable<KeyValuePair<string, GgufValue>> HyperParameters(string location)
    {
        var c = Config;
        yield return Key("context_length", GgufValue.Of((uint)c.MaxPositionEmbeddings));
        yield return Key("embedding_length", GgufValue.Of((uint)c.HiddenSize));
        yield return Key("block_count", GgufValue.Of((uint)c.NumHiddenLayers));
        yield return Key("feed_forward_length", GgufValue.Of((uint)c.IntermediateSize));
        yield return Key("rope.dimension_count", GgufValue.Of((uint)c.HeadDim));
        yield return Key("attention.head_count", GgufValue.Of((uint)c.NumAttentionHeads));
        yield return Key("attention.head_count_kv", GgufValue.Of((uint)c.NumKeyValueHeads));
        yield return Key("rope.freq_base", GgufValue.Of((float)c.RopeTheta));
        yield return Key("attention.layer_norm_rms_epsilon", GgufValue.Of((float)c.RmsNormEps));
        if (c.HeadDim * c.NumAttentionHeads != c.HiddenSize || c.Descriptor.SandwichNorms)
        {
            yield return Key("attention.key_length", GgufValue.Of((uint)c.HeadDim));
            yield return Key("attention.value_length", GgufValue.Of((uint)c.HeadDim));
        }

        yield return Key("vocab_size", GgufValue.Of((uint)c.VocabSize));
        switch (c.RopeScaling)
        {
            case null:
                break;
            case { Kind: RopeScalingKind.Linear } linear:
                yield return Key("rope.scaling.type", GgufValue.Of("linear"));
                yield return Key("rope.scaling.factor", GgufValue.Of((float)linear.Factor));
                break;
            case { Kind: RopeScalingKind.Llama3 }:
                // llama.cpp takes Llama 3's scheme as a rope_freqs tensor (RopeFrequencyFactors), not as keys.
                break;
            default:
                throw new LoraException(ExportErrorCodes.SettingNotExportable, $"rope_scaling type {c.RopeScaling.Kind} has no llama.cpp equivalent.", location);
        }

        if (c.Family is ModelFamily.Gemma2 or ModelFamily.Gemma3)
        {
            foreach (var (suffix, value) in LlamaCppGemmaSettings.Keys(c, location))
            {
                yield return Key(suffix, value);
            }
        }

        if (c.Family is ModelFamily.Phi3)
        {
            // llama.cpp's phi3 cuts the fused qkv rows at hidden_size and hidden_size + kv width.
            if (c.HeadDim * c.NumAttentionHeads != c.HiddenSize)
            {
                throw new LoraException(
                    ExportErrorCodes.SettingNotExportable,
                    $"llama.cpp's phi3 needs head_dim × num_attention_heads = hidden_size, but head_dim is {c.HeadDim} with {c.NumAttentionHeads} heads and hidden_size {c.HiddenSize}.",
                    location);
            }

            // The converter writes 0 for no window (Phi-4).
            yield return Key("attention.sliding_window", GgufValue.Of((uint)(c.SlidingWindow ?? 0)));
        }
    }

    /// <summary>
    /// The GGUF name of the Hugging Face module at <paramref name="modulePath"/> in this architecture: as
    /// <see cref="TensorBaseName"/>, with Gemma's sandwich norms under their own names.
    /// </summary>
    public string? TensorName(string modulePath)
    {
        ArgumentNullException.ThrowIfNull(modulePath);
        var match = LayerModule().Match(modulePath);
        return Config.Descriptor.SandwichNorms && match.Success && s_sandwichNorms.TryGetValue(match.Groups["module"].Value, out var norm)
            ? $"blk.{int.Parse(match.Groups["layer"].Value, CultureInfo.InvariantCulture)}.{norm}"
            : TensorBaseName(modulePath);
    }

    /// <summary>
    /// What llama.cpp's converter adds to every value of the tensor <paramref name="suffix"/> of <paramref name="modulePath"/>:
    /// 1 for Gemma's norm weights, which llama.cpp multiplies by as stored where Hugging Face scales by 1 + w; else 0.
    /// </summary>
    public float ValueShift(string modulePath, string suffix)
    {
        ArgumentNullException.ThrowIfNull(modulePath);
        return Config.Descriptor.UnitOffsetNorms && suffix == "weight" && modulePath.EndsWith("norm", StringComparison.Ordinal) ? 1f : 0f;
    }

    /// <summary>
    /// The GGUF name of the Hugging Face module at <paramref name="modulePath"/> (<c>model.layers.3.self_attn.q_proj</c>
    /// → <c>blk.3.attn_q</c>), or null when llama.cpp has no such tensor.
    /// </summary>
    public static string? TensorBaseName(string modulePath)
    {
        ArgumentNullException.ThrowIfNull(modulePath);
        if (s_modelModules.TryGetValue(modulePath, out var name))
        {
            return name;
        }

        var match = LayerModule().Match(modulePath);
        return match.Success && s_layerModules.TryGetValue(match.Groups["module"].Value, out var module)
            ? $"blk.{int.Parse(match.Groups["layer"].Value, CultureInfo.InvariantCulture)}.{module}"
            : null;
    }

    /// <summary>
    /// For a q or k projection's tensor, the head count whose rows llama.cpp's rotary layout reorders; null for other tensors
    /// or architectures.
    /// </summary>
    public int? PermutationHeads(string modulePath)
    {
        ArgumentNullException.ThrowIfNull(modulePath);
        if (!PermutesQueryAndKey)
        {
            return null;
        }

        return modulePath.EndsWith(".self_attn.q_proj", StringComparison.Ordinal) ? Config.NumAttentionHeads
            : modulePath.EndsWith(".self_attn.k_proj", StringComparison.Ordinal) ? Config.NumKeyValueHeads
            : null;
    }

    private KeyValuePair<string, GgufValue> Key(string suffix, GgufValue value) => KeyValuePair.Create($"{Name}.{suffix}", value);

    [GeneratedRegex(@"^model\.layers\.(?<layer>0|[1-9][0-9]{0,5})\.(?<module>[a-z_]+(\.[a-z_]+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex LayerModule();
}
