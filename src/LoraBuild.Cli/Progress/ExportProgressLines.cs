using System.Globalization;
using LoraBuild.Core.Gguf;

namespace LoraBuild.Cli.Progress;

/// <summary>
/// Prints how far one GGUF file is written, a line at every tenth of its bytes once it has taken more than a second:
/// enough to see a multi-GB export move, in a terminal and in a build log alike, and silent for small files.
/// </summary>
internal sealed class ExportProgressLines(string fileName, TextWriter output) : IProgress<GgufWriteProgress>
{
    private static readonly TimeSpan s_quietFor = TimeSpan.FromSeconds(1);

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private int _lastTenth;

    public void Report(GgufWriteProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var tenth = value.TotalBytes == 0 ? 10 : (int)(value.BytesWritten * 10 / value.TotalBytes);
        if (tenth <= _lastTenth || _clock.Elapsed < s_quietFor)
        {
            return;
        }

        _lastTenth = tenth;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {fileName}: {tenth * 10}% ({value.TensorsWritten} of {value.TensorCount} tensors, {value.BytesWritten / (1024.0 * 1024.0):F1} of {value.TotalBytes / (1024.0 * 1024.0):F1} MiB)"));
    }
}
