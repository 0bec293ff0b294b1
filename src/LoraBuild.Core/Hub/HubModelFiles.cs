using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Hub;

/// <summary>
/// Which of a repository's files a base model needs: its config, generation config, tokenizer files, chat template,
/// and its safetensors weights (one file, or an index and the shards it names). Other weights (<c>.bin</c>, <c>.pt</c>,
/// <c>.gguf</c>, other folders) are never fetched.
/// </summary>
public static class HubModelFiles
{
    public const string Config = "config.json";

    public const string SingleWeights = "model.safetensors";

    public const string WeightsIndex = "model.safetensors.index.json";

    /// <summary>The files taken when the repository has them, besides the weights.</summary>
    public static IReadOnlyList<string> Companions { get; } =
    [
        Config, "generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model", "chat_template.jinja",
    ];

    private static readonly string[] s_tokenizers = ["tokenizer.json", "tokenizer.model"];

    /// <summary>
    /// The needed files among <paramref name="available"/> (a repository's file list), weights last: <c>model.safetensors</c>
    /// when present, as transformers prefers it, else the index (whose shards <see cref="Shards"/> reads once it is local).
    /// </summary>
    /// <exception cref="LoraException">LORA2086: no config.json or no safetensors weights.</exception>
    public static IReadOnlyList<string> Select(IEnumerable<string> available, HubModelReference model)
    {
        var names = available.ToHashSet(StringComparer.Ordinal);
        if (!names.Contains(Config))
        {
            throw new LoraException(HubErrorCodes.NotAModel, $"{model} has no config.json at its top level, so it is not a model in Hugging Face layout.", model.ToString());
        }

        var weights = names.Contains(SingleWeights) ? SingleWeights
            : names.Contains(WeightsIndex) ? WeightsIndex
            : throw new LoraException(
                HubErrorCodes.NotAModel,
                $"{model} has no {SingleWeights} or {WeightsIndex}; LoraBuild reads safetensors weights only (not .bin, .pt or .gguf){OtherWeights(names)}.",
                model.ToString());
        return [.. Companions.Where(names.Contains), weights];
    }

    /// <summary>The distinct shard files a local <c>model.safetensors.index.json</c> names, in order of first mention.</summary>
    /// <exception cref="LoraException">LORA2087: the index is not JSON with a weight_map of relative file names.</exception>
    public static IReadOnlyList<string> Shards(string indexPath, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(indexPath));
            var shards = document.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString()!).Distinct(StringComparer.Ordinal).ToList();
            if (shards.Count == 0 || shards.Any(shard => !IsSafeRelativePath(shard)))
            {
                throw new LoraException(HubErrorCodes.ResponseInvalid, $"The {WeightsIndex} of {source} names no shards, or a shard outside the repository.", indexPath);
            }

            return shards;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new LoraException(HubErrorCodes.ResponseInvalid, $"The {WeightsIndex} of {source} is not a safetensors index: {e.Message}", indexPath, e);
        }
    }

    /// <summary>
    /// True when a local snapshot folder holds what training needs: config.json, a tokenizer, and the weights (every
    /// shard, when sharded). Optional files the repository may not have cannot be told apart from missing ones without
    /// asking the Hub, so they are not required.
    /// </summary>
    public static bool IsComplete(string folder)
    {
        if (!File.Exists(Path.Combine(folder, Config)) || !s_tokenizers.Any(name => File.Exists(Path.Combine(folder, name))))
        {
            return false;
        }

        if (File.Exists(Path.Combine(folder, SingleWeights)))
        {
            return true;
        }

        var index = Path.Combine(folder, WeightsIndex);
        try
        {
            return File.Exists(index) && Shards(index, folder).All(shard => File.Exists(Path.Combine(folder, shard)));
        }
        catch (LoraException)
        {
            return false;
        }
    }

    /// <summary>The needed files present in a local snapshot folder, shards included.</summary>
    public static IReadOnlyList<string> Present(string folder, HubModelReference model)
    {
        var top = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().Where(name => File.Exists(Path.Combine(folder, name)));
        var files = Select(top, model);
        return files[^1] == WeightsIndex ? [.. files, .. Shards(Path.Combine(folder, WeightsIndex), model.ToString())] : files;
    }

    /// <summary>True for a relative path inside the repository: no root, no empty, <c>.</c> or <c>..</c> segment, no backslash.</summary>
    public static bool IsSafeRelativePath(string path) =>
        path.Length > 0 && !path.StartsWith('/') && !path.Contains('\\', StringComparison.Ordinal)
        && path.Split('/').All(segment => segment is not ("" or "." or ".."));

    private static string OtherWeights(HashSet<string> names)
    {
        var others = names.Where(n => n.EndsWith(".bin", StringComparison.Ordinal) || n.EndsWith(".pt", StringComparison.Ordinal)
            || n.EndsWith(".pth", StringComparison.Ordinal) || n.EndsWith(".gguf", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Take(3).ToList();
        return others.Count == 0 ? string.Empty : $"; it has {string.Join(", ", others)}";
    }
}
