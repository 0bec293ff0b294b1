using System.Text.Json;
using LoraBuild.Core.IO;
using LoraBuild.Core.Models;
using LoraBuild.Core.Tokenizers;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Native;
using static TorchSharp.torch;

namespace LoraBuild.Recipes;

/// <summary>
/// The untrained starting point of <c>examples/models/tiny</c>: a byte-level BPE tokenizer learned from the
/// corpus, a Llama config, and HF-style random weights, in Hugging Face layout. Pretraining it is a full
/// fine-tuning run of the engine (build/tiny/pretrain.json).
/// </summary>
internal static class TinyBaseModel
{
    public const int VocabularySize = 2048;
    public const string Bos = "<s>";
    public const string Eos = "</s>";

    public static void Write(string corpusFile, string outputDirectory)
    {
        TorchRuntime.EnsureLoaded();
        var documents = File.ReadLines(corpusFile).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!).ToList();
        var vocabulary = ByteLevelBpeTrainer.Train(documents, VocabularySize, [Bos, Eos]);
        var companions = Path.Combine(Path.GetTempPath(), "lorabuild-tiny-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(companions);
        try
        {
            File.WriteAllText(Path.Combine(companions, "tokenizer.json"), TokenizerJsonWriter.Write(vocabulary));
            File.WriteAllText(Path.Combine(companions, "tokenizer_config.json"), TokenizerConfig());
            File.WriteAllText(Path.Combine(companions, "generation_config.json"), GenerationConfigJson(vocabulary));
            var configJson = ConfigJson(vocabulary);
            using var model = CausalLanguageModel.Create(ModelConfig.Parse(configJson), ScalarType.Float32, CPU);
            WeightInitializer.Initialize(model, seed: 4);
            CheckpointWriter.Write(outputDirectory, model, configJson, companions);
        }
        finally
        {
            Directory.Delete(companions, recursive: true);
        }
    }

    private static string ConfigJson(BpeVocabulary vocabulary) => $$"""
        {
          "architectures": ["LlamaForCausalLM"],
          "model_type": "llama",
          "hidden_size": 256,
          "intermediate_size": 704,
          "num_hidden_layers": 4,
          "num_attention_heads": 8,
          "num_key_value_heads": 4,
          "vocab_size": {{VocabularySize}},
          "max_position_embeddings": 256,
          "rms_norm_eps": 1e-05,
          "rope_theta": 10000.0,
          "tie_word_embeddings": true,
          "hidden_act": "silu",
          "initializer_range": 0.02,
          "bos_token_id": {{vocabulary.IdOf(Bos)}},
          "eos_token_id": {{vocabulary.IdOf(Eos)}},
          "torch_dtype": "float32"
        }

        """;

    private static string TokenizerConfig() => $$"""
        {
          "add_bos_token": true,
          "add_eos_token": false,
          "bos_token": "{{Bos}}",
          "eos_token": "{{Eos}}",
          "model_max_length": 256,
          "tokenizer_class": "PreTrainedTokenizerFast"
        }

        """;

    private static string GenerationConfigJson(BpeVocabulary vocabulary) => $$"""
        {
          "bos_token_id": {{vocabulary.IdOf(Bos)}},
          "eos_token_id": {{vocabulary.IdOf(Eos)}},
          "max_new_tokens": 64
        }

        """;
}
