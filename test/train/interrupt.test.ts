// A run stopped by Ctrl-C is unfinished: it checkpoints, exits non-zero and does not
// export, so nothing downstream (the experiment runner's phase 0 checks for the exported
// model) can take it for the trained one; `--resume` then finishes it, bit for bit as if
// never stopped, and exports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { repoRoot } from '../../src/util/paths.js';

const cli = join(repoRoot(), 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'batcoder-interrupt-'));
const run = join(tmp, 'run');
const exported = join(tmp, 'model');
const steps = 30; // the signal lands within 200 ms of step 1 and stops the run after the step in flight

const trainArgs = (out: string, model: string) => ['--quick', '--sft-tasks', '40', '--eval-tasks', '0', '--phase0-only', '--sft-steps', String(steps), '--out', out, '--export', model];

/** Start phase 0 and send SIGINT once its first step is logged; resolves with status and output. */
function trainInterrupted(): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const args = [cli, 'train', ...trainArgs(run, exported)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    const onData = (d: Buffer) => {
      out += d.toString();
      // the metrics file gets a row per step; the signal goes after the first one
      if (!sent && existsSync(join(run, 'metrics.jsonl')) && readFileSync(join(run, 'metrics.jsonl'), 'utf8').includes('"step":1')) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const poll = setInterval(() => onData(Buffer.alloc(0)), 200);
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(poll);
      resolve({ status, out });
    });
  });
}

test('Ctrl-C in phase 0: checkpoint, exit 130, no export; --resume finishes and exports', async () => {
  const r = await trainInterrupted();
  assert.is(r.status, 130, r.out);
  assert.match(r.out, /interrupted: not exporting/);
  assert.not.ok(existsSync(join(exported, 'model.safetensors')), 'an interrupted run was exported');
  const state = JSON.parse(readFileSync(join(run, 'checkpoint', 'training_state.json'), 'utf8'));
  assert.ok(state.step >= 1 && state.step < steps, `checkpoint at step ${state.step}`);
  const done = spawnSync(process.execPath, [cli, 'train', '--resume', run, '--export', exported], { encoding: 'utf8' });
  assert.is(done.status, 0, done.stdout + done.stderr);
  assert.ok(existsSync(join(exported, 'model.safetensors')));
  const losses = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.phase === 0 && m.loss !== undefined);
  assert.is(losses(run).at(-1).step, steps);
  // `--resume` alone kept it a phase-0-only run (config.json says so): no phase 1 started
  assert.not.match(done.stdout + done.stderr, /phase 1: BatCoder/);
  assert.is(readFileSync(join(run, 'metrics.jsonl'), 'utf8').includes('"phase":1'), false);
  assert.is(JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')).phase0Only, true);
  // and exactly where an uninterrupted run would be: every step's loss, the exported weights
  const straight = join(tmp, 'straight');
  const full = spawnSync(process.execPath, [cli, 'train', ...trainArgs(straight, join(tmp, 'model-straight'))], { encoding: 'utf8' });
  assert.is(full.status, 0, full.stdout + full.stderr);
  assert.equal(losses(run).map((m) => [m.step, m.loss]), losses(straight).map((m) => [m.step, m.loss]));
  assert.ok(readFileSync(join(exported, 'model.safetensors')).equals(readFileSync(join(tmp, 'model-straight', 'model.safetensors'))), 'the resumed run exported other weights');
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
