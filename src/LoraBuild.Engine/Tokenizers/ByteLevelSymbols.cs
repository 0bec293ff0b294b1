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

    /// <summary>The bytes a vocabulary entry stands for; a symbol outside the alphabet stands for its own UTF-8.</summary>
    public static byte[] Decode(string token)
    {
        var bytes = new List<byte>(token.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (char symbol in token)
        {
            if (s_symbolToByte.TryGetValue(symbol, out byte value))
            {
                bytes.Add(value);
            }
            else
            {
                int written = Encoding.UTF8.GetBytes([symbol], utf8);
                bytes.AddRange(utf8[..written]);
            }
        }

        return [.. bytes];
    }
}
