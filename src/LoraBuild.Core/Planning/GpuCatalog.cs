using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Planning;

/// <summary>A GPU a plan can be checked against.</summary>
/// <param name="Id">The name <c>--gpu</c> takes, e.g. <c>a100-40gb</c>.</param>
/// <param name="DisplayName">The name people use, e.g. <c>A100 40 GB</c>.</param>
/// <param name="MemoryBytes">Total device memory as <c>nvidia-smi</c> reports it for that card.</param>
public sealed record GpuSpec(string Id, string DisplayName, long MemoryBytes);

/// <summary>Whether a plan fits a GPU.</summary>
/// <param name="Gpu">The GPU.</param>
/// <param name="RequiredBytes">The predicted peak plus the CUDA context, which allocated-memory figures leave out.</param>
/// <param name="HeadroomBytes">Memory left at the peak; negative when the run does not fit.</param>
public sealed record GpuFit(GpuSpec Gpu, double RequiredBytes, double HeadroomBytes)
{
    /// <summary>Headroom below this share of the card is called tight: the caching allocator's fragmentation can take it.</summary>
    public const double TightHeadroomShare = 0.05;

    /// <summary>Whether the predicted peak and the CUDA context fit in the card's memory.</summary>
    public bool Fits => HeadroomBytes >= 0;

    /// <summary>Whether it fits with less than <see cref="TightHeadroomShare"/> of the card to spare.</summary>
    public bool Tight => Fits && HeadroomBytes < TightHeadroomShare * Gpu.MemoryBytes;
}

/// <summary>The GPUs <c>dotnet lora plan</c> checks a plan against.</summary>
public static class GpuCatalog
{
    /// <summary>
    /// Memory a CUDA process holds outside PyTorch's allocator (context, kernels of the loaded libraries), which
    /// <c>max_memory_allocated</c> does not count: pytorch/pytorch#34323 reports 781 MB in nvidia-smi for a process that
    /// had only initialized CUDA. Lazy module loading (CUDA ≥ 11.7) lowers it, so this errs on the safe side.
    /// </summary>
    public const double CudaContextBytes = 0.8e9;

    private const long MiB = 1L << 20;

    /// <summary>The GPUs, smallest first.</summary>
    public static IReadOnlyList<GpuSpec> All { get; } =
    [
        new("t4-16gb", "T4 16 GB", 15_360 * MiB),
        new("rtx4090-24gb", "RTX 4090 24 GB", 24_564 * MiB),
        new("a100-40gb", "A100 40 GB", 40_960 * MiB),
        new("a100-80gb", "A100 80 GB", 81_920 * MiB),
        new("h100-80gb", "H100 80 GB", 81_559 * MiB),
    ];

    /// <summary>The GPU with the id <paramref name="id"/> (case-insensitive).</summary>
    /// <exception cref="LoraException">No GPU has that id (LORA1406).</exception>
    public static GpuSpec Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return All.FirstOrDefault(gpu => string.Equals(gpu.Id, id.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new LoraException(
                PlanErrorCodes.GpuUnknown,
                $"Unknown GPU '{id}'; use one of {string.Join(", ", All.Select(gpu => gpu.Id))}.",
                "--gpu");
    }

    /// <summary>How <paramref name="plan"/> fits <paramref name="gpu"/>.</summary>
    public static GpuFit Check(MemoryPlan plan, GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(gpu);
        var required = plan.PeakBytes + CudaContextBytes;
        return new GpuFit(gpu, required, gpu.MemoryBytes - required);
    }
}
