using LLama.Common;
using LoraBuild.Core.Data;

namespace LoraBuild.LlamaCpp.Tests;

public class HistoryTransformsTests
{
    [Fact]
    public void ASystemInstructionAndAUserInputGiveTheAlpacaPromptWithInput()
    {
        var history = new ChatHistory();
        history.AddMessage(AuthorRole.System, "Classify the ticket.");
        history.AddMessage(AuthorRole.User, "My order 12345 is late.");

        Assert.Equal(AlpacaTemplate.Prompt("Classify the ticket.", "My order 12345 is late."), new AlpacaHistoryTransform().HistoryToText(history));
    }

    [Fact]
    public void AUserMessageAloneIsTheInstructionWithoutInput()
    {
        var history = new ChatHistory();
        history.AddMessage(AuthorRole.User, "Name a colour.");

        var prompt = new AlpacaHistoryTransform().HistoryToText(history);

        Assert.Equal(AlpacaTemplate.Prompt("Name a colour.", string.Empty), prompt);
        Assert.StartsWith(AlpacaTemplate.PreambleWithoutInput, prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainTextIsTheLastUserMessageAsItIs()
    {
        var history = new ChatHistory();
        history.AddMessage(AuthorRole.User, "first");
        history.AddMessage(AuthorRole.Assistant, "reply");
        history.AddMessage(AuthorRole.User, "The customer ");

        Assert.Equal("The customer ", new PlainTextHistoryTransform().HistoryToText(history));
    }
}
