using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Tests.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Checkpoints;

public class PretrainedModelAdapterTests
{
    private static readonly long[] s_ids = [298, 5, 17, 80, 260, 33];

    private static Tensor Logits(PretrainedModel loaded) => loaded.Model.ForwardLogits(tensor(s_ids).unsqueeze(0));

    [Fact]
    public void AnAdapterWithBAtZeroGivesTheBaseModelsLogits()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint, trained: false);
        using var plain = PretrainedModel.Load(checkpoint.Directory);
        using var adapted = PretrainedModel.Load(checkpoint.Directory, adapterDirectory: adapter.Directory);
        using var scope = NewDisposeScope();

        Assert.True(Logits(plain).eq(Logits(adapted)).all().item<bool>());
        Assert.Equal(14, adapted.Adapter!.Layers.Count);
        Assert.Equal(Path.GetFullPath(adapter.Directory), adapted.AdapterDirectory);
        Assert.Empty(adapted.Warnings);
    }

    [Fact]
    public void AnAdapterIsLoadedForInferenceFrozenWithoutDropout()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint);
        using var adapted = PretrainedModel.Load(checkpoint.Directory, adapterDirectory: adapter.Directory);
        using var scope = NewDisposeScope();

        Assert.All(adapted.Adapter!.Layers, entry => Assert.Equal(0, entry.Layer.DropoutProbability));
        Assert.All(adapted.Model.modules(), module => Assert.False(module.training));
        Assert.All(adapted.Model.parameters(), parameter => Assert.False(parameter.requires_grad));
        Assert.True(Logits(adapted).eq(Logits(adapted)).all().item<bool>());
    }

    [Fact]
    public void ATrainedAdapterChangesTheLogitsAndMergingKeepsThem()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint);
        using var plain = PretrainedModel.Load(checkpoint.Directory);
        using var adapted = PretrainedModel.Load(checkpoint.Directory, adapterDirectory: adapter.Directory);
        using var scope = NewDisposeScope();
        var baseLogits = Logits(plain);
        var adaptedLogits = Logits(adapted);

        adapted.MergeAdapter();
        var mergedLogits = Logits(adapted);

        Assert.False(baseLogits.allclose(adaptedLogits, rtol: 1e-3, atol: 1e-3));
        TensorAssert.RelativelyClose(adaptedLogits, mergedLogits, 1e-5);
        Assert.Null(adapted.Adapter);
        Assert.Equal(
            plain.Model.named_parameters().Select(pair => pair.name).Order(StringComparer.Ordinal),
            adapted.Model.named_parameters().Select(pair => pair.name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(adapted.Model.named_modules(), pair => pair.module is LoraLinear);
    }

    [Fact]
    public void MergingWithoutAnAdapterIsAMistake()
    {
        using var checkpoint = new TinyCheckpoint();
        using var plain = PretrainedModel.Load(checkpoint.Directory);

        Assert.Throws<InvalidOperationException>(plain.MergeAdapter);
    }

    [Fact]
    public void AnAdapterFolderWithoutConfigIsACodedError()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint);
        File.Delete(Path.Combine(adapter.Directory, AdapterConfigJson.FileName));

        var error = Assert.Throws<LoraException>(() => PretrainedModel.Load(checkpoint.Directory, adapterDirectory: adapter.Directory));

        Assert.Equal(AdapterErrorCodes.ConfigNotFound, error.Code);
    }
}
