using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Hub;

/// <summary>
/// Fetches the files a base model needs from the Hugging Face Hub into the cache huggingface_hub uses, and answers
/// the local snapshot folder and the commit. Requests made, by case:
/// <list type="bullet">
/// <item>a commit-hash revision whose snapshot is complete in the cache: none;</item>
/// <item>a branch or tag whose commit's snapshot is complete: one (the revision API, to learn where the branch is now);</item>
/// <item>otherwise one, plus a <c>HEAD</c> per missing file and a <c>GET</c> per missing blob;</item>
/// <item><see cref="HubSettings.Offline"/>: none; refs resolve through the cache alone.</item>
/// </list>
/// </summary>
public sealed class HubClient : IDisposable
{
    private readonly HubSettings _settings;
    private readonly HttpMessageHandler? _handler;
    private HubHttp? _http;

    /// <param name="settings">Endpoint, cache, token and offline mode.</param>
    /// <param name="handler">The HTTP handler; null uses one that does not follow redirects itself (this class does).</param>
    public HubClient(HubSettings settings, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _handler = handler;
    }

    private HubHttp Http => _http ??= new HubHttp(_settings, _handler);

    /// <exception cref="LoraException">LORA208x and LORA501x: see <see cref="HubErrorCodes"/>.</exception>
    public async Task<HubSnapshot> DownloadAsync(HubModelReference model, IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var cache = new HubRepoCache(_settings.CacheDirectory, model);
        try
        {
            if (_settings.Offline)
            {
                return FromCache(cache, model);
            }

            if (model.IsPinned && HubModelFiles.IsComplete(cache.SnapshotFolder(model.Revision)))
            {
                return Cached(cache, model, model.Revision);
            }

            return await FetchAsync(cache, model, progress, cancellation).ConfigureAwait(false);
        }
        catch (IOException e) when (HubFailures.IsDiskFull(e))
        {
            throw HubFailures.DiskFull(_settings, model, null, e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw HubFailures.NotWritable(_settings, model, e);
        }
    }

    public void Dispose() => _http?.Dispose();

    private async Task<HubSnapshot> FetchAsync(HubRepoCache cache, HubModelReference model, IProgress<HubDownloadProgress>? progress, CancellationToken cancellation)
    {
        var revision = await Http.GetRevisionAsync(model, cancellation).ConfigureAwait(false);
        var files = HubModelFiles.Select(revision.Files, model).ToList();
        var downloader = new HubBlobDownloader(Http, _settings);
        foreach (var file in files)
        {
            await EnsureFileAsync(cache, model, revision.Commit, file, downloader, progress, cancellation).ConfigureAwait(false);
        }

        if (files[^1] == HubModelFiles.WeightsIndex)
        {
            var available = revision.Files.ToHashSet(StringComparer.Ordinal);
            foreach (var shard in HubModelFiles.Shards(cache.SnapshotFile(revision.Commit, HubModelFiles.WeightsIndex), model.ToString()))
            {
                if (!available.Contains(shard))
                {
                    throw new LoraException(
                        HubErrorCodes.FileNotFound,
                        $"{HubModelFiles.WeightsIndex} names the shard {shard}, which is not in {model.RepoId} at commit {revision.Commit}.",
                        $"{model}/{HubModelFiles.WeightsIndex}");
                }

                await EnsureFileAsync(cache, model, revision.Commit, shard, downloader, progress, cancellation).ConfigureAwait(false);
                files.Add(shard);
            }
        }

        if (model.Revision != revision.Commit)
        {
            cache.WriteRef(model.Revision, revision.Commit);
        }

        return new HubSnapshot(model, revision.Commit, cache.SnapshotFolder(revision.Commit), files);
    }

    private async Task EnsureFileAsync(
        HubRepoCache cache, HubModelReference model, string commit, string file, HubBlobDownloader downloader, IProgress<HubDownloadProgress>? progress, CancellationToken cancellation)
    {
        if (!HubModelFiles.IsSafeRelativePath(file))
        {
            throw HubFailures.Invalid(model, null, $"a file name outside the repository ('{file}')");
        }

        // A snapshot file is immutable: its commit fixes its content, so one already linked needs no request.
        if (File.Exists(cache.SnapshotFile(commit, file)))
        {
            return;
        }

        var metadata = await Http.GetFileMetadataAsync(model, commit, file, cancellation).ConfigureAwait(false);
        if (metadata.Commit is { } served && served != commit)
        {
            throw HubFailures.Invalid(model, file, $"commit {served} for a request at commit {commit}");
        }

        try
        {
            await downloader.EnsureBlobAsync(cache, model, file, metadata, progress, cancellation).ConfigureAwait(false);
        }
        catch (IOException e) when (HubFailures.IsDiskFull(e))
        {
            throw HubFailures.DiskFull(_settings, model, file, e);
        }

        cache.Link(commit, file, metadata.ETag);
    }

    private HubSnapshot FromCache(HubRepoCache cache, HubModelReference model)
    {
        var commit = model.IsPinned ? model.Revision : cache.ReadRef(model.Revision);
        if (commit is null)
        {
            throw new LoraException(
                HubErrorCodes.NotCached,
                $"HF_HUB_OFFLINE is set and the cache {_settings.CacheDirectory} has no {model} (no refs/{model.Revision} under {cache.Folder}). "
                    + "Run once without HF_HUB_OFFLINE to download it, or name a commit that is cached.",
                model.ToString());
        }

        if (!HubModelFiles.IsComplete(cache.SnapshotFolder(commit)))
        {
            throw new LoraException(
                HubErrorCodes.NotCached,
                $"HF_HUB_OFFLINE is set and the cached snapshot {commit} of {model.RepoId} is incomplete: it needs config.json, tokenizer.json or tokenizer.model, "
                    + "and the safetensors weights (every shard). Run once without HF_HUB_OFFLINE to complete it.",
                cache.SnapshotFolder(commit));
        }

        return Cached(cache, model, commit);
    }

    private static HubSnapshot Cached(HubRepoCache cache, HubModelReference model, string commit)
    {
        var folder = cache.SnapshotFolder(commit);
        return new HubSnapshot(model, commit, folder, HubModelFiles.Present(folder, model));
    }
}
