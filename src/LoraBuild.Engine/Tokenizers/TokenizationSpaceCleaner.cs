using System.Text;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// transformers' <c>clean_up_tokenization</c>, applied to decoded text when <c>tokenizer_config.json</c> sets
/// <c>clean_up_tokenization_spaces</c>: the space before <c>.</c> <c>?</c> <c>!</c> <c>,</c> and English contractions
/// goes. The replacements run in transformers' order over the whole text.
/// </summary>
internal static class TokenizationSpaceCleaner
{
    /// <summary>The longest pattern less one: text this close to the end may still change when more text comes.</summary>
    public const int UnsettledTail = 3;

    private static readonly (string Pattern, string Replacement)[] s_replacements =
    [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"),
        (" n't", "n't"), (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ];

    public static string Clean(string text)
    {
        var builder = new StringBuilder(text);
        foreach (var (pattern, replacement) in s_replacements)
        {
            builder.Replace(pattern, replacement);
        }

        return builder.ToString();
    }
}
