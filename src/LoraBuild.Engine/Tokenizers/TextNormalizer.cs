using System.Text;
using System.Text.Json;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// The <c>normalizer</c> of tokenizer.json, applied to each piece of text between added tokens. Supported:
/// <c>Sequence</c>, <c>Prepend</c>, <c>Replace</c>, <c>NFC</c>/<c>NFD</c>/<c>NFKC</c>/<c>NFKD</c>, <c>Lowercase</c>, <c>Strip</c>.
/// </summary>
internal sealed class TextNormalizer
{
    private readonly IReadOnlyList<Func<string, string>> _steps;

    private TextNormalizer(IReadOnlyList<Func<string, string>> steps) => _steps = steps;

    public static TextNormalizer None { get; } = new([]);

    public string Normalize(string text)
    {
        foreach (var step in _steps)
        {
            text = step(text);
        }

        return text;
    }

    public static TextNormalizer FromJson(JsonElement definition, string file)
    {
        var steps = new List<Func<string, string>>();
        if (!JsonFields.IsAbsent(definition))
        {
            AddSteps(definition, file, steps);
        }

        return steps.Count == 0 ? None : new TextNormalizer(steps);
    }

    private static void AddSteps(JsonElement definition, string file, List<Func<string, string>> steps)
    {
        string type = ComponentJson.GetType(definition, file, "normalizer");
        switch (type)
        {
            case "Sequence":
                foreach (var inner in ComponentJson.GetArray(definition, "normalizers", file, "normalizer"))
                {
                    AddSteps(inner, file, steps);
                }

                break;
            case "Prepend":
                string prefix = ComponentJson.GetRequiredString(definition, "prepend", file, "normalizer");
                steps.Add(text => text.Length == 0 ? text : prefix + text);
                break;
            case "Replace":
                steps.Add(ComponentJson.ReadReplace(definition, file, "normalizer"));
                break;
            case "NFC":
                steps.Add(text => UnicodeNormalization.Normalize(text, NormalizationForm.FormC));
                break;
            case "NFD":
                steps.Add(text => UnicodeNormalization.Normalize(text, NormalizationForm.FormD));
                break;
            case "NFKC":
                steps.Add(text => UnicodeNormalization.Normalize(text, NormalizationForm.FormKC));
                break;
            case "NFKD":
                steps.Add(text => UnicodeNormalization.Normalize(text, NormalizationForm.FormKD));
                break;
            case "Lowercase":
                steps.Add(text => text.ToLowerInvariant());
                break;
            case "Strip":
                bool left = JsonFields.GetBoolean(definition, "strip_left", file, "normalizer.strip_left", TokenizerErrorCodes.InvalidTokenizerDefinition) ?? true;
                bool right = JsonFields.GetBoolean(definition, "strip_right", file, "normalizer.strip_right", TokenizerErrorCodes.InvalidTokenizerDefinition) ?? true;
                steps.Add(text => (left, right) switch
                {
                    (true, true) => text.Trim(),
                    (true, false) => text.TrimStart(),
                    (false, true) => text.TrimEnd(),
                    _ => text,
                });
                break;
            default:
                throw ComponentJson.Unsupported(file, "normalizer", type);
        }
    }
}
