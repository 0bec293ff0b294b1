using LoraBuild.Core.Comparison;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Core.Tests.Comparison;

public class AdapterFoldersTests
{
    [Fact]
    public void AProjectFolderMeansTheAdaptersItsBuildTrained()
    {
        using var directory = new TempDirectory();
        directory.Write("Experiments.csproj", "<Project />");
        var a = Adapter(directory, "obj/lora/adapters/A");
        var b = Adapter(directory, "obj/lora/adapters/B");
        Adapter(directory, "obj/lora/adapters/.B.1234.new");
        Adapter(directory, "obj/lora/seeds/A/seed-43");
        Adapter(directory, "bin/Release/net10.0/lora/A");

        Assert.Equal([a, b], AdapterFolders.Find([directory.Path]));
    }

    [Fact]
    public void AnyOtherFolderIsSearchedAndAdapterFoldersOrManifestsAreTakenAsTheyAre()
    {
        using var directory = new TempDirectory();
        var seed42 = Adapter(directory, "study/seed-42");
        var seed43 = Adapter(directory, "study/seed-43");
        var nested = Adapter(directory, "runs/deep/er/X");
        directory.Write("study/seeds.json", "{}");

        Assert.Equal([seed42, seed43], AdapterFolders.Find([Path.Combine(directory.Path, "study")]));
        Assert.Equal([nested, seed42, seed43], AdapterFolders.Find([directory.Path, seed43, Path.Combine(seed42, TrainingManifest.FileName)]));
    }

    [Fact]
    public void NoAdaptersAndMissingPathsAreErrorsNamingThePaths()
    {
        using var directory = new TempDirectory();
        directory.Write("Empty.csproj", "<Project />");
        var missing = Path.Combine(directory.Path, "nowhere");

        var none = Assert.Throws<LoraException>(() => AdapterFolders.Find([directory.Path]));
        var absent = Assert.Throws<LoraException>(() => AdapterFolders.Find([missing]));

        Assert.Equal(ComparisonErrorCodes.NoAdaptersFound, none.Code);
        Assert.Contains(directory.Path, none.Message, StringComparison.Ordinal);
        Assert.Equal(ComparisonErrorCodes.ComparePathNotFound, absent.Code);
        Assert.Equal(missing, absent.Location);
    }

    [Fact]
    public void AnUnreadableManifestIsAnErrorNamingTheFile()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("A/" + TrainingManifest.FileName, "{ \"fingerprint\": ");

        var error = Assert.Throws<LoraException>(() => ComparedAdapter.Read(Path.Combine(directory.Path, "A")));

        Assert.Equal(ComparisonErrorCodes.ManifestUnreadable, error.Code);
        Assert.Equal(path, error.Location);
    }

    private static string Adapter(TempDirectory directory, string folder)
    {
        var path = directory.Write(folder + "/" + TrainingManifest.FileName, TrainingManifestJson.Serialize(Manifests.Of(Path.GetFileName(folder))));
        return Path.GetDirectoryName(path)!;
    }
}
