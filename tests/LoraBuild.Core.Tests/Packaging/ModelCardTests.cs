using LoraBuild.Core.Packaging;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Packaging;

public class ModelCardTests
{
    private static readonly string[] s_lineSeparators = ["\n"];

    private static string Card() => ModelCard.Render(PackagedManifest.From(SampleManifests.SupportTriage()), "SupportTriage", "Contoso.SupportTriage", "1.2.0");

    private static string[] Lines(string card) => card.Split(s_lineSeparators, StringSplitOptions.None);

    [Fact]
    public void TheCardNamesTheBaseModelTheFingerprintAndHowToReferenceThePackage()
    {
        var card = Card();

        Assert.StartsWith("# SupportTriage\n\nA LoRA adapter for the base model `tiny`, trained by LoraBuild 0.1.0 (TorchSharp 0.107.0, libtorch 2.10.0, cpu, 2 threads).\n", card, StringComparison.Ordinal);
        Assert.Contains("Fingerprint: `3f9a" + new string('0', 60) + "`", card, StringComparison.Ordinal);
        Assert.Contains("<PackageReference Include=\"Contoso.SupportTriage\" Version=\"1.2.0\" />", card, StringComparison.Ordinal);
        Assert.Contains("`tiny`, a model folder of the project that trained the adapter, not on the Hub: its files are the ones below", card, StringComparison.Ordinal);
        Assert.DoesNotContain("../models", card, StringComparison.Ordinal);
    }

    [Fact]
    public void BaseModelFilesAndDataAreListedWithTheirHashesInOrdinalOrder()
    {
        var lines = Lines(Card());

        var config = Array.IndexOf(lines, $"| `config.json` | `{new string('d', 64)}` |");
        var weights = Array.IndexOf(lines, $"| `model.safetensors` | `{new string('c', 64)}` |");
        Assert.True(config > 0 && weights == config + 1, "config.json comes right before model.safetensors");
        Assert.Contains($"| train | `data/train.jsonl` | alpaca | `{new string('1', 64)}` |", lines);
        Assert.Contains($"| eval | `data/eval.jsonl` | alpaca | `{new string('2', 64)}` |", lines);
    }

    [Fact]
    public void SettingsAndMetricsAreTables()
    {
        var lines = Lines(Card());

        Assert.Contains("| Rank | 16 |", lines);
        Assert.Contains("| Alpha | 32 |", lines);
        Assert.Contains("| LearningRate | 0.002 |", lines);
        Assert.Contains("| TargetModules | `all-linear` |", lines);
        Assert.Contains("| loss_final | 1.125 |", lines);
        Assert.Contains("| exact_match | 0 | 0.75 |", lines);
        Assert.Contains("| loss | 3.01 | 0.98 |", lines);
    }

    [Fact]
    public void APackagedCardHoldsNoMachineTimings()
    {
        var card = Card();

        Assert.DoesNotContain("wall_seconds", card, StringComparison.Ordinal);
        Assert.DoesNotContain("tokens_per_second", card, StringComparison.Ordinal);
        Assert.DoesNotContain("peak_memory_bytes", card, StringComparison.Ordinal);
    }

    [Fact]
    public void AHubModelIsNamedByIdAndRevisionAndAFullFineTuneIsNotCalledAnAdapter()
    {
        var manifest = SampleManifests.SupportTriage() with { };
        manifest = manifest with
        {
            Spec = manifest.Spec with { Mode = TrainingModes.Full, BaseModel = new BaseModelReference { HubId = "meta-llama/Llama-2-7b-hf", Revision = "main" } },
        };

        var card = ModelCard.Render(manifest, "Full");

        Assert.Contains("A fine-tuned checkpoint for the base model `meta-llama/Llama-2-7b-hf`", card, StringComparison.Ordinal);
        Assert.Contains("Hub id `meta-llama/Llama-2-7b-hf`, revision `main`.", card, StringComparison.Ordinal);
        Assert.DoesNotContain("| Rank |", card, StringComparison.Ordinal);
        Assert.DoesNotContain("## Use", card, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameManifestGivesTheSameCard() => Assert.Equal(Card(), Card());

    [Fact]
    public void ACardLinksTheReportAndShowsTheChartsThatArePacked()
    {
        var manifest = PackagedManifest.From(SampleManifests.SupportTriage());

        var inside = ModelCard.Render(manifest, "SupportTriage", reportFiles: AdapterPackageLayout.ReportFiles);
        var atRoot = ModelCard.Render(manifest, "SupportTriage", reportFiles: [AdapterPackageLayout.ReportFileName, AdapterPackageLayout.LossCurveFileName], reportLinkPrefix: "lora/SupportTriage/");

        Assert.Contains("\n## Report\n\n[The evaluation report](report.md)", inside, StringComparison.Ordinal);
        Assert.Contains("![Train and eval loss and the learning rate](loss_curve.png)", inside, StringComparison.Ordinal);
        Assert.Contains("![Held-out metrics before and after](metrics.png)", inside, StringComparison.Ordinal);
        Assert.Contains("[`eval_outputs.json`](eval_outputs.json), [`training_history.json`](training_history.json).", inside, StringComparison.Ordinal);
        Assert.Contains("(lora/SupportTriage/loss_curve.png)", atRoot, StringComparison.Ordinal);
        Assert.DoesNotContain("metrics.png", atRoot, StringComparison.Ordinal);
        Assert.DoesNotContain("## Report", Card(), StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheReportFilesPresentInTheFolderArePacked()
    {
        var folder = Directory.CreateTempSubdirectory("lorabuild-layout-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, AdapterPackageLayout.ReportFileName), "# report\n");
            File.WriteAllText(Path.Combine(folder, "eval_outputs.json"), "{}\n");

            Assert.Equal(["eval_outputs.json", AdapterPackageLayout.ReportFileName], AdapterPackageLayout.ReportFilesIn(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
