namespace LoraBuild.Engine.Native;

/// <summary>How libtorch was found and loaded in this process; <c>dotnet lora doctor</c> prints it.</summary>
public sealed record NativeRuntimeReport(
    NativeFixState State,
    string? LibTorchSharpPath,
    string? LoadedFrom,
    string? SystemLibStdCxxPath,
    IReadOnlyList<string> MissingVersions)
{
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
