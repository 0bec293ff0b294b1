using System.Text.Json;
using LoraBuild.Core.Data;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.Manifests;
using LoraBuild.Engine.Tests.Checkpoints;
using LoraBuild.Engine.Tests.Jobs;

namespace LoraBuild.Cli.Tests.Commands;

public class GenerateCommandTests
{
    [Fact]
    public void GreedyGenerationPrintsTheSameContinuationEveryTime()
    {
        using var checkpoint = new TinyCheckpoint();

        var first = CliRun.Invoke("generate", "--model", checkpoint.Directory, "--prompt", "the order", "--max-new-tokens", "6");
        var second = CliRun.Invoke("generate", "--model", checkpoint.Directory, "--prompt", "the order", "--max-new-tokens", "6");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.False(string.IsNullOrWhiteSpace(first.Output));
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public void SamplingWithASeedIsRepeatableAndTheSeedMatters()
    {
        using var checkpoint = new TinyCheckpoint();
        string Sample(string seed) => CliRun.Invoke(
            "generate", "--model", checkpoint.Directory, "--prompt", "the", "--max-new-tokens", "12", "--temperature", "1.5", "--seed", seed).Output;

        Assert.Equal(Sample("1"), Sample("1"));
        Assert.NotEqual(Sample("1"), Sample("2"));
    }

    [Fact]
    public void AnAdapterWithBAtZeroGeneratesWhatTheBaseDoesAndATrainedOneSomethingElse()
    {
        using var checkpoint = new TinyCheckpoint();
        using var zero = new TinyAdapter(checkpoint, trained: false);
        using var trained = new TinyAdapter(checkpoint);
        (int ExitCode, string Output, string Error) Generate(params string[] adapter) => CliRun.Invoke(
            ["generate", "--model", checkpoint.Directory, "--prompt", "the order", "--max-new-tokens", "8", .. adapter]);

        var plain = Generate();
        var withZero = Generate("--adapter", zero.Directory);
        var withTrained = Generate("--adapter", trained.Directory);

        Assert.True(withTrained.ExitCode == 0, withTrained.Error);
        Assert.Equal(plain.Output, withZero.Output);
        Assert.NotEqual(plain.Output, withTrained.Output);
        Assert.Equal(string.Empty, withTrained.Error);
    }

    [Fact]
    public void AnAdapterForAnotherBaseIsAWarningOnStandardError()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint, baseModelNameOrPath: "acme/other-model");

        var (exitCode, output, error) = CliRun.Invoke(
            "generate", "--model", checkpoint.Directory, "--adapter", adapter.Directory, "--prompt", "the order", "--max-new-tokens", "3");

        Assert.Equal(0, exitCode);
        Assert.Contains("warning: The adapter was trained on 'acme/other-model'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingAdapterFolderIsACodedError()
    {
        using var checkpoint = new TinyCheckpoint();

        var (exitCode, _, error) = CliRun.Invoke("generate", "--model", checkpoint.Directory, "--adapter", "/no/such/adapter", "--prompt", "hi");

        Assert.Equal(1, exitCode);
        Assert.Contains("/no/such/adapter: error LORA1021:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingModelIsACodedError()
    {
        var (exitCode, _, error) = CliRun.Invoke("generate", "--model", "/no/such/model", "--prompt", "hi");

        Assert.Equal(1, exitCode);
        Assert.Contains("/no/such/model: error LORA1021:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOutOfRangeSamplingSettingIsACodedError()
    {
        using var checkpoint = new TinyCheckpoint();

        var (exitCode, _, error) = CliRun.Invoke("generate", "--model", checkpoint.Directory, "--prompt", "hi", "--top-p", "1.5");

        Assert.Equal(1, exitCode);
        Assert.Contains("LORA2038", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyPromptIsRefusedWithItsCode()
    {
        var (exitCode, _, error) = CliRun.Invoke("generate", "--model", CliRun.RepositoryFile("examples", "models", "tiny"), "--prompt", "");

        Assert.Equal(1, exitCode);
        Assert.Contains("--prompt: error LORA1022:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingModelFolderIsTheSameCodeAsInInspect()
    {
        var missing = Path.Combine(Path.GetTempPath(), "lorabuild-no-such-model-" + Guid.NewGuid().ToString("N"));

        var generate = CliRun.Invoke("generate", "--model", missing, "--prompt", "x");
        var inspect = CliRun.Invoke("inspect", missing);

        Assert.Contains($"{missing}: error LORA1021:", generate.Error, StringComparison.Ordinal);
        Assert.Contains($"{missing}: error LORA1021:", inspect.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("nf4")]
    public void AnAdaptersAnswerToAHeldOutInputIsTheAnswerItsEvaluationGave(string quantization)
    {
        using var project = new TinyProject();
        var train = CliRun.Invoke("train", project.Directory, "-o", project.Output(), "--max-steps", "4", "--quantization", quantization);
        Assert.True(train.ExitCode == 0, train.Error);
        var manifest = TrainingManifestJson.ReadFile(Path.Combine(project.Output(), TrainingManifest.FileName));
        var samples = EvalOutputsJson.ReadFile(Path.Combine(project.Output(), EvalOutputs.FileName)).Samples;
        var records = File.ReadAllLines(project.EvalData).Select(line => JsonDocument.Parse(line).RootElement).ToList();

        Assert.Equal("refund the order", manifest.Prompt?.Instruction);
        for (var i = 0; i < records.Count; i++)
        {
            var input = records[i].GetProperty("input").GetString()!;
            var byInput = CliRun.Invoke("generate", "--adapter", project.Output(), "--input", input, "--max-new-tokens", "4");
            var byPrompt = CliRun.Invoke("generate", "--adapter", project.Output(), "--prompt", input, "--max-new-tokens", "4");
            var byBoth = CliRun.Invoke("generate", "-a", project.Output(), "--instruction", "refund the order", "--input", input, "--max-new-tokens", "4");

            Assert.True(byInput.ExitCode == 0, byInput.Error);
            Assert.Equal(samples[i].After.Output + Environment.NewLine, byInput.Output);
            Assert.Equal(byInput.Output, byPrompt.Output);
            Assert.Equal(byInput.Output, byBoth.Output);
        }
    }

    [Fact]
    public void RawSendsThePromptAsItIsSoOnlyTheWholeTemplateGivesTheTemplatedAnswer()
    {
        using var project = new TinyProject();
        Assert.Equal(0, CliRun.Invoke("train", project.Directory, "-o", project.Output(), "--max-steps", "2").ExitCode);

        var templated = CliRun.Invoke("generate", "--adapter", project.Output(), "--prompt", "order 100", "--max-new-tokens", "4");
        var wholeTemplate = CliRun.Invoke(
            "generate", "--adapter", project.Output(), "--raw", "--prompt", AlpacaTemplate.Prompt("refund the order", "order 100"), "--max-new-tokens", "4");
        var bare = CliRun.Invoke("generate", "--adapter", project.Output(), "--raw", "--prompt", "order 100", "--max-new-tokens", "4");

        Assert.True(templated.ExitCode == 0, templated.Error);
        Assert.Equal(templated.Output, wholeTemplate.Output);
        Assert.True(bare.ExitCode == 0, bare.Error);
    }

    public static TheoryData<string[], string, string> BadPromptFlags => new()
    {
        { ["--raw", "--input", "x"], "--input", "LORA1027" },
        { ["--instruction", "x", "--message", "y"], "--message", "LORA1027" },
        { ["--prompt", "x", "--input", "y"], "--prompt", "LORA1027" },
        { ["--message", "hello"], "--message", "LORA1360" },
        { ["--system", "be brief", "--prompt", "hello"], "--system", "LORA1360" },
    };

    [Theory]
    [MemberData(nameof(BadPromptFlags))]
    public void PromptFlagsThatDoNotFitAreCodedErrorsNamingTheFlag(string[] flags, string flag, string code)
    {
        using var project = new TinyProject();
        Assert.Equal(0, CliRun.Invoke("train", project.Directory, "-o", project.Output(), "--max-steps", "1").ExitCode);

        var (exitCode, _, error) = CliRun.Invoke(["generate", "--adapter", project.Output(), "--max-new-tokens", "2", .. flags]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"{flag}: error {code}:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInputWithoutAnInstructionToFillInIsACodedErrorNamingTheInstruction()
    {
        using var project = new TinyProject();
        File.WriteAllLines(project.TrainData, File.ReadAllLines(project.TrainData).Select((line, i) => line.Replace("refund the order", $"task {i % 2}", StringComparison.Ordinal)));
        Assert.Equal(0, CliRun.Invoke("train", project.Directory, "-o", project.Output(), "--max-steps", "1").ExitCode);

        var missing = CliRun.Invoke("generate", "--adapter", project.Output(), "--input", "order 100", "--max-new-tokens", "2");
        var asInstruction = CliRun.Invoke("generate", "--adapter", project.Output(), "--prompt", "task 1", "--max-new-tokens", "2");
        var given = CliRun.Invoke("generate", "--adapter", project.Output(), "--instruction", "task 1", "--max-new-tokens", "2");

        Assert.Null(TrainingManifestJson.ReadFile(Path.Combine(project.Output(), TrainingManifest.FileName)).Prompt);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("--instruction: error LORA1361:", missing.Error, StringComparison.Ordinal);
        Assert.True(asInstruction.ExitCode == 0, asInstruction.Error);
        Assert.Equal(given.Output, asInstruction.Output);
    }

    [Fact]
    public void WithoutAModelOrAnAdapterTheModelIsAskedFor()
    {
        var (exitCode, _, error) = CliRun.Invoke("generate", "--prompt", "hi");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("--model: error LORA1020:", error, StringComparison.Ordinal);
    }
}
