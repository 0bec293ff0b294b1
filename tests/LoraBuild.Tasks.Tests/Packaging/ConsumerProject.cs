using System.Security;

namespace LoraBuild.Tasks.Tests.Packaging;

/// <summary>A console project in a temp folder that references an adapter package from a local folder feed, restored into its own packages folder.</summary>
internal sealed class ConsumerProject : IDisposable
{
    private readonly Dictionary<string, string> _environment;

    public ConsumerProject(string feed, string packageId, string version, string extraProperties = "")
    {
        Directory = Path.Combine(Path.GetTempPath(), "lorabuild-consumer-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        PackagesDirectory = Path.Combine(Directory, "packages") + Path.DirectorySeparatorChar;
        _environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesDirectory };
        File.WriteAllText(Path.Combine(Directory, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{SecurityElement.Escape(feed)}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(Directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{packageId}" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Directory, "Program.cs"), "System.Console.WriteLine(\"consumer\");\n");
    }

    public string Directory { get; }

    /// <summary>The isolated NuGet packages folder the consumer restores into (ends with a separator).</summary>
    public string PackagesDirectory { get; }

    public string OutputDirectory => Path.Combine(Directory, "bin", "Release", "net10.0");

    public (int ExitCode, string Output) Build() =>
        DotNetProcess.Run(Directory, _environment, "build", "-c", "Release", "-nodeReuse:false", "--disable-build-servers");

    /// <summary>The items of type <paramref name="itemType"/> after evaluation, as MSBuild's <c>-getItem</c> JSON.</summary>
    public (int ExitCode, string Output) GetItems(string itemType) =>
        DotNetProcess.Run(Directory, _environment, "msbuild", "-getItem:" + itemType, "-p:Configuration=Release", "-nodeReuse:false");

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
