using System.Text.Json.Nodes;
using LoraBuild.Core.Comparison;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Comparison;

/// <summary>The table as CSV and JSON (every column, raw values), and which columns fit a terminal.</summary>
public class ComparisonFormatsTests
{
    private static readonly ComparedAdapter s_wide = new("/runs/a,b \"quoted\"", Manifests.Of(
        "Wide",
        train: new() { ["trainable_parameters"] = 98304, ["wall_seconds"] = 61.25, ["tokens_per_second"] = 1450.5, ["peak_memory_bytes"] = 300 << 20, ["loss_final"] = 0.4 },
        before: new() { ["loss"] = 3.2, ["exact_match"] = 0 },
        after: new() { ["loss"] = 0.9, ["exact_match"] = 0.875, ["a_very_long_metric_name_that_takes_room"] = 0.5 },
        spec: new TrainingSpec { Rank = 16, Alpha = 32, TargetModules = "all-linear", Epochs = 3 }));

    private static readonly ComparedAdapter s_partial = new("/runs/partial", Manifests.Of(
        "Partial",
        before: new() { ["exact_match"] = 0 },
        after: new() { ["exact_match"] = 0.5 },
        spec: new TrainingSpec { Rank = 8, Alpha = 16, TargetModules = "q_proj,v_proj", Epochs = 1 }));

    [Fact]
    public void CsvHasEveryColumnKeyRawNumbersEmptyMissingValuesAndQuotedText()
    {
        var table = ComparisonTable.Create([s_wide, s_partial]);

        var lines = ComparisonCsv.Render(table).Split("\r\n");

        Assert.Equal(
            "folder,name,targets,r,alpha,optimizer,scheduler,epochs,params,wall,tokens-per-second,memory,train-loss,eval-loss-before,eval-loss,a_very_long_metric_name_that_takes_room,exact_match",
            lines[0]);
        Assert.Equal("/runs/partial,Partial,\"q_proj,v_proj\",8,16,adamw,cosine,1,,,,,,,,,0.5", lines[1]);
        Assert.Equal("\"/runs/a,b \"\"quoted\"\"\",Wide,all-linear,16,32,adamw,cosine,3,98304,61.25,1450.5,314572800,0.4,3.2,0.9,0.5,0.875", lines[2]);
        Assert.Equal(string.Empty, lines[3]);
    }

    [Fact]
    public void JsonHasOneObjectPerAdapterWithNumbersAsNumbersAndMissingAsNull()
    {
        var table = ComparisonTable.Create([s_wide, s_partial], sort: "exact_match", descending: true);

        var rows = JsonNode.Parse(ComparisonJson.Render(table))!.AsArray();

        Assert.Equal(2, rows.Count);
        Assert.Equal("Wide", (string?)rows[0]!["name"]);
        Assert.Equal(0.875, (double)rows[0]!["exact_match"]!);
        Assert.Equal(3.2, (double)rows[0]!["eval-loss-before"]!);
        Assert.Equal(0.9, (double)rows[0]!["eval-loss"]!);
        Assert.Equal(314572800, (double)rows[0]!["memory"]!);
        Assert.Null(rows[1]!["params"]);
        Assert.Equal("q_proj,v_proj", (string?)rows[1]!["targets"]);
    }

    [Fact]
    public void AWideTableKeepsTheNameAndResultsAndNamesTheColumnsItLeavesOut()
    {
        var table = ComparisonTable.Create([s_wide, s_partial]);
        var full = ComparisonFit.Width(table);

        var (allShown, noneOmitted) = ComparisonFit.Columns(table, full);
        var (shown, omitted) = ComparisonFit.Columns(table, 80);

        Assert.Equal(table.Columns.Count, allShown.Count);
        Assert.Empty(noneOmitted);
        Assert.True(full > 80, $"the sample table is {full} characters wide");
        // Room goes to the name, then the metrics, then the loss (too wide here), then settings by importance.
        Assert.Equal(["name", "r", "alpha", "a_very_long_metric_name_that_takes_room", "exact_match"], shown.Select(c => c.Key));
        Assert.Contains(omitted, c => c.Key == "scheduler");
        Assert.Equal(table.Columns.Count, shown.Count + omitted.Count);
        Assert.True(1 + shown.Sum(c => Width(table, c) + ComparisonFit.ColumnOverhead) <= 80, "the shown columns fit");
    }

    [Fact]
    public void TheSortColumnIsKeptRightAfterTheName()
    {
        var table = ComparisonTable.Create([s_wide, s_partial], sort: "scheduler");

        var (shown, _) = ComparisonFit.Columns(table, 60, sortKey: "scheduler");

        Assert.Contains(shown, c => c.Key == "name");
        Assert.Contains(shown, c => c.Key == "scheduler");
    }

    [Fact]
    public void ANarrowTerminalStillShowsTheName()
    {
        var (shown, omitted) = ComparisonFit.Columns(ComparisonTable.Create([s_wide]), 5);

        Assert.Equal("name", Assert.Single(shown).Key);
        Assert.NotEmpty(omitted);
    }

    private static int Width(ComparisonTable table, ComparisonColumn column)
    {
        var index = table.Columns.ToList().IndexOf(column);
        return Math.Max(column.Header.Length, table.Rows.Max(r => r[index].Length));
    }
}
