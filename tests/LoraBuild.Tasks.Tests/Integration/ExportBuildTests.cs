namespace LoraBuild.Tasks.Tests.Integration;

/// <summary>
/// <c>Export="gguf"</c> in a real build: the adapter is exported beside its training, the export is brought up to date
/// by its own key, and changing the export settings re-exports without retraining.
/// </summary>
[Collection(nameof(BuildTests))]
public class ExportBuildTests
{
    private const string EngineExportCommand = "dotnet-lora.dll export ";

    [Fact]
    public void ExportsOnceThenIsUpToDateAndAnotherBaseTypeReexportsWithoutTraining()
    {
        using var project = new MicroProject(adapterMetadata: "Export=\"gguf\" ExportBase=\"$(TestExportBase)\"");
        var exportFolder = Path.Combine(project.Folder, "obj", "lora", "exports", "Micro");

        var first = project.Build();
        Assert.True(first.Succeeded, first.ToString());
        Assert.Contains("LoraBuild: exporting Micro as gguf (base none).", first.Output, StringComparison.Ordinal);
        Assert.Contains(EngineExportCommand, first.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project.OutputAdapterFolder, "adapter.gguf")));
        Assert.True(File.Exists(Path.Combine(project.OutputAdapterFolder, "Modelfile")));
        Assert.False(File.Exists(Path.Combine(exportFolder, "model.gguf")));
        var adapterGguf = File.ReadAllBytes(Path.Combine(exportFolder, "adapter.gguf"));

        var second = project.Build("-t:LoraTrain");
        Assert.True(second.Succeeded, second.ToString());
        Assert.Contains("LoraBuild: Micro export (gguf, base none) is up to date.", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineExportCommand, second.Output, StringComparison.Ordinal);

        var withBase = project.Build("-p:TestExportBase=q8_0");
        Assert.True(withBase.Succeeded, withBase.ToString());
        Assert.Contains("LoraBuild: Micro is up to date (fingerprint", withBase.Output, StringComparison.Ordinal);
        Assert.Contains("LoraBuild: exporting Micro as gguf (base q8_0).", withBase.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project.OutputAdapterFolder, "model.gguf")));
        Assert.Equal(adapterGguf, File.ReadAllBytes(Path.Combine(exportFolder, "adapter.gguf")));
    }

    [Theory]
    [InlineData("Export=\"onnx\"", "LORA4200", "Export=")]
    [InlineData("Export=\"gguf\" ExportBase=\"q4\"", "LORA4201", "ExportBase=")]
    public void ABadExportSettingIsAnErrorAtItsAttribute(string metadata, string code, string attribute)
    {
        using var project = new MicroProject(adapterMetadata: metadata);

        var result = project.Build("-t:LoraTrain");

        Assert.False(result.Succeeded);
        Assert.Contains($"Micro.csproj({project.LineOf(attribute)},", result.Output, StringComparison.Ordinal);
        Assert.Contains($"error {code}:", result.Output, StringComparison.Ordinal);
    }
}
