using System.Text.Json.Serialization;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using LoraBuild.Core.Specs;

namespace LoraBuild.Engine.Benchmarks;

/// <summary>
/// What the training benchmark trains: a Llama-shaped model with random weights (untied output head, as many key/value
/// heads as query heads) and a LoRA adapter on it, trained with AdamW on random token batches. The defaults are a model
/// of about 100M parameters at sequence length 256, batch 4, LoRA r = 8 on q_proj and v_proj.
/// </summary>
public sealed record BenchmarkSettings
{
    public int Layers { get; init; } = 12;

    public int Hidden { get; init; } = 768;

    public int Intermediate { get; init; } = 2048;

    public int Heads { get; init; } = 12;

    public int Vocab { get; init; } = 32000;

    public int SequenceLength { get; init; } = 256;

    public int BatchSize { get; init; } = 4;

    /// <summary>Optimizer steps that are timed.</summary>
    public int Steps { get; init; } = 6;

    /// <summary>Optimizer steps run first and not timed (allocator and kernel warm-up).</summary>
    public int WarmupSteps { get; init; } = 2;

    public int Rank { get; init; } = 8;

    public double Alpha { get; init; } = 16;

    /// <summary>LoRA dropout; the product's default, so the benchmark pays what a real run pays.</summary>
    public double Dropout { get; init; } = 0.05;

    /// <summary>LoRA target modules as a spec writes them.</summary>
    public string Targets { get; init; } = "q_proj,v_proj";

    public int Seed { get; init; } = 42;

    /// <summary>Recompute each decoder layer's activations in the backward pass (the spec's <c>activationCheckpointing</c>).</summary>
    public bool ActivationCheckpointing { get; init; }

    /// <summary>The size n of the n × n matmul whose rate MFU is measured against.</summary>
    public int MatmulSize { get; init; } = 2048;

    /// <summary>Tokens in one optimizer step (batch × sequence length; every position is a real token).</summary>
    [JsonIgnore]
    public long TokensPerStep => (long)BatchSize * SequenceLength;

    /// <summary>Positions whose next token is predicted, and so go through the output head: all but each row's last.</summary>
    [JsonIgnore]
    public long PredictedTokensPerStep => (long)BatchSize * (SequenceLength - 1);

    /// <exception cref="LoraException"><see cref="BenchmarkErrorCodes.BenchmarkSettingInvalid"/>.</exception>
    public void Validate()
    {
        Require(Layers >= 1, "--layers", $"must be at least 1, not {Layers}");
        Require(Heads >= 1, "--heads", $"must be at least 1, not {Heads}");
        Require(Hidden >= 2 && Hidden % Heads == 0 && Hidden / Heads % 2 == 0, "--hidden", $"must be a multiple of the head count ({Heads}) with an even head size, not {Hidden}");
        Require(Intermediate >= 1, "--intermediate", $"must be at least 1, not {Intermediate}");
        Require(Vocab >= 2, "--vocab", $"must be at least 2, not {Vocab}");
        Require(SequenceLength >= 2, "--seq", $"must be at least 2 (a token and the one it predicts), not {SequenceLength}");
        Require(BatchSize >= 1, "--batch", $"must be at least 1, not {BatchSize}");
        Require(Steps >= 1, "--steps", $"must be at least 1, not {Steps}");
        Require(WarmupSteps >= 0, "--warmup-steps", $"must not be negative, not {WarmupSteps}");
        Require(Rank >= 1, "--rank", $"must be at least 1, not {Rank}");
        Require(double.IsFinite(Alpha) && Alpha > 0, "--alpha", $"must be a positive number, not {Alpha}");
        Require(Dropout is >= 0 and < 1, "--dropout", $"must be in [0, 1), not {Dropout}");
        Require(!string.IsNullOrWhiteSpace(Targets), "--targets", "must name at least one module");
        Require(MatmulSize >= 1, "--matmul-size", $"must be at least 1, not {MatmulSize}");
    }

    /// <summary>The model's configuration.</summary>
    public ModelConfig ModelConfig() => new()
    {
        Architecture = "LlamaForCausalLM",
        Family = ModelFamily.Llama,
        ModelType = "llama",
        HiddenSize = Hidden,
        IntermediateSize = Intermediate,
        NumHiddenLayers = Layers,
        NumAttentionHeads = Heads,
        NumKeyValueHeads = Heads,
        HeadDim = Hidden / Heads,
        VocabSize = Vocab,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        MaxPositionEmbeddings = Math.Max(SequenceLength, 2048),
        TieWordEmbeddings = false,
    };

    /// <summary>
    /// The training spec of <paramref name="path"/>: LoRA with AdamW at a constant learning rate, clipping at 1, for
    /// warm-up plus timed steps, with activation checkpointing as set here.
    /// </summary>
    public TrainingSpec TrainingSpec(string path) => new()
    {
        Name = "bench",
        Mode = TrainingModes.Lora,
        Rank = Rank,
        Alpha = Alpha,
        Dropout = Dropout,
        TargetModules = Targets,
        Optimizer = Optimizers.AdamW,
        LearningRate = 3e-4,
        Scheduler = Schedulers.Constant,
        MaxSteps = WarmupSteps + Steps,
        BatchSize = BatchSize,
        MaxSequenceLength = SequenceLength,
        Seed = Seed,
        TrainOnPrompt = true,
        Precision = BenchmarkPaths.Precision(path),
        Quantization = BenchmarkPaths.Quantization(path),
        ActivationCheckpointing = ActivationCheckpointing,
        SourceLocation = "bench",
    };

    private static void Require(bool valid, string option, string problem)
    {
        if (!valid)
        {
            throw new LoraException(BenchmarkErrorCodes.BenchmarkSettingInvalid, $"{option} {problem}.", option);
        }
    }
}
