using System.Text.Json;

namespace LoraBuild.Tasks.Tests.Integration;

/// <summary>
/// What .NET engineers expect of a build package (as Grpc.Tools and MinVer do it): Visual Studio's fast up-to-date check
/// sees the inputs, design-time builds never train, and trained adapters flow like any other content, into publish too.
/// </summary>
[Collection(nameof(BuildTests))]
public class SdkConventionTests
{
    private const string EngineTrainCommand = "dotnet-lora.dll train ";

    /// <summary>The engine files the build hashes to know whether the engine changed (EngineRuntime.Key).</summary>
    private static readonly string[] EngineIdentityFiles = ["dotnet-lora.dll", "dotnet-lora.deps.json", "LoraBuild.Engine.dll"];

    [Fact]
    public void UpToDateCheckSeesDatasetsEvalsAndTheBaseModelFiles()
    {
        using var project = new MicroProject(extraItems: """<LoraEval Include="data/train.jsonl" Adapter="Micro" />""");

        var result = project.Build("-t:LoraCollectUpToDateCheckItems", "-getItem:UpToDateCheckInput", "-getItem:UpToDateCheckBuilt");

        Assert.True(result.Succeeded, result.ToString());
        var items = JsonDocument.Parse(result.Output[result.Output.IndexOf('{', StringComparison.Ordinal)..]).RootElement.GetProperty("Items");
        var inputs = items.GetProperty("UpToDateCheckInput").EnumerateArray().ToList();
        Assert.All(inputs, i => Assert.Equal("LoraBuild", i.GetProperty("Set").GetString()));
        var paths = inputs.Select(i => i.GetProperty("FullPath").GetString()!).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(project.TrainData, paths);
        var modelFiles = Directory.EnumerateFiles(Repository.TinyModel, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.Contains(modelFiles, f => f.EndsWith(".safetensors", StringComparison.Ordinal));
        Assert.Contains(modelFiles, f => Path.GetFileName(f) == "config.json");
        Assert.All(modelFiles, f => Assert.Contains(Path.GetFullPath(f), paths));
        Assert.DoesNotContain(paths, p => p.EndsWith(".md", StringComparison.OrdinalIgnoreCase));

        var built = Assert.Single(items.GetProperty("UpToDateCheckBuilt").EnumerateArray());
        Assert.Equal(Path.Combine(project.AdapterFolder, "lorabuild.json"), built.GetProperty("FullPath").GetString());
        Assert.Equal("LoraBuild", built.GetProperty("Set").GetString());
    }

    [Fact]
    public void DesignTimeBuildsNeverTrain()
    {
        using var project = new MicroProject();

        var designTime = project.Build("-p:DesignTimeBuild=true");
        Assert.True(designTime.Succeeded, designTime.ToString());
        Assert.DoesNotContain(EngineTrainCommand, designTime.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("engine-info", designTime.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.AdapterFolder));

        // What a design-time build or a referencing project asks of this one, without Build: no training either.
        var items = project.Build("-t:GetCopyToOutputDirectoryItems");
        Assert.True(items.Succeeded, items.ToString());
        Assert.DoesNotContain(EngineTrainCommand, items.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.AdapterFolder));
    }

    [Fact]
    public void PublishCarriesTheTrainedAdapter()
    {
        using var project = new MicroProject();
        var publish = Path.Combine(project.Folder, "publish");

        var result = project.Publish("-o", publish);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains(EngineTrainCommand, result.Output, StringComparison.Ordinal);
        foreach (var file in new[] { "adapter_config.json", "adapter_model.safetensors", "lorabuild.json" })
        {
            var trained = File.ReadAllBytes(Path.Combine(project.AdapterFolder, file));
            Assert.Equal(trained, File.ReadAllBytes(Path.Combine(publish, "lora", "Micro", file)));
            Assert.Equal(trained, File.ReadAllBytes(Path.Combine(project.OutputAdapterFolder, file)));
        }

        // A design-time query after training lists the trained files without training again.
        var items = project.Build("-t:GetCopyToOutputDirectoryItems", "-getItem:ContentWithTargetPath");
        Assert.True(items.Succeeded, items.ToString());
        Assert.DoesNotContain(EngineTrainCommand, items.Output, StringComparison.Ordinal);
        Assert.Contains("lora/Micro/adapter_model.safetensors", items.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEngineSharesTheBuildsHashCacheSoNoFileIsHashedTwice()
    {
        using var project = new MicroProject();
        var inputs = Directory.EnumerateFiles(Repository.TinyModel).Count(f => !f.EndsWith(".md", StringComparison.Ordinal)) + 1;
        var engineFolder = Path.GetDirectoryName(Repository.Engine)!;
        var engineFiles = EngineIdentityFiles.Count(f => File.Exists(Path.Combine(engineFolder, f)));

        // Cold: the engine reads every input once; the build, which hashes only the engine's own files, reads its entries back.
        var first = project.Build("-t:LoraTrain");
        Assert.True(first.Succeeded, first.ToString());
        Assert.Contains($"Micro: Hashed inputs: {inputs} file(s) read, 0 from the hash cache", first.Output, StringComparison.Ordinal);
        Assert.Contains($"LoraBuild: the build hashed {engineFiles} file(s) and found {inputs} in {Path.Combine(project.Folder, "obj", "lora", "file-hashes.json")}.", first.Output, StringComparison.Ordinal);

        // Changed data: the build hashes it to see the change, and the engine finds everything in the same cache.
        File.AppendAllText(project.TrainData, """{"instruction": "Classify the ticket.", "input": "Refund order 99.", "output": "billing"}""" + "\n");
        var second = project.Build("-t:LoraTrain");
        Assert.True(second.Succeeded, second.ToString());
        Assert.Contains(EngineTrainCommand, second.Output, StringComparison.Ordinal);
        Assert.Contains($"Micro: Hashed inputs: 0 file(s) read, {inputs} from the hash cache", second.Output, StringComparison.Ordinal);
    }
}
