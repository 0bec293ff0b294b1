using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Native;
using TorchSharp;

namespace LoraBuild.Engine.Tests.Native;

/// <summary>Device settings resolve as documented, for any number of CUDA devices; only the CPU rows can also run for real here.</summary>
public class DeviceResolverTests
{
    [Theory]
    [InlineData("cpu", 0, DeviceType.CPU, 0)]
    [InlineData("cpu", 2, DeviceType.CPU, 0)]
    [InlineData("auto", 0, DeviceType.CPU, 0)]
    [InlineData("auto", 2, DeviceType.CUDA, 0)]
    [InlineData("cuda", 1, DeviceType.CUDA, 0)]
    [InlineData("cuda:1", 2, DeviceType.CUDA, 1)]
    public void ASettingResolvesToItsDevice(string setting, int cudaDevices, DeviceType type, int index)
    {
        Assert.Equal((type, index), DeviceResolver.Resolve(setting, cudaDevices));
    }

    [Theory]
    [InlineData("cuda", 0, "sees no CUDA device")]
    [InlineData("cuda:2", 2, "cuda:0 to cuda:1")]
    public void ACudaDeviceThatIsNotThereIsACodedError(string setting, int cudaDevices, string says)
    {
        var error = Assert.Throws<LoraException>(() => DeviceResolver.Resolve(setting, cudaDevices, "--device"));

        Assert.Equal(NativeErrorCodes.CudaDeviceUnavailable, error.Code);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Equal("--device", error.Location);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("CPU")]
    public void AnUnknownSettingIsRefused(string setting)
    {
        Assert.False(Devices.IsValid(setting));
        Assert.Equal(SpecErrorCodes.UnknownChoice, Assert.Throws<LoraException>(() => DeviceResolver.Resolve(setting, 0)).Code);
    }

    [Fact]
    public void OnThisMachineAutoAndCpuAreTheCpu()
    {
        Assert.Equal(DeviceType.CPU, DeviceResolver.Resolve("auto").type);
        Assert.Equal(DeviceType.CPU, DeviceResolver.Resolve("cpu").type);
        Assert.Equal(Devices.Cpu, DeviceResolver.AutoKind);
    }
}
