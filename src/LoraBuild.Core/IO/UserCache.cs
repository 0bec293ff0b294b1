namespace LoraBuild.Core.IO;

/// <summary>LoraBuild's per-user cache folder: <c>$XDG_CACHE_HOME/lorabuild</c>, or <c>~/.cache/lorabuild</c>.</summary>
public static class UserCache
{
    public static string Folder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cacheHome
            ? cacheHome
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "lorabuild");
}
