using System.Globalization;
using ScottPlot;

namespace LoraBuild.Engine.Reports;

/// <summary>
/// The report's two PNG charts, at a fixed size and with fixed colours, fonts and layout, so equal data gives equal
/// bytes on one machine (text is drawn with the machine's fonts, so another machine's fonts may change the pixels).
/// </summary>
public static class ReportCharts
{
    /// <summary>Width of both charts in pixels.</summary>
    public const int Width = 800;

    /// <summary>Height of both charts in pixels.</summary>
    public const int Height = 500;

    private static readonly Color s_trainColor = Color.FromHex("#1f77b4");
    private static readonly Color s_evalColor = Color.FromHex("#ff7f0e");
    private static readonly Color s_rateColor = Color.FromHex("#2ca02c");
    private static readonly Color s_beforeColor = Color.FromHex("#9e9e9e");
    private static readonly Color s_afterColor = Color.FromHex("#1f77b4");

    /// <summary>
    /// Train loss per optimizer step and the held-out loss at its measured steps on the left axis, the learning rate
    /// (dashed) on the right axis.
    /// </summary>
    /// <param name="history">The run's history; it needs at least one step.</param>
    /// <param name="title">The chart's title, e.g. the adapter name.</param>
    public static byte[] LossCurve(TrainingHistoryFile history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Steps.Count == 0)
        {
            throw new ArgumentException("The history has no step to draw.", nameof(history));
        }

        var plot = new Plot();
        var steps = history.Steps.Select(s => (double)s.Step).ToArray();
        var train = plot.Add.ScatterLine(steps, history.Steps.Select(s => s.Loss).ToArray(), s_trainColor);
        train.LegendText = "train loss";
        train.LineWidth = 1.5f;
        if (history.Eval.Count > 0)
        {
            var eval = plot.Add.Scatter(
                history.Eval.Select(e => (double)e.Step).ToArray(), history.Eval.Select(e => e.Loss).ToArray(), s_evalColor);
            eval.LegendText = "eval loss";
            eval.LineWidth = 1.5f;
            eval.MarkerSize = 7;
        }

        var rate = plot.Add.ScatterLine(steps, history.Steps.Select(s => s.LearningRate).ToArray(), s_rateColor);
        rate.LegendText = "learning rate";
        rate.LinePattern = LinePattern.Dashed;
        rate.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "learning rate";
        plot.Axes.Left.Label.Text = "loss (nats per target token)";
        plot.Axes.Bottom.Label.Text = "optimizer step";
        plot.Title($"{title}: loss and learning rate");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>One pair of bars per metric, before (the base model) and after (base + adapter), each labelled with its value.</summary>
    /// <param name="metrics">Metric keys with their scores before and after, in the order to draw; at least one.</param>
    /// <param name="title">The chart's title, e.g. the adapter name.</param>
    public static byte[] Metrics(IReadOnlyList<(string Name, double Before, double After)> metrics, string title)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Count == 0)
        {
            throw new ArgumentException("There is no metric to draw.", nameof(metrics));
        }

        var plot = new Plot();
        var bars = new List<Bar>(metrics.Count * 2);
        for (var i = 0; i < metrics.Count; i++)
        {
            bars.Add(new Bar { Position = i * 3, Value = metrics[i].Before, FillColor = s_beforeColor, Label = Label(metrics[i].Before), Size = 0.9 });
            bars.Add(new Bar { Position = (i * 3) + 1, Value = metrics[i].After, FillColor = s_afterColor, Label = Label(metrics[i].After), Size = 0.9 });
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. metrics.Select((_, i) => (i * 3) + 0.5)], [.. metrics.Select(m => m.Name)]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        var top = Math.Max(1, metrics.Max(m => Math.Max(m.Before, m.After)));
        plot.Axes.SetLimits(-1, (metrics.Count * 3) - 1, 0, top * 1.12);
        plot.Axes.Left.Label.Text = "score (mean over samples)";
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "before (base model)", FillColor = s_beforeColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "after (with adapter)", FillColor = s_afterColor });
        plot.ShowLegend(Edge.Bottom);
        plot.Title($"{title}: held-out metrics before and after");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static string Label(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
