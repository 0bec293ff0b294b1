using System.Runtime.CompilerServices;
using System.Text.Json;

namespace LoraBuild.Core.Tests.Jinja;

/// <summary>The reference renderings build/jinja/render.mjs wrote with @huggingface/jinja (and Python Jinja where it differs).</summary>
internal static class Fixtures
{
    private static readonly Lazy<JsonElement> _real = new(() => Load("real-templates.json"));
    private static readonly Lazy<JsonElement> _synthetic = new(() => Load("synthetic.json"));

    public static JsonElement Real => _real.Value;

    public static JsonElement Synthetic => _synthetic.Value;

    public static string Folder([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Fixtures");

    private static JsonElement Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder(), name)));
        return document.RootElement.Clone();
    }

    public static IEnumerable<JsonElement> Cases(JsonElement fixture) => fixture.GetProperty("cases").EnumerateArray();

    public static JsonElement Case(JsonElement fixture, string name) =>
        Cases(fixture).Single(c => c.GetProperty("name").GetString() == name);

    public static string Template(JsonElement fixtureCase, JsonElement fixture)
    {
        if (fixtureCase.TryGetProperty("template", out var template))
        {
            return template.GetString()!;
        }

        string name = fixtureCase.GetProperty("templateName").GetString()!;
        return fixture.GetProperty("templates").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == name).GetProperty("template").GetString()!;
    }

    public static Dictionary<string, object?> Variables(JsonElement fixtureCase) =>
        fixtureCase.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
}
