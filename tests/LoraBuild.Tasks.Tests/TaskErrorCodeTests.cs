using System.Reflection;
using System.Text.RegularExpressions;

namespace LoraBuild.Tasks.Tests;

/// <summary>The task assembly's codes are in their own ranges, unique across the product's Core codes, and documented.</summary>
public partial class TaskErrorCodeTests
{
    private static IEnumerable<(string Code, string Constant)> Codes(Assembly assembly) =>
        assembly.GetTypes()
            .Where(type => type.Name.EndsWith("ErrorCodes", StringComparison.Ordinal))
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Where(field => field.IsLiteral && field.FieldType == typeof(string))
                .Select(field => (Code: (string)field.GetRawConstantValue()!, Constant: $"{type.Name}.{field.Name}")))
            .Where(pair => CodeRegex().IsMatch(pair.Code));

    [Fact]
    public void CodesAreInTheTasksRangesUniqueAndDocumented()
    {
        var tasks = Codes(typeof(LoraTrain).Assembly).ToList();
        var all = tasks.Concat(Codes(typeof(Core.Diagnostics.LoraException).Assembly)).ToList();
        var documentation = File.ReadAllText(Repository.File("docs", "errors.md"));

        Assert.NotEmpty(tasks);
        Assert.All(tasks.Where(c => c.Constant.StartsWith("TaskErrorCodes.", StringComparison.Ordinal) || c.Constant.StartsWith("EngineErrorCodes.", StringComparison.Ordinal)), c =>
            Assert.True(int.Parse(c.Code[4..], System.Globalization.CultureInfo.InvariantCulture) is (>= 1150 and <= 1199) or (>= 5100 and <= 5199), $"{c.Constant} = {c.Code} is outside LORA1150-1199 / LORA5100-5199"));
        Assert.Empty(all.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => string.Join(", ", g.Select(c => c.Constant))));
        Assert.Empty(tasks.Where(c => !documentation.Contains($"| {c.Code} |", StringComparison.Ordinal)).Select(c => $"{c.Code} ({c.Constant}): run python3 build/error-docs.py"));
    }

    [GeneratedRegex("^LORA[1-5][0-9]{3}$")]
    private static partial Regex CodeRegex();
}
