using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LoraBuild.Core.Tests.Hub;

/// <summary>
/// A Hugging Face Hub on the loopback interface, speaking HTTP/1.1 over a raw socket so that tests control every byte:
/// <c>GET /api/models/{repo}/revision/{rev}</c>, <c>HEAD|GET /{repo}/resolve/{rev}/{file}</c> (LFS files answer 302 to
/// a "CDN" on the host name <c>localhost</c>, the Hub itself is <c>127.0.0.1</c>), <c>GET /cdn/{sha256}</c> with
/// <c>Range</c>. It records every request and can gate a repository behind a token, corrupt a blob, cut a transfer
/// and slow one down.
/// </summary>
internal sealed class LoopbackHub : IDisposable
{
    private const int LfsThreshold = 10 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, LoopbackRepo> _repos = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _cuts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _cutsLeft = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HubRequest> _requests = new();
    private readonly CancellationTokenSource _stop = new();

    public LoopbackHub()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    /// <summary>The Hub's own origin, where tokens may go.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public IReadOnlyList<HubRequest> Requests => [.. _requests];

    /// <summary>SHA-256s of blobs served with one byte flipped.</summary>
    public ConcurrentDictionary<string, bool> Corrupt { get; } = new(StringComparer.Ordinal);

    /// <summary>A pause after each 64 KiB of a CDN body, to make transfers overlap.</summary>
    public TimeSpan ChunkDelay { get; set; }

    public LoopbackRepo AddRepo(string id, string? token = null) => _repos[id] = new LoopbackRepo(id, token);

    /// <summary>The next <paramref name="times"/> CDN transfers of the blob stop after <paramref name="bytes"/> bytes, the connection closed.</summary>
    public void CutTransfer(string sha256, int bytes, int times = 1)
    {
        _cuts[sha256] = bytes;
        _cutsLeft[sha256] = times;
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Git's object id of a file, the Hub's ETag of a small file.</summary>
    public static string GitBlobSha1(byte[] content) => Sha1([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]);

    public static string Sha1(byte[] content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        hash.AppendData(content);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static bool IsLfs(string file, byte[] content) =>
        file.EndsWith(".safetensors", StringComparison.Ordinal) || file.EndsWith(".model", StringComparison.Ordinal) || content.Length >= LfsThreshold;

    public void ClearRequests() => _requests.Clear();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Serve(socket));
        }
    }

    private async Task Serve(Socket socket)
    {
        using (socket)
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            try
            {
                var request = await ReadRequest(stream);
                if (request is null)
                {
                    return;
                }

                _requests.Enqueue(request);
                await Respond(stream, request);
                await stream.FlushAsync();
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    private static async Task<HubRequest?> ReadRequest(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 4 || !(bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            bytes.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. bytes]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(h => h[0].Trim(), h => h[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new HubRequest(parts[0], headers.GetValueOrDefault("Host", string.Empty).Split(':')[0], parts[1], headers.GetValueOrDefault("Authorization"), headers.GetValueOrDefault("Range"));
    }

    private async Task Respond(NetworkStream stream, HubRequest request)
    {
        var path = request.Target.Split('?')[0];
        var segments = path.Trim('/').Split('/');
        if (segments is ["cdn", var sha] && request.Host == "localhost")
        {
            await ServeBlob(stream, request, sha);
        }
        else if (request.Host != "127.0.0.1")
        {
            await Write(stream, request, 421, [], default);
        }
        else if (segments is ["api", "models", var org, var name, "revision", var revision] && request.Method == "GET")
        {
            await ServeRevision(stream, request, $"{org}/{name}", Uri.UnescapeDataString(revision));
        }
        else if (segments.Length >= 5 && segments[2] == "resolve")
        {
            var file = string.Join('/', segments.Skip(4).Select(Uri.UnescapeDataString));
            await ServeResolve(stream, request, $"{segments[0]}/{segments[1]}", Uri.UnescapeDataString(segments[3]), file);
        }
        else
        {
            await Write(stream, request, 404, [], default);
        }
    }

    private async Task ServeRevision(NetworkStream stream, HubRequest request, string repoId, string revision)
    {
        if (await Refuse(stream, request, repoId, revision) is not { } found)
        {
            return;
        }

        var (repo, commit) = found;
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = repo.Id,
            sha = commit,
            siblings = repo.Commits[commit].Keys.Order(StringComparer.Ordinal).Select(f => new { rfilename = f }),
        });
        await Write(stream, request, 200, [("Content-Type", "application/json")], json);
    }

    private async Task ServeResolve(NetworkStream stream, HubRequest request, string repoId, string revision, string file)
    {
        if (await Refuse(stream, request, repoId, revision) is not { } found)
        {
            return;
        }

        var (repo, commit) = found;
        if (!repo.Commits[commit].TryGetValue(file, out var content))
        {
            await Write(stream, request, 404, [("X-Error-Code", "EntryNotFound")], default);
            return;
        }

        var gitSha = GitBlobSha1(content);
        if (!IsLfs(file, content))
        {
            await Write(stream, request, 200, [("ETag", $"\"{gitSha}\""), ("X-Repo-Commit", commit)], content);
            return;
        }

        var sha = Sha256(content);
        _blobs[sha] = content;
        await Write(
            stream,
            request,
            302,
            [
                ("Location", $"http://localhost:{Port}/cdn/{sha}?X-Amz-Signature=cdn-signature"),
                ("ETag", $"\"{gitSha}\""), ("X-Linked-Etag", $"\"{sha}\""), ("X-Linked-Size", content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("X-Repo-Commit", commit),
            ],
            default);
    }

    private async Task ServeBlob(NetworkStream stream, HubRequest request, string sha)
    {
        if (!_blobs.TryGetValue(sha, out var content))
        {
            await Write(stream, request, 404, [], default);
            return;
        }

        if (Corrupt.ContainsKey(sha))
        {
            content = [.. content];
            content[content.Length / 2] ^= 0x5A;
        }

        var offset = request.Range is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) ? long.Parse(range[6..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (offset >= content.Length && offset > 0)
        {
            await Write(stream, request, 416, [("Content-Range", $"bytes */{content.Length}")], default);
            return;
        }

        var body = content.AsMemory((int)offset);
        List<(string, string)> headers = offset > 0 ? [("Content-Range", $"bytes {offset}-{content.Length - 1}/{content.Length}")] : [];
        int? cutAfter = null;
        if (_cuts.TryGetValue(sha, out var cut) && _cutsLeft.AddOrUpdate(sha, 0, (_, left) => left - 1) >= 0)
        {
            cutAfter = cut;
        }

        await Write(stream, request, offset > 0 ? 206 : 200, headers, body, cutAfter);
    }

    /// <summary>Answers 401 for a gated repository without its token and 404 for an unknown repository or revision; else the repository and commit.</summary>
    private async Task<(LoopbackRepo Repo, string Commit)?> Refuse(NetworkStream stream, HubRequest request, string repoId, string revision)
    {
        if (!_repos.TryGetValue(repoId, out var repo))
        {
            await Write(stream, request, 404, [("X-Error-Code", "RepoNotFound")], default);
            return null;
        }

        if (repo.Token is { } token && request.Authorization != "Bearer " + token)
        {
            await Write(stream, request, 401, [("X-Error-Code", "GatedRepo")], default);
            return null;
        }

        var commit = repo.Branches.TryGetValue(revision, out var head) ? head : repo.Commits.ContainsKey(revision) ? revision : null;
        if (commit is null)
        {
            await Write(stream, request, 404, [("X-Error-Code", "RevisionNotFound")], default);
            return null;
        }

        return (repo, commit);
    }

    private async Task Write(NetworkStream stream, HubRequest request, int status, IReadOnlyList<(string Name, string Value)> headers, ReadOnlyMemory<byte> body, int? cutAfter = null)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {((HttpStatusCode)status)}\r\nConnection: close\r\nContent-Length: {body.Length}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        if (request.Method == "HEAD")
        {
            return;
        }

        var end = Math.Min(body.Length, cutAfter ?? body.Length);
        for (var start = 0; start < end; start += 64 * 1024)
        {
            await stream.WriteAsync(body[start..Math.Min(end, start + (64 * 1024))]);
            if (ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(ChunkDelay);
            }
        }
    }
}

/// <summary>One request as the server saw it: the host name it was addressed to, and the Authorization and Range headers.</summary>
internal sealed record HubRequest(string Method, string Host, string Target, string? Authorization, string? Range)
{
    public bool IsFileTransfer => Method == "GET" && (Target.StartsWith("/cdn/", StringComparison.Ordinal) || Target.Contains("/resolve/", StringComparison.Ordinal));
}

/// <summary>A repository on the loopback Hub: commits of whole file sets, and branches pointing at them.</summary>
internal sealed class LoopbackRepo(string id, string? token)
{
    private int _pushes;

    public string Id { get; } = id;

    public string? Token { get; } = token;

    public ConcurrentDictionary<string, IReadOnlyDictionary<string, byte[]>> Commits { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> Branches { get; } = new(StringComparer.Ordinal);

    /// <summary>Commits <paramref name="files"/> as the whole tree and moves <paramref name="branch"/> to it; returns the commit hash.</summary>
    public string Push(IReadOnlyDictionary<string, byte[]> files, string branch = "main")
    {
        var tree = string.Join('\n', files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + " " + LoopbackHub.Sha256(f.Value)));
        var commit = LoopbackHub.Sha1(Encoding.UTF8.GetBytes($"{Id}\n{Interlocked.Increment(ref _pushes)}\n{tree}"));
        Commits[commit] = new Dictionary<string, byte[]>(files, StringComparer.Ordinal);
        Branches[branch] = commit;
        return commit;
    }

    /// <summary>Every file of a folder, by relative path.</summary>
    public static Dictionary<string, byte[]> FilesOf(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);
}
