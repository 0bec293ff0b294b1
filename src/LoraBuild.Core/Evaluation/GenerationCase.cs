using LoraBuild.Core.Data;

namespace LoraBuild.Core.Evaluation;

/// <summary>A held-out prompt and the answer the model should generate for it.</summary>
/// <param name="Prompt">The rendered prompt text, ending where the answer starts.</param>
/// <param name="Expected">The reference answer.</param>
/// <param name="PromptIncludesBos">Whether the rendered prompt already starts with the bos marker.</param>
/// <param name="Source">The file and line the record came from.</param>
public sealed record GenerationCase(string Prompt, string Expected, bool PromptIncludesBos, string Source)
{
    /// <summary>
    /// The generation case for a record: Alpaca prompts through the Alpaca template, conversations up to their last
    /// assistant message through <paramref name="chatTemplate"/>; plain text has none (only its loss is measured).
    /// </summary>
    public static GenerationCase? For(DatasetRecord record, ChatTemplate? chatTemplate)
    {
        ArgumentNullException.ThrowIfNull(record);
        switch (record)
        {
            case AlpacaRecord alpaca:
                return new GenerationCase(AlpacaTemplate.Prompt(alpaca.Instruction, alpaca.Input), alpaca.Output, false, alpaca.Location);
            case ChatRecord chat when chatTemplate is not null:
                var history = chat.Messages.Take(chat.Messages.Count - 1).ToList();
                return new GenerationCase(chatTemplate.RenderPrompt(history), chat.Messages[^1].Content, chatTemplate.IncludesBos, chat.Location);
            default:
                return null;
        }
    }
}
