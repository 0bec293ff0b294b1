using System.Text.Json;
using System.Text.Json.Nodes;

namespace LoraBuild.Core.Comparison;

/// <summary>A <see cref="ComparisonTable"/> as a JSON array with one object per adapter, keyed by column key (numbers as numbers, missing as null).</summary>
public static class ComparisonJson
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static string Render(ComparisonTable table)
    {
        var keys = ComparisonFields.Keys(table);
        var array = new JsonArray();
        foreach (var row in ComparisonFields.Rows(table))
        {
            var item = new JsonObject();
            for (var i = 0; i < keys.Count; i++)
            {
                item[keys[i]] = row[i] switch
                {
                    null => null,
                    double number when double.IsFinite(number) => JsonValue.Create(number),
                    double number => JsonValue.Create(number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    var text => JsonValue.Create(text.ToString()),
                };
            }

            array.Add(item);
        }

        return array.ToJsonString(s_indented) + "\n";
    }
}
