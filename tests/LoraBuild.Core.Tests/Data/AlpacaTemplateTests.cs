using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public class AlpacaTemplateTests
{
    [Fact]
    public void PromptWithInputIsStanfordAlpacas()
    {
        var prompt = AlpacaTemplate.Prompt("Add the numbers.", "2 and 3");

        Assert.Equal(
            "Below is an instruction that describes a task, paired with an input that provides further context. " +
            "Write a response that appropriately completes the request.\n\n" +
            "### Instruction:\nAdd the numbers.\n\n### Input:\n2 and 3\n\n### Response:\n",
            prompt);
    }

    [Fact]
    public void PromptWithoutInputIsStanfordAlpacas()
    {
        var prompt = AlpacaTemplate.Prompt("Say hello.", "");

        Assert.Equal(
            "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n" +
            "### Instruction:\nSay hello.\n\n### Response:\n",
            prompt);
    }

    [Fact]
    public void WhitespaceInputStillCountsAsInput()
    {
        Assert.Contains("### Input:\n \n\n", AlpacaTemplate.Prompt("a", " "), StringComparison.Ordinal);
    }

    [Fact]
    public void OutputIsTheOnlyTargetSegment()
    {
        var example = AlpacaTemplate.Render(new AlpacaRecord("Say hello.", "", "Hello!", "train.jsonl:4"));

        Assert.Equal(
            [new Segment(AlpacaTemplate.Prompt("Say hello.", ""), IsTarget: false), new Segment("Hello!", IsTarget: true)],
            example.Segments);
        Assert.False(example.IncludesBos);
        Assert.False(example.IncludesStopMarker);
        Assert.False(example.SplitWhenTooLong);
        Assert.Equal("train.jsonl:4", example.Source);
    }
}
