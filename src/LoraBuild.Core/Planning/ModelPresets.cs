using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Planning;

/// <summary>
/// Published <c>config.json</c> files of well-known models, embedded in the assembly so that a plan needs no download:
/// the values are those of the Hugging Face repositories named in <see cref="Sources"/>.
/// </summary>
public static class ModelPresets
{
    private const string ResourcePrefix = "LoraBuild.Core.Planning.Presets.";

    /// <summary>Preset names and the Hugging Face repository whose <c>config.json</c> each one is.</summary>
    public static IReadOnlyDictionary<string, string> Sources { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["llama-2-7b"] = "meta-llama/Llama-2-7b-hf",
        ["llama-2-13b"] = "meta-llama/Llama-2-13b-hf",
        ["llama-3-8b"] = "meta-llama/Meta-Llama-3-8B",
        ["mistral-7b"] = "mistralai/Mistral-7B-v0.1",
        ["llama-3.2-1b"] = "meta-llama/Llama-3.2-1B",
        ["qwen2.5-0.5b"] = "Qwen/Qwen2.5-0.5B",
    };

    /// <summary>The preset names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Sources.Keys];

    /// <summary>The configuration of the preset <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="LoraException">No preset has that name (LORA1400).</exception>
    public static ModelConfig Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().ToLowerInvariant();
        if (!Sources.ContainsKey(key))
        {
            throw new LoraException(
                PlanErrorCodes.PresetUnknown,
                $"There is no model preset '{name}'; presets: {string.Join(", ", Names)}. Or give a config.json with --config.",
                "--preset");
        }

        return ModelConfig.Parse(Json(key), $"preset {key}");
    }

    /// <summary>The <c>config.json</c> text of the preset <paramref name="name"/>, as its repository publishes it.</summary>
    /// <exception cref="LoraException">No preset has that name (LORA1400).</exception>
    public static string Json(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var key = name.ToLowerInvariant();
        if (!Sources.ContainsKey(key))
        {
            Load(key);
        }

        using var stream = typeof(ModelPresets).Assembly.GetManifestResourceStream(ResourcePrefix + key + ".json")
            ?? throw new InvalidOperationException($"The preset resource for '{key}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Reads a <c>config.json</c> to plan for, reporting any fault as LORA1402 against the file (the reader's own code
    /// and message are kept in the message and as the inner exception).
    /// </summary>
    /// <exception cref="LoraException">The file cannot be read or does not describe a supported model (LORA1402).</exception>
    public static ModelConfig LoadConfigFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return ModelConfig.Load(path);
        }
        catch (LoraException exception)
        {
            throw new LoraException(
                PlanErrorCodes.ConfigInvalid,
                $"Cannot plan for {path}: {exception.Message} ({exception.Code})",
                path,
                exception);
        }
    }
}
