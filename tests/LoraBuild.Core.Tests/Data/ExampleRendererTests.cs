using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public class ExampleRendererTests
{
    private static readonly ChatRecord s_chat = new(
        [new(ChatRole.System, "S"), new(ChatRole.User, "U"), new(ChatRole.Assistant, "A")],
        "chat.jsonl:3");

    [Fact]
    public void AlpacaRecordUsesTheAlpacaTemplate()
    {
        var record = new AlpacaRecord("Do it.", "now", "Done.", "train.json:2");

        Assert.Equal(AlpacaTemplate.Render(record).Segments, new ExampleRenderer().Render(record).Segments);
    }

    [Fact]
    public void ChatRecordUsesTheGivenTemplate()
    {
        var example = new ExampleRenderer(ChatTemplates.Llama3).Render(s_chat);

        Assert.Equal(ChatTemplates.Llama3.Render(s_chat.Messages).Segments, example.Segments);
        Assert.Equal("chat.jsonl:3", example.Source);
        Assert.True(example.IncludesBos);
    }

    [Fact]
    public void ChatRecordWithoutTemplateIsRejectedAtTheRecord()
    {
        LoraAssert.Throws(DataErrorCodes.ChatTemplateRequired, "chat.jsonl:3", () => new ExampleRenderer().Render(s_chat));
    }

    [Fact]
    public void TextDocumentIsOneTargetThatSplitsWhenTooLong()
    {
        var example = new ExampleRenderer().Render(new TextRecord("Once upon a time.", "book.txt:1"));

        Assert.Equal([new Segment("Once upon a time.", IsTarget: true)], example.Segments);
        Assert.True(example.SplitWhenTooLong);
        Assert.False(example.IncludesStopMarker);
        Assert.Equal("book.txt:1", example.Source);
    }

    [Fact]
    public void TrainOnPromptMakesEverySegmentATarget()
    {
        var renderer = new ExampleRenderer(ChatTemplates.ChatMl, trainOnPrompt: true);

        var chat = renderer.Render(s_chat);
        var alpaca = renderer.Render(new AlpacaRecord("Do it.", "", "Done.", "train.json:2"));

        Assert.Equal([new Segment(ChatTemplates.ChatMl.Render(s_chat.Messages).Text, IsTarget: true)], chat.Segments);
        Assert.True(chat.IncludesStopMarker);
        Assert.Equal([new Segment(AlpacaTemplate.Prompt("Do it.", "") + "Done.", IsTarget: true)], alpaca.Segments);
    }

    [Fact]
    public void RenderAllKeepsOrder()
    {
        var examples = new ExampleRenderer().RenderAll([new TextRecord("a", "x:1"), new TextRecord("b", "x:2")]);

        Assert.Equal(["a", "b"], examples.Select(example => example.Text));
    }
}
