using System.Text;
using LoraBuild.Core.Models;

namespace LoraBuild.Fuzz.Targets;

/// <summary>A model's <c>config.json</c>.</summary>
internal sealed class ModelConfigTarget : JsonFuzzTarget
{
    public override string Name => "config-json";

    public override void Prepare(SeedFiles seeds, string scratch)
    {
        AddSeed(seeds.Read("examples/models/tiny/config.json"));
        AddSeed(seeds.Read("examples/configs/llama-2-7b/config.json"));
        AddSeed(seeds.Own("config-gemma3.json"));
    }

    public override void Execute(byte[] input) => ModelConfig.Parse(Encoding.UTF8.GetString(input), "config.json");
}
