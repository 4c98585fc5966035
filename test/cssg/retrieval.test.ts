// Cross-language retrieval on HumanEval-X (first 40 problems, to keep the test fast):
// each Python solution must score its own JavaScript / Go counterpart above all 39
// other problems' counterparts often enough: well above chance (1/40). Skipped when
// ../shared/datasets is absent. `node dist/bench/cssg-retrieval.js` reports all 164.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadHumanEvalX, retrieval } from './humaneval.js';
import { closeWorkers } from '../../src/cssg/index.js';

const N = 40;
const problems = loadHumanEvalX();

if (!problems) {
  test.skip('HumanEval-X retrieval (../shared/datasets missing)', () => {});
} else {
  const ps = problems.slice(0, N);
  test('dataset shape', () => {
    assert.is(problems.length, 164);
    assert.ok(ps.every((p) => p.python && p.javascript && p.go));
  });
  for (const lang of ['javascript', 'go'] as const) {
    test(`python -> ${lang}: CSSG and WL retrieve well above chance`, async () => {
      const cssg = await retrieval(ps, lang, 'cssg', 2);
      const wl = await retrieval(ps, lang, 'wl', 2);
      // chance is 1/40 = 0.025; require 10x chance
      assert.ok(cssg.correct / cssg.total >= 0.25, `cssg ${cssg.correct}/${cssg.total}`);
      assert.ok(wl.correct / wl.total >= 0.25, `wl ${wl.correct}/${wl.total}`);
    });
  }
  test('cleanup', async () => {
    await closeWorkers();
  });
}

test.run();
