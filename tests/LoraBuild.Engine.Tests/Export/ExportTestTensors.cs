using LoraBuild.Engine.SafeTensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Export;

/// <summary>What the GGUF export tests compare with: safetensors values, llama.cpp's q/k row order, and tampered weight files.</summary>
internal static class ExportTestTensors
{
    /// <summary>Every tensor of a safetensors file or model folder, as float32 values with their shapes.</summary>
    public static Dictionary<string, (long[] Shape, float[] Values)> Read(string fileOrModelDirectory)
    {
        using var reader = Directory.Exists(fileOrModelDirectory) ? SafeTensorsModel.Open(fileOrModelDirectory) : SafeTensorsReader.Open(fileOrModelDirectory);
        var tensors = new Dictionary<string, (long[] Shape, float[] Values)>(StringComparer.Ordinal);
        foreach (var info in reader.Tensors)
        {
            using var tensor = reader.LoadTensor(info.Name, ScalarType.Float32);
            using var contiguous = tensor.contiguous();
            tensors[info.Name] = ([.. info.Shape], contiguous.data<float>().ToArray());
        }

        return tensors;
    }

    /// <summary>
    /// llama.cpp's converter's <c>permute</c> (reshape to [heads, 2, d/2, columns], swap the middle axes), written as a
    /// gather independently of <see cref="Core.Export.RotaryPermutation"/>: row r of head h takes the row that holds
    /// half r % 2, element (r % d) / 2 of that head.
    /// </summary>
    public static float[] ToLlamaCppRows(float[] values, int rows, int columns, int heads)
    {
        var headWidth = rows / heads;
        var result = new float[values.Length];
        for (var row = 0; row < rows; row++)
        {
            var head = row / headWidth;
            var withinHead = row % headWidth;
            var source = head * headWidth + (withinHead % 2) * (headWidth / 2) + withinHead / 2;
            for (var column = 0; column < columns; column++)
            {
                result[row * columns + column] = values[source * columns + column];
            }
        }

        return result;
    }

    /// <summary>Rewrites a safetensors file with one more tensor of the given shape.</summary>
    public static void AddTensor(string safetensorsPath, string name, params long[] shape)
    {
        var tensors = Read(safetensorsPath).ToDictionary(pair => pair.Key, pair => tensor(pair.Value.Values, pair.Value.Shape), StringComparer.Ordinal);
        tensors[name] = tensor(Enumerable.Repeat(0.5f, (int)shape.Aggregate(1L, (product, extent) => product * extent)).ToArray(), shape);
        try
        {
            SafeTensorsWriter.Write(safetensorsPath, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        }
        finally
        {
            foreach (var value in tensors.Values)
            {
                value.Dispose();
            }
        }
    }
}
