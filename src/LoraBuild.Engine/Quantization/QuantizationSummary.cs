namespace LoraBuild.Engine.Quantization;

/// <summary>What quantizing a model's decoder linear layers did.</summary>
/// <param name="Quantization">The <see cref="Core.Specs.Quantizations"/> name (<c>nf4</c>, <c>fp4</c>, <c>int8</c>).</param>
/// <param name="Layers">How many linear layers were quantized.</param>
/// <param name="BytesBefore">The bytes their weights took as loaded.</param>
/// <param name="BytesAfter">The bytes they take quantized.</param>
public sealed record QuantizationSummary(string Quantization, int Layers, long BytesBefore, long BytesAfter);
