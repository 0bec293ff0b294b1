using System.IO.Compression;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Tests.IO;

public class CompressionBombTests
{
    [Fact]
    public void SmallEntriesAndLargeOnesThatCompressLikeWeightsPassAndALargeHighlyCompressedOneIsRefused()
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(archive, "small-zeros", new byte[1 << 20]);
            var noise = new byte[(int)CompressionBomb.MaxUncheckedBytes + (1 << 20)];
            new Random(7).NextBytes(noise);
            Write(archive, "large-noise", noise);
            Write(archive, "large-zeros", new byte[(int)CompressionBomb.MaxUncheckedBytes + (1 << 20)]);
        }

        memory.Position = 0;
        using var read = new ZipArchive(memory, ZipArchiveMode.Read);

        CompressionBomb.Refuse(read.GetEntry("small-zeros")!, "p!small-zeros", "LORA4113");
        CompressionBomb.Refuse(read.GetEntry("large-noise")!, "p!large-noise", "LORA4113");
        var error = Assert.Throws<LoraException>(() => CompressionBomb.Refuse(read.GetEntry("large-zeros")!, "p!large-zeros", "LORA4113"));
        Assert.Equal("LORA4113", error.Code);
        Assert.Equal("p!large-zeros", error.Location);
    }

    private static void Write(ZipArchive archive, string name, byte[] content)
    {
        using var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(content);
    }
}
