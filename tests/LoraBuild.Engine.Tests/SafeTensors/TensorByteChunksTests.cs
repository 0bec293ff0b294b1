using LoraBuild.Engine.SafeTensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.SafeTensors;

public class TensorByteChunksTests
{
    [Theory]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(2)]
    [InlineData(1 << 30)]
    public void ChunksCoverTheTensorInOrder(long maxChunkBytes)
    {
        using var scope = NewDisposeScope();
        var bytes = TensorBytes.Pattern(ScalarType.Float32, 10, seed: 3);
        var tensor = TensorBytes.Create(ScalarType.Float32, [2, 5], bytes);
        var collected = new List<byte>();

        TensorByteChunks.ForEach(tensor, (chunk, offset) =>
        {
            Assert.Equal(collected.Count, offset);
            Assert.True(chunk.Length <= Math.Max(4, maxChunkBytes));
            collected.AddRange(chunk.ToArray());
        }, maxChunkBytes);

        Assert.Equal(bytes, collected);
    }

    [Fact]
    public void EmptyTensorHasNoChunks()
    {
        using var scope = NewDisposeScope();
        var calls = 0;

        TensorByteChunks.ForEach(zeros(0, 4), (_, _) => calls++);

        Assert.Equal(0, calls);
    }
}
