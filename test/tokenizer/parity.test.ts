// Encode/decode parity with Hugging Face's tokenizers.js on a Qwen2-style tokenizer.json:
// multilingual text, code, whitespace runs, contractions, special tokens, 300 random strings,
// and decoding of random id sequences (UTF-8 cut mid-character, special tokens skipped or kept).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';
import { loadExpected, loadFixtureTokenizer, tokenizerPath } from './fixture.js';

const tok = loadFixtureTokenizer();
const expected = loadExpected();

test('fixture is the one the reference encoded', () => {
  assert.match(expected.reference, /^@huggingface\/tokenizers@/);
  assert.ok(expected.encode.length >= 300 && expected.decode.length >= 50);
  assert.is(tok.vocabSize, 3072);
});

test('encode ids match the reference for every case', () => {
  for (const c of expected.encode) {
    const ids = tok.encode(c.text);
    assert.equal(ids, c.ids, `encode ${JSON.stringify(c.text).slice(0, 120)}\n ours ${tok.tokens(ids).join('|')}\n ref  ${tok.tokens(c.ids).join('|')}`);
  }
});

test('decode matches the reference (and is the NFC text for valid input)', () => {
  for (const c of expected.encode) {
    assert.is(tok.decode(c.ids), c.decoded, JSON.stringify(c.text).slice(0, 120));
    assert.is(tok.decode(c.ids), c.text.normalize('NFC'));
  }
  for (const c of expected.decode) {
    assert.is(tok.decode(c.ids), c.decoded, `ids ${c.ids}`);
    assert.is(tok.decode(c.ids, { skipSpecial: true }), c.decodedSkipSpecial, `ids ${c.ids} (skip special)`);
  }
});

test('load -> save -> load keeps the tokenizer identical', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'batcoder-tok-'));
  try {
    const loaded = await Tokenizer.load(tokenizerPath);
    const p = join(dir, 'tokenizer.json');
    await loaded.save(p);
    const a = JSON.parse(readFileSync(tokenizerPath, 'utf8'));
    const b = JSON.parse(readFileSync(p, 'utf8'));
    assert.equal(b, a);
    const again = await Tokenizer.load(p);
    for (const c of expected.encode.slice(0, 50)) assert.equal(again.encode(c.text), c.ids);
    // A model directory gets tokenizer_config.json too (what transformers' AutoTokenizer reads).
    await loaded.saveDir(join(dir, 'model'), { model_max_length: 2048 });
    const cfg = JSON.parse(readFileSync(join(dir, 'model', 'tokenizer_config.json'), 'utf8'));
    assert.is(cfg.tokenizer_class, 'PreTrainedTokenizerFast');
    assert.is(cfg.eos_token, '<|endoftext|>');
    assert.is(cfg.pad_token, '<|pad|>');
    assert.is(cfg.bos_token, null);
    assert.is(cfg.model_max_length, 2048);
    assert.is(cfg.added_tokens_decoder['0'].content, '<|endoftext|>');
    assert.equal(JSON.parse(readFileSync(join(dir, 'model', 'tokenizer.json'), 'utf8')), a);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
