using LoraBuild.Core.Manifests;

namespace LoraBuild.Testing.Tests;

/// <summary>
/// The convention as a user meets it: <c>*.verified.json</c> committed beside this file, found through the caller's
/// source path (after a deliberate change, rerun with LORABUILD_ACCEPT_SNAPSHOTS=1 and commit the files).
/// </summary>
public class CommittedSnapshotTests
{
    [Fact]
    public void TheSampleOutputsMatchTheirCommittedSnapshot() =>
        EvalSnapshot.Verify(SampleOutputs.Create(), "sample-outputs");

    [Fact]
    public void ThisFilesFolderIsTheDefault()
    {
        var files = SnapshotFiles.For("x", directory: null, callerFilePath: ThisFile());

        Assert.Equal(Path.Combine(SourceFolder(), "x.verified.json"), files.VerifiedPath);
    }

    [Fact]
    public void AManifestsMetricsLeaveOutTheMachineDependentOnes()
    {
        var manifest = TrainingManifestJson.ReadFile(Path.Combine(RepositoryRoot(), "examples", "models", "tiny", TrainingManifest.FileName));
        manifest = manifest with
        {
            Metrics = new ManifestMetrics
            {
                Train = new Dictionary<string, double> { ["loss_final"] = 0.9655316710509736, ["steps"] = 852, ["wall_seconds"] = 662.4, ["tokens_per_second"] = 3759.5, ["peak_memory_bytes"] = 1088081920 },
                Eval = new ManifestEvalMetrics
                {
                    Before = new Dictionary<string, double> { ["exact_match"] = 0 },
                    After = new Dictionary<string, double> { ["exact_match"] = 0.25 },
                },
            },
        };

        MetricsSnapshot.Verify(manifest, "manifest-metrics");
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

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
