using System.Text;
using LoraBuild.Core.Hub;

namespace LoraBuild.Core.Tests.Hub;

/// <summary>A loopback Hub with one model repository, an empty cache folder, and settings pointing at both.</summary>
internal sealed class HubTestBed : IDisposable
{
    public const string Token = "hf_loopbackSecretToken0123456789";

    private readonly TempDirectory _folder = new();

    public HubTestBed(string repoId = "org/tiny", string? token = null, IReadOnlyDictionary<string, byte[]>? files = null)
    {
        Repo = Hub.AddRepo(repoId, token);
        Commit = Repo.Push(files ?? ModelFiles());
    }

    public LoopbackHub Hub { get; } = new();

    public LoopbackRepo Repo { get; }

    /// <summary>The commit main pointed at when the bed was made.</summary>
    public string Commit { get; }

    public string CacheDirectory => Path.Combine(_folder.Path, "hub");

    public string Folder => _folder.Path;

    public HubModelReference Model(string revision = "main") => HubModelReference.Create(Repo.Id, revision);

    public HubSettings Settings(string? token = null, bool offline = false, int attempts = 3) => new()
    {
        Endpoint = Hub.Endpoint,
        CacheDirectory = CacheDirectory,
        Token = token,
        TokenSource = token is null ? null : "HF_TOKEN",
        Offline = offline,
        Attempts = attempts,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        ReadTimeout = TimeSpan.FromSeconds(10),
        ProgressInterval = TimeSpan.Zero,
    };

    public HubSnapshot Download(HubSettings? settings = null, string revision = "main", IProgress<HubDownloadProgress>? progress = null)
    {
        using var client = new HubClient(settings ?? Settings());
        return client.DownloadAsync(Model(revision), progress).GetAwaiter().GetResult();
    }

    public string RepoFolder => Path.Combine(CacheDirectory, "models--" + Repo.Id.Replace("/", "--", StringComparison.Ordinal));

    /// <summary>A small model: config, tokenizer files, 300 KB of "weights" (an LFS file), and files LoraBuild must not fetch.</summary>
    public static Dictionary<string, byte[]> ModelFiles(string configSuffix = "") => new(StringComparer.Ordinal)
    {
        ["config.json"] = Encoding.UTF8.GetBytes($$"""{"model_type": "llama", "hidden_size": 32{{configSuffix}}}"""),
        ["generation_config.json"] = Encoding.UTF8.GetBytes("""{"eos_token_id": 2}"""),
        ["tokenizer.json"] = Encoding.UTF8.GetBytes("""{"model": {"type": "BPE"}}"""),
        ["tokenizer_config.json"] = Encoding.UTF8.GetBytes("""{"eos_token": "</s>"}"""),
        ["model.safetensors"] = Bytes(300_000, seed: 1),
        ["pytorch_model.bin"] = Bytes(50_000, seed: 2),
        ["README.md"] = Encoding.UTF8.GetBytes("# tiny"),
        [".gitattributes"] = Encoding.UTF8.GetBytes("*.safetensors filter=lfs"),
        ["onnx/model.onnx"] = Bytes(20_000, seed: 3),
    };

    /// <summary>The same model with its weights in two shards and an index.</summary>
    public static Dictionary<string, byte[]> ShardedModelFiles(bool dropSecondShard = false)
    {
        var files = ModelFiles();
        files.Remove("model.safetensors");
        files["model.safetensors.index.json"] = Encoding.UTF8.GetBytes("""
            {"metadata": {"total_size": 250000}, "weight_map": {
              "a.weight": "model-00001-of-00002.safetensors", "b.weight": "model-00002-of-00002.safetensors", "c.weight": "model-00001-of-00002.safetensors"}}
            """);
        files["model-00001-of-00002.safetensors"] = Bytes(150_000, seed: 4);
        if (!dropSecondShard)
        {
            files["model-00002-of-00002.safetensors"] = Bytes(100_000, seed: 5);
        }

        return files;
    }

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        Hub.Dispose();
        _folder.Dispose();
    }
}
