using LoraBuild.Engine.Training;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

/// <summary>A projection with input dropout drawn from the trainer's generator, standing in for a LoRA layer's dropout.</summary>
internal sealed class DropoutProjection : nn.Module<Tensor, Tensor>, IStochasticModule
{
    [ComponentName(Name = "base_layer")]
    private readonly nn.Module<Tensor, Tensor> _baseLayer;

    private readonly double _probability;

    public DropoutProjection(nn.Module<Tensor, Tensor> baseLayer, double probability)
        : base(nameof(DropoutProjection))
    {
        _baseLayer = baseLayer;
        _probability = probability;
        RegisterComponents();
    }

    public Generator? Generator { get; set; }

    public int TrainingForwards { get; private set; }

    public override Tensor forward(Tensor input)
    {
        if (!training)
        {
            return _baseLayer.call(input);
        }

        TrainingForwards++;
        using var scope = NewDisposeScope();
        var keep = empty_like(input).bernoulli_(1 - _probability, Generator);
        return _baseLayer.call(input * keep / (1 - _probability)).MoveToOuterDisposeScope();
    }

    /// <summary>Wraps the query and up projections of every layer.</summary>
    public static List<DropoutProjection> AddTo(Engine.Models.CausalLanguageModel model, double probability)
    {
        var added = new List<DropoutProjection>();
        model.ReplaceLinearLayers((name, module) =>
        {
            if (!name.EndsWith("q_proj", StringComparison.Ordinal) && !name.EndsWith("up_proj", StringComparison.Ordinal))
            {
                return null;
            }

            var wrapper = new DropoutProjection(module, probability);
            added.Add(wrapper);
            return wrapper;
        });
        return added;
    }
}
