using LoraBuild.Core.Specs;
using LoraBuild.Engine.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// Sophia-G (Liu et al. 2023, "Sophia: A Scalable Stochastic Second-order Optimizer for Language Model
/// Pre-training"), step for step as the official <c>SophiaG</c> computes it: with gradient <c>g</c>,
/// <c>θ ← θ(1 − lr·λ)</c>; <c>m ← β₁m + (1 − β₁)g</c>;
/// <c>θ ← θ − lr·sign(m)·min(|m| / (ρ·h + ε), 1)</c>, so no coordinate moves by more than lr.
/// <see cref="UpdateHessian"/> keeps <c>h ← β₂h + (1 − β₂)·B·ĝ⊙ĝ</c>, the Gauss-Newton-Bartlett estimate, where
/// <c>ĝ</c> is the gradient of the mean loss over <c>B</c> tokens against labels sampled from the model's own
/// output (the trainer computes it every <see cref="HessianUpdateInterval"/> steps). Until the first estimate h is 0
/// and every step is lr·sign(m), as in the official code.
/// State per parameter: <c>exp_avg</c> (m) and <c>hessian</c> (h).
/// </summary>
/// <remarks>
/// The official code keeps h as the average of <c>ĝ⊙ĝ</c> alone and multiplies by its constant tokens per step
/// (<c>rho * bs * hess</c>). Here B goes into each estimate as it is made, with B the target tokens the estimate
/// saw: the same numbers when every step has as many tokens, and the right scale when padding and masking make
/// the count vary from step to step.
/// </remarks>
public sealed class SophiaOptimizer : TrainingOptimizer
{
    public const string ExpAvg = "exp_avg";
    public const string Hessian = "hessian";

    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _rho;
    private readonly double _epsilon;

    /// <param name="parameters">The parameters to update, by name.</param>
    /// <param name="beta1">The momentum's decay.</param>
    /// <param name="beta2">The decay of the Hessian estimates' average.</param>
    /// <param name="rho">The clipping threshold ρ: where <c>|m| ≥ ρ·h</c> the step is clipped to lr.</param>
    /// <param name="hessianUpdateInterval">Optimizer steps between Hessian estimates (k).</param>
    /// <param name="epsilon">Keeps the ratio finite where h is 0.</param>
    /// <param name="weightDecay">Decoupled weight decay, as in AdamW.</param>
    /// <param name="appliesWeightDecay">Which parameters weight decay applies to; all when null.</param>
    public SophiaOptimizer(
        IEnumerable<(string Name, Parameter Parameter)> parameters,
        double beta1 = OptimizerDefaults.SophiaBeta1,
        double beta2 = OptimizerDefaults.SophiaBeta2,
        double rho = OptimizerDefaults.SophiaRho,
        int hessianUpdateInterval = OptimizerDefaults.SophiaHessianUpdateInterval,
        double epsilon = OptimizerDefaults.SophiaEpsilon,
        double weightDecay = 0,
        Func<string, Parameter, bool>? appliesWeightDecay = null)
        : base(parameters, weightDecay, appliesWeightDecay)
    {
        RequireUnitInterval(beta1, "Sophia beta1");
        RequireUnitInterval(beta2, "Sophia beta2");
        RequireFinitePositive(rho, "Sophia rho");
        RequireFinitePositive(epsilon, "Sophia epsilon");
        RequireFinitePositive(hessianUpdateInterval, "Sophia Hessian update interval");
        _beta1 = beta1;
        _beta2 = beta2;
        _rho = rho;
        _epsilon = epsilon;
        HessianUpdateInterval = hessianUpdateInterval;
        foreach (var parameter in Parameters)
        {
            parameter.AddZeroState(ExpAvg);
            parameter.AddZeroState(Hessian);
        }
    }

    public override string Kind => Optimizers.Sophia;

    /// <summary>The trainer estimates the Hessian after every this many optimizer steps (k).</summary>
    public int HessianUpdateInterval { get; }

    /// <summary>Calls of <see cref="UpdateHessian"/> so far.</summary>
    public long HessianUpdates { get; internal set; }

    /// <summary>
    /// Folds one Gauss-Newton-Bartlett estimate into every parameter's <c>hessian</c>:
    /// <c>h ← β₂h + (1 − β₂)·B·ĝ⊙ĝ</c>, where each parameter's gradient now holds <c>ĝ</c>, the gradient of the mean
    /// sampled-label loss over <paramref name="tokens"/> (B) tokens. Parameters without a gradient are left alone.
    /// Gradients are not cleared.
    /// </summary>
    public void UpdateHessian(long tokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        using var noGrad = no_grad();
        foreach (var parameter in Parameters)
        {
            using var scope = NewDisposeScope();
            var gradient = parameter.Parameter.grad;
            if (gradient is null)
            {
                continue;
            }

            using var beta2 = ScalarOf(_beta2);
            using var estimateWeight = ScalarOf((1 - _beta2) * tokens);
            parameter.State[Hessian].mul_(beta2).addcmul_(gradient, gradient, estimateWeight);
        }

        HessianUpdates++;
    }

    protected override void Update(OptimizerParameter parameter, Tensor gradient, double learningRate)
    {
        var weights = parameter.Parameter;
        DecayDecoupled(parameter, learningRate);

        var expAvg = parameter.State[ExpAvg];
        using var beta1 = ScalarOf(_beta1);
        using var oneMinusBeta1 = ScalarOf(1 - _beta1);
        using var rho = ScalarOf(_rho);
        using var epsilon = ScalarOf(_epsilon);
        using var one = ScalarOf(1);
        using var stepSize = ScalarOf(-learningRate);
        expAvg.mul_(beta1).add_(gradient, oneMinusBeta1);
        var ratio = expAvg.abs().div_(parameter.State[Hessian].mul(rho).PlusInPlace(epsilon)).clamp_max_(one);
        weights.addcmul_(expAvg.sign(), ratio, stepSize);
    }
}
