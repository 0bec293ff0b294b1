using System.Text;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Tasks.Engine;

/// <summary>
/// How to start the engine: an executable and the arguments that come before the engine's own. From
/// <c>LoraEnginePath</c> (a <c>dotnet-lora.dll</c> run by the current dotnet host, or an executable) or else from
/// <c>LoraEngineCommand</c> (a command line whose first word is the program; the word <c>dotnet</c> means the
/// dotnet host running this build). The Sdk's default is <c>dotnet tool run dotnet-lora</c>.
/// </summary>
public sealed record EngineCommand(string Executable, IReadOnlyList<string> LeadingArguments, string Description)
{
    /// <param name="enginePath">LoraEnginePath; wins when set.</param>
    /// <param name="engineCommand">LoraEngineCommand.</param>
    /// <param name="dotnetHost">The dotnet host (DOTNET_HOST_PATH), or null to find <c>dotnet</c> on PATH.</param>
    /// <param name="projectDirectory">Relative engine paths resolve against it.</param>
    public static EngineCommand Resolve(string? enginePath, string? engineCommand, string? dotnetHost, string projectDirectory)
    {
        var dotnet = string.IsNullOrWhiteSpace(dotnetHost) ? "dotnet" : dotnetHost;
        if (!string.IsNullOrWhiteSpace(enginePath))
        {
            var fullPath = Path.GetFullPath(Path.Combine(projectDirectory, enginePath.Trim()));
            if (!File.Exists(fullPath))
            {
                throw new LoraException(
                    EngineErrorCodes.EngineNotFound,
                    $"LoraEnginePath '{fullPath}' does not exist; build the engine (src/LoraBuild.Cli) or point LoraEnginePath at dotnet-lora.dll.",
                    "LoraEnginePath");
            }

            return fullPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                ? new EngineCommand(dotnet, [fullPath], fullPath)
                : new EngineCommand(fullPath, [], fullPath);
        }

        var words = Split(string.IsNullOrWhiteSpace(engineCommand) ? "dotnet tool run dotnet-lora" : engineCommand);
        if (words.Count == 0)
        {
            throw new LoraException(EngineErrorCodes.EngineNotFound, "LoraEngineCommand is empty.", "LoraEngineCommand");
        }

        var program = words[0] == "dotnet" ? dotnet : words[0];
        return new EngineCommand(program, [.. words.Skip(1)], string.Join(' ', words));
    }

    /// <summary>The full argument list for one engine run.</summary>
    public IReadOnlyList<string> Arguments(params string[] engineArguments) => [.. LeadingArguments, .. engineArguments];

    /// <summary>Splits a command line at spaces; double quotes group words with spaces.</summary>
    public static List<string> Split(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in commandLine)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>Quotes one argument for a command line (ToolTask hands the process one string).</summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c == '"')
            ? argument
            : "\"" + argument.Replace("\\\"", "\\\\\"", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
