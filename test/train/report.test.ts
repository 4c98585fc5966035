import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeReport } from '../../src/train/report.js';
import { langEval } from '../../src/train/evaluate.js';

function fakeRun(root: string, name: string, c2d: number[], final: number, sampled = false): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const rows = [{ step: 0, phase: 1, eval: 'start', eval_python_n: 2 }, ...c2d.map((v, i) => ({
    step: i + 1, phase: 1, reward_code2doc: v, reward_doc2code: 0.5, format_valid: 0.5,
    // every sampled group (dropped ones included): lower than the kept batch's
    ...(sampled ? { sampled_reward_code2doc: v / 2, sampled_reward_doc2code: 0.25, sampled_format_valid: 0.25 } : {}),
  }))];
  (rows[rows.length - 1] as Record<string, unknown>).total_updates = 5 * c2d.length;
  (rows[rows.length - 1] as Record<string, unknown>).total_sampled_tokens = 1000 * c2d.length;
  writeFileSync(join(dir, 'metrics.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ steps: c2d.length, maxUpdates: 0, maxSampledTokens: 0 }));
  // the older files: numbers without intervals
  const ev = (rt: number) => ({ perLang: { ruby: { n: 2, formatExact: 0.5, formatValid: 0.5, roundTripSimilarity: rt, roundTripPass: 0, passAt1: 0.5 } } });
  // the final evaluation as evaluate() writes it now: two usable docs of four, S 0.6 and 0.2
  // (one pass@1 run of four stopped at its time limit: counted, so a reader sees load may have cost it)
  const outcomes = [0.6, 0.2, null, null].map((s, i) => ({
    rDoc: s === null ? 0 : i === 0 ? 1 : 0.5, similarity: s, roundTripPass: i === 0 ? 1 : 0, passAt1: 0,
    roundTripStatus: s === null ? ('unusable' as const) : i === 0 ? ('passed' as const) : ('failed' as const),
    passAt1Status: i === 3 ? ('timeout' as const) : ('failed' as const),
  }));
  writeFileSync(join(dir, 'eval-final.json'), JSON.stringify({ perLang: { ruby: langEval(outcomes, final) }, samples: [] }));
  writeFileSync(join(dir, 'eval-start.json'), JSON.stringify(ev(0.1)));
  writeFileSync(join(dir, 'eval-step10.json'), JSON.stringify(ev(0.2)));
  return dir;
}

test('report: curves, HTML and a Markdown comparison with evaluations in order and reward trends', () => {
  const root = mkdtempSync(join(tmpdir(), 'batcoder-report-'));
  const a = fakeRun(root, 'full', [0.1, 0.1, 0.2, 0.3, 0.4, 0.5], 0.3, true);
  const b = fakeRun(root, 'frozen', [0.2, 0.2, 0.2, 0.2, 0.2, 0.2], 0.15);
  const r = writeReport([a, b], join(root, 'out'));
  assert.ok(existsSync(r.html));
  assert.is(r.svgs.length, 9);
  for (const f of r.svgs) {
    // the logged metrics are drawn; the unlogged ones (loss, KL, tokens/s) say so
    assert.match(readFileSync(f, 'utf8'), /(reward|format)/.test(f) ? /<polyline/ : /no data/);
  }
  const lines = r.markdown.split('\n');
  const head = lines.findIndex((l) => l.startsWith('| run | eval'));
  assert.is(lines[head], '| run | eval | lang | doc format valid | doc format exact | S on usable docs | round-trip CSSG (unusable = 0) | round-trip pass | pass@1 (doc->code) | timeouts |');
  // start, then the periodic evaluation, then final (not directory order)
  assert.equal(lines.slice(head + 2, head + 5).map((l) => l.split(' | ')[1]), ['start', 'step10', 'final']);
  // old files: bare numbers
  assert.is(lines[head + 2], '| full | start | ruby | 50.0% | 50.0% | - | 0.100 | 0.0% | 50.0% | - |');
  // new files: every metric with its interval and n; S conditional on the 2 usable docs (0.4),
  // the unconditional round trip counting the unusable ones as 0 (0.2)
  const cells = lines[head + 4].split(' | ');
  assert.match(cells[3], /^50\.0% \[0\.0%, 100\.0%\] n=4$/);
  assert.match(cells[4], /^25\.0% \[\d+\.\d%, \d+\.\d%\] n=4$/);
  assert.match(cells[5], /^0\.400 \[0\.200, 0\.600\] n=2$/);
  assert.match(cells[6], /^0\.200 \[0\.\d{3}, 0\.\d{3}\] n=4$/);
  assert.is(cells[9], '1 |');
  // the compute table: updates and sampled tokens of each run, and what bounded it
  assert.match(r.markdown, /\| full \| 6 \| 30 \| 6000 \| steps = 6 \|/);
  // the trend is of every sampled group where logged (full), else of the kept batch (frozen)
  assert.match(r.markdown, /- full \(6 steps\), first vs last 2 steps: R_d2c 0\.250±0\.000 -> 0\.250±0\.000 \(\+0\.000\); R_c2d 0\.050±0\.000 -> 0\.225±0\.025 \(\+0\.175, 7\.0 se\)/);
  assert.match(r.markdown, /- frozen .* R_c2d 0\.200±0\.000 -> 0\.200±0\.000 \(\+0\.000/);
  assert.match(readFileSync(r.html, 'utf8'), /Reward trend/);
  assert.throws(() => writeReport([join(root, 'missing')], join(root, 'out2')), /no metrics\.jsonl/);
});

test.run();
