using System.Xml.Linq;

namespace LoraBuild.Tasks.Tests.Build;

/// <summary>The Sdk's build files extend the .NET SDK and NuGet through public extension points only.</summary>
public class SdkTargetsTests
{
    private static readonly string[] HookAttributes = ["BeforeTargets", "AfterTargets", "DependsOnTargets"];

    [Fact]
    public void NoTargetHooksAPrivateTargetOfAnotherPackage()
    {
        var documents = Directory.EnumerateFiles(Repository.SdkBuildFolder, "*.targets")
            .Concat(Directory.EnumerateFiles(Repository.SdkBuildFolder, "*.props"))
            .Select(XDocument.Load)
            .ToList();
        var targets = documents.SelectMany(d => d.Descendants("Target")).ToList();
        Assert.NotEmpty(targets);
        var own = targets.Select(t => (string)t.Attribute("Name")!).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var hooked = targets
            .SelectMany(t => HookAttributes.Select(a => (string?)t.Attribute(a)))
            .Concat(documents.SelectMany(d => d.Descendants()).Where(e => e.Name.LocalName.EndsWith("DependsOn", StringComparison.Ordinal) || e.Name.LocalName == "BeforePack").Select(e => e.Value))
            .SelectMany(value => (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(name => !name.StartsWith("$(", StringComparison.Ordinal));

        Assert.DoesNotContain(hooked, name => name.StartsWith('_') && !own.Contains(name));
    }
}
