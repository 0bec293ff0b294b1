using System.Globalization;
using LoraBuild.Core.Cache;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Cache;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// One adapter's use of the training cache: a restore attempt, then (after a training, in readwrite mode) a push. A
/// corrupt entry or an unreachable feed is a warning and the adapter trains, unless the settings require the cache.
/// </summary>
internal sealed class CacheSession(TrainingCacheSettings settings, string adapterName, string outputDirectory, CacheReporter reporter, string root)
{
    /// <summary>How a restore ended; the <c>cache restore</c> command's exit code.</summary>
    public enum Outcome
    {
        Restored = 0,
        Missing = 3,
        Invalid = 4,
        Unreachable = 5,
    }

    private bool _replace;

    /// <exception cref="LoraException">LORA4302 when the feed is unreachable and the cache is required.</exception>
    public Outcome TryRestore(string fingerprint, CancellationToken cancellation)
    {
        try
        {
            using var feed = new CacheFeed(settings.Source!, root);
            var elapsed = TrainingCache.TryRestore(feed, adapterName, fingerprint, outputDirectory, cancellation);
            if (elapsed is not { } took)
            {
                CacheReporter.Info($"LoraBuild: {adapterName} is not in the cache {feed.Description} (fingerprint {fingerprint[..12]}).");
                return Outcome.Missing;
            }

            CacheReporter.Info(string.Create(CultureInfo.InvariantCulture, $"LoraBuild: {adapterName} restored from {feed.Description} in {took.TotalSeconds:F1} s (fingerprint {fingerprint[..12]})."));
            return Outcome.Restored;
        }
        catch (LoraException e) when (e.Code == CacheErrorCodes.EntryInvalid)
        {
            reporter.Warning(e);
            _replace = true;
            return Outcome.Invalid;
        }
        catch (LoraException e) when (e.Code == CacheErrorCodes.FeedUnreachable && !settings.Required)
        {
            reporter.Warning(e);
            return Outcome.Unreachable;
        }
    }

    /// <param name="replace">Replace the feed's entry of this fingerprint (a restore found it corrupt).</param>
    /// <returns>False after a warning; a required cache throws instead.</returns>
    public bool Push(bool replace, CancellationToken cancellation)
    {
        try
        {
            using var feed = new CacheFeed(settings.Source!, root);
            var pushed = TrainingCache.Push(feed, adapterName, outputDirectory, replace || _replace, cancellation);
            CacheReporter.Info($"LoraBuild: {adapterName} pushed to the cache {feed.Description} as {pushed}.");
            return true;
        }
        catch (LoraException e) when (e.Code is CacheErrorCodes.PushFailed or CacheErrorCodes.FeedUnreachable && !settings.Required)
        {
            reporter.Warning(new LoraException(CacheErrorCodes.PushFailed, e.Message, e.Location, e));
            return false;
        }
    }
}
