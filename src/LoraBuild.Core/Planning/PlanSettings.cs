using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Planning;

/// <summary>
/// The settings that decide a fine-tuning run's peak GPU memory. Defaults are the field study's setup (Raschka,
/// "Practical Tips for Finetuning LLMs Using LoRA", run with LitGPT's <c>finetune/lora.py</c> on Alpaca): LoRA r=8,
/// alpha 16 on q_proj and v_proj, bf16, AdamW, micro-batch 1, and the longest Alpaca sample, 1304 Llama 2 tokens.
/// </summary>
public sealed record PlanSettings
{
    /// <summary>
    /// The longest Alpaca training sample under the Llama 2 tokenizer, as LitGPT's resource tables state it; LitGPT's
    /// <c>get_batch</c> puts that sample in the first micro-batch, so the measured peaks are at this length.
    /// </summary>
    public const int StudySequenceLength = 1304;

    /// <summary>LoRA or full fine-tuning.</summary>
    public FineTuningMode Mode { get; init; } = FineTuningMode.Lora;

    /// <summary>LoRA rank r.</summary>
    public int Rank { get; init; } = 8;

    /// <summary>LoRA alpha; it scales the update and does not change memory, but is kept for the report.</summary>
    public double Alpha { get; init; } = 16;

    /// <summary>The linear layers that get LoRA pairs, by PEFT's rules (<c>all-linear</c> leaves out <c>lm_head</c>).</summary>
    public AdapterTargets Targets { get; init; } = AdapterTargets.FromNames(["q_proj", "v_proj"]);

    /// <summary>The dtype of base weights and activations.</summary>
    public ComputePrecision Precision { get; init; } = ComputePrecision.Bf16;

    /// <summary>How the frozen decoder linear weights are stored.</summary>
    public BaseQuantization Quantization { get; init; } = BaseQuantization.None;

    /// <summary>
    /// With 4-bit base weights: whether the per-block absmax values are themselves quantized to 8 bits in blocks of 256
    /// (QLoRA's double quantization, which LoraBuild's 4-bit layers always use).
    /// </summary>
    public bool DoubleQuantization { get; init; } = true;

    /// <summary>The optimizer, which decides how much state each trained parameter carries.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;

    /// <summary>Sequences per forward/backward pass (the micro-batch, not the accumulated batch).</summary>
    public int MicroBatch { get; init; } = 1;

    /// <summary>Tokens per sequence, padding included: the longest sequence a micro-batch can hold.</summary>
    public int SequenceLength { get; init; } = StudySequenceLength;

    /// <summary>Whether each decoder layer's activations are recomputed in the backward pass instead of kept.</summary>
    public bool ActivationCheckpointing { get; init; }

    /// <summary>Tokens in one micro-batch.</summary>
    public long TokensPerStep => (long)MicroBatch * SequenceLength;

    /// <summary>Checks that the settings can describe a run.</summary>
    /// <exception cref="LoraException">A count is not positive (LORA1404), or full fine-tuning is asked for on a 4-bit base (LORA1405).</exception>
    public void Validate()
    {
        RequirePositive(Rank, "--rank", "The LoRA rank");
        RequirePositive(MicroBatch, "--batch", "The micro-batch");
        RequirePositive(SequenceLength, "--seq", "The sequence length");
        if (!double.IsFinite(Alpha) || Alpha <= 0)
        {
            throw new LoraException(PlanErrorCodes.SettingInvalid, $"The LoRA alpha must be a positive number, not {Alpha}.", "--alpha");
        }

        if (Mode == FineTuningMode.Full && Quantization != BaseQuantization.None)
        {
            throw new LoraException(
                PlanErrorCodes.QuantizedFullFineTuning,
                "Full fine-tuning trains every weight, and quantized weights cannot be trained; use --mode lora with --quantization nf4, fp4 or int8, or no quantization.",
                "--quantization");
        }
    }

    private static void RequirePositive(int value, string flag, string what)
    {
        if (value <= 0)
        {
            throw new LoraException(PlanErrorCodes.SettingInvalid, $"{what} must be a positive integer, not {value}.", flag);
        }
    }
}
