using LoraBuild.Core.Evaluation;
using LoraBuild.Engine.Tokenizers;

namespace LoraBuild.Engine.Generation;

/// <summary>How a rendered prompt becomes ids, the same for evaluation, <c>generate</c> and the runtime API.</summary>
public static class PromptTokens
{
    /// <summary>The prompt's ids as training saw them: bos first when the tokenizer adds one and the template did not write it.</summary>
    public static IReadOnlyList<int> Of(HuggingFaceTokenizer tokenizer, GenerationCase prompt)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        var ids = new List<int>();
        if (!prompt.PromptIncludesBos && tokenizer.PrefixTokenIds.Count > 0)
        {
            ids.AddRange(tokenizer.PrefixTokenIds);
        }

        ids.AddRange(tokenizer.Encode(prompt.Prompt, addSpecialTokens: false));
        return ids;
    }
}
