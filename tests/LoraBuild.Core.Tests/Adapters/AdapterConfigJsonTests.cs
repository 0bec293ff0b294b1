using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Tests.Adapters;

public class AdapterConfigJsonTests
{
    private static AdapterConfig Typical() => new()
    {
        Lora = new LoraSettings
        {
            Rank = 8,
            Alpha = 16,
            Dropout = 0.05,
            Targets = AdapterTargets.FromNames(["v_proj", "q_proj"]),
            RankPattern = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["o_proj"] = 4 },
            AlphaPattern = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["o_proj"] = 2.5 },
        },
        BaseModelNameOrPath = "models/tiny",
    };

    [Fact]
    public void WritesPeftsFieldsSortedWithInvariantNumbersAndATrailingNewline()
    {
        const string Expected = """
            {
              "alpha_pattern": {
                "o_proj": 2.5
              },
              "auto_mapping": null,
              "base_model_name_or_path": "models/tiny",
              "bias": "none",
              "fan_in_fan_out": false,
              "inference_mode": true,
              "init_lora_weights": true,
              "layer_replication": null,
              "layers_pattern": null,
              "layers_to_transform": null,
              "loftq_config": {},
              "lora_alpha": 16,
              "lora_dropout": 0.05,
              "megatron_config": null,
              "megatron_core": "megatron.core",
              "modules_to_save": null,
              "peft_type": "LORA",
              "r": 8,
              "rank_pattern": {
                "o_proj": 4
              },
              "revision": null,
              "target_modules": [
                "q_proj",
                "v_proj"
              ],
              "task_type": "CAUSAL_LM",
              "use_dora": false,
              "use_rslora": false
            }

            """;

        Assert.Equal(Expected.ReplaceLineEndings("\n"), AdapterConfigJson.Serialize(Typical()));
    }

    [Fact]
    public void RoundTripsEverySetting()
    {
        var config = Typical() with
        {
            Lora = Typical().Lora with { UseRslora = true, LayersToTransform = [0, 3], Targets = AdapterTargets.FromNames(["q_proj", "gate_proj"]) },
            Revision = "main",
        };

        var read = AdapterConfigJson.Parse(AdapterConfigJson.Serialize(config), "adapter_config.json");

        Assert.Equal(8, read.Lora.Rank);
        Assert.Equal(16, read.Lora.Alpha);
        Assert.Equal(0.05, read.Lora.Dropout);
        Assert.True(read.Lora.UseRslora);
        Assert.Equal([0, 3], read.Lora.LayersToTransform);
        Assert.Equal(["gate_proj", "q_proj"], read.Lora.Targets.Names);
        Assert.Equal(4, read.Lora.RankPattern["o_proj"]);
        Assert.Equal(2.5, read.Lora.AlphaPattern["o_proj"]);
        Assert.Equal("models/tiny", read.BaseModelNameOrPath);
        Assert.Equal("main", read.Revision);
        Assert.Equal(AdapterConfig.CausalLanguageModelTask, read.TaskType);
        Assert.True(read.InferenceMode);
        Assert.Equal(AdapterConfigJson.Serialize(config), AdapterConfigJson.Serialize(read));
    }

    [Fact]
    public void ARegularExpressionTargetIsWrittenAsAStringAndReadBack()
    {
        var config = Typical() with { Lora = Typical().Lora with { Targets = AdapterTargets.FromPattern(@"model\.layers\.\d+\.mlp\..*") } };

        var text = AdapterConfigJson.Serialize(config);
        var read = AdapterConfigJson.Parse(text, "adapter_config.json");

        Assert.Contains("""
            "target_modules": "model\\.layers\\.\\d+\\.mlp\\..*",
            """, text, StringComparison.Ordinal);
        Assert.Equal(@"model\.layers\.\d+\.mlp\..*", read.Lora.Targets.Pattern);
        Assert.Empty(read.Lora.Targets.Names);
    }

    [Fact]
    public void RepeatedWritesAreByteIdenticalAndLeaveNoTemporaryFiles()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, AdapterConfigJson.FileName);

        AdapterConfigJson.Write(path, Typical());
        var first = File.ReadAllBytes(path);
        AdapterConfigJson.Write(path, Typical());

        Assert.Equal(first, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void ReadsAFileFromANewerPeftWithFieldsItDoesNotUse()
    {
        const string Json = """
            {"alora_invocation_tokens": null, "alpha_pattern": {}, "arrow_config": null, "auto_mapping": null,
             "base_model_name_or_path": "Qwen/Qwen2.5-0.5B", "bias": "none", "corda_config": null, "eva_config": null,
             "exclude_modules": null, "fan_in_fan_out": false, "inference_mode": true, "init_lora_weights": true,
             "layer_replication": null, "layers_pattern": null, "layers_to_transform": null, "loftq_config": {},
             "lora_alpha": 32.0, "lora_bias": false, "lora_dropout": 0.1, "megatron_config": null,
             "megatron_core": "megatron.core", "modules_to_save": null, "peft_type": "LORA", "peft_version": "0.19.1",
             "qalora_group_size": 16, "r": 16, "rank_pattern": {}, "revision": null,
             "target_modules": ["q_proj", "down_proj", "o_proj", "gate_proj", "v_proj", "k_proj", "up_proj"],
             "target_parameters": null, "task_type": "CAUSAL_LM", "trainable_token_indices": null, "use_dora": false,
             "use_qalora": false, "use_rslora": false}
            """;

        var config = AdapterConfigJson.Parse(Json, "a/adapter_config.json");

        Assert.Equal(16, config.Lora.Rank);
        Assert.Equal(32, config.Lora.Alpha);
        Assert.Equal(["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"], config.Lora.Targets.Names);
        Assert.Equal("Qwen/Qwen2.5-0.5B", config.BaseModelNameOrPath);
    }

    [Fact]
    public void PatternKeysKeepTheFileOrderBecausePeftTakesTheFirstMatch()
    {
        const string Json = """
            {"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"],
             "rank_pattern": {"self_attn.q_proj": 2, "q_proj": 4}}
            """;

        var config = AdapterConfigJson.Parse(Json, "adapter_config.json");

        Assert.Equal(["self_attn.q_proj", "q_proj"], config.Lora.RankPattern.Keys);
        Assert.Equal(2, config.Lora.RankFor("model.layers.0.self_attn.q_proj"));
    }

    [Theory]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": "all-linear", "layers_to_transform": 1}""", 1)]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": "all-linear", "layers_to_transform": [2, 0, 2]}""", 2)]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": "all-linear", "layers_to_transform": []}""", 0)]
    public void LayersToTransformMayBeOneIndexAListOrEmpty(string json, int count)
    {
        var config = AdapterConfigJson.Parse(json, "adapter_config.json");

        Assert.True(config.Lora.Targets.AllLinear);
        Assert.Equal(count, config.Lora.LayersToTransform?.Count ?? 0);
    }

    [Theory]
    [InlineData("""{"r": 8, "lora_alpha": 8, "target_modules": ["q_proj"]}""", AdapterErrorCodes.FieldMissing, "peft_type")]
    [InlineData("""{"peft_type": "IA3", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"]}""", AdapterErrorCodes.NotLora, "peft_type")]
    [InlineData("""{"peft_type": "LORA", "lora_alpha": 8, "target_modules": ["q_proj"]}""", AdapterErrorCodes.FieldMissing, "r")]
    [InlineData("""{"peft_type": "LORA", "r": 8.5, "lora_alpha": 8, "target_modules": ["q_proj"]}""", AdapterErrorCodes.FieldInvalid, "r")]
    [InlineData("""{"peft_type": "LORA", "r": "8", "lora_alpha": 8, "target_modules": ["q_proj"]}""", AdapterErrorCodes.FieldInvalid, "r")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "target_modules": ["q_proj"]}""", AdapterErrorCodes.FieldMissing, "lora_alpha")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8}""", AdapterErrorCodes.FieldMissing, "target_modules")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": 3}""", AdapterErrorCodes.FieldInvalid, "target_modules")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q proj"]}""", AdapterErrorCodes.TargetsInvalid, "target_modules")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": "(q_proj"}""", AdapterErrorCodes.PatternInvalid, "target_modules")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"], "use_dora": true}""", AdapterErrorCodes.FeatureNotSupported, "use_dora")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"], "bias": "all"}""", AdapterErrorCodes.FeatureNotSupported, "bias")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"], "fan_in_fan_out": true}""", AdapterErrorCodes.FeatureNotSupported, "fan_in_fan_out")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"], "modules_to_save": ["lm_head"]}""", AdapterErrorCodes.FeatureNotSupported, "modules_to_save")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"], "layers_pattern": "h"}""", AdapterErrorCodes.FeatureNotSupported, "layers_pattern")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"], "task_type": "SEQ_CLS"}""", AdapterErrorCodes.FeatureNotSupported, "task_type")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"], "layers_to_transform": "0"}""", AdapterErrorCodes.FieldInvalid, "layers_to_transform")]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"], "rank_pattern": {"q_proj": 0}}""", AdapterErrorCodes.FieldInvalid, null)]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"], "alpha_pattern": {"[": 2}}""", AdapterErrorCodes.PatternInvalid, null)]
    [InlineData("""{"peft_type": "LORA", "r": 0, "lora_alpha": 8, "target_modules": ["q_proj"]}""", AdapterErrorCodes.FieldInvalid, null)]
    [InlineData("""{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "lora_dropout": 1.0, "target_modules": ["q_proj"]}""", AdapterErrorCodes.FieldInvalid, null)]
    [InlineData("""[1, 2]""", AdapterErrorCodes.ConfigMalformed, null)]
    [InlineData("""{"peft_type": """, AdapterErrorCodes.ConfigMalformed, null)]
    public void InvalidFilesAreCodedErrorsNamingTheFileAndField(string json, string code, string? field)
    {
        var error = Assert.Throws<LoraException>(() => AdapterConfigJson.Parse(json, "out/adapter_config.json"));

        Assert.Equal(code, error.Code);
        Assert.StartsWith("out/adapter_config.json", error.Location, StringComparison.Ordinal);
        if (field is not null)
        {
            Assert.Equal($"out/adapter_config.json [{field}]", error.Location);
        }
    }

    [Fact]
    public void AMissingFileIsACodedError()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, AdapterConfigJson.FileName);

        var error = Assert.Throws<LoraException>(() => AdapterConfigJson.Read(path));

        Assert.Equal(AdapterErrorCodes.ConfigNotFound, error.Code);
        Assert.Equal(path, error.Location);
    }

    [Fact]
    public void AllLinearAloneIsWrittenAsPeftsKeyword()
    {
        var config = Typical() with { Lora = Typical().Lora with { Targets = AdapterTargets.FromNames(["all-linear"]) } };

        Assert.Contains("\"target_modules\": \"all-linear\",", AdapterConfigJson.Serialize(config), StringComparison.Ordinal);
    }

    // Found by the fuzzer (build/Fuzz): an escaped high surrogate with no low one threw InvalidOperationException
    // when target_modules was read.
    [Theory]
    [InlineData("{\"peft_type\": \"LORA\", \"r\": 8, \"lora_alpha\": 16, \"target_modules\": [\"q_proj\\uD83Dx\"]}", "$.target_modules[0]")]
    [InlineData("{\"peft_type\": \"LORA\", \"r\": 8, \"lora_alpha\": 16, \"target_modules\": \"all-linear\", \"revision\": \"\\uDC00\"}", "$.revision")]
    public void ALoneSurrogateIsAMalformedConfig(string json, string path)
    {
        var error = Assert.Throws<LoraException>(() => AdapterConfigJson.Parse(json, "adapter_config.json"));

        Assert.Equal(AdapterErrorCodes.ConfigMalformed, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
