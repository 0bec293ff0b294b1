using LoraBuild.Core.Export;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.Manifests;
using LoraBuild.Engine.Export;
using LoraBuild.Engine.Tests.Checkpoints;

namespace LoraBuild.Engine.Tests.Export;

public sealed class GgufExportTests : IDisposable
{
    private readonly ParityCheckpoints _checkpoints = new();
    private readonly string _model;
    private readonly string _adapter;
    private readonly string _output;

    public GgufExportTests()
    {
        _model = _checkpoints.Model("base");
        _adapter = _checkpoints.Adapter("adapter", _model, ParityCheckpoints.Settings());
        _output = _checkpoints.Folder(Path.Combine("out", "gguf"));
    }

    public void Dispose() => _checkpoints.Dispose();

    [Fact]
    public void AModelAndAnAlpacaAdapterGiveBothFilesAndAModelfileWithTheAlpacaTemplate()
    {
        TrainingManifestJson.WriteFile(TinyAdapter.Manifest(TinyAdapter.HashFiles(_model)), Path.Combine(_adapter, TrainingManifest.FileName));

        var results = GgufExport.Run(_output, _model, _adapter, GgmlType.F16);

        Assert.Equal(
            new[] { Path.Combine(_output, "Modelfile"), Path.Combine(_output, "adapter.gguf"), Path.Combine(_output, "model.gguf") },
            Directory.EnumerateFiles(_output).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { Path.Combine(_output, "model.gguf"), Path.Combine(_output, "adapter.gguf") }, results.Select(result => result.Path));
        Assert.Equal(GgmlType.F16, results[0].Type);
        Assert.Equal(8f, results[1].Alpha);
        Assert.Equal("model", GgufReader.Read(results[0].Path).Get("general.type").AsString());
        Assert.Equal("adapter", GgufReader.Read(results[1].Path).Get("general.type").AsString());
        var modelfile = File.ReadAllText(Path.Combine(_output, "Modelfile"));
        Assert.Equal(OllamaModelfile.Render("./model.gguf", "./adapter.gguf", OllamaModelfile.AlpacaFormat), modelfile);
        Assert.Contains("FROM ./model.gguf\n", modelfile, StringComparison.Ordinal);
        Assert.Contains("ADAPTER ./adapter.gguf\n", modelfile, StringComparison.Ordinal);
        Assert.Contains("### Instruction:", modelfile, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutWritingTheModelOnlyTheAdapterAndModelfileAreWritten()
    {
        var results = GgufExport.Run(_output, _model, _adapter, modelType: null, writeModel: false);

        Assert.Equal("adapter.gguf", Path.GetFileName(Assert.Single(results).Path));
        Assert.False(File.Exists(Path.Combine(_output, "model.gguf")));
        Assert.True(File.Exists(Path.Combine(_output, "adapter.gguf")));
        Assert.Contains("FROM ./model.gguf\n", File.ReadAllText(Path.Combine(_output, "Modelfile")), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAdapterAloneIsExportedOnTheBaseItRecords()
    {
        var results = GgufExport.Run(_output, modelDirectory: null, _adapter, modelType: null);

        Assert.Equal("adapter.gguf", Path.GetFileName(Assert.Single(results).Path));
        Assert.Equal(["Modelfile", "adapter.gguf"], Directory.EnumerateFiles(_output).Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AModelAloneGivesAModelfileWithoutAnAdapterThatPassesThePromptThrough()
    {
        var results = GgufExport.Run(_output, _model, adapterDirectory: null, modelType: null);

        Assert.Equal(GgmlType.F32, Assert.Single(results).Type);
        var modelfile = File.ReadAllText(Path.Combine(_output, "Modelfile"));
        Assert.Equal(OllamaModelfile.Render("./model.gguf", null, null), modelfile);
        Assert.DoesNotContain("ADAPTER", modelfile, StringComparison.Ordinal);
        Assert.Contains("TEMPLATE \"\"\"{{ .Prompt }}\"\"\"", modelfile, StringComparison.Ordinal);
    }
}
