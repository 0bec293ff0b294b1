using System.Globalization;
using System.Text.RegularExpressions;

namespace LoraBuild.Cli.Tests.Commands;

public partial class PlanCommandTests
{
    private static readonly string Llama2Config = CliRun.RepositoryFile("examples", "configs", "llama-2-7b", "config.json");

    private static double Peak(string output)
    {
        var match = PeakLine().Match(output);
        Assert.True(match.Success, output);
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void TheStudysRunPrintsItsBreakdownAndPeak()
    {
        var (exitCode, output, error) = CliRun.Invoke(
            "plan", "--config", Llama2Config, "--rank", "8", "--alpha", "16", "--targets", "q_proj,v_proj", "--precision", "bf16", "--optimizer", "adamw");

        Assert.True(exitCode == 0, error);
        Assert.InRange(Peak(output), 21.33 * 0.9, 21.33 * 1.1);
        Assert.Contains("activations", output, StringComparison.Ordinal);
        Assert.Contains("optimizer state", output, StringComparison.Ordinal);
        Assert.True(output.IndexOf("optimizer state", StringComparison.Ordinal) < output.IndexOf("peak (predicted)", StringComparison.Ordinal), "the breakdown comes first");
        Assert.Contains("trainable parameters 4,194,304", output, StringComparison.Ordinal);
        Assert.Matches("A100 40 GB +│.*│ yes", output);
        Assert.Matches("T4 16 GB +│.*│ no", output);
    }

    [Fact]
    public void APhiThreeConfigPlansTheFusedAttentionLayerByDefault()
    {
        // Phi-3-mini-4k-instruct's config.json, as published: q, k and v are one layer, qkv_proj, so there is no q_proj.
        var folder = Directory.CreateTempSubdirectory("lorabuild-plan-").FullName;
        try
        {
            var config = Path.Combine(folder, "config.json");
            File.WriteAllText(config, """
                {"architectures": ["Phi3ForCausalLM"], "model_type": "phi3", "hidden_act": "silu", "hidden_size": 3072,
                 "intermediate_size": 8192, "max_position_embeddings": 4096, "num_attention_heads": 32, "num_hidden_layers": 32,
                 "num_key_value_heads": 32, "original_max_position_embeddings": 4096, "rms_norm_eps": 1e-05, "rope_scaling": null,
                 "rope_theta": 10000.0, "sliding_window": 2047, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 32064}
                """);

            var (exitCode, output, error) = CliRun.Invoke("plan", "--config", config);
            var named = CliRun.Invoke("plan", "--config", config, "--targets", "q_proj,v_proj");

            Assert.True(exitCode == 0, error);
            Assert.Contains("qkv_proj", output, StringComparison.Ordinal);
            Assert.Contains("trainable parameters 3,145,728", output, StringComparison.Ordinal); // 32 layers × r 8 × (3072 in + 9216 out)
            Assert.Equal(1, named.ExitCode);
            Assert.Contains("LORA1001", named.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Nf4AndSgdRunsArePredictedToo()
    {
        var (nf4Exit, nf4, _) = CliRun.Invoke("plan", "--config", Llama2Config, "--quantization", "nf4");
        var (sgdExit, sgd, _) = CliRun.Invoke("plan", "--config", Llama2Config, "--quantization", "nf4", "--double-quant", "false", "--optimizer", "sgd");

        Assert.Equal(0, nf4Exit);
        Assert.Equal(0, sgdExit);
        Assert.InRange(Peak(nf4), 14.18 * 0.9, 14.18 * 1.1);
        Assert.InRange(Peak(sgd), 14.15 * 0.9, 14.15 * 1.1);
        Assert.Contains("base weights, nf4", nf4, StringComparison.Ordinal);
    }

    [Fact]
    public void Fp4IsPlannedAsNf4IsBecauseItsBytesAreTheSame()
    {
        var (_, nf4, _) = CliRun.Invoke("plan", "--config", Llama2Config, "--quantization", "nf4");
        var (exitCode, fp4, _) = CliRun.Invoke("plan", "--config", Llama2Config, "--quantization", "fp4");

        Assert.Equal(0, exitCode);
        Assert.Equal(Peak(nf4), Peak(fp4));
        Assert.Contains("base weights, fp4", fp4, StringComparison.Ordinal);
        Assert.Contains("fp4 + double quantization", fp4, StringComparison.Ordinal);
    }

    [Fact]
    public void Int8IsPlannedBetweenNf4AndBf16()
    {
        var (_, nf4, _) = CliRun.Invoke("plan", "--config", Llama2Config, "--quantization", "nf4");
        var (_, bf16, _) = CliRun.Invoke("plan", "--config", Llama2Config);
        var (exitCode, int8, _) = CliRun.Invoke("plan", "--config", Llama2Config, "--quantization", "int8");

        Assert.Equal(0, exitCode);
        Assert.InRange(Peak(int8), Peak(nf4) + 1, Peak(bf16) - 1);
        Assert.Contains("base weights, int8", int8, StringComparison.Ordinal);
        Assert.DoesNotContain("double quantization", int8, StringComparison.Ordinal);
    }

    [Fact]
    public void APresetGivesTheSamePlanAsItsConfigFile()
    {
        var (_, fromFile, _) = CliRun.Invoke("plan", "--config", Llama2Config, "--checkpointing");
        var (exitCode, fromPreset, _) = CliRun.Invoke("plan", "--preset", "llama-2-7b", "--checkpointing");

        Assert.Equal(0, exitCode);
        Assert.Equal(Peak(fromFile), Peak(fromPreset));
    }

    [Fact]
    public void OnlyTheNamedGpusAreChecked()
    {
        var (exitCode, output, _) = CliRun.Invoke("plan", "--preset", "llama-2-7b", "--gpu", "rtx4090-24gb");

        Assert.Equal(0, exitCode);
        Assert.Contains("RTX 4090 24 GB", output, StringComparison.Ordinal);
        Assert.DoesNotContain("A100", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ListPresetsNamesEveryPreset()
    {
        var (exitCode, output, _) = CliRun.Invoke("plan", "--list-presets");

        Assert.Equal(0, exitCode);
        Assert.Contains("llama-3-8b", output, StringComparison.Ordinal);
        Assert.Contains("mistralai/Mistral-7B-v0.1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownPresetIsACodedError()
    {
        var (exitCode, output, error) = CliRun.Invoke("plan", "--preset", "gpt-5");

        Assert.Equal(1, exitCode);
        Assert.Contains("error LORA1400", error, StringComparison.Ordinal);
        Assert.DoesNotContain("peak", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownGpuIsACodedError()
    {
        var (exitCode, _, error) = CliRun.Invoke("plan", "--preset", "llama-2-7b", "--gpu", "voodoo2");

        Assert.Equal(1, exitCode);
        Assert.Contains("error LORA1406", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NamingNoModelIsACodedError()
    {
        var (exitCode, _, error) = CliRun.Invoke("plan", "--rank", "8");

        Assert.Equal(1, exitCode);
        Assert.Contains("error LORA1401", error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"peak \(predicted\) (\d+\.\d) GB")]
    private static partial Regex PeakLine();
}
