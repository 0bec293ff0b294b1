using System.IO.Compression;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Packaging;

namespace LoraBuild.Core.Tests.Packaging;

public class AdapterLocatorTests
{
    private static void WriteAdapter(TempDirectory directory, string folder, string weights = "weights")
    {
        directory.Write(Path.Combine(folder, "adapter_config.json"), """{"peft_type": "LORA"}""");
        directory.Write(Path.Combine(folder, "adapter_model.safetensors"), weights);
    }

    private static string WritePackage(TempDirectory directory, string name, params string[] adapters)
    {
        var path = Path.Combine(directory.Path, name);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var adapter in adapters)
        {
            using (var writer = new StreamWriter(archive.CreateEntry($"lora/{adapter}/adapter_config.json").Open()))
            {
                writer.Write("""{"peft_type": "LORA"}""");
            }

            using (var writer = new StreamWriter(archive.CreateEntry($"lora/{adapter}/adapter_model.safetensors").Open()))
            {
                writer.Write("weights of " + adapter);
            }
        }

        archive.CreateEntry("build/P.targets");
        return path;
    }

    [Fact]
    public void AnAdapterFolderIsItself()
    {
        using var directory = new TempDirectory();
        WriteAdapter(directory, "out/Triage");

        Assert.Equal(Path.Combine(directory.Path, "out", "Triage"), AdapterLocator.Resolve(Path.Combine(directory.Path, "out", "Triage")));
    }

    [Fact]
    public void AnExtractedPackageWithOneAdapterGivesThatAdapter()
    {
        using var directory = new TempDirectory();
        WriteAdapter(directory, "pkg/lora/Triage");

        Assert.Equal(Path.Combine(directory.Path, "pkg", "lora", "Triage"), AdapterLocator.Resolve(Path.Combine(directory.Path, "pkg")));
    }

    [Fact]
    public void SeveralAdaptersNeedANameWhichIsMatchedWithoutCase()
    {
        using var directory = new TempDirectory();
        WriteAdapter(directory, "pkg/lora/Triage");
        WriteAdapter(directory, "pkg/lora/Billing");
        var package = Path.Combine(directory.Path, "pkg");

        var ambiguous = Assert.Throws<LoraException>(() => AdapterLocator.Resolve(package));
        var unknown = Assert.Throws<LoraException>(() => AdapterLocator.Resolve(package, "Refunds"));

        Assert.Equal(PackagingErrorCodes.AdapterAmbiguous, ambiguous.Code);
        Assert.Contains("Billing, Triage", ambiguous.Message, StringComparison.Ordinal);
        Assert.Equal(PackagingErrorCodes.AdapterNotInPackage, unknown.Code);
        Assert.Equal(Path.Combine(package, "lora", "Billing"), AdapterLocator.Resolve(package, "billing"));
    }

    [Fact]
    public void ANupkgIsExtractedOnceIntoAFolderNamedByItsHash()
    {
        using var directory = new TempDirectory();
        var package = WritePackage(directory, "P.1.0.0.nupkg", "Triage", "Billing");
        var cache = Path.Combine(directory.Path, "cache");

        var triage = AdapterLocator.Resolve(package, "Triage", cache);
        var again = AdapterLocator.Resolve(package, "Triage", cache);

        Assert.Equal(triage, again);
        Assert.Equal("weights of Triage", File.ReadAllText(Path.Combine(triage, "adapter_model.safetensors")));
        Assert.Equal(64, Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(triage)))!.Length);
        Assert.Equal(["Billing", "Triage"], AdapterLocator.ListAdapters(Path.GetDirectoryName(Path.GetDirectoryName(triage))!));
        Assert.Single(Directory.EnumerateFileSystemEntries(cache));
    }

    [Fact]
    public void MissingOrEmptyLocationsAndDamagedPackagesHaveCodes()
    {
        using var directory = new TempDirectory();
        var damaged = directory.Write("bad.nupkg", "not a zip");
        directory.Write("empty/readme.txt", "nothing here");

        Assert.Equal(PackagingErrorCodes.LocationNotFound, Assert.Throws<LoraException>(() => AdapterLocator.Resolve(Path.Combine(directory.Path, "absent"))).Code);
        Assert.Equal(PackagingErrorCodes.AdapterNotInPackage, Assert.Throws<LoraException>(() => AdapterLocator.Resolve(Path.Combine(directory.Path, "empty"))).Code);
        var error = Assert.Throws<LoraException>(() => AdapterLocator.Resolve(damaged, extractionFolder: Path.Combine(directory.Path, "cache")));
        Assert.Equal(PackagingErrorCodes.PackageUnreadable, error.Code);
        Assert.Equal(damaged, error.Location);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(directory.Path, "cache")));
    }

    [Fact]
    public void AnEntryThatWouldUnpackToGigabytesFromAFewKilobytesIsRefusedBeforeWriting()
    {
        using var directory = new TempDirectory();
        var package = WritePackage(directory, "bomb.nupkg", "Bomb");
        using (var archive = ZipFile.Open(package, ZipArchiveMode.Update))
        {
            archive.GetEntry("lora/Bomb/adapter_model.safetensors")!.Delete();
            using var stream = archive.CreateEntry("lora/Bomb/adapter_model.safetensors", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 128; i++)
            {
                stream.Write(zeros); // 128 MiB of zeros deflate to about 128 KiB
            }
        }

        var cache = Path.Combine(directory.Path, "cache");
        var error = Assert.Throws<LoraException>(() => AdapterLocator.Resolve(package, extractionFolder: cache));

        Assert.Equal(PackagingErrorCodes.PackageUnreadable, error.Code);
        Assert.Equal($"{package}!lora/Bomb/adapter_model.safetensors", error.Location);
        Assert.Contains("134,217,728 bytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }
}
