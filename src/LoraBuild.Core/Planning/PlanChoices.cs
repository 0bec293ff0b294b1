using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Planning;

/// <summary>What a run trains.</summary>
public enum FineTuningMode
{
    /// <summary>LoRA pairs on the targeted linear layers; the base is frozen.</summary>
    Lora,

    /// <summary>Every parameter of the model.</summary>
    Full,
}

/// <summary>The dtype of the base weights and of the activations.</summary>
public enum ComputePrecision
{
    /// <summary>32-bit floats: 4 bytes per element.</summary>
    Fp32,

    /// <summary>bfloat16: 2 bytes per element.</summary>
    Bf16,
}

/// <summary>How the frozen decoder linear weights are stored.</summary>
public enum BaseQuantization
{
    /// <summary>In the compute precision.</summary>
    None,

    /// <summary>4-bit NormalFloat codes in blocks of 64 with a per-block absmax (QLoRA, bitsandbytes <c>nf4</c>).</summary>
    Nf4,

    /// <summary>bitsandbytes' 4-bit float codes, stored exactly as <see cref="Nf4"/> is (the same bytes).</summary>
    Fp4,

    /// <summary>int8 codes with a float32 absmax per output row (bitsandbytes' LLM.int8() weights, <c>int8</c>).</summary>
    EightBit,
}

/// <summary>The names of <see cref="BaseQuantization"/> values: those a training spec's <c>quantization</c> takes.</summary>
public static class BaseQuantizations
{
    /// <summary>The spec and command-line name (<see cref="Quantizations"/>).</summary>
    public static string Name(this BaseQuantization quantization) => quantization switch
    {
        BaseQuantization.None => Quantizations.None,
        BaseQuantization.Nf4 => Quantizations.Nf4,
        BaseQuantization.Fp4 => Quantizations.Fp4,
        BaseQuantization.EightBit => Quantizations.EightBit,
        _ => throw new ArgumentOutOfRangeException(nameof(quantization), quantization, null),
    };

    /// <summary>Whether the weights are 4-bit codes in absmax blocks, whose scales can be double-quantized.</summary>
    public static bool IsFourBit(this BaseQuantization quantization) => quantization is BaseQuantization.Nf4 or BaseQuantization.Fp4;
}

/// <summary>Bytes per element of a <see cref="ComputePrecision"/>.</summary>
public static class ComputePrecisions
{
    /// <summary>2 for bf16, 4 for fp32.</summary>
    public static int ElementBytes(this ComputePrecision precision) => precision == ComputePrecision.Bf16 ? 2 : 4;
}
