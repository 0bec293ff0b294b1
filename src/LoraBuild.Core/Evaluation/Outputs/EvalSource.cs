namespace LoraBuild.Core.Evaluation.Outputs;

/// <summary>Sample locations (<c>path:line</c>) as outputs files record them: relative, with forward slashes.</summary>
public static class EvalSource
{
    /// <summary>
    /// <paramref name="source"/> with its path made relative to <paramref name="baseDirectory"/>, so the file reads
    /// the same on every machine; a path on another drive keeps only its file name.
    /// </summary>
    public static string Relative(string source, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var (path, line) = Split(source);
        if (!Path.IsPathRooted(path))
        {
            return path.Replace('\\', '/') + line;
        }

        var relative = Path.GetRelativePath(baseDirectory, path);
        if (Path.IsPathRooted(relative))
        {
            relative = Path.GetFileName(path);
        }

        return relative.Replace('\\', '/') + line;
    }

    /// <summary>Whether the path part of <paramref name="source"/> is absolute (on this or another platform).</summary>
    public static bool IsAbsolute(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var path = Split(source).Path;
        return Path.IsPathRooted(path) || path.StartsWith('/') || path.StartsWith('\\') || (path.Length > 1 && path[1] == ':');
    }

    private static (string Path, string Line) Split(string source)
    {
        var colon = source.LastIndexOf(':');
        return colon > 1 && colon < source.Length - 1 && source.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0
            ? (source[..colon], source[colon..])
            : (source, "");
    }
}
