using LoraBuild.Engine.Checkpoints;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Export;

/// <summary>The engine's own numbers for a model folder (and adapter): log-softmax at every position, greedy continuations.</summary>
internal static class EngineReference
{
    public static float[][] LogProbabilities(string modelDirectory, string? adapterDirectory, IReadOnlyList<int> ids, bool llamaCppGelu = false)
    {
        using var loaded = Load(modelDirectory, adapterDirectory, llamaCppGelu);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        loaded.Model.eval();
        var input = tensor(ids.Select(id => (long)id).ToArray(), dtype: ScalarType.Int64).unsqueeze(0);
        var logProbabilities = nn.functional.log_softmax(loaded.Model.ForwardLogits(input), -1).squeeze(0).contiguous();
        var columns = (int)logProbabilities.shape[1];
        var flat = logProbabilities.data<float>().ToArray();
        return [.. Enumerable.Range(0, ids.Count).Select(row => flat.AsSpan(row * columns, columns).ToArray())];
    }

    public static List<int> Greedy(string modelDirectory, string? adapterDirectory, IReadOnlyList<int> prompt, int count, bool llamaCppGelu = false)
    {
        using var loaded = Load(modelDirectory, adapterDirectory, llamaCppGelu);
        using var noGrad = no_grad();
        loaded.Model.eval();
        var sequence = prompt.Select(id => (long)id).ToList();
        for (var step = 0; step < count; step++)
        {
            using var scope = NewDisposeScope();
            var logits = loaded.Model.ForwardLogits(tensor(sequence.ToArray(), dtype: ScalarType.Int64).unsqueeze(0));
            sequence.Add(logits[0, -1].argmax().item<long>());
        }

        return [.. sequence.Skip(prompt.Count).Select(id => (int)id)];
    }

    /// <summary>Loads the model in float32 on the CPU; with <paramref name="llamaCppGelu"/>, its GeGLU computes GELU as llama.cpp's CPU does.</summary>
    private static PretrainedModel Load(string modelDirectory, string? adapterDirectory, bool llamaCppGelu)
    {
        var loaded = PretrainedModel.Load(modelDirectory, ScalarType.Float32, CPU, adapterDirectory);
        if (llamaCppGelu)
        {
            foreach (var layer in loaded.Model.Layers)
            {
                layer.Mlp.GeluOverride = LlamaCppGelu.Apply;
            }
        }

        return loaded;
    }
}
