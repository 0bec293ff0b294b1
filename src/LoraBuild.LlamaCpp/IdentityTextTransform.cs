using LLama.Abstractions;

namespace LoraBuild.LlamaCpp;

/// <summary>Passes generated text through unchanged (LLamaSharp's default removes the words of its anti-prompts, such as "User:").</summary>
internal sealed class IdentityTextTransform : ITextStreamTransform
{
    public IAsyncEnumerable<string> TransformAsync(IAsyncEnumerable<string> tokens) => tokens;

    public ITextStreamTransform Clone() => new IdentityTextTransform();
}
