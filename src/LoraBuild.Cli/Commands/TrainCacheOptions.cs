using System.CommandLine;
using LoraBuild.Core.Cache;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Jobs;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>train</c>'s <c>--cache-source</c>, <c>--cache-mode</c> and <c>--cache-required</c> (each falling back to its
/// LORABUILD_CACHE_* variable): restore instead of training when the feed has the fingerprint, push after training.
/// </summary>
internal sealed class TrainCacheOptions
{
    private readonly Option<string?> _source = new("--cache-source") { Description = $"The training cache: a nuget.config source name, a feed URL or a folder (default: {TrainingCacheSettings.SourceVariable})." };
    private readonly Option<string?> _mode = new("--cache-mode") { Description = $"off, read (restore when the fingerprint is cached) or readwrite (also push what trains here) (default: {TrainingCacheSettings.ModeVariable}, else off)." };
    private readonly Option<bool?> _required = new("--cache-required") { Description = $"Fail when the cache feed cannot be reached instead of warning (default: {TrainingCacheSettings.RequiredVariable}, else false)." };

    public void AddTo(Command command)
    {
        command.Options.Add(_source);
        command.Options.Add(_mode);
        command.Options.Add(_required);
    }

    /// <summary>Restores the adapter when the cache has its fingerprint; null when the cache is off.</summary>
    /// <returns>The session, to push with after training; <paramref name="restored"/> says whether training is needed.</returns>
    public CacheSession? Start(ParseResult parse, TrainingSpec spec, string outputDirectory, bool msbuild, string? origin, CancellationToken cancellation, out bool restored)
    {
        restored = false;
        var settings = TrainingCacheSettings.Resolve(parse.GetValue(_source), parse.GetValue(_mode), parse.GetValue(_required)?.ToString());
        if (!settings.Reads)
        {
            return null;
        }

        var reporter = new CacheReporter(msbuild, origin);
        if (spec.BaseModel?.Path is null)
        {
            CacheReporter.Info("LoraBuild: the training cache is used only for a base model in a local folder; training.");
            return null;
        }

        var name = spec.Name ?? "adapter";
        var session = new CacheSession(settings, name, outputDirectory, reporter, Directory.GetCurrentDirectory());
        var validated = OptimizerDefaults.Resolve(TrainingSpecValidator.Validate(spec));
        var fingerprint = Fingerprint.Compute(validated, new FileHashCache(AdapterBaseModelCheck.DefaultHashCacheFile), TrainingJob.CurrentRuntime()).Value;
        restored = session.TryRestore(fingerprint, cancellation) == CacheSession.Outcome.Restored;
        return settings.Writes ? session : null;
    }

    /// <summary>A push failure after a good training is a warning unless the cache is required (then a <see cref="LoraException"/>).</summary>
    public static void Push(CacheSession? session, CancellationToken cancellation) => session?.Push(replace: false, cancellation);
}
