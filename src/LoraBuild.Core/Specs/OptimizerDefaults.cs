namespace LoraBuild.Core.Specs;

/// <summary>
/// The settings each optimizer reads and their defaults where a spec leaves them null: the defaults of the papers' and
/// PyTorch's reference code. <see cref="Resolve"/> is the one place they are filled in; the fingerprint, the manifest's
/// spec and the engine all see the resolved values, so a default spelled out or left away trains the same adapter.
/// </summary>
public static class OptimizerDefaults
{
    public const double AdamWBeta1 = 0.9;
    public const double AdamWBeta2 = 0.999;
    public const double AdamWEpsilon = 1e-8;

    /// <summary>Lion's β₁ (the update's interpolation) and β₂ (the momentum's decay), as in Chen et al. 2023.</summary>
    public const double LionBeta1 = 0.9;

    /// <inheritdoc cref="LionBeta1"/>
    public const double LionBeta2 = 0.99;

    /// <summary>Sophia-G's β₁ (momentum) and β₂ (Hessian EMA), as in the official <c>SophiaG</c>.</summary>
    public const double SophiaBeta1 = 0.965;

    /// <inheritdoc cref="SophiaBeta1"/>
    public const double SophiaBeta2 = 0.99;

    /// <summary>The constant the official <c>SophiaG</c> adds to the denominator.</summary>
    public const double SophiaEpsilon = 1e-15;

    /// <summary>Sophia-G's clipping threshold ρ, the official <c>SophiaG</c> default.</summary>
    public const double SophiaRho = 0.04;

    /// <summary>Optimizer steps between two Hessian estimates (the paper's k).</summary>
    public const int SophiaHessianUpdateInterval = 10;

    /// <summary>
    /// <paramref name="spec"/> with each null setting its optimizer reads set to that optimizer's default. Settings the
    /// optimizer does not read are left as they are; an unknown optimizer leaves the spec unchanged (validation names it).
    /// </summary>
    public static TrainingSpec Resolve(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Optimizer switch
        {
            Optimizers.AdamW => spec with
            {
                Beta1 = spec.Beta1 ?? AdamWBeta1,
                Beta2 = spec.Beta2 ?? AdamWBeta2,
                Epsilon = spec.Epsilon ?? AdamWEpsilon,
            },
            Optimizers.Lion => spec with
            {
                Beta1 = spec.Beta1 ?? LionBeta1,
                Beta2 = spec.Beta2 ?? LionBeta2,
            },
            Optimizers.Sophia => spec with
            {
                Beta1 = spec.Beta1 ?? SophiaBeta1,
                Beta2 = spec.Beta2 ?? SophiaBeta2,
                Epsilon = spec.Epsilon ?? SophiaEpsilon,
                Rho = spec.Rho ?? SophiaRho,
                HessianUpdateInterval = spec.HessianUpdateInterval ?? SophiaHessianUpdateInterval,
            },
            _ => spec,
        };
    }

    /// <summary>
    /// Float32 state tensors the optimizer keeps per trainable parameter, each shaped like the parameter: AdamW 2
    /// (<c>exp_avg</c>, <c>exp_avg_sq</c>), Lion 1 (<c>exp_avg</c>), Sophia 2 (<c>exp_avg</c>, <c>hessian</c>), SGD 1
    /// with momentum and 0 without. Optimizer memory is this times the trainable parameters times 4 bytes.
    /// </summary>
    /// <exception cref="ArgumentException">An optimizer that is not one of <see cref="Optimizers.All"/>.</exception>
    public static int StateTensorsPerParameter(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Optimizer switch
        {
            Optimizers.AdamW or Optimizers.Sophia => 2,
            Optimizers.Lion => 1,
            Optimizers.Sgd => spec.Momentum != 0 ? 1 : 0,
            _ => throw new ArgumentException($"Unknown optimizer '{spec.Optimizer}'.", nameof(spec)),
        };
    }
}
