// MultiPL-E Ruby and Go: no reference solutions exist, so hand-written correct completions
// must pass and wrong ones fail. Skips cleanly when ruby / go are not installed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, loadMultiplE } from '../../src/data/benchmarks.js';
import { evaluate } from '../../src/eval/harness.js';
import { unavailable } from '../../src/eval/languages.js';

const ok = {
  rb: { HumanEval_23_strlen: '  string.length\nend\n', HumanEval_53_add: '  x + y\nend\n' },
  go: { HumanEval_23_strlen: '    return len(myString)\n}\n', HumanEval_53_add: '    return x + y\n}\n' },
};
const wrong = {
  rb: ['  0\nend\n', '  x +\nend\nend\n'],
  go: ['    return 0\n}\n', '    return x +\n}\n'],
};

for (const lang of ['rb', 'go'] as const) {
  const language = lang === 'rb' ? 'ruby' : 'go';
  test(`multipl-e-${lang}: loads, correct completions pass, wrong ones fail`, async () => {
    const file = join(datasetsDir(), `multiple-humaneval-${lang}.jsonl`);
    if (!existsSync(file)) return console.log(`  skipped: ${file} not found`);
    const bench = loadMultiplE(lang);
    assert.is(bench.problems.length, lang === 'rb' ? 161 : 154);
    assert.ok(bench.problems.every((p) => p.stop.length > 0));
    const why = unavailable(language);
    if (why) return console.log(`  ${why}`);
    bench.problems = bench.problems.filter((p) => p.id in ok[lang]);
    const c = new Map<string, string[]>();
    for (const p of bench.problems) c.set(p.id, [ok[lang][p.id as keyof (typeof ok)[typeof lang]], ...wrong[lang]]);
    const rep = await evaluate(bench, c, { parallel: 2, timeoutMs: 60_000 });
    for (const r of rep.results) {
      const want = ['passed', 'failed', 'compile-error'][r.sample];
      assert.is(r.status, want, `${r.id}#${r.sample}: ${r.stderrTail.slice(-400)}`);
    }
  });
}

test('a missing interpreter is reported as skipped, never failed', async () => {
  const prev = process.env.PATH;
  // languages.ts looks the tool up once per process: use a fresh lookup through the env override
  process.env.BATCODER_RUBY = '/nonexistent/ruby';
  const { runProgram } = await import(`../../src/eval/languages.js?fresh=${Date.now()}`);
  const r = await runProgram('ruby', 'puts 1\n');
  assert.is(r.status, 'skipped');
  assert.match(r.stderrTail, /^skipped: ruby not installed/);
  delete process.env.BATCODER_RUBY;
  process.env.PATH = prev;
});

test.run();
