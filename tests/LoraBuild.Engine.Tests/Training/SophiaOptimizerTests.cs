using LoraBuild.Core.Training;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

/// <summary>Sophia-G against the official SophiaG step and the paper's Hessian EMA, written out in float64.</summary>
public class SophiaOptimizerTests
{
    private const double Beta1 = 0.965;
    private const double Beta2 = 0.99;
    private const double Rho = 0.04;
    private const double Epsilon = 1e-15;
    private const long Tokens = 4;

    private static readonly float[] s_initial = [1.0f, -2.0f, 0.5f, 0.25f];
    private static readonly float[][] s_gradients = [[0.1f, -0.2f, 0.3f, 0f], [-0.5f, 0.4f, 0.05f, 0f]];

    // The sampled-label gradient folded in between the two steps: after it, ρ·h is 0.0144, 0.0004, 0.64, 0.0016, so
    // the first coordinate's ratio is just under 1, the second is clipped, the third far below 1.
    private static readonly float[] s_sampledGradient = [3f, 0.5f, 20f, 1f];

    [Fact]
    public void BeforeAnyHessianEstimateAStepIsTheSignOfTheMomentum()
    {
        using var parameter = NewParameter();
        using var optimizer = new SophiaOptimizer([("p", parameter)], Beta1, Beta2, Rho, weightDecay: 0.1);

        parameter.grad = tensor(s_gradients[0]);
        optimizer.Step(0.1);

        // |m| / (ρ·0 + ε) clips to 1 wherever m ≠ 0: θ(1 − 0.01) − 0.1·sign(m).
        TensorAssert.Equal([0.89, -1.88, 0.395, 0.2475], parameter, 1e-6);
    }

    [Fact]
    public void AStepAfterAnEstimateMatchesTheOfficialFormula()
    {
        using var parameter = NewParameter();
        using var optimizer = new SophiaOptimizer([("p", parameter)], Beta1, Beta2, Rho, weightDecay: 0.1);

        parameter.grad = tensor(s_gradients[0]);
        optimizer.Step(0.1);
        parameter.grad = tensor(s_sampledGradient);
        optimizer.UpdateHessian(Tokens);
        parameter.grad = tensor(s_gradients[1]);
        optimizer.Step(0.1);

        var (expectedWeights, expectedHessian) = Reference(learningRate: 0.1, weightDecay: 0.1);
        TensorAssert.Equal(expectedHessian, optimizer.Parameters[0].State[SophiaOptimizer.Hessian], 1e-6);
        TensorAssert.Equal(expectedWeights, parameter, 1e-6);
        Assert.Equal(1, optimizer.HessianUpdates);
    }

    [Fact]
    public void TheHessianIsAnAverageOfTokenScaledSquaredGradients()
    {
        using var parameter = NewParameter();
        using var optimizer = new SophiaOptimizer([("p", parameter)], Beta1, beta2: 0.5, Rho);

        parameter.grad = tensor(new[] { 1f, -2f, 0f, 0.5f });
        optimizer.UpdateHessian(10);
        parameter.grad = tensor(new[] { -3f, 0f, 1f, 0.5f });
        optimizer.UpdateHessian(2);

        // 0.5·(0.5·10·g₁²) + 0.5·2·g₂²: never negative, whatever the gradients' signs.
        TensorAssert.Equal([2.5 + 9, 10, 1, 0.625 + 0.25], optimizer.Parameters[0].State[SophiaOptimizer.Hessian], 1e-6);
        Assert.Equal(2, optimizer.HessianUpdates);
        Assert.Equal(0, optimizer.StepCount);
    }

    [Fact]
    public void AParameterWithoutGradientKeepsItsHessian()
    {
        using var parameter = NewParameter();
        using var optimizer = new SophiaOptimizer([("p", parameter)]);

        optimizer.UpdateHessian(Tokens);

        TensorAssert.Equal([0, 0, 0, 0], optimizer.Parameters[0].State[SophiaOptimizer.Hessian], 0);
    }

    [Fact]
    public void KeepsTwoFloat32StateTensorsPerParameter()
    {
        using var scope = NewDisposeScope();
        using var first = new Parameter(zeros(4, 3));
        using var second = new Parameter(zeros(5));
        using var optimizer = new SophiaOptimizer([("w", first), ("b", second)]);

        Assert.All(optimizer.Parameters, parameter => Assert.Equal(
            [SophiaOptimizer.ExpAvg, SophiaOptimizer.Hessian], parameter.State.Keys.Order(StringComparer.Ordinal)));
        Assert.All(optimizer.Parameters.SelectMany(parameter => parameter.State.Values), state => Assert.Equal(ScalarType.Float32, state.dtype));
        Assert.Equal(4, optimizer.StateTensorCount);
        Assert.Equal(2 * (12 + 5) * 4, optimizer.StateBytes);
    }

    [Theory]
    [InlineData(0.965, 0.99, 0.0, 10)]
    [InlineData(0.965, 0.99, double.NaN, 10)]
    [InlineData(0.965, 1.0, 0.04, 10)]
    [InlineData(0.965, 0.99, 0.04, 0)]
    public void SettingsOutOfRangeAreRefused(double beta1, double beta2, double rho, int interval)
    {
        using var parameter = NewParameter();

        var error = Assert.Throws<LoraException>(() => new SophiaOptimizer([("p", parameter)], beta1, beta2, rho, interval));

        Assert.Equal(TrainingSettingErrorCodes.TrainingSettingInvalid, error.Code);
    }

    private static Parameter NewParameter() => new(tensor(s_initial));

    /// <summary>
    /// Step, estimate, step: θ ← θ(1 − lr·λ); m ← β₁m + (1 − β₁)g; θ ← θ − lr·sign(m)·min(|m| / (ρ·h + ε), 1), with
    /// h ← β₂h + (1 − β₂)·B·ĝ² in between.
    /// </summary>
    private static (double[] Weights, double[] Hessian) Reference(double learningRate, double weightDecay)
    {
        var theta = s_initial.Select(value => (double)value).ToArray();
        var momentum = new double[theta.Length];
        var hessian = new double[theta.Length];
        void Step(float[] gradient)
        {
            for (var i = 0; i < theta.Length; i++)
            {
                theta[i] *= 1 - (learningRate * weightDecay);
                momentum[i] = (Beta1 * momentum[i]) + ((1 - Beta1) * gradient[i]);
                var ratio = Math.Min(Math.Abs(momentum[i]) / ((Rho * hessian[i]) + Epsilon), 1);
                theta[i] -= learningRate * Math.Sign(momentum[i]) * ratio;
            }
        }

        Step(s_gradients[0]);
        for (var i = 0; i < hessian.Length; i++)
        {
            hessian[i] = (Beta2 * hessian[i]) + ((1 - Beta2) * Tokens * s_sampledGradient[i] * s_sampledGradient[i]);
        }

        Step(s_gradients[1]);
        return (theta, hessian);
    }
}
