using Microsoft.Win32.SafeHandles;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>Reads and validates the header of a safetensors file without reading tensor data or loading libtorch.</summary>
public static class SafeTensorsHeaderReader
{
    /// <summary>Reads the header of the file at <paramref name="path"/>.</summary>
    public static SafeTensorsHeader Read(string path)
    {
        using var file = SafeTensorsFileAccess.OpenRead(path);
        return Read(file, path);
    }

    internal static SafeTensorsHeader Read(SafeFileHandle file, string path)
    {
        var fileLength = SafeTensorsFileAccess.Length(file, path);
        Span<byte> prefix = stackalloc byte[SafeTensorsHeaderParser.PrefixLength];
        var prefixLength = (int)Math.Min(fileLength, prefix.Length);
        SafeTensorsFileAccess.ReadExactly(file, prefix[..prefixLength], 0, path);

        var headerLength = SafeTensorsHeaderParser.ParseHeaderLength(prefix[..prefixLength], fileLength, path);
        var headerJson = new byte[headerLength];
        SafeTensorsFileAccess.ReadExactly(file, headerJson, SafeTensorsHeaderParser.PrefixLength, path);

        var dataSectionLength = fileLength - SafeTensorsHeaderParser.PrefixLength - headerLength;
        return SafeTensorsHeaderParser.Parse(headerJson, dataSectionLength, path);
    }
}
