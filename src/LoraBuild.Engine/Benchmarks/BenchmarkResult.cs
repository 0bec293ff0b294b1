using System.Text.Json.Serialization;
using LoraBuild.Core.Specs;

namespace LoraBuild.Engine.Benchmarks;

/// <summary>What one precision path of the training benchmark measured, in one process.</summary>
public sealed record BenchmarkResult
{
    /// <summary>One of <see cref="BenchmarkPaths.All"/>: how the base is held (LoRA matrices and optimizer state are float32 on every path).</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    [JsonPropertyName("settings")]
    public required BenchmarkSettings Settings { get; init; }

    [JsonPropertyName("machine")]
    public required MachineDescription Machine { get; init; }

    /// <summary>Parameters of the base model (embedding, decoder, final norm, output head).</summary>
    [JsonPropertyName("base_parameters")]
    public required long BaseParameters { get; init; }

    /// <summary>Parameters the optimizer updates (the LoRA matrices).</summary>
    [JsonPropertyName("trainable_parameters")]
    public required long TrainableParameters { get; init; }

    /// <summary>Training FLOPs of one step (<see cref="TrainingFlops"/>).</summary>
    [JsonPropertyName("flops_per_step")]
    public required TrainingFlops FlopsPerStep { get; init; }

    /// <summary>Wall time of every timed step, in order.</summary>
    [JsonPropertyName("step_seconds")]
    public required IReadOnlyList<double> StepSeconds { get; init; }

    /// <summary>Wall time of every warm-up step, in order.</summary>
    [JsonPropertyName("warmup_step_seconds")]
    public required IReadOnlyList<double> WarmupStepSeconds { get; init; }

    /// <summary>Best-of-runs GFLOP/s of an n × n float32 matmul in this process (n = <see cref="BenchmarkSettings.MatmulSize"/>).</summary>
    [JsonPropertyName("matmul_gflops_fp32")]
    public required double MatmulGflopsFp32 { get; init; }

    /// <summary>The same for bfloat16.</summary>
    [JsonPropertyName("matmul_gflops_bf16")]
    public required double MatmulGflopsBf16 { get; init; }

    /// <summary>The process's resident memory before the model was created; null where it cannot be read.</summary>
    [JsonPropertyName("baseline_memory_bytes")]
    public long? BaselineMemoryBytes { get; init; }

    /// <summary>
    /// The process's <c>VmHWM</c> after training, the mark having been reset to the resident memory once the model was
    /// ready (so a setup transient such as the full weights an NF4 layer replaces is not counted); null where it cannot be read.
    /// </summary>
    [JsonPropertyName("peak_memory_bytes")]
    public long? PeakMemoryBytes { get; init; }

    /// <summary>How the process's allocator was set up: one of <see cref="Native.HeapModes"/>.</summary>
    [JsonPropertyName("heap")]
    public string? Heap { get; init; }

    /// <summary>
    /// The peak of live memory over the baseline: <see cref="PeakOverBaselineBytes"/> of a process started with
    /// <see cref="Native.ExactAllocationHeap"/> (this one, or a second process the parent ran for this path); null when
    /// no such process ran. This, not the tuned heap's mark, is what CUDA's <c>max_memory_allocated</c> reports on a GPU.
    /// </summary>
    [JsonPropertyName("allocation_peak_over_baseline_bytes")]
    public long? AllocationPeakOverBaselineBytes { get; init; }

    [JsonPropertyName("loss_first")]
    public required double LossFirst { get; init; }

    [JsonPropertyName("loss_last")]
    public required double LossLast { get; init; }

    /// <summary>Mean wall time of a timed step.</summary>
    [JsonIgnore]
    public double MeanStepSeconds => StepSeconds.Average();

    /// <summary>Tokens of the timed steps per second of their wall time.</summary>
    [JsonIgnore]
    public double TokensPerSecond => Settings.TokensPerStep / MeanStepSeconds;

    [JsonIgnore]
    public double AchievedGflops => FlopsPerStep.Total / MeanStepSeconds / 1e9;

    /// <summary>The matmul rate of the path's own dtype.</summary>
    [JsonIgnore]
    public double MatmulGflops => BenchmarkPaths.Precision(Path) == Precisions.Bf16 ? MatmulGflopsBf16 : MatmulGflopsFp32;

    /// <summary>Model FLOP utilization: achieved training FLOP/s over the matmul FLOP/s of the same dtype.</summary>
    [JsonIgnore]
    public double Mfu => AchievedGflops / MatmulGflops;

    /// <summary>How far the model and its training raised the high-water mark above the resident memory before the model existed.</summary>
    [JsonIgnore]
    public long? PeakOverBaselineBytes => PeakMemoryBytes - BaselineMemoryBytes;
}
