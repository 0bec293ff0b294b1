namespace LoraBuild.Core.Tokenizers;

/// <summary>
/// GPT-2's reversible map from the 256 byte values to printable characters, which byte-level BPE
/// vocabularies (GPT-2, Llama 3, Qwen2, SmolLM) are written in.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] s_byteToChar = BuildByteToChar();

    public static char ForByte(byte value) => s_byteToChar[value];

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = s_byteToChar[bytes[i]];
        }

        return new string(chars);
    }

    private static char[] BuildByteToChar()
    {
        // Printable Latin-1 bytes stand for themselves; the rest (controls, space, …) move to 256 and up, in byte order.
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }
}
