// Checkpoint directories in Hugging Face's layout: either one `model.safetensors`, or shards
// `model-00001-of-0000N.safetensors` plus `model.safetensors.index.json` whose `weight_map` says
// which shard holds each tensor. Parameter names are kept exactly as given (HF names such as
// `model.layers.0.self_attn.q_proj.weight`), so a directory written here loads in `transformers`
// and one from the Hub loads here.
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeJsonAtomic } from './atomic.js';
import {
  SafetensorsError, SafetensorsFile, isFile, tensorBytes, writeSafetensors,
  type LoadedTensor, type ReadOptions, type TensorInput, type WriteOptions,
} from './safetensors.js';
import { assertFinite } from './finite.js';

export const SINGLE_FILE = 'model.safetensors';
export const INDEX_FILE = 'model.safetensors.index.json';
/** transformers refuses safetensors files whose metadata lacks a known "format"; "pt" is what it writes. */
export const DEFAULT_METADATA: Readonly<Record<string, string>> = { format: 'pt' };
/** Hugging Face's default shard size. */
export const DEFAULT_MAX_SHARD_BYTES = 5_000_000_000;

/** Throw unless `t` exists and has exactly `shape`; the error names the file and the tensor. */
export function expectShape(t: LoadedTensor | undefined, shape: readonly number[], file: string, name: string): LoadedTensor {
  if (!t) throw new SafetensorsError(file, 'missing tensor', name);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new SafetensorsError(file, `wrong shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`, name);
  }
  return t;
}

/** A loaded checkpoint: the tensors, which file each came from, and the first file's metadata. */
export class Checkpoint {
  constructor(
    readonly source: string,
    readonly tensors: Map<string, LoadedTensor>,
    readonly fileOf: Map<string, string>,
    readonly metadata: Record<string, string> | undefined,
  ) {}

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  /** The tensor, checked against `shape` when given and for NaN/Inf; errors name the file and tensor. */
  get(name: string, shape?: readonly number[]): LoadedTensor {
    const t = this.tensors.get(name);
    const file = this.fileOf.get(name) ?? this.source;
    if (!t) throw new SafetensorsError(file, 'missing tensor', name);
    if (shape) expectShape(t, shape, file, name);
    assertFinite(t.data, file, name);
    return t;
  }
}

/** Where each tensor lives: a single file or the shards listed in the index. */
async function resolveFiles(dirOrFile: string): Promise<{ source: string; weightMap: Map<string, string> | undefined; files: string[] }> {
  if (dirOrFile.endsWith('.safetensors') && (await isFile(dirOrFile))) {
    return { source: dirOrFile, weightMap: undefined, files: [dirOrFile] };
  }
  // Like transformers: a single model.safetensors wins over an index beside it.
  const single = join(dirOrFile, SINGLE_FILE);
  if (await isFile(single)) return { source: single, weightMap: undefined, files: [single] };
  const indexPath = join(dirOrFile, INDEX_FILE);
  if (await isFile(indexPath)) {
    let index: unknown;
    try {
      index = JSON.parse(await readFile(indexPath, 'utf8'));
    } catch (e) {
      throw new SafetensorsError(indexPath, `corrupt index: ${(e as Error).message}`);
    }
    const wm = (index as { weight_map?: unknown } | null)?.weight_map;
    if (typeof wm !== 'object' || wm === null || Array.isArray(wm)) {
      throw new SafetensorsError(indexPath, 'corrupt index: no "weight_map" object');
    }
    const weightMap = new Map<string, string>();
    for (const [name, shard] of Object.entries(wm)) {
      // A shard is a file name beside the index, never a path (a hostile index must not make us
      // read elsewhere).
      if (typeof shard !== 'string' || shard !== basename(shard) || shard === '..' || shard === '.' || shard === '') {
        throw new SafetensorsError(indexPath, `corrupt index: shard ${JSON.stringify(shard)} is not a file name`, name);
      }
      weightMap.set(name, join(dirOrFile, shard));
    }
    return { source: indexPath, weightMap, files: [...new Set(weightMap.values())] };
  }
  throw new SafetensorsError(dirOrFile, `no ${SINGLE_FILE} or ${INDEX_FILE} found`);
}

/**
 * Load a checkpoint from a directory (single file or sharded) or from one .safetensors file.
 * With `names`, only those tensors are read (each must exist). F16/BF16 become Float32Array
 * unless `raw`.
 */
export async function loadCheckpointDir(
  dirOrFile: string,
  opts: ReadOptions & { names?: readonly string[] } = {},
): Promise<Checkpoint> {
  const { source, weightMap, files } = await resolveFiles(dirOrFile);
  const tensors = new Map<string, LoadedTensor>();
  const fileOf = new Map<string, string>();
  let metadata: Record<string, string> | undefined;
  const wanted = opts.names ? new Set(opts.names) : undefined;
  if (wanted && weightMap) {
    for (const n of wanted) if (!weightMap.has(n)) throw new SafetensorsError(source, 'missing tensor', n);
  }
  for (const file of files) {
    const f = await SafetensorsFile.open(file);
    try {
      if (file === files[0]) metadata = f.metadata;
      // In a sharded checkpoint the index decides which tensors a shard provides.
      const names = weightMap ? [...weightMap].filter(([, s]) => s === file).map(([n]) => n) : f.names();
      for (const name of names) {
        if (wanted && !wanted.has(name)) continue;
        if (!f.tensors.has(name)) {
          throw new SafetensorsError(file, `missing tensor (listed in ${INDEX_FILE})`, name);
        }
        tensors.set(name, await f.read(name, opts));
        fileOf.set(name, file);
      }
    } finally {
      await f.close();
    }
  }
  if (wanted) for (const n of wanted) if (!tensors.has(n)) throw new SafetensorsError(source, 'missing tensor', n);
  return new Checkpoint(source, tensors, fileOf, metadata);
}

export interface CheckpointWriteOptions extends WriteOptions {
  /** Safetensors `__metadata__` for every file (default {format: "pt"}). */
  metadata?: Record<string, string>;
  /** Split into shards of at most this many bytes of data (a single bigger tensor gets its own shard). */
  maxShardBytes?: number;
}

/**
 * Write model weights into `dir` (created if needed) in HF layout. Each file is written
 * atomically; in the sharded case the index is written last, and leftover model files from an
 * earlier save that the new index does not name are removed afterwards. For a checkpoint that
 * is replaced as one unit, use saveTrainingCheckpoint.
 */
export async function writeCheckpointDir(
  dir: string,
  tensors: ReadonlyMap<string, TensorInput> | Readonly<Record<string, TensorInput>>,
  opts: CheckpointWriteOptions = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const metadata = opts.metadata ?? { ...DEFAULT_METADATA };
  const max = opts.maxShardBytes ?? DEFAULT_MAX_SHARD_BYTES;
  const list = (tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors)).sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
  );
  const floatDtype = opts.dtype ?? 'F32';
  // Greedy shard planning in name order (what transformers does too, modulo its order).
  const shards: [string, TensorInput][][] = [[]];
  let cur = 0;
  let total = 0;
  for (const entry of list) {
    const size = tensorBytes(entry[1], floatDtype);
    total += size;
    if (cur > 0 && cur + size > max) {
      shards.push([]);
      cur = 0;
    }
    shards[shards.length - 1]!.push(entry);
    cur += size;
  }
  const written: string[] = [];
  if (shards.length === 1) {
    const path = join(dir, SINGLE_FILE);
    await writeSafetensors(path, new Map(shards[0]), metadata, opts);
    written.push(path);
    await unlink(join(dir, INDEX_FILE)).catch(() => {});
  } else {
    const n = shards.length;
    const pad = (i: number) => String(i).padStart(5, '0');
    const weightMap: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const name = `model-${pad(i + 1)}-of-${pad(n)}.safetensors`;
      await writeSafetensors(join(dir, name), new Map(shards[i]), metadata, opts);
      for (const [t] of shards[i]!) weightMap[t] = name;
      written.push(join(dir, name));
    }
    await writeJsonAtomic(join(dir, INDEX_FILE), { metadata: { total_size: total }, weight_map: weightMap });
    written.push(join(dir, INDEX_FILE));
    await unlink(join(dir, SINGLE_FILE)).catch(() => {});
  }
  // Remove shards of an earlier, differently sharded save.
  const keep = new Set(written.map((p) => basename(p)));
  for (const name of await readdir(dir)) {
    if (/^model-\d{5}-of-\d{5}\.safetensors$/.test(name) && !keep.has(name)) await unlink(join(dir, name)).catch(() => {});
  }
  return written;
}
