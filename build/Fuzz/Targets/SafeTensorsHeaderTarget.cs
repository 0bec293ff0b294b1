using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using LoraBuild.Engine.SafeTensors;
using LoraBuild.Fuzz.Mutation;

namespace LoraBuild.Fuzz.Targets;

/// <summary>
/// The safetensors header (length prefix and JSON) of the tiny model. The seed's tensor data is not part of the input
/// but is taken to follow it, so that the offsets the header declares are checked against the real data size.
/// </summary>
internal sealed class SafeTensorsHeaderTarget : FuzzTarget
{
    private byte[] _seed = [];
    private JsonNode? _document;
    private string[] _keys = [];
    private long _dataLength;

    public override string Name => "safetensors-header";

    public override IReadOnlyList<byte[]> Seeds => [_seed];

    public override void Prepare(SeedFiles seeds, string scratch)
    {
        var path = Path.Combine(seeds.Root, "examples", "models", "tiny", "model.safetensors");
        using var file = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        _seed = new byte[8 + headerLength];
        file.Position = 0;
        file.ReadExactly(_seed);
        _dataLength = file.Length - _seed.Length;
        _document = JsonMutator.TryParse(Encoding.UTF8.GetString(_seed, 8, headerLength));
        _keys = [.. JsonMutator.PropertyNames(_document).Distinct().Take(64)];
    }

    public override byte[] Mutate(SplitMix64 random)
    {
        if (_document is null || random.Chance(2))
        {
            return base.Mutate(random);
        }

        var json = Encoding.UTF8.GetBytes(JsonMutator.Mutate(random, _document, _keys));
        var input = new byte[8 + json.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(input, (ulong)json.Length);
        json.CopyTo(input, 8);
        return input;
    }

    public override void Execute(byte[] input)
    {
        const string location = "fuzz.safetensors";
        var prefix = input.AsSpan(0, Math.Min(input.Length, SafeTensorsHeaderParser.PrefixLength));
        var headerLength = SafeTensorsHeaderParser.ParseHeaderLength(prefix, input.Length, location);
        var header = input.AsSpan(SafeTensorsHeaderParser.PrefixLength, (int)headerLength);
        var dataSectionLength = input.Length - SafeTensorsHeaderParser.PrefixLength - headerLength + _dataLength;
        SafeTensorsHeaderParser.Parse(header, dataSectionLength, location);
    }
}
