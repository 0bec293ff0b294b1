using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Native;

/// <summary>
/// Turns a device setting (<see cref="Devices"/>) into the libtorch device a run uses: <c>auto</c> is CUDA device 0 when
/// the loaded libtorch sees one and the CPU otherwise; <c>cuda</c> or <c>cuda:N</c> without that device is an error that
/// says which libtorch was loaded (<c>doctor</c> tells why).
/// </summary>
public static class DeviceResolver
{
    /// <summary>The kind of device <c>auto</c> resolves to in this process.</summary>
    public static string AutoKind => CudaDeviceCount() > 0 ? Devices.Cuda : Devices.Cpu;

    /// <exception cref="LoraException">LORA5008: the setting names a CUDA device this process does not have.</exception>
    public static Device Resolve(string setting, string? location = null)
    {
        var (type, index) = Resolve(setting, CudaDeviceCount(), location);
        return type == DeviceType.CUDA ? new Device(DeviceType.CUDA, index) : CPU;
    }

    /// <summary>The device <paramref name="setting"/> names given <paramref name="cudaDevices"/> visible CUDA devices.</summary>
    /// <exception cref="LoraException">LORA1033 for a setting of no known form; LORA5008 for a CUDA device that is not there.</exception>
    public static (DeviceType Type, int Index) Resolve(string setting, int cudaDevices, string? location = null)
    {
        if (!Devices.IsValid(setting))
        {
            throw new LoraException(SpecErrorCodes.UnknownChoice, $"The device '{setting}' is none of {Devices.Forms}.", location);
        }

        if (setting == Devices.Cpu || (setting == Devices.Auto && cudaDevices == 0))
        {
            return (DeviceType.CPU, 0);
        }

        var index = setting == Devices.Auto ? 0 : Devices.CudaIndex(setting);
        if (index >= cudaDevices)
        {
            var loaded = TorchRuntime.IsLoaded ? TorchRuntime.EnsureLoaded().LibTorch?.Package?.ToString() : null;
            throw new LoraException(
                NativeErrorCodes.CudaDeviceUnavailable,
                cudaDevices == 0
                    ? $"The device '{setting}' needs CUDA, but the libtorch this process loaded{(loaded is null ? string.Empty : $" ({loaded})")} sees no CUDA device. "
                        + "Use device cpu or auto, or run where an NVIDIA driver and the CUDA build of libtorch are (LORABUILD_LIBTORCH=cuda; dotnet lora doctor says which was loaded and why)."
                    : $"The device '{setting}' is not there: this process sees {cudaDevices} CUDA device(s), cuda:0 to cuda:{cudaDevices - 1}.",
                location);
        }

        return (DeviceType.CUDA, index);
    }

    private static int CudaDeviceCount()
    {
        TorchRuntime.EnsureLoaded();
        return torch.cuda.is_available() ? torch.cuda.device_count() : 0;
    }
}
