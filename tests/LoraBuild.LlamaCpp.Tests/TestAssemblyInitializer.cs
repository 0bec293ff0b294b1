using System.Runtime.CompilerServices;
using LoraBuild.Engine.Native;

namespace LoraBuild.LlamaCpp.Tests;

internal static class TestAssemblyInitializer
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "libtorch must be loadable before any test touches torch.")]
    public static void LoadTorch()
    {
        TorchRuntime.EnsureLoaded();
        TorchSharp.torch.set_num_threads(Math.Min(2, Environment.ProcessorCount));
    }
}
