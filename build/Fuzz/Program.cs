using LoraBuild.Fuzz;

var options = FuzzOptions.Parse(args);
var targets = FuzzTargets.All()
    .Where(target => options.Targets.Count == 0 || options.Targets.Contains(target.Name))
    .ToList();
if (targets.Count == 0)
{
    Console.Error.WriteLine($"No target is named {string.Join(", ", options.Targets)}; the targets are {string.Join(", ", FuzzTargets.All().Select(t => t.Name))}.");
    return 2;
}

var scratchRoot = Path.Combine(Path.GetTempPath(), $"lorabuild-fuzz-{Environment.ProcessId}");
var seeds = new SeedFiles(options.Repository);
var results = new List<FuzzResult>();
using (var watchdog = new Watchdog(options.TimeLimit))
{
    try
    {
        foreach (var target in targets)
        {
            var scratch = Directory.CreateDirectory(Path.Combine(scratchRoot, target.Name)).FullName;
            target.Prepare(seeds, scratch);
            Console.WriteLine($"{target.Name}: {target.Seeds.Count} seeds, {options.Inputs:N0} inputs …");
            results.Add(FuzzRunner.Run(target, options, watchdog));
        }
    }
    finally
    {
        Directory.Delete(scratchRoot, recursive: true);
    }
}

var summary = SummaryTable.Format(results, options);
Console.WriteLine();
Console.WriteLine(summary);
Directory.CreateDirectory(options.Output);
var summaryFile = Path.Combine(options.Output, options.Targets.Count == 0 ? "summary.md" : "summary-partial.md");
File.WriteAllText(summaryFile, summary);
Console.WriteLine($"Written to {summaryFile}.");
return results.All(result => result.Clean) ? 0 : 1;
