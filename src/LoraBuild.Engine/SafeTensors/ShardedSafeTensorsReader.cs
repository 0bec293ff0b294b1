using System.Diagnostics.CodeAnalysis;
using LoraBuild.Core.Diagnostics;
using static TorchSharp.torch;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// A sharded checkpoint (<c>model.safetensors.index.json</c> plus its shard files) presented as one tensor set.
/// Opening validates the index, every shard's header, and that each mapped tensor is in its shard.
/// Tensors a shard holds but the index does not map are not part of the set.
/// </summary>
public sealed class ShardedSafeTensorsReader : ISafeTensorsReader
{
    private readonly Dictionary<string, SafeTensorsReader> _shardByTensor;
    private readonly Dictionary<string, SafeTensorInfo> _infoByName;
    private readonly List<SafeTensorsReader> _shards;

    private ShardedSafeTensorsReader(
        string indexPath,
        SafeTensorsIndex index,
        List<SafeTensorsReader> shards,
        Dictionary<string, SafeTensorsReader> shardByTensor,
        Dictionary<string, SafeTensorInfo> infoByName)
    {
        IndexPath = indexPath;
        Index = index;
        _shards = shards;
        _shardByTensor = shardByTensor;
        _infoByName = infoByName;
        Tensors = [.. infoByName.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <summary>The index file's path as given to <see cref="Open"/>.</summary>
    public string IndexPath { get; }

    /// <summary>The parsed index.</summary>
    public SafeTensorsIndex Index { get; }

    /// <summary>The paths of the open shard files, in ordinal order of their names.</summary>
    public IReadOnlyList<string> ShardPaths => [.. _shards.Select(s => s.Path)];

    /// <inheritdoc />
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Metadata => Index.Metadata;

    /// <summary>Opens the index at <paramref name="indexPath"/> and every shard it names.</summary>
    /// <exception cref="LoraException">
    /// The index is missing (LORA2022) or malformed (LORA2024), a shard is missing (LORA2025), outside the index's
    /// directory (LORA2027) or invalid, or a mapped tensor is not in its shard (LORA2026).
    /// </exception>
    public static ShardedSafeTensorsReader Open(string indexPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexPath);
        var index = SafeTensorsIndexParser.Read(indexPath);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(indexPath))!;

        var shards = new List<SafeTensorsReader>();
        try
        {
            var shardByFile = new Dictionary<string, SafeTensorsReader>(StringComparer.Ordinal);
            foreach (var shardFile in index.ShardFiles)
            {
                var shard = SafeTensorsReader.Open(ResolveShardPath(indexPath, directory, shardFile));
                shards.Add(shard);
                shardByFile.Add(shardFile, shard);
            }

            var shardByTensor = new Dictionary<string, SafeTensorsReader>(StringComparer.Ordinal);
            var infoByName = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
            foreach (var (tensorName, shardFile) in index.WeightMap)
            {
                var shard = shardByFile[shardFile];
                if (!shard.TryGetTensor(tensorName, out var info))
                {
                    throw new LoraException(
                        SafeTensorsErrorCodes.ShardTensorMissing,
                        $"The index '{indexPath}' maps tensor '{tensorName}' to this shard, which does not hold it.",
                        SafeTensorsLocation.ForTensor(shard.Path, tensorName));
                }

                shardByTensor.Add(tensorName, shard);
                infoByName.Add(tensorName, info);
            }

            return new ShardedSafeTensorsReader(indexPath, index, shards, shardByTensor, infoByName);
        }
        catch
        {
            foreach (var shard in shards)
            {
                shard.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc />
    public bool TryGetTensor(string name, [MaybeNullWhen(false)] out SafeTensorInfo info) =>
        _infoByName.TryGetValue(name, out info);

    /// <inheritdoc />
    public Tensor LoadTensor(string name, ScalarType? dtype = null, Device? device = null)
    {
        if (!_shardByTensor.TryGetValue(name, out var shard))
        {
            throw new LoraException(
                SafeTensorsErrorCodes.TensorNotFound,
                $"The checkpoint's index has no tensor named '{name}'.",
                SafeTensorsLocation.ForTensor(IndexPath, name));
        }

        return shard.LoadTensor(name, dtype, device);
    }

    /// <inheritdoc />
    public Tensor MapTensor(string name, ScalarType? dtype = null) =>
        _shardByTensor.TryGetValue(name, out var shard) ? shard.MapTensor(name, dtype) : LoadTensor(name, dtype);

    /// <inheritdoc />
    public Dictionary<string, Tensor> LoadTensors(
        Func<SafeTensorInfo, bool>? filter = null,
        ScalarType? dtype = null,
        Device? device = null) =>
        SafeTensorLoader.LoadMany(this, filter, dtype, device);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var shard in _shards)
        {
            shard.Dispose();
        }
    }

    private static string ResolveShardPath(string indexPath, string directory, string shardFile)
    {
        var location = SafeTensorsLocation.ForField(indexPath, $"weight_map: {shardFile}");
        var fullPath = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, shardFile));
        var relative = System.IO.Path.GetRelativePath(directory, fullPath);
        var escapes = relative == ".."
            || relative.StartsWith(".." + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || System.IO.Path.IsPathRooted(relative);
        if (System.IO.Path.IsPathRooted(shardFile) || escapes)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.ShardPathOutsideDirectory,
                $"Shard file '{shardFile}' is not inside the index's directory '{directory}'.",
                location);
        }

        if (!File.Exists(fullPath))
        {
            throw new LoraException(
                SafeTensorsErrorCodes.ShardFileMissing,
                $"The index names shard file '{shardFile}', which does not exist in '{directory}'.",
                location);
        }

        return fullPath;
    }
}
