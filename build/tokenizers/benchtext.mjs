// The deterministic text the tokenizer benchmark encodes: mostly English prose in paragraphs, with code, Markdown,
// JSON and a little of other scripts, as fine-tuning data looks. The same seed gives the same text on every machine.

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = `the of and to a in is it you that he was for on are with as I his they be at one have this from or had by
word but what some we can out other were all there when up use your how said an each she which do their time if will way
about many then them write would like so these her long make thing see him two has look more day could go come did number
sound no most people my over know water than call first who may down side been now find any new work part take get place
made live where after back little only round man year came show every good me give our under name very through just form
sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three
want air well also play small end put home read hand port large spell add even land here must big high such follow act
why ask men change went light kind off need house picture try us again animal point mother world near build self earth
father head stand own page should country found answer school grow study still learn plant cover food sun four between
state keep eye never last let thought city tree cross farm hard start might story saw far sea draw left late run while
press close night real life few north model adapter training token tokenizer dataset gradient learning rate batch epoch
loss evaluation inference prompt response customer order refund shipping invoice account password support ticket`.split(/\s+/);

const foreign = ['Der schnelle braune Fuchs springt über den faulen Hund.', 'Ceci est une phrase en français, avec des accents.',
  'Это предложение на русском языке.', '这是一个中文句子，用于测试。', '日本語の文章も少し含まれています。', '한국어 문장도 있습니다.',
  'هذه جملة باللغة العربية.', 'זהו משפט בעברית.', 'Ελληνικά: καλημέρα κόσμε.', 'Türkçe: çalışkan öğrenciler.'];

export function benchText(bytes = 1 << 20, seed = 20250602) {
  const random = mulberry32(seed);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const identifier = () => pick(words) + pick(['', 'Count', 'Name', 'Id', '_value', 'List']);

  function sentence() {
    const n = int(6, 22);
    const parts = [];
    for (let i = 0; i < n; i++) {
      let w = pick(words);
      const r = random();
      if (r < 0.04) w = String(int(0, 100000));
      else if (r < 0.06) w = `${int(1, 12)}.${int(0, 99)}%`;
      else if (r < 0.08) w = `"${w}"`;
      else if (r < 0.10) w = `${w}'s`;
      else if (r < 0.11) w = "don't";
      parts.push(w);
      if (i < n - 1 && random() < 0.08) parts[parts.length - 1] += ',';
    }

    parts[0] = parts[0][0].toUpperCase() + parts[0].slice(1);
    return parts.join(' ') + pick(['.', '.', '.', '.', '?', '!', ':']);
  }

  function paragraph() {
    const r = random();
    if (r < 0.08) {
      const name = identifier();
      return pick([
        `\`\`\`csharp\npublic static int ${name}(int ${identifier()}, string ${identifier()})\n{\n    var total = ${int(0, 999)};\n    for (int i = 0; i < ${int(2, 64)}; i++)\n    {\n        total += i * ${int(1, 9)};\n    }\n\n    return total;\n}\n\`\`\``,
        `\`\`\`python\ndef ${name}(${identifier()}, ${identifier()}=None):\n    if ${identifier()} is None:\n        return []\n    return [x * ${int(2, 9)} for x in range(${int(3, 99)})]\n\`\`\``,
        `\`\`\`json\n{"${identifier()}": ${int(0, 9999)}, "${identifier()}": "${pick(words)} ${pick(words)}", "tags": ["${pick(words)}", "${pick(words)}"], "ok": ${random() < 0.5}}\n\`\`\``,
      ]);
    }

    if (r < 0.13) {
      const items = [];
      for (let i = int(2, 6); i > 0; i--) items.push(`- ${sentence()}`);
      return `## ${pick(words)} ${pick(words)}\n\n${items.join('\n')}`;
    }

    if (r < 0.18) return `${pick(foreign)} ${pick(foreign)} ${sentence()}`;
    const sentences = [];
    for (let i = int(2, 8); i > 0; i--) sentences.push(sentence());
    return sentences.join(' ');
  }

  let text = '';
  const encoder = new TextEncoder();
  let size = 0;
  while (size < bytes) {
    const next = paragraph() + '\n\n';
    text += next;
    size += encoder.encode(next).length;
  }

  // Cut to at most `bytes` UTF-8 bytes without splitting a character.
  while (encoder.encode(text).length > bytes) {
    const excess = encoder.encode(text).length - bytes;
    text = [...text].slice(0, -Math.max(1, Math.floor(excess / 4))).join('');
  }

  return text;
}
