// Checkpoint directories: single file and sharded loading, missing tensors / wrong shapes naming
// file and tensor, atomic writes under failure, training state beside the weights.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  writeCheckpointDir, loadCheckpointDir, saveTrainingCheckpoint, loadTrainingCheckpoint, writeFileAtomic,
  writeSafetensors, readTrainingState, writeTrainingState, INDEX_FILE, SINGLE_FILE, type TensorInput,
} from '../../src/checkpoint/index.js';
import { rejectsWith } from './util.js';

const root = mkdtempSync(join(tmpdir(), 'batcoder-ckpt-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

function model(seed: number): Map<string, TensorInput> {
  const m = new Map<string, TensorInput>();
  const shapes: [string, number[]][] = [
    ['model.embed_tokens.weight', [16, 8]],
    ['model.layers.0.self_attn.q_proj.weight', [8, 8]],
    ['model.layers.0.self_attn.q_proj.bias', [8]],
    ['model.layers.0.mlp.gate_proj.weight', [12, 8]],
    ['model.norm.weight', [8]],
    ['lm_head.weight', [16, 8]],
  ];
  let s = seed;
  for (const [name, shape] of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    const d = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      d[i] = s / 2 ** 32 - 0.5;
    }
    m.set(name, { shape, data: d });
  }
  return m;
}

test('single-file checkpoint: HF names kept, format metadata, expectShape errors', async () => {
  const dir = join(root, 'single', 'nested'); // created by the writer
  const m = model(1);
  await writeCheckpointDir(dir, m);
  assert.equal(readdirSync(dir), [SINGLE_FILE]);
  const ck = await loadCheckpointDir(dir);
  assert.equal(ck.metadata, { format: 'pt' });
  assert.equal([...ck.tensors.keys()].sort(), [...m.keys()].sort());
  for (const [name, t] of m) assert.equal(ck.get(name, t.shape).data, t.data);
  const file = join(dir, SINGLE_FILE);
  assert.throws(() => ck.get('model.layers.1.mlp.up_proj.weight'), (e: Error) =>
    e.message === `${file}: tensor 'model.layers.1.mlp.up_proj.weight': missing tensor`);
  assert.throws(() => ck.get('model.norm.weight', [16]), (e: Error) =>
    e.message === `${file}: tensor 'model.norm.weight': wrong shape [8], expected [16]`);
  // loading a file path directly works too, and `names` restricts what is read
  const one = await loadCheckpointDir(file, { names: ['lm_head.weight'] });
  assert.equal([...one.tensors.keys()], ['lm_head.weight']);
  await rejectsWith(() => loadCheckpointDir(dir, { names: ['nope'] }), /tensor 'nope': missing tensor/);
  await rejectsWith(() => loadCheckpointDir(join(root, 'does-not-exist')), /no model\.safetensors or model\.safetensors\.index\.json/);
});

test('sharded checkpoint: index written, loads identically, re-save unshards cleanly', async () => {
  const dir = join(root, 'sharded');
  mkdirSync(dir);
  const m = model(2);
  const written = await writeCheckpointDir(dir, m, { maxShardBytes: 300, dtype: 'F16' });
  const files = readdirSync(dir).sort();
  assert.ok(files.length > 3, files.join(','));
  assert.ok(files.includes(INDEX_FILE));
  assert.ok(files.every((f) => f === INDEX_FILE || /^model-\d{5}-of-\d{5}\.safetensors$/.test(f)));
  assert.is(written.length, files.length);
  const index = JSON.parse(readFileSync(join(dir, INDEX_FILE), 'utf8'));
  assert.equal(Object.keys(index.weight_map).sort(), [...m.keys()].sort());
  // F16 on disk: total_size counts 2 bytes per element
  const elems = [...m.values()].reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0);
  assert.is(index.metadata.total_size, elems * 2);
  const ck = await loadCheckpointDir(dir);
  assert.equal([...ck.tensors.keys()].sort(), [...m.keys()].sort());
  for (const [name, t] of m) {
    const got = ck.get(name, t.shape);
    assert.is(got.dtype, 'F16');
    const want = t.data as Float32Array;
    const d = got.data as Float32Array;
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(d[i]! - want[i]!) <= 2 ** -11 * Math.abs(want[i]!) + 2 ** -24);
    assert.ok(ck.fileOf.get(name)!.endsWith(index.weight_map[name]));
  }
  // A tensor listed in the index but absent from its shard names that shard.
  const victim = 'model.norm.weight';
  const shard = join(dir, index.weight_map[victim]);
  const others = new Map([...m].filter(([n]) => index.weight_map[n] === index.weight_map[victim] && n !== victim));
  await writeSafetensors(shard, others, { format: 'pt' });
  await rejectsWith(() => loadCheckpointDir(dir), new RegExp(`${shard}: tensor 'model\\.norm\\.weight': missing tensor \\(listed in model\\.safetensors\\.index\\.json\\)`));
  // A hostile index cannot point outside the directory.
  writeFileSync(join(dir, INDEX_FILE), JSON.stringify({ weight_map: { x: '../../etc/passwd' } }));
  await rejectsWith(() => loadCheckpointDir(dir), /model\.safetensors\.index\.json: tensor 'x': corrupt index: shard "\.\.\/\.\.\/etc\/passwd" is not a file name/);
  writeFileSync(join(dir, INDEX_FILE), '{"weight_map": 3');
  await rejectsWith(() => loadCheckpointDir(dir), /model\.safetensors\.index\.json: corrupt index/);
  // Saving again unsharded removes the index and the old shards.
  await writeCheckpointDir(dir, m);
  assert.equal(readdirSync(dir), [SINGLE_FILE]);
});

test('atomic write: a failure mid-write leaves the old file and no temporary file', async () => {
  const dir = join(root, 'atomic');
  mkdirSync(dir);
  const p = join(dir, 'model.safetensors');
  await writeSafetensors(p, { w: { shape: [2], data: new Float32Array([1, 2]) } });
  const before = readFileSync(p);
  // Lazy data lets a tensor be produced while the file is written; make the second one fail.
  await rejectsWith(
    () => writeSafetensors(p, {
      a: { shape: [1000], data: new Float32Array(1000).fill(3) },
      b: { shape: [4], dtype: 'F32', data: () => { throw new Error('GPU readback failed'); } },
    }),
    /GPU readback failed/,
  );
  assert.equal(readFileSync(p), before, 'old file intact');
  assert.equal(readdirSync(dir), ['model.safetensors'], 'temporary file removed');
  // A lazily produced tensor of the wrong size is caught too, and also leaves nothing behind.
  await rejectsWith(
    () => writeSafetensors(p, { b: { shape: [4], dtype: 'F32', data: () => new Float32Array(3) } }),
    /tensor 'b': data has 3 elements but shape \[4\] needs 4/,
  );
  assert.equal(readdirSync(dir), ['model.safetensors']);
  await rejectsWith(() => writeFileAtomic(join(dir, 'x.json'), async (write) => { await write(new Uint8Array(10)); throw new Error('disk full'); }), /disk full/);
  assert.equal(readdirSync(dir), ['model.safetensors']);
  // Lazy data that succeeds is written like eager data.
  await writeSafetensors(p, { b: { shape: [2], dtype: 'BF16', data: async () => new Float32Array([1, -2]) } });
  const ck = await loadCheckpointDir(p);
  assert.equal(ck.get('b').data, new Float32Array([1, -2]));
});

test('training checkpoint: weights + optimizer + state + config saved and replaced as a unit', async () => {
  const dir = join(root, 'runs', 'step-100');
  const m = model(3);
  const opt = new Map<string, TensorInput>();
  for (const [name, t] of m) {
    opt.set(`${name}.exp_avg`, { shape: t.shape, data: (t.data as Float32Array).map((x) => x * 0.1) });
    opt.set(`${name}.exp_avg_sq`, { shape: t.shape, data: (t.data as Float32Array).map((x) => x * x) });
  }
  const state = { step: 100, rng: { s: [1, 2, 3, 4] }, dataPosition: { epoch: 1, index: 4242 }, lr: 3e-4 };
  await saveTrainingCheckpoint(dir, { model: m, optimizer: opt, state, json: { 'config.json': { hidden_size: 8 } } }, { dtype: 'BF16' });
  assert.equal(readdirSync(dir).sort(), ['config.json', 'model.safetensors', 'optimizer.safetensors', 'training_state.json']);
  const got = await loadTrainingCheckpoint(dir);
  assert.equal(got.state, state);
  assert.is(got.model.get('lm_head.weight').dtype, 'BF16');
  assert.is(got.optimizer!.get('lm_head.weight.exp_avg_sq')!.dtype, 'F32', 'moments stay f32');
  assert.equal(got.optimizer!.get('lm_head.weight.exp_avg')!.data, opt.get('lm_head.weight.exp_avg')!.data);
  // Replacing: a failure while building the new one leaves the old checkpoint untouched.
  const bad = new Map(m);
  bad.set('boom', { shape: [1], dtype: 'F32', data: () => { throw new Error('crash during save'); } });
  await rejectsWith(() => saveTrainingCheckpoint(dir, { model: bad, state: { step: 200 } }), /crash during save/);
  assert.equal((await readTrainingState(dir)).step, 100);
  assert.equal(readdirSync(join(root, 'runs')), ['step-100'], 'no temp dirs left');
  // A successful replace swaps everything (no stale optimizer file from the old save).
  await saveTrainingCheckpoint(dir, { model: m, state: { step: 200 } });
  assert.equal(readdirSync(dir).sort(), ['model.safetensors', 'training_state.json']);
  assert.equal(readdirSync(join(root, 'runs')), ['step-100']);
  // A crash between the two renames leaves only the .old- copy: loading falls back to it.
  renameSync(dir, `${dir}.old-123-abcdef01`);
  assert.is((await loadTrainingCheckpoint(dir)).state!.step, 200);
  assert.ok(!existsSync(dir));
});

test('training state validation', async () => {
  const dir = join(root, 'state');
  mkdirSync(dir);
  await rejectsWith(() => writeTrainingState(dir, { step: -1 }), /step must be a non-negative integer/);
  writeFileSync(join(dir, 'training_state.json'), '{"step": 1}');
  await rejectsWith(() => readTrainingState(dir), /training_state\.json: not a batcoder-training-state\/1 file/);
  writeFileSync(join(dir, 'training_state.json'), '{"step": ');
  await rejectsWith(() => readTrainingState(dir), /training_state\.json: cannot read training state/);
});

test.run();
