using LoraBuild.Core.Models;
using LoraBuild.Engine.Generation;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.SafeTensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models.Parity;

/// <summary>Loads a Hugging Face model folder with the engine and compares it with the reference transformers wrote.</summary>
internal static class ParityCheck
{
    public const double Tolerance = 1e-4;

    public static void AssertMatches(string folder)
    {
        var config = ModelConfig.Load(Path.Combine(folder, "config.json"));
        var reference = ParityReference.Read(folder);
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.Create(config, ScalarType.Float32, CPU);
        using (var reader = SafeTensorsModel.Open(folder))
        {
            model.LoadStateDict(reader.LoadTensors(dtype: ScalarType.Float32), SafeTensorsModel.FindWeights(folder));
        }

        using var noGrad = no_grad();
        var ids = tensor(reference.InputIds.SelectMany(row => row).ToArray(), [reference.InputIds.Length, reference.InputIds[0].Length]);
        var logits = model.call(ids);
        var expected = tensor(
            reference.Logits.SelectMany(row => row.SelectMany(position => position)).ToArray(),
            [reference.Logits.Length, reference.Logits[0].Length, reference.Logits[0][0].Length]);

        var excess = ((logits - expected).abs() - (Tolerance + (Tolerance * expected.abs()))).max().item<float>();
        var largest = (logits - expected).abs().max().item<float>();
        Assert.True(
            excess <= 0,
            $"{folder}: logits differ from transformers {reference.TransformersVersion} by up to {largest:E3} (tolerance {Tolerance:E0}).");

        var generator = new TextGenerator(model);
        for (var row = 0; row < reference.InputIds.Length; row++)
        {
            var prompt = reference.InputIds[row].Select(id => (int)id).ToArray();
            var options = SamplingOptions.Greedy with { MaxNewTokens = reference.GreedyNewTokens[row].Length };
            Assert.Equal(reference.GreedyNewTokens[row], generator.Generate(prompt, options).ToArray());
        }
    }
}
