using System.Text;
using System.Text.Json;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Tests.Hub;

namespace LoraBuild.Cli.Tests.Hub;

/// <summary>
/// The contract from outside: <c>dotnet-lora train</c> run as its own process, configured only by the environment
/// (HF_ENDPOINT, HF_HUB_CACHE, HF_HOME, HF_TOKEN, HF_HUB_OFFLINE), with a spec naming <c>hf://org/tiny@main</c>
/// served by the loopback Hub from a copy of examples/models/tiny.
/// </summary>
public sealed class HubTrainCommandTests : IDisposable
{
    private const string Token = "hf_cliLoopbackToken0123456789abcdef";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lorabuild-hub-cli-" + Guid.NewGuid().ToString("N"));
    private readonly LoopbackHub _hub = new();
    private readonly StringBuilder _printed = new();

    public HubTrainCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "project", "data"));
        File.WriteAllLines(Path.Combine(_folder, "project", "data", "train.jsonl"), Enumerable.Range(0, 16).Select(i => JsonSerializer.Serialize(new
        {
            instruction = "Classify the ticket.",
            input = $"Order {1000 + i} arrived broken.",
            output = i % 2 == 0 ? "damaged" : "late",
        })));
        File.WriteAllText(SpecFile, """
            {
              "name": "HubTiny",
              "baseModel": "hf://org/tiny@main",
              "datasets": [ { "path": "data/train.jsonl", "format": "alpaca" } ],
              "rank": 4, "alpha": 8, "batchSize": 4, "maxSequenceLength": 256, "seed": 3
            }
            """);
    }

    private string SpecFile => Path.Combine(_folder, "project", "lora.json");

    private string Cache => Path.Combine(_folder, "hf-home", "hub");

    [Fact]
    public void TrainFetchesVerifiesTrainsAndRecordsTheCommitThenNeedsNoDownloadThenTrainsOfflineAndRefusesACorruptBlob()
    {
        var files = LoopbackRepo.FilesOf(CliRun.RepositoryFile("examples", "models", "tiny"));
        var commit = _hub.AddRepo("org/tiny", Token).Push(files);

        var (fetchedCode, fetchedOutput) = Train("fetched");

        Assert.True(fetchedCode == 0, fetchedOutput);
        Assert.Contains("model.safetensors", fetchedOutput, StringComparison.Ordinal);
        Assert.Contains("verified", fetchedOutput, StringComparison.Ordinal);
        var manifest = TrainingManifestJson.ReadFile(Path.Combine(_folder, "fetched", TrainingManifest.FileName));
        Assert.Equal(commit, manifest.Inputs.BaseModelCommit);
        Assert.Equal("org/tiny", manifest.Spec.BaseModel!.HubId);
        Assert.DoesNotContain(_hub.Requests, r => r.Target.Contains("MODEL.md", StringComparison.Ordinal) || r.Target.Contains("lorabuild.json", StringComparison.Ordinal));
        var snapshot = Path.Combine(Cache, "models--org--tiny", "snapshots", commit);
        Assert.Equal("../../blobs/" + LoopbackHub.Sha256(files["model.safetensors"]), new FileInfo(Path.Combine(snapshot, "model.safetensors")).LinkTarget);
        Assert.Equal(commit, File.ReadAllText(Path.Combine(Cache, "models--org--tiny", "refs", "main")));

        _hub.ClearRequests();
        var (againCode, againOutput) = Train("again");

        Assert.True(againCode == 0, againOutput);
        Assert.DoesNotContain(_hub.Requests, r => r.IsFileTransfer || r.Method == "HEAD");
        Assert.Equal(manifest.Fingerprint, TrainingManifestJson.ReadFile(Path.Combine(_folder, "again", TrainingManifest.FileName)).Fingerprint);

        _hub.ClearRequests();
        var (offlineCode, offlineOutput) = Train("offline", ("HF_HUB_OFFLINE", "1"));

        Assert.True(offlineCode == 0, offlineOutput);
        Assert.Empty(_hub.Requests);
        Assert.Equal(commit, TrainingManifestJson.ReadFile(Path.Combine(_folder, "offline", TrainingManifest.FileName)).Inputs.BaseModelCommit);

        _hub.AddRepo("org/corrupt", Token).Push(files);
        _hub.Corrupt[LoopbackHub.Sha256(files["model.safetensors"])] = true;
        var (corruptCode, corruptOutput) = Train("corrupt", extraArguments: ["--base-model", "hf://org/corrupt@main"]);

        Assert.NotEqual(0, corruptCode);
        Assert.Contains(HubErrorCodes.HashMismatch, corruptOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "corrupt")));
        Assert.Empty(Directory.GetFiles(Path.Combine(Cache, "models--org--corrupt", "blobs"), LoopbackHub.Sha256(files["model.safetensors"]) + "*"));

        Assert.DoesNotContain(Token, _printed.ToString(), StringComparison.Ordinal);
        var tokenBytes = Encoding.UTF8.GetBytes(Token);
        foreach (var file in Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(tokenBytes) < 0, $"{file} holds the token");
        }
    }

    [Fact]
    public void EvalAndExportOfAHubTrainedAdapterFindItsBaseInTheCacheWithoutModelAndWithoutARequest()
    {
        var files = LoopbackRepo.FilesOf(CliRun.RepositoryFile("examples", "models", "tiny"));
        var commit = _hub.AddRepo("org/tiny", Token).Push(files);
        var (trainCode, trainOutput) = Train("trained");
        Assert.True(trainCode == 0, trainOutput);
        var adapter = Path.Combine(_folder, "trained");
        var snapshot = Path.Combine(Cache, "models--org--tiny", "snapshots", commit);
        _hub.ClearRequests();

        var (evalCode, evalOutput) = Run([
            "eval", adapter, "--data", Path.Combine(_folder, "project", "data", "train.jsonl"), "--max-new-tokens", "2", "--output", Path.Combine(_folder, "eval")]);
        var (exportCode, exportOutput) = Run(["export", "--format", "gguf", "--adapter", adapter, "--output", Path.Combine(_folder, "gguf")]);

        Assert.True(evalCode == 0, evalOutput);
        Assert.Contains($"Base model {snapshot}", evalOutput, StringComparison.Ordinal);
        Assert.True(exportCode == 0, exportOutput);
        Assert.True(File.Exists(Path.Combine(_folder, "gguf", "adapter.gguf")), exportOutput);
        Assert.Empty(_hub.Requests);
    }

    public void Dispose()
    {
        _hub.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private (int ExitCode, string Output) Train(string output, (string Name, string Value)? variable = null, string[]? extraArguments = null) =>
        Run(["train", SpecFile, "-o", Path.Combine(_folder, output), "--max-steps", "2", .. extraArguments ?? []], variable);

    private (int ExitCode, string Output) Run(string[] arguments, (string Name, string Value)? variable = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["HF_HUB_CACHE"] = null,
            ["HUGGINGFACE_HUB_CACHE"] = null,
            ["HF_TOKEN_PATH"] = null,
            ["HUGGING_FACE_HUB_TOKEN"] = null,
            ["HF_HUB_OFFLINE"] = null,
            ["HF_ENDPOINT"] = _hub.Endpoint.ToString(),
            ["HF_HOME"] = Path.Combine(_folder, "hf-home"),
            ["HF_TOKEN"] = Token,
        };
        if (variable is { } set)
        {
            environment[set.Name] = set.Value;
        }

        var (exitCode, printed) = EngineProcess.Run(_folder, arguments, environment);
        _printed.Append(printed);
        return (exitCode, printed);
    }
}
