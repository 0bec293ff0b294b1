namespace LoraBuild.Engine.Native;

/// <summary>What <see cref="TorchRuntime"/> had to do to load libtorch.</summary>
public enum NativeFixState
{
    /// <summary>Not Linux: the libstdc++ symbol-version problem does not arise.</summary>
    NotApplicable,

    /// <summary>The system libstdc++ provides every version libLibTorchSharp asks for; nothing was changed.</summary>
    NotNeeded,

    /// <summary>A copy of libLibTorchSharp with unused, missing version needs marked weak was loaded from the cache folder.</summary>
    Patched,
}
