// Cross-check against an independent implementation: test/fixtures/checkpoint/python.safetensors
// was written by tools/gen-safetensors-fixture.py (plain Python + numpy; numpy rounds the F16
// values). We must read it exactly, and writing the same tensors back must give the same bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/util/paths.js';
import {
  readSafetensors, serializeSafetensors, SafetensorsFile, f32ToF16Array, f32ToBf16Array, type TensorInput,
} from '../../src/checkpoint/index.js';

const dir = join(repoRoot(), 'test', 'fixtures', 'checkpoint');
const file = join(dir, 'python.safetensors');
const expected = JSON.parse(readFileSync(join(dir, 'python.expected.json'), 'utf8'));
const src = new Float32Array(new Uint32Array(expected.f32_source_bits).buffer);

test('reads every tensor written by the Python reference', async () => {
  const f = await SafetensorsFile.open(file);
  assert.equal(f.metadata, expected.metadata);
  await f.close();
  const t = await readSafetensors(file);
  const bits = (a: Float32Array) => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];
  assert.equal(t.get('model.f32')!.shape, [8, 8]);
  assert.equal(bits(t.get('model.f32')!.data as Float32Array), expected.f32_source_bits);
  const raw = await readSafetensors(file, { raw: true });
  assert.equal([...(raw.get('model.f16')!.data as Uint16Array)], expected.f16_bits);
  assert.equal([...(raw.get('model.bf16')!.data as Uint16Array)], expected.bf16_bits);
  assert.equal([...(t.get('model.f64')!.data as Float64Array)], expected.f64);
  assert.equal([...(t.get('model.i64')!.data as BigInt64Array)].map(String), expected.i64);
  assert.equal([...(t.get('model.i32')!.data as Int32Array)], [-3, -2, -1, 0, 1, 2]);
  assert.equal(t.get('model.i32')!.shape, [2, 3]);
  assert.equal([...(t.get('model.i16')!.data as Int16Array)], [-32768, 32767]);
  assert.equal([...(t.get('model.i8')!.data as Int8Array)], [-128, 127]);
  assert.equal([...(t.get('model.u8')!.data as Uint8Array)], [0, 7, 255]);
  assert.equal([...(t.get('model.mask')!.data as Uint8Array)], [1, 0, 1]);
  assert.equal(t.get('scalar')!.shape, []);
  assert.equal([...(t.get('scalar')!.data as Float32Array)], [2.5]);
});

test('our f32 -> f16 / bf16 rounding matches numpy and the Python bit arithmetic', () => {
  assert.equal([...f32ToF16Array(src)], expected.f16_bits);
  assert.equal([...f32ToBf16Array(src)], expected.bf16_bits);
});

test('and matches PyTorch\'s .half() / .to(bfloat16) (NaN encodings may differ, both must be NaN)', () => {
  assert.ok(expected.torch_version, 'fixture made with torch');
  const ours16 = f32ToF16Array(src);
  const oursBf = f32ToBf16Array(src);
  const isNanF16 = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
  const isNanBf = (h: number) => (h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0;
  for (let i = 0; i < src.length; i++) {
    const t16: number = expected.torch_f16_bits[i];
    const tbf: number = expected.torch_bf16_bits[i];
    if (Number.isNaN(src[i]!)) {
      assert.ok(isNanF16(ours16[i]!) && isNanF16(t16) && isNanBf(oursBf[i]!) && isNanBf(tbf), `NaN at ${i}`);
      continue;
    }
    assert.is(ours16[i], t16, `f16 of ${src[i]}`);
    assert.is(oursBf[i], tbf, `bf16 of ${src[i]}`);
  }
});

test('writing the loaded tensors back reproduces the Python file byte for byte', async () => {
  const t = await readSafetensors(file);
  const input = new Map<string, TensorInput>();
  for (const [name, v] of t) input.set(name, { shape: v.shape, data: v.data, dtype: v.dtype });
  const bytes = serializeSafetensors(input, expected.metadata);
  assert.equal(bytes, new Uint8Array(readFileSync(file)));
});

test.run();
