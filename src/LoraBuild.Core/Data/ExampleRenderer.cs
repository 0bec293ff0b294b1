using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Data;

/// <summary>
/// Renders dataset records into training examples: Alpaca records with <see cref="AlpacaTemplate"/>, conversations
/// with a <see cref="ChatTemplate"/>, and text documents as one target segment each (split when too long).
/// </summary>
/// <param name="chatTemplate">The template for chat records; <see langword="null"/> when the data has none.</param>
/// <param name="trainOnPrompt">Whether the prompt is learned too: every segment becomes a target.</param>
public sealed class ExampleRenderer(ChatTemplate? chatTemplate = null, bool trainOnPrompt = false)
{
    /// <summary>The template for chat records, if any.</summary>
    public ChatTemplate? ChatTemplate { get; } = chatTemplate;

    /// <summary>Whether every segment is a target.</summary>
    public bool TrainOnPrompt { get; } = trainOnPrompt;

    /// <summary>Renders one record.</summary>
    /// <exception cref="LoraException"><see cref="DataErrorCodes.ChatTemplateRequired"/> for a chat record without a template.</exception>
    public TrainingExample Render(DatasetRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var example = record switch
        {
            AlpacaRecord alpaca => AlpacaTemplate.Render(alpaca),
            ChatRecord chat => RenderChat(chat),
            TextRecord text => new TrainingExample([new Segment(text.Text, IsTarget: true)])
            {
                SplitWhenTooLong = true,
                Source = text.Location,
            },
            _ => throw new ArgumentException($"Unknown record type {record.GetType().Name}.", nameof(record)),
        };
        return TrainOnPrompt ? example.WithEverySegmentTarget() : example;
    }

    /// <summary>Renders every record, in order.</summary>
    public IReadOnlyList<TrainingExample> RenderAll(IEnumerable<DatasetRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return [.. records.Select(Render)];
    }

    private TrainingExample RenderChat(ChatRecord chat)
    {
        if (ChatTemplate is null)
        {
            throw new LoraException(
                DataErrorCodes.ChatTemplateRequired,
                $"A chat dataset needs a chat template: name one ({string.Join(", ", ChatTemplates.All.Select(t => t.Name))}) or use a base model whose tokenizer_config.json has a chat_template.",
                chat.Location);
        }

        return ChatTemplate.Render(chat.Messages, chat.Location);
    }
}
