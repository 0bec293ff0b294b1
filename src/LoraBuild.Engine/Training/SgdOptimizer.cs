using LoraBuild.Core.Training;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// SGD as PyTorch computes it with dampening 0: <c>d ← g + λθ</c> (L2 weight decay on the gradient);
/// with momentum μ, <c>b ← μb + d</c> (b starts at d) and <c>d ← d + μb</c> (Nesterov) or <c>d ← b</c>;
/// then <c>θ ← θ − lr·d</c>. State per parameter: <c>momentum_buffer</c> (b), only when μ ≠ 0.
/// </summary>
public sealed class SgdOptimizer : TrainingOptimizer
{
    public const string MomentumBuffer = "momentum_buffer";

    private readonly double _momentum;
    private readonly bool _nesterov;

    public SgdOptimizer(
        IEnumerable<(string Name, Parameter Parameter)> parameters,
        double momentum = 0,
        bool nesterov = false,
        double weightDecay = 0,
        Func<string, Parameter, bool>? appliesWeightDecay = null)
        : base(parameters, weightDecay, appliesWeightDecay)
    {
        RequireFiniteNonNegative(momentum, "momentum");
        if (nesterov && momentum == 0)
        {
            throw new LoraException(TrainingSettingErrorCodes.TrainingSettingInvalid, "Nesterov momentum needs a momentum above 0.");
        }

        _momentum = momentum;
        _nesterov = nesterov;
        if (momentum != 0)
        {
            // With dampening 0, a zero buffer after its first update equals the gradient, which is how PyTorch starts it.
            foreach (var parameter in Parameters)
            {
                parameter.AddZeroState(MomentumBuffer);
            }
        }
    }

    public override string Kind => Optimizers.Sgd;

    protected override void Update(OptimizerParameter parameter, Tensor gradient, double learningRate)
    {
        var weights = parameter.Parameter;
        var direction = gradient;
        if (parameter.ApplyWeightDecay && WeightDecay != 0)
        {
            using var decay = ScalarOf(WeightDecay);
            direction = direction.add(weights, decay);
        }

        if (_momentum != 0)
        {
            using var momentum = ScalarOf(_momentum);
            var buffer = parameter.State[MomentumBuffer];
            buffer.mul_(momentum).PlusInPlace(direction);
            direction = _nesterov ? direction.add(buffer, momentum) : buffer;
        }

        using var stepSize = ScalarOf(-learningRate);
        weights.add_(direction, stepSize);
    }
}
