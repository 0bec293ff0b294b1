using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Hub;

/// <summary>
/// The Hub's HTTP routes: the revision API, file metadata by <c>HEAD</c>, and file bytes by <c>GET</c> with
/// <c>Range</c>. Redirects are followed here rather than by the handler so that the token goes to the Hub's own
/// origin only, never to the CDN an LFS file redirects to.
/// </summary>
internal sealed class HubHttp : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HttpClient _client;
    private readonly HubSettings _settings;
    private readonly string _endpoint;

    public HubHttp(HubSettings settings, HttpMessageHandler? handler)
    {
        _settings = settings;
        _endpoint = settings.Endpoint.AbsoluteUri.TrimEnd('/');
        _client = new HttpClient(
            handler ?? new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = settings.ReadTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            },
            disposeHandler: true)
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("lorabuild", AssemblyVersions.Informational(typeof(HubHttp).Assembly)));
    }

    public Uri ResolveUrl(HubModelReference model, string revision, string file) =>
        new($"{_endpoint}/{model.RepoId}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}");

    /// <summary>The commit a revision points to and the repository's files at it: one request.</summary>
    public Task<HubRevision> GetRevisionAsync(HubModelReference model, CancellationToken cancellation) => WithRetries(model, null, async token =>
    {
        var url = new Uri($"{_endpoint}/api/models/{model.RepoId}/revision/{Uri.EscapeDataString(model.Revision)}");
        using var response = await SendAsync(HttpMethod.Get, url, 0, token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw HubFailures.ForStatus(response, _settings, model, null, null);
        }

        using var timeout = Timeout(token);
        var json = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(json);
            var commit = document.RootElement.GetProperty("sha").GetString();
            var files = document.RootElement.GetProperty("siblings").EnumerateArray().Select(s => s.GetProperty("rfilename").GetString()!).ToList();
            return commit is not null && HubModelReference.IsCommitHash(commit)
                ? new HubRevision(commit, files)
                : throw HubFailures.Invalid(model, null, $"'{commit}' as the commit, which is not a 40-digit hash");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw HubFailures.Invalid(model, null, $"revision JSON without 'sha' and 'siblings' ({e.Message})");
        }
    }, cancellation);

    /// <summary>A file's blob name (its hash), size and where to fetch it, as <c>hf_hub_download</c> reads them.</summary>
    public Task<HubFileMetadata> GetFileMetadataAsync(HubModelReference model, string commit, string file, CancellationToken cancellation) => WithRetries(model, file, async token =>
    {
        using var response = await SendAsync(HttpMethod.Head, ResolveUrl(model, commit, file), 0, token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && !IsRedirect(response.StatusCode))
        {
            throw HubFailures.ForStatus(response, _settings, model, file, commit);
        }

        var etag = NormalizeETag(Header(response, "X-Linked-Etag") ?? Header(response, "ETag"));
        if (etag is null || !IsHex(etag) || etag.Length is not (40 or 64))
        {
            throw HubFailures.Invalid(model, file, $"'{etag}' as the ETag, which is neither a git blob hash nor a SHA-256");
        }

        var size = long.TryParse(Header(response, "X-Linked-Size"), out var linked) ? linked : response.Content.Headers.ContentLength;
        var url = response.RequestMessage!.RequestUri!;
        var location = response.Headers.Location is { } target ? (target.IsAbsoluteUri ? target : new Uri(url, target)) : url;
        return new HubFileMetadata(Header(response, "X-Repo-Commit"), etag.ToLowerInvariant(), size, location);
    }, cancellation);

    /// <summary>
    /// Sends a request, following redirects (a <c>HEAD</c> follows only relative ones, as huggingface_hub does, so the
    /// LFS headers of the Hub's own answer are kept). The response's headers have arrived; its body is not read.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, long offset, CancellationToken cancellation)
    {
        for (var hop = 0; ; hop++)
        {
            var request = new HttpRequestMessage(method, url);
            if (_settings.Token is { } token && SameOrigin(url, _settings.Endpoint))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            HttpResponseMessage response;
            using (var timeout = Timeout(cancellation))
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }

            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location || (method == HttpMethod.Head && location.IsAbsoluteUri))
            {
                return response;
            }

            response.Dispose();
            if (hop == MaxRedirects)
            {
                throw new HubTransientException($"more than {MaxRedirects} redirects from {HubFailures.Host(url)}");
            }

            url = location.IsAbsoluteUri ? location : new Uri(url, location);
        }
    }

    /// <summary>A token source that cancels when the connection stays silent for the read timeout.</summary>
    public CancellationTokenSource Timeout(CancellationToken cancellation)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        source.CancelAfter(_settings.ReadTimeout);
        return source;
    }

    public void Dispose() => _client.Dispose();

    private async Task<T> WithRetries<T>(HubModelReference model, string? file, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellation)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await attempt(cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (HubFailures.IsTransient(e, cancellation))
            {
                if (tries >= _settings.Attempts)
                {
                    throw HubFailures.Network(_settings, model, file, e, partialKept: false);
                }

                await Task.Delay(_settings.RetryDelay * Math.Pow(2, tries - 1), cancellation).ConfigureAwait(false);
            }
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new HubTransientException($"the connection broke ({e.Message})", e);
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400 and not 304;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? NormalizeETag(string? etag) => etag?.Trim() is { } value
        ? (value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value).Trim('"')
        : null;

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigit);
}
