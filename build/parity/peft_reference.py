#!/usr/bin/env python3
"""PEFT parity fixture: a LoRA adapter PEFT writes, and the logits PEFT computes with it.

Run after make_reference.py, on its `llama` variant. PEFT attaches a LoRA adapter (r=4, alpha=8, q/k/v/o and the
MLP, a rank_pattern and an alpha_pattern, random non-zero B so the adapter changes the output), saves it with
save_pretrained, and records the logits of base + adapter for the fixed input ids. LoraBuild's test loads the same
base and adapter folder with its own engine and must match within 1e-4.

With --check-ours DIR it instead loads an adapter folder LoraBuild wrote onto the same base with PEFT and prints the
largest logit difference against a reference.json LoraBuild wrote beside it (the other direction of the check).
"""
import argparse
import json
import pathlib

import peft
import torch
import transformers

SEED = 1234


def build(base_folder, output):
    torch.manual_seed(SEED)
    model = transformers.AutoModelForCausalLM.from_pretrained(base_folder, torch_dtype=torch.float32).eval()
    config = peft.LoraConfig(
        r=4,
        lora_alpha=8,
        lora_dropout=0.0,
        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
        rank_pattern={"down_proj": 2},
        alpha_pattern={"o_proj": 16},
        init_lora_weights=False,
        task_type="CAUSAL_LM",
    )
    adapted = peft.get_peft_model(model, config).eval()
    output.mkdir(parents=True, exist_ok=True)
    adapted.save_pretrained(output, safe_serialization=True)
    reference = json.loads((base_folder / "reference.json").read_text(encoding="utf-8"))
    input_ids = torch.tensor(reference["input_ids"], dtype=torch.long)
    with torch.no_grad():
        logits = adapted(input_ids=input_ids).logits.float()
    (output / "reference.json").write_text(json.dumps({
        "peft_version": peft.__version__,
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "input_ids": reference["input_ids"],
        "logits": logits.tolist(),
    }) + "\n", encoding="utf-8")
    print(f"{output}: logits {tuple(logits.shape)}")


def check_ours(base_folder, adapter_folder):
    model = transformers.AutoModelForCausalLM.from_pretrained(base_folder, torch_dtype=torch.float32).eval()
    adapted = peft.PeftModel.from_pretrained(model, adapter_folder).eval()
    ours = json.loads((adapter_folder / "reference.json").read_text(encoding="utf-8"))
    with torch.no_grad():
        logits = adapted(input_ids=torch.tensor(ours["input_ids"], dtype=torch.long)).logits.float()
    difference = (logits - torch.tensor(ours["logits"])).abs().max().item()
    print(f"largest |PEFT - LoraBuild| logit difference: {difference:.3e}")
    raise SystemExit(0 if difference <= 1e-4 else 1)


def main():
    fixtures = pathlib.Path(__file__).resolve().parents[2] / "tests" / "LoraBuild.Engine.Tests" / "Fixtures"
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=pathlib.Path, default=fixtures / "hf-parity" / "llama")
    parser.add_argument("--output", type=pathlib.Path, default=fixtures / "peft-parity" / "llama-lora")
    parser.add_argument("--check-ours", type=pathlib.Path, help="an adapter folder LoraBuild wrote, with reference.json")
    arguments = parser.parse_args()
    if arguments.check_ours:
        check_ours(arguments.base, arguments.check_ours)
    else:
        build(arguments.base, arguments.output)


if __name__ == "__main__":
    main()
