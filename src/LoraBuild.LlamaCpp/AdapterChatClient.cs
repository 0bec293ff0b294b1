using LLama.Common;
using LLama.Sampling;
using Microsoft.Extensions.AI;

namespace LoraBuild.LlamaCpp;

/// <summary>
/// The <see cref="IChatClient"/> of a <see cref="LlamaCppAdaptedModel"/>: each request runs LLamaSharp's own chat client
/// (<c>AsChatClient()</c> on an executor over the model's context, which carries the adapter) from an empty cache, and
/// decodes greedily, as LoraBuild evaluates.
/// </summary>
internal sealed class AdapterChatClient(LlamaCppAdaptedModel model) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var greedy = Greedy(options);
        return model.OnFreshContext(client => client.GetResponseAsync(list, greedy, cancellationToken));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // One request holds the context for its whole length, so the updates are gathered before they are handed out.
        var list = messages.ToList();
        var greedy = Greedy(options);
        var updates = await model.OnFreshContext(async client =>
        {
            var gathered = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(list, greedy, cancellationToken).ConfigureAwait(false))
            {
                gathered.Add(update);
            }

            return gathered;
        }).ConfigureAwait(false);
        foreach (var update in updates)
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType?.IsInstanceOfType(this) == true ? this : null;

    public void Dispose()
    {
    }

    private ChatOptions Greedy(ChatOptions? options)
    {
        var chosen = options?.Clone() ?? new ChatOptions();
        var maxTokens = chosen.MaxOutputTokens ?? model.Options.MaxNewTokens;
        chosen.MaxOutputTokens = maxTokens;
        chosen.RawRepresentationFactory = _ => new InferenceParams { MaxTokens = maxTokens, SamplingPipeline = new GreedySamplingPipeline() };
        return chosen;
    }
}
