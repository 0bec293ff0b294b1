using LoraBuild.Core.Comparison;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Comparison;

public class ComparisonTableTests
{
    private static readonly ComparedAdapter s_allLinear = new("/x/all-linear", Manifests.Of(
        "AllLinear",
        train: Train(trainable: 98304, wall: 61.24, tokens: 1450.4, memory: 300 << 20, loss: 0.41234),
        before: new() { ["loss"] = 3.2, ["exact_match"] = 0, ["samples"] = 16, ["target_tokens"] = 120, ["batches"] = 2 },
        after: new() { ["loss"] = 0.9, ["exact_match"] = 0.875, ["rouge_l"] = 0.91, ["samples"] = 16, ["target_tokens"] = 120, ["batches"] = 2 },
        spec: new TrainingSpec { Rank = 16, Alpha = 32, TargetModules = "all-linear", Epochs = 3 }));

    private static readonly ComparedAdapter s_qv = new("/x/qv", Manifests.Of(
        "QvOnly",
        train: Train(trainable: 24576, wall: 40, tokens: 2000, memory: 250 << 20, loss: 0.8),
        before: new() { ["loss"] = 3.2, ["exact_match"] = 0 },
        after: new() { ["loss"] = 1.5, ["exact_match"] = 0.5 },
        spec: new TrainingSpec { Rank = 16, Alpha = 32, TargetModules = "q_proj,v_proj", Optimizer = "sgd", Scheduler = "constant", Epochs = 3 }));

    [Fact]
    public void RowsHoldSettingsCostAndMetricsInNameOrder()
    {
        var table = ComparisonTable.Create([s_qv, s_allLinear]);

        Assert.Equal(
            ["name", "targets", "r", "alpha", "optimizer", "scheduler", "epochs", "trainable params", "wall time", "tokens/s", "peak memory", "final train loss", "eval loss before → after", "exact_match", "rouge_l"],
            table.Columns.Select(c => c.Header));
        Assert.Equal(
            ["AllLinear", "all-linear", "16", "32", "adamw", "cosine", "3", "98,304", "61.2 s", "1450", "300 MiB", "0.4123", "3.2000 → 0.9000", "0.875", "0.91"],
            table.Rows[0]);
        Assert.Equal(
            ["QvOnly", "q_proj,v_proj", "16", "32", "sgd", "constant", "3", "24,576", "40.0 s", "2000", "250 MiB", "0.8000", "3.2000 → 1.5000", "0.5", "–"],
            table.Rows[1]);
    }

    [Fact]
    public void SortingByAColumnIsNumericWithMissingValuesLast()
    {
        Assert.Equal(["QvOnly", "AllLinear"], ComparisonTable.Create([s_allLinear, s_qv], "params").Rows.Select(r => r[0]));
        Assert.Equal(["AllLinear", "QvOnly"], ComparisonTable.Create([s_qv, s_allLinear], "EXACT_MATCH", descending: true).Rows.Select(r => r[0]));
        Assert.Equal(["AllLinear", "QvOnly"], ComparisonTable.Create([s_qv, s_allLinear], "rouge_l", descending: true).Rows.Select(r => r[0]));
        Assert.Equal(["AllLinear", "QvOnly"], ComparisonTable.Create([s_qv, s_allLinear], "rouge_l").Rows.Select(r => r[0]));
    }

    [Fact]
    public void AnUnknownSortColumnListsTheColumns()
    {
        var error = Assert.Throws<LoraException>(() => ComparisonTable.Create([s_qv], "speed"));

        Assert.Equal(ComparisonErrorCodes.SortColumnUnknown, error.Code);
        Assert.Contains("tokens-per-second", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdaptersOfOneNameAreToldApartByFolder()
    {
        var seed42 = new ComparedAdapter("/study/seed-42", Manifests.Of("T", 42));
        var seed43 = new ComparedAdapter("/study/seed-43", Manifests.Of("T", 43));

        Assert.Equal(["T (seed-42)", "T (seed-43)"], ComparisonTable.Create([seed43, seed42]).Rows.Select(r => r[0]));
    }

    [Fact]
    public void TheMarkdownTableRightAlignsNumbersAndEscapesPipes()
    {
        var odd = new ComparedAdapter("/x/odd", Manifests.Of("Odd", spec: new TrainingSpec { TargetModules = "re:.*(q|v)_proj" }));

        var markdown = ComparisonMarkdown.Render(ComparisonTable.Create([odd]));

        Assert.Equal(
            "| name | targets | r | alpha | optimizer | scheduler | epochs | trainable params | wall time | tokens/s | peak memory | final train loss | eval loss before → after |\n" +
            "| --- | --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n" +
            "| Odd | re:.*(q\\|v)_proj | 8 | 16 | adamw | cosine | 1 | – | – | – | – | – | – |\n",
            markdown);
    }

    private static Dictionary<string, double> Train(double trainable, double wall, double tokens, double memory, double loss) => new()
    {
        ["trainable_parameters"] = trainable,
        ["wall_seconds"] = wall,
        ["tokens_per_second"] = tokens,
        ["peak_memory_bytes"] = memory,
        ["loss_final"] = loss,
    };
}
