using LoraBuild.Core.Comparison;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Tasks.Engine;
using Microsoft.Build.Framework;

namespace LoraBuild.Tasks;

/// <summary>
/// Seed studies: <c>Seeds="N"</c> on a LoraAdapter also trains its spec under seeds Seed+1 … Seed+N−1, each in
/// <c>obj/lora/seeds/&lt;Adapter&gt;/seed-&lt;n&gt;/</c> and each brought up to date by its own fingerprint (the seed is part
/// of it), then writes <c>seeds.json</c> into the adapter folder. The adapter itself stays the run with the first seed.
/// </summary>
public sealed partial class LoraTrain
{
    /// <summary>Brings the extra seeds of one adapter up to date and writes its seed summary; false after logging an error.</summary>
    private bool ProduceSeeds(ITaskItem item, TrainingSpec spec, int count, string output, EngineCommand? engine, EngineRuntime? runtime, FileHashCache hashes, string intermediate)
    {
        var summaryFile = Path.Combine(output, SeedRuns.SummaryFileName);
        if (SkipTraining)
        {
            // Nothing trains, so whatever summary the adapter has describes it as it is.
            return true;
        }

        if (count == 1)
        {
            // A summary left from when the item had Seeds would describe runs the project no longer asks for.
            File.Delete(summaryFile);
            return true;
        }

        var folders = new List<string> { output };
        foreach (var seed in SeedRuns.Seeds(spec.Seed, count).Skip(1))
        {
            var folder = Path.Combine(intermediate, "seeds", spec.Name!, SeedRuns.FolderName(seed));
            var fingerprint = Produce(item, spec with { Seed = seed }, folder, $"{spec.Name} seed {seed}", $"{spec.Name}.{SeedRuns.FolderName(seed)}", engine, runtime, hashes, intermediate);
            hashes.Save();
            if (fingerprint is null)
            {
                return false;
            }

            folders.Add(folder);
        }

        SeedSummary summary;
        try
        {
            summary = SeedSummary.Create(folders.Select(f => TrainingManifestJson.ReadFile(Path.Combine(f, TrainingManifest.FileName))));
        }
        catch (LoraException e)
        {
            Log.LogError(null, e.Code, null, e.Location ?? ProjectFile, 0, 0, 0, 0, e.Message);
            return false;
        }

        var written = SeedSummaryJson.WriteFile(summary, summaryFile);
        Log.LogMessage(
            MessageImportance.High,
            "LoraBuild: {0} over {1} seeds ({2}); mean ± sample standard deviation (min … max){3}:",
            spec.Name,
            count,
            string.Join(", ", summary.Runs.Select(r => r.Seed)),
            written ? $", written to {summaryFile}" : string.Empty);
        foreach (var (key, statistics) in summary.Metrics.Where(kv => kv.Key.StartsWith("eval.after.", StringComparison.Ordinal) || kv.Key == "train.loss_final"))
        {
            Log.LogMessage(MessageImportance.High, "LoraBuild:   {0,-28} {1}", key, statistics.Describe());
        }

        return true;
    }
}
