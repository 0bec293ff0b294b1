namespace LoraBuild.Core.Diagnostics;

/// <summary>
/// An error a user can act on: a searchable <c>LORAnnnn</c> code, a message, and where the fault is.
/// </summary>
public class LoraException : Exception
{
    public LoraException(string code, string message, string? location = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        Location = location;
    }

    /// <summary>The error code, e.g. <c>LORA2003</c>.</summary>
    public string Code { get; }

    /// <summary>The file (optionally with <c>:line</c>), item or setting at fault, when one is known.</summary>
    public string? Location { get; }

    /// <summary>One line in the form MSBuild and compilers use: <c>location: error CODE: message</c>.</summary>
    public override string ToString() =>
        Location is null ? $"error {Code}: {Message}" : $"{Location}: error {Code}: {Message}";
}
