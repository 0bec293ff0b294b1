using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>The process's peak memory use, where it can be measured.</summary>
public static class PeakMemory
{
    private const string StatusFile = "/proc/self/status";

    /// <summary>Peak resident memory in bytes for training on <paramref name="device"/>: Linux's <c>VmHWM</c> on the CPU, otherwise null.</summary>
    public static long? ForDevice(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.type != DeviceType.CPU || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return ParseVmHwm(File.ReadAllText(StatusFile));
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

    /// <summary>The <c>VmHWM:</c> line of a <c>/proc/…/status</c> text, in bytes; null when it is missing.</summary>
    public static long? ParseVmHwm(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line["VmHWM:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
            {
                return kilobytes * 1024;
            }
        }

        return null;
    }
}
