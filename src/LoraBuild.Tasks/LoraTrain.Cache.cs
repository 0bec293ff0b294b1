using LoraBuild.Core.Cache;
using LoraBuild.Core.Specs;
using LoraBuild.Tasks.Engine;
using Microsoft.Build.Framework;

namespace LoraBuild.Tasks;

/// <summary>
/// The training cache on a NuGet feed: before training an adapter the task asks the engine to restore it from the
/// entry of its fingerprint (<c>cache restore</c>), and after training, in readwrite mode, to push it (<c>cache push</c>).
/// Both run out of process because the SDK already loads its own NuGet assemblies (another version) into MSBuild.
/// </summary>
public sealed partial class LoraTrain
{
    private TrainingCacheSettings _cache = TrainingCacheSettings.Off;

    /// <summary>How a cache lookup ended, from the exit code of <c>cache restore</c>.</summary>
    private enum CacheOutcome
    {
        Restored,

        /// <summary>Not cached, or the feed is unreachable (the engine warned): train.</summary>
        Missing,

        /// <summary>The entry is corrupt (the engine warned): train, and replace the entry when pushing.</summary>
        Invalid,

        /// <summary>An error was logged.</summary>
        Failed,
    }

    /// <summary>LoraCacheSource: a nuget.config source name, a feed URL or a folder (else LORABUILD_CACHE_SOURCE).</summary>
    public string? CacheSource { get; set; }

    /// <summary>LoraCacheMode: off, read or readwrite (else LORABUILD_CACHE_MODE, else off).</summary>
    public string? CacheMode { get; set; }

    /// <summary>LoraCacheRequired: true makes an unreachable feed or a refused push an error (else LORABUILD_CACHE_REQUIRED, else false).</summary>
    public string? CacheRequired { get; set; }

    private CacheOutcome RestoreFromCache(ITaskItem item, TrainingSpec spec, string output, EngineCommand engine, string fingerprint)
    {
        RemoveStagingLeftovers(output);
        var exitCode = RunEngine(engine, capture: false, [
            "cache", "restore", "--fingerprint", fingerprint, "--output", output, .. CacheArguments(item, spec)]);
        ThrowIfCancelled();
        switch (exitCode)
        {
            case 0:
                return CacheOutcome.Restored;
            case 3 or 5:
                return CacheOutcome.Missing;
            case 4:
                return CacheOutcome.Invalid;
            default:
                LogCacheFailure(engine, exitCode, "restoring", spec);
                return CacheOutcome.Failed;
        }
    }

    /// <returns>False after logging an error (the push failed and the cache is required).</returns>
    private bool PushToCache(ITaskItem item, TrainingSpec spec, string output, EngineCommand engine, bool replace)
    {
        string[] arguments = ["cache", "push", "--input", output, .. CacheArguments(item, spec)];
        var exitCode = RunEngine(engine, capture: false, replace ? [.. arguments, "--replace"] : arguments);
        ThrowIfCancelled();
        if (exitCode is 0 or 5)
        {
            return true;
        }

        LogCacheFailure(engine, exitCode, "pushing", spec);
        return false;
    }

    private string[] CacheArguments(ITaskItem item, TrainingSpec spec)
    {
        string[] arguments = ["--source", _cache.Source!, "--name", spec.Name!, "--log-format", "msbuild", "--source-location", Locate(Reference(item), null).ToString()];
        return _cache.Required ? [.. arguments, "--required"] : arguments;
    }

    private void LogCacheFailure(EngineCommand engine, int exitCode, string doing, TrainingSpec spec)
    {
        if (!Log.HasLoggedErrors)
        {
            Log.LogError(null, EngineErrorCodes.EngineFailed, null, ProjectFile, 0, 0, 0, 0, "The engine ({0}) exited with code {1} while {2} '{3}' in the training cache; its output is above.", engine.Description, exitCode, doing, spec.Name);
        }
    }
}
