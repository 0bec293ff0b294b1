using System.Buffers.Binary;

namespace LoraBuild.Fuzz.Mutation;

/// <summary>AFL-style byte edits: flips, interesting values, inserts, deletes, duplications and splices with another seed.</summary>
internal static class ByteMutator
{
    private static readonly long[] s_interesting =
        [0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue, 1L << 40];

    /// <summary>Applies one to eight random edits to a copy of <paramref name="input"/>.</summary>
    public static byte[] Mutate(SplitMix64 random, byte[] input, IReadOnlyList<byte[]> splicePartners)
    {
        var bytes = new List<byte>(input);
        var edits = 1 + random.Below(8);
        for (var i = 0; i < edits; i++)
        {
            Edit(random, bytes, splicePartners);
        }

        return [.. bytes];
    }

    private static void Edit(SplitMix64 random, List<byte> bytes, IReadOnlyList<byte[]> splicePartners)
    {
        var position = random.Below(bytes.Count + 1);
        switch (random.Below(8))
        {
            case 0 when bytes.Count > 0:
                position = random.Below(bytes.Count);
                bytes[position] ^= (byte)(1 << random.Below(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[random.Below(bytes.Count)] = (byte)random.Next();
                break;
            case 2:
                OverwriteInteger(random, bytes);
                break;
            case 3:
                bytes.InsertRange(position, RandomBytes(random, 1 + random.Below(16)));
                break;
            case 4 when bytes.Count > 0:
                var start = random.Below(bytes.Count);
                bytes.RemoveRange(start, Math.Min(bytes.Count - start, 1 + random.Below(64)));
                break;
            case 5 when bytes.Count > 0:
                var from = random.Below(bytes.Count);
                var length = Math.Min(bytes.Count - from, 1 + random.Below(256));
                bytes.InsertRange(position, bytes.GetRange(from, length));
                break;
            case 6 when splicePartners.Count > 0:
                Splice(random, bytes, random.Pick(splicePartners));
                break;
            default:
                if (bytes.Count > 0)
                {
                    bytes.RemoveRange(position == bytes.Count ? position - 1 : position, 1);
                }

                break;
        }
    }

    private static void OverwriteInteger(SplitMix64 random, List<byte> bytes)
    {
        var width = random.Pick<int>([1, 2, 4, 8]);
        if (bytes.Count < width)
        {
            return;
        }

        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(value, random.Pick(s_interesting));
        var at = random.Below(bytes.Count - width + 1);
        for (var i = 0; i < width; i++)
        {
            bytes[at + i] = value[i];
        }
    }

    private static void Splice(SplitMix64 random, List<byte> bytes, byte[] partner)
    {
        if (partner.Length == 0)
        {
            return;
        }

        var cut = random.Below(bytes.Count + 1);
        var from = random.Below(partner.Length);
        bytes.RemoveRange(cut, bytes.Count - cut);
        bytes.AddRange(partner.AsSpan(from).ToArray());
    }

    private static byte[] RandomBytes(SplitMix64 random, int count)
    {
        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            bytes[i] = (byte)random.Next();
        }

        return bytes;
    }
}
