using System.Globalization;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Diagnostics;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Native;
using LoraBuild.Engine.Quantization;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Benchmarks;

/// <summary>
/// Runs one path of the training benchmark in this process: measures the matmul rates, builds the model with
/// random weights, puts LoRA on it, and trains it with the real <see cref="Trainer"/> on random tokens.
/// </summary>
/// <remarks>
/// Peak memory is the process's high-water mark, reset once the model is ready so that setup transients (the full
/// weights NF4 layers replace) do not count; runtime and libraries loaded earlier would still blur paths run in one
/// process, so <c>dotnet lora bench</c> starts one per path. The matmul rates are measured before the
/// model exists and again after training, and the better of the two is kept, so a busy moment in one of them does not
/// flatter the utilization.
/// </remarks>
public static class BenchmarkRunner
{
    private const int MatmulRepetitions = 5;

    /// <summary>Trains <paramref name="settings"/>' model on <paramref name="path"/> and reports what it measured.</summary>
    /// <param name="settings">Model, adapter, batch and step counts.</param>
    /// <param name="path">One of <see cref="BenchmarkPaths.All"/>.</param>
    /// <param name="log">Receives one line per stage and per step; null for silence.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    public static BenchmarkResult Run(
        BenchmarkSettings settings, string path, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var dtype = BenchmarkPaths.ComputeDType(path);
        var machine = MachineDescription.Current();
        var config = settings.ModelConfig();
        var spec = settings.TrainingSpec(path);
        var loraSettings = LoraSettings.FromSpec(spec);

        var fp32Before = MatmulProbe.MeasureGflops(ScalarType.Float32, settings.MatmulSize, MatmulRepetitions);
        var bf16Before = MatmulProbe.MeasureGflops(ScalarType.BFloat16, settings.MatmulSize, MatmulRepetitions);
        log?.Invoke(Invariant($"[{path}] matmul n={settings.MatmulSize}: fp32 {fp32Before:F1} GFLOP/s, bf16 {bf16Before:F1} GFLOP/s ({machine.Threads} threads)"));
        // Trimmed first, as the NF4 path trims after quantizing: otherwise free heap left by earlier work in this
        // process would count in the baseline and could put the peak below it.
        NativeHeap.ReleaseFreeMemory();
        var baseline = PeakMemory.ResidentBytes();
        if (ExactAllocationHeap.IsActive)
        {
            log?.Invoke($"[{path}] allocation pass: every block of {ExactAllocationHeap.MmapThresholdBytes >> 10} KiB or more is mapped on its own, so the peak is that of live memory (steps are slower)");
        }

        using var model = CausalLanguageModel.Create(config, dtype, CPU);
        WeightInitializer.Initialize(model, settings.Seed);
        if (path == BenchmarkPaths.Nf4)
        {
            var (layers, bytesBefore, bytesAfter) = ModelQuantizer.QuantizeDecoderLinearLayers(model);
            log?.Invoke(Invariant($"[{path}] quantized {layers} linear layers to NF4: {bytesBefore / 1048576.0:F1} MiB → {bytesAfter / 1048576.0:F1} MiB"));
        }

        LoraAdapter adapter;
        using (var initGenerator = new Generator(unchecked((ulong)settings.Seed), CPU))
        using (var placeholderDropout = new Generator(0, CPU))
        {
            // The trainer hands every LoRA layer its own seeded dropout generator; this one only satisfies the injector.
            adapter = LoraInjector.Apply(model, loraSettings, initGenerator, placeholderDropout);
        }

        var baseParameters = ParameterCounts.For(config).Total;
        log?.Invoke(Invariant($"[{path}] model: {settings.Layers} layers × {settings.Hidden}, MLP {settings.Intermediate}, {settings.Heads} heads, vocab {settings.Vocab}, {baseParameters:N0} parameters"));
        log?.Invoke(Invariant(
            $"[{path}] LoRA r={settings.Rank} on {settings.Targets}: {adapter.TrainableParameterCount:N0} trainable parameters{(settings.ActivationCheckpointing ? ", activation checkpointing" : string.Empty)}"));

        PeakMemory.ResetHighWaterMark();
        var batches = new RandomTokenBatches(settings.BatchSize, settings.SequenceLength, settings.Vocab, settings.WarmupSteps + settings.Steps, settings.Seed);
        using var trainer = new Trainer(model, spec, batches);
        trainer.Train(
            progress =>
            {
                var step = trainer.State.History.Steps[^1];
                var phase = progress.Step <= settings.WarmupSteps ? "warm-up" : "timed";
                log?.Invoke(Invariant(
                    $"[{path}] step {progress.Step}/{progress.TotalSteps} ({phase}): {step.Seconds:F2} s, {step.TotalTokens / step.Seconds:F0} tokens/s, loss {step.Loss:F4}"));
            },
            cancellationToken);
        var peak = PeakMemory.ForDevice(CPU);

        var fp32After = MatmulProbe.MeasureGflops(ScalarType.Float32, settings.MatmulSize, MatmulRepetitions);
        var bf16After = MatmulProbe.MeasureGflops(ScalarType.BFloat16, settings.MatmulSize, MatmulRepetitions);
        log?.Invoke(Invariant($"[{path}] matmul n={settings.MatmulSize} after training: fp32 {fp32After:F1} GFLOP/s, bf16 {bf16After:F1} GFLOP/s"));

        var steps = trainer.State.History.Steps;
        return new BenchmarkResult
        {
            Path = path,
            Settings = settings,
            Machine = machine,
            BaseParameters = baseParameters,
            TrainableParameters = adapter.TrainableParameterCount,
            FlopsPerStep = TrainingFlops.ForStep(
                config, adapter.TrainableParameterCount, settings.BatchSize, settings.SequenceLength, settings.PredictedTokensPerStep),
            WarmupStepSeconds = [.. steps.Take(settings.WarmupSteps).Select(step => step.Seconds)],
            StepSeconds = [.. steps.Skip(settings.WarmupSteps).Select(step => step.Seconds)],
            MatmulGflopsFp32 = Math.Max(fp32Before, fp32After),
            MatmulGflopsBf16 = Math.Max(bf16Before, bf16After),
            BaselineMemoryBytes = baseline,
            PeakMemoryBytes = peak,
            Heap = NativeHeap.Mode,
            AllocationPeakOverBaselineBytes = ExactAllocationHeap.IsActive ? peak - baseline : null,
            LossFirst = steps[0].Loss,
            LossLast = steps[^1].Loss,
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
