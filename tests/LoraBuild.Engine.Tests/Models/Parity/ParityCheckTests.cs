using System.Text.Json.Nodes;
using LoraBuild.Engine.Generation;
using LoraBuild.Engine.SafeTensors;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models.Parity;

/// <summary>
/// Runs the parity check on a fixture the engine writes itself, so the comparison code is known to work (and to
/// fail on a mismatch) before real transformers fixtures exist.
/// </summary>
public sealed class ParityCheckTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("lorabuild-parity-");

    [Fact]
    public void MatchingFixturePasses()
    {
        WriteFixture(logitShift: 0, tokenShift: 0);

        ParityCheck.AssertMatches(_folder.FullName);
    }

    [Fact]
    public void LogitsOffByMoreThanTheToleranceFail()
    {
        WriteFixture(logitShift: 1e-3f, tokenShift: 0);

        Assert.ThrowsAny<XunitException>(() => ParityCheck.AssertMatches(_folder.FullName));
    }

    [Fact]
    public void DifferentGreedyTokensFail()
    {
        WriteFixture(logitShift: 0, tokenShift: 1);

        Assert.ThrowsAny<XunitException>(() => ParityCheck.AssertMatches(_folder.FullName));
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private void WriteFixture(float logitShift, int tokenShift)
    {
        using var scope = NewDisposeScope();
        var config = MicroModels.Qwen2(tied: true);
        using var model = MicroModels.Create(config, seed: 31);
        File.WriteAllText(Path.Combine(_folder.FullName, "config.json"), HuggingFaceConfigJson());
        SafeTensorsWriter.Write(Path.Combine(_folder.FullName, "model.safetensors"), MicroModels.StateDict(model));

        long[][] inputIds = [[1, 17, 42, 5, 60, 23], [1, 3, 63, 4, 38, 18]];
        var logits = model.call(tensor(inputIds.SelectMany(row => row).ToArray(), [2, 6]));
        var logitRows = Enumerable.Range(0, 2)
            .Select(row => Enumerable.Range(0, 6)
                .Select(position => logits[row, position].data<float>().ToArray().Select(value => value + logitShift).ToArray())
                .ToArray())
            .ToArray();
        var greedy = inputIds
            .Select(row => new TextGenerator(model)
                .Generate([.. row.Select(id => (int)id)], SamplingOptions.Greedy with { MaxNewTokens = 5 })
                .Select(id => (id + tokenShift) % config.VocabSize)
                .ToArray())
            .ToArray();
        new ParityReference("self", "none (engine-written)", inputIds, logitRows, greedy).Write(_folder.FullName);
    }

    private static string HuggingFaceConfigJson() => new JsonObject
    {
        ["architectures"] = new JsonArray("Qwen2ForCausalLM"),
        ["model_type"] = "qwen2",
        ["hidden_size"] = 32,
        ["intermediate_size"] = 64,
        ["num_hidden_layers"] = 2,
        ["num_attention_heads"] = 4,
        ["num_key_value_heads"] = 2,
        ["vocab_size"] = 64,
        ["rms_norm_eps"] = 1e-6,
        ["rope_theta"] = 10000.0,
        ["max_position_embeddings"] = 128,
        ["tie_word_embeddings"] = true,
        ["torch_dtype"] = "float32",
    }.ToJsonString();
}
