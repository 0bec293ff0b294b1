using System.CommandLine;
using System.Globalization;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Models;
using LoraBuild.Engine.SafeTensors;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>dotnet lora inspect</c>: what a model is, how big, and what a LoRA adapter on it would train; or, for an adapter
/// folder, its settings, size and (with <c>lorabuild.json</c>) how it was trained and how well it did.
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string?>("path") { Description = "A model directory, a config.json, or an adapter folder.", Arity = ArgumentArity.ZeroOrOne };
        var config = new Option<string?>("--config") { Description = "A bare config.json to inspect (instead of a directory)." };
        var rank = new Option<int?>("--rank", "-r") { Description = "LoRA rank: print the trainable parameter count." };
        var alpha = new Option<double?>("--alpha") { Description = "LoRA alpha (default 2 × rank)." };
        var targets = new Option<string>("--targets")
        {
            Description = "LoRA target modules: names, comma-separated, all-linear, or re:<regular expression>.",
            DefaultValueFactory = _ => AdapterTargets.AllLinearKeyword,
        };
        var command = new Command("inspect", "Describe a model directory or config.json and the LoRA parameters it would train, or an adapter folder.")
        {
            path, config, rank, alpha, targets,
        };
        command.SetAction(parse => CommandRunner.Run(() => Run(
            parse.GetValue(config) ?? parse.GetValue(path),
            parse.GetValue(rank),
            parse.GetValue(alpha),
            parse.GetValue(targets)!)));
        return command;
    }

    private static int Run(string? path, int? rank, double? alpha, string targets)
    {
        var (configPath, directory) = Resolve(path);
        if (directory is not null && AdapterReport.IsAdapterFolder(directory))
        {
            AdapterReport.Write(directory);
            return 0;
        }

        var config = ModelConfig.Load(configPath);
        var counts = ParameterCounts.For(config);

        var table = new Table().AddColumn("property").AddColumn("value");
        table.AddRow("source", Markup.Escape(directory ?? configPath));
        table.AddRow("architecture", $"{config.Architecture} ({config.Family})");
        table.AddRow("layers × hidden", $"{config.NumHiddenLayers} × {config.HiddenSize}, MLP {config.IntermediateSize}");
        table.AddRow("attention heads", $"{config.NumAttentionHeads} query, {config.NumKeyValueHeads} key/value, head dim {config.HeadDim}");
        table.AddRow("vocabulary", Count(config.VocabSize));
        table.AddRow("rotary", $"theta {config.RopeTheta.ToString(CultureInfo.InvariantCulture)}" + (config.RopeScaling is null ? string.Empty : $", scaling {config.RopeScaling}"));
        table.AddRow("embeddings", config.TieWordEmbeddings ? "tied to the output head" : "separate output head");
        table.AddRow("parameters", Count(counts.Total));
        if (directory is not null)
        {
            using var weights = SafeTensorsModel.Open(directory);
            var stored = weights.Tensors.Sum(t => t.ElementCount);
            var dtypes = string.Join(", ", weights.Tensors.GroupBy(t => t.DType).OrderByDescending(g => g.Sum(t => t.ElementCount)).Select(g => g.Key.ToString()));
            table.AddRow("weights", $"{Count(weights.Tensors.Count)} tensors, {Count(stored)} parameters stored, {dtypes}");
            if (stored != counts.Total)
            {
                table.AddRow("[yellow]warning[/]", $"the weights hold {Count(stored)} parameters but config.json implies {Count(counts.Total)}");
            }

            table.AddRow("dtype", $"{dtypes} (config.json says {config.TorchDtype ?? "nothing"})");
            table.AddRow("size on disk", Bytes(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)));
        }
        else
        {
            table.AddRow("dtype", config.TorchDtype ?? "(not stated in config.json)");
        }

        if (rank is { } r)
        {
            var resolvedTargets = AdapterTargets.ParseSpec(targets, "--targets");
            LlamaLinearModules.RequireKnownNames(resolvedTargets, config, "--targets");
            var resolvedAlpha = alpha ?? 2.0 * r;
            if (!double.IsFinite(resolvedAlpha) || resolvedAlpha <= 0)
            {
                throw new LoraException(LoraErrorCodes.AlphaInvalid, $"The LoRA alpha must be a positive number, not {resolvedAlpha}.", "--alpha");
            }

            var trainable = LoraParameterCount.Trainable(config, r, resolvedTargets);
            table.AddRow("LoRA", Markup.Escape($"r={r}, alpha={resolvedAlpha.ToString(CultureInfo.InvariantCulture)} (scale {(resolvedAlpha / r).ToString("0.###", CultureInfo.InvariantCulture)}), targets {resolvedTargets}"));
            table.AddRow("LoRA trainable", $"{Count(trainable)} ({(100.0 * trainable / counts.Total).ToString("0.####", CultureInfo.InvariantCulture)}% of the base)");
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static (string ConfigPath, string? Directory) Resolve(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new LoraException(CliErrorCodes.ModelPathMissing, "Name a model directory or a config.json (argument or --config).", "inspect");
        }

        if (Directory.Exists(path))
        {
            return (Path.Combine(path, "config.json"), path);
        }

        if (!File.Exists(path))
        {
            throw new LoraException(CliErrorCodes.PathNotFound, "No such model directory or config.json.", path);
        }

        return (path, null);
    }

    internal static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Bytes(long value) => value switch
    {
        >= 1L << 30 => $"{value / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{value / (double)(1L << 20):F2} MiB",
        >= 1L << 10 => $"{value / 1024.0:F1} KiB",
        _ => $"{value} B",
    };
}
