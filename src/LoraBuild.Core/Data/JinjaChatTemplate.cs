using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Jinja;

namespace LoraBuild.Core.Data;

/// <summary>
/// A model's own chat template (the Jinja <c>chat_template</c> of its <c>tokenizer_config.json</c>), rendered as
/// transformers renders it. Training renders the whole conversation once; each assistant message's content, with the
/// end-of-turn marker that follows it, is target, found in the rendering in order. A prompt is the conversation
/// rendered with <c>add_generation_prompt</c>. Two fixed choices keep training and inference alike and builds
/// reproducible: <c>enable_thinking</c> is false (Qwen 3's templates then write the same empty reasoning block into
/// every prompt, in training and at inference), and <c>strftime_now</c> reads <c>SOURCE_DATE_EPOCH</c>, else
/// 2025-01-01, never the clock.
/// </summary>
public sealed class JinjaChatTemplate : ChatTemplate
{
    private static readonly Dictionary<string, object?> s_extra = new(StringComparer.Ordinal) { ["enable_thinking"] = false };

    private readonly JinjaTemplate _template;
    private readonly string? _bosToken;
    private readonly string? _eosToken;
    private readonly string _location;
    private readonly TimeProvider _time;

    /// <param name="source">The Jinja source.</param>
    /// <param name="bosToken">The text of the bos token (<c>bos_token</c> in the template), if any.</param>
    /// <param name="eosToken">The text of the eos token, if any.</param>
    /// <param name="location">Where the template comes from, for errors.</param>
    /// <exception cref="LoraException">The template does not parse (LORA118x).</exception>
    public JinjaChatTemplate(string source, string? bosToken, string? eosToken, string location)
    {
        ArgumentNullException.ThrowIfNull(source);
        _template = JinjaTemplate.Parse(source, location);
        _bosToken = bosToken;
        _eosToken = eosToken;
        _location = location;
        _time = new FixedTime(SourceDate());
        EndOfTurn = ProbeEndOfTurn();
        IncludesBos = bosToken is { Length: > 0 } && RenderText([new(ChatRole.User, "u"), new(ChatRole.Assistant, "a")], false).StartsWith(bosToken, StringComparison.Ordinal);
    }

    /// <summary>Names the model's own template, as the spec's empty <c>chatTemplate</c> selects it.</summary>
    public override string Name => "tokenizer_config.json";

    public override bool IncludesBos { get; }

    public override string EndOfTurn { get; }

    public override TrainingExample Render(IReadOnlyList<ChatMessage> messages, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ChatConversationRules.ValidateForTraining(messages, source);
        var text = RenderText(messages, addGenerationPrompt: false);
        var segments = new SegmentListBuilder();
        var position = 0;
        var stopMarkerEnds = false;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role != ChatRole.Assistant)
            {
                continue;
            }

            // The content starts no earlier than where the conversation before it stops agreeing with the rendering.
            var opening = CommonPrefixLength(text, RenderText(messages.Take(i).ToList(), addGenerationPrompt: true));
            var (start, end) = Locate(text, messages[i].Content, Math.Max(position, Math.Min(opening, text.Length)), source);
            if (opening >= position && opening < start && string.IsNullOrWhiteSpace(text[opening..start]))
            {
                // Whitespace between the generation prompt and the answer (Llama 2's " answer </s>") is the model's to write.
                start = opening;
            }

            var afterContent = end;
            while (afterContent < text.Length && text[afterContent] == ' ')
            {
                afterContent++;
            }

            stopMarkerEnds = EndOfTurn.Length > 0 && string.CompareOrdinal(text, afterContent, EndOfTurn, 0, EndOfTurn.Length) == 0;
            if (stopMarkerEnds)
            {
                end = afterContent + EndOfTurn.Length;
            }

            segments.Prompt(text[position..start]);
            segments.Target(text[start..end]);
            position = end;
        }

        segments.Prompt(text[position..]);
        return new TrainingExample(segments.ToList())
        {
            IncludesBos = IncludesBos,
            IncludesStopMarker = stopMarkerEnds,
            Source = source,
        };
    }

    public override string RenderPrompt(IReadOnlyList<ChatMessage> messages)
    {
        ChatConversationRules.ValidateForPrompt(messages, location: null);
        return RenderText(messages, addGenerationPrompt: true);
    }

    private protected override string AssistantTurnOpening => string.Empty;

    private protected override void AppendConversation(IReadOnlyList<ChatMessage> messages, SegmentListBuilder output) =>
        throw new NotSupportedException("A Jinja template renders whole conversations.");

    private string RenderText(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) =>
        ChatTemplateRenderer.Render(
            _template,
            [.. messages.Select(message => new Jinja.ChatMessage(message.RoleName, message.Content))],
            addGenerationPrompt,
            _bosToken,
            _eosToken,
            s_extra,
            _time);

    private (int Start, int End) Locate(string text, string content, int from, string? source)
    {
        foreach (var candidate in new[] { content, content.Trim() })
        {
            var index = candidate.Length == 0 ? from : text.IndexOf(candidate, from, StringComparison.Ordinal);
            if (index >= 0)
            {
                return (index, index + candidate.Length);
            }
        }

        throw new LoraException(
            DataErrorCodes.ChatTemplateTargetNotFound,
            $"The chat template ({_location}) does not write this assistant message's content as it is, so its tokens cannot be marked as targets; name a built-in chat template instead: {string.Join(", ", ChatTemplates.All.Select(t => t.Name))}.",
            source);
    }

    /// <summary>
    /// The special marker the template writes right after an assistant message, such as <c>&lt;|im_end|&gt;</c> or
    /// <c>&lt;/s&gt;</c>: the tag-shaped text that follows the answer (after spaces), up to its first '&gt;'. Empty when
    /// the template writes none; training then appends the eos token.
    /// </summary>
    private string ProbeEndOfTurn()
    {
        const string Answer = "\u0002answer\u0002";
        var probe = RenderText([new(ChatRole.User, "question"), new(ChatRole.Assistant, Answer)], addGenerationPrompt: false);
        var index = probe.IndexOf(Answer, StringComparison.Ordinal);
        if (index < 0)
        {
            return string.Empty;
        }

        var suffix = probe[(index + Answer.Length)..].TrimStart(' ');
        var close = suffix.IndexOf('>', StringComparison.Ordinal);
        return suffix.StartsWith('<') && close > 0 && !suffix[..close].Any(char.IsWhiteSpace) ? suffix[..(close + 1)] : string.Empty;
    }

    private static int CommonPrefixLength(string a, string b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
        {
            length++;
        }

        return length;
    }

    private static DateTimeOffset SourceDate() =>
        long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
