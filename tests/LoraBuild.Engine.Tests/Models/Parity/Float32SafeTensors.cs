using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models.Parity;

/// <summary>
/// Just enough of the safetensors format for the parity fixtures, which the reference script writes in float32:
/// an 8-byte little-endian header length, a JSON table of dtype/shape/offsets, then the raw data.
/// </summary>
internal static class Float32SafeTensors
{
    public static Dictionary<string, Tensor> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var dataStart = 8 + headerLength;

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in header.RootElement.EnumerateObject().Where(entry => entry.Name != "__metadata__"))
        {
            var dtype = entry.Value.GetProperty("dtype").GetString();
            if (dtype != "F32")
            {
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' is {dtype}; the parity fixtures are written in F32.");
            }

            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(dimension => dimension.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(offset => offset.GetInt32()).ToArray();
            var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(dataStart + offsets[0], offsets[1] - offsets[0])).ToArray();
            tensors[entry.Name] = tensor(values, shape).DetachFromDisposeScope();
        }

        return tensors;
    }

    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var header = new JsonObject();
        var data = new MemoryStream();
        foreach (var (name, value) in tensors.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var values = value.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
            var begin = data.Length;
            data.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray([.. value.shape.Select(dimension => JsonValue.Create(dimension))]),
                ["data_offsets"] = new JsonArray(begin, data.Length),
            };
        }

        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
        file.Write(length);
        file.Write(headerBytes);
        data.Position = 0;
        data.CopyTo(file);
    }
}
