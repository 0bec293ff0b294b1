using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>Global-norm gradient clipping, as PyTorch's <c>clip_grad_norm_</c> does it.</summary>
internal static class GradientClipping
{
    private const double Epsilon = 1e-6;

    /// <summary>
    /// The L2 norm of all gradients together, measured before clipping; when <paramref name="maxNorm"/> is above 0 and
    /// the norm exceeds it, every gradient is scaled by <c>maxNorm / (norm + 1e-6)</c>.
    /// </summary>
    public static double ClipByGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var gradients = parameters.Select(parameter => parameter.grad).OfType<Tensor>().ToList();
        if (gradients.Count == 0)
        {
            return 0;
        }

        // Sums of products rather than linalg.vector_norm or square(), whose TorchSharp bindings make a Scalar of their own
        // and leave it unreachable during the native call (see LiveScalars).
        var squares = stack(gradients.Select(gradient =>
        {
            var values = gradient.to_type(ScalarType.Float32);
            return values.mul(values).sum();
        }));
        var total = squares.sum().sqrt().item<float>();
        var coefficient = maxNorm / (total + Epsilon);
        if (maxNorm > 0 && coefficient < 1)
        {
            using var scale = coefficient.ToScalar();
            foreach (var gradient in gradients)
            {
                gradient.mul_(scale);
            }
        }

        return total;
    }
}
