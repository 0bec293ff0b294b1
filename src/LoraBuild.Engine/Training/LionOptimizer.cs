using LoraBuild.Core.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): with gradient <c>g</c>,
/// <c>θ ← θ(1 − lr·λ)</c>; <c>θ ← θ − lr·sign(β₁m + (1 − β₁)g)</c>; <c>m ← β₂m + (1 − β₂)g</c>.
/// Every coordinate moves by exactly lr (or not at all where the sign is 0), so Lion wants a learning rate 3–10×
/// smaller than AdamW's and a weight decay as much larger. State per parameter: <c>exp_avg</c> (m) only.
/// </summary>
public sealed class LionOptimizer : TrainingOptimizer
{
    public const string ExpAvg = "exp_avg";

    private readonly double _beta1;
    private readonly double _beta2;

    /// <param name="parameters">The parameters to update, by name.</param>
    /// <param name="beta1">How much of the momentum (against the new gradient) decides the update's sign.</param>
    /// <param name="beta2">The momentum's decay.</param>
    /// <param name="weightDecay">Decoupled weight decay, as in AdamW.</param>
    /// <param name="appliesWeightDecay">Which parameters weight decay applies to; all when null.</param>
    public LionOptimizer(
        IEnumerable<(string Name, Parameter Parameter)> parameters,
        double beta1 = OptimizerDefaults.LionBeta1,
        double beta2 = OptimizerDefaults.LionBeta2,
        double weightDecay = 0,
        Func<string, Parameter, bool>? appliesWeightDecay = null)
        : base(parameters, weightDecay, appliesWeightDecay)
    {
        RequireUnitInterval(beta1, "Lion beta1");
        RequireUnitInterval(beta2, "Lion beta2");
        _beta1 = beta1;
        _beta2 = beta2;
        foreach (var parameter in Parameters)
        {
            parameter.AddZeroState(ExpAvg);
        }
    }

    public override string Kind => Optimizers.Lion;

    protected override void Update(OptimizerParameter parameter, Tensor gradient, double learningRate)
    {
        var weights = parameter.Parameter;
        DecayDecoupled(parameter, learningRate);

        var expAvg = parameter.State[ExpAvg];
        using var beta1 = ScalarOf(_beta1);
        using var oneMinusBeta1 = ScalarOf(1 - _beta1);
        using var beta2 = ScalarOf(_beta2);
        using var oneMinusBeta2 = ScalarOf(1 - _beta2);
        using var stepSize = ScalarOf(-learningRate);
        var direction = expAvg.mul(beta1).add_(gradient, oneMinusBeta1).sign_();
        weights.add_(direction, stepSize);
        expAvg.mul_(beta2).add_(gradient, oneMinusBeta2);
    }
}
