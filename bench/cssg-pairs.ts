// The CSSG training-pattern pair set, shared by the throughput bench (bench/cssg.ts) and
// the score fingerprint (bench/cssg-fingerprint.ts): 64 generated originals of 12-50
// lines (the four languages in turn), 16 rollouts each; half are surface variants of
// the original (renamed, reformatted, commented, reordered), half other functions of
// similar size. `batch(tag)` appends a trailing comment carrying `tag` to every rollout,
// so that a new tag makes every rollout a cache miss (the comment does not change the graph).
import { LANGS, type Lang } from '../src/lang/parser.js';
import type { Pair } from '../src/cssg/index.js';
import { genProgram, print, variant } from '../test/cssg/gen.js';

export const ORIGINALS = 64;
export const ROLLOUTS = 16;
export const BATCH = ORIGINALS * ROLLOUTS;

const comment: Record<Lang, string> = { python: '# r', ruby: '# r', go: '// r', javascript: '// r' };

const originals: { code: string; lang: Lang; seed: number }[] = [];
for (let i = 0; i < ORIGINALS; i++) {
  const lang = LANGS[i % 4];
  const p = genProgram(i + 1, 5 + (i % 6));
  originals.push({ code: print(p, lang), lang, seed: i + 1 });
}
const rolloutsOf = originals.map((o, i) => {
  const p = genProgram(o.seed, 5 + (i % 6));
  return Array.from({ length: ROLLOUTS }, (_, k) =>
    k % 2 === 0 ? print(p, o.lang, variant(k + 1, (['rename', 'reformat', 'comments', 'reorder'] as const)[k % 4], p)) : print(genProgram(10_000 + i * 100 + k, 4 + (k % 6)), o.lang),
  );
});

/** Line counts of the originals. */
export const originalLines = originals.map((o) => o.code.split('\n').length);

/** One batch of BATCH pairs (original, rollout); rollouts carry `tag` in a trailing comment. */
export function batch(tag: number): Pair[] {
  const out: Pair[] = [];
  originals.forEach((o, i) => {
    for (const r of rolloutsOf[i]) out.push({ a: o.code, b: r + comment[o.lang] + tag + '\n', lang: o.lang });
  });
  return out;
}
