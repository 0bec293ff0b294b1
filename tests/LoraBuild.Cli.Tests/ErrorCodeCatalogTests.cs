using System.Reflection;
using System.Text.RegularExpressions;

namespace LoraBuild.Cli.Tests;

/// <summary>Every LORAnnnn constant of an <c>…ErrorCodes</c> class is unique and documented in docs/errors.md.</summary>
public partial class ErrorCodeCatalogTests
{
    private static readonly Assembly[] ProductAssemblies =
    [
        typeof(Core.Diagnostics.LoraException).Assembly,
        typeof(Engine.Native.TorchRuntime).Assembly,
        typeof(CommandLine).Assembly,
    ];

    public static IEnumerable<(string Code, string Constant)> Codes() =>
        ProductAssemblies
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type.Name.EndsWith("ErrorCodes", StringComparison.Ordinal))
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(field => field.IsLiteral && field.FieldType == typeof(string))
                .Select(field => (Code: (string)field.GetRawConstantValue()!, Constant: $"{type.Name}.{field.Name}")))
            .Where(pair => CodeRegex().IsMatch(pair.Code));

    [Fact]
    public void NoTwoConstantsShareACode()
    {
        var shared = Codes().GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c.Constant))}").ToList();

        Assert.True(Codes().Count() > 50, "the catalog should see the product's codes");
        Assert.Empty(shared);
    }

    [Fact]
    public void EveryCodeIsDocumented()
    {
        var documentation = File.ReadAllText(CliRun.RepositoryFile("docs", "errors.md"));

        var undocumented = Codes().Where(c => !documentation.Contains($"| {c.Code} |", StringComparison.Ordinal)).Select(c => $"{c.Code} ({c.Constant})").ToList();

        Assert.True(undocumented.Count == 0, $"Run `python3 build/error-docs.py`; missing: {string.Join(", ", undocumented)}");
    }

    [GeneratedRegex("^LORA[1-5][0-9]{3}$")]
    private static partial Regex CodeRegex();
}
