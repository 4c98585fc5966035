// Fuzz: random byte strings, truncated programs and pathological shapes in every
// language and metric. Nothing may throw, every score is a number in [0, 1], and the
// run must finish (a hang fails the test run).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LANGS } from '../../src/lang/parser.js';
import { similarity, buildGraph, METRICS, MAX_NODES } from '../../src/cssg/index.js';
import { loadTriples } from './fixtures.js';
import { rng } from './gen.js';

const ok = (s: number) => Number.isFinite(s) && s >= 0 && s <= 1;

test('random byte strings', () => {
  const r = rng(12345);
  const ref = loadTriples('python')[0].anchor;
  for (let i = 0; i < 1500; i++) {
    const lang = LANGS[i % 4];
    const len = Math.floor(r() * 200);
    let s = '';
    // mostly printable code-ish characters, some arbitrary UTF-16 units (incl. lone surrogates)
    for (let k = 0; k < len; k++) {
      const x = r();
      s += x < 0.8 ? '(){}[]:;=+-*/<>!&|.,"\'#\n\t abcdefxyz0123456789'[Math.floor(r() * 47)] : String.fromCharCode(Math.floor(r() * 0x10000));
    }
    const metric = METRICS[i % 3];
    const a = similarity(s, s, lang, { metric });
    const b = similarity(ref, s, 'python', { metric, langB: lang });
    assert.ok(ok(a) && ok(b), `${lang} ${JSON.stringify(s)}: ${a} ${b}`);
  }
});

test('truncated programs still score, and score within range', () => {
  const r = rng(777);
  for (const lang of LANGS) {
    for (const t of loadTriples(lang)) {
      for (let k = 0; k < 4; k++) {
        const cut = t.anchor.slice(0, Math.floor(r() * t.anchor.length));
        for (const metric of METRICS) assert.ok(ok(similarity(t.anchor, cut, lang, { metric })));
      }
      // a program cut after its first loop line keeps some structure
    }
    const full = loadTriples(lang)[0].anchor;
    const half = full.slice(0, Math.floor(full.length * 0.75));
    assert.ok(similarity(full, half, lang, { metric: 'cssg-v1' }) > 0, `${lang}: a 3/4 program scores above 0 under v1 (v2 charges the parse errors)`);
  }
});

test('pathological shapes: deep nesting, huge inputs, odd types', () => {
  const deep = '('.repeat(5000) + 'x' + ')'.repeat(5000);
  const nested = Array.from({ length: 300 }, (_, i) => ' '.repeat(i) + 'if x:').join('\n') + '\n' + ' '.repeat(300) + 'pass\n';
  const long = 'def f(a):\n' + '    a = a + 1\n'.repeat(20000);
  const braces = '{'.repeat(3000);
  // 60 nested loops: the fixpoint re-walks inner bodies 2^depth times unless bounded
  let loops = 'def f(a):\n';
  for (let i = 0; i < 60; i++) loops += ' '.repeat(4 * (i + 1)) + `for x${i} in a:\n`;
  loops += ' '.repeat(244) + 'a = a + x0\n';
  for (const lang of LANGS) {
    for (const s of [deep, nested, long, braces, loops, '\u0000\u0000', '\uD800', 'end end end', '}}}}']) {
      for (const metric of METRICS) assert.ok(ok(similarity(s, long, lang, { metric })));
      assert.ok(buildGraph(s, lang).kinds.length <= MAX_NODES);
    }
    // non-strings from untyped callers
    assert.is(similarity(undefined as unknown as string, null as unknown as string, lang), 0);
    assert.is(similarity(42 as unknown as string, 'x = 1', lang), 0);
  }
});

test.run();
