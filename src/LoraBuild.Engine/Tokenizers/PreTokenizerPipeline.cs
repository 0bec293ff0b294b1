using System.Text.Json;
using System.Text.RegularExpressions;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// The <c>pre_tokenizer</c> of tokenizer.json: cuts normalized text into the words BPE merges within. Supported:
/// <c>Sequence</c>, <c>Split</c> (the Llama 3 / Qwen2 regexes), <c>Digits</c>, <c>Punctuation</c>, <c>Whitespace</c>,
/// <c>WhitespaceSplit</c>, <c>ByteLevel</c> and <c>Metaspace</c>.
/// Turning text into byte-level symbols is left to the BPE model (<see cref="UsesByteLevel"/>).
/// </summary>
internal sealed class PreTokenizerPipeline
{
    /// <summary>The pattern GPT-2's <c>ByteLevel</c> pre-tokenizer splits with when <c>use_regex</c> is true.</summary>
    internal const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly Regex s_gpt2Regex = new(Gpt2Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);

    // Rust's char::is_ascii_punctuation also counts ASCII symbols such as $ + < = > ^ ` | ~.
    private static readonly Regex s_punctuation = new(@"[\p{P}!-/:-@\[-`{-~]", RegexOptions.CultureInvariant);
    private static readonly Regex s_wordsOrSymbols = new(@"\w+|[^\w\s]+", RegexOptions.CultureInvariant);
    private static readonly Regex s_whitespace = new(@"\s+", RegexOptions.CultureInvariant);

    /// <summary>One step: turns a piece into pieces; the flag says whether the piece starts the whole input.</summary>
    private delegate IEnumerable<string> Step(string piece, bool startsInput);

    private readonly IReadOnlyList<Step> _steps;

    private PreTokenizerPipeline(IReadOnlyList<Step> steps, bool usesByteLevel)
    {
        _steps = steps;
        UsesByteLevel = usesByteLevel;
    }

    /// <summary>True when a <c>ByteLevel</c> step is present: BPE then works on UTF-8 bytes written as GPT-2 symbols.</summary>
    public bool UsesByteLevel { get; }

    /// <summary>Cuts a normalized piece of input into words.</summary>
    /// <param name="text">The normalized text between two added tokens.</param>
    /// <param name="startsInput">True when the text is at the very start of the input (Metaspace <c>prepend_scheme: first</c>).</param>
    public List<string> Split(string text, bool startsInput)
    {
        var pieces = new List<string> { text };
        foreach (var step in _steps)
        {
            var next = new List<string>(pieces.Count);
            for (int i = 0; i < pieces.Count; i++)
            {
                next.AddRange(step(pieces[i], startsInput && i == 0));
            }

            pieces = next;
        }

        pieces.RemoveAll(piece => piece.Length == 0);
        return pieces;
    }

    public static PreTokenizerPipeline FromJson(JsonElement definition, string file)
    {
        var steps = new List<Step>();
        bool usesByteLevel = false;
        if (!JsonFields.IsAbsent(definition))
        {
            AddSteps(definition, file, steps, ref usesByteLevel);
        }

        return new PreTokenizerPipeline(steps, usesByteLevel);
    }

    private static void AddSteps(JsonElement definition, string file, List<Step> steps, ref bool usesByteLevel)
    {
        const string Component = "pre_tokenizer";
        string type = ComponentJson.GetType(definition, file, Component);
        switch (type)
        {
            case "Sequence":
                foreach (var inner in ComponentJson.GetArray(definition, "pretokenizers", file, Component))
                {
                    AddSteps(inner, file, steps, ref usesByteLevel);
                }

                break;
            case "Split":
                steps.Add(ReadSplit(definition, file));
                break;
            case "Digits":
                bool individual = ReadFlag(definition, "individual_digits", false, file);
                var digits = new Regex(individual ? @"\p{N}" : @"\p{N}+", RegexOptions.CultureInvariant);
                steps.Add((piece, _) => RegexSplitter.Split(piece, digits, SplitBehavior.Isolated));
                break;
            case "Punctuation":
                var behavior = ReadBehavior(definition, file);
                steps.Add((piece, _) => RegexSplitter.Split(piece, s_punctuation, behavior));
                break;
            case "Whitespace":
                steps.Add((piece, _) => RegexSplitter.Split(piece, s_wordsOrSymbols, SplitBehavior.Removed, invert: true));
                break;
            case "WhitespaceSplit":
                steps.Add((piece, _) => RegexSplitter.Split(piece, s_whitespace, SplitBehavior.Removed));
                break;
            case "ByteLevel":
                usesByteLevel = true;
                steps.Add(ReadByteLevel(definition, file));
                break;
            case "Metaspace":
                steps.Add(ReadMetaspace(definition, file));
                break;
            default:
                throw ComponentJson.Unsupported(file, Component, type);
        }
    }

    private static Step ReadSplit(JsonElement definition, string file)
    {
        Regex pattern = ComponentJson.ReadPattern(definition, file, "pre_tokenizer Split");
        var behavior = ReadBehavior(definition, file);
        bool invert = ReadFlag(definition, "invert", false, file);
        return (piece, _) => RegexSplitter.Split(piece, pattern, behavior, invert);
    }

    private static SplitBehavior ReadBehavior(JsonElement definition, string file)
    {
        string name = JsonFields.GetString(definition, "behavior", file, "pre_tokenizer.behavior", TokenizerErrorCodes.InvalidTokenizerDefinition) ?? nameof(SplitBehavior.Isolated);
        return Enum.TryParse(name, ignoreCase: false, out SplitBehavior behavior) && Enum.IsDefined(behavior)
            ? behavior
            : throw new LoraException(TokenizerErrorCodes.UnsupportedComponent, $"The split behavior '{name}' in '{Path.GetFileName(file)}' is not supported.", file);
    }

    private static Step ReadByteLevel(JsonElement definition, string file)
    {
        bool addPrefixSpace = ReadFlag(definition, "add_prefix_space", true, file);
        bool useRegex = ReadFlag(definition, "use_regex", true, file);
        return (piece, _) =>
        {
            if (addPrefixSpace && !piece.StartsWith(' '))
            {
                piece = " " + piece;
            }

            return useRegex ? RegexSplitter.Split(piece, s_gpt2Regex, SplitBehavior.Isolated) : [piece];
        };
    }

    private static Step ReadMetaspace(JsonElement definition, string file)
    {
        string replacementText = JsonFields.GetString(definition, "replacement", file, "pre_tokenizer.replacement", TokenizerErrorCodes.InvalidTokenizerDefinition) ?? "\u2581";
        if (replacementText.Length != 1)
        {
            throw new LoraException(TokenizerErrorCodes.InvalidTokenizerDefinition, $"The Metaspace replacement in '{Path.GetFileName(file)}' must be one character.", file);
        }

        char replacement = replacementText[0];
        string scheme = ReadPrependScheme(definition, file, "pre_tokenizer");
        bool split = ReadFlag(definition, "split", true, file);
        var delimiter = new Regex(Regex.Escape(replacementText), RegexOptions.CultureInvariant);
        return (piece, startsInput) =>
        {
            piece = piece.Replace(' ', replacement);
            bool prepend = scheme == "always" || (scheme == "first" && startsInput);
            if (prepend && !piece.StartsWith(replacement))
            {
                piece = replacementText + piece;
            }

            return split ? RegexSplitter.Split(piece, delimiter, SplitBehavior.MergedWithNext) : [piece];
        };
    }

    /// <summary>Reads Metaspace's <c>prepend_scheme</c> ("always", "first", "never") or its older <c>add_prefix_space</c> flag.</summary>
    internal static string ReadPrependScheme(JsonElement definition, string file, string component)
    {
        string? scheme = JsonFields.GetString(definition, "prepend_scheme", file, $"{component}.prepend_scheme", TokenizerErrorCodes.InvalidTokenizerDefinition);
        if (scheme is null)
        {
            bool addPrefixSpace = JsonFields.GetBoolean(definition, "add_prefix_space", file, $"{component}.add_prefix_space", TokenizerErrorCodes.InvalidTokenizerDefinition) ?? true;
            return addPrefixSpace ? "always" : "never";
        }

        return scheme is "always" or "first" or "never"
            ? scheme
            : throw new LoraException(TokenizerErrorCodes.UnsupportedComponent, $"The Metaspace prepend_scheme '{scheme}' in '{Path.GetFileName(file)}' is not supported.", file);
    }

    private static bool ReadFlag(JsonElement definition, string name, bool defaultValue, string file) =>
        JsonFields.GetBoolean(definition, name, file, $"pre_tokenizer.{name}", TokenizerErrorCodes.InvalidTokenizerDefinition) ?? defaultValue;
}
