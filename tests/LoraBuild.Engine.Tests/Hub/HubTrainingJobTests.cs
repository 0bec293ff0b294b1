using System.Text;
using System.Text.Json;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Core.Tests.Hub;
using LoraBuild.Engine.Jobs;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Tests.Jobs;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Hub;

/// <summary>A training job whose base model is a hub id: fetched from the loopback Hub into a Hugging Face cache, trained, the commit recorded.</summary>
public class HubTrainingJobTests
{
    [Fact]
    public void AHubModelIsFetchedTrainedAndPinnedToItsCommitAndAMovedBranchChangesTheFingerprint()
    {
        using var project = new TinyProject("\"maxSteps\": 2");
        using var hub = new LoopbackHub();
        var repo = hub.AddRepo("org/tiny");
        var files = LoopbackRepo.FilesOf(project.BaseModelDirectory);
        var first = repo.Push(files);
        var settings = Settings(hub, Path.Combine(project.Directory, "hf-cache"));
        var spec = TrainingSpecJson.ReadFile(project.SpecFile) with { BaseModel = new BaseModelReference { HubId = "org/tiny", Revision = "main" } };
        var observer = new DownloadObserver();

        var fetched = TrainingJob.Run(spec, project.Output("fetched"), new FileHashCache(null), observer, settings);

        Assert.Equal(first, fetched.Inputs.BaseModelCommit);
        Assert.Equal("main", fetched.Spec.BaseModel!.Revision);
        Assert.Null(fetched.Spec.BaseModel.Path);
        var written = TrainingManifestJson.ReadFile(Path.Combine(project.Output("fetched"), TrainingManifest.FileName));
        Assert.Equal(first, written.Inputs.BaseModelCommit);
        Assert.Equal(files["model.safetensors"].Length, observer.Downloads.Last(d => d.File == "model.safetensors").BytesDownloaded);
        Assert.Contains(observer.Downloads, d => d.File == "model.safetensors" && d.Completed);
        Assert.Contains(observer.Stages, s => s.Contains("hf://org/tiny@main", StringComparison.Ordinal));
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(project.Output("fetched"), AdapterConfigJson.FileName))))
        {
            Assert.Equal("org/tiny", config.RootElement.GetProperty("base_model_name_or_path").GetString());
            Assert.Equal(first, config.RootElement.GetProperty("revision").GetString());
        }

        hub.ClearRequests();
        var again = TrainingJob.Run(spec, project.Output("again"), new FileHashCache(null), new DownloadObserver(), settings);

        Assert.Equal(fetched.Fingerprint, again.Fingerprint);
        Assert.Single(hub.Requests); // where main is now; nothing downloaded

        files["README.md"] = Encoding.UTF8.GetBytes("# a new model card");
        var moved = repo.Push(files);
        var afterMove = TrainingJob.Run(spec, project.Output("moved"), new FileHashCache(null), new DownloadObserver(), settings);

        Assert.Equal(moved, afterMove.Inputs.BaseModelCommit);
        Assert.NotEqual(fetched.Fingerprint, afterMove.Fingerprint);
        Assert.Equal(fetched.Inputs.BaseModelFiles, afterMove.Inputs.BaseModelFiles);

        hub.ClearRequests();
        var offline = TrainingJob.Run(spec, project.Output("offline"), new FileHashCache(null), new DownloadObserver(), Settings(hub, settings.CacheDirectory, offline: true));

        Assert.Empty(hub.Requests);
        Assert.Equal(afterMove.Fingerprint, offline.Fingerprint);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(project.Output("moved"), AdapterFiles.WeightsFileName)),
            File.ReadAllBytes(Path.Combine(project.Output("offline"), AdapterFiles.WeightsFileName)));
    }

    private static HubSettings Settings(LoopbackHub hub, string cache, bool offline = false) => new()
    {
        Endpoint = hub.Endpoint,
        CacheDirectory = cache,
        Offline = offline,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        ProgressInterval = TimeSpan.Zero,
    };

    private sealed class DownloadObserver : ITrainingJobObserver
    {
        public List<string> Stages { get; } = [];

        public List<HubDownloadProgress> Downloads { get; } = [];

        public void Stage(string description) => Stages.Add(description);

        public void StepCompleted(TrainingProgress progress)
        {
        }

        public void Warning(string code, string message, string? location)
        {
        }

        public void Download(HubDownloadProgress progress) => Downloads.Add(progress);
    }
}
