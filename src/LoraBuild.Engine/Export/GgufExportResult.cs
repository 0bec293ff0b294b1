using LoraBuild.Core.Gguf;

namespace LoraBuild.Engine.Export;

/// <summary>What a GGUF export wrote.</summary>
/// <param name="Path">The file.</param>
/// <param name="Architecture">Its <c>general.architecture</c>.</param>
/// <param name="Type">The type of its 2-D tensors (a model) or of its LoRA tensors (an adapter).</param>
/// <param name="Tensors">How many tensors it holds.</param>
/// <param name="Bytes">Its size.</param>
public sealed record GgufExportResult(string Path, string Architecture, GgmlType Type, int Tensors, long Bytes)
{
    /// <summary>For an adapter: the layers whose PEFT scale differed from llama.cpp's alpha/r and was folded into lora_b.</summary>
    public int FoldedScales { get; init; }

    /// <summary>For an adapter: the <c>adapter.lora.alpha</c> written.</summary>
    public float? Alpha { get; init; }
}
