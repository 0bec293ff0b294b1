using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Hub;

public class HubSpecTests
{
    [Fact]
    public void BaseModelAsAHubStringReadsAsHubIdAndRevision()
    {
        var spec = TrainingSpecJson.Parse("""{"name": "a", "baseModel": "hf://org/tiny@v2", "datasets": [{"path": "d.jsonl"}]}""", "lora.json");

        Assert.Equal(new BaseModelReference { HubId = "org/tiny", Revision = "v2" }, spec.BaseModel);
        Assert.Contains("\"hubId\": \"org/tiny\"", TrainingSpecJson.Serialize(spec), StringComparison.Ordinal);
    }

    [Fact]
    public void BaseModelAsAnyOtherStringIsAFolder()
    {
        var spec = TrainingSpecJson.Parse("""{"name": "a", "baseModel": "../models/tiny"}""", "lora.json");

        Assert.Equal(new BaseModelReference { Path = "../models/tiny" }, spec.BaseModel);
    }

    [Fact]
    public void TheObjectFormStaysStrict()
    {
        var spec = TrainingSpecJson.Parse("""{"name": "a", "baseModel": {"hubId": "org/tiny", "revision": "main"}}""", "lora.json");
        var error = Assert.Throws<LoraException>(() => TrainingSpecJson.Parse("""{"name": "a", "baseModel": {"hubid": "org/tiny"}}""", "lora.json"));

        Assert.Equal("org/tiny", spec.BaseModel!.HubId);
        Assert.Equal(SpecErrorCodes.SpecUnreadable, error.Code);
    }

    [Fact]
    public void AHubIdWithoutAFolderIsValidAndAMalformedOneIsACodedError()
    {
        using var folder = new TempDirectory();
        var data = folder.Write("d.jsonl", "{}");
        var spec = new TrainingSpec
        {
            Name = "a",
            BaseModel = new BaseModelReference { HubId = "org/tiny" },
            Datasets = [new DatasetReference { Path = data }],
        };

        TrainingSpecValidator.Validate(spec);
        var error = Assert.Throws<LoraException>(() => TrainingSpecValidator.Validate(spec with { BaseModel = new BaseModelReference { HubId = "org/tiny", Revision = "../x" } }));

        Assert.True(BaseModelResolver.IsHubModel(spec));
        Assert.Equal(HubErrorCodes.ReferenceInvalid, error.Code);
    }

    [Fact]
    public void AFolderIsUsedAsItIsAndTheHubIdOnlyRecorded()
    {
        using var folder = new TempDirectory();
        var spec = new TrainingSpec { Name = "a", BaseModel = new BaseModelReference { Path = folder.Path, HubId = "org/tiny" } };

        var resolved = BaseModelResolver.Resolve(spec, settings: null, progress: null, CancellationToken.None);

        Assert.Equal(ResolvedBaseModel.Local(folder.Path, "org/tiny"), resolved);
    }
}
