namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// A token matched as a whole in the input text before any normalization or BPE, as listed in <c>added_tokens</c>
/// (tokenizer.json) or <c>added_tokens_decoder</c> (tokenizer_config.json).
/// </summary>
/// <param name="Id">The token id.</param>
/// <param name="Content">The exact text the token stands for.</param>
/// <param name="IsSpecial">Special tokens (bos, eos, chat markers) are left out when decoding with <c>skipSpecialTokens</c>.</param>
/// <param name="LeftStrip">The match also swallows the whitespace before it.</param>
/// <param name="RightStrip">The match also swallows the whitespace after it.</param>
/// <param name="SingleWord">The token only matches when it is not inside a word.</param>
internal sealed record AddedToken(
    int Id,
    string Content,
    bool IsSpecial,
    bool LeftStrip = false,
    bool RightStrip = false,
    bool SingleWord = false);
