using System.Runtime.CompilerServices;
using LoraBuild.Testing.Formats;

namespace LoraBuild.Testing;

/// <summary>
/// Snapshot tests of what a model answers: each input's answer (and optional reference and scores) against
/// <c>&lt;name&gt;.verified.json</c> beside the test, matched by position.
/// </summary>
/// <example>
/// <code>
/// var answers = tickets.Select(t => new SnapshotAnswer(t.Source, t.Input, model.Answer(instruction, t.Input))).ToList();
/// AnswerSnapshot.Verify(answers, "support-triage-answers");
/// </code>
/// </example>
public static class AnswerSnapshot
{
    /// <summary>Checks <paramref name="answers"/> against snapshot <paramref name="name"/>.</summary>
    /// <param name="answers">The answers in input order.</param>
    /// <param name="name">The snapshot's file name without suffix: letters, digits, <c>.</c>, <c>_</c>, <c>-</c>.</param>
    /// <param name="options">Folder, tolerances, scrubbers; null for the defaults.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the test's source file, whose folder holds the snapshot.</param>
    /// <exception cref="SnapshotMismatchException">An answer differs from the verified snapshot, or there is none yet.</exception>
    public static void Verify(IEnumerable<SnapshotAnswer> answers, string name, SnapshotOptions? options = null, [CallerFilePath] string callerFilePath = "")
    {
        ArgumentNullException.ThrowIfNull(answers);
        SnapshotVerifier.Verify<IReadOnlyList<SnapshotAnswer>>([.. answers], name, AnswersFormat.Instance, options, callerFilePath);
    }
}
