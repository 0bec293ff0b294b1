using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Benchmarks;

/// <summary>
/// The benchmark's paths: how the frozen base is held while the same LoRA adapter trains on it. LoRA matrices, their
/// gradients and the AdamW state are float32 on every path.
/// </summary>
public static class BenchmarkPaths
{
    /// <summary>Float32 base weights, float32 compute.</summary>
    public const string Fp32 = "fp32";

    /// <summary>Bfloat16 base weights, bfloat16 compute.</summary>
    public const string Bf16 = "bf16";

    /// <summary>QLoRA: decoder projections held as NF4 with double-quantized scales, dequantized to bfloat16 per pass.</summary>
    public const string Nf4 = "nf4";

    public static IReadOnlyList<string> All { get; } = [Fp32, Bf16, Nf4];

    /// <summary>The spec's precision for <paramref name="path"/>.</summary>
    /// <exception cref="LoraException"><see cref="BenchmarkErrorCodes.BenchmarkPathUnknown"/>.</exception>
    public static string Precision(string path) => path switch
    {
        Fp32 => Precisions.Fp32,
        Bf16 or Nf4 => Precisions.Bf16,
        _ => throw Unknown(path),
    };

    /// <summary>The spec's quantization for <paramref name="path"/>.</summary>
    /// <exception cref="LoraException"><see cref="BenchmarkErrorCodes.BenchmarkPathUnknown"/>.</exception>
    public static string Quantization(string path) => path switch
    {
        Fp32 or Bf16 => Quantizations.None,
        Nf4 => Quantizations.Nf4,
        _ => throw Unknown(path),
    };

    /// <summary>The element type the base model is created in (before any quantization) and computes in.</summary>
    /// <exception cref="LoraException"><see cref="BenchmarkErrorCodes.BenchmarkPathUnknown"/>.</exception>
    public static ScalarType ComputeDType(string path) =>
        Precision(path) == Precisions.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;

    private static LoraException Unknown(string path) => new(
        BenchmarkErrorCodes.BenchmarkPathUnknown,
        $"There is no benchmark path '{path}'; choose {string.Join(", ", All)}.",
        "--path");
}
