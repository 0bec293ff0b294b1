using System.Text.Json.Nodes;
using LoraBuild.Core.Models;
using LoraBuild.Core.Tokenizers;

namespace LoraBuild.Core.Tests.Export;

/// <summary>A temp model folder with a trained byte-level BPE tokenizer.json (editable as JSON) and a config to read it with.</summary>
internal sealed class TokenizerFolder : IDisposable
{
    public const string Bos = "<|bos|>";
    public const string Eos = "<|eos|>";

    private const string ConfigJson = """
        {
          "architectures": ["LlamaForCausalLM"],
          "hidden_size": 32,
          "intermediate_size": 64,
          "num_hidden_layers": 2,
          "num_attention_heads": 4,
          "vocab_size": 300,
          "rms_norm_eps": 1e-5,
          "max_position_embeddings": 512
        }
        """;

    private readonly TempDirectory _directory = new();

    public TokenizerFolder()
    {
        Vocabulary = ByteLevelBpeTrainer.Train(
            ["the order arrived late", "the kettle was broken", "please refund the order"], 300, [Bos, Eos]);
        Tokenizer = JsonNode.Parse(TokenizerJsonWriter.Write(Vocabulary))!.AsObject();
    }

    public string Path => _directory.Path;

    public string TokenizerPath => System.IO.Path.Combine(Path, "tokenizer.json");

    public BpeVocabulary Vocabulary { get; }

    /// <summary>The tokenizer.json to write; edit before <see cref="Save"/>.</summary>
    public JsonObject Tokenizer { get; }

    /// <summary>Writes tokenizer.json (and tokenizer_config.json when given).</summary>
    public TokenizerFolder Save(string? tokenizerConfig = null)
    {
        File.WriteAllText(TokenizerPath, Tokenizer.ToJsonString());
        if (tokenizerConfig is not null)
        {
            _directory.Write("tokenizer_config.json", tokenizerConfig);
        }

        return this;
    }

    /// <summary>A config.json for this vocabulary, with the given vocab_size and extra fields.</summary>
    public static ModelConfig Config(int vocabSize, Action<JsonObject>? edit = null)
    {
        var root = JsonNode.Parse(ConfigJson)!.AsObject();
        root["vocab_size"] = vocabSize;
        edit?.Invoke(root);
        return ModelConfig.Parse(root.ToJsonString());
    }

    public void Dispose() => _directory.Dispose();
}
