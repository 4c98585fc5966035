// `train --init DIR --phase0-only` continues phase 0 (supervised) on DIR's model and its
// tokenizer instead of starting phase 1: how a longer warm start builds on the shipped one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { repoRoot } from '../../src/util/paths.js';

const cli = join(repoRoot(), 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'batcoder-phase0-'));
const small = ['--quick', '--sft-tasks', '40', '--eval-tasks', '0', '--checkpoint-every', '1', '--phase0-only'];

function train(args: string[]): string {
  const r = spawnSync(process.execPath, [cli, 'train', ...args], { encoding: 'utf8', timeout: 600_000 });
  const out = r.stdout + r.stderr;
  assert.is(r.status, 0, out);
  return out;
}

test('--init with --phase0-only runs phase 0 on that model, keeps its tokenizer, and never starts phase 1', () => {
  train([...small, '--sft-steps', '2', '--out', join(tmp, 'a'), '--export', join(tmp, 'A')]);
  const out = train([...small, '--sft-steps', '3', '--init', join(tmp, 'A'), '--out', join(tmp, 'b'), '--export', join(tmp, 'B')]);
  assert.match(out, /phase 0 continues on it/);
  assert.not.match(out, /phase 1: BatCoder/);
  const rows = readFileSync(join(tmp, 'b', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.filter((r) => r.phase === 0 && r.loss !== undefined).map((r) => r.step), [1, 2, 3]);
  assert.is(rows.filter((r) => r.phase === 1).length, 0);
  // the tokenizer is the init's (no new BPE), the weights moved
  assert.is(readFileSync(join(tmp, 'B', 'tokenizer.json'), 'utf8'), readFileSync(join(tmp, 'A', 'tokenizer.json'), 'utf8'));
  assert.not.equal(readFileSync(join(tmp, 'B', 'model.safetensors')), readFileSync(join(tmp, 'A', 'model.safetensors')));
});

test.run();
