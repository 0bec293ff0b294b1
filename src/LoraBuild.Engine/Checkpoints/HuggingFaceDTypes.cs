using static TorchSharp.torch;

namespace LoraBuild.Engine.Checkpoints;

/// <summary>The floating-point dtypes a checkpoint is saved in, by the names config.json's <c>torch_dtype</c> uses.</summary>
public static class HuggingFaceDTypes
{
    private static readonly (string Name, ScalarType Type)[] s_types =
    [
        ("float32", ScalarType.Float32),
        ("bfloat16", ScalarType.BFloat16),
        ("float16", ScalarType.Float16),
    ];

    /// <summary>The names, in the order a help text lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_types.Select(entry => entry.Name)];

    /// <summary>The type named <paramref name="name"/> (<c>float32</c>, <c>bfloat16</c> or <c>float16</c>).</summary>
    public static bool TryParse(string? name, out ScalarType type)
    {
        foreach (var entry in s_types)
        {
            if (string.Equals(entry.Name, name, StringComparison.Ordinal))
            {
                type = entry.Type;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>The <c>torch_dtype</c> name of <paramref name="type"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is not a dtype checkpoints are saved in.</exception>
    public static string NameOf(ScalarType type)
    {
        foreach (var entry in s_types)
        {
            if (entry.Type == type)
            {
                return entry.Name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(type), type, $"Checkpoints are saved as {string.Join(", ", Names)}.");
    }
}
