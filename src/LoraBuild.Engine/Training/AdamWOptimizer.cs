using LoraBuild.Core.Specs;
using LoraBuild.Engine.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// AdamW as PyTorch computes it (<c>amsgrad=False</c>): with step <c>t</c> and gradient <c>g</c>,
/// <c>θ ← θ(1 − lr·λ)</c>; <c>m ← β₁m + (1 − β₁)g</c>; <c>v ← β₂v + (1 − β₂)g²</c>;
/// <c>θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)</c>.
/// State per parameter: <c>exp_avg</c> (m) and <c>exp_avg_sq</c> (v).
/// </summary>
public sealed class AdamWOptimizer : TrainingOptimizer
{
    public const string ExpAvg = "exp_avg";
    public const string ExpAvgSq = "exp_avg_sq";

    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;

    public AdamWOptimizer(
        IEnumerable<(string Name, Parameter Parameter)> parameters,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0.01,
        Func<string, Parameter, bool>? appliesWeightDecay = null)
        : base(parameters, weightDecay, appliesWeightDecay)
    {
        RequireUnitInterval(beta1, "AdamW beta1");
        RequireUnitInterval(beta2, "AdamW beta2");
        RequireFinitePositive(epsilon, "AdamW epsilon");

        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        foreach (var parameter in Parameters)
        {
            parameter.AddZeroState(ExpAvg);
            parameter.AddZeroState(ExpAvgSq);
        }
    }

    public override string Kind => Optimizers.AdamW;

    protected override void Update(OptimizerParameter parameter, Tensor gradient, double learningRate)
    {
        var weights = parameter.Parameter;
        DecayDecoupled(parameter, learningRate);

        var expAvg = parameter.State[ExpAvg];
        var expAvgSq = parameter.State[ExpAvgSq];
        using var beta1 = ScalarOf(_beta1);
        using var oneMinusBeta1 = ScalarOf(1 - _beta1);
        using var beta2 = ScalarOf(_beta2);
        using var oneMinusBeta2 = ScalarOf(1 - _beta2);
        expAvg.mul_(beta1).add_(gradient, oneMinusBeta1);
        expAvgSq.mul_(beta2).addcmul_(gradient, gradient, oneMinusBeta2);

        var biasCorrection1 = 1 - Math.Pow(_beta1, parameter.Steps);
        var biasCorrection2 = 1 - Math.Pow(_beta2, parameter.Steps);
        using var rootCorrection2 = ScalarOf(Math.Sqrt(biasCorrection2));
        using var epsilon = ScalarOf(_epsilon);
        using var stepSize = ScalarOf(-learningRate / biasCorrection1);
        var denominator = expAvgSq.sqrt().div_(rootCorrection2).PlusInPlace(epsilon);
        weights.addcdiv_(expAvg, denominator, stepSize);
    }
}
