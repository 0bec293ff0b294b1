using LLama.Abstractions;
using LLama.Common;
using LoraBuild.Core.Data;

namespace LoraBuild.LlamaCpp;

/// <summary>
/// Renders a chat history in the Alpaca prompt an adapter trained on <c>alpaca</c> data expects, exactly as
/// <see cref="AlpacaTemplate.Prompt"/> does: the system message is the instruction and the last user message the input
/// (without a system message, the user message is the instruction and there is no input).
/// </summary>
public sealed class AlpacaHistoryTransform : IHistoryTransform
{
    public string HistoryToText(ChatHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var system = history.Messages.LastOrDefault(message => message.AuthorRole == AuthorRole.System)?.Content;
        var user = history.Messages.LastOrDefault(message => message.AuthorRole == AuthorRole.User)?.Content ?? string.Empty;
        return system is null ? AlpacaTemplate.Prompt(user, string.Empty) : AlpacaTemplate.Prompt(system, user);
    }

    public ChatHistory TextToHistory(AuthorRole role, string text)
    {
        var history = new ChatHistory();
        history.AddMessage(role, text);
        return history;
    }

    public IHistoryTransform Clone() => new AlpacaHistoryTransform();
}

/// <summary>Plain text: the prompt is the last user message as it is (for adapters trained on <c>text</c> data).</summary>
public sealed class PlainTextHistoryTransform : IHistoryTransform
{
    public string HistoryToText(ChatHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.Messages.LastOrDefault(message => message.AuthorRole == AuthorRole.User)?.Content ?? string.Empty;
    }

    public ChatHistory TextToHistory(AuthorRole role, string text)
    {
        var history = new ChatHistory();
        history.AddMessage(role, text);
        return history;
    }

    public IHistoryTransform Clone() => new PlainTextHistoryTransform();
}
