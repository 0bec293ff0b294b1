using System.Globalization;

namespace LoraBuild.Core.Planning;

/// <summary>
/// The memory this machine can give a training run now: Linux's <c>MemAvailable</c> (free memory plus what the page
/// cache can give back), else what the .NET runtime reports as available to the process.
/// </summary>
public static class MachineMemory
{
    public static long AvailableBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
                {
                    return kilobytes * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or no procfs: fall back to the runtime's view below.
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
