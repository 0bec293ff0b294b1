namespace LoraBuild.Core.Hub;

/// <summary>
/// Codes for fetching base models from the Hugging Face Hub and its cache (range LORA2080–LORA2089), and for the
/// network and disk faults a download meets (range LORA5010–LORA5019).
/// </summary>
public static class HubErrorCodes
{
    /// <summary>A hub reference is malformed: not <c>hf://org/name@revision</c>, or the repository id or revision is not a valid name.</summary>
    public const string ReferenceInvalid = "LORA2080";

    /// <summary>The Hub refused access (HTTP 401 or 403): the repository is gated or private; accept its license on the Hub and set <c>HF_TOKEN</c>.</summary>
    public const string AccessDenied = "LORA2081";

    /// <summary>The Hub has no such repository or revision (HTTP 404).</summary>
    public const string RepositoryNotFound = "LORA2082";

    /// <summary>A file the model needs is not in the repository at that commit (HTTP 404), e.g. a shard its index names.</summary>
    public const string FileNotFound = "LORA2083";

    /// <summary>A downloaded file's SHA-256 (or git blob hash) or size differs from what the Hub announced; the download is deleted and no blob is kept.</summary>
    public const string HashMismatch = "LORA2084";

    /// <summary><c>HF_HUB_OFFLINE=1</c> is set and the cache holds no complete snapshot of the revision.</summary>
    public const string NotCached = "LORA2085";

    /// <summary>The repository is not a model LoraBuild can read: no <c>config.json</c>, or no safetensors weights (only <c>.bin</c>, <c>.pt</c> or <c>.gguf</c>).</summary>
    public const string NotAModel = "LORA2086";

    /// <summary>The server at <c>HF_ENDPOINT</c> answered something that is not the Hub's API: no commit, no ETag, malformed JSON or an unexpected status.</summary>
    public const string ResponseInvalid = "LORA2087";

    /// <summary>A hub setting from the environment is invalid, e.g. <c>HF_ENDPOINT</c> is not an http(s) URL.</summary>
    public const string SettingInvalid = "LORA2088";

    /// <summary>The Hub could not be reached or the connection broke (after retries); a partial download is kept and resumed by the next run.</summary>
    public const string NetworkFailure = "LORA5010";

    /// <summary>The disk holding the Hugging Face cache is full; the partial download is kept and resumed once space is freed.</summary>
    public const string DiskFull = "LORA5011";

    /// <summary>The Hugging Face cache folder cannot be created or written (permissions, read-only file system).</summary>
    public const string CacheNotWritable = "LORA5012";

    /// <summary>Another process held a file's download lock in the cache for longer than the lock timeout.</summary>
    public const string LockTimeout = "LORA5013";
}
