namespace LoraBuild.Engine.SafeTensors;

/// <summary>What the writer needs to know of a tensor to lay out a file: its name, element type and shape.</summary>
public sealed record SafeTensorSpec(string Name, SafeTensorsDType DType, IReadOnlyList<long> Shape);
