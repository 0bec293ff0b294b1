// Writes corpus.json: the strings the engine's tokenizer is checked against Hugging Face's Rust tokenizers on.
// Deterministic: hand-written strings, strings generated from a fixed seed, and normalization strings from the
// Unicode data of the Node that runs it (a newer Node may add marks). Regenerate with
//   node build/tokenizers/corpus.mjs
// and commit the result (the tests and reference.mjs read corpus.json, not this script).
//
// Every string is well-formed Unicode: no lone surrogates. Rust strings cannot hold them, so the Node binding
// would silently turn them into U+FFFD before the reference sees them and the comparison would test nothing;
// the C# conformance tests check separately that such strings do not throw. Noncharacters (U+FFFE, U+FFFF,
// U+FDD0..U+FDEF, U+nFFFE/U+nFFFF up to U+10FFFF) are ordinary scalar values and are in the corpus.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const output = process.argv[2] ?? join(here, 'corpus.json');

/** @type {{class: string, text: string}[]} */
const corpus = [];
const add = (cls, ...texts) => texts.forEach((text) => corpus.push({ class: cls, text }));

// ---------------------------------------------------------------- hand-written

add('empty', '');
add('spaces-only', ' ', '  ', '   ', '    ', ' '.repeat(8), ' '.repeat(16), ' '.repeat(31), ' '.repeat(100));

add('whitespace',
  'a b', 'a  b', 'a   b', 'a    b', 'a\tb', 'a\t\tb', '\tindented', '\t\t\tx', ' leading', '  two leading',
  'trailing ', 'trailing  ', ' both ', '  both  ', ' \t mixed \t ', '\t \t', 'a \t b \t c',
  'word\u00A0nbsp', 'ideographic\u3000space', 'en\u2002space em\u2003space thin\u2009space', 'narrow\u202Fnbsp',
  '\u00A0', '\u3000', '\u2028', 'line\u2028separator', 'para\u2029separator', '\v\f', 'x\vy\fz',
  'Hello world', 'Hello  world', 'Hello\tworld', ' Hello', 'Hello ', ' Hello ', '  Hello  world  ',
  '\t', '\t\t', '\t\t\t\t', ' \t', '\t ', 'tab\tseparated\tvalues\t1\t2\t3');

add('newlines',
  '\n', '\n\n', '\n\n\n', '\n'.repeat(20), '\n'.repeat(40), '\r\n', '\r\n\r\n', '\r', 'a\rb', 'a\nb', 'a\r\nb\r\n',
  'line1\nline2\n\n\nline5', 'a\n  b', 'a\n\tb', '  \n  ', ' \n', '\n ', 'x\n\ty\n\t\tz', 'end\n', '\nstart',
  'Dear team,\n\nThanks.\n\n-- \nSig', 'a\r\n\r\n\r\nb', '\r\r\n\n', 'mixed\n\r\n\rends', 'one\u0085nel',
  'para one.\n\npara two.\n', 'trailing spaces   \nnext');

add('digits',
  '0', '7', '12', '123', '1234', '12345', '123456', '1234567', '12345678901234567890',
  '3.14159265358979', '1,000,000', '1 000 000', 'v1.2.3-beta.4', 'abc123def', 'x1y22z333w4444',
  '2024-01-15T10:30:00Z', '-42', '+7', '1e-10', '6.022e23', '0x1F', '0b1010', '007', '00000000', '99%', '$1,299.99',
  '€42,50', '192.168.0.1', '(555) 123-4567', 'ISBN 978-3-16-148410-0',
  '𝟓', '𝟏𝟐𝟑', 'x𝟓y', '𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗', '𝟘𝟙𝟚 double-struck', '𝟶𝟷𝟸 monospace', 'digits 𝟓𝟓𝟓 and 555',
  '𞥐𞥑𞥒 Adlam digits', '𞥓𞥔𞥕𞥖𞥗𞥘𞥙', '𑁦𑁧𑁨 Brahmi', '٠١٢٣٤٥٦٧٨٩', '٣٤٥ Arabic-Indic', '۱۲۳ Persian', '१२३ Devanagari',
  '০১২ Bengali', '๑๒๓ Thai', '１２３ fullwidth', '①②③ circled', 'Ⅻ Ⅳ roman', '½ ¾ fractions', 'x² + y³', '₀₁₂ subscript',
  '3×4=12', '10÷2', '∞', '1/2 + 3/4', '1.2.3.4.5.6.7.8.9.10', '𝟓𝟓𝟓𝟓', '𝟓𝟓𝟓𝟓𝟓𝟓𝟓', '1𝟓', '𝟓1', '12𝟓34', ' 𝟓', 'a 𝟓',
  '𑁦𑁧𑁨𑁩', '𞥐 𞥑', '𝟏,𝟎𝟎𝟎');

add('punctuation',
  'Hello, world!', 'What?!', '...', '…', '—dash–', '"quoted"', '“curly”', "'single'", '‘curly single’',
  '«guillemets»', '「括弧」', 'a.b,c;d:e', '!!!???', '(parens) [brackets] {braces}', '@#$%^&*', '~`|\\/', '<>', '<<>>',
  '<', '>', '< s>', '<s', 's>', '<|', '|>', '<|im_start', 'im_start|>', '<|end', '_', '__init__', '***bold***',
  '--flag=value', '==', '!==', '=>', '->', '::', '...and so on', '?', '!', ',', '.', ';', ':', '#', '§ 3 ¶ 2', '†‡',
  "don't won't can't", "I'm you're we've he's they'll I'd", "It 's a test .", 'Hello , world !', 'Is it ? Yes !',
  " n't", " 's", " 've", " 're", " 'm", " ' ", "He said ' hi ' .", "rock 'n' roll", "'S 'RE 'VE 'LL 'D 'M 'T",
  "IT'S", "It'S", "we'RE", "it'ſ", "'ſ", "ſ", "I'LL", "she'D", "you'Ve", "o'clock", "rock'n'roll", "ma'am", "y'all", "''", "'", "’s", "Don’t", "don 't", 'a . b , c ! d ? e');

add('code',
  'public static int Add(int a, int b) => a + b;',
  'namespace LoraBuild;\n\npublic sealed class Foo\n{\n    private readonly int _x;\n\n    public Foo(int x)\n    {\n        _x = x;\n    }\n}\n',
  'var list = new List<string> { "a", "b" };\nforeach (var item in list)\n{\n\tConsole.WriteLine($"{item}: {item.Length}");\n}',
  'def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n',
  'class Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(10, 10)\n\n    def forward(self, x):\n        return self.fc(x)\n',
  'for i in range(10):\n\tif i % 2 == 0:\n\t\tprint(i)\n\telse:\n\t\tcontinue',
  'import numpy as np\nx = np.array([1, 2, 3])  # comment\nprint(f"{x=}")',
  '{"name": "LoraBuild", "version": "0.1.0", "tags": ["lora", "build"], "nested": {"a": 1, "b": null, "c": true}}',
  '{\n  "key": "value",\n  "number": 42,\n  "array": [\n    1,\n    2\n  ]\n}',
  '[{"id":1,"text":"héllo"},{"id":2,"text":"\\u00e9\\n"}]',
  '#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.json; do echo "$f"; done\n',
  '<html>\n  <body>\n    <div class="x">Hi &amp; bye</div>\n  </body>\n</html>',
  '<table><tr><td>1</td><td>2</td></tr></table>', '<h1>Title</h1><p><strong>bold</strong> <em>em</em></p>',
  'SELECT id, name FROM users WHERE age >= 18 ORDER BY name;',
  'const re = /^(?:[a-z0-9_-]+)@([a-z]+)\\.com$/gi;',
  'fn main() {\n    let v: Vec<u32> = (0..10).map(|x| x * x).collect();\n    println!("{:?}", v);\n}',
  '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }',
  '    indented four\n        indented eight\n            twelve',
  '\t\tfoo();\n\t\tbar();', 'if (a&&b||!c) { x+=1; y<<=2; }', 'https://example.com/path?q=1&r=two#frag',
  'C:\\Users\\name\\file.txt', '/usr/local/bin/dotnet', 'user@example.com', '```csharp\nvar x = 1;\n```',
  '| a | b |\n|---|---|\n| 1 | 2 |', '- item one\n- item two\n  - nested', '1. first\n2. second');

add('cjk',
  '你好，世界！', '我爱自然语言处理。', '日本語のテキストです。', 'カタカナとひらがな', '東京タワーは333メートルです。',
  '한국어 텍스트입니다.', '안녕하세요, 세계!', '中文English混合text', '漢字かな交じり文', '全角：（括弧）、句読点。',
  'ｈａｌｆｗｉｄｔｈ？ ｆｕｌｌｗｉｄｔｈ', 'ﾊﾝｶｸｶﾀｶﾅ', '㈱㍿', '中 文 空 格', '繁體中文測試', '「引用」『二重』',
  '𠀀𠀁 extension B', '朝鮮語 조선어', '我今年25岁。', 'これは\nテスト\nです');

add('rtl',
  'مرحبا بالعالم', 'اللغة العربية جميلة.', 'هذا نص عربي مع English words.', 'السَّلَامُ عَلَيْكُمْ', 'שלום עולם',
  'עברית היא שפה שמית.', 'שָׁלוֹם', 'mixed עברית and English', 'فارسی زبان زیبایی است', 'اردو زبان',
  '\u200Fمرحبا\u200F', '\u202Bembedding\u202C', '\u2067isolate\u2069', 'ﷺ ﷽', 'ﻻ ﻷ presentation forms',
  'العدد 123 والعدد ٤٥٦', 'סעיף 3.1, עמוד 2');

add('emoji',
  '😀', '😀😃😄😁', '👍', '👍🏻👍🏼👍🏽👍🏾👍🏿', '👨‍👩‍👧‍👦', '👩‍❤️‍💋‍👨', '🏳️‍🌈', '🏴‍☠️', '🧑🏿‍💻', '👩🏽‍🚀',
  '❤️', '❤', '☺️', '🇫🇷🇯🇵🇺🇸', '🇫', '1️⃣ 2️⃣ #️⃣', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', 'party 🎉 time', 'I ❤️ NY', '🤖: hello!',
  '😀 😃 😄', 'emoji😀glued', '👨‍💻👩‍💻🧑‍💻', '🫠🫡🪿', '©️ ®️ ™️', '🔥'.repeat(30), '🙂\u200D', '\u200D🙂');

add('combining',
  'e\u0301', 'café', 'cafe\u0301', 'A\u030A', 'Å', '\u212B angstrom sign', '\u2126 ohm sign', 'ﬁ ligature', 'ﬀ ﬂ ﬃ',
  '\u1100\u1161\u11A8', '\u1112\u1161\u11AB\u1100\u116E\u11A8\u110B\u1165', '한국어', '\u1100', '\u11A8',
  'q\u0307\u0323', 'q\u0323\u0307', 'e\u0301\u0301\u0301', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', 'Tiếng Việt có dấu',
  'Ti\u00EA\u0301ng Vi\u00EA\u0323t', 'हिन्दी भाषा', 'க்ஷ தமிழ்', 'ภาษาไทย', 'ཀུན་མཁྱེན', 'Ǆ ǅ ǆ', '\u0301 leading mark',
  'n\u0303o', 'ñ', 'Ç\u0327', '\u0958\u0959', 'x\u20DD', 'ÅÅÅ', 'Straße STRASSE', 'İstanbul ı', 'ΣΊΣΥΦΟΣ σίσυφος',
  'Ελληνικά κείμενο', 'Русский текст с ёжиком', 'Українська мова: ґ є ї', 'Ꭰ Cherokee', 'ꙮ');

add('astral',
  '𝐀𝐁𝐂', '𝐇𝐞𝐥𝐥𝐨 𝐰𝐨𝐫𝐥𝐝', '𝒜𝓁𝓅𝒽𝒶', '𝔉𝔯𝔞𝔨𝔱𝔲𝔯', '𝕯𝖔𝖚𝖇𝖑𝖊', '𝖠𝖡𝖢 sans', '𝚖𝚘𝚗𝚘', '𠮷野家', '𠮷', 'a𠮷b',
  '𞤀𞤁𞤂 Adlam', '𞤢𞤣𞤤𞤥', '𞤀𞤢𞤤 𞤆𞤵𞤤𞤢𞤪', '𐌰𐌱𐌲 Gothic', '𐐀𐐁𐐨 Deseret', '𐀀𐀁 Linear B', '𒀀𒀁 Cuneiform',
  '𓀀𓀁 hieroglyphs', '𝐀1𝟐b', 'x𝐀', '𝐀x', "𝐀's", '𝐀 𝐁 𝐂', '𝐀\n𝐁', '𞤀𞥑', '𝑖𝑡𝑎𝑙𝑖𝑐', '𝛼𝛽𝛾 math greek',
  '𐤀𐤁 Phoenician', '𐎀𐎁 Ugaritic', '𖹀𖹁 Medefaidrin', '𑀅𑀆 Brahmi letters', ' 𝐀', ' 𠮷', "𠮷's", '\n𝐀', '.𝐀𝐁',
  // Letters added by recent Unicode versions (15.0: CJK Ext H, Kawi; 15.1: CJK Ext I; 16.0: Garay, Ol Onal, Tulu-Tigalari).
  '\u{31350}\u{31351} CJK Ext H', '\u{2EBF0}\u{2EBF1} CJK Ext I', '\u{11F04}\u{11F05} Kawi', '\u{10D50}\u{10D51} Garay',
  '\u{1E5D0}\u{1E5D1} Ol Onal', '\u{11380}\u{11381} Tulu-Tigalari', '\u{1E5F1} Ol Onal digit', '\u{10D40}\u{10D41} Garay digits');

add('noncharacters',
  '\uFFFE', '\uFFFF', 'a\uFFFEb', 'a\uFFFFb', '\uFFFE\uFFFF', '\u{10FFFF}', '\u{10FFFE}', '\u{1FFFE}', '\u{1FFFF}',
  '\u{2FFFE}', '\u{EFFFF}', '\uFDD0', '\uFDEF', 'text \uFDD0 text', 'Hello\uFFFE world', '\uFFFEHello',
  'x\u{10FFFF}y', '\uFEFF', '\uFEFFbom start', 'zero\u200Bwidth', 'zw\u200Cnj', 'zw\u200Dj', '\u2060word joiner',
  '\uE000', '\uF8FF', '\u{F0000}', '\u{100000}', '\uFFFD', 'bad\uFFFDbyte', '\u0000', 'nul\u0000inside', '\u0001\u001F\u007F',
  'bell\u0007', 'esc\u001B[0m', '\u0080\u009F', '\u00AD soft hyphen', '\u034F', '\uFE0F', '\uFE00', '\u{E0001}\u{E0041}',
  '\u{E0100}', '\u061C', '\u180E', '\uFFF9\uFFFA\uFFFB', '\uFFFC', '\u{1D173}');

const specials = [
  // Llama 2
  '<s>', '</s>', '<unk>', '<s>Hello</s>', '<s> Hello </s>', 'Hello<s>world', '  <s>  ', '<s><s>', '</s></s>',
  '[INST] Hi [/INST] Hello </s><s>[INST] Again [/INST]', '<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST]',
  // Llama 3
  '<|begin_of_text|>', '<|end_of_text|>', '<|eot_id|>', '<|start_header_id|>', '<|end_header_id|>',
  '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
  '<|reserved_special_token_5|>', '<|begin_of_text|>Hello', 'Hello<|eot_id|>', ' <|eot_id|> ',
  // Qwen 3
  '<|im_start|>', '<|im_end|>', '<|endoftext|>', '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  '<|im_start|>system\nYou are helpful.<|im_end|>\n', '<think>\n\n</think>\n\n', '<think>reasoning</think>answer',
  '<tool_call>\n{"name": "f", "arguments": {}}\n</tool_call>', '<tool_response>ok</tool_response>',
  '<|fim_prefix|>def f(<|fim_suffix|>)<|fim_middle|>', '<|vision_start|><|image_pad|><|vision_end|>', 'text<|endoftext|>',
  '<|im_start|><|im_end|>', '<|im_start|>  <|im_end|>',
  // Gemma 3
  '<bos>', '<eos>', '<pad>', '<mask>', '<start_of_turn>', '<end_of_turn>', '<start_of_image>', '<image_soft_token>',
  '<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n', '<bos><start_of_turn>user\nHello<end_of_turn>\n',
  '<unused0>', '<unused99>', '[multimodal]', '<table><tr><td>x</td></tr></table>', '<b>bold</b> <i>it</i>', '<s>strike</s>',
  '▁▁', '▁▁▁▁', 'a▁▁b', '▁', '▁▁ indented', '▁hello', '\t\t\t', '\n\n\n\n\n',
  // Mixed and lookalikes
  '<s><|im_start|><bos><|begin_of_text|>', '<|im_start|>user\n<s>Hi</s><|im_end|>', '<S>', '<|IM_START|>', '<|im_start |>'];
add('special-tokens', ...specials);

// ---------------------------------------------------------------- normalization (NFC, Qwen 3's normalizer)

// Every combining mark whose canonical combining class is neither 0 nor 220, out of canonical order next to
// U+0316 (class 220), so that NFC must reorder it; and the canonical decomposition (NFD) of every precomposed
// character but the Hangul syllables (a sample of those), which NFC must compose again unless excluded. The
// lists come from Node's Unicode data (its version is recorded in corpus.json).
{
  const reorder = [];
  const decomposed = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if (ch.normalize('NFD') !== ch) {
      if (cp < 0xac00 || cp > 0xd7a3) decomposed.push(ch.normalize('NFD'));
      continue;
    }

    if (cp === 0x316) continue;
    if (('\u0316' + ch).normalize('NFD') !== '\u0316' + ch) reorder.push('a\u0316' + ch); // class below 220
    else if ((ch + '\u0316').normalize('NFD') !== ch + '\u0316') reorder.push('a' + ch + '\u0316'); // above 220
  }

  for (let i = 0; i < reorder.length; i += 20) add('normalization', reorder.slice(i, i + 20).join(' '));
  for (let i = 0; i < decomposed.length; i += 25) add('normalization', decomposed.slice(i, i + 25).join(' '));
  const hangul = [];
  for (let cp = 0xac00; cp <= 0xd7a3; cp += 97) hangul.push(String.fromCodePoint(cp).normalize('NFD'));
  for (let i = 0; i < hangul.length; i += 25) add('normalization', hangul.slice(i, i + 25).join(''));
}

// ---------------------------------------------------------------- long words (1,000+ characters)

add('long',
  'a'.repeat(1000), 'ab'.repeat(600), 'abc'.repeat(500), 'Supercalifragilisticexpialidocious'.repeat(35),
  '1'.repeat(1200), '1234567890'.repeat(120), '='.repeat(1000), '-'.repeat(1500), ' '.repeat(1000),
  '\n'.repeat(1000), '\t'.repeat(500), '中'.repeat(1000), '😀'.repeat(400), '𝐀'.repeat(600), 'é'.repeat(1000),
  'e\u0301'.repeat(500), '\uFFFE'.repeat(300), '▁'.repeat(1000), 'a '.repeat(800), 'word '.repeat(300),
  'https://example.com/' + 'segment/'.repeat(150));

// ---------------------------------------------------------------- generated (seeded)

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20250601);
const pick = (items) => items[Math.floor(random() * items.length)];
const int = (min, max) => min + Math.floor(random() * (max - min + 1));

const pools = {
  word: ['the', 'The', 'quick', 'brown', 'fox', 'LoRA', 'fine-tuning', 'tokenizer', 'Hello', 'world', 'naïve', 'résumé',
    'Zürich', 'Ελλάδα', 'Москва', '東京', '北京', '서울', 'القاهرة', 'ירושלים', 'मुंबई', 'ประเทศไทย', '𝐀𝐁', '𠮷', '𞤀𞤢',
    "don't", "it's", 'I', 'a', 'an', 'of', 'HTTP', 'JSON', 'camelCase', 'snake_case', 'PascalCase', 'kebab-case', 'x'],
  space: [' ', ' ', ' ', '  ', '   ', '\t', '\n', '\n\n', '\r\n', ' \n', '\n ', '\u00A0', '\u3000'],
  punct: ['.', ',', '!', '?', ';', ':', '...', '—', '-', '(', ')', '[', ']', '{', '}', '"', "'", '/', '\\', '*', '#',
    '@', '&', '%', '$', '€', '¿', '¡', '。', '、', '：', '，'],
  digit: ['0', '1', '42', '123', '2024', '3.14', '1,000', '99999', '𝟓', '𝟏𝟐', '𞥑', '٣', '१', '１'],
  emoji: ['😀', '👍🏽', '👨‍👩‍👧', '🏳️‍🌈', '❤️', '🇩🇪', '🎉', '🧑🏿‍💻', '1️⃣'],
  odd: ['e\u0301', '\u1100\u1161', '\uFFFE', '\uFFFF', '\u{10FFFF}', '\uFEFF', '\u200B', '\u200D', '\u0000', '\uFFFD'],
  special: ['<s>', '</s>', '<unk>', '<|begin_of_text|>', '<|eot_id|>', '<|start_header_id|>', '<|im_start|>',
    '<|im_end|>', '<|endoftext|>', '<think>', '</think>', '<start_of_turn>', '<end_of_turn>', '<bos>', '<eos>', '▁▁', '<b>'],
};
const weights = [['word', 10], ['space', 8], ['punct', 4], ['digit', 3], ['emoji', 1], ['odd', 1], ['special', 1]];
const totalWeight = weights.reduce((sum, [, w]) => sum + w, 0);
function fragment() {
  let r = random() * totalWeight;
  for (const [name, w] of weights) {
    if ((r -= w) < 0) return pick(pools[name]);
  }
  return pick(pools.word);
}

// Mixtures of fragments from every class.
for (let i = 0; i < 150; i++) {
  const count = int(1, 40);
  let text = '';
  for (let j = 0; j < count; j++) text += fragment();
  add('generated-mix', text);
}

// Whitespace and newline runs around short words.
for (let i = 0; i < 40; i++) {
  let text = '';
  for (let j = int(1, 8); j > 0; j--) {
    text += pick(['', 'x', 'ab', 'Hi', '1', '.', '中']) + pick([' ', '\t', '\n', '\r\n', '\r']).repeat(int(1, 6));
  }
  add('generated-whitespace', text);
}

// Random code points from chosen ranges (basic plane and astral), skipping surrogates.
const ranges = [
  [0x20, 0x7e], [0xa0, 0x24f], [0x300, 0x36f], [0x370, 0x52f], [0x590, 0x6ff], [0x900, 0x97f], [0xe00, 0xe7f],
  [0x1100, 0x11ff], [0x2000, 0x206f], [0x3040, 0x30ff], [0x4e00, 0x9fff], [0xac00, 0xd7a3], [0xfb00, 0xfdff],
  [0xfe00, 0xffff], [0x10000, 0x1007f], [0x1d400, 0x1d7ff], [0x1e900, 0x1e95f], [0x1f300, 0x1faff], [0x20000, 0x2a6df],
  [0xe0000, 0xe007f], [0xf0000, 0xf00ff], [0x10ff00, 0x10ffff],
];
for (let i = 0; i < 60; i++) {
  let text = '';
  for (let j = int(1, 24); j > 0; j--) {
    const [lo, hi] = pick(ranges);
    text += String.fromCodePoint(int(lo, hi));
  }
  add('generated-codepoints', text);
}

// Numbers of every length, alone and inside words.
for (let i = 0; i < 20; i++) {
  let digits = '';
  for (let j = int(1, 25); j > 0; j--) digits += String(int(0, 9));
  add('generated-digits', pick(['', 'x', 'v', ' ', 'ab']) + digits + pick(['', 'y', ' ', '.', 'th']));
}

// ---------------------------------------------------------------- checks and output

for (const [index, { text }] of corpus.entries()) {
  if (!text.isWellFormed()) throw new Error(`corpus[${index}] holds a lone surrogate`);
}

// Invisible and ambiguous characters are written as \u escapes so that the file can be read and reviewed.
const escape = (json) =>
  json.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\p{M}\u2581]/gu, (ch) =>
    ch === ' ' ? ch : [...ch].map((c) => {
      const cp = c.codePointAt(0);
      if (cp <= 0xffff) return `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
      const high = Math.floor((cp - 0x10000) / 0x400) + 0xd800;
      const low = ((cp - 0x10000) % 0x400) + 0xdc00;
      return `\\u${high.toString(16).toUpperCase()}\\u${low.toString(16).toUpperCase()}`;
    }).join(''));

const lines = corpus.map((entry) => '    ' + escape(JSON.stringify(entry)));
const json = `{
  "description": "Strings the engine's tokenizer is checked against Hugging Face's Rust tokenizers on (build/tokenizers/corpus.mjs writes this file; see build/tokenizers/README.md). No lone surrogates: see corpus.mjs. Normalization strings from Unicode ${process.versions.unicode} (Node ${process.version}).",
  "strings": [
${lines.join(',\n')}
  ]
}
`;
if (JSON.stringify(JSON.parse(json).strings) !== JSON.stringify(corpus)) throw new Error('escaping changed the corpus');
writeFileSync(output, json);
const counts = {};
for (const { class: cls } of corpus) counts[cls] = (counts[cls] ?? 0) + 1;
console.log(`${corpus.length} strings written to ${output}`, counts);
