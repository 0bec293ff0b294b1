using LoraBuild.Core.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>Opens files and reads exact byte ranges, turning I/O failures into located errors.</summary>
internal static class SafeTensorsFileAccess
{
    public static SafeFileHandle OpenRead(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LoraException(SafeTensorsErrorCodes.FileNotFound, "The file does not exist.", path, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoraException(SafeTensorsErrorCodes.ReadFailed, $"The file cannot be opened: {ex.Message}", path, ex);
        }
    }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="fileOffset"/>; a short read means the file shrank.</summary>
    public static void ReadExactly(SafeFileHandle file, Span<byte> destination, long fileOffset, string location)
    {
        try
        {
            while (!destination.IsEmpty)
            {
                var read = RandomAccess.Read(file, destination, fileOffset);
                if (read == 0)
                {
                    throw new LoraException(
                        SafeTensorsErrorCodes.ReadFailed,
                        $"The file ended at offset {fileOffset}, before the data its header describes; it changed after it was opened.",
                        location);
                }

                destination = destination[read..];
                fileOffset += read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoraException(SafeTensorsErrorCodes.ReadFailed, $"Reading the file failed: {ex.Message}", location, ex);
        }
    }

    public static long Length(SafeFileHandle file, string location)
    {
        try
        {
            return RandomAccess.GetLength(file);
        }
        catch (IOException ex)
        {
            throw new LoraException(SafeTensorsErrorCodes.ReadFailed, $"Reading the file failed: {ex.Message}", location, ex);
        }
    }
}
