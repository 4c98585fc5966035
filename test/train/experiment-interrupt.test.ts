// `kill -INT <runner>` (not the whole process group, as a scheduler or `timeout -s INT`
// sends it) stops an experiment: the runner forwards the signal to its runs, which
// checkpoint and exit unfinished; the runner says how to resume and exits non-zero. Before,
// the runs never heard of it and the runner waited for them to train to the end.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { repoRoot } from '../../src/util/paths.js';

const cli = join(repoRoot(), 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'batcoder-exp-interrupt-'));
const out = join(tmp, 'exp');
const run = join(out, 'batcoder', 'seed-1');
const steps = 30; // the signal goes after phase-1 step 1; the run stops after the step in flight

const phase1Steps = () =>
  existsSync(join(run, 'metrics.jsonl'))
    ? readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').filter((l) => l.includes('"phase":1') && !l.includes('"eval"')).length
    : 0;

test('SIGINT to the runner alone stops its runs at a checkpoint', async () => {
  const args = [cli, 'experiment', '--arms', 'batcoder', '--seeds', '1', '--steps', String(steps), '--out', out, '--', '--quick', '--sft-steps', '2', '--sft-tasks', '40', '--eval-tasks', '1', '--dynamic-sampling', 'none', '--log-rollouts', '0'];
  const r = await new Promise<{ status: number | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    const poll = setInterval(() => {
      if (phase1Steps() >= 1) {
        clearInterval(poll);
        child.kill('SIGINT'); // the runner's pid only
      }
    }, 200);
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(poll);
      resolve({ status, out: text });
    });
  });
  assert.is.not(r.status, 0, r.out);
  assert.match(r.out, /interrupted: rerun the same command to resume/);
  assert.not.ok(existsSync(join(run, 'eval-final.json')), 'the run trained to its end: it never got the signal');
  const state = JSON.parse(readFileSync(join(run, 'checkpoint', 'training_state.json'), 'utf8'));
  assert.ok(state.phase === 1 && state.step >= 1 && state.step < steps, JSON.stringify(state));
  assert.match(readFileSync(join(out, 'logs', 'batcoder-seed-1.log'), 'utf8'), /interrupt: finishing the step/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
