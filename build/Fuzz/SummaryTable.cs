using System.Globalization;
using System.Text;

namespace LoraBuild.Fuzz;

/// <summary>The Markdown table of a run, for the console and <c>artifacts/fuzz/summary.md</c>.</summary>
internal static class SummaryTable
{
    public static string Format(IReadOnlyList<FuzzResult> results, FuzzOptions options)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"Seed {options.Seed}, {options.Inputs:N0} inputs per target, time limit {options.TimeLimit.TotalSeconds:0.#} s per input, allocation limit {FuzzRunner.AllocationRatioLimit} × input + {FuzzRunner.AllocationAllowance >> 20} MiB; the ratio is bytes allocated per byte of input (at least {FuzzRunner.RatioFloor} bytes).");
        text.AppendLine();
        text.AppendLine("| target | inputs | coded errors | successes | crashes | hangs | allocation blow-ups | max allocation ratio | max allocated | seconds |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            text.AppendLine(invariant, $"| {r.Target} | {r.Inputs:N0} | {r.CodedErrors:N0} | {r.Successes:N0} | {r.Crashes:N0} | {r.Hangs:N0} | {r.AllocationBlowUps:N0} | {r.MaxAllocationRatio:N1} | {r.MaxAllocatedBytes / 1048576.0:N1} MiB | {r.Elapsed.TotalSeconds:N1} |");
        }

        foreach (var r in results.Where(r => r.CrashKinds.Count > 0))
        {
            text.AppendLine();
            text.AppendLine(invariant, $"Crashes in {r.Target}:");
            foreach (var (kind, file) in r.CrashKinds)
            {
                text.AppendLine(invariant, $"- {kind}: {Path.GetRelativePath(options.Repository, file)}");
            }
        }

        return text.ToString();
    }
}
