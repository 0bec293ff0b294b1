using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

public class PeakMemoryTests
{
    [Fact]
    public void VmHwmIsReadInKilobytes()
    {
        const string Status = "Name:\tdotnet\nVmPeak:\t 9000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n";

        Assert.Equal(123456L * 1024, PeakMemory.ParseVmHwm(Status));
        Assert.Null(PeakMemory.ParseVmHwm("Name:\tdotnet\n"));
    }

    [Fact]
    public void TheCpuPeakIsTheProcesssHighWaterMarkOnLinux()
    {
        var peak = PeakMemory.ForDevice(CPU);

        if (OperatingSystem.IsLinux())
        {
            Assert.True(peak >= Environment.WorkingSet / 2, $"{peak} vs working set {Environment.WorkingSet}");
        }
        else
        {
            Assert.Null(peak);
        }
    }
}
