namespace LoraBuild.Engine.Quantization;

/// <summary>
/// The 16 values of the NormalFloat-4 data type (Dettmers et al., QLoRA), in code order: code <c>i</c> stands for
/// <c>Values[i] · absmax</c> of its block. These are the values bitsandbytes uses, so codes are interchangeable with it.
/// </summary>
public static class Nf4Codebook
{
    /// <summary>The values, ascending; code 7 is exactly zero.</summary>
    public static IReadOnlyList<float> Values { get; } =
    [
        -1.0f,
        -0.6961928009986877f,
        -0.5250730514526367f,
        -0.39491748809814453f,
        -0.28444138169288635f,
        -0.18477343022823334f,
        -0.09105003625154495f,
        0.0f,
        0.07958029955625534f,
        0.16093020141124725f,
        0.24611230194568634f,
        0.33791524171829224f,
        0.44070982933044434f,
        0.5626170039176941f,
        0.7229568362236023f,
        1.0f,
    ];
}
