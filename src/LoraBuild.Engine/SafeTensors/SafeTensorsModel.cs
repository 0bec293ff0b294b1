using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>Finds and opens the weights of a model directory in the Hugging Face layout.</summary>
public static class SafeTensorsModel
{
    /// <summary>The conventional file name of single-file weights.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>
    /// The path of <c>model.safetensors</c> in <paramref name="directory"/>, or else of
    /// <c>model.safetensors.index.json</c> (the single file wins when both exist, as in transformers).
    /// </summary>
    /// <exception cref="LoraException">Neither exists (LORA2028).</exception>
    public static string FindWeights(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var single = Path.Combine(directory, SingleFileName);
        if (File.Exists(single))
        {
            return single;
        }

        var index = Path.Combine(directory, SafeTensorsIndex.FileName);
        if (File.Exists(index))
        {
            return index;
        }

        var problem = Directory.Exists(directory) ? "holds neither" : "does not exist, so it has neither";
        throw new LoraException(
            SafeTensorsErrorCodes.ModelWeightsNotFound,
            $"The model directory {problem} '{SingleFileName}' nor '{SafeTensorsIndex.FileName}'.",
            directory);
    }

    /// <summary>Opens the weights <see cref="FindWeights"/> finds, single-file or sharded.</summary>
    public static ISafeTensorsReader Open(string directory)
    {
        var path = FindWeights(directory);
        return path.EndsWith(SafeTensorsIndex.FileName, StringComparison.Ordinal)
            ? ShardedSafeTensorsReader.Open(path)
            : SafeTensorsReader.Open(path);
    }
}
