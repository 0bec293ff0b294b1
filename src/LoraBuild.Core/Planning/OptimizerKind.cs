using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Planning;

/// <summary>The optimizers the planner can size, told apart by the state they keep per trained parameter.</summary>
public enum OptimizerKind
{
    /// <summary>Plain SGD: no state.</summary>
    Sgd,

    /// <summary>SGD with momentum: one momentum buffer.</summary>
    SgdMomentum,

    /// <summary>Lion: one momentum buffer (the update is the sign of an interpolation of it and the gradient).</summary>
    Lion,

    /// <summary>AdamW: first and second moments.</summary>
    AdamW,

    /// <summary>Sophia-G: a momentum and an exponential moving average of the diagonal Hessian estimate.</summary>
    Sophia,
}

/// <summary>Names and state sizes of <see cref="OptimizerKind"/>.</summary>
public static class OptimizerKinds
{
    private static readonly Dictionary<string, OptimizerKind> s_byName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sgd"] = OptimizerKind.Sgd,
        ["sgd-momentum"] = OptimizerKind.SgdMomentum,
        ["lion"] = OptimizerKind.Lion,
        ["adamw"] = OptimizerKind.AdamW,
        ["sophia"] = OptimizerKind.Sophia,
        ["sophia-g"] = OptimizerKind.Sophia,
    };

    /// <summary>The names <see cref="Parse"/> accepts, one per optimizer.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "sgd-momentum", "lion", "adamw", "sophia"];

    /// <summary>How many tensors the size of the trained parameters the optimizer keeps between steps.</summary>
    public static int StateTensors(this OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => 0,
        OptimizerKind.SgdMomentum or OptimizerKind.Lion => 1,
        OptimizerKind.AdamW or OptimizerKind.Sophia => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The command-line name of <paramref name="kind"/>.</summary>
    public static string Name(this OptimizerKind kind) => Names[kind switch
    {
        OptimizerKind.Sgd => 0,
        OptimizerKind.SgdMomentum => 1,
        OptimizerKind.Lion => 2,
        OptimizerKind.AdamW => 3,
        OptimizerKind.Sophia => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    }];

    /// <summary>Reads an optimizer name (case-insensitive; <c>sophia-g</c> is accepted for <c>sophia</c>).</summary>
    /// <exception cref="LoraException">The name is not one of <see cref="Names"/> (LORA1403).</exception>
    public static OptimizerKind Parse(string name, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_byName.TryGetValue(name.Trim(), out var kind)
            ? kind
            : throw new LoraException(
                PlanErrorCodes.OptimizerUnknown,
                $"Unknown optimizer '{name}'; use one of {string.Join(", ", Names)}.",
                location);
    }
}
