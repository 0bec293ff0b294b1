using System.Globalization;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Export;

/// <summary>
/// The keys llama.cpp's <c>gemma2</c> and <c>gemma3</c> architectures read beyond the common ones, as
/// <c>convert_hf_to_gguf.py</c> writes them, and the Gemma settings llama.cpp fixes rather than reads, which an export
/// must match: it scales queries by 1/√head_dim (by 1/√(hidden/heads) for the 27B shapes), alternates sliding layers
/// every 2nd (Gemma 2) or 6th (Gemma 3) layer, always soft-caps for Gemma 2 and never for Gemma 3, and rotates Gemma 3's
/// sliding layers with base 10000, unscaled.
/// </summary>
internal static class LlamaCppGemmaSettings
{
    private const int Gemma2LargeLayers = 46;
    private const int Gemma3LargeLayers = 62;
    private const double LocalRopeBase = 10000.0;

    public static IEnumerable<(string Suffix, GgufValue Value)> Keys(ModelConfig config, string location)
    {
        var gemma2 = config.Family == ModelFamily.Gemma2;
        RequireAttentionScale(config, gemma2 ? Gemma2LargeLayers : Gemma3LargeLayers, location);
        RequireSlidingPattern(config, gemma2 ? 2 : 6, location);
        if (gemma2)
        {
            if (config.AttentionLogitSoftCapping is not { } attention || config.FinalLogitSoftCapping is not { } final)
            {
                throw NotExportable("llama.cpp's gemma2 always soft-caps attention scores and logits; a Gemma 2 config without attn_logit_softcapping and final_logit_softcapping", location);
            }

            yield return ("attn_logit_softcapping", GgufValue.Of((float)attention));
            yield return ("final_logit_softcapping", GgufValue.Of((float)final));
        }
        else
        {
            if (config.AttentionLogitSoftCapping is not null || config.FinalLogitSoftCapping is not null)
            {
                throw NotExportable("llama.cpp's gemma3 does not soft-cap; attn_logit_softcapping or final_logit_softcapping", location);
            }

            if (config.LocalRopeTheta is { } local && local != LocalRopeBase)
            {
                throw NotExportable($"llama.cpp's gemma3 rotates sliding layers with base {LocalRopeBase}; rope_local_base_freq {Format(local)}", location);
            }

            if (config.RopeScaling is { Kind: not RopeScalingKind.Linear })
            {
                throw NotExportable("Gemma 3's converter writes only linear rope_scaling; rope_scaling of another type", location);
            }
        }

        yield return ("attention.sliding_window", GgufValue.Of((uint)config.SlidingWindow!.Value));
    }

    private static void RequireAttentionScale(ModelConfig config, int largeLayers, string location)
    {
        double llamaCppScalar = config.NumHiddenLayers == largeLayers ? (double)config.HiddenSize / config.NumAttentionHeads : config.HeadDim;
        if ((config.QueryPreAttentionScalar ?? config.HeadDim) != llamaCppScalar)
        {
            throw NotExportable(
                $"llama.cpp scales this {config.Architecture}'s queries by 1/√{Format(llamaCppScalar)}; query_pre_attn_scalar {Format(config.QueryPreAttentionScalar ?? config.HeadDim)}",
                location);
        }
    }

    private static void RequireSlidingPattern(ModelConfig config, int pattern, string location)
    {
        var expected = Enumerable.Range(0, config.NumHiddenLayers).Select(layer => (layer + 1) % pattern != 0);
        if (config.SlidingWindow is null || !expected.SequenceEqual(Enumerable.Range(0, config.NumHiddenLayers).Select(config.IsSlidingLayer)))
        {
            throw NotExportable($"llama.cpp gives a {config.Architecture} a sliding window in all but every {pattern}th layer; another layout of sliding layers", location);
        }
    }

    private static LoraException NotExportable(string what, string location) =>
        new(ExportErrorCodes.SettingNotExportable, $"{what} has no llama.cpp equivalent.", location);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
