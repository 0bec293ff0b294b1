using System.Globalization;
using System.Text;

namespace LoraBuild.Engine.Benchmarks;

/// <summary>
/// The benchmark's results as a Markdown section, and how it replaces the previous one in a document: the section
/// lies between <see cref="BeginMarker"/> and <see cref="EndMarker"/> (or a named section's markers, so one document can
/// hold several runs), and everything around it is left as written. It holds no wall-clock time, so re-running on the
/// same machine changes only the measured numbers.
/// </summary>
public static class BenchmarkMarkdown
{
    public const string BeginMarker = "<!-- bench:begin (written by dotnet lora bench; edits inside are overwritten) -->";
    public const string EndMarker = "<!-- bench:end -->";

    /// <summary>The begin and end markers of the section called <paramref name="name"/>; null is the unnamed section.</summary>
    public static (string Begin, string End) Markers(string? name) => string.IsNullOrEmpty(name)
        ? (BeginMarker, EndMarker)
        : ($"<!-- bench:{name}:begin (written by dotnet lora bench; edits inside are overwritten) -->", $"<!-- bench:{name}:end -->");

    /// <summary>The section for <paramref name="results"/>, all from one settings, produced by <paramref name="command"/>.</summary>
    /// <param name="results">The paths' results.</param>
    /// <param name="command">The command line that produced them.</param>
    /// <param name="sectionName">The section's name (see <see cref="Markers"/>); null for the unnamed one.</param>
    public static string Render(IReadOnlyList<BenchmarkResult> results, string command, string? sectionName = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(command);
        if (results.Count == 0)
        {
            throw new ArgumentException("There are no results to write.", nameof(results));
        }

        var first = results[0];
        var settings = first.Settings;
        var machine = first.Machine;
        var flops = first.FlopsPerStep;
        var text = new StringBuilder();
        var (beginMarker, endMarker) = Markers(sectionName);
        text.AppendLine(beginMarker);
        Line(text, $"Produced by `{command}`.");
        text.AppendLine();
        Line(text, $"- Machine: {machine.Cpu}, {machine.LogicalCpus} logical CPUs, {machine.Threads} libtorch threads; libtorch {machine.Libtorch}, TorchSharp {machine.TorchSharp}.");
        Line(text, $"- Model: {settings.Layers} layers × {settings.Hidden}, MLP {settings.Intermediate}, {settings.Heads} heads, vocab {settings.Vocab}, untied output head: {first.BaseParameters:N0} parameters ({TrainingFlops.DecoderProjectionWeights(first.Settings.ModelConfig()):N0} in decoder projections).");
        Line(text, $"- LoRA r={settings.Rank}, alpha {settings.Alpha:0.##}, dropout {settings.Dropout:0.##} on {settings.Targets}: {first.TrainableParameters:N0} trainable parameters; AdamW, gradient clipping at 1.");
        Line(text, $"- Batch {settings.BatchSize} × {settings.SequenceLength} tokens of random ids; {settings.WarmupSteps} warm-up steps, then {settings.Steps} timed steps; each path in its own process.");
        Line(text, $"- Training FLOPs per step: {Giga(flops.Total)} G = base projections {Giga(flops.BaseProjections)} + output head {Giga(flops.OutputHead)} + attention {Giga(flops.Attention)} + LoRA {Giga(flops.Lora)}.");
        text.AppendLine();
        text.AppendLine("| path | tokens/s | step time (mean, min–max) | achieved GFLOP/s | matmul GFLOP/s, same dtype | MFU | peak memory (VmHWM) | peak over baseline | live memory peak over baseline | load at start |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            Line(text, $"| {Describe(result.Path)} | {result.TokensPerSecond:F0} | {result.MeanStepSeconds:F2} s ({result.StepSeconds.Min():F2}–{result.StepSeconds.Max():F2}) | {result.AchievedGflops:F1} | {result.MatmulGflops:F1} | {result.Mfu:P1} | {MiB(result.PeakMemoryBytes)} | {MiB(result.PeakOverBaselineBytes)} | {MiB(result.AllocationPeakOverBaselineBytes)} | {Load(result.Machine.LoadAverage)} |");
        }

        text.AppendLine();
        var fp32 = BenchmarkTargets.Find(results, BenchmarkPaths.Fp32);
        var speedup = BenchmarkTargets.Bf16Speedup(results);
        text.AppendLine("| target | wanted | measured | met |");
        text.AppendLine("|---|---:|---:|---|");
        if (fp32 is not null)
        {
            Line(text, $"| fp32 MFU | ≥ {BenchmarkTargets.Fp32MfuAtLeast:P0} | {fp32.Mfu:P1} | {YesNo(fp32.Mfu >= BenchmarkTargets.Fp32MfuAtLeast)} |");
        }

        if (speedup is { } ratio)
        {
            Line(text, $"| bf16 tokens/s ÷ fp32 tokens/s | ≥ {BenchmarkTargets.Bf16SpeedupAtLeast:0.0#}× | {ratio:F2}× | {YesNo(ratio >= BenchmarkTargets.Bf16SpeedupAtLeast)} |");
        }

        if (BenchmarkTargets.Nf4MemoryFraction(results) is { } fraction)
        {
            Line(text, $"| nf4 live memory peak over baseline ÷ bf16's | ≤ {BenchmarkTargets.Nf4MemoryFractionAtMost:0.0#} | {fraction:F2} | {YesNo(fraction <= BenchmarkTargets.Nf4MemoryFractionAtMost)} |");
        }

        if (BenchmarkTargets.Nf4ResidentMemoryFraction(results) is { } residentFraction)
        {
            Line(text, $"| nf4 peak over baseline ÷ bf16's, tuned heap (shown, not judged) | | {residentFraction:F2} | |");
        }

        if (BenchmarkTargets.Nf4StepTimeRatio(results) is { } stepRatio)
        {
            Line(text, $"| nf4 step time ÷ bf16 step time | ≤ {BenchmarkTargets.Nf4StepTimeRatioAtMost:0.0#}× | {stepRatio:F2}× | {YesNo(stepRatio <= BenchmarkTargets.Nf4StepTimeRatioAtMost)} |");
        }

        text.AppendLine(endMarker);
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="document"/> with its section between the markers replaced by <paramref name="section"/>; the
    /// section is appended when the document has none, and is the whole text when there is no document.
    /// </summary>
    public static string Splice(string? document, string section, string? sectionName = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (string.IsNullOrEmpty(document))
        {
            return section;
        }

        var (beginMarker, endMarker) = Markers(sectionName);
        var begin = document.IndexOf(beginMarker, StringComparison.Ordinal);
        var end = begin < 0 ? -1 : document.IndexOf(endMarker, begin, StringComparison.Ordinal);
        if (begin < 0 || end < 0)
        {
            return document.TrimEnd() + Environment.NewLine + Environment.NewLine + section;
        }

        var after = end + endMarker.Length;
        var rest = document[after..];
        if (rest.StartsWith('\n'))
        {
            rest = rest[1..];
        }
        else if (rest.StartsWith("\r\n", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }

        return document[..begin] + section + rest;
    }

    private static string Describe(string path) => path switch
    {
        BenchmarkPaths.Fp32 => "fp32 (fp32 base, fp32 LoRA)",
        BenchmarkPaths.Bf16 => "bf16 (bf16 base, fp32 LoRA and AdamW state)",
        BenchmarkPaths.Nf4 => "nf4 (QLoRA: NF4 decoder projections, bf16 compute, fp32 LoRA and AdamW state)",
        _ => path,
    };

    private static string Giga(double flops) => (flops / 1e9).ToString("F1", CultureInfo.InvariantCulture);

    private static string MiB(long? bytes) =>
        bytes is { } value ? (value / (double)(1 << 20)).ToString("N0", CultureInfo.InvariantCulture) + " MiB" : "n/a";

    private static string Load(double? load) => load?.ToString("F2", CultureInfo.InvariantCulture) ?? "n/a";

    private static string YesNo(bool met) => met ? "yes" : "**no**";

    private static void Line(StringBuilder text, FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
}
