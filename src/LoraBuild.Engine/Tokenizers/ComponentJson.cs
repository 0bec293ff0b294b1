using System.Text.Json;
using System.Text.RegularExpressions;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>Reading the <c>{"type": …}</c> objects that tokenizer.json's pipeline components are written as.</summary>
internal static class ComponentJson
{
    public static string GetType(JsonElement definition, string file, string component) =>
        definition.ValueKind == JsonValueKind.Object
            ? JsonFields.GetString(definition, "type", file, $"{component}.type", TokenizerErrorCodes.InvalidTokenizerDefinition)
                ?? throw new LoraException(TokenizerErrorCodes.InvalidTokenizerDefinition, $"A {component} in '{Path.GetFileName(file)}' has no 'type'.", file)
            : throw JsonFields.WrongType(file, component, "an object", definition, TokenizerErrorCodes.InvalidTokenizerDefinition);

    public static JsonElement.ArrayEnumerator GetArray(JsonElement definition, string name, string file, string component) =>
        JsonFields.TryGet(definition, name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : throw new LoraException(TokenizerErrorCodes.InvalidTokenizerDefinition, $"The {component} Sequence in '{Path.GetFileName(file)}' needs an array '{name}'.", file);

    public static string GetRequiredString(JsonElement definition, string name, string file, string component) =>
        JsonFields.GetString(definition, name, file, $"{component}.{name}", TokenizerErrorCodes.InvalidTokenizerDefinition)
            ?? throw new LoraException(TokenizerErrorCodes.InvalidTokenizerDefinition, $"The {component} in '{Path.GetFileName(file)}' needs '{name}'.", file);

    /// <summary>Reads the <c>{"String": …}</c> or <c>{"Regex": …}</c> pattern of a Replace or Split component as a regex.</summary>
    public static Regex ReadPattern(JsonElement definition, string file, string component)
    {
        if (!JsonFields.TryGet(definition, "pattern", out var pattern) || pattern.ValueKind != JsonValueKind.Object)
        {
            throw new LoraException(TokenizerErrorCodes.InvalidTokenizerDefinition, $"The {component} in '{Path.GetFileName(file)}' needs a 'pattern' object.", file);
        }

        if (JsonFields.GetString(pattern, "String", file, $"{component}.pattern.String", TokenizerErrorCodes.InvalidTokenizerDefinition) is string literal)
        {
            return new Regex(Regex.Escape(literal), RegexOptions.CultureInvariant);
        }

        if (JsonFields.GetString(pattern, "Regex", file, $"{component}.pattern.Regex", TokenizerErrorCodes.InvalidTokenizerDefinition) is string expression)
        {
            try
            {
                return new Regex(expression, RegexOptions.CultureInvariant | RegexOptions.Compiled);
            }
            catch (ArgumentException e)
            {
                throw new LoraException(TokenizerErrorCodes.UnsupportedComponent, $"The {component} regex '{expression}' in '{Path.GetFileName(file)}' is not a valid .NET regular expression: {e.Message}", file, e);
            }
        }

        throw new LoraException(TokenizerErrorCodes.InvalidTokenizerDefinition, $"The {component} pattern in '{Path.GetFileName(file)}' must have 'String' or 'Regex'.", file);
    }

    public static Func<string, string> ReadReplace(JsonElement definition, string file, string component)
    {
        Regex pattern = ReadPattern(definition, file, component);
        string content = GetRequiredString(definition, "content", file, component);
        return text => pattern.Replace(text, content.Replace("$", "$$", StringComparison.Ordinal));
    }

    public static LoraException Unsupported(string file, string component, string type) =>
        new(TokenizerErrorCodes.UnsupportedComponent, $"The {component} '{type}' in '{Path.GetFileName(file)}' is not supported.", file);
}
