using System.Text;

namespace LoraBuild.Core.IO;

/// <summary>
/// Writes a file through a hidden temporary file in the same folder, then renames it over the target, so a
/// reader sees the old file or the complete new one and a failed write leaves nothing that looks finished.
/// </summary>
public static class AtomicFile
{
    private const int BufferSize = 1 << 20;

    public static void WriteAllText(string path, string content) => WriteAllBytes(path, Encoding.UTF8.GetBytes(content));

    public static void WriteAllBytes(string path, byte[] content) => Write(path, stream => stream.Write(content));

    public static void Write(string path, Action<FileStream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporaryPath = TemporaryPathBeside(fullPath);
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
    }

    /// <summary>A unique, hidden temporary name in the same folder as <paramref name="path"/>, so the final rename stays on one file system.</summary>
    public static string TemporaryPathBeside(string path)
    {
        var fullPath = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The original failure matters more; a hidden .tmp file is harmless.
        }
    }
}
