// Loading and saving a model directory in Hugging Face layout: config.json +
// model.safetensors.
//
// TEMPORARY: the safetensors code here is a minimal stand-in (single file; F32/F16/BF16
// read, F32 write; header checked for offsets and sizes) until src/checkpoint is merged;
// then loadModel/saveModel keep their signatures and call loadCheckpointDir /
// writeCheckpointDir instead (sharded checkpoints, atomic writes).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Gpu } from '../gpu/index.js';
import { checkConfig, type ModelConfig } from '../nn/config.js';
import { Transformer } from '../nn/model.js';
import * as T from '../tensor/index.js';

export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

function bf16ToF32(u: Uint16Array): Float32Array {
  const out = new Uint32Array(u.length);
  for (let i = 0; i < u.length; i++) out[i] = u[i] << 16;
  return new Float32Array(out.buffer);
}

/** Parse a safetensors buffer into f32 host tensors (errors name the file and tensor). */
export function parseSafetensors(buf: Uint8Array, file: string): Map<string, HostTensor> {
  if (buf.length < 8) throw new Error(`${file}: truncated (${buf.length} bytes, no header length)`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (n > buf.length - 8) throw new Error(`${file}: header length ${n} exceeds the file (${buf.length} bytes)`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`${file}: header is not valid JSON (${(e as Error).message})`);
  }
  const data = buf.subarray(8 + n);
  const out = new Map<string, HostTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const size = { F32: 4, F16: 2, BF16: 2 }[info.dtype as 'F32'];
    if (!size) throw new Error(`${file}: tensor '${name}': unsupported dtype ${info.dtype}`);
    const count = info.shape.reduce((a, b) => a * b, 1);
    const [b, e] = info.data_offsets;
    if (!(b >= 0 && e >= b && e <= data.length)) throw new Error(`${file}: tensor '${name}': data offsets [${b}, ${e}] outside the data section (${data.length} bytes)`);
    if (e - b !== count * size) throw new Error(`${file}: tensor '${name}': ${e - b} bytes for shape [${info.shape}] of ${info.dtype}`);
    const raw = data.slice(b, e);
    let f: Float32Array;
    if (info.dtype === 'F32') f = new Float32Array(raw.buffer, raw.byteOffset, count);
    else if (info.dtype === 'F16') f = T.f16ToF32(new Uint16Array(raw.buffer, raw.byteOffset, count));
    else f = bf16ToF32(new Uint16Array(raw.buffer, raw.byteOffset, count));
    out.set(name, { shape: info.shape, data: f });
  }
  return out;
}

/** Serialise f32 host tensors (sorted by name, 8-byte aligned header as safetensors writes it). */
export function serializeSafetensors(tensors: Map<string, HostTensor>): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const n of names) {
    const t = tensors.get(n)!;
    header[n] = { dtype: 'F32', shape: t.shape, data_offsets: [off, off + t.data.byteLength] };
    off += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length + 8) % 8)) % 8);
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const n of names) {
    const d = tensors.get(n)!.data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), p);
    p += d.byteLength;
  }
  return out;
}

export async function readConfig(dir: string): Promise<ModelConfig> {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as Error).message})`);
  }
  return checkConfig(JSON.parse(text) as ModelConfig, file);
}

/** Load config.json + model.safetensors from `dir` onto the GPU. */
export async function loadModel(gpu: Gpu, dir: string): Promise<Transformer> {
  const config = await readConfig(dir);
  const file = join(dir, 'model.safetensors');
  const host = parseSafetensors(new Uint8Array(await readFile(file)), file);
  const params = new Map<string, T.Tensor>();
  for (const [name, shape] of Transformer.parameterShapes(config)) {
    const t = host.get(name);
    if (!t) throw new Error(`${file}: tensor '${name}' missing (expected shape [${shape.join(', ')}])`);
    if (t.shape.join() !== shape.join()) throw new Error(`${file}: tensor '${name}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
    params.set(name, T.tensor(gpu, t.data, shape));
  }
  return new Transformer(gpu, config, params);
}

/** Write the model's config.json and model.safetensors (f32) into `dir`. */
export async function saveModel(model: Transformer, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const host = new Map<string, HostTensor>();
  for (const [name, t] of model.params) host.set(name, { shape: t.shape, data: await t.toFloat32Array() });
  await writeFile(join(dir, 'config.json'), JSON.stringify(model.config, null, 2) + '\n');
  await writeFile(join(dir, 'model.safetensors'), serializeSafetensors(host));
}
