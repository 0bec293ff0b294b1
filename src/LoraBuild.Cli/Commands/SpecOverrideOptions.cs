using System.CommandLine;
using LoraBuild.Core.Specs;

namespace LoraBuild.Cli.Commands;

/// <summary>Flags that override a spec's settings on the command line (same names as the spec, kebab-cased).</summary>
internal sealed class SpecOverrideOptions
{
    private readonly Option<string?> _baseModel = new("--base-model")
    {
        Description = "The base model: hf://org/name@revision (fetched into the Hugging Face cache; HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE apply) or a folder.",
    };
    private readonly Option<int?> _rank = new("--rank", "-r") { Description = "LoRA rank." };
    private readonly Option<double?> _alpha = new("--alpha") { Description = "LoRA alpha." };
    private readonly Option<double?> _dropout = new("--dropout") { Description = "LoRA dropout in [0, 1)." };
    private readonly Option<string?> _targets = new("--targets") { Description = "Target modules: names, all-linear, or re:<regex>." };
    private readonly Option<string?> _optimizer = new("--optimizer") { Description = "adamw, sgd, lion or sophia." };
    private readonly Option<double?> _learningRate = new("--learning-rate", "--lr") { Description = "Peak learning rate." };
    private readonly Option<double?> _weightDecay = new("--weight-decay") { Description = "Weight decay (decoupled for adamw, lion and sophia; L2 for sgd)." };
    private readonly Option<double?> _beta1 = new("--beta1") { Description = "Momentum coefficient of adamw, lion and sophia (default: the optimizer's own)." };
    private readonly Option<double?> _beta2 = new("--beta2") { Description = "adamw's second moment, lion's momentum decay, sophia's Hessian average (default: the optimizer's own)." };
    private readonly Option<double?> _rho = new("--rho") { Description = "Sophia's clipping threshold (default 0.04)." };
    private readonly Option<int?> _hessianUpdateInterval = new("--hessian-update-interval") { Description = "Sophia: optimizer steps between Hessian estimates (default 10)." };
    private readonly Option<string?> _scheduler = new("--scheduler") { Description = "cosine, linear or constant." };
    private readonly Option<int?> _epochs = new("--epochs") { Description = "Passes over the training data." };
    private readonly Option<int?> _maxSteps = new("--max-steps") { Description = "Stop after this many optimizer steps." };
    private readonly Option<int?> _batchSize = new("--batch-size") { Description = "Examples per micro-batch." };
    private readonly Option<int?> _seed = new("--seed") { Description = "Seed for data order, dropout and LoRA initialization." };
    private readonly Option<string?> _precision = new("--precision") { Description = "fp32, or bf16 (bf16 base, fp32 adapter)." };
    private readonly Option<string?> _device = new("--device") { Description = "auto (a CUDA device when the loaded libtorch sees one, else the CPU), cpu, cuda or cuda:N." };
    private readonly Option<string?> _quantization = new("--quantization") { Description = "none, nf4 (QLoRA: 4-bit NormalFloat base linear layers), fp4 (4-bit float) or int8 (8-bit codes, absmax per row)." };
    private readonly Option<bool?> _activationCheckpointing = new("--activation-checkpointing")
    {
        Description = "Recompute each decoder layer's activations in the backward pass to save memory (same weights; `false` turns it off).",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _baseModel, _rank, _alpha, _dropout, _targets, _optimizer, _learningRate, _weightDecay, _beta1, _beta2, _rho, _hessianUpdateInterval, _scheduler, _epochs, _maxSteps, _batchSize, _seed, _precision, _device, _quantization, _activationCheckpointing })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The spec with every given flag's value in place of the spec's, each such setting's source recorded as the flag
    /// as typed (<c>--lr</c>, <c>-r</c>), so that an error about its value blames the flag rather than the spec file.
    /// </summary>
    public TrainingSpec Apply(ParseResult parse, TrainingSpec spec)
    {
        var sources = new Dictionary<string, string>(spec.SettingSources, StringComparer.Ordinal);
        T? Given<T>(Option<T> option, string setting)
        {
            var value = parse.GetValue(option);
            if (value is not null)
            {
                sources[setting] = parse.GetResult(option)?.IdentifierToken?.Value ?? option.Name;
            }

            return value;
        }

        return spec with
        {
            BaseModel = Given(_baseModel, "baseModel") is { } baseModel ? BaseModel(baseModel) : spec.BaseModel,
            Rank = Given(_rank, "rank") ?? spec.Rank,
            Alpha = Given(_alpha, "alpha") ?? spec.Alpha,
            Dropout = Given(_dropout, "dropout") ?? spec.Dropout,
            TargetModules = Given(_targets, "targetModules") ?? spec.TargetModules,
            Optimizer = Given(_optimizer, "optimizer") ?? spec.Optimizer,
            LearningRate = Given(_learningRate, "learningRate") ?? spec.LearningRate,
            WeightDecay = Given(_weightDecay, "weightDecay") ?? spec.WeightDecay,
            Beta1 = Given(_beta1, "beta1") ?? spec.Beta1,
            Beta2 = Given(_beta2, "beta2") ?? spec.Beta2,
            Rho = Given(_rho, "rho") ?? spec.Rho,
            HessianUpdateInterval = Given(_hessianUpdateInterval, "hessianUpdateInterval") ?? spec.HessianUpdateInterval,
            Scheduler = Given(_scheduler, "scheduler") ?? spec.Scheduler,
            Epochs = Given(_epochs, "epochs") ?? spec.Epochs,
            MaxSteps = Given(_maxSteps, "maxSteps") ?? spec.MaxSteps,
            BatchSize = Given(_batchSize, "batchSize") ?? spec.BatchSize,
            Seed = Given(_seed, "seed") ?? spec.Seed,
            Precision = Given(_precision, "precision") ?? spec.Precision,
            Device = Given(_device, "device") ?? spec.Device,
            Quantization = Given(_quantization, "quantization") ?? spec.Quantization,
            ActivationCheckpointing = Given(_activationCheckpointing, "activationCheckpointing") ?? spec.ActivationCheckpointing,
            SettingSources = sources,
        };
    }

    /// <summary>A folder given on the command line is relative to where the command runs, not to the spec.</summary>
    private static BaseModelReference BaseModel(string text)
    {
        var reference = BaseModelReference.FromText(text);
        return reference.Path is { } folder ? reference with { Path = Path.GetFullPath(folder) } : reference;
    }
}
