namespace LoraBuild.Core.Gguf;

/// <summary>How far a GGUF file is written: tensors and tensor bytes so far, of all, and the tensor just written.</summary>
public sealed record GgufWriteProgress(int TensorsWritten, int TensorCount, long BytesWritten, long TotalBytes, string Tensor);
