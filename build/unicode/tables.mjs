// Packs the normalization data into a record pool and a three-stage trie (code point -> record offset). The record
// layout is documented in NormalizationTables.cs and read by NormalizationData.cs.
import { Hangul, isHangulSyllable, assert } from './ucd.mjs';

const Flag = { CompositionList: 1 << 12, NewerThanUnicode9: 1 << 13, Canonical: 1 << 14, Compatibility: 1 << 15 };
const NewerCompositeBit = 0x8000;
const Unicode9 = 9.0;

const utf16 = cps => cps.flatMap(cp => (cp > 0xffff ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)] : [cp]));
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function recordOf(cp, data) {
  const { ccc, age, decompose, compositions, nfcQc, nfkcQc, hasCanonical, hasCompatibility } = data;
  const canonical = hasCanonical(cp) && !isHangulSyllable(cp) ? utf16(decompose(cp, false)) : [];
  const full = decompose(cp, true);
  const compatibility = hasCompatibility(cp) || !same(full, decompose(cp, false)) ? utf16(full) : [];
  const pairs = compositions.get(cp) ?? [];
  let header = ccc[cp] | (nfcQc(cp) << 8) | (nfkcQc(cp) << 10);
  if (pairs.length) header |= Flag.CompositionList;
  if (hasCanonical(cp)) header |= Flag.Canonical;
  if (compatibility.length) header |= Flag.Compatibility;
  if (header === 0) return null;
  if (age[cp] > Unicode9) header |= Flag.NewerThanUnicode9;

  const record = [header];
  if (header & (Flag.CompositionList | Flag.Canonical | Flag.Compatibility)) {
    assert(canonical.length < 16 && compatibility.length < 32 && pairs.length < 128, `U+${cp.toString(16)}: lengths overflow`);
    record.push(canonical.length | (compatibility.length << 4) | (pairs.length << 9), ...canonical, ...compatibility);
    for (const { second, composite } of pairs) {
      const newer = age[composite] > Unicode9 ? NewerCompositeBit : 0;
      record.push(second >> 16, second & 0xffff, (composite >> 16) | newer, composite & 0xffff);
    }
  }
  return record;
}

export function buildTables(data) {
  const pool = [0]; // offset 0: the inert record (combining class 0, no decomposition, composes with nothing)
  const offsets = new Map();
  const values = new Uint16Array(0x110000);
  let limit = 0;
  for (let cp = 0; cp < 0x110000; cp++) {
    const record = recordOf(cp, data);
    if (!record) continue;
    const key = record.join(',');
    if (!offsets.has(key)) {
      offsets.set(key, pool.length);
      pool.push(...record);
    }
    values[cp] = offsets.get(key);
    limit = cp + 1;
  }
  assert(pool.length <= 0xffff, 'record pool exceeds 16-bit offsets');

  let best = null;
  for (let shift1 = 8; shift1 <= 13; shift1++) {
    for (let shift2 = 3; shift2 < shift1; shift2++) {
      const trie = buildTrie(values, limit, shift1, shift2);
      if (!best || trie.bytes < best.bytes) best = trie;
    }
  }
  return { pool, trie: best, limit, firstUnstable: firstUnstable(values, pool), records: offsets.size };
}

function buildTrie(values, limit, shift1, shift2) {
  const size3 = 1 << shift2;
  const size2 = 1 << (shift1 - shift2);
  const dedupe = (blocks, block) => {
    const key = block.join(',');
    if (!blocks.map.has(key)) {
      blocks.map.set(key, blocks.list.length / block.length);
      blocks.list.push(...block);
    }
    return blocks.map.get(key);
  };
  const stage3 = { map: new Map(), list: [] };
  const stage2 = { map: new Map(), list: [] };
  const stage1 = [];
  for (let start1 = 0; start1 < limit; start1 += 1 << shift1) {
    const block2 = [];
    for (let start2 = start1; start2 < start1 + (1 << shift1); start2 += size3) {
      block2.push(dedupe(stage3, Array.from(values.subarray(start2, start2 + size3))));
    }
    assert(block2.length === size2, 'stage 2 block size');
    stage1.push(dedupe(stage2, block2));
  }
  const width = max => (max < 256 ? 1 : 2);
  const type1 = width(Math.max(...stage1));
  const type2 = width(Math.max(...stage2.list));
  const bytes = stage1.length * type1 + stage2.list.length * type2 + stage3.list.length * 2;
  return { shift1, shift2, stage1, stage2: stage2.list, stage3: stage3.list, type1, type2, bytes };
}

// The lowest code point that is not stable in each form: below it, text is already normalized.
function firstUnstable(values, pool) {
  const first = mask => values.findIndex(offset => (pool[offset] & mask) !== 0);
  return {
    C: first(0xff | (3 << 8)),
    D: first(0xff | Flag.Canonical),
    KC: first(0xff | (3 << 10)),
    KD: first(0xff | Flag.Canonical | Flag.Compatibility),
  };
}

export { Hangul };
