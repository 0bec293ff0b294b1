using LoraBuild.Core.Models;
using LoraBuild.Core.Planning;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Recipes;

/// <summary>
/// A model of a published shape (a <see cref="ModelPresets"/> entry: its exact config.json) with random bf16 weights,
/// in Hugging Face layout, beside a real tokenizer of that vocabulary: what the big-model benchmark loads and trains.
/// </summary>
internal static class RandomModel
{
    public static void Write(string preset, string tokenizerFolder, string outputDirectory)
    {
        var configJson = ModelPresets.Json(preset);
        var config = ModelConfig.Parse(configJson, $"preset {preset}");
        using var model = CausalLanguageModel.Create(config, ScalarType.BFloat16, CPU);
        WeightInitializer.Initialize(model, seed: 1, standardDeviation: 0.02);
        CheckpointWriter.Write(outputDirectory, model, configJson, tokenizerFolder, maxShardBytes: 2L << 30);
    }
}
