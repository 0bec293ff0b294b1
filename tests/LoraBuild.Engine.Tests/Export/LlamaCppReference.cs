using LLama;
using LLama.Common;
using LLama.Native;

namespace LoraBuild.Engine.Tests.Export;

/// <summary>
/// llama.cpp (through LLamaSharp) as the independent reference: a GGUF model, optionally with a GGUF LoRA adapter at
/// scale 1, with an F32 KV cache (the default F16 cache alone moves log-probabilities by ~1e-2), one thread.
/// </summary>
internal sealed class LlamaCppReference : IDisposable
{
    private static readonly object s_logSetup = new();
    private static bool s_logSilenced;

    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly LoraAdapter? _adapter;

    public LlamaCppReference(string modelPath, string? adapterPath = null)
    {
        SilenceLogs();
        var parameters = new ModelParams(modelPath)
        {
            ContextSize = 256,
            GpuLayerCount = 0,
            Threads = 1,
            BatchThreads = 1,
            BatchSize = 256,
            UBatchSize = 256,
            TypeK = GGMLType.GGML_TYPE_F32,
            TypeV = GGMLType.GGML_TYPE_F32,
            FlashAttention = false,
        };
        _weights = LLamaWeights.LoadFromFile(parameters);
        _context = _weights.CreateContext(parameters);
        if (adapterPath is not null)
        {
            _adapter = _weights.NativeHandle.LoadLoraFromFile(adapterPath);
            if (NativePointer(_adapter) == IntPtr.Zero)
            {
                // LLamaSharp returns a null adapter instead of failing; applying it would crash the process.
                throw new InvalidOperationException($"llama.cpp did not load '{adapterPath}' as a LoRA adapter.");
            }

            _context.NativeHandle.SetLoraAdapters((_adapter, 1.0f));
        }
    }

    public int VocabularySize => _context.Vocab.Count;

    /// <summary>The log-softmax of the logits at every position of <paramref name="ids"/>, fed as one batch.</summary>
    public float[][] LogProbabilities(IReadOnlyList<int> ids)
    {
        _context.NativeHandle.MemoryClear();
        var batch = new LLamaBatch();
        for (var i = 0; i < ids.Count; i++)
        {
            batch.Add(ids[i], i, LLamaSeqId.Zero, true);
        }

        Decode(batch);
        return [.. Enumerable.Range(0, ids.Count).Select(i => LogSoftmax(_context.NativeHandle.GetLogitsIth(i)))];
    }

    /// <summary><paramref name="count"/> greedy tokens after <paramref name="prompt"/>, decoding one token at a time with the cache.</summary>
    public List<int> Greedy(IReadOnlyList<int> prompt, int count)
    {
        _context.NativeHandle.MemoryClear();
        var batch = new LLamaBatch();
        for (var i = 0; i < prompt.Count; i++)
        {
            batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Count - 1);
        }

        Decode(batch);
        var output = new List<int>();
        for (var step = 0; step < count; step++)
        {
            var next = ArgMax(_context.NativeHandle.GetLogitsIth(-1));
            output.Add(next);
            batch.Clear();
            batch.Add(next, prompt.Count + step, LLamaSeqId.Zero, true);
            Decode(batch);
        }

        return output;
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }

    private void Decode(LLamaBatch batch)
    {
        var result = _context.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama.cpp decode failed: {result}");
        }
    }

    private static float[] LogSoftmax(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }

        var sum = 0.0;
        foreach (var value in logits)
        {
            sum += Math.Exp(value - max);
        }

        var logSum = max + Math.Log(sum);
        var result = new float[logits.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            result[i] = (float)(logits[i] - logSum);
        }

        return result;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>LLamaSharp keeps the native adapter pointer internal; a failed load leaves it null.</summary>
    private static IntPtr NativePointer(LoraAdapter adapter) =>
        (IntPtr)typeof(LoraAdapter).GetProperty("Pointer", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(adapter)!;

    private static void SilenceLogs()
    {
        lock (s_logSetup)
        {
            if (!s_logSilenced)
            {
                NativeLogConfig.llama_log_set((_, _) => { });
                s_logSilenced = true;
            }
        }
    }
}
