using System.Globalization;
using System.Text;
using LLama;
using LLama.Common;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Export;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Tests.Tokenizers.Conformance;
using Xunit.Abstractions;

namespace LoraBuild.Engine.Tests.Export;

/// <summary>
/// The real Llama 2 and Gemma 3 tokenizers (SentencePiece-style BPE) exported as llama.cpp's <c>llama</c> vocabulary:
/// llama.cpp, reading the exported GGUF, tokenizes the whole conformance corpus to the ids Hugging Face's Rust
/// tokenizers give (artifacts/tokenizer-reference, special tokens parsed, none added).
/// </summary>
public sealed class SentencePieceGgufTokenizerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lorabuild-spm-gguf-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("llama2", 1, 2, true)]
    [InlineData("gemma3", 2, 1, false)]
    public void LlamaCppTokenizesTheCorpusAsHuggingFaceDoes(string tokenizer, int bos, int eos, bool addSpacePrefix)
    {
        var gguf = Export(tokenizer, bos, eos);
        var file = GgufReader.Read(gguf);
        Assert.Equal("llama", file.Get("tokenizer.ggml.model").Value);
        Assert.Equal(addSpacePrefix, file.Get("tokenizer.ggml.add_space_prefix").Value);

        var reference = ConformanceReference.Load(tokenizer);
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(gguf) { VocabOnly = true, GpuLayerCount = 0 });
        var mismatches = new List<string>();
        var compared = 0;
        foreach (var @case in reference.Cases)
        {
            if (@case.IdsNoSpecial is not { } expected)
            {
                continue;
            }

            var text = ConformanceReference.Corpus[@case.Index].Text;
            var ours = weights.Tokenize(text, add_bos: false, special: true, Encoding.UTF8).Select(token => (int)token).ToArray();
            compared++;
            if (!ours.SequenceEqual(expected))
            {
                mismatches.Add($"[{ConformanceReference.Corpus[@case.Index].Class}] {ConformanceReport.Show(text)}: {ConformanceReport.CompareIds(ours, expected)}");
            }
        }

        output.WriteLine($"{tokenizer}: {compared - mismatches.Count} of {compared} corpus strings tokenized alike by llama.cpp and Hugging Face");
        foreach (var mismatch in mismatches.Take(20))
        {
            output.WriteLine("  " + mismatch);
        }

        Assert.True(compared > 900, $"only {compared} reference cases");
        Assert.Empty(mismatches);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static int VocabularySize(string tokenizerJson)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(tokenizerJson));
        var root = document.RootElement;
        var ids = root.GetProperty("model").GetProperty("vocab").EnumerateObject().Select(entry => entry.Value.GetInt32())
            .Concat(root.GetProperty("added_tokens").EnumerateArray().Select(token => token.GetProperty("id").GetInt32()));
        return ids.Max() + 1;
    }

    /// <summary>A one-layer Llama-shaped model with the real tokenizer's vocabulary, exported to GGUF.</summary>
    private string Export(string tokenizer, int bos, int eos)
    {
        var companions = Path.Combine(_root, tokenizer + ".src");
        Directory.CreateDirectory(companions);
        var tokenizerFolder = ConformanceReference.ModelFolder(tokenizer);
        foreach (var file in (string[])["tokenizer.json", "tokenizer_config.json"])
        {
            File.Copy(Path.Combine(tokenizerFolder, file), Path.Combine(companions, file));
        }

        var vocabulary = VocabularySize(Path.Combine(companions, "tokenizer.json"));
        var configJson = string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "architectures": ["LlamaForCausalLM"], "model_type": "llama",
              "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1,
              "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": {{vocabulary}},
              "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "max_position_embeddings": 64,
              "tie_word_embeddings": true, "bos_token_id": {{bos}}, "eos_token_id": {{eos}}, "torch_dtype": "float32"
            }
            """);
        var directory = Path.Combine(_root, tokenizer);
        using (var model = MicroModels.Create(ModelConfig.Parse(configJson), seed: 1))
        {
            CheckpointWriter.Write(directory, model, configJson, companions);
        }

        var gguf = Path.Combine(_root, tokenizer + ".gguf");
        GgufModelExporter.Export(directory, gguf);
        return gguf;
    }
}
