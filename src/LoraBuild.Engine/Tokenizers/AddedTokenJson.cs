using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>Reads one added-token object: <c>{"id", "content", "special", "lstrip", "rstrip", "single_word", …}</c>.</summary>
internal static class AddedTokenJson
{
    /// <param name="entry">The JSON object.</param>
    /// <param name="id">The id when the object is keyed by it (tokenizer_config's <c>added_tokens_decoder</c>), else read from "id".</param>
    /// <param name="file">The file, for errors.</param>
    /// <param name="field">Where the object is in the file, for errors.</param>
    /// <param name="code">The error code for a malformed object.</param>
    public static AddedToken Read(JsonElement entry, int? id, string file, string field, string code)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw JsonFields.WrongType(file, field, "an object", entry, code);
        }

        int tokenId = id
            ?? JsonFields.GetInt32(entry, "id", file, $"{field}.id", code)
            ?? throw new LoraException(code, $"'{field}' in '{Path.GetFileName(file)}' has no 'id'.", file);
        string content = JsonFields.GetString(entry, "content", file, $"{field}.content", code) is { Length: > 0 } text
            ? text
            : throw new LoraException(code, $"'{field}' in '{Path.GetFileName(file)}' has no 'content'.", file);
        if (tokenId < 0)
        {
            throw new LoraException(code, $"'{field}' in '{Path.GetFileName(file)}' has a negative id {tokenId}.", file);
        }

        return new AddedToken(
            tokenId,
            content,
            IsSpecial: Flag(entry, "special", file, field, code),
            LeftStrip: Flag(entry, "lstrip", file, field, code),
            RightStrip: Flag(entry, "rstrip", file, field, code),
            SingleWord: Flag(entry, "single_word", file, field, code));
    }

    private static bool Flag(JsonElement entry, string name, string file, string field, string code) =>
        JsonFields.GetBoolean(entry, name, file, $"{field}.{name}", code) ?? false;
}
