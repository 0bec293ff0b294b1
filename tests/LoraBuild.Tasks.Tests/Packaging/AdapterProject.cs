using System.Security;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Tasks.Packaging;

namespace LoraBuild.Tasks.Tests.Packaging;

/// <summary>
/// An adapter project in a temp folder that uses the Sdk's build files from this repository, with a stand-in
/// <c>LoraTrain</c> target that reports an adapter folder made here (small fixture files, no training).
/// </summary>
internal sealed class AdapterProject : IDisposable
{
    public const string Fingerprint = "5e1f00000000000000000000000000000000000000000000000000000000c0de";

    public AdapterProject(string packageId, string version, double wallSeconds, string? buildFingerprint = Fingerprint)
    {
        Directory = Path.Combine(Path.GetTempPath(), "lorabuild-pack-" + Guid.NewGuid().ToString("N"));
        AdapterDirectory = Path.Combine(Directory, "trained", "SupportTriage");
        System.IO.Directory.CreateDirectory(AdapterDirectory);
        File.WriteAllText(Path.Combine(AdapterDirectory, "adapter_config.json"), """{"peft_type": "LORA", "r": 4, "lora_alpha": 8, "base_model_name_or_path": "tiny"}""");
        File.WriteAllBytes(Path.Combine(AdapterDirectory, "adapter_model.safetensors"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251))]);
        TrainingManifestJson.WriteFile(Manifest(wallSeconds), Path.Combine(AdapterDirectory, TrainingManifest.FileName));
        File.WriteAllText(Path.Combine(AdapterDirectory, "report.md"), "# SupportTriage report\n\n![loss](loss_curve.png)\n");
        File.WriteAllBytes(Path.Combine(AdapterDirectory, "loss_curve.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]);
        var sdk = DotNetProcess.RepositoryFile("src", "LoraBuild.Tasks", "build");
        var fingerprint = buildFingerprint is null ? string.Empty : $" Fingerprint=\"{buildFingerprint}\"";
        File.WriteAllText(ProjectFile, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Escape(Path.Combine(sdk, "LoraBuild.Sdk.props"))}" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>{packageId}</PackageId>
                <Version>{version}</Version>
                <LoraBuildTasksAssembly>{Escape(typeof(PrepareAdapterPackage).Assembly.Location)}</LoraBuildTasksAssembly>
              </PropertyGroup>
              <Import Project="{Escape(Path.Combine(sdk, "LoraBuild.Sdk.targets"))}" />
              <!-- Stands in for the Sdk's LoraTrain (defined after the import, so it wins). -->
              <Target Name="LoraTrain">
                <ItemGroup>
                  <LoraTrainedAdapter Include="SupportTriage" Path="{Escape(AdapterDirectory)}"{fingerprint} />
                </ItemGroup>
              </Target>
            </Project>
            """);
        PackageFile = Path.Combine(Directory, "bin", "Release", $"{packageId}.{version}.nupkg");
    }

    public string Directory { get; }

    public string AdapterDirectory { get; }

    public string ProjectFile => Path.Combine(Directory, "Adapter.csproj");

    public string PackageFile { get; }

    public static TrainingManifest Manifest(double wallSeconds) => new()
    {
        Fingerprint = Fingerprint,
        AdapterName = "SupportTriage",
        Spec = new TrainingSpec
        {
            Name = "SupportTriage",
            BaseModel = new BaseModelReference { Path = "../models/tiny" },
            Datasets = [new DatasetReference { Path = "data/train.jsonl", Format = "alpaca" }],
            Rank = 4,
            Alpha = 8,
        },
        Inputs = new ManifestInputs
        {
            BaseModelFiles = new Dictionary<string, string> { ["model.safetensors"] = new string('c', 64) },
            Datasets = [new ManifestFile("data/train.jsonl", new string('1', 64))],
            EvalDatasets = [],
        },
        Engine = new ManifestEngine { LoraBuildVersion = "0.1.0", TorchSharpVersion = "0.107.0", LibTorchVersion = "2.10.0", Device = "cpu", Threads = 2 },
        Metrics = new ManifestMetrics
        {
            Train = new Dictionary<string, double> { ["steps"] = 6, ["loss_final"] = 1.5, ["wall_seconds"] = wallSeconds, ["tokens_per_second"] = 1000 / wallSeconds },
            Eval = new ManifestEvalMetrics { Before = new Dictionary<string, double>(), After = new Dictionary<string, double>() },
        },
    };

    /// <summary>Runs <c>dotnet pack -c Release</c> on the project.</summary>
    public (int ExitCode, string Output) Pack(params string[] extra) =>
        DotNetProcess.Run(Directory, null, ["pack", ProjectFile, "-c", "Release", "-nodeReuse:false", "--disable-build-servers", .. extra]);

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static string Escape(string text) => SecurityElement.Escape(text);
}
