using System.Text;
using LoraBuild.Engine.Tokenizers.Normalization;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// The NFC, NFD, NFKC and NFKD normalizers of tokenizer.json, as Hugging Face's Rust tokenizers apply them: any text is
/// accepted (noncharacters and lone surrogates stay as they are), and the character data is Unicode 9.0's, that of
/// their crate unicode-normalization-alignments, so characters assigned since (new combining marks, new composites)
/// are left unchanged as they are there. Never ICU: the result is the same under invariant globalization.
/// </summary>
internal static class UnicodeNormalization
{
    public static string Normalize(string text, NormalizationForm form) => UnicodeNormalizer.Unicode9.Normalize(text, form);
}
