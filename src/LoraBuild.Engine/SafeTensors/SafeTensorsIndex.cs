namespace LoraBuild.Engine.SafeTensors;

/// <summary>The parsed <c>model.safetensors.index.json</c> of a sharded checkpoint.</summary>
public sealed class SafeTensorsIndex
{
    /// <summary>The conventional file name of the index.</summary>
    public const string FileName = "model.safetensors.index.json";

    internal SafeTensorsIndex(IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, string> weightMap)
    {
        Metadata = metadata;
        WeightMap = weightMap;
        ShardFiles = [.. weightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The <c>metadata</c> object; string values as they are, other values (such as <c>total_size</c>) as their JSON text.
    /// Empty when the index has none.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensor name → shard file name, relative to the index's directory.</summary>
    public IReadOnlyDictionary<string, string> WeightMap { get; }

    /// <summary>The distinct shard file names, in ordinal order.</summary>
    public IReadOnlyList<string> ShardFiles { get; }
}
