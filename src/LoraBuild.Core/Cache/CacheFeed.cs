using LoraBuild.Core.Diagnostics;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace LoraBuild.Core.Cache;

/// <summary>
/// A NuGet feed (v3 over HTTP, or a folder) holding cache entries. The source is looked up in the nuget.config files
/// that apply to <c>root</c> (by name, then by URL), so its credentials and <c>allowInsecureConnections</c> come from
/// there as they do for restore; anything else is used as a URL or folder. Every answer is fresh (no HTTP cache).
/// Failures to reach the feed surface as <see cref="CacheErrorCodes.FeedUnreachable"/>.
/// </summary>
public sealed class CacheFeed : IDisposable
{
    /// <summary>The environment variable with the API key for pushes, used before nuget.config's apikeys.</summary>
    public const string ApiKeyVariable = "LORABUILD_CACHE_API_KEY";

    private const int PushTimeoutSeconds = 300;

    private readonly ISettings _settings;
    private readonly SourceRepository _repository;
    private readonly SourceCacheContext _context = new() { NoCache = true, DirectDownload = true };
    private readonly ILogger _log = NullLogger.Instance;

    public CacheFeed(string source, string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        _settings = Settings.LoadDefaultSettings(root);
        PackageSource = Find(source, _settings);
        _repository = Repository.Factory.GetCoreV3(PackageSource);
    }

    public PackageSource PackageSource { get; }

    /// <summary>The feed as messages name it: its nuget.config name, or its URL or folder.</summary>
    public string Description => PackageSource.Name == PackageSource.Source ? PackageSource.Source : $"{PackageSource.Name} ({PackageSource.Source})";

    /// <summary>Downloads the package into <paramref name="destination"/>; false when the feed does not have it.</summary>
    public async Task<bool> TryDownloadAsync(string id, string version, Stream destination, CancellationToken cancellation)
    {
        if (PackageSource.IsLocal && !Directory.Exists(PackageSource.Source))
        {
            return false; // a folder feed nothing was pushed to yet
        }

        return await Reach(async () =>
        {
            var resource = await _repository.GetResourceAsync<FindPackageByIdResource>(cancellation).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The source is no NuGet feed.");
            var parsed = NuGetVersion.Parse(version);
            if (!await resource.DoesPackageExistAsync(id, parsed, _context, _log, cancellation).ConfigureAwait(false))
            {
                return false;
            }

            return await resource.CopyNupkgToStreamAsync(id, parsed, destination, _context, _log, cancellation).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Pushes a package; one the feed already has is left as it is, unless <paramref name="replace"/> deletes it first.</summary>
    public Task PushAsync(string packagePath, string id, string version, bool replace, CancellationToken cancellation) => Reach(async () =>
    {
        if (PackageSource.IsLocal)
        {
            Directory.CreateDirectory(PackageSource.Source);
        }

        var resource = await _repository.GetResourceAsync<PackageUpdateResource>(cancellation).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The source takes no pushes.");
        var apiKey = ApiKey();
        if (replace)
        {
            try
            {
                await resource.Delete(id, version, _ => apiKey, _ => true, noServiceEndpoint: false, PackageSource.AllowInsecureConnections, _log).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or FatalProtocolException or ArgumentException)
            {
                // A feed without deletes (or where the entry vanished) still takes the push; a duplicate is then skipped.
            }
        }

        await resource.Push(
            [packagePath],
            symbolSource: null!,
            PushTimeoutSeconds,
            disableBuffering: false,
            _ => apiKey,
            _ => null!,
            noServiceEndpoint: false,
            skipDuplicate: true,
            symbolPackageUpdateResource: null!,
            PackageSource.AllowInsecureConnections,
            _log).ConfigureAwait(false);
        return true;
    }, CacheErrorCodes.PushFailed);

    public void Dispose() => _context.Dispose();

    /// <summary>The key, or empty where none is configured (a folder feed, or a feed that authenticates by credentials alone).</summary>
    private string ApiKey()
    {
        if (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key)
        {
            return key;
        }

        try
        {
            return SettingsUtility.GetDecryptedValueForAddItem(_settings, ConfigurationConstants.ApiKeys, PackageSource.Source, isPath: false) ?? string.Empty;
        }
        catch (NotSupportedException)
        {
            return string.Empty; // apikeys are stored encrypted, which NuGet supports on Windows only
        }
    }

    private static PackageSource Find(string source, ISettings settings)
    {
        var sources = new PackageSourceProvider(settings).LoadPackageSources().ToList();
        var named = sources.FirstOrDefault(s => string.Equals(s.Name, source, StringComparison.OrdinalIgnoreCase))
            ?? sources.FirstOrDefault(s => string.Equals(s.Source.TrimEnd('/'), source.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
        if (named is not null)
        {
            return named;
        }

        var isUrl = Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        return new PackageSource(isUrl ? source : Path.GetFullPath(source));
    }

    private async Task<bool> Reach(Func<Task<bool>> action, string code = CacheErrorCodes.FeedUnreachable)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is FatalProtocolException or HttpRequestException or IOException or UnauthorizedAccessException or InvalidOperationException or TaskCanceledException && e is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw new LoraException(code, $"The cache feed {Description} could not be used: {Innermost(e)}", PackageSource.Source, e);
        }
    }

    private static string Innermost(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message.Trim());
        }

        return string.Join(" → ", messages.Distinct());
    }
}
