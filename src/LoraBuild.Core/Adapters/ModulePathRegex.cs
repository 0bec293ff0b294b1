using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Adapters;

/// <summary>
/// PEFT's two ways of matching a regular expression against a module path: <c>re.fullmatch(pattern, path)</c> for
/// <c>target_modules</c>, and <c>re.match(rf"(.*\.)?({key})$", path)</c> for <c>rank_pattern</c>/<c>alpha_pattern</c> keys.
/// </summary>
public static class ModulePathRegex
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(1);
    private static readonly ConcurrentDictionary<string, Regex> s_cache = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="pattern"/> matches the whole of <paramref name="path"/>.</summary>
    public static bool FullMatch(string pattern, string path) => Get($"^(?:{pattern})\\z").IsMatch(path);

    /// <summary>Whether a rank or alpha pattern key matches <paramref name="path"/>: the key must match a whole trailing run of path segments.</summary>
    public static bool PatternKeyMatches(string key, string path) => Get($"^(?:.*\\.)?(?:{key})\\z").IsMatch(path);

    /// <summary>Checks that <paramref name="pattern"/> compiles.</summary>
    /// <exception cref="LoraException">It does not (LORA1066).</exception>
    public static void Compile(string pattern, string setting, string? location)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, s_timeout);
        }
        catch (ArgumentException e)
        {
            throw new LoraException(AdapterErrorCodes.PatternInvalid, $"'{setting}' holds '{pattern}', which is not a valid regular expression: {e.Message}", location, e);
        }
    }

    private static Regex Get(string anchored) =>
        s_cache.GetOrAdd(anchored, static text => new Regex(text, RegexOptions.CultureInvariant, s_timeout));
}
