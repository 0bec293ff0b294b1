namespace LoraBuild.Core.Specs;

public static class TrainingModes
{
    public const string Lora = "lora";
    public const string Full = "full";
    public static IReadOnlyList<string> All { get; } = [Lora, Full];
}

public static class Optimizers
{
    public const string AdamW = "adamw";
    public const string Sgd = "sgd";

    /// <summary>Lion (Chen et al. 2023): the sign of an interpolated momentum; one state tensor per parameter.</summary>
    public const string Lion = "lion";

    /// <summary>Sophia-G (Liu et al. 2023): momentum over a clipped Gauss-Newton-Bartlett diagonal Hessian estimate.</summary>
    public const string Sophia = "sophia";
    public static IReadOnlyList<string> All { get; } = [AdamW, Sgd, Lion, Sophia];
}

public static class Schedulers
{
    public const string Cosine = "cosine";
    public const string Linear = "linear";
    public const string Constant = "constant";
    public static IReadOnlyList<string> All { get; } = [Cosine, Linear, Constant];
}

public static class Quantizations
{
    public const string None = "none";

    /// <summary>QLoRA: the frozen base linear layers held as 4-bit NormalFloat with double-quantized block scales.</summary>
    public const string Nf4 = "nf4";

    /// <summary>As <see cref="Nf4"/> with bitsandbytes' 4-bit float values instead of NormalFloat's.</summary>
    public const string Fp4 = "fp4";

    /// <summary>The frozen base linear layers held as int8 codes with a float32 absmax per output row (bitsandbytes' LLM.int8() storage).</summary>
    public const string EightBit = "int8";
    public static IReadOnlyList<string> All { get; } = [None, Nf4, Fp4, EightBit];
}

public static class Precisions
{
    public const string Fp32 = "fp32";
    public const string Bf16 = "bf16";
    public static IReadOnlyList<string> All { get; } = [Fp32, Bf16];
}

/// <summary>
/// Where a run computes: <c>auto</c> (a CUDA device when the loaded libtorch has one, else the CPU), <c>cpu</c>, <c>cuda</c>
/// (device 0) or <c>cuda:N</c>. Only the kind it resolves to (cpu or cuda) is part of the fingerprint.
/// </summary>
public static partial class Devices
{
    public const string Auto = "auto";
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    /// <summary>The forms a setting may take, as messages list them.</summary>
    public const string Forms = "auto, cpu, cuda or cuda:N";

    public static bool IsValid(string? setting) => setting is not null && DevicePattern().IsMatch(setting);

    /// <summary>The kind of device <paramref name="setting"/> computes on, given the kind <c>auto</c> resolves to on this machine.</summary>
    public static string KindOf(string setting, string autoKind) => setting == Auto ? autoKind : setting.StartsWith(Cuda, StringComparison.Ordinal) ? Cuda : Cpu;

    /// <summary>The CUDA device index of a <c>cuda</c> or <c>cuda:N</c> setting.</summary>
    public static int CudaIndex(string setting) => setting.StartsWith(Cuda + ":", StringComparison.Ordinal)
        ? int.Parse(setting[(Cuda.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)
        : 0;

    [System.Text.RegularExpressions.GeneratedRegex(@"^(auto|cpu|cuda(:[0-9]{1,3})?)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DevicePattern();
}
