namespace LoraBuild.Tasks.Tests.Packaging;

/// <summary>One adapter project packed once, shared by the tests that read the package or consume it.</summary>
public sealed class PackedAdapterFixture : IDisposable
{
    public const string PackageId = "LoraBuild.Tests.Triage";

    public PackedAdapterFixture()
    {
        // A version no earlier run used, so no NuGet cache can answer for this package.
        Version = "1.0.0-t" + Guid.NewGuid().ToString("N")[..12];
        Project = new AdapterProject(PackageId, Version, wallSeconds: 12.5);
        (ExitCode, Output) = Project.Pack();
    }

    public string Version { get; }

    internal AdapterProject Project { get; }

    public int ExitCode { get; }

    public string Output { get; }

    public void Dispose() => Project.Dispose();
}
