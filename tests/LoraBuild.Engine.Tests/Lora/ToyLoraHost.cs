using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Lora;

/// <summary>A two-layer network with an <c>up</c> projection and an <c>lm_head</c>, both replaceable: a stand-in model for injection tests.</summary>
internal sealed class ToyLoraHost : nn.Module<Tensor, Tensor>, ILoraHost
{
    private nn.Module<Tensor, Tensor> _up;
    private nn.Module<Tensor, Tensor> _head;

    public ToyLoraHost()
        : base(nameof(ToyLoraHost))
    {
        _up = LoraTestLayers.Linear(8, 12, seed: 1);
        _head = LoraTestLayers.Linear(12, 20, seed: 2, bias: false);
        register_module("up", _up);
        register_module("lm_head", _head);
    }

    public nn.Module Root => this;

    public string? OutputHeadPath => "lm_head";

    public bool CanReplace(string path) => path is "up" or "lm_head";

    public void Replace(IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> replacements)
    {
        foreach (var (path, module) in replacements)
        {
            if (path == "up")
            {
                _up = SubmoduleSlot.Replace(this, "up", module);
            }
            else
            {
                _head = SubmoduleSlot.Replace(this, "lm_head", module);
            }
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _head.call(nn.functional.relu(_up.call(input))).MoveToOuterDisposeScope();
    }
}
