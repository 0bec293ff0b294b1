using System.Runtime.CompilerServices;
using LLama;
using LLama.Abstractions;
using LLama.Native;
using LLama.Sampling;

namespace LoraBuild.LlamaCpp;

/// <summary>
/// An executor that continues one prompt from an empty cache and stops at the model's end of generation, as
/// LoraBuild's engine generates: the prompt is tokenized with bos and special tokens, the end token is not part of the
/// answer, and nothing is appended. (LLamaSharp's interactive executor turns the end token into a newline and feeds an
/// anti-prompt after it, for chat sessions that continue.)
/// </summary>
internal sealed class SingleTurnExecutor(LLamaContext context) : ILLamaExecutor
{
    public LLamaContext Context => context;

    public bool IsMultiModal => false;

    public MtmdWeights? ClipModel => null;

    public List<SafeMtmdEmbed> Embeds { get; } = [];

    public async IAsyncEnumerable<string> InferAsync(string text, IInferenceParams? inferenceParams = null, [EnumeratorCancellation] CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        context.NativeHandle.MemoryClear();
        var prompt = context.Tokenize(text, addBos: true, special: true);
        var maxTokens = inferenceParams?.MaxTokens is > 0 and var max ? max : int.MaxValue;
        using var ownPipeline = inferenceParams?.SamplingPipeline is null ? new GreedySamplingPipeline() : null;
        var sampler = inferenceParams?.SamplingPipeline ?? ownPipeline!;
        var decoder = new StreamingTokenDecoder(context);
        var batch = new LLamaBatch();
        for (var i = 0; i < prompt.Length; i++)
        {
            batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
        }

        var position = prompt.Length;
        for (var produced = 0; produced < maxTokens; produced++)
        {
            token.ThrowIfCancellationRequested();
            var result = await context.DecodeAsync(batch, token).ConfigureAwait(false);
            if (result != DecodeResult.Ok)
            {
                throw new InvalidOperationException($"llama.cpp could not decode: {result}.");
            }

            var next = sampler.Sample(context.NativeHandle, batch.TokenCount - 1);
            sampler.Accept(next);
            if (next.IsEndOfGeneration(context.Vocab))
            {
                break;
            }

            decoder.Add(next);
            yield return decoder.Read();
            batch.Clear();
            batch.Add(next, position++, LLamaSeqId.Zero, true);
        }
    }
}
