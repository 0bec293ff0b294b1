using System.Text.Json.Nodes;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.SafeTensors;
using LoraBuild.Engine.Tests.Checkpoints;
using static TorchSharp.torch;

namespace LoraBuild.Cli.Tests.Commands;

public sealed class MergeCommandTests : IDisposable
{
    private static readonly long[] s_ids = [298, 5, 17, 80, 260, 33, 9];

    private readonly TinyCheckpoint _checkpoint = new();
    private readonly TinyAdapter _adapter;
    private readonly string _output = Path.Combine(Path.GetTempPath(), "lorabuild-merged-" + Guid.NewGuid().ToString("N"));

    public MergeCommandTests() => _adapter = new TinyAdapter(_checkpoint);

    public void Dispose()
    {
        _adapter.Dispose();
        _checkpoint.Dispose();
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    private (int ExitCode, string Output, string Error) Merge(params string[] extra) =>
        CliRun.Invoke(["merge", "--model", _checkpoint.Directory, "--adapter", _adapter.Directory, "--output", _output, .. extra]);

    [Fact]
    public void TheMergedFolderGivesTheLogitsAndGreedyTextOfBasePlusAdapter()
    {
        var (exitCode, output, error) = Merge();

        Assert.True(exitCode == 0, error);
        Assert.Contains("Merged 14 LoRA layers (r=4, alpha=8", output, StringComparison.Ordinal);
        using (var merged = PretrainedModel.Load(_output))
        using (var adapted = PretrainedModel.Load(_checkpoint.Directory, adapterDirectory: _adapter.Directory))
        using (var scope = NewDisposeScope())
        {
            var ids = tensor(s_ids).unsqueeze(0);
            var expected = adapted.Model.ForwardLogits(ids).to_type(ScalarType.Float64);
            var actual = merged.Model.ForwardLogits(ids).to_type(ScalarType.Float64);
            var largestError = (actual - expected).abs().max().item<double>();
            Assert.True(largestError <= 1e-5 * expected.abs().max().item<double>(), $"largest difference {largestError:E3}");
        }

        string Generate(params string[] model) => CliRun.Invoke(["generate", .. model, "--prompt", "the order", "--max-new-tokens", "8"]).Output;
        Assert.Equal(Generate("--model", _checkpoint.Directory, "--adapter", _adapter.Directory), Generate("--model", _output));
        Assert.NotEqual(Generate("--model", _checkpoint.Directory), Generate("--model", _output));
    }

    [Fact]
    public void TheFolderHasTheBasesLayoutNamesConfigAndTokenizer()
    {
        Assert.Equal(0, Merge().ExitCode);

        using var baseWeights = SafeTensorsModel.Open(_checkpoint.Directory);
        using var mergedWeights = SafeTensorsModel.Open(_output);
        Assert.Equal(baseWeights.Tensors.Select(t => (t.Name, t.DType, string.Join(",", t.Shape))), mergedWeights.Tensors.Select(t => (t.Name, t.DType, string.Join(",", t.Shape))));
        Assert.Equal(File.ReadAllText(Path.Combine(_checkpoint.Directory, "config.json")), File.ReadAllText(Path.Combine(_output, "config.json")));
        Assert.All(
            ["tokenizer.json", "tokenizer_config.json", "generation_config.json"],
            file => Assert.Equal(File.ReadAllBytes(Path.Combine(_checkpoint.Directory, file)), File.ReadAllBytes(Path.Combine(_output, file))));
        Assert.False(File.Exists(Path.Combine(_output, "adapter_config.json")));
    }

    [Fact]
    public void Bfloat16WeightsAreWrittenAndConfigSaysSo()
    {
        var (exitCode, _, error) = Merge("--dtype", "bfloat16");

        Assert.True(exitCode == 0, error);
        using (var weights = SafeTensorsModel.Open(_output))
        {
            Assert.All(weights.Tensors, t => Assert.Equal(SafeTensorsDType.BF16, t.DType));
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_output, "config.json")))!;
        Assert.Equal("bfloat16", (string?)config["torch_dtype"]);
        Assert.Equal(2, (int?)config["num_hidden_layers"]);
        using var merged = PretrainedModel.Load(_output, ScalarType.BFloat16);
        Assert.Equal("bfloat16", merged.Config.TorchDtype);
    }

    [Fact]
    public void ANonEmptyOutputIsKeptUnlessForced()
    {
        Directory.CreateDirectory(_output);
        File.WriteAllText(Path.Combine(_output, "notes.txt"), "keep me");

        var refused = Merge();
        var forced = Merge("--force");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{_output}: error LORA1023:", refused.Error, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.False(File.Exists(Path.Combine(_output, "notes.txt")));
        Assert.True(File.Exists(Path.Combine(_output, "model.safetensors")));
    }

    [Fact]
    public void AnEmptyOutputFolderIsFine()
    {
        Directory.CreateDirectory(_output);

        Assert.Equal(0, Merge().ExitCode);
    }

    [Fact]
    public void AnOutputThatIsOrHoldsAnInputIsRefusedEvenWhenForced()
    {
        // The adapter moves into the output-to-be, so that a broken check could only lose this test's own folder.
        Directory.CreateDirectory(_output);
        var nestedAdapter = Path.Combine(_output, "adapter");
        Directory.Move(_adapter.Directory, nestedAdapter);

        var intoBase = CliRun.Invoke("merge", "--model", _checkpoint.Directory, "--adapter", nestedAdapter, "--output", _checkpoint.Directory, "--force");
        var aboveAdapter = CliRun.Invoke("merge", "--model", _checkpoint.Directory, "--adapter", nestedAdapter, "--output", _output, "--force");

        Assert.Contains("error LORA1024:", intoBase.Error, StringComparison.Ordinal);
        Assert.Contains("error LORA1024:", aboveAdapter.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_checkpoint.Directory, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(nestedAdapter, "adapter_config.json")));
    }

    [Theory]
    [InlineData("LORA1025", "--dtype", "fp8")]
    [InlineData("LORA1021", "--adapter", "/no/such/adapter")]
    public void BadArgumentsAreCodedErrors(string code, string option, string value)
    {
        var args = new List<string> { "merge", "--model", _checkpoint.Directory, "--adapter", _adapter.Directory, "--output", _output };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (exitCode, _, error) = CliRun.Invoke([.. args]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"error {code}:", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_output));
    }
}
