namespace LoraBuild.Core.Tests.Specs;

/// <summary>A minimal valid project on disk: a base model folder with config.json and one dataset.</summary>
internal sealed class SpecFixture : IDisposable
{
    public const string MinimalSpec = """
        {
          "name": "Triage",
          "baseModel": { "path": "model" },
          "datasets": [ { "path": "data/train.jsonl", "format": "alpaca" } ]
        }
        """;

    public SpecFixture()
    {
        Directory.Write("model/config.json", "{}");
        Directory.Write("model/model.safetensors", "weights");
        Directory.Write("data/train.jsonl", """{"instruction":"a","output":"b"}""");
    }

    public TempDirectory Directory { get; } = new();

    public string WriteSpec(string json = MinimalSpec) => Directory.Write("lora.json", json);

    public void Dispose() => Directory.Dispose();
}
