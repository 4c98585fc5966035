// BPE training: identical merges to a naive recount-everything trainer, determinism, compression,
// special tokens, vocabulary size.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainBpe, countPieces } from '../../src/tokenizer/train.js';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';
import { BYTE_TO_CHAR } from '../../src/tokenizer/bytelevel.js';
import { QWEN2_PATTERN } from '../../src/tokenizer/pretokenize.js';
import { fixtureDir, loadExpected, lcg } from './fixture.js';

// Corpus: the committed parity texts (code, multilingual prose, random strings) plus generated code.
const cases: string[] = JSON.parse(readFileSync(join(fixtureDir, 'cases.json'), 'utf8'));
const texts = loadExpected().encode.map((c) => c.text);
function synthetic(n: number, seed: number): string[] {
  const rnd = lcg(seed);
  const names = ['value', 'count', 'items', 'result', 'index', 'total', 'name', 'data'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = names[rnd(names.length)]!;
    const b = names[rnd(names.length)]!;
    out.push(`def get_${a}(${b}):\n    """Return the ${a} of ${b}."""\n    return ${b}.${a} + ${rnd(100)}\n<|endoftext|>`);
  }
  return out;
}
const corpus = [...cases, ...texts, ...synthetic(300, 1)];
const specials = ['<|endoftext|>', '<|code|>', '<|doc|>'];

/** The obvious O(merges * corpus) trainer, with the same tie rule (smallest (left, right) ids). */
function naiveMerges(corpusTexts: string[], vocabSize: number, specialTokens: string[], minFreq: number): [number, number][] {
  const counts = countPieces(corpusTexts, QWEN2_PATTERN, specialTokens);
  const alphabet = [...BYTE_TO_CHAR].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
  const byteId = (b: number) => specialTokens.length + alphabet.indexOf(BYTE_TO_CHAR[b]!);
  const enc = new TextEncoder();
  const words: { sym: number[]; f: number }[] = [...counts].map(([p, f]) => ({ sym: [...enc.encode(p)].map(byteId), f }));
  const merges: [number, number][] = [];
  let next = specialTokens.length + 256;
  while (next < vocabSize) {
    const pc = new Map<string, number>();
    for (const w of words) for (let i = 0; i + 1 < w.sym.length; i++) {
      const k = `${w.sym[i]},${w.sym[i + 1]}`;
      pc.set(k, (pc.get(k) ?? 0) + w.f);
    }
    let best: [number, number] | undefined;
    let bestC = 0;
    for (const [k, c] of pc) {
      const [a, b] = k.split(',').map(Number) as [number, number];
      if (c > bestC || (c === bestC && best && (a < best[0] || (a === best[0] && b < best[1])))) {
        best = [a, b];
        bestC = c;
      }
    }
    if (!best || bestC < minFreq) break;
    merges.push(best);
    for (const w of words) {
      const s: number[] = [];
      for (let i = 0; i < w.sym.length; i++) {
        if (i + 1 < w.sym.length && w.sym[i] === best[0] && w.sym[i + 1] === best[1]) {
          s.push(next);
          i++;
        } else s.push(w.sym[i]!);
      }
      w.sym = s;
    }
    next++;
  }
  return merges;
}

test('incremental pair counting gives exactly the naive trainer\'s merges', () => {
  const tok = trainBpe(corpus, { vocabSize: 259 + 400, specialTokens: specials });
  const naive = naiveMerges(corpus, 259 + 400, specials, 2);
  assert.is(tok.model.merges.length, naive.length);
  assert.equal(tok.model.merges.map(([a, b]) => [a, b]), naive);
  // Words with repeated symbols (aaaa, ====) exercise overlapping occurrences.
  const rep = ['aaaa aaaaaaa ========', 'abababab ababab', '    \n        \n'];
  const t2 = trainBpe(rep, { vocabSize: 256 + 20, minFrequency: 1 });
  assert.equal(t2.model.merges.map(([a, b]) => [a, b]), naiveMerges(rep, 256 + 20, [], 1));
});

test('training is deterministic', () => {
  const a = trainBpe(corpus, { vocabSize: 1000, specialTokens: specials }).toJSON();
  const b = trainBpe(corpus, { vocabSize: 1000, specialTokens: specials }).toJSON();
  assert.equal(a, b);
});

test('a trained vocabulary compresses, more so as it grows', () => {
  const heldOut = synthetic(50, 2).join('') + cases.slice(20).join('');
  const bytes = new TextEncoder().encode(heldOut).length;
  const small = trainBpe(corpus, { vocabSize: 400, specialTokens: specials });
  const big = trainBpe(corpus, { vocabSize: 1500, specialTokens: specials });
  const ns = small.encode(heldOut).length;
  const nb = big.encode(heldOut).length;
  assert.ok(ns < bytes * 0.8, `small vocab: ${ns} tokens for ${bytes} bytes`);
  assert.ok(nb < ns, `bigger vocab compresses more: ${nb} vs ${ns}`);
  assert.is(big.decode(big.encode(heldOut)), heldOut.normalize('NFC'));
});

test('special tokens: first ids, never merged into, found in text', () => {
  const tok = trainBpe(corpus, { vocabSize: 1200, specialTokens: specials });
  specials.forEach((s, i) => assert.is(tok.tokenToId(s), i));
  assert.is(tok.special.eos, 0);
  for (let id = specials.length; id < tok.model.idToToken.length; id++) {
    assert.not.ok(tok.decode([id]).includes('endoftext'), `token ${id} ${tok.decode([id])}`);
  }
  const ids = tok.encode('<|code|>def f(): pass<|doc|>Does nothing.<|endoftext|>');
  assert.is(ids[0], 1);
  assert.is(ids[ids.length - 1], 0);
  // Round trip through tokenizer.json.
  const again = new Tokenizer(JSON.parse(JSON.stringify(tok.toJSON())));
  assert.equal(again.encode(corpus[5]!), tok.encode(corpus[5]!));
  assert.ok(again.coversAllBytes);
});

test('vocabulary size: reached exactly when the corpus allows, validated', () => {
  assert.is(trainBpe(corpus, { vocabSize: 700, specialTokens: specials }).vocabSize, 700);
  // A tiny corpus runs out of pairs seen twice: the vocabulary stops early, deterministically.
  const tiny = trainBpe(['abc abc'], { vocabSize: 5000 });
  assert.ok(tiny.vocabSize < 270);
  assert.throws(() => trainBpe(corpus, { vocabSize: 100 }), /vocabSize 100 < 0 special tokens \+ 256 byte symbols/);
  assert.throws(() => trainBpe(corpus, { vocabSize: 300, specialTokens: ['<a>', '<a>'] }), /duplicate special tokens/);
});

test.run();
