using System.Text;
using LoraBuild.Core.Tokenizers;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// Converts between text or bytes and the GPT-2 byte-level symbols (<see cref="ByteLevelAlphabet"/>) that
/// byte-level vocabulary entries are written in, e.g. a space is 'Ġ'.
/// </summary>
internal static class ByteLevelSymbols
{
    private static readonly Dictionary<char, byte> s_symbolToByte = Enumerable.Range(0, 256)
        .ToDictionary(b => ByteLevelAlphabet.ForByte((byte)b), b => (byte)b);

    /// <summary>Writes the UTF-8 bytes of <paramref name="text"/> as symbols, the form vocabulary keys have.</summary>
    public static string Encode(string text) => ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// The bytes a token stands for. A token with a character outside the alphabet (an added token such as
    /// "&lt;｜end▁of▁sentence｜&gt;") stands for its own UTF-8 as a whole, as in Hugging Face's ByteLevel decoder.
    /// </summary>
    public static byte[] Decode(string token)
    {
        var bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            if (!s_symbolToByte.TryGetValue(token[i], out bytes[i]))
            {
                return Encoding.UTF8.GetBytes(token);
            }
        }

        return bytes;
    }
}
