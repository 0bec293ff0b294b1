using System.Globalization;

namespace LoraBuild.Core.Progress;

/// <summary>Durations as progress lines show them: <c>0:07</c>, <c>12:34</c>, <c>2:05:09</c>, never wrapping at an hour.</summary>
public static class Durations
{
    public static string Clock(TimeSpan duration)
    {
        var seconds = (long)Math.Round(Math.Max(0, duration.TotalSeconds));
        var hours = seconds / 3600;
        var minutes = seconds / 60 % 60;
        var rest = seconds % 60;
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:D2}:{rest:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes}:{rest:D2}");
    }
}
