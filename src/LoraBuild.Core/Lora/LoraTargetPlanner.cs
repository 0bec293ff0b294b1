using System.Globalization;
using System.Text.RegularExpressions;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Lora;

/// <summary>A linear layer of a model: its full module path and its weight's dimensions.</summary>
public sealed record LinearModuleInfo(string Path, long InFeatures, long OutFeatures);

/// <summary>One linear layer that gets a LoRA pair, with the rank and alpha that apply to it.</summary>
public sealed record LoraTarget(string Path, long InFeatures, long OutFeatures, int Rank, double Alpha);

/// <summary>The layers to adapt, in model order, and the targets written to <c>adapter_config.json</c> (all-linear resolved to names).</summary>
public sealed record LoraTargetPlan(IReadOnlyList<LoraTarget> Targets, AdapterTargets ResolvedTargets);

/// <summary>
/// Chooses the linear layers that get LoRA pairs, by PEFT's rules (<c>check_target_module_exists</c>):
/// <list type="bullet">
/// <item>a regular expression must match a module's whole path, and <c>layers_to_transform</c> does not apply;</item>
/// <item>a name equal to a module's whole path selects it, whatever <c>layers_to_transform</c> says;</item>
/// <item>a name that ends a module's path after a dot selects it when its decoder layer (the number in
/// <c>….&lt;name&gt;.&lt;i&gt;.</c>) is in <c>layers_to_transform</c>, or always when that is null;</item>
/// <item><c>all-linear</c> stands for the last path segment of every linear layer except the output head.</item>
/// </list>
/// Rank and alpha come from <see cref="LoraSettings.RankFor"/> and <see cref="LoraSettings.AlphaFor"/>.
/// </summary>
public static partial class LoraTargetPlanner
{
    /// <exception cref="LoraException">
    /// A name or pattern matches no linear layer (LORA3001), nothing is left after the layer restriction (LORA3002),
    /// or a listed layer does not exist (LORA3003).
    /// </exception>
    public static LoraTargetPlan Plan(IReadOnlyList<LinearModuleInfo> linearModules, string? outputHeadPath, LoraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(linearModules);
        ArgumentNullException.ThrowIfNull(settings);
        var targets = Resolve(settings.Targets, linearModules, outputHeadPath);
        RequireEveryTargetMatches(targets, linearModules);
        RequireLayersExist(settings.LayersToTransform, linearModules);

        var selected = new List<LoraTarget>();
        foreach (var module in linearModules)
        {
            if (IsSelected(targets, settings.LayersToTransform, module.Path))
            {
                selected.Add(new LoraTarget(module.Path, module.InFeatures, module.OutFeatures, settings.RankFor(module.Path), settings.AlphaFor(module.Path)));
            }
        }

        if (selected.Count == 0)
        {
            throw new LoraException(
                LoraErrorCodes.NothingTargeted,
                $"Target modules '{settings.Targets}' match linear layers, but none in layers_to_transform [{string.Join(", ", settings.LayersToTransform ?? [])}].");
        }

        return new LoraTargetPlan(selected, targets);
    }

    /// <summary>The decoder layer index PEFT reads from a module path (<c>.&lt;name&gt;.&lt;i&gt;.</c>), or null when there is none.</summary>
    public static int? LayerIndex(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var match = LayerIndexRegex().Match(path);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    private static AdapterTargets Resolve(AdapterTargets targets, IReadOnlyList<LinearModuleInfo> linearModules, string? outputHeadPath)
    {
        if (!targets.AllLinear)
        {
            return targets;
        }

        // PEFT's all-linear: the last segment of every linear layer's path, minus the output head's.
        var names = new SortedSet<string>(targets.Names, StringComparer.Ordinal);
        var headName = outputHeadPath is null ? null : LastSegment(outputHeadPath);
        foreach (var module in linearModules)
        {
            var name = LastSegment(module.Path);
            if (name != headName)
            {
                names.Add(name);
            }
        }

        if (names.Count == 0)
        {
            throw new LoraException(LoraErrorCodes.TargetNotFound, "'all-linear' matches no linear layer: the model has none besides its output head.");
        }

        return AdapterTargets.FromNames(names);
    }

    private static bool IsSelected(AdapterTargets targets, IReadOnlyList<int>? layers, string path)
    {
        if (!targets.MatchesExplicitly(path, out var exactName))
        {
            return false;
        }

        if (targets.Pattern is not null || exactName || layers is null)
        {
            return true;
        }

        return LayerIndex(path) is { } index && layers.Contains(index);
    }

    private static void RequireEveryTargetMatches(AdapterTargets targets, IReadOnlyList<LinearModuleInfo> linearModules)
    {
        var unmatched = targets.Pattern is not null
            ? (linearModules.Any(module => targets.MatchesExplicitly(module.Path, out _)) ? [] : [targets.Pattern])
            : targets.Names.Where(name => !linearModules.Any(module => AdapterTargets.FromNames([name]).MatchesExplicitly(module.Path, out _))).ToList();
        if (unmatched.Count > 0)
        {
            throw new LoraException(
                LoraErrorCodes.TargetNotFound,
                $"Target module{(unmatched.Count > 1 ? "s" : string.Empty)} {string.Join(", ", unmatched.Select(name => $"'{name}'"))} match no linear layer. "
                    + $"The model's linear layers are: {DescribeModules(linearModules)}.");
        }
    }

    private static void RequireLayersExist(IReadOnlyList<int>? layers, IReadOnlyList<LinearModuleInfo> linearModules)
    {
        if (layers is null)
        {
            return;
        }

        var present = linearModules.Select(module => LayerIndex(module.Path)).OfType<int>().ToHashSet();
        var missing = layers.Where(layer => !present.Contains(layer)).ToList();
        if (missing.Count > 0)
        {
            var range = present.Count == 0 ? "none" : $"{present.Min()}–{present.Max()}";
            throw new LoraException(
                LoraErrorCodes.LayerNotFound,
                $"layers_to_transform lists layer{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)}, but the model's decoder layers are {range}.");
        }
    }

    /// <summary>Module paths with layer numbers folded into <c>{i}</c>, each listed once, in model order.</summary>
    private static string DescribeModules(IReadOnlyList<LinearModuleInfo> linearModules) =>
        linearModules.Count == 0
            ? "(none)"
            : string.Join(", ", linearModules.Select(module => LayerNumberRegex().Replace(module.Path, ".{i}.")).Distinct());

    private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..];

    // PEFT: re.match(r".*\.[^.]*\.(\d+)\.", key)
    [GeneratedRegex(@"^.*\.[^.]*\.(\d+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex LayerIndexRegex();

    [GeneratedRegex(@"\.\d+\.", RegexOptions.CultureInvariant)]
    private static partial Regex LayerNumberRegex();
}
