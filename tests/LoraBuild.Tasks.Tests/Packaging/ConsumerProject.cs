using System.Security;

namespace LoraBuild.Tasks.Tests.Packaging;

/// <summary>
/// A console project (<c>Consumer/</c> in a temp folder) that references an adapter package from a local folder feed,
/// restored into the temp folder's own <c>packages/</c>; other projects can be added beside it.
/// </summary>
internal sealed class ConsumerProject : IDisposable
{
    private readonly Dictionary<string, string> _environment;

    public ConsumerProject(string feed, string packageId, string version, string extraProperties = "")
    {
        Directory = Path.Combine(Path.GetTempPath(), "lorabuild-consumer-" + Guid.NewGuid().ToString("N"));
        PackagesDirectory = Path.Combine(Directory, "packages") + Path.DirectorySeparatorChar;
        _environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesDirectory };
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{SecurityElement.Escape(feed)}" />
              </packageSources>
            </configuration>
            """);
        ProjectFile = AddProject("Consumer", extraProperties, $"""<PackageReference Include="{packageId}" Version="{version}" />""");
    }

    public string Directory { get; }

    /// <summary>The isolated NuGet packages folder the projects restore into (ends with a separator).</summary>
    public string PackagesDirectory { get; }

    public string ProjectFile { get; }

    public string OutputDirectory => OutputDirectoryOf("Consumer");

    public string OutputDirectoryOf(string name) => Path.Combine(Directory, name, "bin", "Release", "net10.0");

    /// <summary>Adds a console project in <c>&lt;name&gt;/</c> with a ProjectReference to the consumer; returns its project file.</summary>
    public string AddReferencingProject(string name) => AddProject(name, string.Empty, """<ProjectReference Include="../Consumer/Consumer.csproj" />""");

    /// <summary>Builds <paramref name="project"/> (the consumer by default) in Release.</summary>
    public (int ExitCode, string Output) Build(string? project = null) =>
        DotNetProcess.Run(Directory, _environment, "build", project ?? ProjectFile, "-c", "Release", "-nodeReuse:false", "--disable-build-servers");

    /// <summary>The items of type <paramref name="itemType"/> of <paramref name="project"/> after evaluation, as MSBuild's <c>-getItem</c> JSON.</summary>
    public (int ExitCode, string Output) GetItems(string itemType, string? project = null) =>
        DotNetProcess.Run(Directory, _environment, "msbuild", project ?? ProjectFile, "-getItem:" + itemType, "-p:Configuration=Release", "-nodeReuse:false");

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private string AddProject(string name, string extraProperties, string reference)
    {
        var folder = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(folder);
        var project = Path.Combine(folder, name + ".csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                {reference}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), $"System.Console.WriteLine(\"{name}\");\n");
        return project;
    }
}
