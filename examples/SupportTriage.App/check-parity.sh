#!/usr/bin/env bash
# Checks that SupportTriage.App answers exactly what `dotnet lora generate --adapter` prints for the same Alpaca prompts.
# Needs the SupportTriage package in artifacts/packages (dotnet cake --target=Pack, or
# dotnet pack examples/SupportTriage -c Release -o artifacts/packages). Usage: check-parity.sh [number of eval tickets, default 8]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# NuGet keeps the first package it restored for a version; drop that copy so a repacked adapter is the one restored.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/supporttriage"
dotnet build "$root/src/LoraBuild.Cli" -c Release -nologo -v quiet
dotnet build "$root/examples/SupportTriage.App" -c Release -nologo -v quiet
app="$root/examples/SupportTriage.App/bin/Release/net10.0"

# The same prompt the app builds (AlpacaTemplate.Prompt with an input), one file per ticket, and the tickets one per line.
python3 - "$root/examples/SupportTriage/data/eval.jsonl" "$count" "$work" <<'PY'
import json, sys
path, count, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
preamble = ("Below is an instruction that describes a task, paired with an input that provides further context. "
            "Write a response that appropriately completes the request.\n\n")
with open(path, encoding="utf-8") as lines, open(f"{work}/tickets.txt", "w", encoding="utf-8") as tickets:
    for i, line in zip(range(count), lines):
        record = json.loads(line)
        prompt = f"{preamble}### Instruction:\n{record['instruction']}\n\n### Input:\n{record['input']}\n\n### Response:\n"
        with open(f"{work}/prompt-{i:03}.txt", "w", encoding="utf-8") as out:
            out.write(prompt)
        tickets.write(record["input"] + "\n")
PY

for prompt in "$work"/prompt-*.txt; do
    dotnet "$root/src/LoraBuild.Cli/bin/Release/net10.0/dotnet-lora.dll" generate \
        --model "$root/examples/models/tiny" --adapter "$app/lora/SupportTriage" < "$prompt" >> "$work/cli.txt"
done
dotnet "$app/SupportTriage.App.dll" < "$work/tickets.txt" > "$work/app.txt"

if diff -u "$work/cli.txt" "$work/app.txt"; then
    echo "parity: the app's $(wc -l < "$work/app.txt") answers equal dotnet lora generate's, byte for byte"
    cat "$work/app.txt"
else
    echo "parity: answers differ (above)" >&2
    exit 1
fi
