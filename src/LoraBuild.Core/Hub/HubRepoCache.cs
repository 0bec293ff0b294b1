using LoraBuild.Core.IO;

namespace LoraBuild.Core.Hub;

/// <summary>
/// One repository's folder in the cache, laid out exactly as huggingface_hub lays it out:
/// <c>models--org--name/blobs/{etag}</c> holds each file's bytes once, <c>snapshots/{commit}/{path}</c> are relative
/// symbolic links to <c>../../blobs/{etag}</c>, <c>refs/{revision}</c> holds a branch's or tag's commit, and
/// <c>.locks/models--org--name/{etag}.lock</c> serializes downloads of one blob between processes.
/// </summary>
internal sealed class HubRepoCache(string cacheDirectory, HubModelReference model)
{
    public string Folder { get; } = Path.Combine(cacheDirectory, model.CacheFolderName);

    public string BlobPath(string etag) => Path.Combine(Folder, "blobs", etag);

    /// <summary>The partial download, named as huggingface_hub names it so either tool can resume the other's.</summary>
    public string IncompletePath(string etag) => BlobPath(etag) + ".incomplete";

    public string LockPath(string etag) => Path.Combine(cacheDirectory, ".locks", model.CacheFolderName, etag + ".lock");

    public string SnapshotFolder(string commit) => Path.Combine(Folder, "snapshots", commit);

    public string SnapshotFile(string commit, string file) => Path.Combine(SnapshotFolder(commit), file);

    /// <summary>The commit <c>refs/{revision}</c> records, or null when there is none.</summary>
    public string? ReadRef(string revision)
    {
        var path = RefPath(revision);
        if (!File.Exists(path))
        {
            return null;
        }

        var commit = File.ReadAllText(path).Trim();
        return HubModelReference.IsCommitHash(commit) ? commit : null;
    }

    /// <summary>Records a branch's or tag's commit, without a newline, as huggingface_hub writes it.</summary>
    public void WriteRef(string revision, string commit)
    {
        if (ReadRef(revision) != commit)
        {
            AtomicFile.WriteAllText(RefPath(revision), commit);
        }
    }

    /// <summary>Points <c>snapshots/{commit}/{file}</c> at its blob with a relative link, replacing whatever was there in one rename.</summary>
    public void Link(string commit, string file, string etag)
    {
        var pointer = SnapshotFile(commit, file);
        var folder = Path.GetDirectoryName(pointer)!;
        var target = Path.GetRelativePath(folder, BlobPath(etag));
        var existing = new FileInfo(pointer);
        if (existing.LinkTarget == target)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        var temporary = AtomicFile.TemporaryPathBeside(pointer);
        File.CreateSymbolicLink(temporary, target);
        try
        {
            File.Move(temporary, pointer, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private string RefPath(string revision) => Path.Combine(Folder, "refs", revision);
}
