namespace LoraBuild.Core.Tokenizers;

/// <summary>A trained byte-level BPE vocabulary: tokens in id order, merges in rank order, special tokens last.</summary>
public sealed record BpeVocabulary(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<(string Left, string Right)> Merges,
    IReadOnlyList<string> SpecialTokens)
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
