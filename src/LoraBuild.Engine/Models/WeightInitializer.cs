using LoraBuild.Engine.Tensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// Initializes a new model the way Hugging Face's Llama does before pretraining: every linear and embedding
/// weight from N(0, <c>initializer_range</c>²), biases zero, RMSNorm scales one (a stored weight of zero for Gemma's 1 + w norms). Draws come from one seeded
/// generator in parameter-name order, so a seed fixes the model.
/// </summary>
public static class WeightInitializer
{
    public const double DefaultStandardDeviation = 0.02;

    public static void Initialize(CausalLanguageModel model, long seed, double standardDeviation = DefaultStandardDeviation)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                parameter.fill_(model.Config.Descriptor.UnitOffsetNorms ? LiveScalars.Zero : LiveScalars.One);
            }
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
            else
            {
                using var draw = empty(parameter.shape, ScalarType.Float32, CPU).normal_(0, standardDeviation, generator);
                parameter.copy_(draw);
            }
        }
    }
}
