using System.Text.Json.Nodes;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Tests.Models;

public class ModelConfigTests
{
    [Fact]
    public void Llama2ConfigReadsEveryField()
    {
        var config = ModelConfig.Parse(PublishedConfigs.Llama2_7B);

        Assert.Equal("LlamaForCausalLM", config.Architecture);
        Assert.Equal(ModelFamily.Llama, config.Family);
        Assert.Equal("llama", config.ModelType);
        Assert.Equal(4096, config.HiddenSize);
        Assert.Equal(11008, config.IntermediateSize);
        Assert.Equal(32, config.NumHiddenLayers);
        Assert.Equal(32, config.NumAttentionHeads);
        Assert.Equal(32, config.NumKeyValueHeads);
        Assert.Equal(128, config.HeadDim);
        Assert.Equal(32000, config.VocabSize);
        Assert.Equal(1e-5, config.RmsNormEps);
        Assert.Equal(10000.0, config.RopeTheta);
        Assert.Null(config.RopeScaling);
        Assert.Equal(4096, config.MaxPositionEmbeddings);
        Assert.False(config.TieWordEmbeddings);
        Assert.False(config.QkvBias);
        Assert.False(config.OutputProjectionBias);
        Assert.False(config.MlpBias);
        Assert.Null(config.SlidingWindow);
        Assert.Equal("float16", config.TorchDtype);
        Assert.Equal(1, config.BosTokenId);
        Assert.Equal([2], config.EosTokenIds);
        Assert.Null(config.PadTokenId);
    }

    [Fact]
    public void KeyValueHeadsDefaultToAttentionHeads()
    {
        var json = ConfigJson.Without(PublishedConfigs.Llama2_7B, "num_key_value_heads");

        var config = ModelConfig.Parse(json);

        Assert.Equal(32, config.NumKeyValueHeads);
        Assert.Equal(1, config.QueriesPerKeyValueHead);
    }

    [Fact]
    public void ExplicitHeadDimWinsOverHiddenDividedByHeads()
    {
        var json = ConfigJson.With(PublishedConfigs.TinyLlama_1_1B, root => root["head_dim"] = 96);

        Assert.Equal(96, ModelConfig.Parse(json).HeadDim);
        Assert.Equal(64, ModelConfig.Parse(PublishedConfigs.TinyLlama_1_1B).HeadDim);
    }

    [Fact]
    public void Llama3RopeScalingAndEosListAreRead()
    {
        var config = ModelConfig.Parse(PublishedConfigs.Llama3_1_8B);

        Assert.Equal(500000.0, config.RopeTheta);
        Assert.Equal(new RopeScaling(RopeScalingKind.Llama3, 8.0, 1.0, 4.0, 8192), config.RopeScaling);
        Assert.Equal([128001, 128008, 128009], config.EosTokenIds);
        Assert.Equal(8, config.NumKeyValueHeads);
    }

    [Fact]
    public void OlderTypeKeyAndLinearScalingAreAccepted()
    {
        var json = ConfigJson.With(
            PublishedConfigs.Llama2_7B, root => root["rope_scaling"] = new JsonObject { ["type"] = "linear", ["factor"] = 2.0 });

        Assert.Equal(new RopeScaling(RopeScalingKind.Linear, 2.0), ModelConfig.Parse(json).RopeScaling);
    }

    [Fact]
    public void TransformersV5RopeParametersAreRead()
    {
        var json = ConfigJson.With(PublishedConfigs.Llama2_7B, root =>
            root["rope_parameters"] = new JsonObject { ["rope_type"] = "default", ["rope_theta"] = 250000.0 });

        var config = ModelConfig.Parse(json);

        Assert.Equal(250000.0, config.RopeTheta);
        Assert.Null(config.RopeScaling);
    }

    [Theory]
    [InlineData("yarn")]
    [InlineData("dynamic")]
    [InlineData("longrope")]
    public void OtherRopeScalingKindsAreRejected(string kind)
    {
        var json = ConfigJson.With(
            PublishedConfigs.Llama2_7B, root => root["rope_scaling"] = new JsonObject { ["rope_type"] = kind, ["factor"] = 4.0 });

        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse(json, "models/x/config.json"));

        Assert.Equal(ModelErrorCodes.UnsupportedRopeScaling, error.Code);
        Assert.Equal("models/x/config.json", error.Location);
        Assert.Contains(kind, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Llama3ScalingWithoutItsFactorsNamesTheMissingField()
    {
        var json = ConfigJson.With(PublishedConfigs.Llama3_1_8B, root => root["rope_scaling"]!.AsObject().Remove("low_freq_factor"));

        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse(json));

        Assert.Equal(ModelErrorCodes.ConfigFieldMissing, error.Code);
        Assert.Contains("rope_scaling.low_freq_factor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qwen2AlwaysHasQkvBiasAndNeverOutputBias()
    {
        var json = ConfigJson.With(PublishedConfigs.Qwen2_0_5B, root => root["attention_bias"] = false);

        var config = ModelConfig.Parse(json);

        Assert.Equal(ModelFamily.Qwen2, config.Family);
        Assert.True(config.QkvBias);
        Assert.False(config.OutputProjectionBias);
        Assert.False(config.MlpBias);
        Assert.True(config.TieWordEmbeddings);
        Assert.Equal(64, config.HeadDim);
    }

    [Fact]
    public void Qwen2SlidingWindowCountsOnlyWhenSwitchedOn()
    {
        var on = ConfigJson.With(PublishedConfigs.Qwen2_0_5B, root => root["use_sliding_window"] = true);

        Assert.Null(ModelConfig.Parse(PublishedConfigs.Qwen2_0_5B).SlidingWindow);
        Assert.Equal(131072, ModelConfig.Parse(on).SlidingWindow);
    }

    [Fact]
    public void MistralRecordsItsSlidingWindow()
    {
        var config = ModelConfig.Parse(PublishedConfigs.Mistral_7B_v0_1);

        Assert.Equal(ModelFamily.Mistral, config.Family);
        Assert.Equal(4096, config.SlidingWindow);
    }

    [Fact]
    public void LlamaAttentionBiasAppliesToAllFourProjections()
    {
        var json = ConfigJson.With(PublishedConfigs.TinyLlama_1_1B, root =>
        {
            root["attention_bias"] = true;
            root["mlp_bias"] = true;
        });

        var config = ModelConfig.Parse(json);

        Assert.True(config.QkvBias);
        Assert.True(config.OutputProjectionBias);
        Assert.True(config.MlpBias);
    }

    [Fact]
    public void UnsupportedArchitectureNamesFileArchitectureAndSupportedOnes()
    {
        var json = ConfigJson.With(PublishedConfigs.Llama2_7B, root => root["architectures"] = new JsonArray("GPT2LMHeadModel"));

        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse(json, "/m/gpt2/config.json"));

        Assert.Equal(ModelErrorCodes.UnsupportedArchitecture, error.Code);
        Assert.Equal("/m/gpt2/config.json", error.Location);
        Assert.Contains("GPT2LMHeadModel", error.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
        foreach (var supported in ModelConfig.SupportedArchitectures)
        {
            Assert.Contains(supported, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MissingArchitecturesFallsBackToModelType()
    {
        var json = ConfigJson.Without(PublishedConfigs.Mistral_7B_v0_1, "architectures");

        Assert.Equal("MistralForCausalLM", ModelConfig.Parse(json).Architecture);
    }

    [Theory]
    [InlineData("hidden_size")]
    [InlineData("intermediate_size")]
    [InlineData("num_hidden_layers")]
    [InlineData("num_attention_heads")]
    [InlineData("vocab_size")]
    [InlineData("rms_norm_eps")]
    [InlineData("max_position_embeddings")]
    public void MissingRequiredFieldNamesFieldAndFile(string field)
    {
        var json = ConfigJson.Without(PublishedConfigs.TinyLlama_1_1B, field);

        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse(json, "/models/tiny/config.json"));

        Assert.Equal(ModelErrorCodes.ConfigFieldMissing, error.Code);
        Assert.Equal("/models/tiny/config.json", error.Location);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingArchitecturesAndModelTypeIsAMissingField()
    {
        var json = ConfigJson.With(PublishedConfigs.Llama2_7B, root =>
        {
            root.Remove("architectures");
            root.Remove("model_type");
        });

        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse(json));

        Assert.Equal(ModelErrorCodes.ConfigFieldMissing, error.Code);
        Assert.Contains("'architectures'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongJsonTypeIsInvalidField()
    {
        var json = ConfigJson.With(PublishedConfigs.Llama2_7B, root => root["hidden_size"] = "4096");

        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse(json));

        Assert.Equal(ModelErrorCodes.ConfigFieldInvalid, error.Code);
        Assert.Contains("'hidden_size'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyValueHeadsThatDoNotDivideHeadsAreRejected()
    {
        var json = ConfigJson.With(PublishedConfigs.TinyLlama_1_1B, root => root["num_key_value_heads"] = 5);

        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse(json));

        Assert.Equal(ModelErrorCodes.ConfigFieldInvalid, error.Code);
        Assert.Contains("num_key_value_heads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonSiluActivationIsRejected()
    {
        var json = ConfigJson.With(PublishedConfigs.TinyLlama_1_1B, root => root["hidden_act"] = "gelu");

        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse(json));

        Assert.Equal(ModelErrorCodes.ConfigFieldInvalid, error.Code);
        Assert.Contains("hidden_act", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidJsonIsUnreadable()
    {
        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse("{ \"hidden_size\": ", "cfg/config.json"));

        Assert.Equal(ModelErrorCodes.ConfigUnreadable, error.Code);
        Assert.Equal("cfg/config.json", error.Location);
    }

    [Fact]
    public void LoadReadsAFileAndReportsAMissingOne()
    {
        var directory = Directory.CreateTempSubdirectory("lorabuild-config-");
        try
        {
            var path = Path.Combine(directory.FullName, "config.json");
            File.WriteAllText(path, PublishedConfigs.TinyLlama_1_1B);

            Assert.Equal(22, ModelConfig.Load(path).NumHiddenLayers);

            var missing = Path.Combine(directory.FullName, "absent", "config.json");
            var error = Assert.Throws<LoraException>(() => ModelConfig.Load(missing));
            Assert.Equal(ModelErrorCodes.ConfigUnreadable, error.Code);
            Assert.Equal(missing, error.Location);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ALoneSurrogateIsUnreadable()
    {
        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse("{\"model_type\": \"llama\\uD800\"}", "cfg/config.json"));

        Assert.Equal(ModelErrorCodes.ConfigUnreadable, error.Code);
        Assert.Contains("$.model_type", error.Message, StringComparison.Ordinal);
    }
}
