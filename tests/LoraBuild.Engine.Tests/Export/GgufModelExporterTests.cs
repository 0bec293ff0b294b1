using System.Globalization;
using System.Text.Json.Nodes;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Gguf;
using LoraBuild.Engine.Export;

namespace LoraBuild.Engine.Tests.Export;

public sealed class GgufModelExporterTests : IDisposable
{
    private readonly ParityCheckpoints _checkpoints = new();

    public void Dispose() => _checkpoints.Dispose();

    [Fact]
    public void TheHeaderHoldsTheArchitectureTheConfigsHyperParametersAndTheTokenizer()
    {
        var model = _checkpoints.Model("header", keyValueHeads: 2);

        var result = GgufModelExporter.Export(model, _checkpoints.Folder("header.gguf"), GgmlType.F32);
        var file = GgufReader.Read(result.Path);

        Assert.Equal(("llama", GgmlType.F32), (result.Architecture, result.Type));
        Assert.Equal("llama", file.Get("general.architecture").AsString());
        Assert.Equal("model", file.Get("general.type").AsString());
        Assert.Equal("header", file.Get("general.name").AsString());
        Assert.Equal(0u, UInt32(file, "general.file_type"));
        Assert.Equal(256u, UInt32(file, "llama.context_length"));
        Assert.Equal(32u, UInt32(file, "llama.embedding_length"));
        Assert.Equal(2u, UInt32(file, "llama.block_count"));
        Assert.Equal(64u, UInt32(file, "llama.feed_forward_length"));
        Assert.Equal(4u, UInt32(file, "llama.attention.head_count"));
        Assert.Equal(2u, UInt32(file, "llama.attention.head_count_kv"));
        Assert.Equal(8u, UInt32(file, "llama.rope.dimension_count"));
        Assert.Equal(300u, UInt32(file, "llama.vocab_size"));
        Assert.Equal(10000f, Float32(file, "llama.rope.freq_base"));
        Assert.Equal(1e-5f, Float32(file, "llama.attention.layer_norm_rms_epsilon"));
        Assert.Null(file.Find("llama.rope.scaling.type"));

        Assert.Equal("gpt2", file.Get("tokenizer.ggml.model").AsString());
        Assert.Equal("gpt-2", file.Get("tokenizer.ggml.pre").AsString());
        var tokens = file.Get("tokenizer.ggml.tokens").Items.Select(token => token.AsString()).ToList();
        Assert.Equal(300, tokens.Count);
        Assert.Equal(300, file.Get("tokenizer.ggml.token_type").Items.Count);
        Assert.NotEmpty(file.Get("tokenizer.ggml.merges").Items);
        Assert.Equal("<|bos|>", tokens[(int)UInt32(file, "tokenizer.ggml.bos_token_id")]);
        Assert.Equal("<|eos|>", tokens[(int)UInt32(file, "tokenizer.ggml.eos_token_id")]);
        Assert.True((bool)file.Get("tokenizer.ggml.add_bos_token").Value);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(1, false)]
    public void EveryTensorIsThereByItsLlamaCppNameWithItsShapeAndValuesAndQueryKeyRowsReordered(int keyValueHeads, bool tied)
    {
        var model = _checkpoints.Model("tensors", keyValueHeads: keyValueHeads, tied: tied);

        var file = GgufReader.Read(GgufModelExporter.Export(model, _checkpoints.Folder("tensors.gguf"), GgmlType.F32).Path);

        var expected = ExportTestTensors.Read(model);
        if (tied)
        {
            expected.Remove("lm_head.weight");
        }

        Assert.Equal(expected.Count, file.Tensors.Count);
        foreach (var (name, (shape, values)) in expected)
        {
            var info = file.Tensor(ExportTestTensors.LlamaCppName(name));
            Assert.Equal(shape, info.Shape);
            Assert.Equal(GgmlType.F32, info.Type);
            var actual = file.ReadFloats(info);
            if (QueryOrKeyHeads(info.Name, keyValueHeads) is { } heads)
            {
                var rows = (int)shape[0];
                var columns = (int)shape[1];
                Assert.Equal(ExportTestTensors.ToLlamaCppRows(values, rows, columns, heads), actual);
                Assert.Equal(RotaryPermutation.PermuteRows(values, rows, columns, heads), actual);
                Assert.NotEqual(values, actual);
            }
            else
            {
                Assert.Equal(values, actual);
            }
        }

        Assert.Equal(!tied, file.Tensors.Any(tensor => tensor.Name == "output.weight"));
    }

    [Fact]
    public void TensorsComeInTheConvertersOrder()
    {
        var model = _checkpoints.Model("order", tied: false);

        var names = GgufReader.Read(GgufModelExporter.Export(model, _checkpoints.Folder("order.gguf"), GgmlType.F32).Path).Tensors.Select(tensor => tensor.Name).ToList();

        Assert.Equal("token_embd.weight", names[0]);
        Assert.Equal(["output_norm.weight", "output.weight"], names[^2..]);
        var blocks = names.Skip(1).SkipLast(2).Select(name => int.Parse(name.Split('.')[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(blocks.Order(), blocks);
    }

    [Theory]
    [InlineData(GgmlType.F16, 1u)]
    [InlineData(GgmlType.BF16, 32u)]
    [InlineData(GgmlType.Q8_0, 7u)]
    public void NarrowExportsKeepOneDimensionalTensorsInF32(GgmlType type, uint fileType)
    {
        var model = _checkpoints.Model("narrow", tied: false);

        var file = GgufReader.Read(GgufModelExporter.Export(model, _checkpoints.Folder("narrow.gguf"), type).Path);

        Assert.Equal(fileType, UInt32(file, "general.file_type"));
        var original = ExportTestTensors.Read(model);
        foreach (var info in file.Tensors)
        {
            Assert.Equal(info.Shape.Count == 1 ? GgmlType.F32 : type, info.Type);
        }

        var (_, norm) = original["model.layers.0.input_layernorm.weight"];
        Assert.Equal(norm, file.ReadFloats(file.Tensor("blk.0.attn_norm.weight")));
        var (_, up) = original["model.layers.1.mlp.up_proj.weight"];
        var decoded = file.ReadFloats(file.Tensor("blk.1.ffn_up.weight"));
        var bound = type switch
        {
            GgmlType.F16 => 1e-3,
            GgmlType.BF16 => 1e-2,
            _ => 2.0 / 127,
        } * up.Max(MathF.Abs);
        Assert.All(up.Zip(decoded), pair => Assert.InRange(pair.Second - pair.First, -bound, bound));
    }

    [Fact]
    public void Qwen2ExportsBiasesAndLeavesQueryAndKeyRowsInPlace()
    {
        var model = _checkpoints.Model("qwen2", architecture: "Qwen2ForCausalLM", tied: true);

        var file = GgufReader.Read(GgufModelExporter.Export(model, _checkpoints.Folder("qwen2.gguf"), GgmlType.F32).Path);

        Assert.Equal("qwen2", file.Get("general.architecture").AsString());
        Assert.Equal(4u, UInt32(file, "qwen2.attention.head_count"));
        Assert.Null(file.Find("llama.block_count"));
        var original = ExportTestTensors.Read(model);
        foreach (var module in new[] { "q_proj", "k_proj", "v_proj" })
        {
            foreach (var suffix in new[] { "weight", "bias" })
            {
                var name = $"model.layers.1.self_attn.{module}.{suffix}";
                Assert.Equal(original[name].Values, file.ReadFloats(file.Tensor(ExportTestTensors.LlamaCppName(name))));
            }
        }

        Assert.Equal(GgmlType.F32, file.Tensor("blk.0.attn_q.bias").Type);
    }

    [Fact]
    public void PhiThreeKeepsItsFusedRowsAsAttnQkvAndFfnUpAndWritesItsWindow()
    {
        var model = _checkpoints.Model("p3", architecture: "Phi3ForCausalLM", tied: false, extraConfig: """
              "sliding_window": 2047,
            """);

        var file = GgufReader.Read(GgufModelExporter.Export(model, _checkpoints.Folder("p3.gguf"), GgmlType.F32).Path);

        Assert.Equal("phi3", file.Get("general.architecture").AsString());
        Assert.Equal(2047u, UInt32(file, "phi3.attention.sliding_window"));
        Assert.Equal(64u, UInt32(file, "phi3.feed_forward_length"));
        Assert.Null(file.Find("phi3.attention.key_length"));
        var original = ExportTestTensors.Read(model);
        Assert.Equal(original["model.layers.1.self_attn.qkv_proj.weight"].Values, file.ReadFloats(file.Tensor("blk.1.attn_qkv.weight")));
        Assert.Equal(original["model.layers.1.mlp.gate_up_proj.weight"].Values, file.ReadFloats(file.Tensor("blk.1.ffn_up.weight")));
        Assert.Equal(original["model.layers.1.mlp.down_proj.weight"].Values, file.ReadFloats(file.Tensor("blk.1.ffn_down.weight")));
        Assert.Equal(
            ["attn_norm", "attn_output", "attn_qkv", "ffn_down", "ffn_norm", "ffn_up"],
            file.Tensors.Where(tensor => tensor.Name.StartsWith("blk.0.", StringComparison.Ordinal)).Select(tensor => tensor.Name.Split('.')[2]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void APhiThreeWhoseHeadsDoNotSpanTheHiddenSizeIsRefusedForLlamaCpp()
    {
        var model = _checkpoints.Model("p3-wide", architecture: "Phi3ForCausalLM", tied: false, extraConfig: """
              "head_dim": 16,
            """);

        var error = Assert.Throws<LoraException>(() => GgufModelExporter.Export(model, _checkpoints.Folder("p3-wide.gguf"), GgmlType.F32));

        Assert.Equal(ExportErrorCodes.SettingNotExportable, error.Code);
        Assert.False(File.Exists(_checkpoints.Folder("p3-wide.gguf")));
    }

    [Fact]
    public void LlamaQueryAndKeyBiasesAreReorderedAndLinearRopeScalingIsWrittenAsKeys()
    {
        var model = _checkpoints.Model("bias", keyValueHeads: 2, extraConfig: """
              "attention_bias": true, "rope_scaling": {"rope_type": "linear", "factor": 2.0},
            """);

        var file = GgufReader.Read(GgufModelExporter.Export(model, _checkpoints.Folder("bias.gguf"), GgmlType.F32).Path);

        var original = ExportTestTensors.Read(model);
        Assert.Equal(ExportTestTensors.ToLlamaCppRows(original["model.layers.0.self_attn.q_proj.bias"].Values, 32, 1, 4), file.ReadFloats(file.Tensor("blk.0.attn_q.bias")));
        Assert.Equal(ExportTestTensors.ToLlamaCppRows(original["model.layers.0.self_attn.k_proj.bias"].Values, 16, 1, 2), file.ReadFloats(file.Tensor("blk.0.attn_k.bias")));
        Assert.Equal(original["model.layers.0.self_attn.v_proj.bias"].Values, file.ReadFloats(file.Tensor("blk.0.attn_v.bias")));
        Assert.Equal("linear", file.Get("llama.rope.scaling.type").AsString());
        Assert.Equal(2f, Float32(file, "llama.rope.scaling.factor"));
    }

    [Fact]
    public void Llama3RopeScalingAddsARopeFreqsTensor()
    {
        var model = _checkpoints.Model("llama3", extraConfig: """
              "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
            """);

        var file = GgufReader.Read(GgufModelExporter.Export(model, _checkpoints.Folder("llama3.gguf"), GgmlType.BF16).Path);

        var info = file.Tensor("rope_freqs.weight");
        Assert.Equal(new long[] { 4 }, info.Shape);
        Assert.Equal(GgmlType.F32, info.Type);
        var factors = file.ReadFloats(info);
        Assert.Equal(RopeFrequencyFactors.Llama3(10000, 8, 8, 1, 4, 64), factors);

        // Wavelengths 6.3, 63, 628 and 6283 against 16 (kept below) and 64 (divided above): one kept, one blended, two divided.
        Assert.Equal(1f, factors[0]);
        Assert.InRange(factors[1], 1.01f, 7.99f);
        Assert.Equal([8f, 8f], factors[2..]);
        Assert.Null(file.Find("llama.rope.scaling.type"));
    }

    [Fact]
    public void ExportingTwiceGivesTheSameBytes()
    {
        var model = _checkpoints.Model("twice", tied: false);

        var first = GgufModelExporter.Export(model, _checkpoints.Folder("first.gguf"), GgmlType.Q8_0);
        var second = GgufModelExporter.Export(model, _checkpoints.Folder("second.gguf"), GgmlType.Q8_0);

        Assert.Equal(File.ReadAllBytes(first.Path), File.ReadAllBytes(second.Path));
        Assert.Equal(first.Bytes, new FileInfo(first.Path).Length);
    }

    [Fact]
    public void WithoutATypeTheModelsTorchDtypeIsKept()
    {
        var model = _checkpoints.Model("default-type");

        var result = GgufModelExporter.Export(model, _checkpoints.Folder("default-type.gguf"));

        Assert.Equal(GgmlType.F32, result.Type);
        Assert.Equal(GgmlType.F32, GgufReader.Read(result.Path).Tensor("blk.0.ffn_up.weight").Type);
    }

    [Fact]
    public void ATensorLlamaCppHasNoNameForIsRefusedByName()
    {
        var model = _checkpoints.Model("mystery");
        ExportTestTensors.AddTensor(Path.Combine(model, "model.safetensors"), "model.layers.0.mystery.weight", 4, 32);
        var output = _checkpoints.Folder("mystery.gguf");

        var error = Assert.Throws<LoraException>(() => GgufModelExporter.Export(model, output, GgmlType.F32));

        Assert.Equal(ExportErrorCodes.TensorNotExportable, error.Code);
        Assert.Contains("model.layers.0.mystery.weight", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AnUnknownPreTokenizerIsRefusedAndLeavesNoFile()
    {
        var model = _checkpoints.Model("whitespace");
        var tokenizerPath = Path.Combine(model, "tokenizer.json");
        var tokenizer = JsonNode.Parse(File.ReadAllText(tokenizerPath))!;
        tokenizer["pre_tokenizer"] = JsonNode.Parse("""{"type": "Whitespace"}""");
        File.WriteAllText(tokenizerPath, tokenizer.ToJsonString());
        var folder = _checkpoints.Folder("whitespace-out");
        Directory.CreateDirectory(folder);

        var error = Assert.Throws<LoraException>(() => GgufModelExporter.Export(model, Path.Combine(folder, "model.gguf"), GgmlType.F32));

        Assert.Equal(ExportErrorCodes.TokenizerNotExportable, error.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    private static int? QueryOrKeyHeads(string ggufName, int keyValueHeads) =>
        ggufName.EndsWith(".attn_q.weight", StringComparison.Ordinal) ? 4
            : ggufName.EndsWith(".attn_k.weight", StringComparison.Ordinal) ? keyValueHeads
            : null;

    private static uint UInt32(GgufFile file, string key)
    {
        var value = file.Get(key);
        Assert.Equal(GgufValueType.UInt32, value.Type);
        return (uint)value.Value;
    }

    private static float Float32(GgufFile file, string key)
    {
        var value = file.Get(key);
        Assert.Equal(GgufValueType.Float32, value.Type);
        return (float)value.Value;
    }
}
