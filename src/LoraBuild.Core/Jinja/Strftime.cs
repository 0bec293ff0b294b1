using System.Globalization;
using System.Text;

namespace LoraBuild.Core.Jinja;

/// <summary>Python's <c>datetime.strftime</c> for the directives chat templates use (C locale), including glibc's <c>%-d</c>.</summary>
internal static class Strftime
{
    public static string Format(DateTimeOffset time, string format)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                builder.Append(format[i]);
                continue;
            }

            bool unpadded = format[i + 1] == '-' && i + 2 < format.Length;
            char directive = format[unpadded ? i + 2 : i + 1];
            i += unpadded ? 2 : 1;
            builder.Append(Directive(time, directive, unpadded));
        }

        return builder.ToString();
    }

    private static string Directive(DateTimeOffset t, char directive, bool unpadded)
    {
        string Number(int value, int width) =>
            value.ToString(unpadded ? "0" : new string('0', width), CultureInfo.InvariantCulture);

        int hour12 = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
        return directive switch
        {
            'a' => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(t.DayOfWeek),
            'A' => CultureInfo.InvariantCulture.DateTimeFormat.GetDayName(t.DayOfWeek),
            'w' => ((int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture),
            'd' => Number(t.Day, 2),
            'b' or 'h' => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(t.Month),
            'B' => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(t.Month),
            'm' => Number(t.Month, 2),
            'y' => Number(t.Year % 100, 2),
            'Y' => t.Year.ToString(CultureInfo.InvariantCulture),
            'H' => Number(t.Hour, 2),
            'I' => Number(hour12, 2),
            'p' => t.Hour < 12 ? "AM" : "PM",
            'M' => Number(t.Minute, 2),
            'S' => Number(t.Second, 2),
            'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", CultureInfo.InvariantCulture),
            'j' => Number(t.DayOfYear, 3),
            'z' => (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.ToString("hhmm", CultureInfo.InvariantCulture),
            'F' => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            'T' => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            'D' => t.ToString("MM/dd/yy", CultureInfo.InvariantCulture),
            '%' => "%",
            _ => throw new TemplateError(JinjaErrorCodes.TemplateUnsupported, $"strftime directive '%{directive}' is not supported."),
        };
    }
}
