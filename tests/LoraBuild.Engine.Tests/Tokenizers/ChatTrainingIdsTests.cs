using LoraBuild.Core.Data;
using LoraBuild.Core.Evaluation;
using LoraBuild.Engine.Evaluation;
using LoraBuild.Engine.Tokenizers;
using LoraBuild.Engine.Tests.Tokenizers.Conformance;

namespace LoraBuild.Engine.Tests.Tokenizers;

/// <summary>
/// On the real Llama 2, Llama 3, Qwen 3 and Gemma 3 tokenizers and their chat templates (Llama 2, a base model, has
/// none: the built-in llama-2 template), a chat record trains on exactly the ids of its rendered text, and the ids
/// before the answer the trainer masks are exactly the prompt ids generation feeds for the same messages.
/// </summary>
public class ChatTrainingIdsTests
{
    private static readonly ChatMessage[] s_conversation =
    [
        new(ChatRole.System, "You sort support tickets. Answer with JSON."),
        new(ChatRole.User, "My kettle arrived broken. Order 4512."),
        new(ChatRole.Assistant, "{\"category\": \"damaged\", \"order\": 4512}"),
        new(ChatRole.User, "What is the capital of France?"),
        new(ChatRole.Assistant, "Paris"),
    ];

    public static TheoryData<string> Tokenizers() => ["llama2", "llama3", "qwen3", "gemma3"];

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void TrainingIdsAreTheRenderedTextsIdsAndTheMaskedPromptIsWhatGenerationFeeds(string name)
    {
        var folder = ConformanceReference.ModelFolder(name);
        var tokenizer = HuggingFaceTokenizer.Load(folder);
        var template = name == "llama2"
            ? ChatTemplates.Llama2
            : ChatTemplates.FromTokenizerConfig(
                Path.Combine(folder, "tokenizer_config.json"),
                tokenizer.BosTokenId is int bos ? tokenizer.IdToToken(bos) : null,
                tokenizer.EosTokenId is int eos ? tokenizer.IdToToken(eos) : null);
        int? bosId = tokenizer.PrefixTokenIds.Count > 0 ? tokenizer.PrefixTokenIds[0] : null;
        var builder = new SequenceBuilder(text => tokenizer.Encode(text, addSpecialTokens: false), bosId, tokenizer.EosTokenId!.Value, 4096);

        var example = template.Render(s_conversation);
        var sequence = Assert.Single(builder.Build(example));

        var text = string.Concat(example.Segments.Select(segment => segment.Text));
        List<int> expected = [.. example.IncludesBos || bosId is null ? [] : new[] { bosId.Value }, .. tokenizer.Encode(text, addSpecialTokens: false)];
        if (!example.IncludesStopMarker)
        {
            expected.Add(tokenizer.EosTokenId!.Value);
        }

        Assert.Equal(expected, sequence.InputIds);

        var lastAnswer = LastTargetRunStart(sequence.IsTarget);
        var evaluator = new GenerationEvaluator(null!, tokenizer, new HashSet<int>());
        var prompt = evaluator.PromptIds(new GenerationCase(template.RenderPrompt(s_conversation[..^1]), "Paris", template.IncludesBos, "chat:1"));
        Assert.Equal(prompt, sequence.InputIds[..lastAnswer]);
        var answerEnd = Array.LastIndexOf(sequence.IsTarget, true) + 1;
        Assert.Equal("Paris", tokenizer.Decode(sequence.InputIds[lastAnswer..answerEnd], skipSpecialTokens: true).Trim());
    }

    /// <summary>Where the last run of target tokens starts.</summary>
    private static int LastTargetRunStart(bool[] isTarget)
    {
        var end = Array.LastIndexOf(isTarget, true);
        var start = end;
        while (start > 0 && isTarget[start - 1])
        {
            start--;
        }

        return start;
    }
}
