using LoraBuild.Core.Gguf;

namespace LoraBuild.Engine.Tests.Export;

/// <summary>Copies a GGUF file with some metadata dropped or some tensors changed: how the tests break an export on purpose.</summary>
internal static class GgufRewriter
{
    public static string MapTensors(string source, string target, Func<GgufTensorInfo, float[], float[]> map)
    {
        var file = GgufReader.Read(source);
        var tensors = file.Tensors
            .Select(info => new GgufTensor(info.Name, info.Shape, info.Type, () => GgmlEncoding.Encode(map(info, file.ReadFloats(info)), info.Type)))
            .ToList();
        GgufWriter.Write(target, file.Metadata, tensors);
        return target;
    }

    public static string MapMetadata(string source, string target, Func<KeyValuePair<string, GgufValue>, bool> keep)
    {
        var file = GgufReader.Read(source);
        var tensors = file.Tensors.Select(info => new GgufTensor(info.Name, info.Shape, info.Type, () => file.ReadBytes(info))).ToList();
        GgufWriter.Write(target, [.. file.Metadata.Where(keep)], tensors);
        return target;
    }
}
