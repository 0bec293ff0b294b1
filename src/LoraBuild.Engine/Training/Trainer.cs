using System.Diagnostics;
using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;
using LoraBuild.Core.Training;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// Trains a causal language model on next-token cross-entropy over target tokens, with full fine-tuning or with
/// adapters on a frozen base (the model's parameters that require a gradient).
/// </summary>
/// <remarks>
/// One optimizer step: take up to <c>gradientAccumulationSteps</c> micro-batches from the current epoch; count their
/// target tokens first; run forward and backward on each with its summed loss divided by that count, so the gradient
/// is the mean over every target token of the step (two micro-batches of B equal one batch of 2B); clip the gradients
/// to <c>maxGradNorm</c> by their global norm (0 = off); update with the schedule's learning rate for this step; clear
/// the gradients. With Sophia, after every k-th step (k = <see cref="SophiaOptimizer.HessianUpdateInterval"/>, as the
/// official code does it after steps k, 2k, …) the same micro-batches run forward and backward once more against
/// labels sampled from the model's own output (<see cref="GaussNewtonBartlett"/>), the optimizer folds those gradients
/// into its Hessian estimate, and they are cleared: they never reach a step. All state lives in <see cref="State"/>;
/// calling <see cref="Train"/> again after a cancellation goes on where the run stopped.
/// </remarks>
public sealed class Trainer : IDisposable
{
    /// <summary>
    /// Added to the seed for the Hessian estimate's label generator (the golden-ratio increment of SplitMix64), so its
    /// draws are not the dropout generator's draws replayed.
    /// </summary>
    private const ulong LabelSeedOffset = 0x9E3779B97F4A7C15;

    private readonly CausalLanguageModel _model;
    private readonly TrainingSpec _spec;
    private readonly ITrainingBatches _data;
    private readonly List<IStochasticModule> _stochasticModules;

    /// <param name="model">The model; in LoRA mode its adapters are the parameters that require a gradient.</param>
    /// <param name="spec">Optimizer, schedule, epochs or steps, accumulation, clipping, seed, mode and precision.</param>
    /// <param name="data">The training batches.</param>
    /// <exception cref="LoraException">A setting the trainer cannot honour, no data, or no suitable trainable parameters.</exception>
    public Trainer(CausalLanguageModel model, TrainingSpec spec, ITrainingBatches data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        if (spec.Mode == TrainingModes.Full && spec.Precision != Precisions.Fp32)
        {
            throw new LoraException(
                TrainingSettingErrorCodes.FullFineTuningNeedsFp32,
                $"Full fine-tuning needs precision fp32, but the spec asks for {spec.Precision}. Use fp32, or mode lora.",
                spec.SourceLocation);
        }

        if (!double.IsFinite(spec.MaxGradNorm) || spec.MaxGradNorm < 0)
        {
            throw new LoraException(
                TrainingSettingErrorCodes.TrainingSettingInvalid,
                $"maxGradNorm must be a finite number ≥ 0 (0 turns clipping off), but is {spec.MaxGradNorm}.",
                spec.SourceLocation);
        }

        _model = model;
        _spec = spec;
        _data = data;
        var plan = TrainingPlan.For(spec, data.BatchesPerEpoch);
        var schedule = LearningRateSchedule.For(spec, plan.TotalSteps);
        var parameters = TrainableParameters.Select(model, spec.Mode);
        var optimizer = TrainingOptimizer.Create(spec, parameters, TrainableParameters.TakesWeightDecay);
        var generator = new Generator(unchecked((ulong)spec.Seed), model.Device);
        var labelGenerator = optimizer is SophiaOptimizer ? new Generator(unchecked((ulong)spec.Seed + LabelSeedOffset), model.Device) : null;
        State = new TrainingState(parameters, optimizer, schedule, plan, generator, labelGenerator);

        _stochasticModules = [.. model.modules().OfType<IStochasticModule>()];
        foreach (var module in _stochasticModules)
        {
            module.Generator = State.DropoutGenerator;
        }
    }

    /// <summary>The run's whole state: parameters, optimizer, position, generator and history.</summary>
    public TrainingState State { get; }

    /// <summary>
    /// Runs optimizer steps until the plan is complete, calling <paramref name="onStep"/> after each, with activation
    /// checkpointing as the spec says. The token is checked before every step; on cancellation the gradients are cleared,
    /// the model's training and checkpointing flags are restored and
    /// <see cref="OperationCanceledException"/> is thrown, with <see cref="State"/> at the last completed step.
    /// </summary>
    /// <returns>The metrics of every step taken so far (this call and earlier ones).</returns>
    /// <exception cref="LoraException"><see cref="TrainingErrorCodes.NoTargetTokens"/>, <see cref="TrainingErrorCodes.TrainingDiverged"/> or a malformed batch.</exception>
    public TrainingMetrics Train(Action<TrainingProgress>? onStep = null, CancellationToken cancellationToken = default)
    {
        var wasTraining = _model.training;
        var wasCheckpointing = _model.ActivationCheckpointing;
        _model.train();
        _model.ActivationCheckpointing = _spec.ActivationCheckpointing;
        try
        {
            while (!State.IsComplete)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var step = RunStep();
                State.History.Add(step);
                onStep?.Invoke(ProgressAfter(step));
            }
        }
        finally
        {
            State.Optimizer.ZeroGrad();
            _model.train(wasTraining);
            _model.ActivationCheckpointing = wasCheckpointing;
        }

        return TrainingMetrics.From(State.History, PeakMemory.ForDevice(_model.Device)) with { Memory = MemoryShares.Count(_model, State) };
    }

    public void Dispose()
    {
        foreach (var module in _stochasticModules)
        {
            if (ReferenceEquals(module.Generator, State.DropoutGenerator))
            {
                module.Generator = null;
            }
        }

        State.Dispose();
    }

    private StepRecord RunStep()
    {
        var stopwatch = Stopwatch.StartNew();
        var epoch = State.Epoch;
        var first = State.BatchInEpoch;
        var count = State.Plan.MicroBatchesInStep(first);
        var microBatches = new List<(PaddedBatch Batch, LossTargets Targets)>(count);
        for (var index = first; index < first + count; index++)
        {
            var batch = _data.GetBatch(epoch, index);
            microBatches.Add((batch, LossTargets.From(batch, $"epoch {epoch}, batch {index}")));
        }

        var targetTokens = microBatches.Sum(micro => (long)micro.Targets.Count);
        var realTokens = microBatches.Sum(micro => (long)micro.Targets.RealTokens);
        if (targetTokens == 0)
        {
            throw new LoraException(
                TrainingErrorCodes.NoTargetTokens,
                $"Optimizer step {State.OptimizerStep + 1} has no target token in its batches, so there is nothing to learn from.",
                $"epoch {epoch}, batches {first}–{first + count - 1}");
        }

        var learningRate = State.Schedule.At(State.OptimizerStep);
        var loss = AccumulateGradients(microBatches, targetTokens);
        var parameters = State.Optimizer.Parameters.Select(parameter => parameter.Parameter);
        var gradientNorm = GradientClipping.ClipByGlobalNorm(parameters, _spec.MaxGradNorm);
        if (!double.IsFinite(loss) || !double.IsFinite(gradientNorm))
        {
            State.Optimizer.ZeroGrad();
            throw new LoraException(
                TrainingErrorCodes.TrainingDiverged,
                $"At optimizer step {State.OptimizerStep + 1} the loss is {loss} and the gradient norm {gradientNorm}; "
                    + "the step was not applied. Lower the learning rate or clip gradients (maxGradNorm).",
                _spec.SourceLocation);
        }

        State.Optimizer.Step(learningRate);
        State.Optimizer.ZeroGrad();
        State.OptimizerStep++;
        State.BatchInEpoch = first + count;
        if (State.BatchInEpoch == State.Plan.MicroBatchesPerEpoch)
        {
            State.Epoch++;
            State.BatchInEpoch = 0;
        }

        if (State.Optimizer is SophiaOptimizer sophia && State.OptimizerStep % sophia.HessianUpdateInterval == 0)
        {
            EstimateHessian(sophia, microBatches, targetTokens);
        }

        return new StepRecord(
            State.OptimizerStep, epoch, loss, learningRate, gradientNorm, targetTokens, realTokens, stopwatch.Elapsed.TotalSeconds);
    }

    /// <returns>The mean loss over the step's target tokens.</returns>
    private double AccumulateGradients(List<(PaddedBatch Batch, LossTargets Targets)> microBatches, long targetTokens)
    {
        using var stepScope = NewDisposeScope();
        var lossTotal = zeros([], ScalarType.Float32, _model.Device);
        foreach (var (batch, targets) in microBatches)
        {
            if (targets.Count == 0)
            {
                continue;
            }

            using var scope = NewDisposeScope();
            var lossSum = CausalLmLoss.Sum(_model, batch, targets);
            using var tokens = targetTokens.ToScalar();
            lossSum.div(tokens).backward();
            lossTotal.PlusInPlace(lossSum.detach());
        }

        return lossTotal.item<float>() / (double)targetTokens;
    }

    /// <summary>One Gauss-Newton-Bartlett estimate on the step's micro-batches, folded into the optimizer's Hessian.</summary>
    private void EstimateHessian(SophiaOptimizer sophia, List<(PaddedBatch Batch, LossTargets Targets)> microBatches, long targetTokens)
    {
        var sampledLoss = GaussNewtonBartlett.AccumulateGradients(_model, microBatches, targetTokens, State.LabelGenerator!);
        if (!double.IsFinite(sampledLoss))
        {
            State.Optimizer.ZeroGrad();
            throw new LoraException(
                TrainingErrorCodes.TrainingDiverged,
                $"After optimizer step {State.OptimizerStep} the loss against sampled labels for Sophia's Hessian estimate is {sampledLoss}: "
                    + "the model's outputs are no longer finite. Lower the learning rate.",
                _spec.SourceLocation);
        }

        sophia.UpdateHessian(targetTokens);
        State.Optimizer.ZeroGrad();
    }

    private TrainingProgress ProgressAfter(StepRecord step)
    {
        var history = State.History;
        var elapsed = TimeSpan.FromSeconds(history.Seconds);
        var remainingSteps = State.Plan.TotalSteps - State.OptimizerStep;
        var remaining = TimeSpan.FromSeconds(history.Seconds / history.Steps.Count * remainingSteps);
        var tokensPerSecond = history.Seconds > 0 ? history.TotalTokens / history.Seconds : 0;
        return new TrainingProgress(
            step.Step, State.Plan.TotalSteps, step.Epoch, step.Loss, step.LearningRate, step.GradientNorm, tokensPerSecond, elapsed, remaining)
        {
            PeakMemoryBytes = PeakMemory.ForDevice(_model.Device),
        };
    }
}
