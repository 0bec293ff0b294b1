using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Generation;

/// <summary>
/// Keys and values of the positions a model has already seen, preallocated per layer as
/// [batch, kvHeads, capacity, headDim] so decoding one token at a time allocates nothing new.
/// </summary>
/// <remarks>For inference only (use under <c>no_grad</c>): appending copies into fixed buffers.</remarks>
public sealed class KeyValueCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <summary>Allocates an empty cache.</summary>
    public KeyValueCache(int layers, int batchSize, int keyValueHeads, int capacity, int headDim, ScalarType dtype, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        BatchSize = batchSize;
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        for (var layer = 0; layer < layers; layer++)
        {
            _keys[layer] = zeros([batchSize, keyValueHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
            _values[layer] = zeros([batchSize, keyValueHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
        }
    }

    /// <summary>How many positions are stored.</summary>
    public int Length { get; private set; }

    /// <summary>How many positions fit.</summary>
    public int Capacity { get; }

    /// <summary>Sequences per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Forgets every stored position; the buffers are kept for reuse.</summary>
    public void Reset() => Length = 0;

    /// <summary>
    /// Writes <paramref name="keys"/> and <paramref name="values"/> ([batch, kvHeads, new, headDim]) of
    /// <paramref name="layer"/> after the stored positions and returns views of everything stored for that layer,
    /// the new positions included. <see cref="Length"/> moves only when <see cref="Advance"/> is called, after all layers.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        var added = keys.shape[2];
        EnsureRoom(added);
        if (keys.shape[0] != BatchSize)
        {
            throw new LoraException(
                ModelErrorCodes.ModelInputInvalid,
                $"The key/value cache holds {BatchSize} sequences, but the input has {keys.shape[0]}.");
        }

        using (no_grad())
        {
            _keys[layer].narrow(2, Length, added).copy_(keys);
            _values[layer].narrow(2, Length, added).copy_(values);
        }

        return (_keys[layer].narrow(2, 0, Length + added), _values[layer].narrow(2, 0, Length + added));
    }

    /// <summary>Records that <paramref name="added"/> positions were appended to every layer.</summary>
    public void Advance(long added)
    {
        EnsureRoom(added);
        Length += (int)added;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values))
        {
            tensor.Dispose();
        }
    }

    private void EnsureRoom(long added)
    {
        if (Length + added > Capacity)
        {
            throw new LoraException(
                ModelErrorCodes.ModelInputInvalid,
                $"The key/value cache holds {Capacity} positions; {Length} are used and {added} more do not fit.");
        }
    }
}
