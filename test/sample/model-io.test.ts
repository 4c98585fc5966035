// Model directories: save/load round trip (config + weights), and errors that name the
// file and the tensor for truncated files, bad offsets, missing tensors and wrong shapes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from '../nn/helpers.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getGpu } from '../../src/gpu/index.js';
import { loadModel, saveModel } from '../../src/nn/io.js';
import { readSafetensors, writeSafetensors, type TensorInput } from '../../src/checkpoint/index.js';
import * as T from '../../src/tensor/index.js';
import { randomModel } from '../nn/helpers.js';


test('save then load gives the same config, weights and logits', async () => {
  const gpu = await getGpu();
  const dir = await mkdtemp(join(tmpdir(), 'batcoder-model-'));
  try {
    const m = randomModel(gpu);
    await saveModel(m, dir);
    const back = await loadModel(gpu, dir);
    const { architectures: _a, torch_dtype: _d, ...cfg } = back.config;
    assert.equal(cfg, m.config);
    for (const [n, p] of m.params) assert.equal(await back.p(n).toArray(), await p.toArray(), n);
    const ids = Int32Array.from([3, 1, 4, 1, 5]);
    const a = await T.noGrad(() => m.forward(ids, 1, 5)).toArray();
    const b = await T.noGrad(() => back.forward(ids, 1, 5)).toArray();
    assert.equal(b, a);
    m.dispose();
    back.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('corrupt, truncated, incomplete or mis-shaped files name the file and tensor', async () => {
  const gpu = await getGpu();
  const dir = await mkdtemp(join(tmpdir(), 'batcoder-model-'));
  try {
    const m = randomModel(gpu);
    await saveModel(m, dir);
    m.dispose();
    const file = join(dir, 'model.safetensors');
    const good = new Uint8Array(await readFile(file));
    // truncated: the header promises more data than the file holds
    await writeFile(file, good.subarray(0, good.length - 4));
    await rejects(() => loadModel(gpu, dir), /model\.safetensors: .*(truncated|offset|beyond|end)/i);
    // header not JSON
    const bad = good.slice();
    bad[8] = 0x21; // "!" where the JSON object opens
    await writeFile(file, bad);
    await rejects(() => loadModel(gpu, dir), /model\.safetensors: .*JSON/);
    // drop one tensor
    await writeFile(file, good);
    const host = new Map<string, TensorInput>([...(await readSafetensors(file))].map(([n, t]) => [n, { shape: t.shape, data: t.data as Float32Array }]));
    host.delete('model.layers.1.mlp.up_proj.weight');
    await writeSafetensors(file, host);
    await rejects(() => loadModel(gpu, dir), /model\.safetensors: tensor 'model\.layers\.1\.mlp\.up_proj\.weight': missing/);
    // wrong shape
    host.set('model.layers.1.mlp.up_proj.weight', { shape: [48, 32], data: new Float32Array(48 * 32) });
    host.set('model.norm.weight', { shape: [31], data: new Float32Array(31) });
    await writeSafetensors(file, host);
    await rejects(() => loadModel(gpu, dir), /tensor 'model\.norm\.weight'.*\[31\].*\[32\]/);
    await rejects(() => loadModel(gpu, join(dir, 'nope')), /config\.json: cannot read/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
