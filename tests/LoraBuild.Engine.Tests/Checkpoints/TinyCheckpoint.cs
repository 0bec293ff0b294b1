using LoraBuild.Core.Models;
using LoraBuild.Core.Tokenizers;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Models;

namespace LoraBuild.Engine.Tests.Checkpoints;

/// <summary>Writes a micro Llama (or Phi-3) checkpoint in exact Hugging Face layout, with a trained byte-level tokenizer, into a temp folder.</summary>
internal sealed class TinyCheckpoint : IDisposable
{
    public const string ConfigJson = """
        {
          "architectures": ["LlamaForCausalLM"],
          "model_type": "llama",
          "hidden_size": 32,
          "intermediate_size": 64,
          "num_hidden_layers": 2,
          "num_attention_heads": 4,
          "num_key_value_heads": 2,
          "vocab_size": 300,
          "rms_norm_eps": 1e-5,
          "rope_theta": 10000.0,
          "max_position_embeddings": 512,
          "tie_word_embeddings": true,
          "bos_token_id": 298,
          "eos_token_id": 299,
          "torch_dtype": "float32"
        }
        """;

    /// <summary>The micro model in Phi-3's layout: fused qkv_proj and gate_up_proj, an untied head, a sliding window on every layer.</summary>
    public const string Phi3ConfigJson = """
        {
          "architectures": ["Phi3ForCausalLM"],
          "model_type": "phi3",
          "hidden_size": 32,
          "intermediate_size": 64,
          "num_hidden_layers": 2,
          "num_attention_heads": 4,
          "num_key_value_heads": 2,
          "vocab_size": 300,
          "rms_norm_eps": 1e-5,
          "rope_theta": 10000.0,
          "max_position_embeddings": 512,
          "original_max_position_embeddings": 512,
          "sliding_window": 48,
          "hidden_act": "silu",
          "attention_dropout": 0.0,
          "resid_pdrop": 0.0,
          "embd_pdrop": 0.0,
          "rope_scaling": null,
          "tie_word_embeddings": false,
          "bos_token_id": 298,
          "eos_token_id": 299,
          "torch_dtype": "float32"
        }
        """;

    public TinyCheckpoint(long? maxShardBytes = null, long seed = 7, string configJson = ConfigJson)
    {
        Directory = Path.Combine(Path.GetTempPath(), "lorabuild-ckpt-" + Guid.NewGuid().ToString("N"));
        var companions = Path.Combine(Directory + ".src");
        System.IO.Directory.CreateDirectory(companions);
        var vocabulary = ByteLevelBpeTrainer.Train(
            ["the order arrived late", "the kettle was broken", "please refund the order"], 300, ["<|bos|>", "<|eos|>"]);
        File.WriteAllText(Path.Combine(companions, "tokenizer.json"), TokenizerJsonWriter.Write(vocabulary));
        File.WriteAllText(Path.Combine(companions, "tokenizer_config.json"), """{"bos_token": "<|bos|>", "eos_token": "<|eos|>", "add_bos_token": true}""");
        File.WriteAllText(Path.Combine(companions, "generation_config.json"), """{"eos_token_id": 299, "max_new_tokens": 12}""");

        Config = ModelConfig.Parse(configJson);
        Model = CausalLanguageModel.Create(Config, TorchSharp.torch.ScalarType.Float32, TorchSharp.torch.CPU);
        WeightInitializer.Initialize(Model, seed, standardDeviation: 0.3);
        CheckpointWriter.Write(Directory, Model, configJson, companions, maxShardBytes);
        System.IO.Directory.Delete(companions, recursive: true);
    }

    public string Directory { get; }

    public ModelConfig Config { get; }

    /// <summary>The model as written, still in memory, to compare a loaded copy with.</summary>
    public CausalLanguageModel Model { get; }

    public void Dispose()
    {
        Model.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
