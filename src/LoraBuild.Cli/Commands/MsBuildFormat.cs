using System.Text.RegularExpressions;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// Diagnostics in the canonical form MSBuild (and its ToolTask) parse into errors and warnings with code, file,
/// line and column: <c>file(line,col): error LORA1234: message</c>. LoraBuild's own locations are
/// <c>file:line</c> or <c>file: setting</c>; both are rewritten so the origin is a plain file MSBuild can point at.
/// </summary>
internal static partial class MsBuildFormat
{
    /// <param name="fallbackOrigin">Used when the location names no file (e.g. the project item that made the job).</param>
    public static string Diagnostic(string severity, string code, string message, string? location, string? fallbackOrigin)
    {
        var (origin, detail) = Origin(location, fallbackOrigin);
        var text = detail is null ? message : $"{detail}: {message}";
        return $"{origin}: {severity} {code}: {OneLine(text)}";
    }

    public static string Error(LoraException e, string? fallbackOrigin)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Diagnostic("error", e.Code, e.Message, e.Location, fallbackOrigin);
    }

    private static (string Origin, string? Detail) Origin(string? location, string? fallbackOrigin)
    {
        var fallback = string.IsNullOrEmpty(fallbackOrigin) ? "dotnet-lora" : fallbackOrigin;
        if (string.IsNullOrWhiteSpace(location))
        {
            return (fallback, null);
        }

        if (FileLineRegex().Match(location) is { Success: true } line)
        {
            var column = line.Groups["column"].Success ? "," + line.Groups["column"].Value : string.Empty;
            return ($"{line.Groups["file"].Value}({line.Groups["line"].Value}{column})", null);
        }

        if (CanonicalRegex().IsMatch(location))
        {
            return (location, null);
        }

        if (FileDetailRegex().Match(location) is { Success: true } detail && File.Exists(detail.Groups["file"].Value))
        {
            return (detail.Groups["file"].Value, detail.Groups["detail"].Value);
        }

        return File.Exists(location) || Directory.Exists(location) ? (location, null) : (fallback, location);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    [GeneratedRegex(@"^(?<file>.+?):(?<line>\d+)(?::(?<column>\d+))?$")]
    private static partial Regex FileLineRegex();

    [GeneratedRegex(@"^.+\(\d+(,\d+)*\)$")]
    private static partial Regex CanonicalRegex();

    [GeneratedRegex(@"^(?<file>.+?): (?<detail>.+)$")]
    private static partial Regex FileDetailRegex();
}
