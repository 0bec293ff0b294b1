using System.CommandLine;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using LoraBuild.Core.Planning;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>dotnet lora plan</c>: the predicted peak GPU memory of a fine-tuning run, part by part, the trainable parameter
/// count, and whether it fits common GPUs, from a <c>config.json</c> or a preset alone.
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "A Hugging Face config.json of a Llama-family model." };
        var preset = new Option<string?>("--preset") { Description = $"A built-in model: {string.Join(", ", ModelPresets.Names)}." };
        var listPresets = new Option<bool>("--list-presets") { Description = "List the built-in models and exit." };
        var mode = new Option<string>("--mode") { Description = "lora or full.", DefaultValueFactory = _ => "lora" };
        var rank = new Option<int>("--rank", "-r") { Description = "LoRA rank.", DefaultValueFactory = _ => 8 };
        var alpha = new Option<double?>("--alpha") { Description = "LoRA alpha (default 2 × rank); it does not change memory." };
        var targets = new Option<string?>("--targets")
        {
            Description = "LoRA target modules: names, comma-separated (lm_head allowed), all-linear, or re:<regular expression> (default: q_proj,v_proj, or qkv_proj for Phi-3, whose q, k and v are one layer).",
        };
        var precision = new Option<string>("--precision") { Description = "fp32 or bf16.", DefaultValueFactory = _ => "bf16" };
        var quantization = new Option<string>("--quantization") { Description = "none, nf4 (QLoRA), fp4 (the same with bitsandbytes' 4-bit float) or int8 (8-bit codes, absmax per row).", DefaultValueFactory = _ => "none" };
        var doubleQuant = new Option<bool>("--double-quant") { Description = "With nf4 or fp4: quantize the block scales too (true|false).", DefaultValueFactory = _ => true };
        var optimizer = new Option<string>("--optimizer") { Description = $"{string.Join(", ", OptimizerKinds.Names)}.", DefaultValueFactory = _ => "adamw" };
        var batch = new Option<int>("--batch") { Description = "Micro-batch: sequences per forward/backward pass.", DefaultValueFactory = _ => 1 };
        var sequence = new Option<int>("--seq")
        {
            Description = $"Tokens per sequence, padding included (default {PlanSettings.StudySequenceLength}, the longest Alpaca sample under the Llama 2 tokenizer).",
            DefaultValueFactory = _ => PlanSettings.StudySequenceLength,
        };
        var checkpointing = new Option<bool>("--checkpointing") { Description = "Recompute each decoder layer's activations in the backward pass." };
        var gpus = new Option<string[]>("--gpu")
        {
            Description = $"Check only these GPUs ({string.Join(", ", GpuCatalog.All.Select(gpu => gpu.Id))}); default: all.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("plan", "Predict a fine-tuning run's peak GPU memory, part by part, and which GPUs it fits.")
        {
            config, preset, listPresets, mode, rank, alpha, targets, precision, quantization, doubleQuant, optimizer, batch, sequence, checkpointing, gpus,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            if (parse.GetValue(listPresets))
            {
                return ListPresets();
            }

            var rankValue = parse.GetValue(rank);
            var (model, source) = LoadModel(parse.GetValue(config), parse.GetValue(preset));
            var settings = new PlanSettings
            {
                Mode = PlanChoiceParser.Mode(parse.GetValue(mode)!),
                Rank = rankValue,
                Alpha = parse.GetValue(alpha) ?? 2.0 * rankValue,
                Targets = AdapterTargets.ParseSpec(parse.GetValue(targets) ?? DefaultTargets(model), "--targets"),
                Precision = PlanChoiceParser.Precision(parse.GetValue(precision)!),
                Quantization = PlanChoiceParser.Quantization(parse.GetValue(quantization)!),
                DoubleQuantization = parse.GetValue(doubleQuant),
                Optimizer = OptimizerKinds.Parse(parse.GetValue(optimizer)!, "--optimizer"),
                MicroBatch = parse.GetValue(batch),
                SequenceLength = parse.GetValue(sequence),
                ActivationCheckpointing = parse.GetValue(checkpointing),
            };
            var selected = parse.GetValue(gpus) is { Length: > 0 } named
                ? named.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(GpuCatalog.Find).ToList()
                : GpuCatalog.All;
            return Run(model, source, settings, selected);
        }));
        return command;
    }

    /// <summary>The study's attention targets, q and v, under the names the family gives them.</summary>
    private static string DefaultTargets(ModelConfig model) => model.Family == ModelFamily.Phi3 ? "qkv_proj" : "q_proj,v_proj";

    private static (ModelConfig Model, string Source) LoadModel(string? config, string? preset)
    {
        if ((config is null) == (preset is null))
        {
            throw new LoraException(PlanErrorCodes.ModelSourceInvalid, "Name the model with exactly one of --config <config.json> and --preset <name>.", "plan");
        }

        return config is not null ? (ModelPresets.LoadConfigFile(config), config) : (ModelPresets.Load(preset!), $"preset {preset!.Trim().ToLowerInvariant()}");
    }

    private static int ListPresets()
    {
        var table = new Table().AddColumn("preset").AddColumn("config.json of").AddColumn(new TableColumn("parameters") { Alignment = Justify.Right });
        foreach (var name in ModelPresets.Names)
        {
            table.AddRow(name, ModelPresets.Sources[name], InspectCommand.Count(ParameterCounts.For(ModelPresets.Load(name)).Total));
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static int Run(ModelConfig model, string source, PlanSettings settings, IReadOnlyList<GpuSpec> gpus)
    {
        var plan = MemoryPlanner.Plan(model, settings);
        var estimate = plan.Estimate;
        AnsiConsole.MarkupLine(Markup.Escape($"{source}: {model.Architecture}, {model.NumHiddenLayers} layers × {model.HiddenSize}; {Describe(settings)}"));

        var table = new Table().AddColumn("part").AddColumn(new TableColumn("GB") { Alignment = Justify.Right }).AddColumn("what");
        var weightDtype = settings.Precision == ComputePrecision.Bf16 ? "bf16" : "fp32";
        if (estimate.QuantizedBaseWeights > 0)
        {
            table.AddRow($"base weights, {settings.Quantization.Name()}", Gigabytes(estimate.QuantizedBaseWeights), !settings.Quantization.IsFourBit()
                ? "decoder linear layers: int8 codes, fp32 absmax per output row"
                : settings.DoubleQuantization
                ? "decoder linear layers: 4-bit codes, 8-bit absmax per 64, fp32 scale per 256 blocks"
                : "decoder linear layers: 4-bit codes, fp32 absmax per 64");
        }

        if (estimate.DenseBaseWeights > 0)
        {
            table.AddRow($"base weights, {weightDtype}", Gigabytes(estimate.DenseBaseWeights), estimate.QuantizedBaseWeights > 0
                ? "embeddings, norms, output head"
                : "frozen");
        }

        var trainedDtype = estimate.TrainableElementBytes == 4 ? "fp32" : "bf16";
        table.AddRow("trainable parameters", Gigabytes(estimate.TrainableParameters), $"{InspectCommand.Count(estimate.TrainableParameterCount)} × {trainedDtype}");
        table.AddRow("gradients", Gigabytes(estimate.Gradients), trainedDtype);
        table.AddRow("optimizer state", Gigabytes(estimate.OptimizerState), $"{settings.Optimizer.Name()}: {estimate.OptimizerStateTensors} × {trainedDtype} per trained parameter");
        table.AddRow("activations", Gigabytes(plan.Activations), $"{settings.MicroBatch} × {settings.SequenceLength} tokens{(settings.ActivationCheckpointing ? ", checkpointed per layer" : string.Empty)}");
        table.AddRow("logits and loss", Gigabytes(estimate.Logits), $"vocabulary {InspectCommand.Count(model.VocabSize)}, fp32 cross-entropy");
        table.AddRow("overhead", Gigabytes(plan.Overhead), "fitted fixed term (workspaces, buffers)");
        AnsiConsole.Write(table);

        AnsiConsole.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"peak (predicted) {plan.PeakGigabytes:F1} GB"));
        var total = ParameterCounts.For(model).Total;
        AnsiConsole.WriteLine($"trainable parameters {InspectCommand.Count(estimate.TrainableParameterCount)} ({100.0 * estimate.TrainableParameterCount / total:0.####}% of {InspectCommand.Count(total)})");

        var fits = new Table().AddColumn("GPU").AddColumn(new TableColumn("memory") { Alignment = Justify.Right })
            .AddColumn(new TableColumn("needs") { Alignment = Justify.Right }).AddColumn(new TableColumn("headroom") { Alignment = Justify.Right }).AddColumn("fits");
        foreach (var gpu in gpus)
        {
            var fit = GpuCatalog.Check(plan, gpu);
            var verdict = !fit.Fits ? "[red]no[/]" : fit.Tight ? "[yellow]tight[/]" : "[green]yes[/]";
            fits.AddRow(Markup.Escape(gpu.DisplayName), Gigabytes(gpu.MemoryBytes), Gigabytes(fit.RequiredBytes), Gigabytes(fit.HeadroomBytes), verdict);
        }

        // Training on this machine's CPU: the same peak against the memory available now (no CUDA context).
        var available = MachineMemory.AvailableBytes();
        var ramHeadroom = available - plan.PeakBytes;
        fits.AddRow(
            "this machine's RAM (CPU)",
            Gigabytes(available),
            Gigabytes(plan.PeakBytes),
            Gigabytes(ramHeadroom),
            ramHeadroom < 0 ? "[red]no[/]" : ramHeadroom < GpuFit.TightHeadroomShare * available ? "[yellow]tight[/]" : "[green]yes[/]");
        AnsiConsole.Write(fits);
        AnsiConsole.WriteLine($"needs = peak + {GpuCatalog.CudaContextBytes / MemoryPlan.BytesPerGigabyte:F1} GB CUDA context on a GPU, the peak alone in RAM (memory available now, from /proc/meminfo); tight = under {GpuFit.TightHeadroomShare:P0} to spare. See docs/memory-planning.md.");
        return 0;
    }

    private static string Describe(PlanSettings settings) =>
        (settings.Mode == FineTuningMode.Full ? "full fine-tuning" : $"LoRA r={settings.Rank} alpha={settings.Alpha:0.###} on {settings.Targets}")
        + $", {(settings.Quantization != BaseQuantization.None ? settings.Quantization.Name() + (settings.DoubleQuantization && settings.Quantization.IsFourBit() ? " + double quantization" : string.Empty) : settings.Precision == ComputePrecision.Bf16 ? "bf16" : "fp32")}"
        + $", {settings.Optimizer.Name()}";

    private static string Gigabytes(double bytes) => (bytes / MemoryPlan.BytesPerGigabyte).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
}
