using System.Text.Json;
using LoraBuild.Engine.Tests.Checkpoints;

namespace LoraBuild.Engine.Tests.Jobs;

/// <summary>A training project in a temp folder: a micro base model, an Alpaca train and eval split, and lora.json.</summary>
internal sealed class TinyProject : IDisposable
{
    private readonly TinyCheckpoint _checkpoint;

    public TinyProject(string extraSettings = "", string configJson = TinyCheckpoint.ConfigJson)
    {
        _checkpoint = new TinyCheckpoint(configJson: configJson);
        Directory = Path.Combine(Path.GetTempPath(), "lorabuild-project-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "data"));
        File.WriteAllLines(TrainData, Records(12, offset: 0));
        File.WriteAllLines(EvalData, Records(3, offset: 100));
        var settings = extraSettings.Length == 0 ? string.Empty : "," + extraSettings;
        File.WriteAllText(SpecFile, $$"""
            {
              "name": "Tiny",
              "baseModel": { "path": {{JsonSerializer.Serialize(_checkpoint.Directory)}} },
              "datasets": [ { "path": "data/train.jsonl", "format": "alpaca" } ],
              "evalDatasets": [ { "path": "data/eval.jsonl", "format": "alpaca" } ],
              "rank": 4, "alpha": 8, "dropout": 0.1, "targetModules": "q_proj,v_proj",
              "learningRate": 0.01, "epochs": 2, "batchSize": 4, "maxSequenceLength": 256,
              "evalMaxNewTokens": 4, "seed": 5{{settings}}
            }
            """);
    }

    public string Directory { get; }

    public string BaseModelDirectory => _checkpoint.Directory;

    public string SpecFile => Path.Combine(Directory, "lora.json");

    public string TrainData => Path.Combine(Directory, "data", "train.jsonl");

    public string EvalData => Path.Combine(Directory, "data", "eval.jsonl");

    public string Output(string name = "out") => Path.Combine(Directory, name);

    public void Dispose()
    {
        _checkpoint.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static IEnumerable<string> Records(int count, int offset) =>
        Enumerable.Range(offset, count).Select(i => JsonSerializer.Serialize(new
        {
            instruction = "refund the order",
            input = $"order {i}",
            output = i % 2 == 0 ? "the kettle" : "late",
        }));
}
