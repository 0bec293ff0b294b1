namespace LoraBuild.Core.Planning;

/// <summary>A published peak-memory measurement of a fine-tuning run, and the settings that reproduce the run.</summary>
/// <param name="Source">Who measured it and where it is published.</param>
/// <param name="Run">The run in a few words, e.g. <c>Llama 2 7B, LoRA q,v r=8, bf16</c>.</param>
/// <param name="Preset">The model, as a <see cref="ModelPresets"/> name.</param>
/// <param name="Settings">The run's settings.</param>
/// <param name="MeasuredGigabytes">The published peak, in GB of 10⁹ bytes (<c>torch.cuda.max_memory_allocated() / 1e9</c>).</param>
public sealed record CalibrationPoint(string Source, string Run, string Preset, PlanSettings Settings, double MeasuredGigabytes);
