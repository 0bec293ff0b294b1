using LoraBuild.Core.Training;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

/// <summary>Lion against the paper's update written out in float64, step by step.</summary>
public class LionOptimizerTests
{
    // The last coordinate never gets a gradient: only weight decay moves it.
    private static readonly float[] s_initial = [1.0f, -2.0f, 0.5f, 0.25f];
    private static readonly float[][] s_gradients = [[0.1f, -0.2f, 0.3f, 0f], [-0.5f, 0.4f, 0.05f, 0f], [0.02f, 0.3f, -0.6f, 0f]];

    [Fact]
    public void TheFirstStepIsTheSignOfTheGradientAfterDecoupledDecay()
    {
        using var parameter = NewParameter();
        using var optimizer = new LionOptimizer([("p", parameter)], beta1: 0.9, beta2: 0.99, weightDecay: 0.1);

        parameter.grad = tensor(s_gradients[0]);
        optimizer.Step(0.1);

        // θ(1 − 0.1·0.1) − 0.1·sign(g): 1·0.99 − 0.1, −2·0.99 + 0.1, 0.5·0.99 − 0.1, 0.25·0.99 − 0.
        TensorAssert.Equal([0.89, -1.88, 0.395, 0.2475], parameter, 1e-6);
        TensorAssert.Equal([0.001, -0.002, 0.003, 0], optimizer.Parameters[0].State[LionOptimizer.ExpAvg], 1e-9);
    }

    [Theory]
    [InlineData(0.1, 0.1, 0.9, 0.99)]
    [InlineData(0.05, 0.0, 0.5, 0.9)]
    public void EveryStepMatchesTheFormula(double learningRate, double weightDecay, double beta1, double beta2)
    {
        using var parameter = NewParameter();
        using var optimizer = new LionOptimizer([("p", parameter)], beta1, beta2, weightDecay);

        var steps = Run(optimizer, parameter, learningRate);

        var expected = Reference(learningRate, weightDecay, beta1, beta2);
        for (var step = 0; step < s_gradients.Length; step++)
        {
            TensorAssert.Equal(expected[step], steps[step], 1e-6);
        }
    }

    [Fact]
    public void WithoutWeightDecayEveryCoordinateMovesByTheLearningRateOrNotAtAll()
    {
        using var parameter = NewParameter();
        using var optimizer = new LionOptimizer([("p", parameter)]);
        var before = parameter.detach().clone();

        Run(optimizer, parameter, learningRate: 0.25);

        // Three steps of ±0.25 each, and the coordinate without a gradient stays where it was.
        var moved = (parameter.detach() - before).abs().to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.All(moved[..3], distance => Assert.Contains(Math.Round(distance / 0.25), new double[] { 1, 3 }));
        Assert.Equal(0, moved[3]);
    }

    [Fact]
    public void WeightDecayIsSkippedWhereThePolicySaysSo()
    {
        using var parameter = NewParameter();
        using var optimizer = new LionOptimizer([("p", parameter)], weightDecay: 0.5, appliesWeightDecay: (_, _) => false);

        var steps = Run(optimizer, parameter, learningRate: 0.1);

        TensorAssert.Equal([0.9, -1.9, 0.4, 0.25], steps[0], 1e-6);
    }

    [Fact]
    public void KeepsOneFloat32StateTensorPerParameter()
    {
        using var scope = NewDisposeScope();
        using var first = new Parameter(zeros(4, 3));
        using var second = new Parameter(zeros(5));
        using var optimizer = new LionOptimizer([("w", first), ("b", second)]);

        Assert.All(optimizer.Parameters, parameter => Assert.Equal([LionOptimizer.ExpAvg], parameter.State.Keys));
        Assert.Equal(ScalarType.Float32, optimizer.Parameters[0].State[LionOptimizer.ExpAvg].dtype);
        Assert.Equal(2, optimizer.StateTensorCount);
        Assert.Equal((12 + 5) * 4, optimizer.StateBytes);
    }

    [Theory]
    [InlineData(1.0, 0.99)]
    [InlineData(0.9, -0.1)]
    public void BetasOutsideTheUnitIntervalAreRefused(double beta1, double beta2)
    {
        using var parameter = NewParameter();

        var error = Assert.Throws<LoraException>(() => new LionOptimizer([("p", parameter)], beta1, beta2));

        Assert.Equal(TrainingSettingErrorCodes.TrainingSettingInvalid, error.Code);
    }

    private static Parameter NewParameter() => new(tensor(s_initial));

    /// <summary>θ ← θ(1 − lr·λ) − lr·sign(β₁m + (1 − β₁)g); m ← β₂m + (1 − β₂)g, coordinate by coordinate.</summary>
    private static double[][] Reference(double learningRate, double weightDecay, double beta1, double beta2)
    {
        var theta = s_initial.Select(value => (double)value).ToArray();
        var momentum = new double[theta.Length];
        var steps = new List<double[]>();
        foreach (var gradient in s_gradients)
        {
            for (var i = 0; i < theta.Length; i++)
            {
                theta[i] *= 1 - (learningRate * weightDecay);
                theta[i] -= learningRate * Math.Sign((beta1 * momentum[i]) + ((1 - beta1) * gradient[i]));
                momentum[i] = (beta2 * momentum[i]) + ((1 - beta2) * gradient[i]);
            }

            steps.Add([.. theta]);
        }

        return [.. steps];
    }

    private static List<Tensor> Run(TrainingOptimizer optimizer, Parameter parameter, double learningRate)
    {
        var snapshots = new List<Tensor>();
        foreach (var gradient in s_gradients)
        {
            parameter.grad = tensor(gradient);
            optimizer.Step(learningRate);
            optimizer.ZeroGrad();
            snapshots.Add(parameter.detach().clone());
        }

        return snapshots;
    }
}
