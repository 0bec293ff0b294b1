using System.Text;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// The GPT-2 byte-to-character table that byte-level BPE vocabularies are written in: printable Latin-1 bytes stand
/// for themselves, the other 68 bytes (controls, space, …) are shifted to U+0100 and up, so that a space is 'Ġ'.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] s_byteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> s_charToByte = BuildCharToByte(s_byteToChar);

    public static char ToChar(byte value) => s_byteToChar[value];

    public static bool TryToByte(char symbol, out byte value) => s_charToByte.TryGetValue(symbol, out value);

    /// <summary>Writes the UTF-8 bytes of <paramref name="text"/> as byte-level symbols, the form vocabulary keys have.</summary>
    public static string Encode(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        return string.Create(utf8.Length, utf8, static (chars, bytes) =>
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[i] = s_byteToChar[bytes[i]];
            }
        });
    }

    /// <summary>The bytes a byte-level vocabulary entry stands for; a symbol outside the table stands for its own UTF-8.</summary>
    public static byte[] Decode(string token)
    {
        var bytes = new List<byte>(token.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (char symbol in token)
        {
            if (s_charToByte.TryGetValue(symbol, out byte value))
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

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        int shifted = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)(256 + shifted++);
        }

        return table;
    }

    private static Dictionary<char, byte> BuildCharToByte(char[] byteToChar)
    {
        var map = new Dictionary<char, byte>(256);
        for (int b = 0; b < byteToChar.Length; b++)
        {
            map[byteToChar[b]] = (byte)b;
        }

        return map;
    }
}
