using System.Buffers.Binary;
using LoraBuild.Engine.Reports;

namespace LoraBuild.Engine.Tests.Reports;

public class ReportChartsTests
{
    private static readonly byte[] s_pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void TheLossCurveIsAPngOfTheFixedSizeAndTheSameBytesForTheSameData()
    {
        var first = ReportCharts.LossCurve(ReportSamples.History(), "Tiny");
        var second = ReportCharts.LossCurve(ReportSamples.History(), "Tiny");

        AssertPng(first);
        Assert.Equal(first, second);
        Assert.NotEqual(first, ReportCharts.LossCurve(ReportSamples.History(steps: 21), "Tiny"));
    }

    [Fact]
    public void TheMetricsChartIsAPngOfTheFixedSizeAndTheSameBytesForTheSameData()
    {
        (string, double, double)[] metrics = [("exact_match", 0, 0.5), ("rouge_l", 0.25, 0.75)];

        var first = ReportCharts.Metrics(metrics, "Tiny");

        AssertPng(first);
        Assert.Equal(first, ReportCharts.Metrics(metrics, "Tiny"));
        Assert.NotEqual(first, ReportCharts.Metrics([("exact_match", 0, 1), ("rouge_l", 0.25, 0.75)], "Tiny"));
    }

    [Fact]
    public void ChartsNeedData()
    {
        Assert.Throws<ArgumentException>(() => ReportCharts.LossCurve(new TrainingHistoryFile(0, [], []), "Tiny"));
        Assert.Throws<ArgumentException>(() => ReportCharts.Metrics([], "Tiny"));
    }

    /// <summary>A PNG starts with its signature and an IHDR chunk holding width and height, big-endian.</summary>
    internal static void AssertPng(byte[] png)
    {
        Assert.Equal(s_pngSignature, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal(ReportCharts.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(ReportCharts.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        Assert.True(png.Length > 5_000, $"A {png.Length}-byte PNG is too small to hold a chart.");
    }
}
