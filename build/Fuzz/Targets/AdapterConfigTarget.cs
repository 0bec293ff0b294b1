using System.Text;
using LoraBuild.Core.Adapters;

namespace LoraBuild.Fuzz.Targets;

/// <summary>A PEFT <c>adapter_config.json</c>.</summary>
internal sealed class AdapterConfigTarget : JsonFuzzTarget
{
    public override string Name => "adapter-config";

    public override void Prepare(SeedFiles seeds, string scratch)
    {
        AddSeed(seeds.Own("adapter_config.json"));
        AddSeed(seeds.Own("adapter_config-patterns.json"));
    }

    public override void Execute(byte[] input) => AdapterConfigJson.Parse(Encoding.UTF8.GetString(input), AdapterConfigJson.FileName);
}
