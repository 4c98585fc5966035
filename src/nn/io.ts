// Model <-> Hugging Face checkpoint directory (config.json + model.safetensors or shards).
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Gpu } from '../gpu/index.js';
import * as T from '../tensor/index.js';
import type { Tensor } from '../tensor/index.js';
import { loadCheckpointDir, writeCheckpointDir, writeJsonAtomic, type TensorInput } from '../checkpoint/index.js';
import { checkConfig, type ModelConfig } from './config.js';
import { Transformer } from './model.js';

export async function readConfig(dir: string): Promise<ModelConfig> {
  const path = join(dir, 'config.json');
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read model config (${(e as Error).message})`);
  }
  let json: ModelConfig;
  try {
    json = JSON.parse(raw) as ModelConfig;
  } catch (e) {
    throw new Error(`${path}: invalid JSON (${(e as Error).message})`);
  }
  return checkConfig(json, path);
}

/** Load config.json + weights from `dir` onto the GPU (f16/bf16 weights become f32). */
export async function loadModel(gpu: Gpu, dir: string): Promise<Transformer> {
  const config = await readConfig(dir);
  const shapes = Transformer.parameterShapes(config);
  const ckpt = await loadCheckpointDir(dir, { names: shapes.map(([n]) => n) });
  const params = new Map<string, Tensor>();
  for (const [name, shape] of shapes) {
    const t = ckpt.get(name, shape);
    if (!(t.data instanceof Float32Array)) throw new Error(`${ckpt.fileOf.get(name) ?? dir}: tensor '${name}' has dtype ${t.dtype}, expected a float type`);
    params.set(name, T.tensor(gpu, t.data, shape, 'f32', { name }));
  }
  return new Transformer(gpu, config, params);
}

/** Read every parameter back from the GPU, as checkpoint inputs. */
export async function modelTensors(model: Transformer): Promise<Map<string, TensorInput>> {
  const out = new Map<string, TensorInput>();
  for (const [name, t] of model.params) out.set(name, { shape: t.shape, data: await t.toFloat32Array() });
  return out;
}

/** Write config.json + model.safetensors into `dir` (created if needed); dtype F32, F16 or BF16 on disk. */
export async function saveModel(model: Transformer, dir: string, dtype: 'F32' | 'F16' | 'BF16' = 'F32'): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeCheckpointDir(dir, await modelTensors(model), { dtype });
  await writeJsonAtomic(join(dir, 'config.json'), configJson(model, dtype));
}

/** The Hugging Face config.json of `model` with its weights stored as `dtype`. */
export function configJson(model: Transformer, dtype: 'F32' | 'F16' | 'BF16' = 'F32'): Record<string, unknown> {
  return { ...model.config, architectures: ['Qwen2ForCausalLM'], torch_dtype: dtype === 'F32' ? 'float32' : dtype === 'F16' ? 'float16' : 'bfloat16' };
}
