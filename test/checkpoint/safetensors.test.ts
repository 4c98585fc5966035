// safetensors: round trips for every dtype, validation of hostile files, errors naming file and tensor.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readSafetensors, writeSafetensors, serializeSafetensors, SafetensorsFile, readSafetensorsMetadata,
  fromFloat16Bits, toFloat16Bits, fromBfloat16Bits, toBfloat16Bits, type TensorInput,
} from '../../src/checkpoint/index.js';
import { rejectsWith } from './util.js';

const dir = mkdtempSync(join(tmpdir(), 'batcoder-st-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function seeded(n: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 8;
  }
  return out;
}

/** Build a file from a raw header object and data bytes (for hostile-file tests). */
function rawFile(name: string, header: unknown, data: Uint8Array, lenOverride?: bigint): string {
  const h = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const buf = new Uint8Array(8 + h.length + data.length);
  new DataView(buf.buffer).setBigUint64(0, lenOverride ?? BigInt(h.length), true);
  buf.set(h, 8);
  buf.set(data, 8 + h.length);
  const p = join(dir, name);
  writeFileSync(p, buf);
  return p;
}

test('round trip of every dtype, with metadata', async () => {
  const f = seeded(24, 1);
  const tensors: Record<string, TensorInput> = {
    'model.f64': { shape: [3], data: new Float64Array([1.5, -2.25, Math.PI]) },
    'model.f32': { shape: [2, 3, 4], data: f },
    'model.f16': { shape: [24], data: f, dtype: 'F16' },
    'model.bf16': { shape: [4, 6], data: f, dtype: 'BF16' },
    'model.i64': { shape: [2], data: new BigInt64Array([-(2n ** 62n), 7n]) },
    'model.i32': { shape: [3], data: new Int32Array([-1, 0, 2 ** 31 - 1]) },
    'model.i16': { shape: [2], data: new Int16Array([-32768, 5]) },
    'model.i8': { shape: [2], data: new Int8Array([-128, 127]) },
    'model.u64': { shape: [1], data: new BigUint64Array([2n ** 64n - 1n]) },
    'model.u32': { shape: [1], data: new Uint32Array([4e9]) },
    'model.u16': { shape: [1], data: new Uint16Array([65535]) },
    'model.u8': { shape: [2], data: new Uint8Array([0, 255]) },
    'model.bool': { shape: [2], data: new Uint8Array([1, 0]), dtype: 'BOOL' },
    'scalar': { shape: [], data: new Float32Array([42]) },
    'empty': { shape: [0, 5], data: new Float32Array(0) },
  };
  const p = join(dir, 'all.safetensors');
  await writeSafetensors(p, tensors, { format: 'pt', note: 'hello' });
  const bytes = readFileSync(p);
  const n = Number(bytes.readBigUInt64LE(0));
  assert.is((8 + n) % 8, 0, 'data section 8-byte aligned');
  assert.equal(await readSafetensorsMetadata(p), { format: 'pt', note: 'hello' });
  const got = await readSafetensors(p);
  assert.equal([...got.keys()].sort(), Object.keys(tensors).sort());
  assert.equal(got.get('model.f32')!.data, f);
  assert.equal(got.get('model.f32')!.shape, [2, 3, 4]);
  assert.is(got.get('model.f16')!.dtype, 'F16');
  assert.ok(got.get('model.f16')!.data instanceof Float32Array);
  assert.equal([...got.get('model.f16')!.data as Float32Array], [...f].map((x) => fromFloat16Bits(toFloat16Bits(x))));
  assert.equal([...got.get('model.bf16')!.data as Float32Array], [...f].map((x) => fromBfloat16Bits(toBfloat16Bits(x))));
  for (const name of Object.keys(tensors)) {
    if (name === 'model.f16' || name === 'model.bf16') continue;
    assert.equal(Array.from(got.get(name)!.data as ArrayLike<unknown>), Array.from(tensors[name]!.data as ArrayLike<unknown>), name);
  }
  assert.is(got.get('model.bool')!.dtype, 'BOOL');
  assert.equal(got.get('scalar')!.shape, []);
  // raw keeps the 16-bit patterns
  const raw = await readSafetensors(p, { raw: true });
  assert.ok(raw.get('model.f16')!.data instanceof Uint16Array);
  assert.is((raw.get('model.f16')!.data as Uint16Array)[0], toFloat16Bits(f[0]!));
  // in-memory serialisation is byte-identical to the file
  assert.equal(serializeSafetensors(tensors, { format: 'pt', note: 'hello' }), new Uint8Array(bytes));
});

test('writeSafetensors: global dtype option and input validation', async () => {
  const p = join(dir, 'half.safetensors');
  const w = seeded(10, 2);
  await writeSafetensors(p, new Map([['w', { shape: [10], data: w }], ['ids', { shape: [2], data: new Int32Array([1, 2]) }]]), undefined, { dtype: 'BF16' });
  const f = await SafetensorsFile.open(p);
  assert.is(f.info('w').dtype, 'BF16');
  assert.is(f.info('ids').dtype, 'I32');
  assert.is(f.metadata, undefined);
  await f.close();
  await rejectsWith(() => writeSafetensors(p, { w: { shape: [3, 4], data: w } }), /half\.safetensors: tensor 'w': data has 10 elements but shape \[3, 4\] needs 12/);
  await rejectsWith(() => writeSafetensors(p, { w: { shape: [10], data: w, dtype: 'I32' } }), /tensor 'w': Float32Array cannot be stored as I32/);
});

async function rejects(path: string, re: RegExp): Promise<void> {
  let msg = '';
  try {
    await readSafetensors(path);
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.ok(msg.startsWith(path + ':'), `message names the file: ${msg}`);
  assert.match(msg, re);
}

test('rejects corrupt headers', async () => {
  const d8 = new Uint8Array(8);
  await rejects(rawFile('empty-header.safetensors', '', new Uint8Array(0)), /corrupt header: not valid UTF-8 JSON/);
  writeFileSync(join(dir, 'short.safetensors'), new Uint8Array(5));
  await rejects(join(dir, 'short.safetensors'), /truncated: 5 bytes/);
  await rejects(rawFile('huge-len.safetensors', '{}', d8, 2n ** 60n), /header length \d+ exceeds/);
  await rejects(rawFile('past-end.safetensors', '{}', d8, 1000n), /truncated: header length 1000/);
  await rejects(rawFile('notjson.safetensors', '{"a": [', new Uint8Array(0)), /corrupt header: not valid UTF-8 JSON/);
  await rejects(rawFile('array.safetensors', '[1,2]', new Uint8Array(0)), /corrupt header/);
  await rejects(rawFile('badutf8.safetensors', '{"\xff": 1}', new Uint8Array(0)), /corrupt header/);
  await rejects(
    rawFile('dtype.safetensors', { w: { dtype: 'F8_E9M9', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2)),
    /tensor 'w': corrupt header: unknown dtype "F8_E9M9"/,
  );
  await rejects(
    rawFile('shape.safetensors', { w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)),
    /tensor 'w': corrupt header: shape \[-1\]/,
  );
  await rejects(
    rawFile('size.safetensors', { w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, d8),
    /tensor 'w': corrupt header: shape \[3\] of F32 needs 12 bytes but data_offsets cover 8/,
  );
  await rejects(
    rawFile('offs.safetensors', { w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, d8),
    /tensor 'w': corrupt header: data_offsets \[4,0\]/,
  );
  await rejects(
    rawFile('meta.safetensors', { __metadata__: { a: 1 } }, new Uint8Array(0)),
    /__metadata__\.a is not a string/,
  );
});

test('rejects truncated data, overlaps, gaps and trailing bytes', async () => {
  const good = serializeSafetensors({ a: { shape: [4], data: seeded(4, 3) }, b: { shape: [4], data: seeded(4, 4) } });
  const p = join(dir, 'trunc.safetensors');
  writeFileSync(p, good.subarray(0, good.length - 3));
  await rejects(p, /tensor 'b': corrupt header: data_offsets \[16, 32\] run past the end of the data \(29 bytes; file truncated\?\)/);
  await rejects(
    rawFile('overlap.safetensors', { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, new Uint8Array(12)),
    /tensor 'b': data_offsets \[4, 12\] overlap the previous tensor/,
  );
  await rejects(
    rawFile('gap.safetensors', { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, new Uint8Array(12)),
    /tensor 'b': data_offsets \[8, 12\] leave a gap after byte 4/,
  );
  await rejects(
    rawFile('trailing.safetensors', { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(9)),
    /cover 4 bytes of data but the data section has 9/,
  );
  // A file that is shortened after it was opened: the read itself names file and tensor.
  const q = join(dir, 'shrinks.safetensors');
  writeFileSync(q, good);
  const f = await SafetensorsFile.open(q);
  writeFileSync(q, good.subarray(0, good.length - 8));
  await rejectsWith(() => f.read('b'), new RegExp(`${q}: tensor 'b': truncated`));
  await rejectsWith(() => f.read('zzz'), new RegExp(`${q}: tensor 'zzz': missing tensor`));
  await f.close();
});

test('hostile bytes never crash with anything but a SafetensorsError', async () => {
  const good = serializeSafetensors({ a: { shape: [2, 2], data: seeded(4, 5) }, 'b.c': { shape: [3], data: new Int32Array([1, 2, 3]) } }, { x: 'y' });
  let s = 99;
  for (let i = 0; i < 300; i++) {
    const b = new Uint8Array(good);
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const flips = 1 + (s % 4);
    for (let k = 0; k < flips; k++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      b[s % b.length] ^= 1 << (s % 8);
    }
    const p = join(dir, 'fuzz.safetensors');
    writeFileSync(p, b.subarray(0, i % 7 === 0 ? s % b.length : b.length));
    try {
      await readSafetensors(p);
    } catch (e) {
      assert.is((e as Error).name, 'SafetensorsError', (e as Error).stack);
    }
  }
});

test.run();
