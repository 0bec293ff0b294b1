using System.Text.Json;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Export;

/// <summary>
/// A Hugging Face BPE tokenizer (<c>tokenizer.json</c> with <c>tokenizer_config.json</c>) as llama.cpp's
/// <c>tokenizer.ggml.*</c> metadata. Byte-level BPE (GPT-2, Llama 3, Qwen) becomes model <c>gpt2</c> with the
/// pre-tokenizer's name and merges as <c>"a b"</c>; SentencePiece-style BPE (Llama 2, Mistral, Gemma, Phi-3) becomes
/// model <c>llama</c> with scores and <c>add_space_prefix</c> (<see cref="SentencePieceVocabulary"/>). Both get tokens by
/// id (ids the tokenizer lacks up to the model's vocabulary size become <c>[PADn]</c>), token types (special added
/// tokens are control tokens, other added tokens user-defined), bos/eos/unk/pad ids, <c>add_bos_token</c>,
/// <c>add_eos_token</c> and the chat template.
/// </summary>
public static class GgufTokenizerMetadata
{
    private const int NormalToken = 1;
    private const int ControlToken = 3;
    private const int UserDefinedToken = 4;

    // The Split regexes of Llama 3's and Qwen 2's tokenizer.json, which llama.cpp knows as 'llama-bpe' and 'qwen2'.
    private const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    private const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The metadata for the tokenizer files in <paramref name="modelDirectory"/>.</summary>
    /// <exception cref="LoraException">LORA4204: the tokenizer is missing or is not a byte-level BPE tokenizer llama.cpp names.</exception>
    public static List<KeyValuePair<string, GgufValue>> Read(string modelDirectory, ModelConfig config)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentNullException.ThrowIfNull(config);
        var tokenizerPath = Path.Combine(modelDirectory, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
        {
            throw new LoraException(ExportErrorCodes.TokenizerNotExportable, "The model has no tokenizer.json; llama.cpp needs the vocabulary in the GGUF file.", tokenizerPath);
        }

        using var tokenizer = ParseJson(tokenizerPath);
        var configPath = Path.Combine(modelDirectory, "tokenizer_config.json");
        using var tokenizerConfig = File.Exists(configPath) ? ParseJson(configPath) : JsonDocument.Parse("{}");
        var root = tokenizer.RootElement;
        var model = Property(root, "model");
        if (model is not { ValueKind: JsonValueKind.Object } || Text(model.Value, "type") != "BPE")
        {
            throw new LoraException(ExportErrorCodes.TokenizerNotExportable, $"The tokenizer model is {Text(model, "type") ?? "missing"}; the GGUF export writes BPE tokenizers only (byte-level or SentencePiece-style).", tokenizerPath);
        }

        var sentencePiece = SentencePieceVocabulary.TryDetect(root, model.Value, out var addSpacePrefix);
        var preTokenizer = sentencePiece ? null : PreTokenizerName(Property(root, "pre_tokenizer"), tokenizerPath);
        var unknownToken = Text(model.Value, "unk_token");
        var tokens = new SortedDictionary<int, (string Text, int Type)>();
        if (Property(model.Value, "vocab") is not { ValueKind: JsonValueKind.Object } vocab)
        {
            throw new LoraException(ExportErrorCodes.TokenizerNotExportable, "The BPE model has no vocab object.", tokenizerPath);
        }

        foreach (var entry in vocab.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
            {
                throw new LoraException(ExportErrorCodes.TokenizerNotExportable, $"Vocabulary entry '{entry.Name}' has no valid id.", tokenizerPath);
            }

            tokens[id] = (entry.Name, sentencePiece ? SentencePieceVocabulary.TypeOf(entry.Name, unknownToken) : NormalToken);
        }

        var specialTexts = new HashSet<string>(StringComparer.Ordinal);
        if (Property(root, "added_tokens") is { ValueKind: JsonValueKind.Array } added)
        {
            foreach (var token in added.EnumerateArray())
            {
                if (Property(token, "id") is not { ValueKind: JsonValueKind.Number } idElement || !idElement.TryGetInt32(out var id) || id < 0
                    || Text(token, "content") is not { } content)
                {
                    throw new LoraException(ExportErrorCodes.TokenizerNotExportable, "An added token has no id or content.", tokenizerPath);
                }

                var special = Property(token, "special") is { ValueKind: JsonValueKind.True };
                tokens[id] = (content, special ? ControlToken : UserDefinedToken);
                if (special)
                {
                    specialTexts.Add(content);
                }
            }
        }

        var count = Math.Max(config.VocabSize, tokens.Count == 0 ? 0 : tokens.Keys.Max() + 1);
        var texts = new string[count];
        var types = new int[count];
        for (var id = 0; id < count; id++)
        {
            (texts[id], types[id]) = tokens.TryGetValue(id, out var token) ? token : ($"[PAD{id}]", sentencePiece ? SentencePieceVocabulary.UnusedToken : UserDefinedToken);
        }

        var ids = tokens.GroupBy(pair => pair.Value.Text, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First().Key, StringComparer.Ordinal);
        var metadata = sentencePiece
            ? new List<KeyValuePair<string, GgufValue>>
            {
                Entry("tokenizer.ggml.model", GgufValue.Of("llama")),
                Entry("tokenizer.ggml.tokens", GgufValue.Strings(texts)),
                Entry("tokenizer.ggml.scores", GgufValue.Float32s(SentencePieceVocabulary.Scores(model.Value, texts, tokenizerPath))),
                Entry("tokenizer.ggml.token_type", GgufValue.Int32s(types)),
                Entry("tokenizer.ggml.add_space_prefix", GgufValue.Of(addSpacePrefix)),
            }
            : new List<KeyValuePair<string, GgufValue>>
            {
                Entry("tokenizer.ggml.model", GgufValue.Of("gpt2")),
                Entry("tokenizer.ggml.pre", GgufValue.Of(preTokenizer!)),
                Entry("tokenizer.ggml.tokens", GgufValue.Strings(texts)),
                Entry("tokenizer.ggml.token_type", GgufValue.Int32s(types)),
                Entry("tokenizer.ggml.merges", GgufValue.Strings(Merges(model.Value, tokenizerPath))),
            };

        var configRoot = tokenizerConfig.RootElement;
        AddTokenId(metadata, "bos", SpecialTokenText(configRoot, "bos_token"), config.BosTokenId, ids);
        AddTokenId(metadata, "eos", SpecialTokenText(configRoot, "eos_token"), config.EosTokenIds.Count > 0 ? config.EosTokenIds[0] : null, ids);
        AddTokenId(metadata, "unknown", SpecialTokenText(configRoot, "unk_token"), null, ids);
        AddTokenId(metadata, "padding", SpecialTokenText(configRoot, "pad_token"), config.PadTokenId, ids);
        if (Property(configRoot, "add_bos_token") is { ValueKind: JsonValueKind.True or JsonValueKind.False } addBos)
        {
            metadata.Add(Entry("tokenizer.ggml.add_bos_token", GgufValue.Of(addBos.GetBoolean())));
        }

        if (Property(configRoot, "add_eos_token") is { ValueKind: JsonValueKind.True or JsonValueKind.False } addEos)
        {
            metadata.Add(Entry("tokenizer.ggml.add_eos_token", GgufValue.Of(addEos.GetBoolean())));
        }

        if (Text(configRoot, "chat_template") is { } template)
        {
            metadata.Add(Entry("tokenizer.chat_template", GgufValue.Of(template)));
        }

        return metadata;
    }

    /// <summary>The chat template of <c>tokenizer_config.json</c> in <paramref name="modelDirectory"/>, or null.</summary>
    public static string? ChatTemplate(string modelDirectory)
    {
        var configPath = Path.Combine(modelDirectory, "tokenizer_config.json");
        if (!File.Exists(configPath))
        {
            return null;
        }

        using var document = ParseJson(configPath);
        return Text(document.RootElement, "chat_template");
    }

    private static string PreTokenizerName(JsonElement? preTokenizer, string path)
    {
        if (preTokenizer is { ValueKind: JsonValueKind.Object } single && Text(single, "type") == "ByteLevel"
            && Property(single, "use_regex") is not { ValueKind: JsonValueKind.False })
        {
            return "gpt-2";
        }

        if (preTokenizer is { ValueKind: JsonValueKind.Object } sequence && Text(sequence, "type") == "Sequence"
            && Property(sequence, "pretokenizers") is { ValueKind: JsonValueKind.Array } steps && steps.GetArrayLength() == 2
            && Text(steps[0], "type") == "Split" && Text(steps[1], "type") == "ByteLevel"
            && Property(steps[0], "pattern") is { ValueKind: JsonValueKind.Object } pattern)
        {
            switch (Text(pattern, "Regex"))
            {
                case Llama3Pattern: return "llama-bpe";
                case Qwen2Pattern: return "qwen2";
            }
        }

        var described = preTokenizer is { } element ? element.GetRawText() : "none";
        throw new LoraException(
            ExportErrorCodes.TokenizerNotExportable,
            $"The pre-tokenizer ({(described.Length > 120 ? described[..120] + "…" : described)}) is not one llama.cpp names that this exporter knows (GPT-2's byte level, Llama 3's, Qwen 2's).",
            path);
    }

    private static List<string> Merges(JsonElement model, string path)
    {
        var merges = new List<string>();
        if (Property(model, "merges") is not { ValueKind: JsonValueKind.Array } array)
        {
            return merges;
        }

        foreach (var merge in array.EnumerateArray())
        {
            merges.Add(merge.ValueKind switch
            {
                JsonValueKind.String => merge.GetString()!,
                JsonValueKind.Array when merge.GetArrayLength() == 2 && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String
                    => $"{merge[0].GetString()} {merge[1].GetString()}",
                _ => throw new LoraException(ExportErrorCodes.TokenizerNotExportable, $"Merge {merges.Count} is neither \"a b\" nor [\"a\", \"b\"].", path),
            });
        }

        return merges;
    }

    private static void AddTokenId(List<KeyValuePair<string, GgufValue>> metadata, string name, string? text, int? fallback, Dictionary<string, int> ids)
    {
        int? id = text is not null && ids.TryGetValue(text, out var found) ? found : fallback;
        if (id is { } value)
        {
            metadata.Add(Entry($"tokenizer.ggml.{name}_token_id", GgufValue.Of((uint)value)));
        }
    }

    /// <summary>A special token in tokenizer_config.json: a string, or an object with <c>content</c>.</summary>
    private static string? SpecialTokenText(JsonElement root, string name) => Property(root, name) switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.Object } token => Text(token, "content"),
        _ => null,
    };

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new LoraException(ExportErrorCodes.TokenizerNotExportable, $"The file is not valid JSON: {e.Message}", path, e);
        }
    }

    private static JsonElement? Property(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var property) ? property : null;

    private static string? Text(JsonElement? element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;

    private static KeyValuePair<string, GgufValue> Entry(string key, GgufValue value) => KeyValuePair.Create(key, value);
}
