using System.Text.Json;

namespace LoraBuild.Core.Models;

/// <summary>Which layers of an alternating local/global family attend through the sliding window, as transformers decides it.</summary>
internal static class SlidingLayerFlags
{
    private const string Sliding = "sliding_attention";
    private const string Full = "full_attention";

    /// <summary>One flag per layer for Gemma's rules; null for families whose window starts at one layer.</summary>
    public static IReadOnlyList<bool>? Read(ConfigJsonFields fields, ModelArchitecture descriptor, int layers)
    {
        if (descriptor.SlidingWindow is not (SlidingWindowRule.EvenLayers or SlidingWindowRule.FromLayerTypes))
        {
            return null;
        }

        if (fields.Find("layer_types") is { } types)
        {
            return ReadLayerTypes(fields, types, layers);
        }

        if (descriptor.SlidingWindow == SlidingWindowRule.EvenLayers)
        {
            return [.. Enumerable.Range(0, layers).Select(layer => layer % 2 == 0)];
        }

        var pattern = fields.OptionalPositiveInt("sliding_window_pattern")
            ?? fields.OptionalPositiveInt("_sliding_window_pattern")
            ?? descriptor.DefaultSlidingWindowPattern;
        return [.. Enumerable.Range(0, layers).Select(layer => (layer + 1) % pattern != 0)];
    }

    private static bool[] ReadLayerTypes(ConfigJsonFields fields, JsonElement types, int layers)
    {
        if (types.ValueKind != JsonValueKind.Array || types.GetArrayLength() != layers)
        {
            throw fields.Invalid("layer_types", $"must list the attention of each of the {layers} layers");
        }

        return
        [
            .. types.EnumerateArray().Select(type => type.ValueKind == JsonValueKind.String ? type.GetString() : null).Select(type => type switch
            {
                Sliding => true,
                Full => false,
                _ => throw fields.Invalid("layer_types", $"may only hold \"{Sliding}\" and \"{Full}\", but holds \"{type}\""),
            }),
        ];
    }
}
