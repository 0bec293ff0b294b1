using System.Reflection;

namespace LoraBuild.Tasks.Tests;

/// <summary>Paths in the source tree and the build outputs the integration tests run.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Configuration { get; } = Metadata("BuildConfiguration");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string SdkBuildFolder => File("src", "LoraBuild.Tasks", "build");

    public static string TasksAssembly => File("src", "LoraBuild.Tasks", "bin", Configuration, "net10.0", "LoraBuild.Tasks.dll");

    public static string Engine => File("src", "LoraBuild.Cli", "bin", Configuration, "net10.0", "dotnet-lora.dll");

    /// <summary>The 3.5M-parameter example model: small enough that a two-step training takes seconds.</summary>
    public static string TinyModel => File("examples", "models", "tiny");

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
