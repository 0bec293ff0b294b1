using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>A frozen weight held in fewer bits than its compute dtype, which each pass dequantizes for its matmul.</summary>
public interface IQuantizedWeight : IDisposable
{
    /// <summary>The shape of the original weight, [out, in] for a linear layer.</summary>
    IReadOnlyList<long> Shape { get; }

    /// <summary>Bytes held: codes plus the scales that decode them.</summary>
    long StorageBytes { get; }

    /// <summary>Where the codes live.</summary>
    Device Device { get; }

    /// <summary>The weight the codes stand for, in <paramref name="dtype"/>, with the original shape.</summary>
    Tensor Dequantize(ScalarType dtype = ScalarType.Float32);
}
