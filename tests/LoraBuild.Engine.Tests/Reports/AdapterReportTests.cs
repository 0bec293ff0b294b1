using LoraBuild.Core.Packaging;
using LoraBuild.Engine.Reports;

namespace LoraBuild.Engine.Tests.Reports;

public class AdapterReportTests
{
    [Fact]
    public void TheReportHoldsEveryMetricBeforeAndAfterAndLinksTheCharts()
    {
        var report = AdapterReport.Render(ReportSamples.Input(ReportSamples.History()), hasLossCurve: true, hasMetricsChart: true);

        Assert.StartsWith("# Tiny: evaluation report\n", report, StringComparison.Ordinal);
        Assert.Contains("| exact_match | 0 | 0.5 | +0.5 |", report, StringComparison.Ordinal);
        Assert.Contains("| loss | 3.5 | 0.75 | -2.75 |", report, StringComparison.Ordinal);
        Assert.Contains("| perplexity | 33.1 | 2.117 | -30.98 |", report, StringComparison.Ordinal);
        Assert.Contains("| samples | 2 | 2 | – |", report, StringComparison.Ordinal);
        Assert.Contains("](metrics.png)", report, StringComparison.Ordinal);
        Assert.Contains("](loss_curve.png)", report, StringComparison.Ordinal);
        Assert.Contains("Eval loss at step 0: 3.5, 10: 1.25, 20: 0.75.", report, StringComparison.Ordinal);
        Assert.Contains("`data/eval.jsonl` (SHA-256 `dddd", report, StringComparison.Ordinal);
        Assert.Contains("| train | `data/train.jsonl` | `cccc", report, StringComparison.Ordinal);
        Assert.Contains("| Rank | 8 |", report, StringComparison.Ordinal);
        Assert.EndsWith("|\n", report, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReportShowsSampleAnswersEscapedForATableCell()
    {
        var report = AdapterReport.Render(ReportSamples.Input(), hasLossCurve: false, hasMetricsChart: true);

        Assert.Contains("| 0 | data/eval.jsonl:1 | billing \\| high | no idea (0) | billing \\| high (1) |", report, StringComparison.Ordinal);
        Assert.Contains("| 1 | data/eval.jsonl:2 | late | *(empty)* (0) | late<br>really (0) |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReportHasNoTimingsAndNoAbsolutePaths()
    {
        var report = AdapterReport.Render(ReportSamples.Input(ReportSamples.History()), hasLossCurve: true, hasMetricsChart: true);

        Assert.All(["wall_seconds", "tokens_per_second", "peak_memory", "12.5", "900", "/home/someone"], text => Assert.DoesNotContain(text, report, StringComparison.Ordinal));
        Assert.Contains("| loss_final | 0.2 |", report, StringComparison.Ordinal);
        Assert.Contains("Base model `tiny`", report, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(^|[\s(`])/[a-z]", report);
    }

    [Fact]
    public void WithoutAHistoryTheReportSaysThereIsNoLossCurve()
    {
        var report = AdapterReport.Render(ReportSamples.Input(history: null), hasLossCurve: false, hasMetricsChart: true);

        Assert.Contains("No training history (`training_history.json`) was found beside the adapter, so there is no loss curve.", report, StringComparison.Ordinal);
        Assert.DoesNotContain("loss_curve.png", report, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWriterWritesTheChartsItHasDataForAndRemovesStaleOnes()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lorabuild-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = AdapterReportWriter.Write(folder, ReportSamples.Input(ReportSamples.History()));
            Assert.Equal([AdapterPackageLayout.LossCurveFileName, AdapterPackageLayout.MetricsChartFileName, AdapterPackageLayout.ReportFileName], written);
            ReportChartsTests.AssertPng(File.ReadAllBytes(Path.Combine(folder, AdapterPackageLayout.LossCurveFileName)));
            ReportChartsTests.AssertPng(File.ReadAllBytes(Path.Combine(folder, AdapterPackageLayout.MetricsChartFileName)));

            written = AdapterReportWriter.Write(folder, ReportSamples.Input(history: null, withOutputs: false));

            Assert.Equal([AdapterPackageLayout.ReportFileName], written);
            Assert.Equal([AdapterPackageLayout.ReportFileName], Directory.GetFiles(folder).Select(Path.GetFileName));
            Assert.Contains("there is no metrics chart", File.ReadAllText(Path.Combine(folder, AdapterPackageLayout.ReportFileName)), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
