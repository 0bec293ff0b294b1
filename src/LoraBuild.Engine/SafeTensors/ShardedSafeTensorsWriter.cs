using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using LoraBuild.Core.IO;
using static TorchSharp.torch;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// Writes a sharded checkpoint in the Hugging Face layout: <c>{baseName}-00001-of-0000N.safetensors</c> files and
/// <c>{baseName}.safetensors.index.json</c>. Shards are written first and the index last, each atomically, so a
/// complete index means complete shards. An index is written even when everything fits one shard.
/// </summary>
public static class ShardedSafeTensorsWriter
{
    private static readonly JsonWriterOptions s_indexWriterOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the checkpoint and returns the index file's path.</summary>
    /// <param name="directory">The directory to write into; created if needed.</param>
    /// <param name="tensors">Name and tensor pairs, in any order.</param>
    /// <param name="maxShardBytes">The most tensor data bytes per shard (a larger tensor gets a shard of its own).</param>
    /// <param name="metadata">The <c>__metadata__</c> of every shard; null or empty writes none.</param>
    /// <param name="baseName">The file name stem, <c>model</c> by default.</param>
    public static string Write(
        string directory,
        IEnumerable<KeyValuePair<string, Tensor>> tensors,
        long maxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null,
        string baseName = "model")
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(baseName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);

        var indexPath = Path.Combine(directory, $"{baseName}.safetensors.index.json");
        var list = tensors.ToList();

        // Validate every name and dtype before the first shard is written.
        var whole = SafeTensorsWriter.Plan(list, metadata, indexPath);
        var tensorsByName = list.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        var shards = SafeTensorsShardPlanner.Plan(whole.Tensors, maxShardBytes);

        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shards.Count; i++)
        {
            var shardFile = string.Create(CultureInfo.InvariantCulture, $"{baseName}-{i + 1:D5}-of-{shards.Count:D5}.safetensors");
            var shardPath = Path.Combine(directory, shardFile);
            var shardTensors = shards[i].Select(name => KeyValuePair.Create(name, tensorsByName[name])).ToList();
            var layout = SafeTensorsWriter.Plan(shardTensors, metadata, shardPath);
            SafeTensorsWriter.Write(shardPath, layout, tensorsByName);
            foreach (var name in shards[i])
            {
                weightMap.Add(name, shardFile);
            }
        }

        AtomicFile.Write(indexPath, stream => WriteIndex(stream, whole.DataLength, weightMap));
        return indexPath;
    }

    private static void WriteIndex(Stream stream, long totalSize, SortedDictionary<string, string> weightMap)
    {
        using (var writer = new Utf8JsonWriter(stream, s_indexWriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            writer.WriteNumber("total_size", totalSize);
            writer.WriteEndObject();
            writer.WriteStartObject("weight_map");
            foreach (var (name, shardFile) in weightMap)
            {
                writer.WriteString(name, shardFile);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }
}
