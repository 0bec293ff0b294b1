using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.SafeTensors;
using LoraBuild.Engine.Tests.Models;
using static TorchSharp.torch;
using TempDirectory = LoraBuild.Engine.Tests.SafeTensors.TempDirectory;

namespace LoraBuild.Engine.Tests.Lora;

public class AdapterFilesTests
{
    private static readonly long[] s_ids = [1, 5, 9, 17, 33, 2, 60, 7];

    private static LoraSettings Settings(string targets = "all-linear") =>
        new() { Rank = 4, Alpha = 8, Dropout = 0.05, Targets = AdapterTargets.ParseSpec(targets) };

    /// <summary>A micro Llama with an adapter whose B matrices are random, as after some training.</summary>
    private static (CausalLanguageModel Model, LoraAdapter Adapter) Trained(string targets = "all-linear", long seed = 42)
    {
        var model = MicroModels.Create(MicroModels.Llama());
        using var init = new Generator((ulong)seed, CPU);
        using var dropout = new Generator((ulong)seed + 1, CPU);
        var adapter = LoraInjector.Apply(model, Settings(targets), init, dropout);
        foreach (var (entry, index) in adapter.Layers.Select((entry, index) => (entry, index)))
        {
            LoraTestLayers.RandomizeB(entry.Layer, seed: seed + index);
        }

        return (model, adapter);
    }

    [Fact]
    public void SavesPeftsFileNamesTensorNamesShapesAndMetadata()
    {
        using var folder = new TempDirectory();
        var (model, adapter) = Trained("q_proj,k_proj");
        using var _ = model;

        AdapterFiles.Save(folder.Path, adapter, "models/micro");

        Assert.Equal([AdapterConfigJson.FileName, AdapterFiles.WeightsFileName], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var reader = SafeTensorsReader.Open(folder.File(AdapterFiles.WeightsFileName));
        Assert.Equal("pt", reader.Metadata["format"]);
        Assert.Equal(8, reader.Tensors.Count);
        Assert.All(reader.Tensors, info => Assert.Equal(SafeTensorsDType.F32, info.DType));
        var shapes = reader.Tensors.ToDictionary(info => info.Name, info => info.Shape);
        Assert.Equal([4L, 32L], shapes["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"]);
        Assert.Equal([32L, 4L], shapes["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"]);
        Assert.Equal([4L, 32L], shapes["base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight"]);
        Assert.Equal([16L, 4L], shapes["base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight"]);

        var config = AdapterConfigJson.Read(folder.File(AdapterConfigJson.FileName));
        Assert.Equal(["k_proj", "q_proj"], config.Lora.Targets.Names);
        Assert.Equal((4, 8.0, 0.05), (config.Lora.Rank, config.Lora.Alpha, config.Lora.Dropout));
        Assert.Equal("models/micro", config.BaseModelNameOrPath);
    }

    [Fact]
    public void AllLinearIsSavedAsTheModulesItStandsFor()
    {
        using var folder = new TempDirectory();
        var (model, adapter) = Trained();
        using var _ = model;

        AdapterFiles.Save(folder.Path, adapter, "models/micro");

        var config = AdapterConfigJson.Read(folder.File(AdapterConfigJson.FileName));
        Assert.Equal(["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"], config.Lora.Targets.Names);
    }

    [Fact]
    public void SavingAgainOrFromTheSameSeedGivesIdenticalBytes()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var (model, adapter) = Trained(seed: 3);
        var (otherModel, sameAdapter) = Trained(seed: 3);
        using var _ = model;
        using var __ = otherModel;

        AdapterFiles.Save(first.Path, adapter, "models/micro");
        var weights = File.ReadAllBytes(first.File(AdapterFiles.WeightsFileName));
        var config = File.ReadAllBytes(first.File(AdapterConfigJson.FileName));
        AdapterFiles.Save(first.Path, adapter, "models/micro");
        AdapterFiles.Save(second.Path, sameAdapter, "models/micro");

        Assert.Equal(weights, File.ReadAllBytes(first.File(AdapterFiles.WeightsFileName)));
        Assert.Equal(config, File.ReadAllBytes(first.File(AdapterConfigJson.FileName)));
        Assert.Equal(weights, File.ReadAllBytes(second.File(AdapterFiles.WeightsFileName)));
        Assert.Equal(config, File.ReadAllBytes(second.File(AdapterConfigJson.FileName)));
        Assert.Equal(2, Directory.GetFiles(first.Path).Length);
    }

    [Fact]
    public void LoadingOntoTheBaseModelReproducesTheAdaptedLogits()
    {
        using var folder = new TempDirectory();
        using var ids = MicroModels.Ids(s_ids);
        var (model, adapter) = Trained(seed: 5);
        using var _ = model;
        model.eval();
        using var expected = model.call(ids);
        AdapterFiles.Save(folder.Path, adapter, "models/micro");

        using var fresh = MicroModels.Create(MicroModels.Llama());
        var loaded = AdapterFiles.Load(folder.Path, fresh);
        fresh.eval();
        using var actual = fresh.call(ids);

        Assert.True(LoraTestLayers.Identical(expected, actual));
        Assert.Equal(adapter.Layers.Select(entry => entry.Path), loaded.Layers.Select(entry => entry.Path));
        Assert.All(loaded.Layers, entry => Assert.Equal(0, entry.Layer.DropoutProbability));
    }

    [Fact]
    public void AnOutputHeadAdapterRoundTripsUnderPeftsNames()
    {
        using var folder = new TempDirectory();
        using var ids = MicroModels.Ids(s_ids);
        var (model, adapter) = Trained("lm_head,v_proj", seed: 9);
        using var _ = model;
        model.eval();
        using var expected = model.call(ids);

        AdapterFiles.Save(folder.Path, adapter, "models/micro");
        using var fresh = MicroModels.Create(MicroModels.Llama());
        AdapterFiles.Load(folder.Path, fresh);
        fresh.eval();
        using var actual = fresh.call(ids);

        using var reader = SafeTensorsReader.Open(folder.File(AdapterFiles.WeightsFileName));
        var shapes = reader.Tensors.ToDictionary(info => info.Name, info => info.Shape);
        Assert.Equal([4L, 32L], shapes["base_model.model.lm_head.lora_A.weight"]);
        Assert.Equal([64L, 4L], shapes["base_model.model.lm_head.lora_B.weight"]);
        Assert.Equal(["lm_head", "v_proj"], AdapterConfigJson.Read(folder.File(AdapterConfigJson.FileName)).Lora.Targets.Names);
        Assert.True(LoraTestLayers.Identical(expected, actual));
    }

    [Fact]
    public void LoadingWithADropoutGeneratorKeepsTheConfiguredDropout()
    {
        using var folder = new TempDirectory();
        var (model, adapter) = Trained("q_proj");
        using var _ = model;
        AdapterFiles.Save(folder.Path, adapter, null);
        using var fresh = MicroModels.Create(MicroModels.Llama());
        using var dropout = new Generator(1, CPU);

        var loaded = AdapterFiles.Load(folder.Path, fresh, dropout);

        Assert.All(loaded.Layers, entry => Assert.Equal(0.05, entry.Layer.DropoutProbability));
    }

    [Fact]
    public void AMissingWeightsFileIsACodedError()
    {
        using var folder = new TempDirectory();
        var (model, adapter) = Trained("q_proj");
        using var _ = model;
        AdapterFiles.Save(folder.Path, adapter, null);
        File.Delete(folder.File(AdapterFiles.WeightsFileName));
        using var fresh = MicroModels.Create(MicroModels.Llama());

        var error = Assert.Throws<LoraException>(() => AdapterFiles.Load(folder.Path, fresh));

        Assert.Equal(LoraEngineErrorCodes.AdapterWeightsNotFound, error.Code);
        Assert.Equal(folder.File(AdapterFiles.WeightsFileName), error.Location);
    }

    [Fact]
    public void AMissingConfigurationIsACodedError()
    {
        using var folder = new TempDirectory();
        using var fresh = MicroModels.Create(MicroModels.Llama());

        var error = Assert.Throws<LoraException>(() => AdapterFiles.Load(folder.Path, fresh));

        Assert.Equal(AdapterErrorCodes.ConfigNotFound, error.Code);
    }

    [Fact]
    public void AMissingTensorIsACodedErrorNamingIt()
    {
        var error = LoadWithTensors(tensors => tensors.RemoveAll(pair => pair.Key.Contains("layers.1.self_attn.q_proj.lora_B", StringComparison.Ordinal)));

        Assert.Equal(LoraEngineErrorCodes.AdapterTensorMissing, error.Code);
        Assert.Contains("base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight", error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnexpectedTensorIsACodedErrorNamingIt()
    {
        var error = LoadWithTensors(tensors => tensors.Add(KeyValuePair.Create("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight", zeros(4, 32))));

        Assert.Equal(LoraEngineErrorCodes.AdapterTensorUnexpected, error.Code);
        Assert.Contains("v_proj.lora_A.weight", error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisshapenTensorIsACodedError()
    {
        var error = LoadWithTensors(tensors =>
        {
            var index = tensors.FindIndex(pair => pair.Key.EndsWith("layers.0.self_attn.q_proj.lora_A.weight", StringComparison.Ordinal));
            tensors[index] = KeyValuePair.Create(tensors[index].Key, zeros(8, 32));
        });

        Assert.Equal(LoraEngineErrorCodes.AdapterTensorShapeMismatch, error.Code);
        Assert.Contains("[8, 32]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIntegerTensorIsACodedError()
    {
        var error = LoadWithTensors(tensors =>
        {
            var index = tensors.FindIndex(pair => pair.Key.EndsWith("layers.0.self_attn.q_proj.lora_A.weight", StringComparison.Ordinal));
            tensors[index] = KeyValuePair.Create(tensors[index].Key, zeros([4, 32], ScalarType.Int32));
        });

        Assert.Equal(LoraEngineErrorCodes.AdapterTensorDTypeInvalid, error.Code);
    }

    [Fact]
    public void Float16WeightsFromElsewhereAreWidenedToFloat32()
    {
        using var folder = new TempDirectory();
        var (model, adapter) = Trained("q_proj");
        using var _ = model;
        AdapterFiles.Save(folder.Path, adapter, null);
        SafeTensorsWriter.Write(
            folder.File(AdapterFiles.WeightsFileName),
            adapter.NamedTensors().Select(pair => KeyValuePair.Create(pair.Key, pair.Value.detach().to_type(ScalarType.Float16))).ToList(),
            new Dictionary<string, string> { ["format"] = "pt" });
        using var fresh = MicroModels.Create(MicroModels.Llama());

        var loaded = AdapterFiles.Load(folder.Path, fresh);

        Assert.Equal(ScalarType.Float32, loaded.Layers[0].Layer.LoraB.weight.dtype);
        Assert.True(LoraTestLayers.RelativeError(loaded.Layers[0].Layer.LoraB.weight, adapter.Layers[0].Layer.LoraB.weight) < 1e-3);
    }

    /// <summary>Saves a q_proj adapter, rewrites its weights file after <paramref name="edit"/>, and loads it onto a fresh model.</summary>
    private static LoraException LoadWithTensors(Action<List<KeyValuePair<string, Tensor>>> edit)
    {
        using var folder = new TempDirectory();
        var (model, adapter) = Trained("q_proj");
        using var _ = model;
        AdapterFiles.Save(folder.Path, adapter, null);
        var tensors = adapter.NamedTensors().ToList();
        edit(tensors);
        SafeTensorsWriter.Write(folder.File(AdapterFiles.WeightsFileName), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        using var fresh = MicroModels.Create(MicroModels.Llama());

        return Assert.Throws<LoraException>(() => AdapterFiles.Load(folder.Path, fresh));
    }
}
