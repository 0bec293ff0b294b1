using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public class ChatTemplateTests
{
    private static readonly ChatMessage[] s_twoTurnsWithSystem =
    [
        new(ChatRole.System, "You are terse."),
        new(ChatRole.User, "Hi"),
        new(ChatRole.Assistant, "Hello."),
        new(ChatRole.User, "Bye"),
        new(ChatRole.Assistant, "Goodbye."),
    ];

    [Fact]
    public void ChatMl()
    {
        var example = ChatTemplates.ChatMl.Render(s_twoTurnsWithSystem);

        Assert.Equal(
            [
                Prompt("<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"),
                Target("Hello.<|im_end|>"),
                Prompt("\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n"),
                Target("Goodbye.<|im_end|>"),
                Prompt("\n"),
            ],
            example.Segments);
        Assert.False(example.IncludesBos);
        Assert.True(example.IncludesStopMarker);
    }

    [Fact]
    public void Llama2()
    {
        var example = ChatTemplates.Llama2.Render(s_twoTurnsWithSystem);

        Assert.Equal(
            [
                Prompt("<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nHi [/INST]"),
                Target(" Hello. </s>"),
                Prompt("<s>[INST] Bye [/INST]"),
                Target(" Goodbye. </s>"),
            ],
            example.Segments);
        Assert.Equal(
            "<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nHi [/INST] Hello. </s><s>[INST] Bye [/INST] Goodbye. </s>",
            example.Text);
        Assert.True(example.IncludesBos);
        Assert.True(example.IncludesStopMarker);
    }

    [Fact]
    public void Llama2WithoutSystemStripsContents()
    {
        var example = ChatTemplates.Llama2.Render([new(ChatRole.User, "  Hi\n"), new(ChatRole.Assistant, "\tHello. ")]);

        Assert.Equal("<s>[INST] Hi [/INST] Hello. </s>", example.Text);
    }

    [Fact]
    public void Llama3()
    {
        var example = ChatTemplates.Llama3.Render(s_twoTurnsWithSystem);

        Assert.Equal(
            [
                Prompt(
                    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>" +
                    "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"),
                Target("Hello.<|eot_id|>"),
                Prompt("<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"),
                Target("Goodbye.<|eot_id|>"),
            ],
            example.Segments);
        Assert.True(example.IncludesBos);
        Assert.True(example.IncludesStopMarker);
    }

    [Fact]
    public void Llama3TrimsContents()
    {
        var example = ChatTemplates.Llama3.Render([new(ChatRole.User, " Hi "), new(ChatRole.Assistant, "\nHello.\n")]);

        Assert.Equal(Target("Hello.<|eot_id|>"), example.Segments[^1]);
    }

    [Fact]
    public void Zephyr()
    {
        var example = ChatTemplates.Zephyr.Render(s_twoTurnsWithSystem);

        Assert.Equal(
            [
                Prompt("<|system|>\nYou are terse.</s>\n<|user|>\nHi</s>\n<|assistant|>\n"),
                Target("Hello.</s>"),
                Prompt("\n<|user|>\nBye</s>\n<|assistant|>\n"),
                Target("Goodbye.</s>"),
                Prompt("\n"),
            ],
            example.Segments);
        Assert.False(example.IncludesBos);
        Assert.True(example.IncludesStopMarker);
    }

    [Theory]
    [InlineData("chatml", "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")]
    [InlineData("llama-2", "<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nHi [/INST]")]
    [InlineData("llama-3", "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")]
    [InlineData("zephyr", "<|system|>\nYou are terse.</s>\n<|user|>\nHi</s>\n<|assistant|>\n")]
    public void GenerationPromptOpensTheAssistantTurn(string name, string expected)
    {
        var template = ChatTemplates.FromName(name);

        Assert.Equal(expected, template.RenderPrompt(s_twoTurnsWithSystem[..2]));
        Assert.StartsWith(expected, template.Render(s_twoTurnsWithSystem[..3]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerationPromptMustEndWithUser()
    {
        LoraAssert.Throws(DataErrorCodes.ChatOrderInvalid, null, () => ChatTemplates.ChatMl.RenderPrompt(s_twoTurnsWithSystem[..3]));
    }

    [Fact]
    public void RenderValidatesOrderAndNamesTheSource()
    {
        LoraAssert.Throws(
            DataErrorCodes.ChatOrderInvalid,
            "chat.jsonl:7",
            () => ChatTemplates.Zephyr.Render([new(ChatRole.Assistant, "a")], "chat.jsonl:7"));
    }

    [Theory]
    [InlineData("chatml", "<|im_end|>")]
    [InlineData("LLAMA-2", "</s>")]
    [InlineData("llama-3", "<|eot_id|>")]
    [InlineData("Zephyr", "</s>")]
    public void TemplatesAreFoundByNameIgnoringCase(string name, string endOfTurn)
    {
        var template = ChatTemplates.FromName(name);

        Assert.Equal(name.ToLowerInvariant(), template.Name);
        Assert.Equal(endOfTurn, template.EndOfTurn);
    }

    [Fact]
    public void UnknownNameIsRejected()
    {
        var exception = LoraAssert.Throws(DataErrorCodes.UnknownChatTemplate, "spec.json", () => ChatTemplates.FromName("vicuna", "spec.json"));
        Assert.Contains("chatml, llama-2, llama-3, zephyr", exception.Message, StringComparison.Ordinal);
    }

    private static Segment Prompt(string text) => new(text, IsTarget: false);

    private static Segment Target(string text) => new(text, IsTarget: true);
}
