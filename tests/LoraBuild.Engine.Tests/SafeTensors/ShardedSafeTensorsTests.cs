using System.Text.Json;
using System.Text.Json.Nodes;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.SafeTensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.SafeTensors;

public sealed class ShardedSafeTensorsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ShardedRoundTripPresentsOneTensorSet()
    {
        using var scope = NewDisposeScope();
        var tensors = MicroModel();
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };

        var indexPath = ShardedSafeTensorsWriter.Write(_temp.Path, tensors, maxShardBytes: 2048, metadata);

        Assert.Equal(_temp.File(SafeTensorsIndex.FileName), indexPath);
        var shardFiles = Directory.GetFiles(_temp.Path, "model-*.safetensors").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.True(shardFiles.Count >= 3, $"expected several shards, got {shardFiles.Count}");
        Assert.Equal($"model-00001-of-{shardFiles.Count:D5}.safetensors", shardFiles[0]);
        foreach (var shardFile in shardFiles)
        {
            var header = SafeTensorsHeaderReader.Read(_temp.File(shardFile!));
            Assert.True(header.Tensors.Sum(t => t.ByteLength) <= 2048 || header.Tensors.Count == 1);
            Assert.Equal(metadata, header.Metadata);
        }

        using var reader = SafeTensorsModel.Open(_temp.Path);
        var sharded = Assert.IsType<ShardedSafeTensorsReader>(reader);
        Assert.Equal(shardFiles.Count, sharded.ShardPaths.Count);
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), reader.Tensors.Select(t => t.Name));
        var totalBytes = tensors.Values.Sum(t => t.numel() * t.element_size());
        Assert.Equal(totalBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), reader.Metadata["total_size"]);

        var loaded = reader.LoadTensors();
        foreach (var (name, original) in tensors)
        {
            Assert.Equal(original.dtype, loaded[name].dtype);
            Assert.Equal(original.shape, loaded[name].shape);
            Assert.Equal(TensorBytes.Of(original), TensorBytes.Of(loaded[name]));
        }

        Assert.Equal(TensorBytes.Of(tensors["lm_head.weight"]), TensorBytes.Of(reader.LoadTensor("lm_head.weight")));
    }

    [Fact]
    public void WritingTheSameCheckpointTwiceGivesIdenticalFiles()
    {
        using var scope = NewDisposeScope();
        var tensors = MicroModel();
        var first = Path.Combine(_temp.Path, "first");
        var second = Path.Combine(_temp.Path, "second");

        ShardedSafeTensorsWriter.Write(first, tensors, 4096);
        ShardedSafeTensorsWriter.Write(second, tensors.Reverse(), 4096);

        var names = Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, Directory.GetFiles(second).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(names, n => Assert.Equal(File.ReadAllBytes(Path.Combine(first, n!)), File.ReadAllBytes(Path.Combine(second, n!))));
        Assert.EndsWith("}\n", File.ReadAllText(Path.Combine(first, SafeTensorsIndex.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingShardFileIsReported()
    {
        var indexPath = WriteCheckpoint();
        File.Delete(_temp.File("model-00002-of-00002.safetensors"));

        var error = Assert.Throws<LoraException>(() => ShardedSafeTensorsReader.Open(indexPath));

        Assert.Equal(SafeTensorsErrorCodes.ShardFileMissing, error.Code);
        Assert.Contains(indexPath, error.Location);
        Assert.Contains("model-00002-of-00002.safetensors", error.Location);
    }

    [Fact]
    public void TensorMissingFromItsShardIsReported()
    {
        var indexPath = WriteCheckpoint();
        EditIndex(indexPath, index => index["weight_map"]!["a"] = "model-00002-of-00002.safetensors");

        var error = Assert.Throws<LoraException>(() => ShardedSafeTensorsReader.Open(indexPath));

        Assert.Equal(SafeTensorsErrorCodes.ShardTensorMissing, error.Code);
        Assert.Contains("model-00002-of-00002.safetensors", error.Location);
        Assert.Contains("'a'", error.Location);
    }

    [Theory]
    [InlineData("../outside.safetensors")]
    [InlineData("/etc/passwd")]
    public void ShardOutsideTheDirectoryIsRejected(string shardFile)
    {
        var indexPath = WriteCheckpoint();
        EditIndex(indexPath, index => index["weight_map"]!["a"] = shardFile);

        var error = Assert.Throws<LoraException>(() => ShardedSafeTensorsReader.Open(indexPath));

        Assert.Equal(SafeTensorsErrorCodes.ShardPathOutsideDirectory, error.Code);
    }

    [Fact]
    public void MalformedIndexIsReportedOnOpen()
    {
        var indexPath = WriteCheckpoint();
        File.WriteAllText(indexPath, """{"weight_map": {"a": "model-00001-of-00002.safetensors",}}""");

        var error = Assert.Throws<LoraException>(() => SafeTensorsModel.Open(_temp.Path));

        Assert.Equal(SafeTensorsErrorCodes.ShardIndexMalformed, error.Code);
        Assert.Equal(indexPath, error.Location);
    }

    [Fact]
    public void InvalidShardIsReportedWithItsOwnCode()
    {
        var indexPath = WriteCheckpoint();
        File.WriteAllBytes(_temp.File("model-00002-of-00002.safetensors"), [1, 2, 3]);

        var error = Assert.Throws<LoraException>(() => ShardedSafeTensorsReader.Open(indexPath));

        Assert.Equal(SafeTensorsErrorCodes.FileTooSmall, error.Code);
        Assert.EndsWith("model-00002-of-00002.safetensors", error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorsInAShardButNotInTheIndexAreNotPartOfTheSet()
    {
        var indexPath = WriteCheckpoint();
        EditIndex(indexPath, index => index["weight_map"]!.AsObject().Remove("b"));
        using var scope = NewDisposeScope();

        using var reader = ShardedSafeTensorsReader.Open(indexPath);

        Assert.Equal(["a"], reader.Tensors.Select(t => t.Name));
        Assert.Equal(SafeTensorsErrorCodes.TensorNotFound, Assert.Throws<LoraException>(() => reader.LoadTensor("b")).Code);
    }

    /// <summary>Two one-tensor shards: a (F32 [4]) in the first, b (BF16 [4]) in the second.</summary>
    private string WriteCheckpoint()
    {
        using var scope = NewDisposeScope();
        return ShardedSafeTensorsWriter.Write(
            _temp.Path,
            [KeyValuePair.Create("a", ones(4)), KeyValuePair.Create("b", ones(4, dtype: ScalarType.BFloat16))],
            maxShardBytes: 16);
    }

    private static void EditIndex(string indexPath, Action<JsonNode> edit)
    {
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        edit(index);
        File.WriteAllText(indexPath, index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A Llama-shaped model with 2 layers of width 32, in mixed types, as named tensors.</summary>
    private static Dictionary<string, Tensor> MicroModel()
    {
        var generator = new TorchSharp.torch.Generator(7);
        var tensors = new Dictionary<string, Tensor>
        {
            ["model.embed_tokens.weight"] = randn([64, 32], generator: generator).to(ScalarType.BFloat16),
            ["model.norm.weight"] = ones(32),
            ["lm_head.weight"] = randn([64, 32], generator: generator).to(ScalarType.BFloat16),
        };
        for (var layer = 0; layer < 2; layer++)
        {
            foreach (var projection in new[] { "q_proj", "k_proj", "v_proj", "o_proj" })
            {
                tensors[$"model.layers.{layer}.self_attn.{projection}.weight"] = randn([32, 32], generator: generator).to(ScalarType.Float16);
            }

            tensors[$"model.layers.{layer}.input_layernorm.weight"] = ones(32);
        }

        return tensors;
    }
}
