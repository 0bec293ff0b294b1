namespace LoraBuild.Engine.Tokenizers;

/// <summary>Encodes plain text (no added tokens in it) with a tokenizer's normalizer, pre-tokenizer and model.</summary>
internal interface ITextSegmentEncoder
{
    /// <param name="text">Text between two added tokens.</param>
    /// <param name="startsInput">True when the text is at the very start of the input.</param>
    /// <param name="ids">Receives the ids.</param>
    void Encode(string text, bool startsInput, List<int> ids);
}
