using LoraBuild.Core.IO;
using LoraBuild.Core.Packaging;

namespace LoraBuild.Engine.Reports;

/// <summary>Writes an adapter's <c>report.md</c> and its charts into a folder, each file through a temporary file.</summary>
public static class AdapterReportWriter
{
    /// <summary>
    /// Writes <c>loss_curve.png</c> when there is a history with steps, <c>metrics.png</c> when there are generation
    /// metrics, and <c>report.md</c> linking what was written. A chart left in the folder by an earlier report that
    /// this one has no data for is deleted, so the folder never shows a stale picture.
    /// </summary>
    /// <returns>The file names written, in the order written.</returns>
    public static IReadOnlyList<string> Write(string directory, AdapterReportInput input)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(input);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var hasLossCurve = input.History is { Steps.Count: > 0 };
        if (input.History is { Steps.Count: > 0 } history)
        {
            Write(directory, AdapterPackageLayout.LossCurveFileName, ReportCharts.LossCurve(history, input.AdapterName), written);
        }
        else
        {
            DeleteStale(directory, AdapterPackageLayout.LossCurveFileName);
        }

        var metrics = AdapterReport.ChartedMetrics(input);
        if (metrics.Count > 0)
        {
            Write(directory, AdapterPackageLayout.MetricsChartFileName, ReportCharts.Metrics(metrics, input.AdapterName), written);
        }
        else
        {
            DeleteStale(directory, AdapterPackageLayout.MetricsChartFileName);
        }

        var report = AdapterReport.Render(input, hasLossCurve, hasMetricsChart: metrics.Count > 0);
        Write(directory, AdapterPackageLayout.ReportFileName, System.Text.Encoding.UTF8.GetBytes(report), written);
        return written;
    }

    private static void Write(string directory, string fileName, byte[] content, List<string> written)
    {
        AtomicFile.WriteAllBytes(Path.Combine(directory, fileName), content);
        written.Add(fileName);
    }

    private static void DeleteStale(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
