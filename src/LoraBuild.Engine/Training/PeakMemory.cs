using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>The process's peak memory use, where it can be measured.</summary>
public static class PeakMemory
{
    private const string StatusFile = "/proc/self/status";
    private const string ClearRefsFile = "/proc/self/clear_refs";

    /// <summary>Peak resident memory in bytes for training on <paramref name="device"/>: Linux's <c>VmHWM</c> on the CPU, otherwise null.</summary>
    public static long? ForDevice(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.type != DeviceType.CPU || !OperatingSystem.IsLinux())
        {
            return null;
        }

        return ReadStatusField("VmHWM:");
    }

    /// <summary>The process's resident memory now (Linux's <c>VmRSS</c>) in bytes; null where it cannot be read.</summary>
    public static long? ResidentBytes() => OperatingSystem.IsLinux() ? ReadStatusField("VmRSS:") : null;

    /// <summary>
    /// Lowers the process's resident high-water mark to its resident memory now (Linux 4.0+: writing 5 to
    /// <c>/proc/self/clear_refs</c>), so a later <see cref="ForDevice"/> reports the peak since this call.
    /// </summary>
    /// <returns>Whether the mark could be reset.</returns>
    public static bool ResetHighWaterMark()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText(ClearRefsFile, "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The <c>VmHWM:</c> line of a <c>/proc/…/status</c> text, in bytes; null when it is missing.</summary>
    public static long? ParseVmHwm(string status) => ParseField(status, "VmHWM:");

    private static long? ReadStatusField(string field)
    {
        try
        {
            return ParseField(File.ReadAllText(StatusFile), field);
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

    private static long? ParseField(string status, string field)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
            {
                return kilobytes * 1024;
            }
        }

        return null;
    }
}
