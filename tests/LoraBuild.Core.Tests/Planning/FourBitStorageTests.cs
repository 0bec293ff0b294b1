using LoraBuild.Core.Planning;

namespace LoraBuild.Core.Tests.Planning;

public class FourBitStorageTests
{
    [Fact]
    public void WithoutDoubleQuantizationEachBlockOf64HasAnFp32Absmax()
    {
        // 4096² elements: 8,388,608 bytes of codes, 262,144 blocks × 4 bytes of absmax, 64 bytes of code table.
        Assert.Equal(8_388_608 + (262_144 * 4) + 64, FourBitStorage.Bytes(4096L * 4096, doubleQuantization: false));
    }

    [Fact]
    public void DoubleQuantizationKeepsOneByteAbsmaxAndAnFp32ScalePer256Blocks()
    {
        // 262,144 one-byte absmax codes, 1,024 fp32 scales, the 256-entry fp32 map and the fp32 mean, the NF4 table.
        Assert.Equal(8_388_608 + 262_144 + (1_024 * 4) + 1_028 + 64, FourBitStorage.Bytes(4096L * 4096, doubleQuantization: true));
    }

    [Fact]
    public void APartialLastBlockStillHasItsAbsmax()
    {
        // 100 elements: 50 bytes of codes, 2 blocks.
        Assert.Equal(50 + 8 + 64, FourBitStorage.Bytes(100, doubleQuantization: false));
        Assert.Equal(51 + 8 + 64, FourBitStorage.Bytes(101, doubleQuantization: false));
    }

    [Fact]
    public void DoubleQuantizedStorageIsAtMost27PercentOfBf16()
    {
        long elements = 4096L * 11008;

        Assert.True(FourBitStorage.Bytes(elements, doubleQuantization: true) <= 0.27 * 2 * elements);
    }
}
