using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.SafeTensors;

namespace LoraBuild.Engine.Tests.SafeTensors;

public sealed class SafeTensorsModelTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FindsSingleFile()
    {
        File.WriteAllBytes(_temp.File("model.safetensors"), SafeTensorsBytes.Assemble("{}"));

        Assert.Equal(_temp.File("model.safetensors"), SafeTensorsModel.FindWeights(_temp.Path));
    }

    [Fact]
    public void FindsIndex()
    {
        File.WriteAllText(_temp.File(SafeTensorsIndex.FileName), """{"weight_map":{}}""");

        Assert.Equal(_temp.File(SafeTensorsIndex.FileName), SafeTensorsModel.FindWeights(_temp.Path));
    }

    [Fact]
    public void PrefersSingleFileWhenBothExist()
    {
        File.WriteAllBytes(_temp.File("model.safetensors"), SafeTensorsBytes.Assemble("{}"));
        File.WriteAllText(_temp.File(SafeTensorsIndex.FileName), """{"weight_map":{}}""");

        Assert.Equal(_temp.File("model.safetensors"), SafeTensorsModel.FindWeights(_temp.Path));
    }

    [Fact]
    public void NeitherFileIsAnError()
    {
        File.WriteAllText(_temp.File("pytorch_model.bin"), "not ours");

        var error = Assert.Throws<LoraException>(() => SafeTensorsModel.FindWeights(_temp.Path));

        Assert.Equal(SafeTensorsErrorCodes.ModelWeightsNotFound, error.Code);
        Assert.Equal(_temp.Path, error.Location);
    }

    [Fact]
    public void MissingDirectoryIsTheSameError()
    {
        var missing = _temp.File("nope");

        var error = Assert.Throws<LoraException>(() => SafeTensorsModel.Open(missing));

        Assert.Equal(SafeTensorsErrorCodes.ModelWeightsNotFound, error.Code);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }
}
