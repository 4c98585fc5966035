// Per-adapter kernel variant choice.
//
// A kernel with tunable tile parameters asks `matmulConfigFor(gpu, shape)` for its variant.
// The answer comes from an on-disk cache written by `tuneMatmul()` (run by `batcoder bench
// --tune`, or by a user once per machine), keyed by the adapter's identity (vendor,
// architecture, device, driver description, backend) and a coarse shape class. Without a
// cache entry a default for the adapter type is used, so nothing depends on tuning having run.
//
// Cache file: $BATCODER_CACHE/autotune.json, else ~/.cache/batcoder/autotune.json.
// BATCODER_AUTOTUNE=off ignores the cache (tests set it so results never depend on it).
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { homedir } from 'node:os';
import type { Gpu } from '../gpu/device.js';
import { resolveKernelFamily } from '../gpu/family.js';

export interface MatmulConfig {
  /** output rows per thread */
  tm: number;
  /** output columns per thread (multiple of 4: one vec4 accumulator per 4 columns) */
  tn: number;
  /** workgroup shape (x along columns, y along rows) */
  wgx: number;
  wgy: number;
  /** K unroll (multiple of 4 allows vec4 loads along K) */
  ku: number;
  /** stage tiles in workgroup memory */
  shared: boolean;
}

/**
 * Best measured on lavapipe (2 cores, AVX2): see bench/results. A workgroup one row of threads
 * high (wgy = 1) makes every thread's rows uniform across the workgroup, which measured
 * 10-20% faster at N=1024 than an 8x8 workgroup (7.3 vs 6.1 GFLOP/s NN, same run).
 */
export const DEFAULT_MATMUL_CONFIG: MatmulConfig = { tm: 4, tn: 8, wgx: 8, wgy: 1, ku: 4, shared: false };
/** Depth of the K slices the workgroup-memory variant (`shared: true`) stages per barrier. */
export const SHARED_BK = 16;
/** A conventional GPU tiling (64x64 tile, 4x4 per thread, workgroup memory). */
export const GPU_MATMUL_CONFIG: MatmulConfig = { tm: 4, tn: 4, wgx: 16, wgy: 16, ku: 4, shared: true };

export interface MatmulShape {
  M: number;
  N: number;
  K: number;
  transA?: boolean;
  transB?: boolean;
}

function bucket(x: number): string {
  if (x <= 8) return 'xs';
  if (x <= 64) return 's';
  if (x <= 512) return 'm';
  return 'l';
}

/** Shapes in one class share a tuned variant. */
export function matmulShapeClass(s: MatmulShape): string {
  return `${s.transA ? 'T' : 'N'}${s.transB ? 'T' : 'N'}:${bucket(s.M)}:${bucket(s.N)}:${bucket(s.K)}`;
}

/** The cache key: the adapter's identity, plus the kernel family when it is not the adapter's own (a forced family tunes apart). */
export function adapterKey(gpu: Gpu): string {
  let key = adapterKeys.get(gpu);
  if (key === undefined) {
    const i = gpu.info;
    const own = resolveKernelFamily('auto', i.software);
    key = [i.vendor, i.architecture, i.device, i.description, i.backend].join('|') + (gpu.kernelFamily === own ? '' : `|kernels=${gpu.kernelFamily}`);
    adapterKeys.set(gpu, key);
  }
  return key;
}
/** a device's adapter and family never change: its key is made once (matmulConfigFor asks on every matmul) */
const adapterKeys = new WeakMap<Gpu, string>();

export function cacheFile(): string {
  const dir = process.env.BATCODER_CACHE ? process.env.BATCODER_CACHE : join(homedir(), '.cache', 'batcoder');
  return join(dir, 'autotune.json');
}

type CacheShape = Record<string, Record<string, MatmulConfig>>; // adapterKey -> class -> config
let cache: CacheShape | null = null;

function loadCache(): CacheShape {
  if (cache) return cache;
  cache = {};
  if (process.env.BATCODER_AUTOTUNE === 'off') return cache;
  try {
    const f = cacheFile();
    if (existsSync(f)) {
      const j = JSON.parse(readFileSync(f, 'utf8')) as { matmul?: CacheShape };
      if (j && typeof j === 'object' && j.matmul && typeof j.matmul === 'object') cache = j.matmul;
    }
  } catch {
    // a corrupt cache only costs speed
    cache = {};
  }
  return cache;
}

function validConfig(c: unknown): c is MatmulConfig {
  const x = c as MatmulConfig;
  return !!x && [x.tm, x.tn, x.wgx, x.wgy, x.ku].every((v) => Number.isInteger(v) && v > 0 && v <= 64) && x.tn % 4 === 0 && typeof x.shared === 'boolean';
}

export function defaultMatmulConfig(gpu: Gpu): MatmulConfig {
  return gpu.kernelFamily === 'lavapipe' ? DEFAULT_MATMUL_CONFIG : GPU_MATMUL_CONFIG;
}

/** The variant to use for this shape on this adapter (cache, else default). */
export function matmulConfigFor(gpu: Gpu, s: MatmulShape): MatmulConfig {
  const hit = loadCache()[adapterKey(gpu)]?.[matmulShapeClass(s)];
  if (hit && validConfig(hit)) return hit;
  return defaultMatmulConfig(gpu);
}

/** Forget the in-memory cache (after a tune, or for tests). */
export function resetAutotuneCache(): void {
  cache = null;
}

export function configName(c: MatmulConfig): string {
  return `${c.tm}x${c.tn} wg${c.wgx}x${c.wgy} k${c.ku}${c.shared ? ' smem' : ''}`;
}

/**
 * Candidate variants: register-blocked shapes around what fits in registers, plus
 * workgroup-memory tilings up to 128 x 128 outputs per workgroup (8 x 8 per thread, 16 x 16
 * threads: the tile size at which fp32 GEMMs on discrete GPUs stop being bound by workgroup-memory
 * loads). The gpu family lists the workgroup-memory tilings first, so a tune with a time budget
 * (`bench --tune --tune-budget MS`) tries them before the register-only shapes; lavapipe the
 * other way round. A tiling whose staged K slices do not fit the adapter's workgroup memory is
 * left out.
 */
export function matmulCandidates(gpu: Gpu): MatmulConfig[] {
  const reg: MatmulConfig[] = [];
  const smem: MatmulConfig[] = [];
  const maxInv = gpu.limits.maxComputeInvocationsPerWorkgroup;
  const maxShared = gpu.limits.maxComputeWorkgroupStorageSize;
  for (const [tm, tn] of [[4, 4], [4, 8], [8, 4], [2, 8], [4, 12], [6, 8], [8, 8]]) {
    for (const [wgx, wgy] of [[8, 8], [16, 4], [4, 16], [16, 16], [8, 1], [16, 1], [32, 1]]) {
      for (const ku of [4, 8]) {
        if (wgx * wgy <= maxInv) reg.push({ tm, tn, wgx, wgy, ku, shared: false });
      }
    }
  }
  for (const [tm, tn, wgx, wgy] of [[4, 4, 16, 16], [8, 8, 8, 8], [4, 8, 16, 8], [8, 8, 16, 16], [4, 8, 16, 16], [8, 4, 16, 16], [8, 8, 16, 8]]) {
    // staged per K slice of SHARED_BK: (tm * wgy + tn * wgx) rows x SHARED_BK floats (ku is unused there)
    if (wgx * wgy <= maxInv && (tm * wgy + tn * wgx) * SHARED_BK * 4 <= maxShared) smem.push({ tm, tn, wgx, wgy, ku: 4, shared: true });
  }
  return gpu.kernelFamily === 'lavapipe' ? [...reg, ...smem] : [...smem, ...reg];
}

export interface TuneResult {
  shapeClass: string;
  best: MatmulConfig;
  ms: number;
  tried: { config: string; ms: number }[];
}

/**
 * Time `run(config)` for each candidate (one warm-up, then `reps` runs in one submission),
 * return the fastest. `run` records work on the GPU; timing is wall clock around sync().
 */
export async function timeCandidates<C>(gpu: Gpu, candidates: C[], run: (c: C) => void, reps = 3, budgetMs = Infinity): Promise<{ best: C; ms: number; tried: { c: C; ms: number }[] }> {
  const tried: { c: C; ms: number }[] = [];
  const t0 = performance.now();
  for (const c of candidates) {
    run(c);
    await gpu.sync();
    const s = performance.now();
    for (let i = 0; i < reps; i++) run(c);
    await gpu.sync();
    tried.push({ c, ms: (performance.now() - s) / reps });
    if (performance.now() - t0 > budgetMs) break;
  }
  tried.sort((a, b) => a.ms - b.ms);
  return { best: tried[0].c, ms: tried[0].ms, tried };
}

/**
 * Tune matmul for the given shapes: time each candidate, write the winners to the cache file.
 * `run(shape, config)` must dispatch one matmul of that shape with that config.
 */
export async function tuneMatmul(
  gpu: Gpu,
  shapes: MatmulShape[],
  run: (s: MatmulShape, c: MatmulConfig) => void,
  opts: { candidates?: MatmulConfig[]; reps?: number; budgetMsPerShape?: number; save?: boolean } = {},
): Promise<TuneResult[]> {
  const cands = opts.candidates ?? matmulCandidates(gpu);
  const results: TuneResult[] = [];
  for (const s of shapes) {
    const r = await timeCandidates(gpu, cands, (c) => run(s, c), opts.reps ?? 3, opts.budgetMsPerShape ?? Infinity);
    results.push({ shapeClass: matmulShapeClass(s), best: r.best, ms: r.ms, tried: r.tried.map((t) => ({ config: configName(t.c), ms: t.ms })) });
  }
  if (opts.save !== false) saveTuned(gpu, results);
  return results;
}

function saveTuned(gpu: Gpu, results: TuneResult[]): void {
  const f = cacheFile();
  let all: { matmul?: CacheShape } = {};
  try {
    if (existsSync(f)) all = JSON.parse(readFileSync(f, 'utf8'));
  } catch {
    all = {};
  }
  all.matmul ??= {};
  const key = adapterKey(gpu);
  all.matmul[key] ??= {};
  for (const r of results) all.matmul[key][r.shapeClass] = r.best;
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f, JSON.stringify(all, null, 2) + '\n');
  resetAutotuneCache();
}
