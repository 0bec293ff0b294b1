using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LoraBuild.Core.Evaluation.Outputs;

namespace LoraBuild.Testing.Comparison;

/// <summary>
/// Renders differences as lines a person reads in a test failure, e.g.
/// <c>sample 7 (data/eval.jsonl:8): expected after.output "billing" but got "refund"</c>. Texts are shown as JSON
/// string literals, so white space and line breaks are visible; long texts are cut to a window around their first
/// difference.
/// </summary>
internal static class SnapshotDiffFormatter
{
    /// <summary>Texts whose literals are longer than this are shown on their own lines, cut around the first difference.</summary>
    private const int InlineLength = 60;
    private const int ContextBefore = 30;
    private const int ContextAfter = 50;

    private static readonly JsonSerializerOptions s_literalOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(
        string name, IReadOnlyList<RecordDifference> differences, int entryCount, int maxShown, string verifiedPath, string receivedPath)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Snapshot '{name}' does not match its verified file: {differences.Count} of {entryCount} entries differ.\n");
        foreach (var difference in differences.Take(Math.Max(maxShown, 0)))
        {
            AppendRecord(text, difference);
        }

        var hidden = differences.Count - Math.Max(maxShown, 0);
        if (hidden > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"… and {hidden} more differing {(hidden == 1 ? "entry" : "entries")} (all are in the received file).\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"verified: {verifiedPath}\n");
        text.Append(CultureInfo.InvariantCulture, $"received: {receivedPath}\n");
        text.Append(CultureInfo.InvariantCulture, $"If the received values are right, accept them: run the test again with {SnapshotOptions.AcceptVariable}=1, or move the received file over the verified one.");
        return text.ToString();
    }

    /// <summary>The message for a snapshot that has no verified file yet.</summary>
    public static string FormatFirstRun(string name, int entryCount, string verifiedPath, string receivedPath) =>
        $"Snapshot '{name}' has no verified file yet; the {entryCount} received entries were written for review.\n" +
        $"verified (missing): {verifiedPath}\n" +
        $"received: {receivedPath}\n" +
        $"Check the received file, then accept it: run the test again with {SnapshotOptions.AcceptVariable}=1, or rename it to the verified name, and commit it.";

    private static void AppendRecord(StringBuilder text, RecordDifference record)
    {
        switch (record.Kind)
        {
            case DifferenceKind.Missing:
                text.Append(CultureInfo.InvariantCulture, $"{record.Label}: expected, but the received snapshot does not have it\n");
                return;
            case DifferenceKind.Added:
                text.Append(CultureInfo.InvariantCulture, $"{record.Label}: received, but the verified snapshot does not have it\n");
                return;
        }

        var lines = record.Fields.Select(Describe).ToList();
        if (lines.Count == 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"{record.Label}: {lines[0]}\n");
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"{record.Label}:\n");
        foreach (var line in lines)
        {
            text.Append("  ").Append(line.Replace("\n", "\n  ", StringComparison.Ordinal)).Append('\n');
        }
    }

    private static string Describe(FieldDifference difference) => difference.Kind switch
    {
        DifferenceKind.Missing => $"expected {difference.Name} {Value(difference.Verified!)} but the received snapshot does not have it",
        DifferenceKind.Added => $"got {difference.Name} {Value(difference.Received!)}, which the verified snapshot does not have",
        _ when difference.Verified!.Number is { } expected && difference.Received!.Number is { } actual =>
            $"expected {difference.Name} {EvalJsonNumber.Format(expected)} but got {EvalJsonNumber.Format(actual)} (tolerance {difference.Tolerance ?? NumberTolerance.Exact})",
        _ when difference.Verified!.Text is { } expected && difference.Received!.Text is { } actual => DescribeText(difference.Name, expected, actual),
        _ => $"expected {difference.Name} {Value(difference.Verified!)} but got {Value(difference.Received!)}",
    };

    private static string DescribeText(string name, string expected, string actual)
    {
        var expectedLiteral = Literal(expected);
        var actualLiteral = Literal(actual);
        if (expectedLiteral.Length <= InlineLength && actualLiteral.Length <= InlineLength)
        {
            return $"expected {name} {expectedLiteral} but got {actualLiteral}";
        }

        var at = FirstDifference(expected, actual);
        var line = expected.AsSpan(0, at).Count('\n') + 1;
        return $"{name} differs from character {at + 1} (line {line}):\n" +
               $"    expected {Window(expected, at)}\n" +
               $"    but got  {Window(actual, at)}";
    }

    private static string Window(string text, int at)
    {
        var start = Math.Max(0, at - ContextBefore);
        var end = Math.Min(text.Length, at + ContextAfter);
        return (start > 0 ? "…" : "") + Literal(text[start..end]) + (end < text.Length ? "…" : "");
    }

    private static int FirstDifference(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        var i = 0;
        while (i < length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private static string Value(SnapshotField field) =>
        field.Number is { } number ? EvalJsonNumber.Format(number) : Literal(field.Text ?? "");

    private static string Literal(string text) => JsonSerializer.Serialize(text, s_literalOptions);
}
