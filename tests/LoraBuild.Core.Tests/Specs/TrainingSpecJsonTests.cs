using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Specs;

public class TrainingSpecJsonTests
{
    [Fact]
    public void DefaultsFollowTheFieldStudy()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec());

        Assert.Equal("Triage", spec.Name);
        Assert.Equal(8, spec.Rank);
        Assert.Equal(16, spec.Alpha);
        Assert.Equal("all-linear", spec.TargetModules);
        Assert.Equal("adamw", spec.Optimizer);
        Assert.Equal("cosine", spec.Scheduler);
        Assert.Equal(Path.Combine(fixture.Directory.Path, "model"), spec.ResolvePath(spec.BaseModel!.Path!));
    }

    [Fact]
    public void SerializingAndReadingBackGivesTheSameSpec()
    {
        var spec = new TrainingSpec
        {
            Name = "x",
            BaseModel = new BaseModelReference { Path = "m" },
            Datasets = [new DatasetReference { Path = "d.jsonl", Format = "chat", ChatTemplate = "chatml" }],
            Rank = 16,
            Alpha = 32,
            LayersToTransform = [0, 1],
            RankPattern = new SortedDictionary<string, int> { ["q_proj"] = 4 },
            MaxSteps = 100,
        };

        var json = TrainingSpecJson.Serialize(spec);
        var back = TrainingSpecJson.Parse(json, "job.json");

        Assert.Equal(json, TrainingSpecJson.Serialize(back));
        Assert.Equal(16, back.Rank);
        Assert.Equal(4, back.RankPattern["q_proj"]);
        Assert.Equal("chatml", back.Datasets[0].ChatTemplate);
    }

    [Theory]
    [InlineData("{\n  \"name\": \"x\",\n  \"rnak\": 8\n}", 3)]
    [InlineData("{\n  \"rank\": \"eight\"\n}", 2)]
    [InlineData("{\n  \"rank\": 8,,\n}", 2)]
    public void UnknownOrMistypedSettingsNameTheLine(string json, int line)
    {
        var error = Assert.Throws<LoraException>(() => TrainingSpecJson.Parse(json, "lora.json"));

        Assert.Equal(SpecErrorCodes.SpecUnreadable, error.Code);
        Assert.Equal($"lora.json:{line}", error.Location);
    }

    [Theory]
    [InlineData("{\"rnak\": 8}", "'rnak' is not a setting. Did you mean 'rank'?")]
    [InlineData("{\"datasets\": [{\"path\": \"a\", \"fromat\": \"alpaca\"}]}", "'fromat' in $.datasets[0] is not a setting. Did you mean 'format'?")]
    public void AnUnknownKeyIsNamedWithTheClosestSettingAndNoTypeNames(string json, string expected)
    {
        var error = Assert.Throws<LoraException>(() => TrainingSpecJson.Parse(json, "lora.json"));

        Assert.Equal(expected, error.Message);
        Assert.DoesNotContain("LoraBuild.Core", error.Message, StringComparison.Ordinal);
    }

    // Found by the fuzzer (build/Fuzz): JSON null in a setting that cannot be null reached the validator as a
    // NullReferenceException or ArgumentNullException.
    [Theory]
    [InlineData("{\"datasets\": null}", "$.datasets")]
    [InlineData("{\"datasets\": [{\"path\": \"a.jsonl\"}], \"evalDatasets\": null}", "$.evalDatasets")]
    [InlineData("{\"targetModules\": null}", "$.targetModules")]
    public void NullForASettingThatCannotBeNullIsACodedError(string json, string path)
    {
        var error = Assert.Throws<LoraException>(() => TrainingSpecJson.Parse(json, "lora.json"));

        Assert.Equal(SpecErrorCodes.SpecUnreadable, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullInTheDatasetListIsACodedError()
    {
        var spec = TrainingSpecJson.Parse("{\"baseModel\": {\"path\": \"m\"}, \"datasets\": [null]}", "lora.json");

        var error = Assert.Throws<LoraException>(() => TrainingSpecValidator.Validate(spec, checkFiles: false));

        Assert.Equal(SpecErrorCodes.SettingMissing, error.Code);
    }

    [Fact]
    public void AMissingSpecFileIsACodedError()
    {
        var error = Assert.Throws<LoraException>(() => TrainingSpecJson.ReadFile("/no/such/lora.json"));

        Assert.Equal(SpecErrorCodes.SpecUnreadable, error.Code);
    }
}
