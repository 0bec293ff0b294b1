using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace LoraBuild.Engine.Resumption;

/// <summary>
/// The hidden folder beside an output that holds a run's training checkpoints: <c>.&lt;output&gt;.checkpoints/</c>. Each
/// checkpoint is one file named <c>step-&lt;n&gt;.&lt;hash&gt;.ckpt</c>, where the hash is the first 32 hex digits of
/// the SHA-256 of the whole file, so a file that changed after it was written (truncated, a bit flipped) is recognised
/// before a byte of it is used. Files appear by rename from a hidden temporary name, so a kill mid-write leaves only a
/// temporary file, which the next run removes.
/// </summary>
public sealed partial class CheckpointFolder
{
    private const string Extension = ".ckpt";
    private const int HashDigits = 32;

    public CheckpointFolder(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var target = Path.GetFullPath(outputDirectory).TrimEnd(Path.DirectorySeparatorChar);
        FullPath = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.checkpoints");
    }

    public string FullPath { get; }

    /// <summary>Checkpoint files here, newest step first (files whose name is not a checkpoint's are not listed).</summary>
    public IReadOnlyList<CheckpointFile> List()
    {
        if (!Directory.Exists(FullPath))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(FullPath, "step-*" + Extension)
            .Select(path => (Path: path, Match: FileNamePattern().Match(Path.GetFileName(path))))
            .Where(entry => entry.Match.Success)
            .Select(entry => new CheckpointFile(
                entry.Path, int.Parse(entry.Match.Groups["step"].Value, CultureInfo.InvariantCulture), entry.Match.Groups["hash"].Value))
            .OrderByDescending(file => file.Step)
            .ThenByDescending(file => File.GetLastWriteTimeUtc(file.Path))];
    }

    /// <summary>A new hidden temporary path to write a checkpoint to before <see cref="Publish"/> names it.</summary>
    public string NewTemporaryPath()
    {
        Directory.CreateDirectory(FullPath);
        return Path.Combine(FullPath, $".{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Hashes the finished temporary file and renames it to its checkpoint name for <paramref name="step"/>.</summary>
    public CheckpointFile Publish(string temporaryPath, int step)
    {
        var hash = HashOf(temporaryPath);
        var path = Path.Combine(FullPath, $"step-{step.ToString("D6", CultureInfo.InvariantCulture)}.{hash}{Extension}");
        File.Move(temporaryPath, path, overwrite: true);
        return new CheckpointFile(path, step, hash);
    }

    /// <summary>Whether the file still has the bytes its name was made from.</summary>
    public static bool IsIntact(CheckpointFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return string.Equals(HashOf(file.Path), file.Hash, StringComparison.Ordinal);
    }

    /// <summary>Deletes temporary files a killed write left behind, and every checkpoint but the <paramref name="keep"/> newest.</summary>
    public void Prune(int keep)
    {
        RemoveTemporaryFiles();
        foreach (var old in List().Skip(keep))
        {
            DeleteQuietly(old.Path);
        }
    }

    /// <summary>Deletes the temporary files a write killed before its rename left behind.</summary>
    public void RemoveTemporaryFiles()
    {
        if (!Directory.Exists(FullPath))
        {
            return;
        }

        foreach (var temporary in Directory.EnumerateFiles(FullPath, ".*.tmp"))
        {
            DeleteQuietly(temporary);
        }
    }

    /// <summary>Removes the folder once the run's output is in place: its checkpoints are of no more use.</summary>
    public void Delete()
    {
        try
        {
            if (Directory.Exists(FullPath))
            {
                Directory.Delete(FullPath, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leftover checkpoints cost disk space only; the next run of another fingerprint ignores them.
        }
    }

    private static string HashOf(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..HashDigits];
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Tried again at the next prune.
        }
    }

    [GeneratedRegex(@"^step-(?<step>\d{1,9})\.(?<hash>[0-9a-f]{32})\.ckpt$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}

/// <summary>One checkpoint file: its path, the optimizer steps it holds, and the hash its name carries.</summary>
public sealed record CheckpointFile(string Path, int Step, string Hash);
