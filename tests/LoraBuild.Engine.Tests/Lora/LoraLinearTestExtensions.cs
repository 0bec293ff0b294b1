using LoraBuild.Engine.Lora;
using TorchSharp.Modules;

namespace LoraBuild.Engine.Tests.Lora;

internal static class LoraLinearTestExtensions
{
    /// <summary>The wrapped layer as the plain <see cref="Linear"/> these tests build it from.</summary>
    public static Linear BaseLinear(this LoraLinear layer) => (Linear)layer.BaseLayer;
}
