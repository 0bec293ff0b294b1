using static TorchSharp.torch;

namespace LoraBuild.Engine.Lora;

/// <summary>
/// A model LoRA layers can be put on: its module tree (whose <c>named_modules()</c> paths are PEFT's module names)
/// and a way to swap a linear layer for another module under the same path.
/// </summary>
public interface ILoraHost
{
    /// <summary>The root module; for a causal language model, the one whose children are <c>model</c> and <c>lm_head</c>.</summary>
    nn.Module Root { get; }

    /// <summary>The output head's path, which <c>all-linear</c> leaves out; null when the model has none (tied embeddings).</summary>
    string? OutputHeadPath { get; }

    /// <summary>Whether <see cref="Replace"/> can put a module at <paramref name="path"/>.</summary>
    bool CanReplace(string path);

    /// <summary>Puts each module in place of the layer at its path, registered under the same name.</summary>
    void Replace(IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> replacements);
}
