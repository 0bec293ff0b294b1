using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>Re-registers a submodule under the same name, so a replacement keeps the Hugging Face weight path.</summary>
internal static class SubmoduleSlot
{
    public static T Replace<T>(nn.Module parent, string name, T replacement)
        where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(replacement);

        // TorchSharp's register_module removes a name when given null, and refuses to register a taken name.
        parent.register_module(name, null!);
        parent.register_module(name, replacement);
        return replacement;
    }
}
