#!/usr/bin/env node
// Compare batcoder's Tokenizer with Hugging Face's tokenizers.js on ANY tokenizer.json (e.g. a
// real Qwen2.5 / Qwen3 one, which is too big to commit as a fixture): the fixture cases, 40 held-out
// MBPP programs, N seeded random strings, and random id sequences for decode. Prints mismatches
// and a summary; exits 1 on any mismatch.
//
//   npm run build
//   node tools/check-tokenizer-parity.mjs path/to/tokenizer.json [/tmp/tokref] [--fuzz 20000]
// (tokenizers.js installed as in tools/gen-tokenizer-fixture.mjs; never a project dependency.)
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const fuzzAt = args.indexOf('--fuzz');
const fuzzN = fuzzAt >= 0 ? Number(args.splice(fuzzAt, 2)[1]) : 20000;
const [tokPath, refDir = '/tmp/tokref'] = args;
if (!tokPath) {
  console.error('usage: node tools/check-tokenizer-parity.mjs tokenizer.json [tokref-dir] [--fuzz N]');
  process.exit(2);
}
const { Tokenizer } = await import(pathToFileURL(join(root, 'dist', 'src', 'tokenizer', 'tokenizer.js')).href);
const ref = await import(pathToFileURL(join(refDir, 'node_modules', '@huggingface', 'tokenizers', 'dist', 'tokenizers.mjs')).href);

const json = JSON.parse(readFileSync(tokPath, 'utf8'));
let t0 = performance.now();
const ours = new Tokenizer(json);
const loadMs = performance.now() - t0;
const theirs = new ref.Tokenizer(json, { clean_up_tokenization_spaces: false });
const refEncode = (t) => (t.length ? theirs.encode(t, { add_special_tokens: false }).ids : []);
const refDecode = (ids, skip) => (ids.length ? theirs.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false }) : '');

const texts = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'tokenizer', 'cases.json'), 'utf8'));
const mbpp = join(process.env.BATCODER_SHARED ?? resolve(root, '..', 'shared'), 'datasets', 'mbpp_test.jsonl');
if (existsSync(mbpp)) texts.push(...readFileSync(mbpp, 'utf8').split('\n').filter(Boolean).slice(0, 40).map((l) => JSON.parse(l).code));
const pool = [..."abcXYZ019 '\n\r\t.,;:(){}[]<>|_-+=\"#$%&*/\\", "'s", "'T", "'ll", "'RE", "'ve", "'M", "'d", '中', '文', 'ね', '한',
  'é', 'e\u0301', '\u0301', '😀', '👍🏽', '\u200d', '\u00a0', '\u0085', '\ufeff', '\u3000', '\u2028', '١', '²', 'Ⅻ',
  '<|endoftext|>', '<|im_start|>', '<|im_end', '   ', '\r\n', '\n\n', 'İ', 'ß', 'Ω', '🇫🇷', 'def ', 'return', 'self.', '    '];
let s = 11;
const rnd = (n) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), (s >>> 8) % n);
for (let i = 0; i < fuzzN; i++) texts.push(Array.from({ length: 1 + rnd(40) }, () => pool[rnd(pool.length)]).join(''));

let bad = 0;
let tokens = 0;
t0 = performance.now();
for (const t of texts) {
  const a = ours.encode(t);
  const b = refEncode(t);
  tokens += b.length;
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    if (bad++ < 10) console.log(`encode mismatch ${JSON.stringify(t).slice(0, 100)}\n  ours ${a}\n  ref  ${b}`);
  } else if (ours.decode(a) !== refDecode(b, false)) {
    if (bad++ < 10) console.log(`decode mismatch ${JSON.stringify(t).slice(0, 100)}`);
  }
}
for (let i = 0; i < 2000; i++) {
  const ids = Array.from({ length: 1 + rnd(20) }, () => rnd(ours.vocabSize));
  for (const skip of [false, true]) {
    if (ours.decode(ids, { skipSpecial: skip }) !== refDecode(ids, skip) && bad++ < 10) console.log(`random decode mismatch ${ids} (skip ${skip})`);
  }
}
console.log(`${tokPath}: vocab ${ours.vocabSize}, loaded in ${loadMs.toFixed(0)} ms; ${texts.length} texts (${tokens} tokens) + 4000 random decodes; ${bad} mismatches (reference tokenizers.js ${JSON.parse(readFileSync(join(refDir, 'node_modules', '@huggingface', 'tokenizers', 'package.json'), 'utf8')).version})`);
console.log(`Hello, world! -> ${ours.encode('Hello, world!')}`);
process.exit(bad ? 1 : 0);
