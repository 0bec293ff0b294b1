using System.Text.Json.Nodes;
using LoraBuild.Engine.SafeTensors;

namespace LoraBuild.Fuzz.Targets;

/// <summary><c>model.safetensors.index.json</c>: the tiny model's tensor names spread over two shards.</summary>
internal sealed class SafeTensorsIndexTarget : JsonFuzzTarget
{
    public override string Name => "safetensors-index";

    public override void Prepare(SeedFiles seeds, string scratch)
    {
        var header = SafeTensorsHeaderReader.Read(Path.Combine(seeds.Root, "examples", "models", "tiny", "model.safetensors"));
        var weightMap = new JsonObject();
        var names = header.Tensors.Select(tensor => tensor.Name).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            weightMap[names[i]] = i < names.Count / 2 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
        }

        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = header.Tensors.Sum(tensor => tensor.ByteLength) },
            ["weight_map"] = weightMap,
        };
        AddSeed(System.Text.Encoding.UTF8.GetBytes(index.ToJsonString()));
    }

    public override void Execute(byte[] input) => SafeTensorsIndexParser.Parse(input, "model.safetensors.index.json");
}
