using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// The ids a single sequence is wrapped in when special tokens are added (<c>&lt;s&gt; $A</c> for Llama 2,
/// <c>&lt;|begin_of_text|&gt; $A</c> for Llama 3), read from the <c>post_processor</c> of tokenizer.json.
/// </summary>
internal sealed record SpecialTokenTemplate(IReadOnlyList<int> Prefix, IReadOnlyList<int> Suffix)
{
    private const string Component = "post_processor";

    public static SpecialTokenTemplate Empty { get; } = new([], []);

    /// <summary>Reads the post-processor; <see langword="null"/> when the file has none.</summary>
    public static SpecialTokenTemplate? FromJson(JsonElement definition, string file)
    {
        if (JsonFields.IsAbsent(definition))
        {
            return null;
        }

        string type = ComponentJson.GetType(definition, file, Component);
        switch (type)
        {
            case "ByteLevel":
                return Empty;
            case "TemplateProcessing":
                return ReadTemplate(definition, file);
            case "RobertaProcessing" or "BertProcessing":
                return new SpecialTokenTemplate([ReadTokenPairId(definition, "cls", file)], [ReadTokenPairId(definition, "sep", file)]);
            case "Sequence":
                var prefix = new List<int>();
                var suffix = new List<int>();
                foreach (var inner in ComponentJson.GetArray(definition, "processors", file, Component))
                {
                    var template = FromJson(inner, file) ?? Empty;
                    prefix.AddRange(template.Prefix);
                    suffix.AddRange(template.Suffix);
                }

                return new SpecialTokenTemplate(prefix, suffix);
            default:
                throw ComponentJson.Unsupported(file, Component, type);
        }
    }

    private static SpecialTokenTemplate ReadTemplate(JsonElement definition, string file)
    {
        if (!JsonFields.TryGet(definition, "single", out var single) || single.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(file, "TemplateProcessing needs a 'single' array");
        }

        var prefix = new List<int>();
        var suffix = new List<int>();
        bool sequenceSeen = false;
        foreach (var item in single.EnumerateArray())
        {
            if (JsonFields.TryGet(item, "Sequence", out _))
            {
                sequenceSeen = true;
            }
            else if (JsonFields.TryGet(item, "SpecialToken", out var special))
            {
                string name = JsonFields.GetString(special, "id", file, "post_processor.single.SpecialToken.id", TokenizerErrorCodes.InvalidTokenizerDefinition)
                    ?? throw Invalid(file, "a SpecialToken in TemplateProcessing has no 'id'");
                (sequenceSeen ? suffix : prefix).AddRange(LookUpSpecialTokenIds(definition, name, file));
            }
            else
            {
                throw Invalid(file, "TemplateProcessing 'single' items must be 'Sequence' or 'SpecialToken'");
            }
        }

        return new SpecialTokenTemplate(prefix, suffix);
    }

    private static List<int> LookUpSpecialTokenIds(JsonElement definition, string name, string file)
    {
        if (!JsonFields.TryGet(definition, "special_tokens", out var table)
            || !JsonFields.TryGet(table, name, out var entry)
            || !JsonFields.TryGet(entry, "ids", out var ids)
            || ids.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(file, $"TemplateProcessing uses '{name}' but 'special_tokens' gives no ids for it");
        }

        return ids.EnumerateArray().Select(id => JsonFields.ToInt32(id, file, $"post_processor.special_tokens.{name}.ids", TokenizerErrorCodes.InvalidTokenizerDefinition)).ToList();
    }

    private static int ReadTokenPairId(JsonElement definition, string name, string file)
    {
        if (!JsonFields.TryGet(definition, name, out var pair) || pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
        {
            throw Invalid(file, $"'{name}' must be a [token, id] pair");
        }

        return JsonFields.ToInt32(pair[1], file, $"post_processor.{name}", TokenizerErrorCodes.InvalidTokenizerDefinition);
    }

    private static LoraException Invalid(string file, string message) =>
        new(TokenizerErrorCodes.InvalidTokenizerDefinition, $"The post_processor in '{Path.GetFileName(file)}' is malformed: {message}.", file);
}
