using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace LoraBuild.Engine.Tests.Tokenizers.Conformance;

/// <summary>One corpus string on which the engine and the reference disagree.</summary>
internal sealed record Mismatch(int Index, string Class, string Text, string Detail);

/// <summary>
/// Collects the mismatches of one check (one tokenizer, one operation), writes counts per class, timings and every
/// mismatch to the test output, and fails the test with the first ones.
/// </summary>
internal sealed class ConformanceReport(string tokenizer, string check, ITestOutputHelper output)
{
    private const int MismatchesInMessage = 15;
    private const int MismatchesInOutput = 300;
    private const int Window = 4;

    private readonly List<Mismatch> _mismatches = [];
    private readonly List<string> _notes = [];
    private int _checked;

    public IReadOnlyList<Mismatch> Mismatches => _mismatches;

    public void Checked() => _checked++;

    public void Add(int index, CorpusEntry entry, string detail) => _mismatches.Add(new Mismatch(index, entry.Class, entry.Text, detail));

    public void Note(string note) => _notes.Add(note);

    /// <summary>The ids around the first position where two lists differ, or null when they are equal.</summary>
    public static string? CompareIds(IReadOnlyList<int> ours, IReadOnlyList<int> reference)
    {
        int first = 0;
        while (first < ours.Count && first < reference.Count && ours[first] == reference[first])
        {
            first++;
        }

        if (first == ours.Count && first == reference.Count)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"ids differ at position {first} (ours {ours.Count} ids, Rust {reference.Count}): ours {IdWindow(ours, first)} vs Rust {IdWindow(reference, first)}");
    }

    /// <summary>The text around the first UTF-16 position where two strings differ, or null when they are equal.</summary>
    public static string? CompareText(string ours, string reference)
    {
        if (string.Equals(ours, reference, StringComparison.Ordinal))
        {
            return null;
        }

        int first = 0;
        while (first < ours.Length && first < reference.Length && ours[first] == reference[first])
        {
            first++;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"text differs at char {first} (ours {ours.Length} chars, Rust {reference.Length}): ours {TextWindow(ours, first)} vs Rust {TextWindow(reference, first)}");
    }

    /// <summary>A string as C# would write it, invisible characters escaped, cut to a readable length.</summary>
    public static string Show(string text, int limit = 60)
    {
        var builder = new StringBuilder("\"");
        int shown = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (shown++ == limit)
            {
                builder.Append(CultureInfo.InvariantCulture, $"…(+{text.EnumerateRunes().Count() - limit} more)");
                break;
            }

            builder.Append(Escape(rune));
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Writes the summary and the mismatches to the test output and fails when there are any.</summary>
    public void Finish(TimeSpan elapsed)
    {
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{tokenizer} {check}: {_checked} checked, {_checked - _mismatches.Count} agree with Rust, {_mismatches.Count} differ ({elapsed.TotalSeconds:F2} s)");
        output.WriteLine(summary);
        foreach (var note in _notes)
        {
            output.WriteLine("  " + note);
        }

        if (_mismatches.Count == 0)
        {
            return;
        }

        output.WriteLine("  by class: " + ByClass());
        foreach (var mismatch in _mismatches.Take(MismatchesInOutput))
        {
            output.WriteLine("  " + Describe(mismatch));
        }

        if (_mismatches.Count > MismatchesInOutput)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {_mismatches.Count - MismatchesInOutput} more"));
        }

        var message = new StringBuilder(summary).AppendLine().Append("by class: ").AppendLine(ByClass());
        foreach (var mismatch in _mismatches.Take(MismatchesInMessage))
        {
            message.AppendLine(Describe(mismatch));
        }

        if (_mismatches.Count > MismatchesInMessage)
        {
            message.Append(CultureInfo.InvariantCulture, $"… {_mismatches.Count - MismatchesInMessage} more in the test output.");
        }

        Assert.Fail(message.ToString());
    }

    private string ByClass() => string.Join(", ", _mismatches
        .GroupBy(mismatch => mismatch.Class)
        .OrderByDescending(group => group.Count())
        .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Key} {group.Count()}")));

    private string Describe(Mismatch mismatch) =>
        string.Create(CultureInfo.InvariantCulture, $"{tokenizer} #{mismatch.Index} [{mismatch.Class}] {Show(mismatch.Text)}: {mismatch.Detail}");

    private static string IdWindow(IReadOnlyList<int> ids, int at)
    {
        int start = Math.Max(0, at - Window);
        int end = Math.Min(ids.Count, at + Window + 1);
        string body = string.Join(", ", Enumerable.Range(start, end - start)
            .Select(i => i == at ? string.Create(CultureInfo.InvariantCulture, $"*{ids[i]}*") : ids[i].ToString(CultureInfo.InvariantCulture)));
        return $"[{(start > 0 ? "…, " : "")}{body}{(end < ids.Count ? ", …" : "")}]";
    }

    private static string TextWindow(string text, int at)
    {
        int start = Math.Max(0, at - 12);
        if (start > 0 && char.IsLowSurrogate(text[start]))
        {
            start--;
        }

        int end = Math.Min(text.Length, at + 16);
        if (end < text.Length && char.IsLowSurrogate(text[end]))
        {
            end++;
        }

        return (start > 0 ? "…" : "") + Show(text[start..end], limit: 40) + (end < text.Length ? "…" : "");
    }

    private static string Escape(Rune rune)
    {
        switch (rune.Value)
        {
            case '"': return "\\\"";
            case '\\': return "\\\\";
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            case ' ': return " ";
        }

        var category = Rune.GetUnicodeCategory(rune);
        bool invisible = category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate or UnicodeCategory.SpaceSeparator
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
        if (!invisible && rune.Value != 0x2581)
        {
            return rune.ToString();
        }

        return rune.IsBmp
            ? string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}")
            : string.Create(CultureInfo.InvariantCulture, $"\\U{rune.Value:X8}");
    }
}
