using System.Text.RegularExpressions;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Hub;

/// <summary>A model repository on the Hub and a revision of it (branch, tag or commit): <c>hf://org/name@revision</c>.</summary>
public sealed partial record HubModelReference
{
    public const string Scheme = BaseModelReference.HubScheme;

    public const string DefaultRevision = "main";

    private HubModelReference(string repoId, string revision)
    {
        RepoId = repoId;
        Revision = revision;
    }

    /// <summary><c>org/name</c> (or a bare <c>name</c> for the Hub's few legacy top-level models).</summary>
    public string RepoId { get; }

    /// <summary>A branch, a tag, or a 40-digit commit hash; <c>main</c> when none is given.</summary>
    public string Revision { get; }

    /// <summary>True when <see cref="Revision"/> is a full commit hash, which can never move.</summary>
    public bool IsPinned => IsCommitHash(Revision);

    /// <summary>The repository's folder in the cache, named as huggingface_hub names it: <c>models--org--name</c>.</summary>
    public string CacheFolderName => "models--" + RepoId.Replace("/", "--", StringComparison.Ordinal);

    public static bool IsHubUri(string text) => text.StartsWith(Scheme, StringComparison.Ordinal);

    /// <summary>Parses <c>hf://org/name</c> or <c>hf://org/name@revision</c>.</summary>
    /// <exception cref="LoraException">LORA2080: the text is not such a reference.</exception>
    public static HubModelReference Parse(string text, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsHubUri(text))
        {
            throw new LoraException(HubErrorCodes.ReferenceInvalid, $"'{text}' is not a hub reference; write hf://org/name or hf://org/name@revision.", location);
        }

        var reference = BaseModelReference.FromText(text);
        return Create(reference.HubId!, reference.Revision, location);
    }

    /// <summary>A reference from a repository id and an optional revision (null or empty means <c>main</c>).</summary>
    /// <exception cref="LoraException">LORA2080: the id or the revision is not a valid name.</exception>
    public static HubModelReference Create(string repoId, string? revision, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(repoId);
        if (repoId.Length > 96 || !RepoIdRegex().IsMatch(repoId) || repoId.Contains("--", StringComparison.Ordinal) || repoId.Contains("..", StringComparison.Ordinal))
        {
            throw new LoraException(
                HubErrorCodes.ReferenceInvalid,
                $"'{repoId}' is not a Hub repository id: expected org/name with letters, digits, '-', '_' and '.' (no '--' or '..', at most 96 characters).",
                location);
        }

        revision = string.IsNullOrEmpty(revision) ? DefaultRevision : revision;
        // The revision becomes a path under refs/, so no segment may climb out of it.
        if (revision.Split('/').Any(segment => segment is "" or "." or "..") || revision.Any(c => char.IsControl(c) || c is '\\' or ' ' or ':' or '?' or '#'))
        {
            throw new LoraException(HubErrorCodes.ReferenceInvalid, $"'{revision}' is not a valid revision of {repoId}: expected a branch, a tag or a commit hash.", location);
        }

        return new HubModelReference(repoId, revision);
    }

    /// <summary>True for a full 40-digit lowercase hexadecimal git commit hash.</summary>
    public static bool IsCommitHash(string text) => CommitRegex().IsMatch(text);

    public override string ToString() => $"{Scheme}{RepoId}@{Revision}";

    [GeneratedRegex("^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?/)?[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$")]
    private static partial Regex RepoIdRegex();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitRegex();
}
