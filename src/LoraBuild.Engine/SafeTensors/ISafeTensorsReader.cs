using System.Diagnostics.CodeAnalysis;
using static TorchSharp.torch;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>A set of named tensors on disk (one safetensors file or a sharded checkpoint) that loads tensors on demand.</summary>
public interface ISafeTensorsReader : IDisposable
{
    /// <summary>Every tensor's name, dtype and shape, in ordinal order of names; reading this loads no data.</summary>
    IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The file's <c>__metadata__</c>, or the index's <c>metadata</c> for a sharded checkpoint.</summary>
    IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Finds a tensor's entry by name.</summary>
    bool TryGetTensor(string name, [MaybeNullWhen(false)] out SafeTensorInfo info);

    /// <summary>Loads one tensor; the caller owns (disposes) it.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="dtype">The type to convert to; null keeps the stored type.</param>
    /// <param name="device">The device to move to; null keeps it on the CPU.</param>
    /// <exception cref="Core.Diagnostics.LoraException">The name is unknown (LORA2020), the dtype has no TorchSharp type (LORA2021) or reading fails.</exception>
    Tensor LoadTensor(string name, ScalarType? dtype = null, Device? device = null);

    /// <summary>
    /// One tensor as a view of the file mapped into memory when it is stored in <paramref name="dtype"/> (no copy; its
    /// pages are read when used), else converted from the mapped bytes; read like <see cref="LoadTensor"/> when it cannot
    /// be mapped. Writes to it never reach the file. The caller owns (disposes) it.
    /// </summary>
    Tensor MapTensor(string name, ScalarType? dtype = null);

    /// <summary>Loads the tensors <paramref name="filter"/> accepts (all when null), one at a time; the caller owns (disposes) them.</summary>
    Dictionary<string, Tensor> LoadTensors(Func<SafeTensorInfo, bool>? filter = null, ScalarType? dtype = null, Device? device = null);
}
