// The Rust side of the tokenizer benchmark: tokens/s of Hugging Face's Rust tokenizers (the npm binding) encoding
// the same deterministic 1 MB text (benchtext.mjs) with each of the four tokenizers, one call for the whole text,
// without special tokens. Writes the text and the results (JSON) for the engine's side, build/tokenizers/Bench:
//
//   node build/tokenizers/bench.mjs [output folder]      (default: artifacts/tokenizer-bench)
//
// dotnet cake --target=TokenizerBench runs both sides and writes docs/tokenizer-benchmarks.md.
// Each repetition loads a fresh tokenizer (the Rust BPE caches words), warms it up on another text, then times one
// encode of the benchmark text; the median of the repetitions is reported.

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from 'tokenizers';
import { benchText } from './benchtext.mjs';
import { modelFolder, packageVersion, tokenizerNames } from './reference.mjs';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const output = resolve(process.argv[2] ?? join(root, 'artifacts', 'tokenizer-bench'));
const repetitions = Number(process.env.TOKENIZER_BENCH_REPETITIONS ?? 3);

mkdirSync(output, { recursive: true });
const text = benchText();
const warmup = benchText(64 * 1024, 7);
const textPath = join(output, 'text.txt');
writeFileSync(textPath, text, 'utf8');
writeFileSync(join(output, 'warmup.txt'), warmup, 'utf8');
const bytes = Buffer.byteLength(text, 'utf8');

/** SHA-256 of the ids as little-endian int32s: the engine's side computes the same to compare the ids. */
function idsSha256(ids) {
  const buffer = Buffer.alloc(ids.length * 4);
  ids.forEach((id, i) => buffer.writeInt32LE(id, i * 4));
  return createHash('sha256').update(buffer).digest('hex');
}

const results = [];
for (const name of tokenizerNames) {
  const tokenizerJson = join(modelFolder(name), 'tokenizer.json');
  const seconds = [];
  let ids = [];
  for (let r = 0; r < repetitions; r++) {
    const tokenizer = Tokenizer.fromFile(tokenizerJson);
    await tokenizer.encode(warmup, null, { addSpecialTokens: false });
    const started = process.hrtime.bigint();
    ids = (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }

  seconds.sort((a, b) => a - b);
  const median = seconds[Math.floor(seconds.length / 2)];
  const result = {
    tokenizer: name,
    tokens: ids.length,
    seconds: median,
    allSeconds: seconds,
    tokensPerSecond: ids.length / median,
    idsSha256: idsSha256(ids),
  };
  results.push(result);
  console.log(`${name}: ${ids.length} tokens in ${median.toFixed(3)} s (median of ${repetitions}) = ${Math.round(result.tokensPerSecond)} tokens/s`);
}

const summary = {
  reference: `tokenizers@${packageVersion('tokenizers')} (Hugging Face's Rust tokenizers, Node binding, ${process.version})`,
  text: relative(root, textPath).replaceAll('\\', '/'),
  bytes,
  characters: text.length,
  repetitions,
  results,
};
writeFileSync(join(output, 'reference.json'), JSON.stringify(summary, null, 2));
console.log(`${bytes} bytes; results in ${relative(process.cwd(), join(output, 'reference.json'))}`);
