// The one place that owns the WebGPU device.
//
// Responsibilities: adapter choice and full limits, optional features, WGSL compile /
// validation errors as exceptions, device loss, a buffer pool, a pipeline cache,
// batching of dispatches into few submissions, uniform parameters from an arena, and
// asynchronous readback. Kernels (src/kernels/) take buffers from here and never see tensors.
//
// The dispatch path is kept cheap on the CPU because a training step records thousands of
// small dispatches: all dispatches between two submits share one compute pass and one
// uniform arena (written once per submit); a kernel's bind-group layout is made once, with
// the uniform block bound at a dynamic offset into the arena, so a bind group depends only
// on the storage buffers and is cached by them (`bench/dispatch.ts` measures each part).
import { chooseAdapter, adapterIsSoftware, type AdapterChoice } from './adapter.js';
import { BufferPool, type PoolStats } from './pool.js';
import { DeviceLostError, GpuError, ShaderError } from './errors.js';
import { requestedFamily, resolveKernelFamily, type KernelFamily, type KernelFamilyChoice } from './family.js';
import { awaitGpu, requestedWaitMode, resolveWaitMode, type WaitMode, type WaitModeChoice } from './wait.js';

export interface GpuOptions {
  /** substring of the adapter's name or backend; default $BATCODER_ADAPTER, else the best adapter */
  adapter?: string;
  /**
   * Drop Dawn's robustness (bounds clamping on every storage access) and validation.
   * +10-20% on lavapipe, but an out-of-bounds kernel then reads/writes garbage. Opt-in only.
   */
  unsafe?: boolean;
  /** wrap every dispatch in an error scope so a validation error names its kernel (slow) */
  debug?: boolean;
  /** kernel family (src/gpu/family.ts); default $BATCODER_KERNELS, else auto (by adapter type) */
  kernels?: KernelFamilyChoice;
  /** how to wait for the GPU (src/gpu/wait.ts); default $BATCODER_GPU_WAIT, else auto (sleep on software adapters) */
  wait?: WaitModeChoice;
}

/** A compiled compute pipeline plus what dispatch needs to know about it. */
export interface Kernel {
  readonly name: string;
  readonly pipeline: GPUComputePipeline;
  /** number of storage-buffer bindings (0..n-1); the uniform block, when present, is binding n */
  readonly storageBindings: number;
  readonly hasUniforms: boolean;
  /** group 0's layout (made once; looking it up per dispatch costs a Dawn call) */
  readonly layout: GPUBindGroupLayout;
  /** the uniform block is bound at a dynamic offset, so bind groups are cached by buffers */
  readonly dynamicUniforms: boolean;
  /** bind groups by the buffers (and ranges) they bind */
  readonly groups: Map<string, GPUBindGroup>;
}

export interface KernelSpec {
  name: string;
  code: string;
  /** number of storage buffers the shader declares at @binding(0..n-1) */
  storageBindings: number;
  /** the shader declares a uniform block at @binding(storageBindings) */
  uniforms?: boolean;
  entryPoint?: string;
  /** pipeline-overridable constants (WGSL `override` declarations) */
  constants?: Record<string, number>;
}

export type BufferArg = GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number };

/** Storage usage for every tensor buffer: readable, writable, copyable both ways. */
export const STORAGE_USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08; /* COPY_DST */
const MAP_READ_USAGE = 0x01 /* MAP_READ */ | 0x08; /* COPY_DST */
const UNIFORM_USAGE = 0x40 /* UNIFORM */ | 0x08; /* COPY_DST */

const UNIFORM_ARENA_BYTES = 1 << 18;
const MAX_DISPATCHES_PER_SUBMIT = 512;
/** bind groups cached per kernel before its cache is dropped and refilled */
const MAX_GROUPS_PER_KERNEL = 512;

export interface DeviceInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  backend: string;
  software: boolean;
  features: string[];
  limits: Record<string, number>;
}

export class Gpu {
  readonly device: GPUDevice;
  readonly info: DeviceInfo;
  readonly hasF16: boolean;
  readonly hasSubgroups: boolean;
  readonly hasTimestamps: boolean;
  readonly limits: GPUSupportedLimits;
  /** which kernel shapes to record (family.ts): 'gpu' on hardware adapters, 'lavapipe' on software ones, unless forced */
  readonly kernelFamily: KernelFamily;
  /** 'sleep' on software adapters (the CPU cores are the GPU's), 'spin' (Dawn's busy poll) on hardware, unless forced (wait.ts) */
  readonly waitMode: WaitMode;
  /** Dawn's instance object: holding it here keeps it alive as long as the device (see shared notes). */
  private readonly instance: GPU;

  private readonly storage: BufferPool;
  private readonly staging: BufferPool;
  private readonly pipelines = new Map<string, Kernel>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private pending = 0;
  private uniformArena: GPUBuffer;
  private uniformData: Uint8Array;
  private uniformUsed = 0;
  private uniformAlign: number;
  private errors: Error[] = [];
  private lost: DeviceLostError | null = null;
  private destroyed = false;
  private readonly debug: boolean;
  /** counters for benchmarks and tests (e.g. fusion must not add kernels) */
  readonly counters = { dispatches: 0, submits: 0, compiles: 0, reads: 0, writes: 0, bindGroups: 0 };

  private constructor(choice: AdapterChoice, device: GPUDevice, opts: GpuOptions) {
    this.instance = choice.gpu;
    this.device = device;
    this.debug = !!opts.debug;
    this.limits = device.limits;
    const features = [...device.features].map(String).sort();
    this.hasF16 = device.features.has('shader-f16');
    this.hasSubgroups = device.features.has('subgroups');
    this.hasTimestamps = device.features.has('timestamp-query');
    const limits: Record<string, number> = {};
    for (const k of LIMIT_NAMES) limits[k] = (device.limits as unknown as Record<string, number>)[k];
    this.info = { ...choice.info, software: adapterIsSoftware(choice.info), features, limits };
    const [family, source] = requestedFamily(opts);
    this.kernelFamily = resolveKernelFamily(family, this.info.software, source);
    const [wait, waitSource] = requestedWaitMode(opts);
    this.waitMode = resolveWaitMode(wait, this.info.software, waitSource);
    this.storage = new BufferPool(device, STORAGE_USAGE, 'storage');
    this.staging = new BufferPool(device, MAP_READ_USAGE, 'readback');
    this.uniformAlign = device.limits.minUniformBufferOffsetAlignment;
    this.uniformArena = device.createBuffer({ size: UNIFORM_ARENA_BYTES, usage: UNIFORM_USAGE, label: 'uniform-arena' });
    this.uniformData = new Uint8Array(UNIFORM_ARENA_BYTES);

    // Without a handler Dawn prints the error and carries on; we record it and throw it
    // from the next sync()/read() instead.
    device.onuncapturederror = (ev: GPUUncapturedErrorEvent) => {
      const e = ev.error;
      this.errors.push(new GpuError(`WebGPU ${e.constructor?.name ?? 'error'}: ${e.message}`));
    };
    device.lost.then((info) => {
      if (this.destroyed) return;
      this.lost = new DeviceLostError(info.reason ?? 'unknown', info.message || '(no message)');
      console.error(`batcoder: ${this.lost.message}`);
    });
  }

  static async create(opts: GpuOptions = {}): Promise<Gpu> {
    // a bad family name fails before the (slow) adapter search
    const [family, source] = requestedFamily(opts);
    resolveKernelFamily(family, false, source);
    const [wait, waitSource] = requestedWaitMode(opts);
    resolveWaitMode(wait, false, waitSource);
    const toggles = opts.unsafe ? ['enable-dawn-features=allow_unsafe_apis,disable_robustness,skip_validation'] : [];
    const choice = await chooseAdapter(opts.adapter ?? process.env.BATCODER_ADAPTER ?? '', toggles);
    const a = choice.adapter;
    // Ask for everything the adapter offers: the defaults (256 invocations, 16 KiB
    // workgroup memory, 128 MiB bindings) are lower than what lavapipe and GPUs give.
    const requiredLimits: Record<string, number> = {};
    for (const k of LIMIT_NAMES) {
      const v = (a.limits as unknown as Record<string, number>)[k];
      if (typeof v === 'number') requiredLimits[k] = v;
    }
    const want = ['shader-f16', 'subgroups', 'timestamp-query', 'subgroup-size-control'] as GPUFeatureName[];
    const requiredFeatures = want.filter((f) => a.features.has(f));
    const device = await a.requestDevice({ requiredLimits, requiredFeatures, label: 'batcoder' });
    const gpu = new Gpu(choice, device, opts);
    if (process.env.BATCODER_PROFILE && gpu.hasTimestamps) gpu.startProfile();
    return gpu;
  }

  // ---------------------------------------------------------------- buffers

  /** A storage buffer of at least `bytes` bytes from the pool (contents undefined). */
  alloc(bytes: number): GPUBuffer {
    this.check();
    return this.storage.acquire(bytes);
  }

  /** Return a buffer to the pool. Work already queued that uses it still sees its data. */
  free(buf: GPUBuffer): void {
    if (this.destroyed) return;
    this.storage.release(buf);
  }

  /** Copy host data into a buffer (at byte offset). */
  write(buf: GPUBuffer, data: ArrayBufferView, byteOffset = 0): void {
    this.check();
    // queue.writeBuffer runs before the next submit: if recorded-but-unsubmitted work
    // still reads this (recycled) buffer it would see the new data. Submit that first.
    if (this.pending) this.flush();
    let view = new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    if (view.byteLength % 4 !== 0 || data.buffer instanceof SharedArrayBuffer) {
      // writeBuffer wants 4-byte multiples and rejects SharedArrayBuffer-backed data.
      const padded = new Uint8Array(Math.ceil(view.byteLength / 4) * 4);
      padded.set(view);
      view = padded;
    }
    this.device.queue.writeBuffer(buf, byteOffset, view);
    this.counters.writes++;
  }

  /** Copy `bytes` from one buffer to another, in order with the dispatches. */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.check();
    this.endPass();
    this.enc().copyBufferToBuffer(src, srcOffset, dst, dstOffset, Math.ceil(bytes / 4) * 4);
    this.pending++;
  }

  /** Asynchronously read `bytes` bytes at `byteOffset` of a buffer back to the host. */
  async read(buf: GPUBuffer, byteOffset = 0, bytes = buf.size - byteOffset): Promise<ArrayBuffer> {
    this.check();
    const start = Math.floor(byteOffset / 4) * 4;
    const len = Math.ceil((byteOffset + bytes - start) / 4) * 4;
    const staging = this.staging.acquire(len);
    this.endPass();
    this.enc().copyBufferToBuffer(buf, start, staging, 0, len);
    this.pending++;
    this.flush();
    try {
      await awaitGpu(this.waitMode, () => staging.mapAsync(GPUMapMode.READ, 0, len));
    } catch (e) {
      this.check();
      throw new GpuError(`readback failed: ${(e as Error).message}`);
    }
    const out = staging.getMappedRange(0, len).slice(byteOffset - start, byteOffset - start + bytes);
    staging.unmap();
    this.staging.release(staging);
    this.counters.reads++;
    await Promise.all(this.compileChecks.splice(0));
    this.throwPending();
    return out;
  }

  // ---------------------------------------------------------------- kernels

  /**
   * Compile (or fetch from the cache) a compute pipeline. Synchronous so ops stay
   * synchronous; a compile error is raised at the next `sync()`/`read()` as a
   * ShaderError naming the shader. Use `compile()` to get it immediately.
   */
  kernel(spec: KernelSpec): Kernel {
    this.check();
    return this.pipeline(spec);
  }

  /**
   * The kernel that `make()` would describe, looked up by `key` alone: `make` (the WGSL
   * generator) runs only the first time a key is seen. The hot path of an op then costs one
   * short-string lookup instead of generating the shader text and hashing it (the key of
   * `kernel()` is the whole code). `key` must determine everything `make` returns.
   */
  kernelFor(key: string, make: () => KernelSpec): Kernel {
    this.check();
    let k = this.byKey.get(key);
    if (!k) this.byKey.set(key, (k = this.pipeline(make())));
    return k;
  }
  /** kernelFor's keys (a failed compile drops its entries with the pipeline) */
  private readonly byKey = new Map<string, Kernel>();

  private pipeline(spec: KernelSpec): Kernel {
    const key = cacheKey(spec);
    const hit = this.pipelines.get(key);
    if (hit) return hit;
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code: spec.code, label: spec.name });
    const entries = explicitLayout(spec);
    const explicit = entries ? this.device.createBindGroupLayout({ entries, label: spec.name }) : null;
    const pipeline = this.device.createComputePipeline({
      label: spec.name,
      layout: explicit ? this.device.createPipelineLayout({ bindGroupLayouts: [explicit], label: spec.name }) : 'auto',
      compute: { module, entryPoint: spec.entryPoint ?? 'main', constants: spec.constants },
    });
    const k: Kernel = {
      name: spec.name, pipeline, storageBindings: spec.storageBindings, hasUniforms: !!spec.uniforms,
      layout: explicit ?? pipeline.getBindGroupLayout(0), dynamicUniforms: !!explicit && !!spec.uniforms, groups: new Map(),
    };
    this.pipelines.set(key, k);
    this.counters.compiles++;
    const check = this.device.popErrorScope().then(async (err) => {
      if (!err) return;
      this.pipelines.delete(key);
      for (const [kk, v] of this.byKey) if (v === k) this.byKey.delete(kk);
      this.errors.push(await shaderError(spec.name, module, err.message));
    });
    this.compileChecks.push(check);
    return k;
  }
  private compileChecks: Promise<void>[] = [];

  /** Names of the kernels compiled on this device so far (tests check which family's pipelines ran). */
  kernelNames(): string[] {
    return [...this.pipelines.values()].map((k) => k.name);
  }

  /**
   * Per-kernel GPU time from timestamp queries (adapter feature 'timestamp-query').
   * Each dispatch then gets its own compute pass, so profiling perturbs batching a little.
   * Enable with BATCODER_PROFILE=1 or startProfile(); read with profile() after sync().
   */
  private profiler: KernelProfiler | null = null;

  startProfile(): void {
    if (!this.hasTimestamps) throw new GpuError('this adapter has no timestamp-query feature: cannot profile kernels');
    this.flush();
    this.profiler ??= new KernelProfiler(this.device);
  }

  /** Kernel name -> { count, total ms }, sorted by total time. */
  profile(): { name: string; count: number; ms: number }[] {
    if (!this.profiler) return [];
    return [...this.profiler.totals].map(([name, v]) => ({ name, count: v.count, ms: v.ns / 1e6 })).sort((a, b) => b.ms - a.ms);
  }

  /** Compile and wait for the verdict: throws ShaderError (naming the shader) on failure. */
  async compile(spec: KernelSpec): Promise<Kernel> {
    const k = this.kernel(spec);
    await Promise.all(this.compileChecks.splice(0));
    this.throwPending();
    return k;
  }

  /**
   * Record one dispatch. `buffers` bind to @binding(0..n-1) in group 0; `uniforms`
   * (raw bytes of the shader's uniform struct) to @binding(n). Dispatches are batched
   * into one command buffer and submitted at `flush()`, a read, or every 512 dispatches.
   */
  dispatch(k: Kernel, buffers: BufferArg[], workgroups: [number, number?, number?], uniforms?: ArrayBufferView): void {
    this.check();
    if (buffers.length !== k.storageBindings) {
      throw new GpuError(`kernel '${k.name}' takes ${k.storageBindings} storage buffers, got ${buffers.length}`);
    }
    const [x, y = 1, z = 1] = workgroups;
    const maxWg = this.limits.maxComputeWorkgroupsPerDimension;
    if (x > maxWg || y > maxWg || z > maxWg) {
      throw new GpuError(`kernel '${k.name}': workgroup grid [${x}, ${y}, ${z}] exceeds ${maxWg} per dimension (use grid() to fold it)`);
    }
    if (x === 0 || y === 0 || z === 0) return;
    if (k.hasUniforms && !uniforms) throw new GpuError(`kernel '${k.name}' needs its uniform parameters`);
    // the arena offset first: pushing may submit (a full arena), which never invalidates groups
    const uniformOffset = k.hasUniforms ? this.pushUniforms(uniforms!) : 0;
    const uniformSize = k.hasUniforms ? Math.ceil(uniforms!.byteLength / 16) * 16 : 0;
    if (this.debug) this.device.pushErrorScope('validation');
    let group: GPUBindGroup;
    if (k.dynamicUniforms || !k.hasUniforms) {
      // the group binds the arena at offset 0; the dispatch passes this call's offset
      const key = this.groupKey(buffers) + uniformSize;
      group = k.groups.get(key) ?? this.makeGroup(k, key, buffers, { offset: 0, size: uniformSize });
    } else {
      group = this.makeGroup(k, null, buffers, { offset: uniformOffset, size: uniformSize });
    }
    const prof = this.profiler?.slot(k.name);
    if (prof) this.endPass();
    const pass = prof ? this.enc().beginComputePass({ timestampWrites: prof }) : this.computePass();
    pass.setPipeline(k.pipeline);
    if (k.dynamicUniforms) pass.setBindGroup(0, group, [uniformOffset]);
    else pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(x, y, z);
    if (prof) pass.end();
    if (this.debug) {
      this.device.popErrorScope().then((e) => e && this.errors.push(new GpuError(e.message, `dispatching '${k.name}'`)));
    }
    this.pending++;
    this.counters.dispatches++;
    if (this.pending >= MAX_DISPATCHES_PER_SUBMIT) this.flush();
  }

  /** Bind-group cache key: the ids of the bound buffers (and their ranges). */
  private groupKey(buffers: BufferArg[]): string {
    let key = '';
    for (const b of buffers) {
      if (isRange(b)) key += `${this.bufferId(b.buffer)}@${b.offset ?? 0}+${b.size ?? '*'},`;
      else key += `${this.bufferId(b)},`;
    }
    return key;
  }

  private bufferId(b: GPUBuffer): number {
    let id = this.bufferIds.get(b);
    if (id === undefined) this.bufferIds.set(b, (id = this.nextBufferId++));
    return id;
  }
  private readonly bufferIds = new WeakMap<GPUBuffer, number>();
  private nextBufferId = 1;

  /** A bind group of k (cached under `key` when given), binding the uniform arena at `uniforms` when k has uniforms. */
  private makeGroup(k: Kernel, key: string | null, buffers: BufferArg[], uniforms: { offset: number; size: number }): GPUBindGroup {
    const entries: GPUBindGroupEntry[] = buffers.map((b, i) =>
      isRange(b) ? { binding: i, resource: { buffer: b.buffer, offset: b.offset ?? 0, size: b.size } } : { binding: i, resource: { buffer: b } },
    );
    if (k.hasUniforms) entries.push({ binding: k.storageBindings, resource: { buffer: this.uniformArena, ...uniforms } });
    const group = this.device.createBindGroup({ layout: k.layout, entries, label: k.name });
    this.counters.bindGroups++;
    if (key !== null) {
      if (k.groups.size >= MAX_GROUPS_PER_KERNEL) k.groups.clear();
      k.groups.set(key, group);
    }
    return group;
  }

  /** Fold a 1-D workgroup count into a grid within the per-dimension limit. Shaders use wid.x + wid.y * nwg.x. */
  grid(workgroups: number): [number, number] {
    const max = this.limits.maxComputeWorkgroupsPerDimension;
    if (workgroups <= max) return [Math.max(1, workgroups), 1];
    const y = Math.ceil(workgroups / max);
    return [Math.ceil(workgroups / y), y];
  }

  /** Submit everything recorded so far. */
  flush(): void {
    if (this.destroyed || !this.encoder) return;
    this.endPass();
    this.profiler?.resolve(this.encoder);
    if (this.uniformUsed) {
      this.device.queue.writeBuffer(this.uniformArena, 0, this.uniformData, 0, this.uniformUsed);
    }
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.pending = 0;
    this.uniformUsed = 0;
    this.counters.submits++;
  }

  /** Wait until the GPU has finished all submitted work; throws pending GPU/shader errors. */
  async sync(): Promise<void> {
    this.check();
    this.flush();
    await awaitGpu(this.waitMode, () => this.device.queue.onSubmittedWorkDone());
    await this.profiler?.collect();
    await Promise.all(this.compileChecks.splice(0));
    this.throwPending();
  }

  memory(): { storage: PoolStats; staging: PoolStats } {
    return { storage: this.storage.snapshot(), staging: this.staging.snapshot() };
  }

  /** Give free pooled buffers back to the driver. */
  trim(): void {
    // trimming destroys free buffers: groups that bind them must not be reused
    for (const k of this.pipelines.values()) k.groups.clear();
    this.storage.trim();
    this.staging.trim();
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Release the device. After this the process can exit. */
  destroy(): void {
    if (this.destroyed) return;
    try {
      this.flush();
    } catch {
      /* device may be lost already */
    }
    this.destroyed = true;
    this.pipelines.clear();
    this.byKey.clear();
    this.device.destroy();
  }

  // ---------------------------------------------------------------- internals

  private pushUniforms(data: ArrayBufferView): number {
    const size = Math.ceil(data.byteLength / 16) * 16;
    let off = Math.ceil(this.uniformUsed / this.uniformAlign) * this.uniformAlign;
    if (off + size > UNIFORM_ARENA_BYTES) {
      this.flush();
      off = 0;
    }
    this.uniformData.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), off);
    this.uniformUsed = off + size;
    return off;
  }

  private enc(): GPUCommandEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder({ label: 'batch' });
    return this.encoder;
  }

  private computePass(): GPUComputePassEncoder {
    if (!this.pass) this.pass = this.enc().beginComputePass();
    return this.pass;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  private check(): void {
    if (this.lost) throw this.lost;
    if (this.destroyed) throw new GpuError('the GPU device was destroyed');
  }

  private throwPending(): void {
    if (this.errors.length) {
      // a shader that failed to compile is the root cause of the errors that follow it
      const all = this.errors.splice(0);
      const shader = all.findIndex((e) => e instanceof ShaderError);
      if (shader > 0) all.unshift(...all.splice(shader, 1));
      const [first, ...rest] = all;
      if (rest.length) first.message += `\n(+${rest.length} more GPU errors: ${rest.map((e) => e.message.split('\n')[0]).join('; ')})`;
      throw first;
    }
    if (this.lost) throw this.lost;
  }
}

async function shaderError(name: string, module: GPUShaderModule, fallback: string): Promise<ShaderError> {
  try {
    const info = await module.getCompilationInfo();
    const msgs = info.messages
      .filter((m) => m.type === 'error')
      .map((m) => `  ${name}:${m.lineNum}:${m.linePos}: ${m.message}`)
      .join('\n');
    return new ShaderError(name, msgs || fallback);
  } catch {
    return new ShaderError(name, fallback);
  }
}

class KernelProfiler {
  static readonly CAPACITY = 1024;
  readonly totals = new Map<string, { count: number; ns: number }>();
  private readonly querySet: GPUQuerySet;
  private names: string[] = [];
  private pending: Promise<void>[] = [];

  constructor(private readonly device: GPUDevice) {
    this.querySet = device.createQuerySet({ type: 'timestamp', count: 2 * KernelProfiler.CAPACITY });
  }

  /** Timestamp writes for the next dispatch, or undefined when the set is full (until the next flush). */
  slot(name: string): GPUComputePassTimestampWrites | undefined {
    const i = this.names.length;
    if (i >= KernelProfiler.CAPACITY) return undefined;
    this.names.push(name);
    return { querySet: this.querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
  }

  resolve(encoder: GPUCommandEncoder): void {
    const n = this.names.length;
    if (!n) return;
    const names = this.names;
    this.names = [];
    const bytes = 16 * n;
    const resolveBuf = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const readBuf = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    encoder.resolveQuerySet(this.querySet, 0, 2 * n, resolveBuf, 0);
    encoder.copyBufferToBuffer(resolveBuf, 0, readBuf, 0, bytes);
    this.pending.push(
      (async () => {
        await null; // map only after flush() has submitted the copy (a microtask later)
        await readBuf.mapAsync(GPUMapMode.READ);
        const t = new BigUint64Array(readBuf.getMappedRange().slice(0));
        readBuf.unmap();
        readBuf.destroy();
        resolveBuf.destroy();
        names.forEach((name, i) => {
          const e = this.totals.get(name) ?? { count: 0, ns: 0 };
          e.count++;
          e.ns += Number(t[2 * i + 1] - t[2 * i]);
          this.totals.set(name, e);
        });
      })(),
    );
  }

  async collect(): Promise<void> {
    await Promise.all(this.pending.splice(0));
  }
}

function isRange(b: BufferArg): b is { buffer: GPUBuffer; offset?: number; size?: number } {
  return (b as { buffer?: unknown }).buffer !== undefined;
}

function cacheKey(spec: KernelSpec): string {
  const c = spec.constants ? JSON.stringify(Object.entries(spec.constants).sort()) : '';
  return `${spec.entryPoint ?? 'main'}|${c}|${spec.code}`;
}

/**
 * Group 0's layout read from the shader's declarations when they are all explicit
 * (`@binding(i) var<storage, read|read_write>` for 0..n-1, `var<uniform>` at n): the
 * uniform block then gets a dynamic offset. Null (use 'auto') when anything is unusual.
 */
function explicitLayout(spec: KernelSpec): GPUBindGroupLayoutEntry[] | null {
  const access = new Map<number, string>();
  for (const m of spec.code.matchAll(/@group\(0\)\s*@binding\((\d+)\)\s*var<(storage\s*,\s*(read_write|read)|uniform)>/g)) {
    access.set(Number(m[1]), m[3] ?? 'uniform');
  }
  const n = spec.storageBindings;
  if (access.size !== n + (spec.uniforms ? 1 : 0)) return null;
  const entries: GPUBindGroupLayoutEntry[] = [];
  for (let i = 0; i < n; i++) {
    const a = access.get(i);
    if (a !== 'read' && a !== 'read_write') return null;
    entries.push({ binding: i, visibility: 4 /* COMPUTE */, buffer: { type: a === 'read' ? 'read-only-storage' : 'storage' } });
  }
  if (spec.uniforms) {
    if (access.get(n) !== 'uniform') return null;
    entries.push({ binding: n, visibility: 4 /* COMPUTE */, buffer: { type: 'uniform', hasDynamicOffset: true } });
  }
  return entries;
}

const LIMIT_NAMES = [
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxUniformBufferBindingSize',
  'maxBindGroups',
  'maxBindingsPerBindGroup',
  'minStorageBufferOffsetAlignment',
  'minUniformBufferOffsetAlignment',
] as const;

// ------------------------------------------------------------------ the shared device

let shared: Promise<Gpu> | null = null;
let sharedGpu: Gpu | null = null;

/**
 * The process-wide device, created on first use. A script that uses it exits by
 * itself: when Node's event loop would otherwise end, the device is destroyed
 * (Dawn keeps the process alive while a device exists).
 */
export function getGpu(opts: GpuOptions = {}): Promise<Gpu> {
  if (!shared) {
    shared = Gpu.create(opts).then((g) => {
      sharedGpu = g;
      (globalThis as Record<string, unknown>).__batcoderGpu = g;
      process.once('beforeExit', () => releaseGpu());
      return g;
    });
    shared.catch(() => {
      shared = null;
    });
  }
  return shared;
}

/** The shared device if it has been created (synchronous access for ops). */
export function currentGpu(): Gpu {
  if (!sharedGpu || sharedGpu.isDestroyed) throw new GpuError('no GPU device: await getGpu() first');
  return sharedGpu;
}

/** Destroy the shared device (idempotent). */
export function releaseGpu(): void {
  if (sharedGpu) sharedGpu.destroy();
  sharedGpu = null;
  shared = null;
  delete (globalThis as Record<string, unknown>).__batcoderGpu;
}
