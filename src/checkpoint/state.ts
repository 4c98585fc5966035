// Training checkpoints: model weights (HF layout) + optimizer moments (optimizer.safetensors) +
// a JSON training state (step, RNG state, data position, anything else) + optional JSON files
// such as config.json, saved as ONE unit.
//
// The whole checkpoint is built in a fresh sibling directory and then swapped in with renames,
// so a crash never leaves a directory mixing two saves or a half-written file:
//   1. write everything into `<dir>.tmp-<pid>-<rand>` (each file fsynced),
//   2. if `<dir>` exists rename it to `<dir>.old-<pid>-<rand>`,
//   3. rename the temp directory to `<dir>`, fsync the parent, delete the old one.
// Between 2 and 3 only the `.old-` copy exists; loadTrainingCheckpoint falls back to it
// (checkpointLocation says so), and a crash during 1 leaves a `.tmp-` directory that is never
// read and that removeStaleTemps deletes when the next run starts.
// Every float tensor is checked finite on save and on load (finite.ts): a diverged run cannot
// write a poisoned checkpoint, and a poisoned file is refused with the tensor named.
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fsyncDir, writeJsonAtomic } from './atomic.js';
import { loadCheckpointDir, writeCheckpointDir, type Checkpoint, type CheckpointWriteOptions } from './checkpoint.js';
import { readSafetensors, writeSafetensors, type LoadedTensor, type TensorInput } from './safetensors.js';
import { assertFinite } from './finite.js';

export const STATE_FILE = 'training_state.json';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
const STATE_FORMAT = 'batcoder-training-state/1';

/** Where training stands. Any extra JSON-serialisable fields are kept as they are. */
export interface TrainingState {
  step: number;
  /** RNG state (whatever the trainer's generator serialises to). */
  rng?: unknown;
  /** Position in the data stream (epoch, index, shuffle seed...). */
  dataPosition?: unknown;
  [key: string]: unknown;
}

/** Write training_state.json atomically into `dir`. */
export async function writeTrainingState(dir: string, state: TrainingState): Promise<void> {
  if (!Number.isSafeInteger(state.step) || state.step < 0) throw new Error(`training state: step must be a non-negative integer, got ${state.step}`);
  await writeJsonAtomic(join(dir, STATE_FILE), { format: STATE_FORMAT, ...state });
}

/** Read training_state.json from `dir`; errors name the file. */
export async function readTrainingState(dir: string): Promise<TrainingState> {
  const path = join(dir, STATE_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: cannot read training state (${(e as Error).message})`);
  }
  const o = json as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || o['format'] !== STATE_FORMAT) throw new Error(`${path}: not a ${STATE_FORMAT} file`);
  if (!Number.isSafeInteger(o['step'])) throw new Error(`${path}: "step" is not an integer`);
  const { format: _format, ...state } = o;
  return state as TrainingState;
}

type Tensors = ReadonlyMap<string, TensorInput> | Readonly<Record<string, TensorInput>>;

export interface TrainingCheckpoint {
  /** Model weights, HF names. */
  model: Tensors;
  /** Optimizer moments (e.g. `<param>.exp_avg`, `<param>.exp_avg_sq`), always stored in F32. */
  optimizer?: Tensors;
  state?: TrainingState;
  /** Extra JSON files written beside the weights, e.g. {"config.json": {...}}. */
  json?: Record<string, unknown>;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/** Save a full training checkpoint into `dir`, replacing any previous one as a unit. */
export async function saveTrainingCheckpoint(dir: string, ckpt: TrainingCheckpoint, opts: CheckpointWriteOptions = {}): Promise<void> {
  for (const [part, file] of [[ckpt.model, 'model.safetensors'], [ckpt.optimizer, OPTIMIZER_FILE]] as const) {
    const entries = part instanceof Map ? [...part] : Object.entries(part ?? {});
    for (const [name, t] of entries) if (typeof t.data !== 'function') assertFinite(t.data, `${dir}/${file} (refusing to save)`, name);
  }
  const parent = dirname(dir);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `${basename(dir)}.tmp-${tag}`);
  await mkdir(parent, { recursive: true });
  await mkdir(tmp);
  try {
    await writeCheckpointDir(tmp, ckpt.model, opts);
    if (ckpt.optimizer) await writeSafetensors(join(tmp, OPTIMIZER_FILE), ckpt.optimizer, { format: 'pt' }, { dtype: 'F32' });
    for (const [name, value] of Object.entries(ckpt.json ?? {})) {
      if (name !== basename(name)) throw new Error(`checkpoint json file name ${JSON.stringify(name)} must be a plain file name`);
      await writeJsonAtomic(join(tmp, name), value);
    }
    if (ckpt.state) await writeTrainingState(tmp, ckpt.state);
    await fsyncDir(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const old = join(parent, `${basename(dir)}.old-${tag}`);
  const hadOld = await exists(dir);
  if (hadOld) await rename(dir, old);
  await rename(tmp, dir);
  await fsyncDir(parent);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/** Sibling directories of `dir` named `<base><infix><tag>`. */
async function siblings(dir: string, infix: string): Promise<string[]> {
  const prefix = `${basename(dir)}${infix}`;
  return (await readdir(dirname(dir)).catch(() => [] as string[])).filter((n) => n.startsWith(prefix)).map((n) => join(dirname(dir), n));
}

/**
 * Where the checkpoint `dir` can be read: `dir` itself, or (fallback) the complete `.old-`
 * copy a crash between the two renames of a save left behind; null when neither exists.
 */
export async function checkpointLocation(dir: string): Promise<{ dir: string; fallback: boolean } | null> {
  if (await exists(dir)) return { dir, fallback: false };
  const olds = await siblings(dir, '.old-');
  if (olds.length === 1) return { dir: olds[0]!, fallback: true };
  if (olds.length > 1) throw new Error(`${dir}: missing, and ${olds.length} candidate copies exist (${olds.map((o) => basename(o)).join(', ')}): keep the one to resume from as ${basename(dir)}`);
  return null;
}

/** Delete the `.tmp-` directories of saves that never finished (a crash while writing); returns them. */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  const tmps = await siblings(dir, '.tmp-');
  for (const t of tmps) await rm(t, { recursive: true, force: true });
  return tmps;
}

async function resolveDir(dir: string): Promise<string> {
  const loc = await checkpointLocation(dir);
  if (!loc) throw new Error(`${dir}: no such checkpoint directory`);
  return loc.dir;
}

export interface LoadedTrainingCheckpoint {
  dir: string;
  model: Checkpoint;
  optimizer: Map<string, LoadedTensor> | undefined;
  state: TrainingState | undefined;
}

/** Load what saveTrainingCheckpoint wrote (optimizer/state are undefined when absent). */
export async function loadTrainingCheckpoint(dir: string): Promise<LoadedTrainingCheckpoint> {
  const d = await resolveDir(dir);
  const model = await loadCheckpointDir(d);
  for (const name of model.tensors.keys()) model.get(name); // finite, or an error naming file and tensor
  const optPath = join(d, OPTIMIZER_FILE);
  const optimizer = (await exists(optPath)) ? await readSafetensors(optPath) : undefined;
  for (const [name, t] of optimizer ?? []) assertFinite(t.data, optPath, name);
  const state = (await exists(join(d, STATE_FILE))) ? await readTrainingState(d) : undefined;
  return { dir: d, model, optimizer, state };
}

