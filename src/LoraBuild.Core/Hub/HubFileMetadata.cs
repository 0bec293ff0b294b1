namespace LoraBuild.Core.Hub;

/// <summary>What a <c>HEAD</c> of <c>/{repo}/resolve/{commit}/{file}</c> answers.</summary>
/// <param name="Commit">X-Repo-Commit, when sent.</param>
/// <param name="ETag">X-Linked-Etag (the SHA-256 of an LFS file) or the ETag (the git blob hash of a small file); the blob's name in the cache.</param>
/// <param name="Size">X-Linked-Size or Content-Length, when sent.</param>
/// <param name="Location">Where the bytes are: the redirect target of an LFS file (often another host), else the file's own URL.</param>
internal sealed record HubFileMetadata(string? Commit, string ETag, long? Size, Uri Location)
{
    /// <summary>An LFS file: its ETag is the SHA-256 of its content.</summary>
    public bool IsSha256 => ETag.Length == 64;
}
