namespace LoraBuild.Engine.Native;

/// <summary>Codes for failures to load the native libtorch runtime (LORA5xxx: environment).</summary>
public static class NativeErrorCodes
{
    /// <summary>libLibTorchSharp was not found beside the application or in the NuGet packages folder.</summary>
    public const string LibTorchSharpNotFound = "LORA5001";

    /// <summary>The system libstdc++ lacks a symbol version that libtorch really uses; only a newer libstdc++ helps.</summary>
    public const string LibStdCxxTooOld = "LORA5002";

    /// <summary>libtorch failed to load or initialize, with or without the compatibility fix.</summary>
    public const string LoadFailed = "LORA5003";

    /// <summary>The patched copy of libLibTorchSharp could not be written to any cache folder.</summary>
    public const string CacheNotWritable = "LORA5004";

    /// <summary>LORABUILD_LIBTORCH names no libtorch flavour (auto, cpu or cuda).</summary>
    public const string LibTorchChoiceInvalid = "LORA5005";

    /// <summary>A run asks for a CUDA device (device cuda or cuda:N) that the loaded libtorch does not see.</summary>
    public const string CudaDeviceUnavailable = "LORA5008";
}
