// Properties of all three metrics on generated functions (test/cssg/gen.ts), in every
// language: identity, symmetry, range, and for the graph metrics invariance to
// renaming locals, reformatting, comments/docstrings and reordering independent
// statements.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LANGS } from '../../src/lang/parser.js';
import { similarity, METRICS } from '../../src/cssg/index.js';
import { genProgram, print, variant } from './gen.js';

const SEEDS = 12;

test('identity: S(c, c) = 1 for every metric', () => {
  for (const lang of LANGS) {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const c = print(genProgram(seed), lang);
      for (const metric of METRICS) assert.is(similarity(c, c, lang, { metric }), 1, `${lang} seed ${seed} ${metric}`);
    }
  }
});

test('symmetry and range, within and across languages', () => {
  for (const lang of LANGS) {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const a = print(genProgram(seed), lang);
      const b = print(genProgram(seed + 1000, 3 + (seed % 5)), lang);
      const other = LANGS[(LANGS.indexOf(lang) + seed) % LANGS.length];
      const c = print(genProgram(seed + 2000), other);
      for (const metric of METRICS) {
        const ab = similarity(a, b, lang, { metric });
        const ba = similarity(b, a, lang, { metric });
        assert.is(ab, ba, `${lang} seed ${seed} ${metric}: ${ab} vs ${ba}`);
        assert.ok(ab >= 0 && ab <= 1 && Number.isFinite(ab), `${metric} range: ${ab}`);
        assert.ok(ab < 1, `${lang} seed ${seed} ${metric}: different programs scored 1`);
        const ac = similarity(a, c, lang, { metric, langB: other });
        const ca = similarity(c, a, other, { metric, langB: lang });
        assert.is(ac, ca, `${lang}/${other} seed ${seed} ${metric}`);
        assert.ok(ac >= 0 && ac <= 1);
      }
    }
  }
});

for (const kind of ['rename', 'reformat', 'comments', 'reorder'] as const) {
  test(`graph metrics are invariant to ${kind}`, () => {
    let tokensMoved = 0;
    for (const lang of LANGS) {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const p = genProgram(seed);
        const a = print(p, lang);
        const b = print(p, lang, variant(seed, kind, p));
        assert.is.not(a, b, 'the variant must change the text');
        assert.is(similarity(a, b, lang), 1, `${lang} seed ${seed} cssg\n${a}\n${b}`);
        assert.is(similarity(a, b, lang, { metric: 'wl' }), 1, `${lang} seed ${seed} wl`);
        if (similarity(a, b, lang, { metric: 'tokens' }) < 1) tokensMoved++;
      }
    }
    // the token baseline is not invariant to renaming (the variants are not vacuous)
    if (kind === 'rename') assert.ok(tokensMoved > 0);
  });
}

test('a semantic change moves the score', () => {
  for (const lang of LANGS) {
    const p = genProgram(77);
    const a = print(p, lang);
    const q = { ...p, ret: { k: 'int', v: 3 } as never };
    const b = print(q, lang);
    assert.ok(similarity(a, b, lang) < 1, lang);
  }
});

test('empty and non-code strings score 0', () => {
  const code = 'def f(a):\n    return a + 1\n';
  for (const lang of LANGS) {
    for (const junk of ['', '   \n\t', 'This function returns the sum of two numbers.', 'hello world', 'lorem ipsum dolor sit amet, consectetur adipiscing elit']) {
      for (const metric of METRICS) {
        assert.is(similarity(junk, junk, lang, { metric }), 0, `${lang} ${JSON.stringify(junk)} ${metric}`);
        assert.is(similarity(code, junk, 'python', { metric, langB: lang }), 0);
      }
    }
  }
});

test.run();
