// `batcoder experiment` end to end at a tiny size: 2 arms x 2 seeds, two processes at a
// time, the other arm held at BatCoder's sampled tokens, the summary table written; a
// second invocation reruns nothing but the run left unfinished, which it resumes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { repoRoot } from '../../src/util/paths.js';

const cli = join(repoRoot(), 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'batcoder-experiment-'));
const out = join(tmp, 'exp');
const trainFlags = ['--quick', '--sft-steps', '2', '--sft-tasks', '40', '--eval-tasks', '1', '--dynamic-sampling', 'none', '--log-rollouts', '0'];

function experiment(): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [cli, 'experiment', '--arms', 'batcoder,freeze-stage1', '--seeds', '2', '--steps', '1', '--equal-compute', 'tokens', '--out', out, '--', ...trainFlags], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

const lastStep = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.phase === 1 && m.eval === undefined).at(-1);

test('two arms x two seeds at equal sampled tokens, then a second invocation that resumes only the unfinished run', () => {
  const r = experiment();
  assert.is(r.status, 0, r.out);
  for (const seed of [1, 2]) {
    const bat = lastStep(join(out, 'batcoder', `seed-${seed}`));
    const frozen = lastStep(join(out, 'freeze-stage1', `seed-${seed}`));
    assert.is(bat.step, 1);
    // the frozen arm sampled at least BatCoder's tokens and stopped at the step that crossed them
    assert.ok(frozen.total_sampled_tokens >= bat.total_sampled_tokens, `${frozen.total_sampled_tokens} vs ${bat.total_sampled_tokens}`);
    assert.ok(frozen.total_sampled_tokens - frozen.sampled_tokens < bat.total_sampled_tokens);
    const cfg = JSON.parse(readFileSync(join(out, 'freeze-stage1', `seed-${seed}`, 'config.json'), 'utf8'));
    assert.is(cfg.maxSampledTokens, bat.total_sampled_tokens);
    assert.is(cfg.seed, seed);
    assert.ok(cfg.freezeStage1);
  }
  const md = readFileSync(join(out, 'summary.md'), 'utf8');
  assert.match(md, /Held equal: sampled tokens/);
  assert.match(md, /\| metric \| start \| batcoder \| freeze-stage1 \| batcoder - freeze-stage1 \|/);
  assert.match(md, /\| sampled tokens \| - \| \d+ \[/);
  const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.is(json.results.length, 4);
  assert.ok(existsSync(join(out, 'logs', 'batcoder-seed-2.log')));
  // one run interrupted after its last checkpoint (no final evaluation yet): only it resumes
  unlinkSync(join(out, 'freeze-stage1', 'seed-2', 'eval-final.json'));
  const again = experiment();
  assert.is(again.status, 0, again.out);
  assert.is(again.out.match(/already finished/g)?.length, 3, again.out);
  assert.match(again.out, /freeze-stage1-seed-2: resuming/);
  assert.ok(existsSync(join(out, 'freeze-stage1', 'seed-2', 'eval-final.json')));
  assert.match(readFileSync(join(out, 'logs', 'freeze-stage1-seed-2.log'), 'utf8'), /resumed .* at phase 1/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
