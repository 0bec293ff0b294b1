using LoraBuild.Core.Progress;
using Microsoft.Build.Framework;

namespace LoraBuild.Tasks;

/// <summary>
/// Hashing the inputs as build messages: nothing for the usual quick hash (or a hash cache hit), and a line at every
/// tenth for a cold multi-GB model, so a build that hashes for a minute shows it is moving.
/// </summary>
internal sealed class HashLog(LoraTrain task, string adapterName) : IProgress<WorkProgress>
{
    private readonly StageProgressLines _lines = new();

    public void Report(WorkProgress value)
    {
        if (_lines.Line(value) is { } line)
        {
            task.Log.LogMessage(MessageImportance.High, "LoraBuild: {0} hashing its inputs ({1:F1} GiB): {2}", adapterName, value.Total / (double)(1L << 30), line);
        }
    }
}
