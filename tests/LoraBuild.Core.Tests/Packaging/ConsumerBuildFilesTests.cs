using System.Xml.Linq;
using LoraBuild.Core.Packaging;

namespace LoraBuild.Core.Tests.Packaging;

public class ConsumerBuildFilesTests
{
    private static readonly PackagedAdapter[] s_adapters =
    [
        new("Triage", "tiny", new string('a', 64)),
        new("Billing", "meta-llama/Llama-2-7b-hf", new string('b', 64)),
    ];

    private static IReadOnlyDictionary<string, string> Files() => ConsumerBuildFiles.Render("Contoso.Adapters", "2.0.0-beta.1", s_adapters);

    [Fact]
    public void PropsAndTargetsAreNamedAfterThePackageUnderBuildAndBuildTransitive()
    {
        Assert.Equal(
            ["build/Contoso.Adapters.props", "build/Contoso.Adapters.targets", "buildTransitive/Contoso.Adapters.props", "buildTransitive/Contoso.Adapters.targets"],
            Files().Keys);
    }

    [Fact]
    public void TheBuildFilesImportTheTransitiveOnes()
    {
        var import = XElement.Parse(Files()["build/Contoso.Adapters.targets"]).Element("Import")!;

        Assert.Equal("$(MSBuildThisFileDirectory)../buildTransitive/Contoso.Adapters.targets", import.Attribute("Project")!.Value);
    }

    [Fact]
    public void EachAdapterIsALoraAdapterReferenceWithItsMetadataInNameOrder()
    {
        var items = XElement.Parse(Files()["buildTransitive/Contoso.Adapters.props"]).Descendants("LoraAdapterReference").ToList();

        Assert.Equal(["Billing", "Triage"], items.Select(item => item.Attribute("Include")!.Value));
        var triage = items[1];
        Assert.Equal("$([MSBuild]::NormalizeDirectory('$(MSBuildThisFileDirectory)', '..', 'lora', 'Triage'))", triage.Element("Path")!.Value);
        Assert.Equal("lora/Triage/", triage.Element("OutputPath")!.Value);
        Assert.Equal("tiny", triage.Element("BaseModel")!.Value);
        Assert.Equal(new string('a', 64), triage.Element("Fingerprint")!.Value);
        Assert.Equal("Contoso.Adapters", triage.Element("PackageId")!.Value);
        Assert.Equal("2.0.0-beta.1", triage.Element("PackageVersion")!.Value);
    }

    [Fact]
    public void TheTargetsCopyEveryAdapterFileToLoraInTheOutputUnlessTurnedOff()
    {
        var group = XElement.Parse(Files()["buildTransitive/Contoso.Adapters.targets"]).Element("ItemGroup")!;
        var files = group.Elements("None").ToList();

        Assert.Equal("'$(LoraCopyAdaptersToOutput)' != 'false'", group.Attribute("Condition")!.Value);
        Assert.Equal(6, files.Count);
        Assert.All(files, file => Assert.Equal("PreserveNewest", file.Element("CopyToOutputDirectory")!.Value));
        Assert.All(files, file => Assert.Equal("false", file.Element("Pack")!.Value));
        Assert.Equal(
            ["lora/Billing/adapter_config.json", "lora/Billing/adapter_model.safetensors", "lora/Billing/lorabuild.json",
             "lora/Triage/adapter_config.json", "lora/Triage/adapter_model.safetensors", "lora/Triage/lorabuild.json"],
            files.Select(file => file.Element("Link")!.Value));
        Assert.Equal("$(MSBuildThisFileDirectory)../lora/Triage/adapter_model.safetensors", files[4].Attribute("Include")!.Value);
    }

    [Fact]
    public void CharactersMSBuildWouldExpandAreEscapedInMetadata()
    {
        var files = ConsumerBuildFiles.Render("P", "1.0.0", [new PackagedAdapter("A", "odd$(name);@x%", new string('a', 64))]);

        var baseModel = XElement.Parse(files["buildTransitive/P.props"]).Descendants("BaseModel").Single().Value;

        Assert.Equal("odd%24(name)%3B%40x%25", baseModel);
    }

    [Fact]
    public void TheFilesUseLineFeedsAndAreTheSameEveryTime()
    {
        Assert.All(Files().Values, text => Assert.DoesNotContain('\r', text));
        Assert.Equal(Files(), ConsumerBuildFiles.Render("Contoso.Adapters", "2.0.0-beta.1", [.. s_adapters.Reverse()]));
    }

    [Fact]
    public void AnExportedAdapterNamesItsGgufFilesAndTheTargetsCopyThem()
    {
        PackagedAdapter exported = new("Triage", "tiny", new string('a', 64)) { ExportedFiles = ["Modelfile", "adapter.gguf", "model.gguf"] };
        var files = ConsumerBuildFiles.Render("Contoso.Adapters", "1.0.0", [exported]);

        var item = XElement.Parse(files["buildTransitive/Contoso.Adapters.props"]).Descendants("LoraAdapterReference").Single();
        Assert.Equal("$([MSBuild]::NormalizePath('$(MSBuildThisFileDirectory)', '..', 'lora', 'Triage', 'adapter.gguf'))", item.Element("Gguf")!.Value);
        Assert.Equal("lora/Triage/adapter.gguf", item.Element("GgufOutputPath")!.Value);
        Assert.Equal("$([MSBuild]::NormalizePath('$(MSBuildThisFileDirectory)', '..', 'lora', 'Triage', 'model.gguf'))", item.Element("GgufBase")!.Value);
        Assert.Equal("lora/Triage/Modelfile", item.Element("OllamaModelfileOutputPath")!.Value);
        var copied = XElement.Parse(files["buildTransitive/Contoso.Adapters.targets"]).Descendants("None").Select(file => file.Element("Link")!.Value);
        Assert.Equal(
            ["lora/Triage/adapter_config.json", "lora/Triage/adapter_model.safetensors", "lora/Triage/lorabuild.json", "lora/Triage/Modelfile", "lora/Triage/adapter.gguf", "lora/Triage/model.gguf"],
            copied);
    }

    [Fact]
    public void AnAdapterWithoutExportHasNoGgufMetadata()
    {
        var item = XElement.Parse(Files()["buildTransitive/Contoso.Adapters.props"]).Descendants("LoraAdapterReference").First();

        Assert.Null(item.Element("Gguf"));
        Assert.Null(item.Element("GgufBase"));
    }
}
