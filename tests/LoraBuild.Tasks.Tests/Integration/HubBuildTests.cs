using System.Text;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Core.Tests.Hub;

namespace LoraBuild.Tasks.Tests.Integration;

/// <summary>
/// A <c>LoraBaseModel</c> with <c>HubId</c> and no <c>Path</c>, built against the loopback Hub: the build fetches the
/// model into the Python-compatible cache, pins the commit, is up to date without a download, builds offline, retrains
/// when the branch moves, and never writes or prints the token.
/// </summary>
public sealed class HubBuildTests : IDisposable
{
    private const string Token = "hf_buildLoopbackToken0123456789abcdef";
    private readonly LoopbackHub _hub = new();
    private readonly TempDirectory _home = new();
    private readonly MicroProject _project = new(baseModelMetadata: "HubId=\"org/tiny\" Revision=\"main\"");

    public HubBuildTests()
    {
        _project.Environment["HF_ENDPOINT"] = _hub.Endpoint.ToString();
        _project.Environment["HF_HOME"] = _home.Path;
        _project.Environment["HF_TOKEN"] = Token;
        foreach (var name in (string[])["HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_TOKEN_PATH", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE"])
        {
            _project.Environment[name] = null;
        }
    }

    [Fact]
    public void ABuildFetchesPinsAndTrainsThenIsUpToDateOnlineAndOfflineAndRetrainsWhenTheBranchMoves()
    {
        var files = LoopbackRepo.FilesOf(Repository.TinyModel);
        var repo = _hub.AddRepo("org/tiny", Token);
        var commit = repo.Push(files);
        var printed = new StringBuilder();

        var first = _project.Build("-t:LoraTrain");
        printed.Append(first.Output);

        Assert.True(first.Succeeded, first.ToString());
        Assert.Contains($"LoraBuild: org/tiny@main is commit {commit}", first.Output, StringComparison.Ordinal);
        Assert.Contains("model.safetensors", first.Output, StringComparison.Ordinal);
        var manifest = TrainingManifestJson.ReadFile(Path.Combine(_project.AdapterFolder, TrainingManifest.FileName));
        Assert.Equal(commit, manifest.Inputs.BaseModelCommit);
        Assert.Equal(("org/tiny", commit), (manifest.Spec.BaseModel!.HubId, manifest.Spec.BaseModel.Revision));
        Assert.Equal(commit, TrainingSpecJson.ReadFile(Path.Combine(_project.Folder, "obj", "lora", "jobs", "Micro.json")).BaseModel!.Revision);
        Assert.True(File.Exists(Path.Combine(_home.Path, "hub", "models--org--tiny", "snapshots", commit, "model.safetensors")));

        _hub.ClearRequests();
        var again = _project.Build("-t:LoraTrain");
        printed.Append(again.Output);

        Assert.True(again.Succeeded, again.ToString());
        Assert.Contains("LoraBuild: Micro is up to date", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(_hub.Requests, request => request.IsFileTransfer || request.Method == "HEAD");

        _hub.ClearRequests();
        _project.Environment["HF_HUB_OFFLINE"] = "1";
        var offline = _project.Build("-t:LoraTrain");
        printed.Append(offline.Output);
        _project.Environment["HF_HUB_OFFLINE"] = null;

        Assert.True(offline.Succeeded, offline.ToString());
        Assert.Contains("LoraBuild: Micro is up to date", offline.Output, StringComparison.Ordinal);
        Assert.Empty(_hub.Requests);

        var moved = repo.Push(files);
        var afterMove = _project.Build("-t:LoraTrain");
        printed.Append(afterMove.Output);

        Assert.True(afterMove.Succeeded, afterMove.ToString());
        Assert.Contains("LoraBuild: Micro inputs changed", afterMove.Output, StringComparison.Ordinal);
        Assert.Equal(moved, TrainingManifestJson.ReadFile(Path.Combine(_project.AdapterFolder, TrainingManifest.FileName)).Inputs.BaseModelCommit);

        Assert.DoesNotContain(Token, printed.ToString(), StringComparison.Ordinal);
        var tokenBytes = Encoding.UTF8.GetBytes(Token);
        foreach (var file in Directory.EnumerateFiles(_project.Folder, "*", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(_home.Path, "*", SearchOption.AllDirectories)))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(tokenBytes) < 0, $"{file} holds the token");
        }
    }

    [Fact]
    public void ACorruptBlobFailsTheBuildWithACodeAndLeavesNoAdapter()
    {
        var files = LoopbackRepo.FilesOf(Repository.TinyModel);
        _hub.AddRepo("org/tiny", Token).Push(files);
        _hub.Corrupt[LoopbackHub.Sha256(files["model.safetensors"])] = true;

        var result = _project.Build("-t:LoraTrain");

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains($"error {HubErrorCodes.HashMismatch}", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_project.AdapterFolder));
    }

    public void Dispose()
    {
        _project.Dispose();
        _home.Dispose();
        _hub.Dispose();
    }
}
