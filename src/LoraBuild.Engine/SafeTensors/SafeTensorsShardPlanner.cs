namespace LoraBuild.Engine.SafeTensors;

/// <summary>Splits tensors, in ordinal order of names, into shards of at most a given number of data bytes.</summary>
public static class SafeTensorsShardPlanner
{
    /// <summary>
    /// Fills each shard in name order until the next tensor would push it past <paramref name="maxShardBytes"/>;
    /// a tensor larger than the limit gets a shard of its own. Returns the names of each shard's tensors.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Plan(IEnumerable<SafeTensorInfo> tensors, long maxShardBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        var shards = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        long currentBytes = 0;
        foreach (var tensor in tensors.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (current.Count > 0 && tensor.ByteLength > maxShardBytes - currentBytes)
            {
                shards.Add(current);
                current = [];
                currentBytes = 0;
            }

            current.Add(tensor.Name);
            currentBytes += tensor.ByteLength;
        }

        if (current.Count > 0)
        {
            shards.Add(current);
        }

        return shards;
    }
}
