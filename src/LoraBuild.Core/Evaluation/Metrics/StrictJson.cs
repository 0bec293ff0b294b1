using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>Parses text as exactly one RFC 8259 JSON value, the way the JSON metrics judge model answers.</summary>
internal static class StrictJson
{
    private static readonly JsonDocumentOptions s_options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    public static bool TryParse(string text, [NotNullWhen(true)] out JsonDocument? document)
    {
        try
        {
            document = JsonDocument.Parse(text, s_options);
            return true;
        }
        catch (JsonException)
        {
            document = null;
            return false;
        }
    }
}
