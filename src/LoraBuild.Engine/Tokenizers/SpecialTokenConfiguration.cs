using System.Globalization;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>A special token as one configuration file names it: by its text, or by its id (config.json).</summary>
internal sealed record SpecialTokenReference(string? Text, int? Id, string SourceFile, string Field);

/// <summary>
/// The special-token settings of a model directory, gathered from tokenizer_config.json, special_tokens_map.json,
/// config.json and generation_config.json. For bos, eos, pad and unk the first file that names one wins, in that order.
/// </summary>
internal sealed class SpecialTokenConfiguration
{
    private const string Code = TokenizerErrorCodes.InvalidSpecialTokenSetting;

    public SpecialTokenReference? Bos { get; private set; }

    public SpecialTokenReference? Eos { get; private set; }

    public SpecialTokenReference? Pad { get; private set; }

    public SpecialTokenReference? Unknown { get; private set; }

    /// <summary>Every end-of-sequence id listed by config.json and generation_config.json (chat models often list several).</summary>
    public List<int> ListedEosIds { get; } = [];

    /// <summary><c>add_bos_token</c> from tokenizer_config.json, when present.</summary>
    public bool? AddBos { get; private set; }

    /// <summary><c>add_eos_token</c> from tokenizer_config.json, when present.</summary>
    public bool? AddEos { get; private set; }

    /// <summary>The <c>added_tokens_decoder</c> entries of tokenizer_config.json.</summary>
    public List<AddedToken> AddedTokens { get; } = [];

    /// <summary><c>clean_up_tokenization_spaces</c>: decoded text loses the space before punctuation and contractions (transformers' default: false).</summary>
    public bool CleanUpTokenizationSpaces { get; private set; }

    public static SpecialTokenConfiguration Read(string directory)
    {
        var configuration = new SpecialTokenConfiguration();
        configuration.ReadTokenizerConfig(Path.Combine(directory, TokenizerFiles.TokenizerConfig));
        configuration.ReadNamedTokens(Path.Combine(directory, TokenizerFiles.SpecialTokensMap));
        configuration.ReadModelConfig(Path.Combine(directory, TokenizerFiles.ModelConfig));
        configuration.ReadGenerationConfig(Path.Combine(directory, TokenizerFiles.GenerationConfig));
        return configuration;
    }

    private void ReadTokenizerConfig(string file)
    {
        using var document = TokenizerFiles.TryReadJson(file);
        if (document is null)
        {
            return;
        }

        var root = RequireObject(document, file);
        ReadNamedTokens(root, file);
        AddBos = JsonFields.GetBoolean(root, "add_bos_token", file, "add_bos_token", Code);
        AddEos = JsonFields.GetBoolean(root, "add_eos_token", file, "add_eos_token", Code);
        CleanUpTokenizationSpaces = JsonFields.GetBoolean(root, "clean_up_tokenization_spaces", file, "clean_up_tokenization_spaces", Code) ?? false;
        if (JsonFields.TryGet(root, "added_tokens_decoder", out var decoder))
        {
            if (decoder.ValueKind != JsonValueKind.Object)
            {
                throw JsonFields.WrongType(file, "added_tokens_decoder", "an object", decoder, Code);
            }

            foreach (var entry in decoder.EnumerateObject())
            {
                if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                {
                    throw new LoraException(Code, $"'added_tokens_decoder' in '{Path.GetFileName(file)}' has a key '{entry.Name}' that is not a token id.", file);
                }

                AddedTokens.Add(AddedTokenJson.Read(entry.Value, id, file, $"added_tokens_decoder.{entry.Name}", Code));
            }
        }
    }

    private void ReadNamedTokens(string file)
    {
        using var document = TokenizerFiles.TryReadJson(file);
        if (document is not null)
        {
            ReadNamedTokens(RequireObject(document, file), file);
        }
    }

    private void ReadNamedTokens(JsonElement root, string file)
    {
        Bos ??= ReadTokenText(root, "bos_token", file);
        Eos ??= ReadTokenText(root, "eos_token", file);
        Pad ??= ReadTokenText(root, "pad_token", file);
        Unknown ??= ReadTokenText(root, "unk_token", file);
    }

    private void ReadModelConfig(string file)
    {
        using var document = TokenizerFiles.TryReadJson(file);
        if (document is null)
        {
            return;
        }

        var root = RequireObject(document, file);
        Bos ??= ReadTokenId(root, "bos_token_id", file);
        Pad ??= ReadTokenId(root, "pad_token_id", file);
        var eosIds = ReadIdList(root, "eos_token_id", file);
        if (eosIds.Count > 0)
        {
            Eos ??= new SpecialTokenReference(null, eosIds[0], file, "eos_token_id");
            ListedEosIds.AddRange(eosIds);
        }
    }

    private void ReadGenerationConfig(string file)
    {
        using var document = TokenizerFiles.TryReadJson(file);
        if (document is not null)
        {
            ListedEosIds.AddRange(ReadIdList(RequireObject(document, file), "eos_token_id", file));
        }
    }

    /// <summary>A token written as a string, or as an object with "content" (transformers' serialized AddedToken).</summary>
    private static SpecialTokenReference? ReadTokenText(JsonElement root, string name, string file)
    {
        if (!JsonFields.TryGet(root, name, out var value))
        {
            return null;
        }

        string? text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object => JsonFields.GetString(value, "content", file, $"{name}.content", Code),
            _ => throw JsonFields.WrongType(file, name, "a string or an object with \"content\"", value, Code),
        };
        return string.IsNullOrEmpty(text) ? null : new SpecialTokenReference(text, null, file, name);
    }

    private static SpecialTokenReference? ReadTokenId(JsonElement root, string name, string file) =>
        JsonFields.GetInt32(root, name, file, name, Code) is int id and >= 0 ? new SpecialTokenReference(null, id, file, name) : null;

    /// <summary>Reads an id that may be written as one integer or as a list of integers; negative ids mean "none".</summary>
    private static List<int> ReadIdList(JsonElement root, string name, string file)
    {
        if (!JsonFields.TryGet(root, name, out var value))
        {
            return [];
        }

        var ids = value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(item => JsonFields.ToInt32(item, file, name, Code)).ToList()
            : [JsonFields.ToInt32(value, file, name, Code)];
        ids.RemoveAll(id => id < 0);
        return ids;
    }

    private static JsonElement RequireObject(JsonDocument document, string file) =>
        document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement
            : throw new LoraException(Code, $"'{Path.GetFileName(file)}' must hold a JSON object.", file);
}
