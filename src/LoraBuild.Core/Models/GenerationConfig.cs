using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Models;

/// <summary>The defaults a checkpoint's <c>generation_config.json</c> sets for generation.</summary>
public sealed record GenerationConfig
{
    public const string FileName = "generation_config.json";

    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    public int? BosTokenId { get; init; }

    public int? PadTokenId { get; init; }

    public bool DoSample { get; init; }

    public double? Temperature { get; init; }

    public int? TopK { get; init; }

    public double? TopP { get; init; }

    public int? MaxNewTokens { get; init; }

    /// <summary>Reads <c>generation_config.json</c> in <paramref name="modelDirectory"/>; an absent file gives the empty defaults.</summary>
    public static GenerationConfig Load(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path))
        {
            return new GenerationConfig();
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LoraException(ModelErrorCodes.ConfigUnreadable, "generation_config.json must hold a JSON object.", path);
            }

            return new GenerationConfig
            {
                EosTokenIds = IntOrList(root, "eos_token_id"),
                BosTokenId = Int(root, "bos_token_id"),
                PadTokenId = Int(root, "pad_token_id"),
                DoSample = root.TryGetProperty("do_sample", out var sample) && sample.ValueKind == JsonValueKind.True,
                Temperature = Number(root, "temperature"),
                TopK = Int(root, "top_k"),
                TopP = Number(root, "top_p"),
                MaxNewTokens = Int(root, "max_new_tokens"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new LoraException(ModelErrorCodes.ConfigUnreadable, $"generation_config.json is not valid: {e.Message}", path, e);
        }
    }

    private static int? Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static List<int> IntOrList(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? []
        : value.ValueKind == JsonValueKind.Number ? [value.GetInt32()]
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(e => e.GetInt32())]
        : [];
}
