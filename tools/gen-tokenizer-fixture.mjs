#!/usr/bin/env node
// Regenerates the tokenizer parity fixtures in test/fixtures/tokenizer/:
//   qwen2-style.tokenizer.json  a small byte-level BPE in Qwen2's tokenizer.json format (NFC,
//                               Qwen2 Split regex, ByteLevel, added special tokens), trained with
//                               our trainBpe on code and text from ../shared/datasets plus
//                               cases.json (vocab 3072);
//   expected.json               ids and decoded strings for every case in cases.json, for 40
//                               held-out MBPP programs, 300 seeded random strings,
//                               and decoded strings for seeded random id
//                               sequences, all computed by an INDEPENDENT implementation:
//                               Hugging Face's tokenizers.js (npm @huggingface/tokenizers).
// CI needs none of this; it only reads the committed files.
//
// Usage (tokenizers.js is installed outside the repo, never in package.json):
//   mkdir -p /tmp/tokref && (cd /tmp/tokref && npm init -y && npm i --ignore-scripts @huggingface/tokenizers@0.2.0)
//   npm run build && node tools/gen-tokenizer-fixture.mjs [/tmp/tokref]
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test', 'fixtures', 'tokenizer');
const refDir = resolve(process.argv[2] ?? '/tmp/tokref');
const shared = process.env.BATCODER_SHARED ?? resolve(root, '..', 'shared');
const ds = (name) => join(shared, 'datasets', name);

const { trainBpe } = await import(pathToFileURL(join(root, 'dist', 'src', 'tokenizer', 'train.js')).href);
const refPkg = join(refDir, 'node_modules', '@huggingface', 'tokenizers');
const ref = await import(pathToFileURL(join(refPkg, 'dist', 'tokenizers.mjs')).href);
const refVersion = JSON.parse(readFileSync(join(refPkg, 'package.json'), 'utf8')).version;

const jsonl = (text) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
const cases = JSON.parse(readFileSync(join(out, 'cases.json'), 'utf8'));
const mbpp = jsonl(readFileSync(ds('mbpp.jsonl'), 'utf8'));
const go = jsonl(gunzipSync(readFileSync(ds('humaneval-x_go.jsonl.gz'))).toString('utf8'));
const js = jsonl(gunzipSync(readFileSync(ds('humaneval-x_js.jsonl.gz'))).toString('utf8'));
const corpus = [
  ...mbpp.map((o) => `${o.text}\n${o.code}\n`),
  ...go.map((o) => o.prompt + o.canonical_solution),
  ...js.map((o) => o.prompt + o.canonical_solution),
  ...cases,
];
const specials = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|code|>', '<|doc|>', '<|pad|>'];
const tok = trainBpe(corpus, { vocabSize: 3072, specialTokens: specials });
const tokJson = tok.toJSON();
writeFileSync(join(out, 'qwen2-style.tokenizer.json'), JSON.stringify(tokJson) + '\n');

const reference = new ref.Tokenizer(tokJson, { clean_up_tokenization_spaces: false });
const heldOut = jsonl(readFileSync(ds('mbpp_test.jsonl'), 'utf8')).slice(0, 40).map((o) => o.code);
// Seeded random strings over a pool of tricky pieces (contractions, whitespace kinds, CJK, emoji,
// combining marks, special tokens and near-misses). U+017F is left out on purpose: Oniguruma's
// (?i:'s) matches "'\u017f" and tokenizers.js's does not, so there the references disagree.
const pool = [..."abcXYZ019 '\n\r\t.,;:(){}[]<>|_-+=\"#$%&*/\\", "'s", "'T", "'ll", "'RE", "'ve", "'M", "'d", '中', '文', 'ね', '한',
  'é', 'e\u0301', '\u0301', '😀', '👍🏽', '\u200d', '\u00a0', '\u0085', '\ufeff', '\u3000', '\u2028', '١', '²', 'Ⅻ',
  '<|endoftext|>', '<|im_start|>', '<|im_end', '   ', '\r\n', '\n\n', 'İ', 'ß', 'Ω', '🇫🇷'];
let fs = 7;
const frnd = (n) => ((fs = (Math.imul(fs, 1103515245) + 12345) >>> 0), (fs >>> 8) % n);
const fuzz = Array.from({ length: 300 }, () => Array.from({ length: 1 + frnd(30) }, () => pool[frnd(pool.length)]).join(''));
const encodeCases = [...cases, ...heldOut, ...fuzz].map((text) => {
  const ids = reference.encode(text, { add_special_tokens: false }).ids;
  const decoded = ids.length ? reference.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }) : '';
  return { text, ids, decoded };
});

// Random id sequences (cutting UTF-8 characters apart, mixing in special tokens) for decode parity.
let s = 20260126;
const rnd = (n) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s % n);
const decodeCases = [];
for (let i = 0; i < 60; i++) {
  const ids = Array.from({ length: 1 + rnd(20) }, () => rnd(tok.vocabSize));
  decodeCases.push({
    ids,
    decoded: reference.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
    decodedSkipSpecial: reference.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false }),
  });
}
writeFileSync(
  join(out, 'expected.json'),
  JSON.stringify({ tokenizer: 'qwen2-style.tokenizer.json', reference: `@huggingface/tokenizers@${refVersion}`, encode: encodeCases, decode: decodeCases }) + '\n',
);
console.log(`vocab ${tok.vocabSize}, ${encodeCases.length} encode cases, ${decodeCases.length} decode cases (reference ${refVersion})`);
