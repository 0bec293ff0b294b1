namespace LoraBuild.Core.Hub;

/// <summary>
/// Where the Hub and its cache are and how to talk to it. <see cref="HubEnvironment.Read"/> fills it from the same
/// environment variables huggingface_hub reads; tests build it directly.
/// </summary>
public sealed class HubSettings
{
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>The Hub's base URL (<c>HF_ENDPOINT</c>); the token is only ever sent to this origin.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The cache root holding <c>models--org--name</c> folders (<c>HF_HUB_CACHE</c>).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The access token for gated and private models; never printed, logged or written.</summary>
    public string? Token { get; init; }

    /// <summary>Where <see cref="Token"/> came from (<c>HF_TOKEN</c> or the token file's path), to name in errors instead of the token.</summary>
    public string? TokenSource { get; init; }

    /// <summary>No HTTP at all: revisions resolve through the cache's refs (<c>HF_HUB_OFFLINE=1</c>).</summary>
    public bool Offline { get; init; }

    /// <summary>How long a connection may stay silent before the request counts as failed (<c>HF_HUB_DOWNLOAD_TIMEOUT</c>).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Tries per request; a broken download resumes where it stopped on the next try.</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>The wait before the first retry; it doubles with each further try.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for another process that is downloading the same file.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How often download progress is reported per file.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Describes the settings without the token itself.</summary>
    public override string ToString() =>
        $"endpoint {Endpoint}, cache {CacheDirectory}, token {(Token is null ? "none" : "from " + TokenSource)}, offline {Offline}";
}
