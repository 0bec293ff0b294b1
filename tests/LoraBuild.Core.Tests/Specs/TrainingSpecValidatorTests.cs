using LoraBuild.Core.Adapters;
using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Specs;
using LoraBuild.Core.Training;

namespace LoraBuild.Core.Tests.Specs;

public class TrainingSpecValidatorTests
{
    public static TheoryData<string, string> BadSettings => new()
    {
        { "\"rank\": 0", LoraErrorCodes.RankInvalid },
        { "\"rank\": -4", LoraErrorCodes.RankInvalid },
        { "\"alpha\": 0", LoraErrorCodes.AlphaInvalid },
        { "\"dropout\": 1.0", SpecErrorCodes.DropoutOutOfRange },
        { "\"dropout\": -0.1", SpecErrorCodes.DropoutOutOfRange },
        { "\"targetModules\": \"q_proj,qkv\"", LoraErrorCodes.UnknownTargetModule },
        { "\"targetModules\": \"\"", AdapterErrorCodes.TargetsInvalid },
        { "\"targetModules\": \"re:(unclosed\"", AdapterErrorCodes.PatternInvalid },
        { "\"targetModules\": \"re:.*q_proj\", \"layersToTransform\": [0]", SpecErrorCodes.SettingOutOfRange },
        { "\"optimizer\": \"adam\"", SpecErrorCodes.UnknownChoice },
        { "\"scheduler\": \"step\"", SpecErrorCodes.UnknownChoice },
        { "\"learningRate\": 0", SpecErrorCodes.SettingOutOfRange },
        { "\"batchSize\": 0", SpecErrorCodes.SettingOutOfRange },
        { "\"epochs\": 0", SpecErrorCodes.SettingOutOfRange },
        { "\"maxSteps\": 0", SpecErrorCodes.SettingOutOfRange },
        { "\"minLearningRate\": 1", SpecErrorCodes.SettingOutOfRange },
        { "\"rankPattern\": { \"(unclosed\": 4 }", SpecErrorCodes.PatternInvalid },
        { "\"alphaPattern\": { \"q_proj\": 0 }", SpecErrorCodes.PatternInvalid },
        { "\"name\": \"has space\"", SpecErrorCodes.SettingOutOfRange },
        { "\"quantization\": \"int3\"", SpecErrorCodes.UnknownChoice },
        { "\"quantization\": \"nf4\", \"mode\": \"full\"", SpecErrorCodes.SettingOutOfRange },
        { "\"quantization\": \"fp4\", \"mode\": \"full\"", SpecErrorCodes.SettingOutOfRange },
        { "\"quantization\": \"int8\", \"mode\": \"full\"", SpecErrorCodes.SettingOutOfRange },
        { "\"optimizer\": \"lion\", \"beta1\": 1.0", SpecErrorCodes.SettingOutOfRange },
        { "\"optimizer\": \"lion\", \"beta2\": -0.1", SpecErrorCodes.SettingOutOfRange },
        { "\"epsilon\": 0", SpecErrorCodes.SettingOutOfRange },
        { "\"optimizer\": \"sophia\", \"rho\": 0", SpecErrorCodes.SettingOutOfRange },
        { "\"optimizer\": \"sophia\", \"rho\": -0.04", SpecErrorCodes.SettingOutOfRange },
        { "\"optimizer\": \"sophia\", \"hessianUpdateInterval\": 0", SpecErrorCodes.SettingOutOfRange },
        { "\"mode\": \"full\", \"precision\": \"bf16\"", TrainingSettingErrorCodes.FullFineTuningNeedsFp32 },
        { "\"optimizer\": \"sgd\", \"nesterov\": true, \"momentum\": 0", TrainingSettingErrorCodes.TrainingSettingInvalid },
        { "\"maxGradNorm\": -1", SpecErrorCodes.SettingOutOfRange },
        { "\"evalDatasets\": [ { \"path\": \"data/train.jsonl\", \"format\": \"chat\", \"chatTemplate\": \"chatgpt\" } ]", DataErrorCodes.UnknownChatTemplate },
        { "\"evalDatasets\": [ { \"path\": \"data/train.jsonl\", \"metric\": \"exact-match;bleu-9\" } ]", EvalErrorCodes.UnknownMetric },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void EachBadSettingIsItsOwnCodedErrorAtTheSpecFile(string setting, string code)
    {
        using var fixture = new SpecFixture();
        var path = fixture.WriteSpec(SpecFixture.MinimalSpec.TrimEnd().TrimEnd('}') + ", " + setting + "}");
        var spec = TrainingSpecJson.ReadFile(path);

        var error = Assert.Throws<LoraException>(() => TrainingSpecValidator.Validate(spec));

        Assert.Equal(code, error.Code);
        Assert.StartsWith(path, error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidSpecPasses()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec());

        Assert.Same(spec, TrainingSpecValidator.Validate(spec));
    }

    [Theory]
    [InlineData("\"optimizer\": \"lion\"")]
    [InlineData("\"optimizer\": \"sophia\", \"rho\": 0.03, \"hessianUpdateInterval\": 1, \"beta1\": 0.9, \"beta2\": 0.95")]
    [InlineData("\"beta1\": null, \"beta2\": null, \"epsilon\": null, \"rho\": null, \"hessianUpdateInterval\": null")]
    public void LionSophiaAndTheirSettingsAreAccepted(string settings)
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec(SpecFixture.MinimalSpec.TrimEnd().TrimEnd('}') + ", " + settings + "}"));

        Assert.Same(spec, TrainingSpecValidator.Validate(spec));
    }

    [Theory]
    [InlineData(@"re:model\.layers\.[01]\.self_attn\.(q|v)_proj")]
    [InlineData("all-linear,lm_head")]
    [InlineData("self_attn.q_proj,mlp.down_proj")]
    public void PatternsAllLinearAndDottedNamesAreValidTargets(string targets)
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec()) with { TargetModules = targets };

        Assert.Same(spec, TrainingSpecValidator.Validate(spec));
    }

    [Fact]
    public void FullFineTuningIgnoresLoraSettings()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec()) with { Mode = "full", Rank = 0 };

        TrainingSpecValidator.Validate(spec);
    }

    [Fact]
    public void MissingInputsAreNamed()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec());

        Assert.Equal(SpecErrorCodes.BaseModelNotFound, Assert.Throws<LoraException>(() =>
            TrainingSpecValidator.Validate(spec with { BaseModel = new BaseModelReference { Path = "nowhere" } })).Code);
        Assert.Equal(SpecErrorCodes.DatasetNotFound, Assert.Throws<LoraException>(() =>
            TrainingSpecValidator.Validate(spec with { Datasets = [new DatasetReference { Path = "missing.jsonl" }] })).Code);
        Assert.Equal(SpecErrorCodes.SettingMissing, Assert.Throws<LoraException>(() =>
            TrainingSpecValidator.Validate(spec with { Datasets = [] })).Code);
        TrainingSpecValidator.Validate(spec with { BaseModel = new BaseModelReference { HubId = "meta-llama/Llama-2-7b-hf" } }); // the job fetches it
    }

    [Fact]
    public void ASettingGivenElsewhereIsBlamedWhereItWasGiven()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec());
        var flagged = new Dictionary<string, string> { ["rank"] = "-r", ["precision"] = "--precision", ["learningRate"] = "--lr" };

        var rank = Assert.Throws<LoraException>(() => TrainingSpecValidator.Validate(spec with { Rank = 0, SettingSources = flagged }));
        var full = Assert.Throws<LoraException>(() => TrainingSpecValidator.Validate(spec with { Mode = "full", Precision = "bf16", SettingSources = flagged }));
        var floor = Assert.Throws<LoraException>(() => TrainingSpecValidator.Validate(spec with { LearningRate = 1e-5, MinLearningRate = 1e-4, SettingSources = flagged }));
        var inSpec = Assert.Throws<LoraException>(() => TrainingSpecValidator.Validate(spec with { Epochs = 0, SettingSources = flagged }));

        Assert.Equal((LoraErrorCodes.RankInvalid, "-r"), (rank.Code, rank.Location));
        Assert.Equal((TrainingSettingErrorCodes.FullFineTuningNeedsFp32, "--precision"), (full.Code, full.Location));
        Assert.Equal((SpecErrorCodes.SettingOutOfRange, "--lr"), (floor.Code, floor.Location));
        Assert.Equal(spec.SourceLocation, inSpec.Location);
    }
}
