using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Native;

/// <summary>
/// Tunes the native heap (<see cref="NativeHeap"/>) and loads libtorch the first time any engine type is touched, so
/// that no caller can reach TorchSharp before the native fix has run. A failure is not thrown here (that would surface as an opaque type-initialization error);
/// <see cref="TorchRuntime.EnsureLoaded"/> rethrows it, coded, wherever the engine is entered.
/// </summary>
internal static class EngineModuleInitializer
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The native fix must run before any TorchSharp call a library user might make.")]
    public static void LoadTorch()
    {
        NativeHeap.Tune();
        try
        {
            TorchRuntime.EnsureLoaded();
        }
        catch (LoraException)
        {
            // Remembered by TorchRuntime and reported, with its code, by the next EnsureLoaded call.
        }
    }
}
