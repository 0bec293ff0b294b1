using System.Xml.Linq;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Specs;
using LoraBuild.Tasks.Items;
using Microsoft.Build.Framework;
using static LoraBuild.Tasks.Tests.Items.ItemFactory;

namespace LoraBuild.Tasks.Tests.Items;

/// <summary>Two projects that mean the same training get the same fingerprint; any setting that changes the weights changes it.</summary>
public class FingerprintCanonicalizationTests
{
    private static readonly RuntimeIdentity s_runtime = new("0.1.0", "2.10.0.0", "cpu");

    [Fact]
    public void TheSdkDefaultsAreTheSpecDefaults()
    {
        var defaults = XDocument.Load(Path.Combine(Repository.SdkBuildFolder, "LoraBuild.Sdk.props"))
            .Descendants("ItemDefinitionGroup").Elements("LoraAdapter").Elements()
            .Select(e => (e.Name.LocalName, e.Value)).ToArray();
        using var project = Project("t.jsonl");

        var spelled = Build(project, Item("A", defaults));
        var omitted = Build(project, Item("A"));

        Assert.Equal(TrainingSpecJson.Serialize(omitted), TrainingSpecJson.Serialize(spelled));
        Assert.Equal(TrainingSpecJson.Serialize(new TrainingSpec { Name = "A" } with { BaseModel = omitted.BaseModel, Datasets = omitted.Datasets }), TrainingSpecJson.Serialize(omitted));
    }

    [Fact]
    public void DefaultsSpelledOrOmittedGiveOneFingerprint()
    {
        using var project = Project("t.jsonl");

        Assert.Equal(
            Of(project, Item("A")),
            Of(project, Item("A", ("Rank", "8"), ("Alpha", "16.0"), ("LearningRate", "0.0003"), ("UseRslora", "False"), ("MaxSteps", ""))));
    }

    [Fact]
    public void ItemOrderDoesNotMatter()
    {
        using var project = Project("a.jsonl", "b.jsonl", "e1.jsonl", "e2.jsonl");
        ITaskItem[] evals = [Item("e1.jsonl"), Item("e2.jsonl")];

        var forward = new AdapterSpecBuilder(project.Path, [Item("base", ("Path", "models/base"))], [Item("a.jsonl"), Item("b.jsonl")], evals).Build(Item("A"));
        var backward = new AdapterSpecBuilder(project.Path, [Item("base", ("Path", "models/base"))], [Item("b.jsonl"), Item("a.jsonl")], [.. evals.Reverse()]).Build(Item("A"));

        Assert.Equal(Fingerprint(forward), Fingerprint(backward));
        Assert.Equal(TrainingSpecJson.Serialize(forward), TrainingSpecJson.Serialize(backward));
    }

    [Theory]
    [InlineData("data/train.jsonl", "models/base")]
    [InlineData("./data/train.jsonl", "models/base/")]
    [InlineData("data\\train.jsonl", "models\\base")]
    [InlineData("data/../data/train.jsonl", "./models/../models/base")]
    public void PathSpellingsOfOneFileGiveOneSpec(string dataset, string model)
    {
        using var project = Project("data/train.jsonl");
        var builder = new AdapterSpecBuilder(project.Path, [Item("base", ("Path", model))], [Item(dataset)], []);

        var reference = new AdapterSpecBuilder(project.Path, [Item("base", ("Path", "models/base"))], [Item("data/train.jsonl")], []).Build(Item("A"));

        var spec = builder.Build(Item("A", ("Datasets", dataset)));

        Assert.Equal(("data/train.jsonl", "models/base"), (spec.Datasets[0].Path, spec.BaseModel!.Path));
        Assert.Equal(TrainingSpecJson.Serialize(reference), TrainingSpecJson.Serialize(spec));
        Assert.Equal(Fingerprint(reference), Fingerprint(spec));
    }

    public static TheoryData<string, string> ChangedSettings()
    {
        var data = new TheoryData<string, string>();
        foreach (var setting in AdapterSettingsMetadata.Settings)
        {
            var other = setting.Name switch
            {
                nameof(TrainingSpec.Mode) => "full",
                nameof(TrainingSpec.TargetModules) => "q_proj,v_proj",
                nameof(TrainingSpec.Optimizer) => "sgd",
                nameof(TrainingSpec.Scheduler) => "linear",
                nameof(TrainingSpec.Precision) => "bf16",
                nameof(TrainingSpec.Quantization) => null, // one choice so far
                nameof(TrainingSpec.ActivationCheckpointing) => null, // bitwise the same weights: see the next test
                nameof(TrainingSpec.Device) => null, // only through the device kind: see TheDeviceSettingCountsOnlyThroughTheKindOfDevice
                nameof(TrainingSpec.LayersToTransform) => "0",
                nameof(TrainingSpec.RankPattern) or nameof(TrainingSpec.AlphaPattern) => "q_proj=4",
                nameof(TrainingSpec.MaxSteps) => "3",
                nameof(TrainingSpec.MinLearningRate) => "1e-5",
                nameof(TrainingSpec.Momentum) or nameof(TrainingSpec.Beta1) or nameof(TrainingSpec.Beta2) or nameof(TrainingSpec.Dropout) => "0.5",
                _ when setting.PropertyType == typeof(bool) => "true",
                _ when setting.PropertyType == typeof(int) || setting.PropertyType == typeof(int?) => "9",
                _ when setting.PropertyType == typeof(double) || setting.PropertyType == typeof(double?) => "0.125",
                _ => throw new InvalidOperationException($"Give {setting.Name} a changed value in this test."),
            };
            if (other is not null)
            {
                data.Add(setting.Name, other);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ChangedSettings))]
    public void EverySettingChangesTheFingerprint(string metadata, string value)
    {
        using var project = Project("t.jsonl");

        Assert.NotEqual(Of(project, Item("A")), Of(project, Item("A", (metadata, value))));
    }

    [Fact]
    public void ActivationCheckpointingIsASettingThatKeepsTheFingerprint()
    {
        using var project = Project("t.jsonl");

        var spec = Build(project, Item("A", ("ActivationCheckpointing", "true")));

        Assert.True(spec.ActivationCheckpointing);
        Assert.Equal(Of(project, Item("A")), Of(project, Item("A", ("ActivationCheckpointing", "true"))));
    }

    [Fact]
    public void TheDeviceSettingCountsOnlyThroughTheKindOfDevice()
    {
        using var project = Project("t.jsonl");
        var auto = Build(project, Item("A"));
        var cpu = Build(project, Item("A", ("Device", "cpu")));
        var cuda = Build(project, Item("A", ("Device", "cuda")));
        var secondCuda = Build(project, Item("A", ("Device", "cuda:1")));

        Assert.Equal("cpu", cpu.Device);
        Assert.Equal(Fingerprint(auto), Fingerprint(cpu)); // s_runtime: auto resolves to the CPU
        Assert.NotEqual(Fingerprint(cpu), Fingerprint(cuda));
        Assert.Equal(Fingerprint(cuda), Fingerprint(secondCuda));
        Assert.Equal(
            Core.Fingerprints.Fingerprint.Compute(auto, new FileHashCache(null), s_runtime with { DeviceKind = "cuda" }).Value,
            Fingerprint(cuda));
    }

    [Fact]
    public void InputContentChangesTheFingerprintButTheAdaptersNameDoesNot()
    {
        using var project = Project("t.jsonl");
        var before = Of(project, Item("A"));

        Assert.Equal(before, Of(project, Item("Renamed")));
        File.AppendAllText(project.File("t.jsonl"), """{"instruction": "j", "output": "p"}""" + "\n");
        Assert.NotEqual(before, Of(project, Item("A")));
    }

    [Fact]
    public void TheJobFileTheEngineReadsGivesTheSameSpecAndFingerprint()
    {
        using var project = Project("t.jsonl");
        var spec = Build(project, Item("A", ("Rank", "4"), ("RankPattern", "q_proj=2"), ("LayersToTransform", "1"), ("MaxSteps", "3")));
        var jobFile = project.File("obj", "lora", "jobs", "A.json");

        TrainingSpecJson.WriteFile(spec, jobFile);
        var read = TrainingSpecJson.ReadFile(jobFile) with { BaseDirectory = project.Path };

        Assert.Equal(TrainingSpecJson.Serialize(spec), TrainingSpecJson.Serialize(read));
        Assert.Equal(Fingerprint(spec), Fingerprint(read));
    }

    [Fact]
    public void TheExampleProjectAndItsLoraJsonGiveOneFingerprint()
    {
        var folder = Repository.File("examples", "SupportTriage");
        var project = XDocument.Load(Path.Combine(folder, "SupportTriage.csproj"));
        ITaskItem[] Items(string type) => [.. project.Descendants(type).Select(e =>
            Item(e.Attribute("Include")!.Value, [.. e.Attributes().Where(a => a.Name != "Include").Select(a => (a.Name.LocalName, a.Value))]))];

        var fromItems = new AdapterSpecBuilder(folder, Items("LoraBaseModel"), Items("LoraDataset"), Items("LoraEval")).Build(Items("LoraAdapter").Single());
        var fromJson = TrainingSpecJson.ReadFile(Path.Combine(folder, "lora.json"));

        var hashes = new FileHashCache(null);
        Assert.Equal(Core.Fingerprints.Fingerprint.Compute(fromJson, hashes, s_runtime).CanonicalJson, Core.Fingerprints.Fingerprint.Compute(fromItems, hashes, s_runtime).CanonicalJson);
        Assert.Equal(TrainingSpecJson.Serialize(fromJson), TrainingSpecJson.Serialize(fromItems));
    }

    private static TrainingSpec Build(TempDirectory project, ITaskItem adapter) =>
        new AdapterSpecBuilder(project.Path, [Item("base", ("Path", "models/base"))], [Item("t.jsonl")], []).Build(adapter);

    private static string Of(TempDirectory project, ITaskItem adapter) => Fingerprint(Build(project, adapter));

    private static string Fingerprint(TrainingSpec spec) => Core.Fingerprints.Fingerprint.Compute(spec, new FileHashCache(null), s_runtime).Value;
}
