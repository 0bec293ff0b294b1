using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Adapters;

/// <summary>
/// Which linear layers get LoRA pairs, in PEFT's three forms: a list of module names (a module matches when its
/// full path equals a name or ends with <c>.name</c>), <c>all-linear</c> (every linear layer except the output head),
/// or one regular expression that must match a module's whole path.
/// </summary>
public sealed class AdapterTargets
{
    /// <summary>PEFT's shorthand for every linear layer but the output head.</summary>
    public const string AllLinearKeyword = "all-linear";

    /// <summary>The prefix that marks a regular expression in a training spec's <c>TargetModules</c>.</summary>
    public const string RegexPrefix = "re:";

    private AdapterTargets(IReadOnlyList<string> names, bool allLinear, string? pattern)
    {
        Names = names;
        AllLinear = allLinear;
        Pattern = pattern;
    }

    /// <summary>Module names matched as path suffixes, sorted ordinally; empty for a pattern.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Whether every linear layer except the output head is targeted (in addition to <see cref="Names"/>).</summary>
    public bool AllLinear { get; }

    /// <summary>A regular expression that must match a module's whole path; null for names.</summary>
    public string? Pattern { get; }

    /// <summary>Targets given as module names (each matched as a path suffix), optionally with <c>all-linear</c> among them.</summary>
    /// <exception cref="LoraException">The list is empty or holds something that is not a dotted module name (LORA1067).</exception>
    public static AdapterTargets FromNames(IEnumerable<string> names, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var allLinear = false;
        var unique = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name == AllLinearKeyword)
            {
                allLinear = true;
            }
            else if (IsModuleName(name))
            {
                unique.Add(name);
            }
            else
            {
                throw new LoraException(
                    AdapterErrorCodes.TargetsInvalid,
                    $"'{name}' is not a module name; use names such as q_proj or self_attn.q_proj, '{AllLinearKeyword}', or a regular expression.",
                    location);
            }
        }

        if (!allLinear && unique.Count == 0)
        {
            throw new LoraException(AdapterErrorCodes.TargetsInvalid, "No target modules given.", location);
        }

        return new AdapterTargets([.. unique], allLinear, null);
    }

    /// <summary>Targets given as one regular expression (.NET syntax, which agrees with Python's for the usual patterns) over whole module paths.</summary>
    /// <exception cref="LoraException">The expression is empty or does not compile (LORA1066).</exception>
    public static AdapterTargets FromPattern(string pattern, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            throw new LoraException(AdapterErrorCodes.PatternInvalid, "The target-module regular expression is empty.", location);
        }

        ModulePathRegex.Compile(pattern, "target_modules", location);
        return new AdapterTargets([], false, pattern);
    }

    /// <summary>
    /// Parses a training spec's <c>TargetModules</c>: a comma-separated list (<c>q_proj,v_proj</c>), <c>all-linear</c>,
    /// or <c>re:</c> followed by a regular expression.
    /// </summary>
    public static AdapterTargets ParseSpec(string? value, string? location = null)
    {
        var text = (value ?? string.Empty).Trim();
        if (text.StartsWith(RegexPrefix, StringComparison.Ordinal))
        {
            return FromPattern(text[RegexPrefix.Length..], location);
        }

        return FromNames(text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), location);
    }

    /// <summary>
    /// Whether the module at <paramref name="path"/> is targeted by name or pattern, before any layer restriction.
    /// <c>all-linear</c> is not considered here: it depends on which modules are linear layers.
    /// </summary>
    public bool MatchesExplicitly(string path, out bool exactName)
    {
        ArgumentNullException.ThrowIfNull(path);
        exactName = false;
        if (Pattern is not null)
        {
            return ModulePathRegex.FullMatch(Pattern, path);
        }

        foreach (var name in Names)
        {
            if (path == name)
            {
                exactName = true;
                return true;
            }
        }

        foreach (var name in Names)
        {
            if (path.Length > name.Length && path.EndsWith(name, StringComparison.Ordinal) && path[path.Length - name.Length - 1] == '.')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The form a training spec's <c>TargetModules</c> takes for these targets.</summary>
    public override string ToString() =>
        Pattern is not null ? RegexPrefix + Pattern : string.Join(",", (AllLinear ? [AllLinearKeyword] : Array.Empty<string>()).Concat(Names));

    private static bool IsModuleName(string name) =>
        name.Length > 0 && name.Split('.').All(part => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'));
}
