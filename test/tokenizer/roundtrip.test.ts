// Exact round trips: arbitrary bytes (invalid UTF-8 included) and text; the two BPE merge
// strategies agree; special tokens are split out (or not) as asked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadFixtureTokenizer, lcg } from './fixture.js';
import { HEAP_THRESHOLD } from '../../src/tokenizer/bpe.js';

const tok = loadFixtureTokenizer();

test('every byte has a token', () => {
  assert.ok(tok.coversAllBytes);
});

test('decodeBytes(encodeBytes(b)) === b for random byte strings, invalid UTF-8 included', () => {
  const rnd = lcg(42);
  const enc = new TextEncoder();
  const pieces = ['<|endoftext|>', 'def f(x):\n', '  ', '中文', '😀', "'ll", '\r\n'].map((s) => enc.encode(s));
  for (let i = 0; i < 2000; i++) {
    const parts: number[] = [];
    const n = rnd(60);
    for (let k = 0; k < n; k++) {
      const r = rnd(10);
      if (r < 5) parts.push(rnd(256)); // any byte: lone continuation bytes, 0xff, truncated sequences
      else if (r < 7) parts.push(0x20 + rnd(95));
      else parts.push(...pieces[rnd(pieces.length)]!);
    }
    const b = Uint8Array.from(parts);
    const ids = tok.encodeBytes(b);
    assert.equal(tok.decodeBytes(ids), b, `bytes ${[...b].map((x) => x.toString(16)).join(' ')}`);
  }
  // A BOM, overlong encodings, surrogates and code points above U+10FFFF survive untouched.
  for (const bytes of [[0xef, 0xbb, 0xbf, 0x41], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98]]) {
    const b = Uint8Array.from(bytes);
    assert.equal(tok.decodeBytes(tok.encodeBytes(b)), b);
  }
});

test('encodeBytes of valid UTF-8 without normalization effects equals encode', () => {
  const text = 'def f(x):\n    return x * 2  # 二倍 😀\n';
  assert.equal(tok.encodeBytes(new TextEncoder().encode(text)), tok.encode(text));
  // encode applies NFC (the tokenizer.json says so); encodeBytes keeps the bytes as given.
  const nfd = 'Cafe\u0301';
  assert.is(tok.decode(tok.encode(nfd)), 'Caf\u00e9');
  assert.equal(tok.decodeBytes(tok.encodeBytes(new TextEncoder().encode(nfd))), new TextEncoder().encode(nfd));
});

test('decode of a cut UTF-8 sequence gives U+FFFD, decodeBytes the exact bytes', () => {
  const ids = tok.encode('😀');
  const bytes = tok.decodeBytes(ids);
  assert.equal(bytes, new TextEncoder().encode('😀'));
  // Drop the last id: the 4-byte sequence is incomplete.
  const cut = ids.slice(0, -1);
  if (cut.length > 0) assert.ok(tok.decode(cut).includes('\ufffd'));
});

test('text round trip: decode(encode(s)) is NFC(s) for random strings', () => {
  const rnd = lcg(7);
  const pool = ['a', 'Z', '0', ' ', '\n', '\t', "'", 's', '中', 'é', 'e\u0301', '🙂', '\u0085', '\ufeff', '<|pad|>', '<|im_end|', '{', '"'];
  for (let i = 0; i < 3000; i++) {
    let s = '';
    for (let k = rnd(40); k > 0; k--) s += pool[rnd(pool.length)];
    assert.is(tok.decode(tok.encode(s)), s.normalize('NFC'), JSON.stringify(s));
  }
});

test('heap merge and scan merge agree on long and short words', () => {
  const rnd = lcg(99);
  const m = tok.model;
  const alphabet = [...'aeiostn _()=:\n'].map((c) => c.charCodeAt(0));
  for (let i = 0; i < 300; i++) {
    const n = 1 + rnd(3 * HEAP_THRESHOLD);
    const sym: number[] = [];
    for (let k = 0; k < n; k++) sym.push(m.byteId[alphabet[rnd(alphabet.length)]!]!);
    const a: number[] = [];
    const b: number[] = [];
    m.mergeScan(sym.slice(), a);
    m.mergeHeap(sym.slice(), b);
    assert.equal(b, a);
  }
  // Long whitespace runs and long identifiers go through the heap path inside encode.
  for (const s of [' '.repeat(1000) + 'x', 'abc'.repeat(400), '\n'.repeat(200)]) assert.is(tok.decode(tok.encode(s)), s);
});

test('special tokens are split out whole, or treated as text when asked', () => {
  const code = tok.tokenToId('<|code|>')!;
  const doc = tok.tokenToId('<|doc|>')!;
  const eot = tok.tokenToId('<|endoftext|>')!;
  assert.ok(code !== undefined && doc !== undefined && eot !== undefined);
  const ids = tok.encode('<|code|>def f(): pass<|doc|>Nothing.<|endoftext|>');
  assert.is(ids[0], code);
  assert.ok(ids.includes(doc));
  assert.is(ids[ids.length - 1], eot);
  assert.is(tok.decode(ids, { skipSpecial: true }), 'def f(): passNothing.');
  const plain = tok.encode('<|code|>x', { specials: false });
  assert.not.ok(plain.includes(code));
  assert.is(tok.decode(plain), '<|code|>x');
  // Near misses are plain text.
  assert.not.ok(tok.encode('<|code| <code|>').includes(code));
  assert.equal(tok.special, { bos: undefined, eos: eot, pad: tok.tokenToId('<|pad|>') });
  assert.ok(tok.isSpecial(eot));
  assert.not.ok(tok.isSpecial(tok.encode('a')[0]!));
});

test('decodeStream: pieces concatenate to decode(), characters are never split', () => {
  const rnd = lcg(5);
  const texts = ['😀 emoji 👨‍👩‍👧 and 中文 text <|endoftext|> end', 'plain ascii', 'e\u0301\u3000\ufeffx'];
  for (const t of texts) {
    const ids = tok.encode(t);
    for (const skipSpecial of [false, true]) {
      const s = tok.decodeStream({ skipSpecial });
      let acc = '';
      for (const id of ids) {
        const piece = s.push(id);
        assert.not.ok(piece.includes('\ufffd'), `no replacement char midway in ${JSON.stringify(t)}`);
        acc += piece;
      }
      acc += s.end();
      assert.is(acc, tok.decode(ids, { skipSpecial }));
    }
  }
  // Random ids (broken UTF-8 included): still the same text as decode().
  for (let i = 0; i < 200; i++) {
    const ids = Array.from({ length: rnd(30) }, () => rnd(tok.vocabSize));
    const s = tok.decodeStream();
    assert.is(ids.map((id) => s.push(id)).join('') + s.end(), tok.decode(ids));
  }
});

test('decode rejects ids outside the vocabulary', () => {
  assert.throws(() => tok.decode([tok.vocabSize]), /id 3072 is not in the vocabulary/);
});

test.run();
