using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace LoraBuild.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors (a value of the wrong type, an unknown flag, a missing argument) into one
/// coded line that names the flag, instead of its raw message and the whole help text.
/// </summary>
internal static partial class CommandLineErrors
{
    public static string Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var error = parse.Errors[0];
        var location = error.SymbolResult switch
        {
            OptionResult option => option.IdentifierToken?.Value ?? option.Option.Name,
            ArgumentResult argument => argument.Argument.Name,
            _ => parse.UnmatchedTokens.Count > 0 ? parse.UnmatchedTokens[0] : null,
        };
        var command = parse.CommandResult.Command;
        var path = command is RootCommand ? "dotnet lora" : $"dotnet lora {command.Name}";
        var message = $"{Readable(error.Message, location)} See '{path} --help'.";
        return location is null ? $"error {CliErrorCodes.CommandLineInvalid}: {message}" : $"{location}: error {CliErrorCodes.CommandLineInvalid}: {message}";
    }

    /// <summary>System.CommandLine names .NET types ("System.Nullable`1[System.Int32]"); say what kind of value is expected.</summary>
    private static string Readable(string message, string? flag)
    {
        var match = ExpectedType().Match(message);
        if (!match.Success)
        {
            return message.EndsWith('.') ? message : message + ".";
        }

        var expected = match.Groups["type"].Value switch
        {
            var type when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "a whole number",
            var type when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) => "a number",
            var type when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            var type => type,
        };
        return $"'{match.Groups["value"].Value}' is not a valid value for {flag ?? match.Groups["option"].Value}: expected {expected}.";
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for (option|command|argument) '(?<option>[^']+)' as expected type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ExpectedType();
}
