using System.Net;
using System.Security.Cryptography;
using System.Text;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Hub;

/// <summary>
/// Downloads one file into <c>blobs/{etag}</c>: under the blob's lock, into <c>blobs/{etag}.incomplete</c>, resuming
/// a partial file with <c>Range</c>, retrying a broken transfer, checking the size and hash the Hub announced, and
/// renaming into place only when they match, so a blob is never there unless it is whole and verified.
/// </summary>
internal sealed class HubBlobDownloader(HubHttp http, HubSettings settings)
{
    private const int BufferSize = 1 << 20;

    public async Task EnsureBlobAsync(
        HubRepoCache cache, HubModelReference model, string file, HubFileMetadata metadata, IProgress<HubDownloadProgress>? progress, CancellationToken cancellation)
    {
        var blob = cache.BlobPath(metadata.ETag);
        if (File.Exists(blob))
        {
            return;
        }

        using var fileLock = await HubFileLock.AcquireAsync(cache.LockPath(metadata.ETag), settings.LockTimeout, $"{file} of {model}", cancellation).ConfigureAwait(false);
        if (File.Exists(blob))
        {
            return; // another process finished it while this one waited
        }

        var partial = cache.IncompletePath(metadata.ETag);
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        var meter = new TransferMeter(model, file, metadata.Size, settings.ProgressInterval, progress);
        await DownloadAsync(partial, model, file, metadata, meter, cancellation).ConfigureAwait(false);
        var length = Verify(partial, model, file, metadata);
        try
        {
            File.Move(partial, blob, overwrite: false);
        }
        catch (IOException) when (File.Exists(blob))
        {
            File.Delete(partial); // a writer that takes no lock got there first; the name is the content hash, so its blob is this one
        }

        meter.Complete(length);
    }

    private async Task DownloadAsync(string partial, HubModelReference model, string file, HubFileMetadata metadata, TransferMeter meter, CancellationToken cancellation)
    {
        for (var tries = 1; ; tries++)
        {
            var offset = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            if (metadata.Size is { } size && offset >= size && offset > 0)
            {
                if (offset == size)
                {
                    return; // a previous run got every byte and stopped before the rename
                }

                File.Delete(partial);
                offset = 0;
            }

            try
            {
                await TransferAsync(partial, offset, model, file, metadata, meter, cancellation).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (HubFailures.IsTransient(e, cancellation))
            {
                if (tries >= settings.Attempts)
                {
                    throw HubFailures.Network(settings, model, file, e, partialKept: File.Exists(partial));
                }

                await Task.Delay(settings.RetryDelay * Math.Pow(2, tries - 1), cancellation).ConfigureAwait(false);
            }
        }
    }

    private async Task TransferAsync(
        string partial, long offset, HubModelReference model, string file, HubFileMetadata metadata, TransferMeter meter, CancellationToken cancellation)
    {
        using var response = await http.SendAsync(HttpMethod.Get, metadata.Location, offset, cancellation).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(partial);
            throw new HubTransientException("the server refused to resume the partial download; starting over");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw HubFailures.ForStatus(response, settings, model, file, metadata.Commit);
        }

        // A server that ignores Range answers 200 with the whole file: start over rather than append it.
        var resume = offset > 0 && response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == offset;
        var written = resume ? offset : 0;
        meter.Advance(written, force: true);
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new HubTransientException($"the connection broke ({e.Message})", e);
        }

        await using (body.ConfigureAwait(false))
        {
            var output = new FileStream(partial, resume ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                var buffer = new byte[BufferSize];
                while (true)
                {
                    int read;
                    using (var timeout = http.Timeout(cancellation))
                    {
                        try
                        {
                            read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                        }
                        catch (IOException e)
                        {
                            throw new HubTransientException($"the connection broke after {written:N0} bytes ({e.Message})", e);
                        }
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    await output.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
                    written += read;
                    meter.Advance(written);
                }

                output.Flush(flushToDisk: true);
            }
        }

        meter.Advance(written, force: true);
        if (metadata.Size is { } size && written < size)
        {
            throw new HubTransientException($"the transfer ended after {written:N0} of {size:N0} bytes");
        }
    }

    /// <summary>Checks the finished partial file; on a mismatch deletes it and throws, so no unverified blob is ever kept.</summary>
    private static long Verify(string partial, HubModelReference model, string file, HubFileMetadata metadata)
    {
        var length = new FileInfo(partial).Length;
        string problem;
        if (metadata.Size is { } size && length != size)
        {
            problem = $"{length:N0} bytes where the Hub announced {size:N0}";
        }
        else
        {
            var actual = metadata.IsSha256 ? Sha256(partial) : GitBlobSha1(partial, length);
            if (actual == metadata.ETag)
            {
                return length;
            }

            problem = $"{(metadata.IsSha256 ? "SHA-256" : "git blob hash")} {actual} where the Hub announced {metadata.ETag}";
        }

        File.Delete(partial);
        throw new LoraException(
            HubErrorCodes.HashMismatch,
            $"The download of {file} of {model} is corrupt: {problem}. It was deleted and no blob was kept; run again to download it anew. "
                + "If this repeats, the server or a proxy between serves damaged data.",
            $"{model}/{file}");
    }

    private static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Git's object id of a file: SHA-1 of <c>"blob {length}\0"</c> followed by the content; the Hub's ETag of a non-LFS file.</summary>
    private static string GitBlobSha1(string path, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        hash.AppendData(Encoding.ASCII.GetBytes($"blob {length}\0"));
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
