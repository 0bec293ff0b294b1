using System.Text;
using LoraBuild.Core.Specs;

namespace LoraBuild.Fuzz.Targets;

/// <summary>A <c>lora.json</c> spec, read and then validated (without looking for the files it names).</summary>
internal sealed class TrainingSpecTarget : JsonFuzzTarget
{
    public override string Name => "lora-json";

    public override void Prepare(SeedFiles seeds, string scratch)
    {
        AddSeed(seeds.Read("examples/SupportTriage/lora.json"));
        AddSeed(seeds.Own("lora-hub.json"));
    }

    public override void Execute(byte[] input) =>
        TrainingSpecValidator.Validate(TrainingSpecJson.Parse(Encoding.UTF8.GetString(input), "lora.json"), checkFiles: false);
}
