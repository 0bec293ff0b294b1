namespace LoraBuild.Core.Models;

/// <summary>The activation inside the gated MLP.</summary>
public enum HiddenActivation
{
    /// <summary>SwiGLU: <c>silu(gate) · up</c>.</summary>
    Silu,

    /// <summary>GeGLU with the tanh approximation of GELU (<c>gelu_pytorch_tanh</c>).</summary>
    GeluTanh,
}
