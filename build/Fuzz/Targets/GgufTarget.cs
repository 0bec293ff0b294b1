using LoraBuild.Core.Gguf;

namespace LoraBuild.Fuzz.Targets;

/// <summary>A GGUF file written by <see cref="GgufWriter"/>, read back with every tensor decoded.</summary>
internal sealed class GgufTarget : FuzzTarget
{
    private byte[] _seed = [];
    private string _file = "";

    public override string Name => "gguf";

    public override IReadOnlyList<byte[]> Seeds => [_seed];

    public override void Prepare(SeedFiles seeds, string scratch)
    {
        _file = Path.Combine(scratch, "fuzz.gguf");
        float[] values = [1f, -2.5f, 0.125f, 3f, 4f, 5f];
        var f32 = values.SelectMany(BitConverter.GetBytes).ToArray();
        var f16 = values.SelectMany(value => BitConverter.GetBytes((Half)value)).ToArray();
        var metadata = new List<KeyValuePair<string, GgufValue>>
        {
            new("general.architecture", GgufValue.Of("llama")),
            new("general.alignment", GgufValue.Of(32u)),
            new("llama.block_count", GgufValue.Of(1u)),
            new("adapter.lora.alpha", GgufValue.Of(16f)),
            new("tokenizer.ggml.add_bos_token", GgufValue.Of(true)),
            new("tokenizer.ggml.tokens", GgufValue.Strings(["<s>", "</s>", "a", "b"])),
            new("general.size", GgufValue.Of(ulong.MaxValue)),
        };
        var tensors = new List<GgufTensor>
        {
            new("blk.0.attn_q.weight.lora_a", [2, 3], GgmlType.F32, () => f32),
            new("blk.0.attn_q.weight.lora_b", [3, 2], GgmlType.F16, () => f16),
        };
        using var stream = new MemoryStream();
        GgufWriter.WriteTo(stream, metadata, tensors);
        _seed = stream.ToArray();
    }

    public override void Execute(byte[] input)
    {
        File.WriteAllBytes(_file, input);
        var gguf = GgufReader.Read(_file);
        foreach (var tensor in gguf.Tensors)
        {
            gguf.ReadFloats(tensor);
        }
    }
}
