using LoraBuild.Core.Lora;
using LoraBuild.Core.Specs;
using LoraBuild.Tasks.Items;
using Microsoft.Build.Framework;
using static LoraBuild.Tasks.Tests.Items.ItemFactory;

namespace LoraBuild.Tasks.Tests.Items;

public class AdapterSpecBuilderTests
{
    private static readonly ITaskItem s_model = Item("base", ("Path", "models/base"));

    [Fact]
    public void MetadataBecomesTheSpecsSettings()
    {
        using var project = Project("data/train.jsonl", "data/eval.jsonl");
        var adapter = Item(
            "Triage",
            ("BaseModel", "base"), ("Datasets", "data/train.jsonl"), ("Rank", "4"), ("Alpha", "8"), ("LearningRate", "3e-3"),
            ("UseRslora", "True"), ("LayersToTransform", "0;1"), ("RankPattern", "q_proj=2;re:.*v_proj=6"), ("MaxSteps", "7"), ("Precision", "bf16"));
        var builder = new AdapterSpecBuilder(
            project.Path, [s_model], [Item("data/train.jsonl", ("Format", "alpaca"))], [Item("data/eval.jsonl", ("Adapter", "Triage"), ("Metric", "exact-match"))]);

        var spec = builder.Build(adapter);

        Assert.Equal("Triage", spec.Name);
        Assert.Equal("models/base", spec.BaseModel!.Path);
        Assert.Equal(4, spec.Rank);
        Assert.Equal(8, spec.Alpha);
        Assert.Equal(3e-3, spec.LearningRate);
        Assert.True(spec.UseRslora);
        Assert.Equal([0, 1], spec.LayersToTransform);
        Assert.Equal(new Dictionary<string, int> { ["q_proj"] = 2, ["re:.*v_proj"] = 6 }, spec.RankPattern);
        Assert.Equal(7, spec.MaxSteps);
        Assert.Equal("bf16", spec.Precision);
        Assert.Equal("data/train.jsonl", Assert.Single(spec.Datasets).Path);
        var eval = Assert.Single(spec.EvalDatasets);
        Assert.Equal(("data/eval.jsonl", "exact-match"), (eval.Path, eval.Metric));
        Assert.Equal(project.Path, spec.BaseDirectory);
    }

    [Fact]
    public void SophiaSettingsAreMetadataAndEmptyMeansTheOptimizersDefault()
    {
        using var project = Project("t.jsonl");
        var builder = new AdapterSpecBuilder(project.Path, [s_model], [Item("t.jsonl")], []);

        var spec = builder.Build(Item("A", ("Optimizer", "sophia"), ("Rho", "0.03"), ("HessianUpdateInterval", "5"), ("Beta2", "0.95"), ("Beta1", "")));

        Assert.Equal((Optimizers.Sophia, 0.03, 5, 0.95), (spec.Optimizer, spec.Rho, spec.HessianUpdateInterval, spec.Beta2));
        Assert.Null(spec.Beta1);
    }

    [Fact]
    public void EverySpecSettingIsAnAdapterMetadata()
    {
        var settings = typeof(TrainingSpec).GetProperties().Select(p => p.Name).Except(AdapterSettingsMetadata.NotSettings);

        Assert.Equal(settings.Order(), AdapterSettingsMetadata.Settings.Select(p => p.Name).Order());
    }

    [Fact]
    public void AnEmptyAdapterUsesTheOnlyBaseModelAndEveryDataset()
    {
        using var project = Project("b.jsonl", "a.jsonl");
        var builder = new AdapterSpecBuilder(project.Path, [s_model], [Item("b.jsonl"), Item("a.jsonl")], []);

        var spec = builder.Build(Item("Only"));

        Assert.Equal("models/base", spec.BaseModel!.Path);
        Assert.Equal(["a.jsonl", "b.jsonl"], spec.Datasets.Select(d => d.Path));
        Assert.Equal(new TrainingSpec().Rank, spec.Rank);
    }

    [Fact]
    public void HubIdAlongsideAPathIsKept()
    {
        using var project = Project("t.jsonl");
        var model = Item("base", ("Path", "models/base"), ("HubId", "org/model"), ("Revision", "abc"));

        var spec = new AdapterSpecBuilder(project.Path, [model], [Item("t.jsonl")], []).Build(Item("A"));

        Assert.Equal(("org/model", "abc"), (spec.BaseModel!.HubId, spec.BaseModel.Revision));
    }

    public static TheoryData<string, (string, string)[], string, string?> BadAdapters => new()
    {
        { "Rank not a number", [("Rank", "eight")], TaskErrorCodes.MetadataInvalid, "Rank" },
        { "LearningRate with a comma", [("LearningRate", "0,002")], TaskErrorCodes.MetadataInvalid, "LearningRate" },
        { "UseRslora not a boolean", [("UseRslora", "yes")], TaskErrorCodes.MetadataInvalid, "UseRslora" },
        { "RankPattern without a value", [("RankPattern", "q_proj")], TaskErrorCodes.MetadataInvalid, "RankPattern" },
        { "Rank zero (the spec validator's code)", [("Rank", "0")], LoraErrorCodes.RankInvalid, "Rank" },
        { "Dropout out of range", [("Dropout", "1.5")], SpecErrorCodes.DropoutOutOfRange, "Dropout" },
        { "unknown optimizer", [("Optimizer", "adafactor")], SpecErrorCodes.UnknownChoice, "Optimizer" },
        { "unknown base model", [("BaseModel", "huge")], TaskErrorCodes.BaseModelUnresolved, "BaseModel" },
        { "undeclared dataset", [("Datasets", "other.jsonl")], TaskErrorCodes.DatasetUnresolved, "Datasets" },
    };

    [Theory]
    [MemberData(nameof(BadAdapters))]
    public void BadMetadataIsAnErrorNamingTheItemAndTheMetadata(string why, (string, string)[] metadata, string code, string? metadataName)
    {
        using var project = Project("t.jsonl");
        var builder = new AdapterSpecBuilder(project.Path, [s_model], [Item("t.jsonl")], []);

        var error = Assert.Throws<LoraItemException>(() => builder.Build(Item("A", metadata)));

        Assert.True(code == error.Code, $"{why}: {error.Code} {error.Message}");
        Assert.Equal(new LoraItemReference("LoraAdapter", "A", null), error.Item);
        Assert.Equal(metadataName, error.MetadataName);
    }

    [Fact]
    public void AHubModelWithoutAPathIsNamedByHubIdAndRevision()
    {
        using var project = Project("t.jsonl");
        var model = Item("llama", ("HubId", "meta-llama/Llama-3.2-1B-Instruct"), ("Revision", "main"));

        var spec = new AdapterSpecBuilder(project.Path, [model], [Item("t.jsonl")], []).Build(Item("A"));

        Assert.Equal(("meta-llama/Llama-3.2-1B-Instruct", "main", null), (spec.BaseModel!.HubId, spec.BaseModel.Revision, spec.BaseModel.Path));
    }

    [Theory]
    [InlineData("not a repo", "main")]
    [InlineData("org/name", "bad revision with spaces")]
    public void AMalformedHubIdOrRevisionIsAnErrorAtTheBaseModelItem(string hubId, string revision)
    {
        using var project = Project("t.jsonl");
        var model = Item("llama", ("HubId", hubId), ("Revision", revision));

        var error = Assert.Throws<LoraItemException>(() => new AdapterSpecBuilder(project.Path, [model], [Item("t.jsonl")], []).Build(Item("A")));

        Assert.Equal(Core.Hub.HubErrorCodes.ReferenceInvalid, error.Code);
        Assert.Equal(("LoraBaseModel", "llama", "HubId"), (error.Item.ItemType, error.Item.Include, error.MetadataName));
    }

    [Fact]
    public void MissingFilesAreErrorsAtTheItemThatNamesThem()
    {
        using var project = Project("t.jsonl");
        var noModel = Assert.Throws<LoraItemException>(() =>
            new AdapterSpecBuilder(project.Path, [Item("base", ("Path", "models/nowhere"))], [Item("t.jsonl")], []).Build(Item("A")));
        var noData = Assert.Throws<LoraItemException>(() =>
            new AdapterSpecBuilder(project.Path, [s_model], [Item("missing.jsonl")], []).Build(Item("A")));

        Assert.Equal((SpecErrorCodes.BaseModelNotFound, "LoraBaseModel", "Path"), (noModel.Code, noModel.Item.ItemType, noModel.MetadataName));
        Assert.Equal((SpecErrorCodes.DatasetNotFound, "LoraDataset", "missing.jsonl"), (noData.Code, noData.Item.ItemType, noData.Item.Include));
    }

    [Fact]
    public void UnknownMetadataIsListedButMsBuildsOwnIsNot()
    {
        var item = Item("A", ("Rnak", "4"), ("Rank", "4"));

        Assert.Equal(["Rnak"], AdapterSpecBuilder.UnknownMetadata("LoraAdapter", item));
    }
}
