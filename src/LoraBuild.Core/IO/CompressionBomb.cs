using System.Globalization;
using System.IO.Compression;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.IO;

/// <summary>
/// Refuses a zip entry that would unpack to far more than it takes in the archive (a zip bomb: gigabytes of zeros in a
/// few hundred kilobytes) before a byte of it is written. Real adapter and model files do not compress that well:
/// weights are noise to deflate, and text files are small. .NET stops reading an entry at the size it declares, so the
/// declared size is the bound; a lie about it ends in an <see cref="InvalidDataException"/>, not in a full disk.
/// </summary>
public static class CompressionBomb
{
    /// <summary>Entries up to this size are extracted whatever their ratio.</summary>
    public const long MaxUncheckedBytes = 64L << 20;

    /// <summary>The largest uncompressed-to-compressed ratio accepted above <see cref="MaxUncheckedBytes"/>.</summary>
    public const long MaxRatio = 100;

    /// <param name="entry">The entry about to be extracted.</param>
    /// <param name="location">Where to say the entry is, e.g. <c>package.nupkg!lora/A/adapter_model.safetensors</c>.</param>
    /// <param name="code">The caller's code for an archive that cannot be extracted safely.</param>
    /// <exception cref="LoraException">The entry is over the bound.</exception>
    public static void Refuse(ZipArchiveEntry entry, string location, string code)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Length > MaxUncheckedBytes && entry.Length > MaxRatio * Math.Max(1, entry.CompressedLength))
        {
            throw new LoraException(
                code,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The entry would unpack to {entry.Length:N0} bytes from {entry.CompressedLength:N0} (more than {MaxRatio}:1 above {MaxUncheckedBytes >> 20} MiB), so it is not extracted."),
                location);
        }
    }
}
