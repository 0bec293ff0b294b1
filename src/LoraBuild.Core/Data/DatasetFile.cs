using System.Text;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Data;

/// <summary>Opens dataset files, turning I/O failures into <see cref="DataErrorCodes.DatasetUnreadable"/>.</summary>
internal static class DatasetFile
{
    public static StreamReader OpenText(string path)
    {
        try
        {
            return new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception exception) when (IsIoFailure(exception))
        {
            throw Unreadable(path, exception);
        }
    }

    public static byte[] ReadAllBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (IsIoFailure(exception))
        {
            throw Unreadable(path, exception);
        }
    }

    public static string ReadAllText(string path)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception exception) when (IsIoFailure(exception))
        {
            throw Unreadable(path, exception);
        }
    }

    public static LoraException Unreadable(string path, Exception exception) =>
        new(DataErrorCodes.DatasetUnreadable, $"Cannot read the dataset file: {exception.Message}", path, exception);

    private static bool IsIoFailure(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException;
}
