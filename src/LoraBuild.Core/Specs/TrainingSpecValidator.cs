using System.Text.RegularExpressions;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation.Metrics;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Training;

namespace LoraBuild.Core.Specs;

/// <summary>
/// Checks a spec before any work starts, so that a bad setting or a missing input fails in a second with a
/// coded error naming the setting, rather than after minutes of loading. Every rule the trainer, the optimizers and the
/// data preparation apply to settings alone is checked here; a setting given outside the spec (a command-line flag)
/// is blamed where it was given (<see cref="TrainingSpec.SettingSources"/>).
/// </summary>
public static partial class TrainingSpecValidator
{
    /// <summary>Throws the first problem found; returns the spec unchanged when it is valid.</summary>
    public static TrainingSpec Validate(TrainingSpec spec, bool checkFiles = true)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var at = spec.SourceLocation ?? "spec";

        if (string.IsNullOrWhiteSpace(spec.Name))
        {
            throw Missing("name", "the adapter's name", at);
        }

        if (!AdapterNameRegex().IsMatch(spec.Name))
        {
            throw new LoraException(SpecErrorCodes.SettingOutOfRange, $"'name' must be letters, digits, '.', '_' or '-' (it names a folder), not '{spec.Name}'.", at);
        }

        Choice(spec, "mode", spec.Mode, TrainingModes.All);
        Choice(spec, "optimizer", spec.Optimizer, Optimizers.All);
        Choice(spec, "scheduler", spec.Scheduler, Schedulers.All);
        Choice(spec, "quantization", spec.Quantization, Quantizations.All);
        Choice(spec, "precision", spec.Precision, Precisions.All);
        if (!Devices.IsValid(spec.Device))
        {
            throw new LoraException(SpecErrorCodes.UnknownChoice, $"'device' is '{spec.Device}'; it can be {Devices.Forms}.", spec.LocationOf("device"));
        }
        if (spec.Mode == TrainingModes.Full && spec.Quantization != Quantizations.None)
        {
            throw new LoraException(
                SpecErrorCodes.SettingOutOfRange,
                $"'quantization' {spec.Quantization} freezes the base weights in 4 bits, so it needs mode 'lora'; full fine-tuning trains the weights themselves.",
                spec.LocationOf("quantization", "mode"));
        }

        if (spec.Mode == TrainingModes.Full && spec.Precision != Precisions.Fp32)
        {
            // The optimizer keeps float32 state and applies float32 updates, so every trained weight must be float32.
            throw new LoraException(
                TrainingSettingErrorCodes.FullFineTuningNeedsFp32,
                $"Full fine-tuning needs precision fp32, but the spec asks for {spec.Precision}. Use fp32, or mode lora.",
                spec.LocationOf("precision", "mode"));
        }

        ValidateLora(spec, at);
        ValidateOptimization(spec);
        ValidateInputs(spec, at, checkFiles);
        return spec;
    }

    private static void ValidateLora(TrainingSpec spec, string at)
    {
        if (spec.Mode == TrainingModes.Full)
        {
            return;
        }

        if (spec.Rank <= 0)
        {
            throw new LoraException(LoraErrorCodes.RankInvalid, $"'rank' must be a positive integer, not {spec.Rank}.", spec.LocationOf("rank"));
        }

        if (!double.IsFinite(spec.Alpha) || spec.Alpha <= 0)
        {
            throw new LoraException(LoraErrorCodes.AlphaInvalid, $"'alpha' must be a positive number, not {spec.Alpha}.", spec.LocationOf("alpha"));
        }

        if (!(spec.Dropout >= 0 && spec.Dropout < 1))
        {
            throw new LoraException(SpecErrorCodes.DropoutOutOfRange, $"'dropout' must be in [0, 1), not {spec.Dropout}.", spec.LocationOf("dropout"));
        }

        var targetsAt = spec.SettingSources.ContainsKey("targetModules") ? spec.LocationOf("targetModules") : $"{at}: targetModules";
        var targets = AdapterTargets.ParseSpec(spec.TargetModules, targetsAt);
        LlamaLinearModules.RequireKnownNames(targets, targetsAt);
        if (spec.LayersToTransform.Any(layer => layer < 0))
        {
            throw new LoraException(SpecErrorCodes.SettingOutOfRange, "'layersToTransform' holds layer indices, which are not negative.", at);
        }

        if (targets.Pattern is not null && spec.LayersToTransform.Count > 0)
        {
            throw new LoraException(
                SpecErrorCodes.SettingOutOfRange,
                "'layersToTransform' cannot be combined with a regular-expression 'targetModules' (PEFT refuses it too); put the layers in the expression.",
                at);
        }

        foreach (var (pattern, rank) in spec.RankPattern)
        {
            ValidatePattern("rankPattern", pattern, rank > 0, at);
        }

        foreach (var (pattern, alpha) in spec.AlphaPattern)
        {
            ValidatePattern("alphaPattern", pattern, double.IsFinite(alpha) && alpha > 0, at);
        }

        // The adapter's own rules (those adapter_config.json is read with), so training cannot write one it would refuse.
        _ = LoraSettings.FromSpec(spec);
    }

    private static void ValidateOptimization(TrainingSpec spec)
    {
        Range(spec, "learningRate", spec.LearningRate, spec.LearningRate > 0 && double.IsFinite(spec.LearningRate), "a positive number");
        Range(spec, "weightDecay", spec.WeightDecay, spec.WeightDecay >= 0 && double.IsFinite(spec.WeightDecay), "zero or more");
        Range(spec, "momentum", spec.Momentum, spec.Momentum is >= 0 and < 1, "in [0, 1)");
        Range(spec, "beta1", spec.Beta1, spec.Beta1 is null or (>= 0 and < 1), "in [0, 1) when set");
        Range(spec, "beta2", spec.Beta2, spec.Beta2 is null or (>= 0 and < 1), "in [0, 1) when set");
        Range(spec, "epsilon", spec.Epsilon, spec.Epsilon is null || (spec.Epsilon > 0 && double.IsFinite(spec.Epsilon.Value)), "a positive number when set");
        Range(spec, "rho", spec.Rho, spec.Rho is null || (spec.Rho > 0 && double.IsFinite(spec.Rho.Value)), "a positive number when set");
        Range(spec, "hessianUpdateInterval", spec.HessianUpdateInterval, spec.HessianUpdateInterval is null or >= 1, "at least 1 when set");
        Range(spec, "warmupSteps", spec.WarmupSteps, spec.WarmupSteps >= 0, "zero or more");
        Range(spec, "minLearningRate", spec.MinLearningRate, spec.MinLearningRate >= 0 && spec.MinLearningRate <= spec.LearningRate, "in [0, learningRate]", "learningRate");
        Range(spec, "epochs", spec.Epochs, spec.Epochs >= 1, "at least 1");
        Range(spec, "maxSteps", spec.MaxSteps ?? 1, (spec.MaxSteps ?? 1) >= 1, "at least 1 when set");
        Range(spec, "batchSize", spec.BatchSize, spec.BatchSize >= 1, "at least 1");
        Range(spec, "gradientAccumulationSteps", spec.GradientAccumulationSteps, spec.GradientAccumulationSteps >= 1, "at least 1");
        Range(spec, "maxGradNorm", spec.MaxGradNorm, spec.MaxGradNorm >= 0 && double.IsFinite(spec.MaxGradNorm), "zero (off) or more");
        Range(spec, "maxSequenceLength", spec.MaxSequenceLength, spec.MaxSequenceLength >= 8, "at least 8");
        Range(spec, "evalMaxNewTokens", spec.EvalMaxNewTokens, spec.EvalMaxNewTokens >= 1, "at least 1");
        if (spec.Optimizer == Optimizers.Sgd && spec.Nesterov && spec.Momentum == 0)
        {
            throw new LoraException(
                TrainingSettingErrorCodes.TrainingSettingInvalid, "'nesterov' needs a 'momentum' above 0.", spec.LocationOf("nesterov", "momentum"));
        }
    }

    private static void ValidateInputs(TrainingSpec spec, string at, bool checkFiles)
    {
        if (spec.BaseModel is not { } baseModel || (string.IsNullOrWhiteSpace(baseModel.Path) && string.IsNullOrWhiteSpace(baseModel.HubId)))
        {
            throw Missing("baseModel", "a base model folder ('path') or a hub model ('hubId', or \"hf://org/name@revision\")", spec.LocationOf("baseModel"));
        }

        if (BaseModelResolver.IsHubModel(spec))
        {
            // Fetched (or found in the Hugging Face cache) by the job; only the names can be checked here.
            BaseModelResolver.HubReference(spec);
        }
        else if (checkFiles && !File.Exists(Path.Combine(spec.ResolvePath(baseModel.Path!), "config.json")))
        {
            throw new LoraException(
                SpecErrorCodes.BaseModelNotFound,
                $"The base model folder '{spec.ResolvePath(baseModel.Path!)}' does not exist or has no config.json.",
                spec.LocationOf("baseModel"));
        }

        if (spec.Datasets.Count == 0)
        {
            throw Missing("datasets", "at least one training dataset", at);
        }

        foreach (var dataset in spec.Datasets.Concat(spec.EvalDatasets))
        {
            // JSON null in a list: the serializer's nullable checks do not reach collection elements.
            if (dataset is null || string.IsNullOrWhiteSpace(dataset.Path))
            {
                throw Missing("datasets[].path", "the dataset's file", at);
            }

            if (DatasetFormats.Parse(dataset.Format, at) == DatasetFormat.Chat && !string.IsNullOrWhiteSpace(dataset.ChatTemplate))
            {
                ChatTemplates.FromName(dataset.ChatTemplate, at);
            }

            MetricSuite.Parse(dataset.Metric, pattern: null, at);
            if (checkFiles && !File.Exists(spec.ResolvePath(dataset.Path)))
            {
                throw new LoraException(SpecErrorCodes.DatasetNotFound, $"The dataset '{spec.ResolvePath(dataset.Path)}' does not exist.", at);
            }
        }
    }

    private static void ValidatePattern(string setting, string pattern, bool valueInRange, string at)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new LoraException(SpecErrorCodes.PatternInvalid, $"'{setting}' key '{pattern}' is not a valid regular expression: {e.Message}", at);
        }

        if (!valueInRange)
        {
            throw new LoraException(SpecErrorCodes.PatternInvalid, $"'{setting}' value for '{pattern}' must be positive.", at);
        }
    }

    private static void Choice(TrainingSpec spec, string setting, string value, IReadOnlyList<string> choices)
    {
        if (!choices.Contains(value))
        {
            throw new LoraException(SpecErrorCodes.UnknownChoice, $"'{setting}' is '{value}'; choose one of: {string.Join(", ", choices)}.", spec.LocationOf(setting));
        }
    }

    /// <param name="relatedSetting">Another setting the rule depends on, blamed when it, not <paramref name="setting"/>, came from a flag.</param>
    private static void Range(TrainingSpec spec, string setting, double? value, bool valid, string expected, string? relatedSetting = null)
    {
        if (!valid)
        {
            throw new LoraException(
                SpecErrorCodes.SettingOutOfRange,
                $"'{setting}' must be {expected}, not {value}.",
                relatedSetting is null ? spec.LocationOf(setting) : spec.LocationOf(setting, relatedSetting));
        }
    }

    private static LoraException Missing(string setting, string what, string at) =>
        new(SpecErrorCodes.SettingMissing, $"'{setting}' is missing: the spec must name {what}.", at);

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex AdapterNameRegex();
}
