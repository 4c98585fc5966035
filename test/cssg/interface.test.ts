// The interface gate (src/cssg/interface.ts, applied in src/cssg/score.ts): the entry
// function's name read as subwords, S = S_struct * (a + (1 - a) N). Checked: the subword
// split, Dice, which function is the entry in each language, S(c, c) = 1, symmetry, the
// gate never raises a score, a renamed entry scores below a rewrite, no entry -> N = 1,
// and junk never throws.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { similarity, graphOf } from '../../src/cssg/index.js';
import { subwords, dice, gateFactor, interfaceMatch, GATE_FLOOR } from '../../src/cssg/interface.js';
import { LANGS, type Lang } from '../../src/lang/parser.js';
import { genProgram, print } from './gen.js';

const OFF = { off: ['interface-gate' as const] };

test('subwords: snake, camel, Pascal, acronyms and digit runs meet lower-cased', () => {
  const want = ['has', 'close', 'elements'];
  assert.equal(subwords('has_close_elements'), want);
  assert.equal(subwords('hasCloseElements'), want);
  assert.equal(subwords('HasCloseElements'), want);
  assert.equal(subwords('__has__close_ELEMENTS'), want);
  assert.equal(subwords('is_Monotonic'), ['is', 'monotonic']);
  assert.equal(subwords('parseHTTP2Url'), ['parse', 'http', '2', 'url']);
  assert.equal(subwords('HTTPServer'), ['http', 'server']);
  assert.equal(subwords('sum_of_3x'), ['sum', 'of', '3', 'x']);
  assert.equal(subwords('f'), ['f']);
  assert.equal(subwords('_'), []);
  assert.equal(subwords(''), []);
  assert.equal(subwords(undefined as unknown as string), []);
});

test('dice: multisets, symmetric, in [0, 1], 1 when a side is empty', () => {
  assert.is(dice(['a', 'b'], ['a', 'b']), 1);
  assert.is(dice(['a', 'b'], ['b', 'c']), 0.5);
  assert.is(dice(['a', 'a'], ['a']), 2 / 3);
  assert.is(dice(['a'], ['b']), 0);
  assert.is(dice([], ['b']), 1);
  assert.is(dice(['x', 'y', 'y'], ['y', 'z']), dice(['y', 'z'], ['x', 'y', 'y']));
  assert.is(gateFactor(1), 1);
  assert.is(gateFactor(0), GATE_FLOOR);
  assert.ok(GATE_FLOOR > 0 && GATE_FLOOR < 1);
});

test('the entry is the last top-level function, in every language and form', () => {
  const forms: [string, Lang][] = [
    ['def helper(x):\n    return x\n\ndef has_close_elements(numbers, threshold):\n    return helper(threshold)\n', 'python'],
    ['function hasCloseElements(numbers, threshold) {\n  return 1;\n}\n', 'javascript'],
    ['const hasCloseElements = (numbers, threshold) => {\n  return 1;\n};\n', 'javascript'],
    ['var hasCloseElements = function (numbers, threshold) {\n  return 1;\n};\n', 'javascript'],
    ['import "math"\n\nfunc HasCloseElements(numbers []float64, threshold float64) bool {\n\treturn math.Abs(threshold) > 0\n}\n', 'go'],
    ['def has_close_elements(numbers, threshold)\n  numbers.size > threshold\nend\n', 'ruby'],
  ];
  for (const [code, lang] of forms) assert.equal(graphOf(code, lang).entry, ['has', 'close', 'elements'], `${lang}: ${code}`);
  assert.equal(graphOf('f = lambda xs: len(xs)\n', 'python').entry, ['f']);
  // no function: no entry (a script); v1 graphs carry none
  assert.is(graphOf('x = 1\nprint(x + 2)\n', 'python').entry, undefined);
  assert.is(graphOf('def f(x):\n    return x\n', 'python', 1).entry, undefined);
});

test('same interface across languages: N = 1, the gate leaves the cross-language score as it was', () => {
  const py = 'def count_pos(xs):\n    return len([x for x in xs if x > 0])\n';
  const js = 'function countPos(xs) {\n  return xs.filter((x) => x > 0).length;\n}\n';
  assert.is(interfaceMatch(graphOf(py, 'python'), graphOf(js, 'javascript')), 1);
  assert.is(similarity(py, js, 'python', { langB: 'javascript' }), similarity(py, js, 'python', { langB: 'javascript', ...OFF }));
});

const ORIGINAL = 'def count_vowels(s):\n    n = 0\n    for ch in s:\n        if ch in "aeiou":\n            n += 1\n    return n\n';
const REWRITE = 'def count_vowels(s):\n    total = 0\n    for c in s:\n        if c in "aeiou":\n            total = total + 1\n    return total\n';

test('a renamed entry scores below the original and below a rewrite (and would not without the gate)', () => {
  for (const name of ['tally', 'count_vowels_v2', 'countLetters']) {
    const renamed = ORIGINAL.replace('count_vowels', name);
    const s = similarity(ORIGINAL, renamed, 'python');
    assert.ok(s < similarity(ORIGINAL, REWRITE, 'python'), name);
    assert.ok(s < 1, name);
    assert.is(similarity(ORIGINAL, renamed, 'python', OFF), 1, name);
    // the gate's exact factor: structure equal, so S = a + (1 - a) N
    const n = dice(subwords('count_vowels'), subwords(name));
    assert.ok(Math.abs(s - gateFactor(n)) < 1e-12, `${name}: ${s} vs ${gateFactor(n)}`);
  }
  assert.is(similarity(ORIGINAL, REWRITE, 'python'), similarity(ORIGINAL, REWRITE, 'python', OFF));
});

test('no entry on either side: N = 1, the gate does nothing', () => {
  const script = 'n = 0\nfor ch in s:\n    if ch in "aeiou":\n        n += 1\nprint(n)\n';
  assert.is(interfaceMatch(graphOf(script, 'python'), graphOf(ORIGINAL, 'python')), 1);
  assert.is(similarity(script, ORIGINAL, 'python'), similarity(script, ORIGINAL, 'python', OFF));
  assert.is(similarity(ORIGINAL, script, 'python'), similarity(ORIGINAL, script, 'python', OFF));
  // a parse failure that swallows the def loses the entry: the gate leaves it to the parse penalty
  const broken = 'def (s):\n    n = 0\n    for ch in s:\n        if ch in "aeiou":\n            n += 1\n    return n\n';
  assert.is(similarity(ORIGINAL, broken, 'python'), similarity(ORIGINAL, broken, 'python', OFF));
});

/** A few dozen pairs: generated programs (names f<seed>) across languages, renamed entries, cross-language. */
function pairs(): { a: string; b: string; lang: Lang; langB: Lang }[] {
  const out: { a: string; b: string; lang: Lang; langB: Lang }[] = [];
  for (let s = 1; s <= 12; s++) {
    const p = genProgram(s, 4 + (s % 5));
    const q = genProgram(300 + s, 4 + (s % 5));
    const lang = LANGS[s % LANGS.length];
    const langB = LANGS[(s + 1) % LANGS.length];
    out.push({ a: print(p, lang), b: print(q, lang), lang, langB: lang });
    out.push({ a: print(p, 'python'), b: print(p, langB), lang: 'python', langB });
    out.push({ a: print(p, lang), b: print(p, lang).replace(new RegExp(`\\b${p.name}\\b`, 'g'), 'solveIt'), lang, langB: lang });
  }
  out.push({ a: ORIGINAL, b: REWRITE, lang: 'python', langB: 'python' });
  return out;
}

test('S(c, c) = 1, S is symmetric, and the gate never raises a score', () => {
  const ps = pairs();
  let lowered = 0;
  for (const p of ps) {
    assert.is(similarity(p.a, p.a, p.lang), 1);
    const ab = similarity(p.a, p.b, p.lang, { langB: p.langB });
    const ba = similarity(p.b, p.a, p.langB, { langB: p.lang });
    assert.is(ab, ba, `${p.lang} -> ${p.langB}`);
    const ungated = similarity(p.a, p.b, p.lang, { langB: p.langB, ...OFF });
    assert.ok(ab <= ungated + 1e-12, `${ab} > ${ungated}`);
    assert.ok(ab >= 0 && ab <= 1);
    if (ab < ungated) lowered++;
  }
  // the property is not vacuous: the renamed and the other-program pairs are lowered
  assert.ok(lowered >= 12, `only ${lowered} of ${ps.length} pairs lowered`);
});

test('junk never throws and scores in [0, 1]', () => {
  const junk = ['', ' ', 'def', 'def (', 'function', 'const = () =>', 'func (', '\u0000\uffff', 'ő_ű(x)', 'def _(x):\n  return x\n', 'lambda: 0', '}{'.repeat(50)];
  for (const a of junk) {
    for (const lang of LANGS) {
      const s = similarity(a, ORIGINAL, lang, { langB: 'python' });
      assert.ok(s >= 0 && s <= 1, `${lang}: ${JSON.stringify(a)}`);
      assert.not.throws(() => subwords(a));
    }
  }
});

test.run();
