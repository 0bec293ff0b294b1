namespace LoraBuild.Core.Models;

/// <summary>One linear projection inside a decoder layer.</summary>
/// <param name="Name">The module name LoRA targets use, e.g. <c>q_proj</c>.</param>
/// <param name="Path">The path inside the decoder layer, e.g. <c>self_attn.q_proj</c>.</param>
/// <param name="InFeatures">Columns of the weight.</param>
/// <param name="OutFeatures">Rows of the weight.</param>
/// <param name="HasBias">Whether the projection carries a bias vector.</param>
public sealed record LinearLayerShape(string Name, string Path, int InFeatures, int OutFeatures, bool HasBias)
{
    /// <summary>Weight elements plus bias elements.</summary>
    public long ParameterCount => ((long)InFeatures * OutFeatures) + (HasBias ? OutFeatures : 0);
}
