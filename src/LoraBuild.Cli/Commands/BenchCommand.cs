using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;
using LoraBuild.Engine.Benchmarks;
using LoraBuild.Engine.Native;
using Spectre.Console;
using TorchSharp;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>dotnet lora bench</c>: trains a Llama-shaped model with random weights and a LoRA adapter for a few steps in fp32
/// and in bf16, and reports tokens/s, step time, peak memory and model FLOP utilization. Without <c>--path</c> each path
/// runs in a child process of its own (this same tool with <c>--path</c>), so that each peak memory is that path's alone.
/// </summary>
internal static class BenchCommand
{
    private static readonly BenchmarkSettings s_defaults = new();

    public static Command Create()
    {
        var path = new Option<string?>("--path") { Description = "Run only this path (fp32, bf16 or nf4), in this process." };
        var json = new Option<string?>("--json") { Description = "Write the results to this JSON file." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the results table into this Markdown file (between its bench markers)." };
        var section = new Option<string?>("--section") { Description = "With --markdown: write between this named section's markers (bench:NAME:begin/end), so one file can hold several runs." };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's choice)." };
        var layers = IntOption("--layers", "Decoder layers.", s_defaults.Layers);
        var hidden = IntOption("--hidden", "Hidden size.", s_defaults.Hidden);
        var intermediate = IntOption("--intermediate", "MLP intermediate size.", s_defaults.Intermediate);
        var heads = IntOption("--heads", "Attention heads.", s_defaults.Heads);
        var vocab = IntOption("--vocab", "Vocabulary size.", s_defaults.Vocab);
        var sequence = IntOption("--seq", "Tokens per sequence.", s_defaults.SequenceLength);
        var batch = IntOption("--batch", "Sequences per step.", s_defaults.BatchSize);
        var steps = IntOption("--steps", "Timed optimizer steps.", s_defaults.Steps);
        var warmup = IntOption("--warmup-steps", "Untimed optimizer steps first.", s_defaults.WarmupSteps);
        var rank = IntOption("--rank", "LoRA rank.", s_defaults.Rank);
        var dropout = new Option<double>("--dropout")
        {
            Description = "LoRA dropout (the product's default unless given).",
            DefaultValueFactory = _ => s_defaults.Dropout,
        };
        var matmulSize = IntOption("--matmul-size", "Size n of the n × n matmul MFU is measured against.", s_defaults.MatmulSize);
        var seed = IntOption("--seed", "Seed for weights, adapter, data and dropout.", s_defaults.Seed);
        var targets = new Option<string>("--targets")
        {
            Description = "LoRA target modules, comma-separated, or all-linear.",
            DefaultValueFactory = _ => s_defaults.Targets,
        };
        var checkpointing = new Option<bool>("--activation-checkpointing")
        {
            Description = "Recompute each decoder layer's activations in the backward pass (less memory, one more forward pass).",
        };
        var command = new Command("bench", "Measure LoRA training speed, memory and FLOP utilization in fp32, bf16 and QLoRA (nf4) on a Llama-shaped model with random weights (134M parameters by default).")
        {
            path, json, markdown, threads, layers, hidden, intermediate, heads, vocab, sequence, batch, steps, warmup, rank, dropout, targets, matmulSize, seed, checkpointing, section,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(() =>
        {
            var settings = s_defaults with
            {
                Layers = parse.GetValue(layers),
                Hidden = parse.GetValue(hidden),
                Intermediate = parse.GetValue(intermediate),
                Heads = parse.GetValue(heads),
                Vocab = parse.GetValue(vocab),
                SequenceLength = parse.GetValue(sequence),
                BatchSize = parse.GetValue(batch),
                Steps = parse.GetValue(steps),
                WarmupSteps = parse.GetValue(warmup),
                Rank = parse.GetValue(rank),
                Alpha = 2.0 * parse.GetValue(rank),
                Dropout = parse.GetValue(dropout),
                Targets = parse.GetValue(targets)!,
                MatmulSize = parse.GetValue(matmulSize),
                Seed = parse.GetValue(seed),
                ActivationCheckpointing = parse.GetValue(checkpointing),
            };
            return Run(settings, parse.GetValue(path), parse.GetValue(threads), parse.GetValue(json), parse.GetValue(markdown), parse.GetValue(section), cancellation);
        })));
        return command;
    }

    private static Option<int> IntOption(string name, string description, int defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static int Run(BenchmarkSettings settings, string? path, int? threads, string? jsonPath, string? markdownPath, string? sectionName, CancellationToken cancellation)
    {
        settings.Validate();
        if (threads is { } count)
        {
            if (count < 1)
            {
                throw new LoraException(BenchmarkErrorCodes.BenchmarkSettingInvalid, $"--threads must be at least 1, not {count}.", "--threads");
            }

            torch.set_num_threads(count);
        }

        IReadOnlyList<BenchmarkResult> results = path is not null
            ? [BenchmarkRunner.Run(settings, path, Console.WriteLine, cancellation)]
            : RunChildren(settings, threads, cancellation);

        Print(results);
        if (jsonPath is not null)
        {
            AtomicFile.WriteAllText(jsonPath, BenchmarkJson.Serialize(results));
        }

        if (markdownPath is not null)
        {
            var existing = File.Exists(markdownPath) ? File.ReadAllText(markdownPath) : null;
            var section = BenchmarkMarkdown.Render(results, CommandText(settings, path, threads, markdownPath, sectionName), sectionName);
            AtomicFile.WriteAllText(markdownPath, BenchmarkMarkdown.Splice(existing, section, sectionName));
            AnsiConsole.MarkupLine($"Wrote the results into [bold]{Markup.Escape(markdownPath)}[/].");
        }

        return 0;
    }

    /// <summary>
    /// Every path in a process of its own, timed with the tuned heap; then, where it can be arranged, each again for one
    /// warm-up and one measured step in a process whose heap maps every large block on its own, for the peak of live memory.
    /// </summary>
    private static List<BenchmarkResult> RunChildren(BenchmarkSettings settings, int? threads, CancellationToken cancellation)
    {
        var results = BenchmarkPaths.All.Select(name => RunChild(settings, name, threads, exactAllocations: false, cancellation)).ToList();
        if (!ExactAllocationHeap.IsSupported)
        {
            return results;
        }

        var allocationSettings = settings with { Steps = 1, WarmupSteps = 1 };
        return [.. results.Select(result => result with
        {
            AllocationPeakOverBaselineBytes = RunChild(allocationSettings, result.Path, threads, exactAllocations: true, cancellation).AllocationPeakOverBaselineBytes,
        })];
    }

    /// <summary>Runs one path in a fresh process of this tool, so that its peak memory is its own.</summary>
    private static BenchmarkResult RunChild(BenchmarkSettings settings, string path, int? threads, bool exactAllocations, CancellationToken cancellation)
    {
        var pass = exactAllocations ? "allocations" : "timed";
        var resultFile = Path.Combine(Path.GetTempPath(), $"lora-bench-{Environment.ProcessId}-{path}-{pass}.json");
        var (fileName, prefix) = SelfInvocation();
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false };
        if (exactAllocations)
        {
            ExactAllocationHeap.Apply(start.Environment);
        }

        foreach (var argument in prefix.Concat(["bench", "--path", path, "--json", resultFile]).Concat(SettingArguments(settings, threads)))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var child = Process.Start(start)
                ?? throw new LoraException(BenchmarkErrorCodes.BenchmarkChildFailed, $"Could not start '{fileName}' for the {path} path.", "bench");
            using (cancellation.Register(() => child.Kill(entireProcessTree: true)))
            {
                child.WaitForExit();
            }

            cancellation.ThrowIfCancellationRequested();
            if (child.ExitCode != 0 || !File.Exists(resultFile))
            {
                throw new LoraException(
                    BenchmarkErrorCodes.BenchmarkChildFailed,
                    $"The {path} benchmark process ({pass} pass) exited with code {child.ExitCode} and left no result; its output is above.",
                    "bench");
            }

            return BenchmarkJson.Deserialize(File.ReadAllText(resultFile)).Single();
        }
        catch (JsonException e)
        {
            throw new LoraException(BenchmarkErrorCodes.BenchmarkChildFailed, $"The {path} benchmark process wrote an unreadable result: {e.Message}", resultFile);
        }
        finally
        {
            File.Delete(resultFile);
        }
    }

    /// <summary>How to start this tool again: its own executable, or the dotnet host with this assembly.</summary>
    private static (string FileName, string[] Prefix) SelfInvocation()
    {
        var processPath = Environment.ProcessPath;
        var name = processPath is null ? null : Path.GetFileNameWithoutExtension(processPath);
        if (processPath is not null && name == "dotnet-lora")
        {
            return (processPath, []);
        }

        var host = name == "dotnet" ? processPath! : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return (host, [typeof(BenchCommand).Assembly.Location]);
    }

    /// <summary>The options that differ from the defaults (and the thread count when given).</summary>
    private static IEnumerable<string> SettingArguments(BenchmarkSettings settings, int? threads)
    {
        var pairs = new (string Option, object Value, object Default)[]
        {
            ("--layers", settings.Layers, s_defaults.Layers),
            ("--hidden", settings.Hidden, s_defaults.Hidden),
            ("--intermediate", settings.Intermediate, s_defaults.Intermediate),
            ("--heads", settings.Heads, s_defaults.Heads),
            ("--vocab", settings.Vocab, s_defaults.Vocab),
            ("--seq", settings.SequenceLength, s_defaults.SequenceLength),
            ("--batch", settings.BatchSize, s_defaults.BatchSize),
            ("--steps", settings.Steps, s_defaults.Steps),
            ("--warmup-steps", settings.WarmupSteps, s_defaults.WarmupSteps),
            ("--rank", settings.Rank, s_defaults.Rank),
            ("--dropout", settings.Dropout, s_defaults.Dropout),
            ("--targets", settings.Targets, s_defaults.Targets),
            ("--matmul-size", settings.MatmulSize, s_defaults.MatmulSize),
            ("--seed", settings.Seed, s_defaults.Seed),
            ("--activation-checkpointing", settings.ActivationCheckpointing ? "true" : "false", s_defaults.ActivationCheckpointing ? "true" : "false"),
        };
        foreach (var (option, value, defaultValue) in pairs.Where(pair => !pair.Value.Equals(pair.Default)))
        {
            yield return option;
            yield return Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }

        if (threads is { } count)
        {
            yield return "--threads";
            yield return count.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static string CommandText(BenchmarkSettings settings, string? path, int? threads, string markdownPath, string? sectionName)
    {
        var parts = new List<string> { "dotnet lora bench" };
        if (path is not null)
        {
            parts.Add($"--path {path}");
        }

        var arguments = SettingArguments(settings, threads).ToList();
        for (var i = 0; i < arguments.Count; i += 2)
        {
            parts.Add($"{arguments[i]} {arguments[i + 1]}");
        }

        parts.Add($"--markdown {markdownPath}");
        if (sectionName is not null)
        {
            parts.Add($"--section {sectionName}");
        }

        return string.Join(' ', parts);
    }

    private static void Print(IReadOnlyList<BenchmarkResult> results)
    {
        var table = new Table()
            .AddColumn("path")
            .AddColumn(new TableColumn("tokens/s").RightAligned())
            .AddColumn(new TableColumn("step").RightAligned())
            .AddColumn(new TableColumn("GFLOP/s").RightAligned())
            .AddColumn(new TableColumn("matmul GFLOP/s").RightAligned())
            .AddColumn(new TableColumn("MFU").RightAligned())
            .AddColumn(new TableColumn("peak memory").RightAligned())
            .AddColumn(new TableColumn("over baseline").RightAligned())
            .AddColumn(new TableColumn("live peak over baseline").RightAligned());
        foreach (var result in results)
        {
            table.AddRow(
                result.Path,
                Invariant($"{result.TokensPerSecond:F0}"),
                Invariant($"{result.MeanStepSeconds:F2} s"),
                Invariant($"{result.AchievedGflops:F1}"),
                Invariant($"{result.MatmulGflops:F1}"),
                Invariant($"{result.Mfu:P1}"),
                MiB(result.PeakMemoryBytes),
                MiB(result.PeakOverBaselineBytes),
                MiB(result.AllocationPeakOverBaselineBytes));
        }

        AnsiConsole.Write(table);
        if (results.All(result => result.Heap == HeapModes.ExactAllocations))
        {
            AnsiConsole.MarkupLine("Allocation pass: its step times run with every large block freshly mapped, so no speed target is judged on them.");
            return;
        }

        if (BenchmarkTargets.Find(results, BenchmarkPaths.Fp32) is { } fp32)
        {
            AnsiConsole.MarkupLine(Invariant(
                $"fp32 MFU {fp32.Mfu:P1} (target ≥ {BenchmarkTargets.Fp32MfuAtLeast:P0}): {Verdict(fp32.Mfu >= BenchmarkTargets.Fp32MfuAtLeast)}"));
        }

        if (BenchmarkTargets.Bf16Speedup(results) is { } speedup)
        {
            AnsiConsole.MarkupLine(Invariant(
                $"bf16 speedup {speedup:F2}× (target ≥ {BenchmarkTargets.Bf16SpeedupAtLeast:0.0#}×): {Verdict(speedup >= BenchmarkTargets.Bf16SpeedupAtLeast)}"));
        }

        if (BenchmarkTargets.Nf4MemoryFraction(results) is { } fraction)
        {
            AnsiConsole.MarkupLine(Invariant(
                $"nf4 live memory peak over baseline {fraction:F2} of bf16's (target ≤ {BenchmarkTargets.Nf4MemoryFractionAtMost:0.0#}): {Verdict(fraction <= BenchmarkTargets.Nf4MemoryFractionAtMost)}"));
        }

        if (BenchmarkTargets.Nf4ResidentMemoryFraction(results) is { } residentFraction)
        {
            AnsiConsole.MarkupLine(Invariant($"nf4 peak over baseline with the tuned heap {residentFraction:F2} of bf16's (the heap keeps freed blocks for speed)"));
        }

        if (BenchmarkTargets.Nf4StepTimeRatio(results) is { } stepRatio)
        {
            AnsiConsole.MarkupLine(Invariant(
                $"nf4 step time {stepRatio:F2}× bf16's (target ≤ {BenchmarkTargets.Nf4StepTimeRatioAtMost:0.0#}×): {Verdict(stepRatio <= BenchmarkTargets.Nf4StepTimeRatioAtMost)}"));
        }
    }

    private static string Verdict(bool met) => met ? "[green]met[/]" : "[red]not met[/]";

    private static string MiB(long? bytes) => bytes is { } value ? Invariant($"{value / (double)(1 << 20):N0} MiB") : "n/a";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
