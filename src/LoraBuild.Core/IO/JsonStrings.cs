using System.Globalization;
using System.Text.Json;

namespace LoraBuild.Core.IO;

/// <summary>
/// Finds strings a <see cref="JsonDocument"/> accepted but cannot read: it checks escapes and UTF-8 inside a string
/// only when the string is read, and then throws <see cref="InvalidOperationException"/> (a lone surrogate such as
/// <c>"\uD800"</c>, or bytes that are not UTF-8). Parsers of outside data call this once after parsing, so that
/// such a file is a coded error rather than a crash wherever the string happens to be read.
/// </summary>
public static class JsonStrings
{
    /// <summary>The JSON path (such as <c>$.target_modules[0]</c>) of the first string or property name that is not well-formed text; null when all are.</summary>
    public static string? FindIllFormed(JsonElement element) => Find(element) is { } path ? "$" + path : null;

    private static string? Find(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element.GetString) ? null : string.Empty;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Readable(() => property.Name))
                    {
                        return ".?";
                    }

                    if (Find(property.Value) is { } inner)
                    {
                        return "." + property.Name + inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item) is { } inner)
                    {
                        return string.Create(CultureInfo.InvariantCulture, $"[{index}]{inner}");
                    }

                    index++;
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
