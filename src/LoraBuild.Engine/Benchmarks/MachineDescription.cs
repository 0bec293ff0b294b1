using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using LoraBuild.Core.Diagnostics;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Benchmarks;

/// <summary>Where a benchmark ran: the CPU, how many threads libtorch used, and how busy the machine was.</summary>
/// <param name="Cpu">The CPU's model name (Linux <c>/proc/cpuinfo</c>), or the architecture where it cannot be read.</param>
/// <param name="LogicalCpus">Logical CPUs the process sees.</param>
/// <param name="Threads">libtorch intra-op threads.</param>
/// <param name="Libtorch">libtorch's version.</param>
/// <param name="TorchSharp">TorchSharp's version.</param>
/// <param name="LoadAverage">The one-minute load average when the measurement started (Linux); null elsewhere.</param>
public sealed record MachineDescription(
    [property: JsonPropertyName("cpu")] string Cpu,
    [property: JsonPropertyName("logical_cpus")] int LogicalCpus,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("libtorch")] string Libtorch,
    [property: JsonPropertyName("torchsharp")] string TorchSharp,
    [property: JsonPropertyName("load_average")] double? LoadAverage)
{
    /// <summary>This machine and process, now.</summary>
    public static MachineDescription Current() => new(
        CpuModel() ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        get_num_threads(),
        __version__,
        AssemblyVersions.Informational(typeof(TorchSharp.torch).Assembly),
        OneMinuteLoad());

    /// <summary>The <c>model name</c> of a <c>/proc/cpuinfo</c> text; null when it has none.</summary>
    public static string? ParseCpuModel(string cpuinfo)
    {
        ArgumentNullException.ThrowIfNull(cpuinfo);
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == "model name")
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static string? CpuModel() => ReadProc("/proc/cpuinfo") is { } text ? ParseCpuModel(text) : null;

    private static double? OneMinuteLoad()
    {
        var text = ReadProc("/proc/loadavg");
        var first = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
    }

    private static string? ReadProc(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
