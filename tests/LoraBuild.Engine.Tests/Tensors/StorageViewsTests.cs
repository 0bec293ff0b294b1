using LoraBuild.Engine.Tensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Tensors;

public class StorageViewsTests
{
    private static readonly float[] s_oneToFour = [1f, 2f, 3f, 4f];

    [Fact]
    public void BytesReadAsAnotherDtypeAreTheSameBytesAndShareStorage()
    {
        using var scope = NewDisposeScope();
        var halves = tensor(new float[] { 1f, -2f, 0.5f, 3f }).to_type(ScalarType.BFloat16);

        var words = StorageViews.Reinterpret(halves, ScalarType.Int32);
        var back = StorageViews.Reinterpret(words, ScalarType.BFloat16);

        Assert.Equal(new long[] { 2 }, words.shape);
        Assert.Equal(new long[] { 4 }, halves.shape);
        Assert.Equal(halves.bytes.ToArray(), words.bytes.ToArray());
        Assert.Equal(halves.bytes.ToArray(), back.bytes.ToArray());

        words.fill_(0);
        Assert.All(halves.to_type(ScalarType.Float32).data<float>().ToArray(), value => Assert.Equal(0f, value));
    }

    [Fact]
    public void AViewKeepsItsBytesAfterTheSourceIsDisposed()
    {
        using var scope = NewDisposeScope();
        Tensor view;
        using (var source = tensor(0x3F80_4000).reshape(1))
        {
            view = StorageViews.Reinterpret(source, ScalarType.BFloat16);
        }

        var expected = BitConverter.IsLittleEndian ? new[] { 2f, 1f } : [1f, 2f];
        Assert.Equal(expected, view.to_type(ScalarType.Float32).data<float>().ToArray());
    }

    [Fact]
    public void ANarrowedSourceIsReadFromItsOwnOffset()
    {
        using var scope = NewDisposeScope();
        var all = arange(8, dtype: ScalarType.Int16);
        var tail = all.narrow(0, 4, 4);

        var words = StorageViews.Reinterpret(tail, ScalarType.Int32);
        var back = StorageViews.Reinterpret(words, ScalarType.Int16);

        Assert.Equal(new short[] { 4, 5, 6, 7 }, back.data<short>().ToArray());
        Assert.Equal(BitConverter.IsLittleEndian ? 4 | (5 << 16) : (4 << 16) | 5, words[0].item<int>());
    }

    [Fact]
    public void AWiderDtypeOverAnArraysFixedBufferReadsItWithoutGrowingIt()
    {
        using var scope = NewDisposeScope();
        var fromArray = tensor(s_oneToFour, [2, 2]);

        var longs = StorageViews.Reinterpret(fromArray, ScalarType.Int64);
        var floats = StorageViews.Reinterpret(longs, ScalarType.Float32);

        Assert.Equal(new long[] { 2 }, longs.shape);
        Assert.Equal(s_oneToFour, floats.data<float>().ToArray());
    }

    [Fact]
    public void BytesThatDoNotMakeWholeElementsOrAStridedSourceAreRejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => StorageViews.Reinterpret(zeros(3, dtype: ScalarType.Int16), ScalarType.Int32));
        Assert.Throws<ArgumentException>(() => StorageViews.Reinterpret(zeros(4, 4).t(), ScalarType.Int32));
    }
}
