// CSSG v2 (metric 'cssg'), the third round of Python normalisations (docs/cssg.md,
// "Canonicalisation"): each makes an equivalent pair meet (S = 1) while a one-token
// mutant (another operator, constant or predicate) does not, and with its normalisation
// switched off (src/cssg/options.ts) the pair no longer meets. Also: renaming a
// module-level name and an elif under a negated condition leave S at 1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { similarity } from '../../src/cssg/index.js';
import { type Normalisation } from '../../src/cssg/options.js';

const S = (a: string, b: string, off: Normalisation[] = []) => similarity(a, b, 'python', { off });
const py = (body: string, params = 'a, b') => `def f(${params}):\n${body.split('\n').map((l) => '    ' + l).join('\n')}\n`;

// [name, original, equivalent rewrite, one-token mutant of the original, the normalisation that makes them meet]
const CASES: [string, string, string, string, Normalisation][] = [
  ['a nested conditional return is the elif chain (a chain keeps its conditions\' direction)', py('if a % 2 == 0:\n    return a\nelif a % 7 != 0:\n    return 3 * a + 5\nelse:\n    return a + 1'), py('return a if a % 2 == 0 else 3 * a + 5 if a % 7 != 0 else a + 1'), py('if a % 2 == 0:\n    return a\nelif a % 7 != 0:\n    return 3 * a + 5\nelse:\n    return a + 2'), 'ternary-return'],
];

for (const [name, orig, rewrite, mutant, norm] of CASES) {
  test(`idiom: ${name}`, () => {
    assert.is(S(orig, rewrite), 1, `rewrite\n${orig}\n${rewrite}`);
    assert.is(S(rewrite, orig), 1, 'symmetric');
    const m = S(orig, mutant);
    assert.ok(m < 1 && m > 0.3, `mutant scored ${m}\n${mutant}`);
    const off = S(orig, rewrite, [norm]);
    assert.ok(off < 1, `with ${norm} off the pair scored ${off}`);
  });
}

test('if-swap: a two-way conditional return swaps, the links of a chain do not', () => {
  assert.is(S(py('return a + 1 if a % 7 != 0 else b'), py('if a % 7 == 0:\n    return b\nelse:\n    return a + 1')), 1);
  const chain = py('if a % 2 == 0:\n    return a\nelif a % 7 != 0:\n    return 3 * a + 5\nelse:\n    return a + 1');
  assert.ok(S(chain, py('return a if a % 2 == 0 else 3 * a + 5 if a % 7 == 0 else a + 1')) < 1);
});

test('module-level names: renaming one renames every read (rename-invariant), its value still counts', () => {
  const a = "import re\npattern = r'^[a-z]+$'\ndef f(s):\n    if re.search(pattern, s):\n        return 'yes'\n    return 'no'\n";
  const b = "import re\nrx = r'^[a-z]+$'\ndef f(s):\n    if re.search(rx, s):\n        return 'yes'\n    return 'no'\n";
  assert.is(S(a, b), 1);
  assert.ok(S(a, a.replace('[a-z]+$', '[a-z]*$').replace("'yes'", "'no!'")) < 1);
  // a name the snippet does not bind stays a free name (a library's)
  assert.ok(S(a.replace('pattern = ', '# '), b.replace('rx = ', '# ')) < 1);
});

test.run();
