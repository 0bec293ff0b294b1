using System.Text.RegularExpressions;
using LoraBuild.Core.Gguf;
using LoraBuild.Engine.Tests.Checkpoints;

namespace LoraBuild.Cli.Tests.Commands;

public sealed partial class ExportCommandTests : IDisposable
{
    private readonly TinyCheckpoint _checkpoint = new();
    private readonly TinyAdapter _adapter;
    private readonly string _output = Path.Combine(Path.GetTempPath(), "lorabuild-export-" + Guid.NewGuid().ToString("N"));

    public ExportCommandTests() => _adapter = new TinyAdapter(_checkpoint);

    public void Dispose()
    {
        _adapter.Dispose();
        _checkpoint.Dispose();
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public void AModelIsWrittenAsModelGgufWithAModelfile()
    {
        var (exitCode, output, error) = CliRun.Invoke("export", "--model", _checkpoint.Directory, "--output", _output);

        Assert.True(exitCode == 0, error);
        Assert.Equal(["Modelfile", "model.gguf"], FilesInOutput());
        Assert.Contains("llama, f32, 20 tensors", output, StringComparison.Ordinal);
        Assert.Equal("model", GgufReader.Read(Path.Combine(_output, "model.gguf")).Get("general.type").AsString());
        Assert.Contains("FROM ./model.gguf\n", File.ReadAllText(Path.Combine(_output, "Modelfile")), StringComparison.Ordinal);
    }

    [Fact]
    public void AModelAndAnAdapterAreWrittenWithAModelfileNamingBoth()
    {
        var (exitCode, output, error) = CliRun.Invoke("export", "--model", _checkpoint.Directory, "--adapter", _adapter.Directory, "--output", _output, "--type", "f16");

        Assert.True(exitCode == 0, error);
        Assert.Equal(["Modelfile", "adapter.gguf", "model.gguf"], FilesInOutput());
        Assert.Contains("llama, f16, 20 tensors", output, StringComparison.Ordinal);
        Assert.Contains("LoRA adapter, 14 layers, alpha 8", output, StringComparison.Ordinal);
        Assert.Equal("adapter", GgufReader.Read(Path.Combine(_output, "adapter.gguf")).Get("general.type").AsString());
        var modelfile = File.ReadAllText(Path.Combine(_output, "Modelfile"));
        Assert.Contains("FROM ./model.gguf\n", modelfile, StringComparison.Ordinal);
        Assert.Contains("ADAPTER ./adapter.gguf\n", modelfile, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeNoneWritesOnlyTheAdapter()
    {
        var (exitCode, _, error) = CliRun.Invoke("export", "--model", _checkpoint.Directory, "--adapter", _adapter.Directory, "--output", _output, "--type", "none");

        Assert.True(exitCode == 0, error);
        Assert.Equal(["Modelfile", "adapter.gguf"], FilesInOutput());
    }

    [Fact]
    public void AnAdapterAloneIsExportedOnTheBaseItRecords()
    {
        var (exitCode, _, error) = CliRun.Invoke("export", "--adapter", _adapter.Directory, "--output", _output);

        Assert.True(exitCode == 0, error);
        Assert.Equal(["Modelfile", "adapter.gguf"], FilesInOutput());
    }

    [Theory]
    [InlineData("LORA4200", "--format", "onnx")]
    [InlineData("LORA1021", "--model", "/no/such/model")]
    [InlineData("LORA1021", "--adapter", "/no/such/adapter")]
    [InlineData("LORA4201", "--type", "q4")]
    public void BadArgumentsAreOneCodedErrorAndWriteNothing(string code, string option, string value)
    {
        var args = new List<string> { "export", "--model", _checkpoint.Directory, "--output", _output };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        AssertOneError(code, CliRun.Invoke([.. args]));
        Assert.False(Directory.Exists(_output));
    }

    [Fact]
    public void NeitherModelNorAdapterIsLora1020()
    {
        AssertOneError("LORA1020", CliRun.Invoke("export", "--output", _output));
        Assert.False(Directory.Exists(_output));
    }

    [Fact]
    public void TypeNoneWithoutAnAdapterIsLora4201()
    {
        AssertOneError("LORA4201", CliRun.Invoke("export", "--model", _checkpoint.Directory, "--output", _output, "--type", "none"));
        Assert.False(Directory.Exists(_output));
    }

    [Fact]
    public void AnAdapterWhoseBaseCannotBeFoundIsLora4206()
    {
        using var hubAdapter = new TinyAdapter(_checkpoint, baseModelNameOrPath: "example-org/not-a-folder");

        AssertOneError("LORA4206", CliRun.Invoke("export", "--adapter", hubAdapter.Directory, "--output", _output));
        Assert.False(File.Exists(Path.Combine(_output, "adapter.gguf")));
    }

    [Fact]
    public void ANonEmptyOutputIsKeptUnlessForced()
    {
        Directory.CreateDirectory(_output);
        File.WriteAllText(Path.Combine(_output, "notes.txt"), "keep me");

        var refused = CliRun.Invoke("export", "--model", _checkpoint.Directory, "--output", _output);

        AssertOneError("LORA1023", refused);
        Assert.Contains($"{_output}: error LORA1023:", refused.Error, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], FilesInOutput());

        var forced = CliRun.Invoke("export", "--model", _checkpoint.Directory, "--output", _output, "--force");

        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Equal(["Modelfile", "model.gguf", "notes.txt"], FilesInOutput());
    }

    [Fact]
    public void AnOutputThatIsTheModelFolderIsRefusedEvenWhenForced()
    {
        var before = Directory.EnumerateFileSystemEntries(_checkpoint.Directory).Order(StringComparer.Ordinal).ToList();

        AssertOneError("LORA1024", CliRun.Invoke("export", "--model", _checkpoint.Directory, "--output", _checkpoint.Directory, "--force"));

        Assert.Equal(before, Directory.EnumerateFileSystemEntries(_checkpoint.Directory).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnOutputThatHoldsTheAdapterIsRefusedEvenWhenForced()
    {
        // The adapter moves into the output-to-be, so that a broken check could only lose this test's own folder.
        Directory.CreateDirectory(_output);
        var nestedAdapter = Path.Combine(_output, "adapter");
        Directory.Move(_adapter.Directory, nestedAdapter);

        AssertOneError("LORA1024", CliRun.Invoke("export", "--model", _checkpoint.Directory, "--adapter", nestedAdapter, "--output", _output, "--force"));

        Assert.True(File.Exists(Path.Combine(nestedAdapter, "adapter_config.json")));
        Assert.Equal(["adapter"], Directory.EnumerateFileSystemEntries(_output).Select(entry => Path.GetFileName(entry)));
    }

    private static void AssertOneError(string code, (int ExitCode, string Output, string Error) run)
    {
        Assert.Equal(1, run.ExitCode);
        Assert.Equal([code], ErrorCode().Matches(run.Output + run.Error).Select(match => match.Value));
        Assert.Contains($"error {code}:", run.Error, StringComparison.Ordinal);
    }

    private List<string> FilesInOutput() =>
        [.. Directory.EnumerateFiles(_output).Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)];

    [GeneratedRegex("LORA[0-9]{4}", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorCode();
}
