#!/usr/bin/env python3
"""Builds tiny random Hugging Face models and the logits transformers computes for them.

For each variant it writes, into OUTPUT/<variant>/:
  config.json, model.safetensors   the model in Hugging Face layout (save_pretrained, float32)
  reference.json                   input ids, transformers' logits for them, and greedy continuations

LoraBuild's test HfParityTests loads the same files with its own engine and compares (tolerance 1e-4).
Everything is seeded, so rerunning the script reproduces the same files on the same library versions.
"""

import argparse
import json
import pathlib

import torch
import transformers
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

SEED = 20240601
VOCAB = 96
INPUT_IDS = [
    [1, 17, 42, 5, 88, 23, 61, 9, 30, 74, 12, 50],
    [1, 3, 95, 4, 66, 18, 27, 81, 40, 2, 7, 59],
]
GREEDY_NEW_TOKENS = 10


def shared_settings():
    return dict(
        vocab_size=VOCAB,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=128,
        rms_norm_eps=1e-6,
        bos_token_id=1,
        eos_token_id=2,
        hidden_act="silu",
    )


def variants():
    # Llama with grouped-query attention and Llama 3 rope scaling. The tiny original context (16) puts the
    # head's frequencies on both sides of, and inside, the blended band, so every branch of the scaling is used.
    yield "llama", LlamaForCausalLM, LlamaConfig(
        **shared_settings(),
        num_key_value_heads=2,
        rope_theta=10000.0,
        rope_scaling={
            "rope_type": "llama3",
            "factor": 8.0,
            "low_freq_factor": 1.0,
            "high_freq_factor": 4.0,
            "original_max_position_embeddings": 16,
        },
        tie_word_embeddings=False,
    )
    # Llama with biases everywhere, linear rope scaling, full multi-head attention and tied embeddings.
    yield "llama-bias-tied", LlamaForCausalLM, LlamaConfig(
        **shared_settings(),
        num_key_value_heads=4,
        rope_theta=500.0,
        rope_scaling={"rope_type": "linear", "factor": 2.0},
        attention_bias=True,
        mlp_bias=True,
        tie_word_embeddings=True,
    )
    # Qwen2: q/k/v biases, no o bias, large theta, tied embeddings.
    yield "qwen2", Qwen2ForCausalLM, Qwen2Config(
        **shared_settings(),
        num_key_value_heads=2,
        rope_theta=1000000.0,
        tie_word_embeddings=True,
        use_sliding_window=False,
    )


def randomize(model, generator):
    """Weights large enough that a wrong index, bias or norm shows in the logits (the default init is tiny)."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("norm.weight") or name.endswith("layernorm.weight"):
                parameter.uniform_(0.5, 1.5, generator=generator)
            elif "embed_tokens" in name:
                parameter.normal_(0.0, 1.0, generator=generator)
            else:
                parameter.normal_(0.0, 0.2, generator=generator)


def build(name, model_class, config, output):
    generator = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)
    config.torch_dtype = torch.float32
    model = model_class._from_config(config, attn_implementation="eager", torch_dtype=torch.float32).eval()
    randomize(model, generator)

    folder = output / name
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)

    input_ids = torch.tensor(INPUT_IDS, dtype=torch.long)
    with torch.no_grad():
        logits = model(input_ids=input_ids).logits.float()

        model.generation_config.eos_token_id = None
        model.generation_config.pad_token_id = 0
        greedy = model.generate(
            input_ids,
            attention_mask=torch.ones_like(input_ids),
            max_new_tokens=GREEDY_NEW_TOKENS,
            do_sample=False,
        )[:, input_ids.shape[1]:]

    reference = {
        "variant": name,
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "seed": SEED,
        "input_ids": INPUT_IDS,
        "logits": logits.tolist(),
        "greedy_new_tokens": greedy.tolist(),
    }
    (folder / "reference.json").write_text(json.dumps(reference) + "\n", encoding="utf-8")
    print(f"{folder}: logits {tuple(logits.shape)}, greedy {greedy.tolist()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = pathlib.Path(__file__).resolve().parents[2] / "tests" / "LoraBuild.Engine.Tests" / "Fixtures" / "hf-parity"
    parser.add_argument("--output", type=pathlib.Path, default=default, help=f"folder to fill (default: {default})")
    arguments = parser.parse_args()
    torch.use_deterministic_algorithms(True)
    for name, model_class, config in variants():
        build(name, model_class, config, arguments.output)


if __name__ == "__main__":
    main()
