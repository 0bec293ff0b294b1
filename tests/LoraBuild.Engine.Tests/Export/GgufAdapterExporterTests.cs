using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Gguf;
using LoraBuild.Engine.Export;

namespace LoraBuild.Engine.Tests.Export;

public sealed class GgufAdapterExporterTests : IDisposable
{
    private const string WeightsFileName = "adapter_model.safetensors";

    private readonly ParityCheckpoints _checkpoints = new();

    public void Dispose() => _checkpoints.Dispose();

    [Fact]
    public void TheHeaderNamesAnAdapterWithItsAlpha()
    {
        var model = _checkpoints.Model("base");
        var adapter = _checkpoints.Adapter("adapter", model, ParityCheckpoints.Settings(rank: 4, alpha: 8));

        var result = GgufAdapterExporter.Export(adapter, model, _checkpoints.Folder("adapter.gguf"));
        var file = GgufReader.Read(result.Path);

        Assert.Equal("llama", file.Get("general.architecture").AsString());
        Assert.Equal("adapter", file.Get("general.type").AsString());
        Assert.Equal("lora", file.Get("adapter.type").AsString());
        var alpha = file.Get("adapter.lora.alpha");
        Assert.Equal((GgufValueType.Float32, (object)8f), (alpha.Type, alpha.Value));
        Assert.Equal(8f, result.Alpha);
        Assert.Equal(0, result.FoldedScales);
        Assert.Equal(GgmlType.F32, result.Type);
        Assert.Equal(file.Tensors.Count, result.Tensors);
    }

    [Theory]
    [InlineData("LlamaForCausalLM", true)]
    [InlineData("Qwen2ForCausalLM", false)]
    public void EveryPairIsThereInPeftsLayoutWithQueryAndKeyBRowsReorderedForLlama(string architecture, bool permutes)
    {
        var model = _checkpoints.Model("base", architecture: architecture, keyValueHeads: 2);
        var adapter = _checkpoints.Adapter("adapter", model, ParityCheckpoints.Settings(rank: 4, alpha: 8));

        var file = GgufReader.Read(GgufAdapterExporter.Export(adapter, model, _checkpoints.Folder("adapter.gguf")).Path);

        var expected = ExportTestTensors.Read(Path.Combine(adapter, WeightsFileName));
        Assert.Equal(2 * 7 * 2, expected.Count);
        Assert.Equal(expected.Count, file.Tensors.Count);
        foreach (var (name, (shape, values)) in expected)
        {
            var info = file.Tensor(ExportTestTensors.LlamaCppName(name));
            Assert.Equal(GgmlType.F32, info.Type);
            Assert.Equal(shape, info.Shape);
            Assert.Equal(4, info.Name.EndsWith(".lora_a", StringComparison.Ordinal) ? info.Shape[0] : info.Shape[1]);
            var heads = !permutes || info.Name.EndsWith(".lora_a", StringComparison.Ordinal) ? (int?)null
                : info.Name.Contains(".attn_q.", StringComparison.Ordinal) ? 4
                : info.Name.Contains(".attn_k.", StringComparison.Ordinal) ? 2
                : null;
            var actual = file.ReadFloats(info);
            Assert.Equal(heads is { } count ? ExportTestTensors.ToLlamaCppRows(values, (int)shape[0], (int)shape[1], count) : values, actual);
        }
    }

    [Fact]
    public void PhiThreeLoraPairsKeepTheirFusedRowsUnderLlamaCppsNames()
    {
        var model = _checkpoints.Model("p3", architecture: "Phi3ForCausalLM", tied: false);
        var adapter = _checkpoints.Adapter("p3-adapter", model, ParityCheckpoints.Settings(rank: 4, alpha: 8));

        var file = GgufReader.Read(GgufAdapterExporter.Export(adapter, model, _checkpoints.Folder("p3-adapter.gguf")).Path);

        Assert.Equal("phi3", file.Get("general.architecture").AsString());
        Assert.Equal(2 * 4 * 2, file.Tensors.Count);
        var original = ExportTestTensors.Read(Path.Combine(adapter, WeightsFileName));
        Assert.Equal(original["base_model.model.model.layers.0.self_attn.qkv_proj.lora_B.weight"].Values, file.ReadFloats(file.Tensor("blk.0.attn_qkv.weight.lora_b")));
        Assert.Equal(original["base_model.model.model.layers.1.mlp.gate_up_proj.lora_A.weight"].Values, file.ReadFloats(file.Tensor("blk.1.ffn_up.weight.lora_a")));
        Assert.Equal(original["base_model.model.model.layers.1.mlp.gate_up_proj.lora_B.weight"].Values, file.ReadFloats(file.Tensor("blk.1.ffn_up.weight.lora_b")));
    }

    [Fact]
    public void RsLoraWritesAlphaTimesRootRankAndFoldsNothing()
    {
        var model = _checkpoints.Model("base");
        var adapter = _checkpoints.Adapter("rslora", model, ParityCheckpoints.Settings(rank: 4, alpha: 8, rsLora: true));

        var result = GgufAdapterExporter.Export(adapter, model, _checkpoints.Folder("rslora.gguf"));
        var file = GgufReader.Read(result.Path);

        Assert.Equal(16f, (float)file.Get("adapter.lora.alpha").Value);
        Assert.Equal(0, result.FoldedScales);
        var original = ExportTestTensors.Read(Path.Combine(adapter, WeightsFileName));
        Assert.Equal(original["base_model.model.model.layers.0.mlp.up_proj.lora_B.weight"].Values, file.ReadFloats(file.Tensor("blk.0.ffn_up.weight.lora_b")));
    }

    [Fact]
    public void AlphaPatternLayersHaveTheirScaleFoldedIntoBAndRankPatternLayersDoNot()
    {
        var model = _checkpoints.Model("base", tied: false);
        var settings = ParityCheckpoints.Settings(rank: 4, alpha: 8) with
        {
            RankPattern = new Dictionary<string, int> { ["v_proj"] = 2, ["model.layers.1.mlp.down_proj"] = 6 },
            AlphaPattern = new Dictionary<string, double> { ["o_proj"] = 3, ["q_proj"] = 20 },
        };
        var adapter = _checkpoints.Adapter("patterns", model, settings);

        var result = GgufAdapterExporter.Export(adapter, model, _checkpoints.Folder("patterns.gguf"));
        var file = GgufReader.Read(result.Path);

        // llama.cpp scales every pair by 8 / r; PEFT by 3 / 4 on o_proj and 20 / 4 on q_proj, by 8 / r elsewhere.
        Assert.Equal(8f, result.Alpha);
        Assert.Equal(4, result.FoldedScales);
        var original = ExportTestTensors.Read(Path.Combine(adapter, WeightsFileName));
        float[] B(string module, int layer = 0) => original[$"base_model.model.model.layers.{layer}.{module}.lora_B.weight"].Values;
        float[] Exported(string name) => file.ReadFloats(file.Tensor(name));
        for (var layer = 0; layer < 2; layer++)
        {
            Assert.Equal(Scaled(B("self_attn.o_proj", layer), 0.375), Exported($"blk.{layer}.attn_output.weight.lora_b"));
            Assert.Equal(ExportTestTensors.ToLlamaCppRows(Scaled(B("self_attn.q_proj", layer), 2.5), 32, 4, 4), Exported($"blk.{layer}.attn_q.weight.lora_b"));
            Assert.Equal(new long[] { 2, 32 }, file.Tensor($"blk.{layer}.attn_v.weight.lora_a").Shape);
            Assert.Equal(B("self_attn.v_proj", layer), Exported($"blk.{layer}.attn_v.weight.lora_b"));
            Assert.Equal(ExportTestTensors.ToLlamaCppRows(B("self_attn.k_proj", layer), 16, 4, 2), Exported($"blk.{layer}.attn_k.weight.lora_b"));
        }

        Assert.Equal(new long[] { 32, 6 }, file.Tensor("blk.1.ffn_down.weight.lora_b").Shape);
        Assert.Equal(B("mlp.down_proj", 1), Exported("blk.1.ffn_down.weight.lora_b"));
        Assert.Equal(
            original["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"].Values,
            Exported("blk.0.attn_q.weight.lora_a"));
    }

    [Fact]
    public void WithRsLoraARankPatternLayerIsFoldedSinceLlamaCppDividesByRNotRootR()
    {
        var model = _checkpoints.Model("base");
        var settings = ParityCheckpoints.Settings(rank: 4, alpha: 8, rsLora: true) with
        {
            RankPattern = new Dictionary<string, int> { ["v_proj"] = 2 },
        };
        var adapter = _checkpoints.Adapter("rs-patterns", model, settings);

        var result = GgufAdapterExporter.Export(adapter, model, _checkpoints.Folder("rs-patterns.gguf"));
        var file = GgufReader.Read(result.Path);

        // PEFT: 8 / √2; llama.cpp: (8 · √4) / 2 = 8.
        Assert.Equal(2, result.FoldedScales);
        var original = ExportTestTensors.Read(Path.Combine(adapter, WeightsFileName))["base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"].Values;
        var exported = file.ReadFloats(file.Tensor("blk.1.attn_v.weight.lora_b"));
        var ratio = 8 / Math.Sqrt(2) / 8;
        Assert.All(original.Zip(exported), pair => Assert.Equal(pair.First * ratio, pair.Second, 1e-6 * Math.Abs(pair.First)));
    }

    [Fact]
    public void ExportingTwiceGivesTheSameBytes()
    {
        var model = _checkpoints.Model("base");
        var settings = ParityCheckpoints.Settings() with { AlphaPattern = new Dictionary<string, double> { ["o_proj"] = 3 } };
        var adapter = _checkpoints.Adapter("adapter", model, settings);

        var first = GgufAdapterExporter.Export(adapter, model, _checkpoints.Folder("first.gguf"));
        var second = GgufAdapterExporter.Export(adapter, model, _checkpoints.Folder("second.gguf"));

        Assert.Equal(File.ReadAllBytes(first.Path), File.ReadAllBytes(second.Path));
    }

    [Theory]
    [InlineData("base_model.model.model.embed_tokens.lora_embedding_A")]
    [InlineData("base_model.model.model.embed_tokens.lora_A.weight")]
    [InlineData("base_model.model.model.layers.0.mystery.lora_A.weight")]
    public void ATensorOfNoLinearLayerLlamaCppAdaptsIsRefusedByName(string tensorName)
    {
        var model = _checkpoints.Model("base");
        var adapter = _checkpoints.Adapter("adapter", model, ParityCheckpoints.Settings());
        ExportTestTensors.AddTensor(Path.Combine(adapter, WeightsFileName), tensorName, 4, 300);
        var output = _checkpoints.Folder("adapter.gguf");

        var error = Assert.Throws<LoraException>(() => GgufAdapterExporter.Export(adapter, model, output));

        Assert.Equal(ExportErrorCodes.TensorNotExportable, error.Code);
        Assert.Contains(tensorName, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    private static float[] Scaled(float[] values, double factor) => [.. values.Select(value => (float)(value * factor))];
}
