namespace LoraBuild.Core.Tokenizers;

/// <summary>A trained byte-level BPE vocabulary: tokens in id order, merges in rank order, special tokens last.</summary>
/// <param name="SplitDigits">Whether every digit is pre-tokenized on its own (as Llama and SmolLM do), so no token holds a digit with anything else.</param>
public sealed record BpeVocabulary(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<(string Left, string Right)> Merges,
    IReadOnlyList<string> SpecialTokens,
    bool SplitDigits = false)
{
    public int IdOf(string token)
    {
        for (var i = 0; i < Tokens.Count; i++)
        {
            if (Tokens[i] == token)
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"'{token}' is not in the vocabulary.");
    }
}
