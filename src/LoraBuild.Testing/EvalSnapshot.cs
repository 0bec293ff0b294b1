using System.Runtime.CompilerServices;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Testing.Formats;

namespace LoraBuild.Testing;

/// <summary>
/// Snapshot tests of evaluation outputs (<c>eval_outputs.json</c>): every sample's prompt, reference, answers and
/// scores, and the aggregates, against <c>&lt;name&gt;.verified.json</c> beside the test.
/// </summary>
/// <example>
/// <code>
/// [Fact]
/// public void AdapterAnswersAreUnchanged() =>
///     EvalSnapshot.VerifyFile("out/SupportTriage/eval_outputs.json", "support-triage-eval");
/// </code>
/// </example>
public static class EvalSnapshot
{
    /// <summary>Checks <paramref name="outputs"/> against snapshot <paramref name="name"/>.</summary>
    /// <param name="outputs">The evaluation outputs, e.g. from <c>EvalOutputsBuilder.Create</c>.</param>
    /// <param name="name">The snapshot's file name without suffix: letters, digits, <c>.</c>, <c>_</c>, <c>-</c>.</param>
    /// <param name="options">Folder, tolerances, scrubbers; null for the defaults.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the test's source file, whose folder holds the snapshot.</param>
    /// <exception cref="SnapshotMismatchException">The outputs differ from the verified snapshot, or there is none yet.</exception>
    public static void Verify(EvalOutputs outputs, string name, SnapshotOptions? options = null, [CallerFilePath] string callerFilePath = "") =>
        SnapshotVerifier.Verify(outputs, name, EvalOutputsFormat.Instance, options, callerFilePath);

    /// <summary>Reads an <c>eval_outputs.json</c> file and checks it against snapshot <paramref name="name"/>.</summary>
    /// <param name="evalOutputsPath">The outputs file, e.g. <c>eval_outputs.json</c> in an adapter folder.</param>
    /// <param name="name">The snapshot's file name without suffix.</param>
    /// <param name="options">Folder, tolerances, scrubbers; null for the defaults.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the test's source file, whose folder holds the snapshot.</param>
    /// <exception cref="SnapshotMismatchException">The outputs differ from the verified snapshot, or there is none yet.</exception>
    /// <exception cref="Core.Diagnostics.LoraException"><c>LORA1305</c>: the file is missing or not in the outputs layout.</exception>
    public static void VerifyFile(string evalOutputsPath, string name, SnapshotOptions? options = null, [CallerFilePath] string callerFilePath = "") =>
        Verify(EvalOutputsJson.ReadFile(evalOutputsPath), name, options, callerFilePath);
}
