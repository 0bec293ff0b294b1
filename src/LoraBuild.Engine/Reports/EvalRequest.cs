namespace LoraBuild.Engine.Reports;

/// <summary>What <c>dotnet lora eval</c> was asked: the thing to evaluate and what overrides its recorded settings.</summary>
public sealed record EvalRequest
{
    /// <summary>An adapter folder, a spec file, or a folder holding <c>lora.json</c>.</summary>
    public required string Target { get; init; }

    /// <summary>The adapter folder to use with a spec target, instead of the one the spec's build or <c>train</c> wrote.</summary>
    public string? Adapter { get; init; }

    /// <summary>Where to evaluate (<see cref="Core.Specs.Devices"/>); <c>auto</c> when null, whatever the training run used.</summary>
    public string? Device { get; init; }

    /// <summary>The base model folder, instead of the one the spec or the adapter's manifest names.</summary>
    public string? Model { get; init; }

    /// <summary>Eval data files to use instead of the spec's eval datasets; relative to the current folder.</summary>
    public IReadOnlyList<string> Data { get; init; } = [];

    /// <summary>The format of <see cref="Data"/> (alpaca, chat or text); alpaca when null.</summary>
    public string? Format { get; init; }

    /// <summary>Metric names (<c>;</c>-separated lists allowed) replacing every eval dataset's metrics; none keeps them.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>Most tokens to generate per answer, instead of the spec's <c>evalMaxNewTokens</c>.</summary>
    public int? MaxNewTokens { get; init; }

    /// <summary>The folder to write to; <c>&lt;adapter folder&gt;.eval</c> beside the adapter when null.</summary>
    public string? Output { get; init; }
}
