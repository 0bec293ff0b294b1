using System.Globalization;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.Progress;

namespace LoraBuild.Cli.Progress;

/// <summary>
/// Prints how far one GGUF file is written, by the rule every stage's log lines follow (<see cref="StageProgressLines"/>:
/// a line at every tenth once it has taken more than a second), with the tensors and MiB written: enough to see a
/// multi-GB export move, in a terminal and in a build log alike, and silent for small files.
/// </summary>
internal sealed class ExportProgressLines(string fileName, TextWriter output) : IProgress<GgufWriteProgress>
{
    private readonly StageProgressLines _lines = new();

    public void Report(GgufWriteProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_lines.Line(new WorkProgress(value.BytesWritten, value.TotalBytes)) is not { } line)
        {
            return;
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {fileName}: {line} ({value.TensorsWritten} of {value.TensorCount} tensors, {value.BytesWritten / (1024.0 * 1024.0):F1} of {value.TotalBytes / (1024.0 * 1024.0):F1} MiB)"));
    }
}
