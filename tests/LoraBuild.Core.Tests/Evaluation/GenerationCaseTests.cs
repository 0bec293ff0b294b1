using LoraBuild.Core.Data;
using LoraBuild.Core.Evaluation;

namespace LoraBuild.Core.Tests.Evaluation;

public class GenerationCaseTests
{
    [Fact]
    public void AlpacaRecordsPromptWithTheAlpacaTemplateAndExpectTheOutput()
    {
        var testCase = GenerationCase.For(new AlpacaRecord("Sum", "1 2", "3", "eval.jsonl:4"), chatTemplate: null)!;

        Assert.Equal(AlpacaTemplate.Prompt("Sum", "1 2"), testCase.Prompt);
        Assert.EndsWith("### Response:\n", testCase.Prompt, StringComparison.Ordinal);
        Assert.Equal("3", testCase.Expected);
        Assert.Equal("eval.jsonl:4", testCase.Source);
    }

    [Fact]
    public void ChatRecordsPromptWithTheHistoryAndExpectTheLastAnswer()
    {
        ChatMessage[] messages = [new(ChatRole.User, "hi"), new(ChatRole.Assistant, "hello"), new(ChatRole.User, "2+2?"), new(ChatRole.Assistant, "4")];

        var testCase = GenerationCase.For(new ChatRecord(messages, "chat.jsonl:1"), ChatTemplates.ChatMl)!;

        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n", testCase.Prompt);
        Assert.Equal("4", testCase.Expected);
    }

    [Fact]
    public void PlainTextHasNoGenerationCase() =>
        Assert.Null(GenerationCase.For(new TextRecord("a document", "corpus.txt:1"), chatTemplate: null));

    [Theory]
    [InlineData("{\"a\": 1}", " {\"a\": 1}\n", true)]
    [InlineData("{\"a\": 1}", "{\"a\":1}", false)]
    [InlineData("Late", "late", false)]
    public void ExactMatchIgnoresOnlySurroundingWhiteSpace(string generated, string expected, bool matches) =>
        Assert.Equal(matches, ExactMatch.Matches(generated, expected));
}
