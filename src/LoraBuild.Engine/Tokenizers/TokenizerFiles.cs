using System.Text.Json;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>The file names of a Hugging Face model directory that describe its tokenizer, and reading them as JSON.</summary>
internal static class TokenizerFiles
{
    public const string TokenizerJson = "tokenizer.json";
    public const string SentencePieceModel = "tokenizer.model";
    public const string TokenizerConfig = "tokenizer_config.json";
    public const string SpecialTokensMap = "special_tokens_map.json";
    public const string ModelConfig = "config.json";
    public const string GenerationConfig = "generation_config.json";

    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 256 };

    /// <summary>
    /// Parses a JSON file; syntax errors and text that is not UTF-8 become <see cref="TokenizerErrorCodes.MalformedJson"/>
    /// with the line at fault.
    /// </summary>
    public static JsonDocument ReadJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var document = JsonDocument.Parse(stream, s_options);
            if (JsonStrings.FindIllFormed(document.RootElement) is { } bad)
            {
                document.Dispose();
                throw new LoraException(
                    TokenizerErrorCodes.MalformedJson,
                    $"'{Path.GetFileName(path)}' has a string at {bad} that is not well-formed UTF-8 or UTF-16 text.",
                    path);
            }

            return document;
        }
        catch (JsonException e)
        {
            string location = e.LineNumber is long line ? $"{path}:{line + 1}" : path;
            throw new LoraException(
                TokenizerErrorCodes.MalformedJson,
                $"'{Path.GetFileName(path)}' is not valid JSON: {e.Message}",
                location,
                e);
        }
    }

    /// <summary>Parses the JSON file when it exists; returns <see langword="null"/> when it does not.</summary>
    public static JsonDocument? TryReadJson(string path) => File.Exists(path) ? ReadJson(path) : null;
}
