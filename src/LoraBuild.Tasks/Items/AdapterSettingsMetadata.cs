using System.Globalization;
using System.Reflection;
using LoraBuild.Core.Specs;

namespace LoraBuild.Tasks.Items;

/// <summary>
/// Every training setting of <see cref="TrainingSpec"/> as LoraAdapter metadata of the same name (<c>Rank</c>,
/// <c>LearningRate</c>…), found by reflection so that a setting added to the spec is an item metadata at once.
/// Empty metadata means the spec's default, so spelling a default out or leaving it away gives the same spec.
/// </summary>
internal static class AdapterSettingsMetadata
{
    /// <summary>Spec properties that are not plain settings: they come from other items or from the project.</summary>
    public static readonly IReadOnlySet<string> NotSettings = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(TrainingSpec.Name), nameof(TrainingSpec.BaseModel), nameof(TrainingSpec.Datasets), nameof(TrainingSpec.EvalDatasets),
        nameof(TrainingSpec.SourceLocation), nameof(TrainingSpec.BaseDirectory), nameof(TrainingSpec.SettingSources),
    };

    public static IReadOnlyList<PropertyInfo> Settings { get; } =
    [
        .. typeof(TrainingSpec).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && !NotSettings.Contains(p.Name))
            .OrderBy(p => p.Name, StringComparer.Ordinal),
    ];

    /// <summary>The spec with every non-empty setting metadata applied.</summary>
    public static TrainingSpec Apply(TrainingSpec spec, Func<string, string> metadata, LoraItemReference item)
    {
        var result = spec with { };
        foreach (var setting in Settings)
        {
            var text = metadata(setting.Name).Trim();
            if (text.Length == 0)
            {
                continue;
            }

            object? value;
            try
            {
                value = Parse(setting.PropertyType, text);
            }
            catch (FormatException e)
            {
                throw new LoraItemException(TaskErrorCodes.MetadataInvalid, $"{setting.Name} is '{text}', which is not {e.Message}.", item, setting.Name);
            }

            setting.SetValue(result, value);
        }

        return result;
    }

    private static object? Parse(Type type, string text)
    {
        if (type == typeof(string))
        {
            return text;
        }

        if (type == typeof(int) || type == typeof(int?))
        {
            return ParseInt(text);
        }

        if (type == typeof(double) || type == typeof(double?))
        {
            return ParseDouble(text);
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(text, out var flag) ? flag : throw new FormatException("true or false");
        }

        if (type == typeof(IReadOnlyList<int>))
        {
            return Entries(text, ';', ',').Select(ParseInt).ToList();
        }

        if (type == typeof(IReadOnlyDictionary<string, int>))
        {
            return Pairs(text, ParseInt);
        }

        if (type == typeof(IReadOnlyDictionary<string, double>))
        {
            return Pairs(text, ParseDouble);
        }

        throw new InvalidOperationException($"TrainingSpec setting type {type} has no metadata parser.");
    }

    private static int ParseInt(string text) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException("an integer");

    private static double ParseDouble(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException("a number (invariant culture, e.g. 3e-4 or 0.05)");

    private static string[] Entries(string text, params char[] separators) =>
        text.Split(separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary><c>pattern=value;pattern=value</c>, split at each entry's last '=' since a regular expression may hold one.</summary>
    private static SortedDictionary<string, T> Pairs<T>(string text, Func<string, T> parse)
    {
        var result = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in Entries(text, ';'))
        {
            var split = entry.LastIndexOf('=');
            if (split <= 0)
            {
                throw new FormatException("a list of pattern=value entries separated by ';'");
            }

            result[entry[..split].Trim()] = parse(entry[(split + 1)..]);
        }

        return result;
    }
}
