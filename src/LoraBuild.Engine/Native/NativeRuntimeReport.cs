namespace LoraBuild.Engine.Native;

/// <summary>How libtorch was found and loaded in this process; <c>dotnet lora doctor</c> prints it.</summary>
public sealed record NativeRuntimeReport(
    NativeFixState State,
    string? LibTorchSharpPath,
    string? LoadedFrom,
    string? SystemLibStdCxxPath,
    IReadOnlyList<string> MissingVersions)
{
    /// <summary>Where libtorch's libraries were found, and why that package; null off Linux.</summary>
    public LibTorchLocation? LibTorch { get; init; }

    public string Describe() => State switch
    {
        NativeFixState.NotApplicable => "not needed on this operating system",
        NativeFixState.NotNeeded => $"not needed: {SystemLibStdCxxPath} provides every version libLibTorchSharp requires",
        NativeFixState.Patched =>
            $"applied: {SystemLibStdCxxPath} lacks {string.Join(", ", MissingVersions)}, which no relocation in " +
            $"libLibTorchSharp uses; loaded a copy with that need marked weak from {LoadedFrom}",
        _ => State.ToString(),
    };
}

/// <summary>The libtorch a process loaded.</summary>
/// <param name="Folder">The folder of its native libraries.</param>
/// <param name="Package">The NuGet package, when it came from the global packages folder.</param>
/// <param name="How">"beside the application", "NuGet packages folder", or "fetched from &lt;feed&gt; in N s".</param>
/// <param name="Reason">Why this flavour (see <see cref="LibTorchChoice"/>).</param>
public sealed record LibTorchLocation(string Folder, LibTorchPackage? Package, string How, string Reason)
{
    public string Describe() => Package is null ? $"{How}: {Folder}" : $"{Package} ({Reason}), {How}: {Folder}";
}
