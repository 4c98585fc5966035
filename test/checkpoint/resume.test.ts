// What a crashed or diverged run leaves behind: a save killed between its two renames
// resumes from the complete `.old-` copy (and says it is a fallback), unfinished `.tmp-`
// directories are removed, and non-finite weights or optimizer state are refused on save
// and on load with the file and tensor named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, renameSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  saveTrainingCheckpoint, loadTrainingCheckpoint, checkpointLocation, removeStaleTemps, writeSafetensors, writeCheckpointDir, loadCheckpointDir,
  type TensorInput,
} from '../../src/checkpoint/index.js';
import { rejectsWith } from './util.js';

const root = mkdtempSync(join(tmpdir(), 'batcoder-resume-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const weights = (x: number) => new Map<string, TensorInput>([['w', { shape: [2], data: new Float32Array([x, 1]) }]]);

test('a save interrupted between its renames: resume falls back to the .old- copy and says so', async () => {
  const dir = join(root, 'a', 'checkpoint');
  await saveTrainingCheckpoint(dir, { model: weights(0.5), state: { step: 3 } });
  assert.equal(await checkpointLocation(dir), { dir, fallback: false });
  renameSync(dir, `${dir}.old-123-abcd`); // step 2 of a save done, step 3 not
  const loc = await checkpointLocation(dir);
  assert.equal(loc, { dir: `${dir}.old-123-abcd`, fallback: true });
  const ck = await loadTrainingCheckpoint(dir);
  assert.is(ck.state!.step, 3);
  assert.is(await checkpointLocation(join(root, 'a', 'nothing')), null);
});

test('unfinished .tmp- directories are removed, the checkpoint is kept', async () => {
  const dir = join(root, 'b', 'checkpoint');
  await saveTrainingCheckpoint(dir, { model: weights(0.5), state: { step: 1 } });
  mkdirSync(`${dir}.tmp-99-dead`);
  writeFileSync(join(`${dir}.tmp-99-dead`, 'model.safetensors'), 'torn');
  const removed = await removeStaleTemps(dir);
  assert.equal(removed, [`${dir}.tmp-99-dead`]);
  assert.not.ok(existsSync(`${dir}.tmp-99-dead`));
  assert.ok(existsSync(join(dir, 'model.safetensors')));
});

test('non-finite weights or moments are refused on save, nothing replaced', async () => {
  const dir = join(root, 'c', 'checkpoint');
  await saveTrainingCheckpoint(dir, { model: weights(0.5), state: { step: 1 } });
  await rejectsWith(() => saveTrainingCheckpoint(dir, { model: weights(NaN), state: { step: 2 } }), /model\.safetensors \(refusing to save\): tensor 'w': element 0 is NaN/);
  const moments = new Map<string, TensorInput>([['w.exp_avg_sq', { shape: [2], data: new Float32Array([1, Infinity]) }]]);
  await rejectsWith(() => saveTrainingCheckpoint(dir, { model: weights(0.5), optimizer: moments, state: { step: 2 } }), /optimizer\.safetensors \(refusing to save\): tensor 'w\.exp_avg_sq': element 1 is Infinity/);
  assert.is((await loadTrainingCheckpoint(dir)).state!.step, 1);
});

test('non-finite tensors in a file are refused on load (model: also for `sample`, via loadCheckpointDir)', async () => {
  const dir = join(root, 'd');
  await writeCheckpointDir(dir, weights(NaN));
  const ck = await loadCheckpointDir(dir);
  await rejectsWith(async () => ck.get('w', [2]), /model\.safetensors: tensor 'w': element 0 is NaN/);
  await rejectsWith(() => loadTrainingCheckpoint(dir), /model\.safetensors: tensor 'w': element 0 is NaN/);
  const ok = join(root, 'e');
  await writeCheckpointDir(ok, weights(0.5));
  await writeSafetensors(join(ok, 'optimizer.safetensors'), new Map([['w.exp_avg', { shape: [2], data: new Float32Array([NaN, 0]) }]]));
  await rejectsWith(() => loadTrainingCheckpoint(ok), /optimizer\.safetensors: tensor 'w\.exp_avg': element 0 is NaN/);
});

test.run();
