using System.Reflection;

namespace LoraBuild.Testing.Tests;

public class ErrorCodeTests
{
    [Fact]
    public void EveryCodeIsInItsRangeAndDocumented()
    {
        var codes = typeof(SnapshotErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        var documentation = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "errors.md"));

        Assert.NotEmpty(codes);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.InRange(int.Parse(code[4..], System.Globalization.CultureInfo.InvariantCulture), 1370, 1389));
        Assert.All(codes, code => Assert.Contains($"| {code} |", documentation, StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LoraBuild.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("LoraBuild.sln not found above the test output.");
    }
}
