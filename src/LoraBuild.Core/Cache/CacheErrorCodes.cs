namespace LoraBuild.Core.Cache;

/// <summary>Codes for the training cache on a NuGet feed (range LORA4300–LORA4349).</summary>
public static class CacheErrorCodes
{
    /// <summary>LoraCacheMode (or LORABUILD_CACHE_MODE, --cache-mode) is not off, read or readwrite, or a mode other than off has no cache source.</summary>
    public const string SettingInvalid = "LORA4300";

    /// <summary>Warning: a cache entry is corrupt or is not the adapter asked for (a file's SHA-256 differs from its manifest, a file is missing or extra, or the fingerprint differs); it is not used, the adapter trains, and readwrite mode replaces the entry.</summary>
    public const string EntryInvalid = "LORA4301";

    /// <summary>Warning (an error with LoraCacheRequired): the cache feed could not be reached or answered with a failure; the adapter trains as if the cache were off.</summary>
    public const string FeedUnreachable = "LORA4302";

    /// <summary>Warning (an error with LoraCacheRequired): the trained adapter could not be pushed to the cache feed (no API key accepted, no write access, a network failure).</summary>
    public const string PushFailed = "LORA4303";
}
