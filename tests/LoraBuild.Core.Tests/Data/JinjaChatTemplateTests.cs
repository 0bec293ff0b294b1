using LoraBuild.Core.Data;
using LoraBuild.Core.Jinja;
using LoraBuild.Core.Tests.Jinja;
using DataChatMessage = LoraBuild.Core.Data.ChatMessage;

namespace LoraBuild.Core.Tests.Data;

/// <summary>
/// The real chat templates of Llama 2 (chat format), Llama 3, Llama 3.1, Qwen 3 and Gemma 3 (from the Jinja fixtures):
/// training renders exactly what the template renders, marks exactly the assistant messages (with their end-of-turn
/// marker) as targets, and the prompt a generation starts from is the training text before the last target.
/// </summary>
public class JinjaChatTemplateTests
{
    private static readonly DataChatMessage[] s_conversation =
    [
        new(ChatRole.System, "You sort support tickets."),
        new(ChatRole.User, "My kettle arrived broken. Order 4512."),
        new(ChatRole.Assistant, "{\"category\": \"damaged\", \"order\": 4512}"),
        new(ChatRole.User, "And order 77 is late."),
        new(ChatRole.Assistant, "{\"category\": \"late\", \"order\": 77}"),
    ];

    public static TheoryData<string> Templates() => ["llama2-chat", "llama3", "llama3_1", "qwen3", "gemma3"];

    [Theory]
    [MemberData(nameof(Templates))]
    public void TrainingTextIsTheTemplatesRenderingAndTheTargetsAreTheAssistantTurns(string name)
    {
        var template = Load(name, out var source, out var bos, out var eos);

        var example = template.Render(s_conversation, "data/chat.jsonl:1");

        var joined = string.Concat(example.Segments.Select(segment => segment.Text));
        var expected = ChatTemplateRenderer.Render(
            source, [.. s_conversation.Select(m => new LoraBuild.Core.Jinja.ChatMessage(m.RoleName, m.Content))], false, bos, eos,
            new Dictionary<string, object?> { ["enable_thinking"] = false }, new FixedTime());
        Assert.Equal(expected, joined);
        var targets = example.Segments.Where(segment => segment.IsTarget).Select(segment => segment.Text).ToList();
        Assert.Equal(2, targets.Count);
        // Llama 2 writes a space between "[/INST]" and the answer; the generation prompt ends before it, so it is target.
        Assert.StartsWith(s_conversation[2].Content, targets[0].TrimStart(), StringComparison.Ordinal);
        Assert.StartsWith(s_conversation[4].Content, targets[1].TrimStart(), StringComparison.Ordinal);
        Assert.All(targets, target => Assert.EndsWith(template.EndOfTurn, target, StringComparison.Ordinal));
        Assert.True(example.IncludesStopMarker);
        Assert.Equal(bos is not null && joined.StartsWith(bos, StringComparison.Ordinal), example.IncludesBos);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void TheInferencePromptIsTheTrainingTextBeforeTheLastTarget(string name)
    {
        var template = Load(name, out _, out _, out _);
        var example = template.Render(s_conversation);
        var lastTarget = example.Segments.ToList().FindLastIndex(segment => segment.IsTarget);

        var prompt = template.RenderPrompt(s_conversation[..^1]);

        var trainingPrefix = string.Concat(example.Segments.Take(lastTarget).Select(segment => segment.Text));
        Assert.Equal(prompt, trainingPrefix);
    }

    [Fact]
    public void TheEndOfTurnMarkerIsWhatTheTemplateWritesAfterAnAnswer()
    {
        Assert.Equal("<|im_end|>", Load("qwen3", out _, out _, out _).EndOfTurn);
        Assert.Equal("<|eot_id|>", Load("llama3", out _, out _, out _).EndOfTurn);
        Assert.Equal("<end_of_turn>", Load("gemma3", out _, out _, out _).EndOfTurn);
        Assert.Equal("</s>", Load("llama2-chat", out _, out _, out _).EndOfTurn);
    }

    [Fact]
    public void Qwen3PromptsCarryTheEmptyReasoningBlockInTrainingAndAtInference()
    {
        var template = Load("qwen3", out _, out _, out _);

        var prompt = template.RenderPrompt(s_conversation[..2]);

        Assert.EndsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void AContentTheTemplateRewritesIsACodedError()
    {
        var template = new JinjaChatTemplate("{% for m in messages %}{{ m['content'] | upper }}{% endfor %}", null, null, "model/tokenizer_config.json");

        var error = Assert.Throws<LoraBuild.Core.Diagnostics.LoraException>(() =>
            template.Render([new DataChatMessage(ChatRole.User, "hi"), new DataChatMessage(ChatRole.Assistant, "hello")], "data/chat.jsonl:3"));

        Assert.Equal(DataErrorCodes.ChatTemplateTargetNotFound, error.Code);
        Assert.Equal("data/chat.jsonl:3", error.Location);
    }

    private static JinjaChatTemplate Load(string name, out string source, out string? bos, out string? eos)
    {
        var entry = Fixtures.Real.GetProperty("templates").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);
        source = entry.GetProperty("template").GetString()!;
        bos = entry.GetProperty("bos_token").GetString();
        eos = entry.GetProperty("eos_token").GetString();
        return new JinjaChatTemplate(source, bos, eos, name);
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
