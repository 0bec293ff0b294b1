using LoraBuild.Core.Manifests;
using LoraBuild.Engine.Tests.Jobs;

namespace LoraBuild.Cli.Tests.Commands;

public class TrainCommandTests
{
    [Theory]
    [InlineData("chatml", true)]
    [InlineData("zephyr", false)]
    public void AChatTemplateWhoseEndMarkerIsNoStopTokenOfTheModelIsAWarning(string template, bool warned)
    {
        // The chat example on the tiny model: ChatML's <|im_end|> is no token of its vocabulary; Zephyr ends with its eos </s>.
        var folder = Directory.CreateTempSubdirectory("lorabuild-chat-").FullName;
        try
        {
            var example = CliRun.RepositoryFile("examples", "SupportChat");
            Directory.CreateDirectory(Path.Combine(folder, "data"));
            File.Copy(Path.Combine(example, "data", "train.jsonl"), Path.Combine(folder, "data", "train.jsonl"));
            File.WriteAllLines(Path.Combine(folder, "data", "eval.jsonl"), File.ReadAllLines(Path.Combine(example, "data", "eval.jsonl")).Take(2));
            var spec = File.ReadAllText(Path.Combine(example, "lora.json"))
                .Replace("\"zephyr\"", $"\"{template}\"", StringComparison.Ordinal)
                .Replace("\"../models/tiny\"", System.Text.Json.JsonSerializer.Serialize(CliRun.RepositoryFile("examples", "models", "tiny")), StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(folder, "lora.json"), spec);

            var (exitCode, _, error) = CliRun.Invoke("train", folder, "--max-steps", "1", "--lock-file", Path.Combine(folder, "training.lock"));

            Assert.True(exitCode == 0, error);
            if (warned)
            {
                Assert.Contains($"{Path.Combine(folder, "data", "train.jsonl")}: warning LORA3061: The chat template 'chatml' ends each answer with '<|im_end|>'", error, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("LORA3061", error, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TrainingAProjectFolderWritesTheAdapterAndPrintsTheSummary()
    {
        using var project = new TinyProject();

        var (exitCode, output, error) = CliRun.Invoke("train", project.Directory, "--output", project.Output(), "--max-steps", "2");

        Assert.True(exitCode == 0, error);
        Assert.True(File.Exists(Path.Combine(project.Output(), "adapter_model.safetensors")));
        Assert.Equal(2, TrainingManifestJson.ReadFile(Path.Combine(project.Output(), TrainingManifest.FileName)).Metrics.Train["steps"]);
        Assert.Contains("step 2/2", output, StringComparison.Ordinal);
        Assert.Contains("held-out metrics", output, StringComparison.Ordinal);
        Assert.Matches(@"exact_match +│ +[0-9.]+ │ +→ [0-9.]+ │", output);
        Assert.Matches(@"loss +│ +[0-9.]+ │ +→ [0-9.]+ │ +-[0-9.]+", output);
    }

    [Fact]
    public void FlagsOverrideTheSpec()
    {
        using var project = new TinyProject();

        var (exitCode, _, error) = CliRun.Invoke("train", project.SpecFile, "-o", project.Output(), "--max-steps", "1", "--rank", "2", "--targets", "all-linear", "--activation-checkpointing");

        Assert.True(exitCode == 0, error);
        var spec = TrainingManifestJson.ReadFile(Path.Combine(project.Output(), TrainingManifest.FileName)).Spec;
        Assert.Equal(2, spec.Rank);
        Assert.Equal("all-linear", spec.TargetModules);
        Assert.True(spec.ActivationCheckpointing);
    }

    [Fact]
    public void SophiaTrainsAndTheManifestRecordsTheSettingsItUsed()
    {
        using var project = new TinyProject();

        var (exitCode, _, error) = CliRun.Invoke(
            "train", project.SpecFile, "-o", project.Output(), "--max-steps", "2", "--optimizer", "sophia", "--rho", "0.03", "--hessian-update-interval", "1", "--beta2", "0.95");

        Assert.True(exitCode == 0, error);
        var manifest = TrainingManifestJson.ReadFile(Path.Combine(project.Output(), TrainingManifest.FileName));
        var spec = manifest.Spec;
        Assert.Equal(("sophia", 0.03, 1), (spec.Optimizer, spec.Rho, spec.HessianUpdateInterval));
        Assert.Equal((0.965, 0.95, 1e-15), (spec.Beta1, spec.Beta2, spec.Epsilon));
        Assert.Equal(2, manifest.Metrics.Train["steps"]);
    }

    /// <summary>A bad value given as a flag, its code, and the flag as typed, which the error must blame (the spec file is valid).</summary>
    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "LORA1002", ["--rank", "0"], "--rank" },
        { "LORA1002", ["-r", "0"], "-r" },
        { "LORA1003", ["--alpha", "-2"], "--alpha" },
        { "LORA1036", ["--dropout", "1"], "--dropout" },
        { "LORA1001", ["--targets", "q_proj,attention"], "--targets" },
        { "LORA1032", ["--optimizer", "sophia", "--rho", "0"], "--rho" },
        { "LORA1032", ["--optimizer", "lion", "--beta2", "1"], "--beta2" },
        { "LORA1032", ["--lr", "-1"], "--lr" },
        { "LORA1032", ["--learning-rate", "0"], "--learning-rate" },
        { "LORA1033", ["--optimizer", "adam"], "--optimizer" },
        { "LORA1033", ["--precision", "fp16"], "--precision" },
        { "LORA1034", ["--base-model", "no-such-model"], "--base-model" },
        { "LORA1033", ["--device", "gpu"], "--device" },
        { "LORA5008", ["--device", "cuda"], "--device" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadValuesGivenAsFlagsBlameTheFlagAndLeaveNoOutput(string code, string[] flags, string flag)
    {
        using var project = new TinyProject();

        var (exitCode, output, error) = CliRun.Invoke(["train", project.Directory, "-o", project.Output(), .. flags]);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"{flag}: error {code}:", line, StringComparison.Ordinal);
        Assert.DoesNotContain(project.SpecFile, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Loading the base model", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.Output()));
    }

    [Fact]
    public void ABadValueInTheSpecFileBlamesTheSpecFile()
    {
        using var project = new TinyProject("\"warmupSteps\": -1");

        var (exitCode, _, error) = CliRun.Invoke("train", project.Directory, "-o", project.Output(), "--rank", "2");

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"{project.SpecFile}: error LORA1032: 'warmupSteps'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void FullFineTuningInBf16FailsBeforeTheModelLoads()
    {
        using var project = new TinyProject("\"mode\": \"full\"");

        var fromFlag = CliRun.Invoke("train", project.Directory, "-o", project.Output(), "--precision", "bf16");
        File.WriteAllText(project.SpecFile, File.ReadAllText(project.SpecFile).Replace("\"mode\": \"full\"", "\"mode\": \"full\", \"precision\": \"bf16\"", StringComparison.Ordinal));
        var fromSpec = CliRun.Invoke("train", project.Directory, "-o", project.Output());

        Assert.Equal(1, fromFlag.ExitCode);
        Assert.StartsWith("--precision: error LORA3021:", fromFlag.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Loading the base model", fromFlag.Output, StringComparison.Ordinal);
        Assert.Equal(1, fromSpec.ExitCode);
        Assert.StartsWith($"{project.SpecFile}: error LORA3021:", fromSpec.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Loading the base model", fromSpec.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.Output()));
    }

    [Fact]
    public void AMalformedDatasetLineIsNamedByFileAndLine()
    {
        using var project = new TinyProject();
        File.AppendAllText(project.TrainData, "{ not json\n");

        var (exitCode, _, error) = CliRun.Invoke("train", project.Directory, "-o", project.Output());

        Assert.Equal(1, exitCode);
        Assert.Contains($"{project.TrainData}:13: error LORA1102:", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.Output()));
    }

    [Fact]
    public void AMissingBaseModelIsNamed()
    {
        using var project = new TinyProject();
        Directory.Delete(project.BaseModelDirectory, recursive: true);

        var (exitCode, _, error) = CliRun.Invoke("train", project.Directory, "-o", project.Output());

        Assert.Equal(1, exitCode);
        Assert.Contains("error LORA1034:", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.Output()));
    }

    [Fact]
    public void ATruncatedWeightsFileIsNamed()
    {
        using var project = new TinyProject();
        var weights = Path.Combine(project.BaseModelDirectory, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);

        var (exitCode, _, error) = CliRun.Invoke("train", project.Directory, "-o", project.Output());

        Assert.Equal(1, exitCode);
        Assert.Matches("model.safetensors.*error LORA20[0-2][0-9]:", error);
        Assert.False(Directory.Exists(project.Output()));
    }
}
