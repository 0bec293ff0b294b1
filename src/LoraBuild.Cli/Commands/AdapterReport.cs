using System.Globalization;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.SafeTensors;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// What <c>inspect</c> shows for an adapter folder: the PEFT settings, the trainable parameters the weights file holds,
/// and, when the folder has a <c>lorabuild.json</c>, how the adapter was made and how well it did.
/// </summary>
internal static class AdapterReport
{
    /// <summary>Whether <paramref name="directory"/> is an adapter folder rather than a model folder.</summary>
    public static bool IsAdapterFolder(string directory) => File.Exists(Path.Combine(directory, AdapterConfigJson.FileName));

    public static void Write(string directory)
    {
        var config = AdapterConfigJson.Read(Path.Combine(directory, AdapterConfigJson.FileName));
        var lora = config.Lora;
        var table = new Table().AddColumn("property").AddColumn("value");
        table.AddRow("source", Markup.Escape(directory));
        table.AddRow("kind", Markup.Escape($"PEFT LoRA adapter, task {config.TaskType ?? "(none)"}"));
        table.AddRow("base model", Markup.Escape((config.BaseModelNameOrPath ?? "(not recorded)") + (config.Revision is null ? string.Empty : $" @ {config.Revision}")));
        table.AddRow("rank (r)", Number(lora.Rank));
        table.AddRow("alpha", Number(lora.Alpha));
        table.AddRow("scale", $"{Number(lora.ScaleFor(lora.Rank, lora.Alpha))} ({(lora.UseRslora ? "alpha/√r" : "alpha/r")})");
        table.AddRow("rsLoRA", lora.UseRslora ? "yes" : "no");
        table.AddRow("dropout", Number(lora.Dropout));
        table.AddRow("targets", Markup.Escape(lora.Targets.ToString()));
        table.AddRow("layers", lora.LayersToTransform is { } layers ? string.Join(", ", layers) : "all");
        table.AddRow("rank pattern", Markup.Escape(Patterns(lora.RankPattern.Select(pair => (pair.Key, (double)pair.Value)))));
        table.AddRow("alpha pattern", Markup.Escape(Patterns(lora.AlphaPattern.Select(pair => (pair.Key, pair.Value)))));
        AddWeights(table, Path.Combine(directory, AdapterFiles.WeightsFileName));
        table.AddRow("size on disk", InspectCommand.Bytes(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length)));

        var manifestPath = Path.Combine(directory, TrainingManifest.FileName);
        if (File.Exists(manifestPath))
        {
            AddManifest(table, manifestPath);
        }

        AnsiConsole.Write(table);
    }

    private static void AddWeights(Table table, string weightsPath)
    {
        if (!File.Exists(weightsPath))
        {
            table.AddRow("[yellow]weights[/]", $"missing: no {AdapterFiles.WeightsFileName}");
            return;
        }

        var tensors = SafeTensorsHeaderReader.Read(weightsPath).Tensors;
        var dtypes = string.Join(", ", tensors.Select(tensor => tensor.DType.ToString()).Distinct().Order(StringComparer.Ordinal));
        var pairs = tensors.Count(tensor => tensor.Name.EndsWith(".lora_A.weight", StringComparison.Ordinal));
        table.AddRow("trainable parameters", $"{InspectCommand.Count(tensors.Sum(tensor => tensor.ElementCount))} in {pairs} LoRA pairs ({tensors.Count} tensors, {dtypes})");
    }

    private static void AddManifest(Table table, string manifestPath)
    {
        TrainingManifest manifest;
        try
        {
            manifest = TrainingManifestJson.ReadFile(manifestPath);
        }
        catch (LoraException e)
        {
            table.AddRow("[yellow]warning[/]", Markup.Escape($"{TrainingManifest.FileName}: error {e.Code}: {e.Message}"));
            return;
        }

        var spec = manifest.Spec;
        table.AddEmptyRow();
        table.AddRow("[bold]trained by LoraBuild[/]", Markup.Escape(manifest.AdapterName));
        table.AddRow("fingerprint", manifest.Fingerprint);
        table.AddRow("base model (spec)", Markup.Escape(BaseModel(spec.BaseModel)));
        table.AddRow("data", Markup.Escape(Datasets(spec.Datasets) + (spec.EvalDatasets.Count == 0 ? string.Empty : $"; eval {Datasets(spec.EvalDatasets)}")));
        table.AddRow("optimizer", Markup.Escape(
            $"{spec.Optimizer}, lr {Number(spec.LearningRate)}, {spec.Scheduler} schedule, {spec.WarmupSteps} warmup steps, weight decay {Number(spec.WeightDecay)}"));
        table.AddRow("schedule", Markup.Escape(
            $"{spec.Epochs} epoch(s){(spec.MaxSteps is { } maxSteps ? $", at most {maxSteps} steps" : string.Empty)}, batch {spec.BatchSize} × {spec.GradientAccumulationSteps} accumulated, "
                + $"max length {spec.MaxSequenceLength}, seed {spec.Seed}"));
        table.AddRow("precision", Markup.Escape($"{spec.Precision}, quantization {spec.Quantization}, mode {spec.Mode}"));
        var engine = manifest.Engine;
        table.AddRow("engine", Markup.Escape(
            $"LoraBuild {engine.LoraBuildVersion}, TorchSharp {engine.TorchSharpVersion}, libtorch {engine.LibTorchVersion}, {engine.Device} × {engine.Threads} threads"
                + (engine.NativeFix is null ? string.Empty : $" (native fix: {engine.NativeFix})")));

        var train = manifest.Metrics.Train;
        table.AddRow("steps", Metric(train, "steps"));
        table.AddRow("train loss", $"{Metric(train, "loss_first")} → {Metric(train, "loss_final")} (first step → last steps)");
        table.AddRow("tokens/s", Metric(train, "tokens_per_second", "0.#"));
        table.AddRow("wall time", $"{Metric(train, "wall_seconds", "0.##")} s");
        table.AddRow("peak memory", train.TryGetValue("peak_memory_bytes", out var peak) ? InspectCommand.Bytes((long)peak) : "(not measured)");

        var eval = manifest.Metrics.Eval;
        var names = eval.Before.Keys.Union(eval.After.Keys).OrderBy(EvalOrder).ThenBy(name => name, StringComparer.Ordinal);
        foreach (var name in names)
        {
            table.AddRow(Markup.Escape($"eval {name}"), $"{Metric(eval.Before, name)} → {Metric(eval.After, name)} (before → after)");
        }
    }

    private static int EvalOrder(string name) => name switch
    {
        "loss" => 0,
        "exact_match" => 1,
        _ => 2,
    };

    private static string BaseModel(BaseModelReference? reference) =>
        reference is null ? "(none)" : $"{reference.Path ?? reference.HubId}{(reference.Revision is null ? string.Empty : $" @ {reference.Revision}")}";

    private static string Datasets(IReadOnlyList<DatasetReference> datasets) =>
        string.Join(", ", datasets.Select(dataset => $"{dataset.Path} ({dataset.Format})"));

    private static string Patterns(IEnumerable<(string Key, double Value)> patterns)
    {
        var text = string.Join(", ", patterns.Select(pair => $"{pair.Key} → {Number(pair.Value)}"));
        return text.Length == 0 ? "none" : text;
    }

    private static string Metric(IReadOnlyDictionary<string, double> values, string name, string format = "0.####") =>
        values.TryGetValue(name, out var value) ? Number(value, format) : "–";

    private static string Number(double value, string format = "0.####") => value.ToString(format, CultureInfo.InvariantCulture);
}
