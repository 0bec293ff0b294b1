using System.CommandLine;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Generation;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// How <c>generate</c> turns what it was given into prompt ids: in the adapter's training template by default (the
/// text is an Alpaca adapter's input, a chat adapter's user message), in the template the flags name, or raw.
/// </summary>
internal sealed class GeneratePromptOptions
{
    private readonly Option<string?> _prompt = new("--prompt", "-p")
    {
        Description = "The text; read from standard input when no text flag is given. With an adapter trained on Alpaca or chat data it is the question in that template (see --raw).",
    };
    private readonly Option<string?> _instruction = new("--instruction")
    {
        Description = "Alpaca template: the instruction (default: the one every training record of the adapter shared).",
    };
    private readonly Option<string?> _input = new("--input") { Description = "Alpaca template: the input (e.g. the ticket)." };
    private readonly Option<string?> _message = new("--message") { Description = "Chat template: the user message." };
    private readonly Option<string?> _system = new("--system")
    {
        Description = "Chat template: the system message (default: the one every training conversation of the adapter opened with).",
    };
    private readonly Option<bool> _raw = new("--raw") { Description = "Send the text as it is, without the adapter's template." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _prompt, _instruction, _input, _message, _system, _raw })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The prompt's ids, and whether they came from raw text (which must not be empty).</summary>
    /// <exception cref="LoraException">LORA1027 for flags that conflict; LORA1360/LORA1361 from the adapter's format.</exception>
    public (IReadOnlyList<int>? TemplateIds, string? RawText) Resolve(ParseResult parse, AdapterPromptFormat format, Func<string> readStandardInput)
    {
        var alpacaFlags = Given(parse, _instruction, _input);
        var chatFlags = Given(parse, _message, _system);
        if (parse.GetValue(_raw) && alpacaFlags.Concat(chatFlags).FirstOrDefault() is { } withRaw)
        {
            throw Conflict(withRaw, "--raw sends the text as it is; it takes no template flag.");
        }

        if (alpacaFlags.Count > 0 && chatFlags.Count > 0)
        {
            throw Conflict(chatFlags[0], $"{alpacaFlags[0]} asks in the Alpaca template and {chatFlags[0]} in the chat template; use one.");
        }

        var prompt = parse.GetValue(_prompt);
        var content = parse.GetValue(_input) is not null ? Flag(parse, _input) : parse.GetValue(_message) is not null ? Flag(parse, _message) : null;
        if (prompt is not null && content is not null)
        {
            throw Conflict(Flag(parse, _prompt), $"{content} already gives the text; give it once.");
        }

        var text = prompt ?? (content is null && parse.GetValue(_instruction) is null ? readStandardInput() : null);
        if (parse.GetValue(_raw))
        {
            return (null, text);
        }

        if (alpacaFlags.Count > 0)
        {
            var input = parse.GetValue(_input) ?? text ?? string.Empty;
            var blame = parse.GetValue(_instruction) is null ? "--instruction" : alpacaFlags[0];
            return (format.PromptIds(format.Alpaca(parse.GetValue(_instruction), input, blame)), null);
        }

        if (chatFlags.Count > 0)
        {
            var message = parse.GetValue(_message) ?? text!;
            return (format.PromptIds(format.Chat(message, parse.GetValue(_system), chatFlags[0])), null);
        }

        return format.Default(text!) is { } question ? (format.PromptIds(question), null) : (null, text);
    }

    private static List<string> Given(ParseResult parse, params Option<string?>[] options) =>
        [.. options.Where(option => parse.GetValue(option) is not null).Select(option => Flag(parse, option))];

    private static string Flag(ParseResult parse, Option option) => parse.GetResult(option)?.IdentifierToken?.Value ?? option.Name;

    private static LoraException Conflict(string flag, string message) => new(CliErrorCodes.FlagsConflict, message, flag);
}
