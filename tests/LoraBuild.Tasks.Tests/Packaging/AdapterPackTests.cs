using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Tasks.Tests.Packaging;

/// <summary><c>dotnet pack</c> of a project with a trained adapter, and a project that consumes the package from a local feed.</summary>
public class AdapterPackTests(PackedAdapterFixture packed) : IClassFixture<PackedAdapterFixture>
{
    private static readonly string[] s_expectedEntries =
    [
        "LoraBuild.Tests.Triage.nuspec",
        "README.md",
        "[Content_Types].xml",
        "_rels/.rels",
        "build/LoraBuild.Tests.Triage.props",
        "build/LoraBuild.Tests.Triage.targets",
        "buildTransitive/LoraBuild.Tests.Triage.props",
        "buildTransitive/LoraBuild.Tests.Triage.targets",
        "lora/SupportTriage/README.md",
        "lora/SupportTriage/adapter_config.json",
        "lora/SupportTriage/adapter_model.safetensors",
        "lora/SupportTriage/lorabuild.json",
        "lora/SupportTriage/loss_curve.png",
        "lora/SupportTriage/report.md",
        "package/services/metadata/core-properties/nuget.psmdcp",
    ];

    private string Package => packed.Project.PackageFile;

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static string ReadEntry(ZipArchive archive, string name)
    {
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    [Fact]
    public void ThePackageHoldsTheAdapterItsCardAndTheConsumerBuildFilesAndNoLib()
    {
        Assert.True(packed.ExitCode == 0, packed.Output);
        using var archive = ZipFile.OpenRead(Package);

        Assert.Equal(s_expectedEntries, archive.Entries.Select(entry => entry.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(packed.Project.AdapterDirectory, "adapter_model.safetensors")),
            ReadAll(archive.GetEntry("lora/SupportTriage/adapter_model.safetensors")!));
        Assert.StartsWith("# SupportTriage\n", ReadEntry(archive, "lora/SupportTriage/README.md"), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(packed.Project.AdapterDirectory, "loss_curve.png")), ReadAll(archive.GetEntry("lora/SupportTriage/loss_curve.png")!));

        // The adapter's card links its report beside it; the package's card links it from the package root.
        Assert.Contains("(report.md)", ReadEntry(archive, "lora/SupportTriage/README.md"), StringComparison.Ordinal);
        Assert.Contains("(lora/SupportTriage/report.md)", ReadEntry(archive, "README.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheNuspecCarriesTheVersionTheFingerprintAndNoDependencies()
    {
        using var archive = ZipFile.OpenRead(Package);
        var metadata = XDocument.Parse(ReadEntry(archive, "LoraBuild.Tests.Triage.nuspec")).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal(packed.Version, Value("version"));
        Assert.Contains($"Fingerprint of SupportTriage: {AdapterProject.Fingerprint}", Value("description"), StringComparison.Ordinal);
        Assert.Equal("README.md", Value("readme"));
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName is "dependencies" or "packageTypes");
    }

    [Fact]
    public void ThePackagedManifestHasNoMachineTimings()
    {
        using var archive = ZipFile.OpenRead(Package);
        using var manifest = JsonDocument.Parse(ReadEntry(archive, "lora/SupportTriage/lorabuild.json"));

        var train = manifest.RootElement.GetProperty("metrics").GetProperty("train");
        Assert.Equal(["loss_final", "steps"], train.EnumerateObject().Select(p => p.Name));
        Assert.Equal(AdapterProject.Fingerprint, manifest.RootElement.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public void PackingAgainFromCleanElsewhereAfterRetrainingGivesTheSameBytes()
    {
        Assert.True(packed.ExitCode == 0, packed.Output);
        // Another folder, and a manifest whose timings differ as a second training's would.
        using var again = new AdapterProject(PackedAdapterFixture.PackageId, packed.Version, wallSeconds: 31.75);

        var (exitCode, output) = again.Pack();

        Assert.True(exitCode == 0, output);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(packed.Project.AdapterDirectory, TrainingManifest.FileName)), File.ReadAllBytes(Path.Combine(again.AdapterDirectory, TrainingManifest.FileName)));
        Assert.Equal(Sha256(Package), Sha256(again.PackageFile));
    }

    [Fact]
    public void AStaleAdapterFailsPackWithItsCode()
    {
        using var stale = new AdapterProject("LoraBuild.Tests.Stale", "1.0.0", wallSeconds: 1, buildFingerprint: new string('9', 64));

        var (exitCode, output) = stale.Pack();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error LORA4105", output, StringComparison.Ordinal);
        Assert.False(File.Exists(stale.PackageFile));
    }

    [Fact]
    public void AConsumerGetsLoraAdapterReferenceAndTheAdapterInItsOutput()
    {
        Assert.True(packed.ExitCode == 0, packed.Output);
        using var consumer = new ConsumerProject(Path.GetDirectoryName(Package)!, PackedAdapterFixture.PackageId, packed.Version);

        var (exitCode, output) = consumer.Build();
        var (itemExit, items) = consumer.GetItems("LoraAdapterReference");

        Assert.True(exitCode == 0, output);
        var copied = Path.Combine(consumer.OutputDirectory, "lora", "SupportTriage");
        Assert.Equal(["adapter_config.json", "adapter_model.safetensors", "lorabuild.json"], Directory.EnumerateFiles(copied).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(itemExit == 0, items);
        using var json = JsonDocument.Parse(items);
        var reference = json.RootElement.GetProperty("Items").GetProperty("LoraAdapterReference").EnumerateArray().Single();
        Assert.Equal("SupportTriage", reference.GetProperty("Identity").GetString());
        Assert.Equal("tiny", reference.GetProperty("BaseModel").GetString());
        Assert.Equal(AdapterProject.Fingerprint, reference.GetProperty("Fingerprint").GetString());
        Assert.Equal("lora/SupportTriage/", reference.GetProperty("OutputPath").GetString());
        var path = reference.GetProperty("Path").GetString()!;
        Assert.True(File.Exists(Path.Combine(path, "adapter_model.safetensors")), path);
        Assert.StartsWith(consumer.PackagesDirectory, path, StringComparison.Ordinal);
    }

    [Fact]
    public void AConsumerCanTurnCopyingOff()
    {
        Assert.True(packed.ExitCode == 0, packed.Output);
        using var consumer = new ConsumerProject(Path.GetDirectoryName(Package)!, PackedAdapterFixture.PackageId, packed.Version, "<LoraCopyAdaptersToOutput>false</LoraCopyAdaptersToOutput>");

        var (exitCode, output) = consumer.Build();

        Assert.True(exitCode == 0, output);
        Assert.True(File.Exists(Path.Combine(consumer.OutputDirectory, "Consumer.dll")));
        Assert.False(Directory.Exists(Path.Combine(consumer.OutputDirectory, "lora")));
    }

    [Fact]
    public void AProjectThatReferencesAConsumerGetsTheItemAndTheAdapterToo()
    {
        Assert.True(packed.ExitCode == 0, packed.Output);
        using var consumer = new ConsumerProject(Path.GetDirectoryName(Package)!, PackedAdapterFixture.PackageId, packed.Version);
        var outer = consumer.AddReferencingProject("Outer");

        var (exitCode, output) = consumer.Build(outer);
        var (itemExit, items) = consumer.GetItems("LoraAdapterReference", outer);

        Assert.True(exitCode == 0, output);
        Assert.True(File.Exists(Path.Combine(consumer.OutputDirectoryOf("Outer"), "lora", "SupportTriage", "adapter_model.safetensors")), output);
        Assert.True(itemExit == 0, items);
        Assert.Contains(AdapterProject.Fingerprint, items, StringComparison.Ordinal);
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
