using LoraBuild.Engine.Tokenizers;

namespace LoraBuild.Fuzz.Targets;

/// <summary>
/// <c>tokenizer.json</c>, loaded as a model folder is (beside the tiny model's <c>tokenizer_config.json</c>), then
/// used: a loaded tokenizer must encode and decode without failing.
/// </summary>
internal sealed class TokenizerJsonTarget : FuzzTarget
{
    internal const string Sample = "Hello, world! <s> Ünïcödé 😀 12345\n\tend</s>";

    private readonly List<byte[]> _seeds = [];
    private string _folder = "";

    public override string Name => "tokenizer-json";

    public override IReadOnlyList<byte[]> Seeds => _seeds;

    public override void Prepare(SeedFiles seeds, string scratch)
    {
        // The npm tokenizers are megabytes each; the tiny model's BPE tokenizer keeps 100,000 inputs affordable.
        _seeds.Add(seeds.Read("examples/models/tiny/tokenizer.json"));
        _folder = scratch;
        File.WriteAllBytes(Path.Combine(_folder, "tokenizer_config.json"), seeds.Read("examples/models/tiny/tokenizer_config.json"));
    }

    public override void Execute(byte[] input)
    {
        File.WriteAllBytes(Path.Combine(_folder, "tokenizer.json"), input);
        Use(HuggingFaceTokenizer.Load(_folder));
    }

    internal static void Use(HuggingFaceTokenizer tokenizer)
    {
        var ids = tokenizer.Encode(Sample);
        tokenizer.Decode(ids, skipSpecialTokens: false);
        var decoder = tokenizer.CreateIncrementalDecoder();
        foreach (var id in ids)
        {
            decoder.AppendToken(id);
        }

        decoder.Flush();
    }
}
