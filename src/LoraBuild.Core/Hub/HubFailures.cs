using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Hub;

/// <summary>
/// Classifies what goes wrong talking to the Hub or writing the cache into coded errors that name the repository and
/// the file. None of them ever includes the token: they name where it came from instead.
/// </summary>
internal static class HubFailures
{
    private const int Enospc = 28;

    /// <summary>A failure worth another try: no connection, a broken or silent transfer, a server error or rate limit.</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellation) =>
        e is HttpRequestException or HubTransientException || (e is OperationCanceledException && !cancellation.IsCancellationRequested);

    /// <summary>ENOSPC on Linux and macOS; ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.</summary>
    public static bool IsDiskFull(IOException e) => e.HResult is Enospc or unchecked((int)0x80070070) or unchecked((int)0x80070027);

    public static LoraException Network(HubSettings settings, HubModelReference model, string? file, Exception e, bool partialKept) => new(
        HubErrorCodes.NetworkFailure,
        $"Could not {(file is null ? $"ask {Host(settings.Endpoint)} about {model}" : $"download {file} of {model}")} after {settings.Attempts} tries: {Reason(e)}."
            + (partialKept ? " The part already downloaded is kept; the next run resumes it." : string.Empty)
            + " Check the network and HF_ENDPOINT; a model already in the cache trains without the network with HF_HUB_OFFLINE=1.",
        Location(model, file),
        e);

    public static LoraException DiskFull(HubSettings settings, HubModelReference model, string? file, IOException e) => new(
        HubErrorCodes.DiskFull,
        $"The disk holding the Hugging Face cache {settings.CacheDirectory} is full{(file is null ? string.Empty : $" while downloading {file}")}. "
            + "Free space (or point HF_HUB_CACHE elsewhere) and run again; a partial download is resumed.",
        Location(model, file),
        e);

    public static LoraException NotWritable(HubSettings settings, HubModelReference model, Exception e) => new(
        HubErrorCodes.CacheNotWritable,
        $"The Hugging Face cache {settings.CacheDirectory} cannot be written: {e.Message} Set HF_HUB_CACHE (or HF_HOME) to a writable folder.",
        Location(model, null),
        e);

    public static LoraException Invalid(HubModelReference model, string? file, string what) => new(
        HubErrorCodes.ResponseInvalid,
        $"The server answered {what} for {(file is null ? model.ToString() : $"{file} of {model}")}; is HF_ENDPOINT a Hugging Face Hub?",
        Location(model, file));

    /// <summary>The error for an unsuccessful status; a transient marker for server errors and rate limits, which are retried.</summary>
    public static Exception ForStatus(HttpResponseMessage response, HubSettings settings, HubModelReference model, string? file, string? commit)
    {
        var status = (int)response.StatusCode;
        var errorCode = response.Headers.TryGetValues("X-Error-Code", out var values) ? values.FirstOrDefault() : null;
        var at = Location(model, file);
        if (status is >= 500 or 429 or 408)
        {
            return new HubTransientException($"HTTP {status} from {Host(response.RequestMessage?.RequestUri ?? settings.Endpoint)}");
        }

        if (errorCode is "RepoNotFound" or "RevisionNotFound" || (status == 404 && file is null))
        {
            var privateHint = status == 401 && settings.Token is null ? "; a private repository also needs HF_TOKEN" : string.Empty;
            return new LoraException(
                HubErrorCodes.RepositoryNotFound,
                $"{Host(settings.Endpoint)} has no repository {model.RepoId} or no revision '{model.Revision}' of it (HTTP {status}). Check the id and the revision{privateHint}.",
                at);
        }

        if (status is 401 or 403)
        {
            var page = $"{settings.Endpoint.AbsoluteUri.TrimEnd('/')}/{model.RepoId}";
            return new LoraException(
                HubErrorCodes.AccessDenied,
                settings.Token is null
                    ? $"The Hub refused {model} (HTTP {status}): the model is gated or private. Accept its license at {page} and set HF_TOKEN to an access token of that account (or save one in $HF_HOME/token)."
                    : $"The Hub refused {model} (HTTP {status}) with the token from {settings.TokenSource}: the token is invalid or expired, or its account has no access. Accept the model's license at {page} with that account, or use another token.",
                at);
        }

        if (status == 404)
        {
            return new LoraException(HubErrorCodes.FileNotFound, $"{file} is not in {model.RepoId} at commit {commit ?? model.Revision} (HTTP 404).", at);
        }

        return Invalid(model, file, $"HTTP {status}{(errorCode is null ? string.Empty : $" ({errorCode})")}");
    }

    /// <summary>Scheme, host and port of a URL, never its path or query (a CDN's signed query is a secret).</summary>
    public static string Host(Uri url) => url.GetLeftPart(UriPartial.Authority);

    private static string Location(HubModelReference model, string? file) => file is null ? model.ToString() : $"{model}/{file}";

    private static string Reason(Exception e) => e switch
    {
        HubTransientException transient => transient.Message,
        OperationCanceledException => "the connection was silent for longer than the timeout (HF_HUB_DOWNLOAD_TIMEOUT)",
        HttpRequestException { InnerException: { } inner } http => $"{http.Message} ({inner.Message})",
        _ => e.Message,
    };
}

/// <summary>A failure that another try may not meet: a broken transfer, a server error.</summary>
internal sealed class HubTransientException(string message, Exception? inner = null) : Exception(message, inner);
