using System.Text;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.SafeTensors;
using LoraBuild.Engine.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.SafeTensors;

/// <summary>Tensors mapped from a safetensors file equal the read ones bit for bit, never write to the file, and a loaded model uses the mapping.</summary>
public sealed class MappedSafeTensorsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Byte)]
    public void AMappedTensorEqualsTheReadOneBitForBit(ScalarType type)
    {
        using var scope = NewDisposeScope();
        var path = _temp.File("t.safetensors");
        // The one-byte tensor first puts the next tensors' data at odd offsets: those are read, not mapped.
        SafeTensorsWriter.Write(path, [
            KeyValuePair.Create("a", TensorBytes.Create(type, [4, 3], TensorBytes.Pattern(type, 12, seed: 1))),
            KeyValuePair.Create("b", TensorBytes.Create(ScalarType.Byte, [1], [7])),
            KeyValuePair.Create("c", TensorBytes.Create(type, [5], TensorBytes.Pattern(type, 5, seed: 2))),
        ]);
        using var reader = SafeTensorsReader.Open(path);

        foreach (var name in new[] { "a", "b", "c" })
        {
            var read = reader.LoadTensor(name);
            var mapped = reader.MapTensor(name);

            Assert.Equal(read.dtype, mapped.dtype);
            Assert.Equal(read.shape, mapped.shape);
            Assert.Equal(TensorBytes.Of(read), TensorBytes.Of(mapped));
        }
    }

    [Fact]
    public void WritingToAMappedTensorNeverChangesTheFile()
    {
        using var scope = NewDisposeScope();
        var path = _temp.File("t.safetensors");
        SafeTensorsWriter.Write(path, [KeyValuePair.Create("w", ones(64, 64))]);
        var before = File.ReadAllBytes(path);
        using (var reader = SafeTensorsReader.Open(path))
        {
            var mapped = reader.MapTensor("w");
            mapped.mul_(3);
            Assert.Equal(3f, mapped[0, 0].item<float>());
        }

        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void AFileReachedThroughASymbolicLinkIsMappedWhole()
    {
        using var scope = NewDisposeScope();
        var blob = _temp.File("blob");
        var stored = randn(32, 16);
        SafeTensorsWriter.Write(blob, [KeyValuePair.Create("w", stored)]);
        var link = _temp.File("model.safetensors");
        File.CreateSymbolicLink(link, "blob");
        using var reader = SafeTensorsReader.Open(link);

        Assert.True(reader.MapTensor("w").equal(stored).all().item<bool>());
    }

    [Fact]
    public void AMappedTensorIsConvertedWhenAnotherDtypeIsAsked()
    {
        using var scope = NewDisposeScope();
        var path = _temp.File("t.safetensors");
        var stored = randn(8, 8).to(ScalarType.BFloat16);
        SafeTensorsWriter.Write(path, [KeyValuePair.Create("w", stored)]);
        using var reader = SafeTensorsReader.Open(path);

        var converted = reader.MapTensor("w", ScalarType.Float32);

        Assert.Equal(ScalarType.Float32, converted.dtype);
        Assert.True(converted.equal(stored.to(ScalarType.Float32)).all().item<bool>());
    }

    [Fact]
    public void AModelLoadedInItsStoredDtypeRunsOnTheMappedFileAndEqualsACopiedOne()
    {
        using var checkpoint = new TinyCheckpoint();
        var weights = Path.Combine(checkpoint.Directory, "model.safetensors");

        using var mapped = PretrainedModel.Load(checkpoint.Directory, ScalarType.Float32);
        Assert.Contains(weights, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);

        using var scope = NewDisposeScope();
        using var ids = tensor(new long[] { 1, 5, 9, 2 }, dtype: ScalarType.Int64).unsqueeze(0);
        Assert.True(mapped.Model.forward(ids).equal(checkpoint.Model.forward(ids)).all().item<bool>());
        using var bf16 = PretrainedModel.Load(checkpoint.Directory, ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, bf16.Model.parameters().First().dtype);
    }
}
