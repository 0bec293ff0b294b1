using System.Text;

namespace LoraBuild.Engine.Tests.Tokenizers;

/// <summary>
/// Writes a tiny SentencePiece <c>tokenizer.model</c> by hand, field by field, in protobuf wire format:
/// ModelProto { pieces = 1, trainer_spec = 2, normalizer_spec = 3 }, SentencePiece { piece = 1, score = 2, type = 3 }.
/// </summary>
internal static class SentencePieceModelWriter
{
    public const int Normal = 1;
    public const int Unknown = 2;
    public const int Control = 3;
    public const int Byte = 6;

    private const int ModelTypeBpe = 2;

    public static byte[] Write(IReadOnlyList<(string Piece, float Score, int Type)> pieces, bool byteFallback)
    {
        using var model = new MemoryStream();
        foreach (var (piece, score, type) in pieces)
        {
            using var entry = new MemoryStream();
            WriteString(entry, 1, piece);
            WriteFloat(entry, 2, score);
            WriteVarintField(entry, 3, type);
            WriteMessage(model, 1, entry);
        }

        using var trainer = new MemoryStream();
        WriteVarintField(trainer, 3, ModelTypeBpe);
        WriteVarintField(trainer, 4, pieces.Count);
        WriteVarintField(trainer, 35, byteFallback ? 1 : 0);
        WriteVarintField(trainer, 40, 0); // unk_id
        WriteVarintField(trainer, 41, 1); // bos_id
        WriteVarintField(trainer, 42, 2); // eos_id
        WriteMessage(model, 2, trainer);

        using var normalizer = new MemoryStream();
        WriteString(normalizer, 1, "identity");
        WriteVarintField(normalizer, 3, 1); // add_dummy_prefix
        WriteVarintField(normalizer, 4, 0); // remove_extra_whitespaces
        WriteVarintField(normalizer, 5, 1); // escape_whitespaces
        WriteMessage(model, 3, normalizer);

        return model.ToArray();
    }

    private static void WriteTag(Stream stream, int field, int wireType) => WriteVarint(stream, (ulong)((field << 3) | wireType));

    private static void WriteVarintField(Stream stream, int field, long value)
    {
        WriteTag(stream, field, 0);
        WriteVarint(stream, (ulong)value);
    }

    private static void WriteFloat(Stream stream, int field, float value)
    {
        WriteTag(stream, field, 5);
        stream.Write(BitConverter.GetBytes(value)); // little-endian, as protobuf's fixed32
    }

    private static void WriteString(Stream stream, int field, string value) => WriteLengthDelimited(stream, field, Encoding.UTF8.GetBytes(value));

    private static void WriteMessage(Stream stream, int field, MemoryStream message) => WriteLengthDelimited(stream, field, message.ToArray());

    private static void WriteLengthDelimited(Stream stream, int field, byte[] bytes)
    {
        WriteTag(stream, field, 2);
        WriteVarint(stream, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}
