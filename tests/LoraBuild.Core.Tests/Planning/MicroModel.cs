using LoraBuild.Core.Models;

namespace LoraBuild.Core.Tests.Planning;

/// <summary>A two-layer, width-32 Llama with grouped-query attention (4 query heads, 2 key/value heads of width 8).</summary>
internal static class MicroModel
{
    public static ModelConfig Config { get; } = ModelConfig.Parse("""
        {
          "architectures": ["LlamaForCausalLM"],
          "hidden_size": 32,
          "intermediate_size": 64,
          "num_hidden_layers": 2,
          "num_attention_heads": 4,
          "num_key_value_heads": 2,
          "vocab_size": 100,
          "rms_norm_eps": 1e-05,
          "max_position_embeddings": 128
        }
        """);
}
