using System.Buffers;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Testing;

/// <summary>
/// The file convention: <c>&lt;name&gt;.verified.json</c> is committed beside the test; <c>&lt;name&gt;.received.json</c>
/// is written next to it only while the two differ (git-ignore <c>*.received.json</c>).
/// </summary>
public sealed class SnapshotFiles
{
    /// <summary>The verified file's suffix.</summary>
    public const string VerifiedSuffix = ".verified.json";

    /// <summary>The received file's suffix.</summary>
    public const string ReceivedSuffix = ".received.json";

    private static readonly SearchValues<char> s_nameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    private SnapshotFiles(string verifiedPath, string receivedPath)
    {
        VerifiedPath = verifiedPath;
        ReceivedPath = receivedPath;
    }

    /// <summary>The committed snapshot.</summary>
    public string VerifiedPath { get; }

    /// <summary>The snapshot written for review when the check fails.</summary>
    public string ReceivedPath { get; }

    /// <summary>
    /// The files of snapshot <paramref name="name"/> in <paramref name="directory"/>, or, when that is null, in the
    /// folder of <paramref name="callerFilePath"/> (the test's source file).
    /// </summary>
    public static SnapshotFiles For(string name, string? directory, string? callerFilePath)
    {
        if (string.IsNullOrEmpty(name) || name.AsSpan().ContainsAnyExcept(s_nameCharacters) || name.Trim('.').Length == 0)
        {
            throw new LoraException(SnapshotErrorCodes.InvalidName, $"The snapshot name '{name}' must be letters, digits, '.', '_' and '-' only, so it makes a file name everywhere.", name);
        }

        var folder = directory ?? (string.IsNullOrEmpty(callerFilePath) ? null : Path.GetDirectoryName(callerFilePath));
        if (folder is null)
        {
            throw new LoraException(SnapshotErrorCodes.DirectoryNotFound, $"No folder is known for snapshot '{name}': set SnapshotOptions.Directory.", name);
        }

        if (!Directory.Exists(folder))
        {
            throw new LoraException(
                SnapshotErrorCodes.DirectoryNotFound,
                $"The snapshot folder does not exist. It is the test source's folder unless SnapshotOptions.Directory says otherwise; a build whose source paths are mapped (ContinuousIntegrationBuild, PathMap) must set it.",
                folder);
        }

        var full = Path.GetFullPath(folder);
        return new SnapshotFiles(Path.Combine(full, name + VerifiedSuffix), Path.Combine(full, name + ReceivedSuffix));
    }
}
