using System.Globalization;
using System.Text;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// How vocabulary entries turn back into text, read from the <c>decoder</c> of tokenizer.json. Supported:
/// <c>Sequence</c>, <c>ByteLevel</c>, <c>Replace</c> (string patterns), <c>ByteFallback</c>, <c>Fuse</c>,
/// <c>Strip</c> (leading only) and <c>Metaspace</c>.
/// </summary>
internal sealed class TokenDecodingRules
{
    /// <summary>Entries are GPT-2 byte-level symbols.</summary>
    public bool ByteLevel { get; init; }

    /// <summary>Entries of the form <c>&lt;0xNN&gt;</c> stand for the single byte NN.</summary>
    public bool ByteFallback { get; init; }

    /// <summary>Literal replacements applied to each entry, such as '▁' → ' '.</summary>
    public IReadOnlyList<(string Pattern, string Content)> Replacements { get; init; } = [];

    /// <summary>The character removed from the start of the decoded text, up to <see cref="StripCount"/> times.</summary>
    public char StripChar { get; init; } = ' ';

    public int StripCount { get; init; }

    /// <summary>The bytes a vocabulary entry or added token decodes to.</summary>
    public byte[] ToBytes(string token)
    {
        if (ByteFallback && TryParseByteToken(token, out byte value))
        {
            return [value];
        }

        if (ByteLevel)
        {
            return ByteLevelSymbols.Decode(token);
        }

        foreach (var (pattern, content) in Replacements)
        {
            token = token.Replace(pattern, content, StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(token);
    }

    /// <summary>Recognizes the SentencePiece byte pieces <c>&lt;0x00&gt;</c> … <c>&lt;0xFF&gt;</c>.</summary>
    public static bool TryParseByteToken(string token, out byte value)
    {
        value = 0;
        return token.Length == 6
            && token.StartsWith("<0x", StringComparison.Ordinal)
            && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Reads the decoder; with no decoder, byte-level tokenizers still decode bytes and others join entries as they are.</summary>
    public static TokenDecodingRules FromJson(JsonElement definition, string file, bool byteLevelInput)
    {
        if (JsonFields.IsAbsent(definition))
        {
            return new TokenDecodingRules { ByteLevel = byteLevelInput };
        }

        var builder = new Builder();
        builder.Add(definition, file);
        return new TokenDecodingRules
        {
            ByteLevel = builder.ByteLevel,
            ByteFallback = builder.ByteFallback,
            Replacements = builder.Replacements,
            StripChar = builder.StripChar,
            StripCount = builder.StripCount,
        };
    }

    private sealed class Builder
    {
        private const string Component = "decoder";

        public bool ByteLevel { get; private set; }

        public bool ByteFallback { get; private set; }

        public List<(string Pattern, string Content)> Replacements { get; } = [];

        public char StripChar { get; private set; } = ' ';

        public int StripCount { get; private set; }

        public void Add(JsonElement definition, string file)
        {
            string type = ComponentJson.GetType(definition, file, Component);
            switch (type)
            {
                case "Sequence":
                    foreach (var inner in ComponentJson.GetArray(definition, "decoders", file, Component))
                    {
                        Add(inner, file);
                    }

                    break;
                case "ByteLevel":
                    ByteLevel = true;
                    break;
                case "ByteFallback":
                    ByteFallback = true;
                    break;
                case "Fuse":
                    break;
                case "Replace":
                    AddReplace(definition, file);
                    break;
                case "Strip":
                    AddStrip(definition, file);
                    break;
                case "Metaspace":
                    string replacement = JsonFields.GetString(definition, "replacement", file, "decoder.replacement", TokenizerErrorCodes.InvalidTokenizerDefinition) ?? "\u2581";
                    Replacements.Add((replacement, " "));
                    if (PreTokenizerPipeline.ReadPrependScheme(definition, file, Component) != "never")
                    {
                        StripChar = ' ';
                        StripCount = 1;
                    }

                    break;
                default:
                    throw ComponentJson.Unsupported(file, Component, type);
            }
        }

        private void AddReplace(JsonElement definition, string file)
        {
            string? literal = JsonFields.TryGet(definition, "pattern", out var pattern)
                ? JsonFields.GetString(pattern, "String", file, "decoder.pattern.String", TokenizerErrorCodes.InvalidTokenizerDefinition)
                : null;
            if (literal is null)
            {
                throw new LoraException(TokenizerErrorCodes.UnsupportedComponent, $"A Replace decoder in '{Path.GetFileName(file)}' must use a 'String' pattern; regex patterns are not supported.", file);
            }

            Replacements.Add((literal, ComponentJson.GetRequiredString(definition, "content", file, Component)));
        }

        private void AddStrip(JsonElement definition, string file)
        {
            string content = ComponentJson.GetRequiredString(definition, "content", file, Component);
            int start = JsonFields.GetInt32(definition, "start", file, "decoder.start", TokenizerErrorCodes.InvalidTokenizerDefinition) ?? 0;
            int stop = JsonFields.GetInt32(definition, "stop", file, "decoder.stop", TokenizerErrorCodes.InvalidTokenizerDefinition) ?? 0;
            if (content.Length != 1 || stop != 0)
            {
                throw new LoraException(TokenizerErrorCodes.UnsupportedComponent, $"A Strip decoder in '{Path.GetFileName(file)}' must strip one character from the start only (content of length 1, stop 0).", file);
            }

            StripChar = content[0];
            StripCount = start;
        }
    }
}
