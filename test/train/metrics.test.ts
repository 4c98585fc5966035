import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, appendFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { MetricsLogger, readMetrics, truncateMetrics, formatProgress, formatDuration, ProgressReporter } from '../../src/train/metrics.js';

const dir = mkdtempSync(join(tmpdir(), 'batcoder-metrics-'));

test('JSONL logger: one line per step, NaN as null, read back', () => {
  const path = join(dir, 'run', 'metrics.jsonl');
  let t = 1_700_000_000_000;
  const log = new MetricsLogger(path, () => t);
  log.log({ step: 0, loss: 0.5, kl: NaN });
  t += 2500;
  log.log({ step: 1, loss: 0.25, stage: 'phase1' });
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.is(lines.length, 3);
  assert.is(lines[2], '');
  const recs = readMetrics(path);
  assert.is(recs.length, 2);
  assert.is(recs[0]!.kl, null);
  assert.is(recs[1]!.elapsed_s, 2.5);
  assert.is(recs[1]!.stage, 'phase1');
  assert.is(recs[0]!.time, new Date(1_700_000_000_000).toISOString());
  assert.throws(() => log.log({ step: -1 }), /step must be an integer >= 0/);
});

test('reader: a torn last line is skipped with a warning, a malformed middle line names file:line', () => {
  const path = join(dir, 'torn.jsonl');
  writeFileSync(path, '{"step":0}\n{"step":1}\n{"step":2,"lo');
  const warnings: string[] = [];
  assert.equal(readMetrics(path, (m) => warnings.push(m)).map((r) => r.step), [0, 1]);
  assert.match(warnings[0]!, /torn\.jsonl:3: skipping a torn last line/);
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"step":0}\nnot json\n{"step":2}\n');
  assert.throws(() => readMetrics(bad), /bad\.jsonl:2: malformed metrics line/);
  assert.equal(readMetrics(join(dir, 'missing.jsonl')), []);
});

test('truncate for resume keeps steps before the checkpoint', () => {
  const path = join(dir, 'resume.jsonl');
  writeFileSync(path, '');
  for (let s = 0; s < 6; s++) appendFileSync(path, JSON.stringify({ step: s }) + '\n');
  assert.is(truncateMetrics(path, 4), 4);
  assert.equal(readMetrics(path).map((r) => r.step), [0, 1, 2, 3]);
});

test('progress line and durations', () => {
  assert.is(formatDuration(12.4), '12s');
  assert.is(formatDuration(185), '3m05s');
  assert.is(formatDuration(3720), '1h02m');
  assert.is(formatDuration(NaN), '--');
  assert.is(
    formatProgress({ step: 50, total: 200, elapsedSec: 60, rewardDoc2code: 0.4123, rewardCode2doc: 0.3, formatValid: 0.874, loss: -0.01234, kl: 0.00021, tokensPerSec: 1234, gpuBytes: 312 * 2 ** 20 }),
    'step 50/200 25% ETA 3m00s | R_d2c 0.412 R_c2d 0.300 fmt 87% | loss -0.0123 kl 2.1e-4 | 1.2k tok/s | gpu 312 MiB',
  );
  // a step without an update says so rather than "loss NaN"
  assert.is(formatProgress({ step: 3, total: 4, elapsedSec: 3, loss: NaN, kl: NaN }), 'step 3/4 75% ETA 1s | no update');
  assert.is(formatProgress({ step: 0, total: 10, elapsedSec: 0 }), 'step 0/10 0% ETA --');
  // a step without a valid doc has no stage-2 reward: shown as '-', not NaN
  assert.is(formatProgress({ step: 1, total: 2, elapsedSec: 1, rewardDoc2code: NaN, rewardCode2doc: 0 }), 'step 1/2 50% ETA 1s | R_d2c - R_c2d 0.000');
  // resumed at step 546 of 600: 4 steps in 16 s leave 50 steps, 200 s (not 50 x 16/550)
  assert.is(formatProgress({ step: 550, total: 600, elapsedSec: 16, fromStep: 546 }), 'step 550/600 91% ETA 3m20s');
  assert.is(formatProgress({ step: 546, total: 600, elapsedSec: 0, fromStep: 546 }), 'step 546/600 91% ETA --');
  assert.is(
    formatProgress({ step: 5, total: 10, elapsedSec: 5, rewardDoc2code: 0.5, rewardCode2doc: 0.25, formatValid: 0.5, recent: { steps: 5, rewardDoc2code: 0.45, rewardCode2doc: 0.2, formatValid: 0.404 } }),
    'step 5/10 50% ETA 5s | R_d2c 0.500 R_c2d 0.250 fmt 50% (avg5 0.450 0.200 40%)',
  );
  // one step of history is the step itself: no average shown
  assert.is(formatProgress({ step: 1, total: 10, elapsedSec: 1, rewardCode2doc: 0.25, recent: { steps: 1, rewardDoc2code: 0.5, rewardCode2doc: 0.25, formatValid: 0.5 } }), 'step 1/10 10% ETA 9s | R_c2d 0.250');
});

function fakeSink(isTTY: boolean) {
  const out: string[] = [];
  return { out, sink: { isTTY, columns: 60, write: (s: string) => out.push(s) } };
}

test('TTY: redraws one line in place, truncated to the width, throttled', () => {
  const { out, sink } = fakeSink(true);
  let t = 0;
  const r = new ProgressReporter(sink, { now: () => t });
  r.update({ step: 1, total: 3, elapsedSec: 1, loss: 1 });
  t += 10; // 10 ms later: throttled
  r.update({ step: 2, total: 3, elapsedSec: 1.01, loss: 1 });
  assert.is(out.length, 1);
  assert.ok(out[0]!.startsWith('\rstep 1/3 33%'));
  assert.ok(out[0]!.endsWith('\x1b[K'));
  r.log('warning: something');
  assert.is(out[1], '\r\x1b[K');
  assert.is(out[2], 'warning: something\n');
  t += 10;
  r.update({ step: 3, total: 3, elapsedSec: 2, rewardDoc2code: 0.5, rewardCode2doc: 0.5, formatValid: 1, loss: 0.1, kl: 0.1, tokensPerSec: 5, gpuBytes: 1 });
  const last = out[out.length - 1]!;
  assert.ok(last.endsWith('\n')); // the final step ends the line
  assert.ok(last.length <= 1 + 59 + 3 + 1, `width: ${JSON.stringify(last)}`);
});

test('non-TTY: a plain line every N seconds, and the last step', () => {
  const { out, sink } = fakeSink(false);
  let t = 0;
  const r = new ProgressReporter(sink, { intervalSec: 10, now: () => t });
  for (let s = 1; s <= 30; s++) {
    t = s * 1000; // one step per second
    r.update({ step: s, total: 30, elapsedSec: s });
  }
  r.done();
  assert.equal(out.map((l) => /step (\d+)\//.exec(l)![1]), ['1', '11', '21', '30']);
  assert.ok(out.every((l) => l.endsWith('\n') && !l.includes('\r')));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
