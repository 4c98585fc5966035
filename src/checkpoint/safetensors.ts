// .safetensors reading and writing (the Hugging Face format, byte for byte).
//
// Layout: 8-byte little-endian u64 N, then N bytes of JSON header, then the data section.
// The header maps tensor name -> { dtype, shape, data_offsets: [begin, end] } (offsets relative to
// the data section) plus an optional "__metadata__": { string: string }. As in the reference
// implementation, the tensors must tile the data section exactly: sorted by offset they start at
// 0, touch each other and end at the end of the file. We validate all of that before reading a
// byte of tensor data, and every error names the file (and the tensor when there is one).
//
// Tensors are read one at a time with positioned reads, so a multi-GiB shard never has to fit in
// one Buffer and a caller can stream weights to the GPU.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import { writeFileAtomic } from './atomic.js';
import { bf16ToF32Array, f16ToF32Array, f32ToBf16Array, f32ToF16Array } from '../util/f16.js';

export type Dtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

export const DTYPE_SIZE: Readonly<Record<Dtype, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

export type TensorData =
  | Float64Array | Float32Array | Int32Array | Int16Array | Int8Array
  | Uint32Array | Uint16Array | Uint8Array | BigInt64Array | BigUint64Array;

/** A tensor as loaded: `dtype` is the dtype on disk, `data` its in-memory form (see readTensor). */
export interface LoadedTensor {
  dtype: Dtype;
  shape: number[];
  data: TensorData;
}

/** One header entry; begin/end are relative to the data section. */
export interface TensorInfo {
  dtype: Dtype;
  shape: number[];
  begin: number;
  end: number;
}

export interface ReadOptions {
  /** Keep F16/BF16 as their raw Uint16Array bits instead of converting to Float32Array. */
  raw?: boolean;
}

/** An error about a safetensors file; `file` and `tensor` are also in the message. */
export class SafetensorsError extends Error {
  constructor(readonly file: string, message: string, readonly tensor?: string) {
    super(`${file}: ${tensor !== undefined ? `tensor '${tensor}': ` : ''}${message}`);
    this.name = 'SafetensorsError';
  }
}

/** The reference implementation refuses headers above 100 MB; so do we (a corrupt length is usually huge). */
export const MAX_HEADER_BYTES = 100_000_000;

function assertLittleEndian(): void {
  // Typed arrays use the host byte order and the format is little-endian.
  if (endianness() !== 'LE') throw new Error('safetensors: big-endian hosts are not supported');
}

/** Number of elements of a shape (1 for a scalar). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Parse and validate a header. `dataBytes` is the size of the data section (file size - 8 - N).
 * Returns the tensors in header order and the metadata.
 */
export function parseHeader(
  headerBytes: Uint8Array,
  dataBytes: number,
  file: string,
): { tensors: Map<string, TensorInfo>; metadata: Record<string, string> | undefined } {
  let json: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
    if (!text.startsWith('{')) throw new Error('does not start with "{"');
    json = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsError(file, `corrupt header: not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SafetensorsError(file, 'corrupt header: the JSON is not an object');
  }
  let metadata: Record<string, string> | undefined;
  const tensors = new Map<string, TensorInfo>();
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new SafetensorsError(file, 'corrupt header: __metadata__ is not an object');
      }
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string') throw new SafetensorsError(file, `corrupt header: __metadata__.${k} is not a string`);
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    const bad = (what: string): never => {
      throw new SafetensorsError(file, `corrupt header: ${what}`, name);
    };
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) bad('entry is not an object');
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_SIZE)) bad(`unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      bad(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    }
    if (
      !Array.isArray(offsets) || offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]
    ) {
      bad(`data_offsets ${JSON.stringify(offsets)} is not [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataBytes) {
      bad(`data_offsets [${begin}, ${end}] run past the end of the data (${dataBytes} bytes; file truncated?)`);
    }
    const want = numel(shape as number[]) * DTYPE_SIZE[dtype as Dtype];
    if (want !== end - begin) {
      bad(`shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${want} bytes but data_offsets cover ${end - begin}`);
    }
    tensors.set(name, { dtype: dtype as Dtype, shape: (shape as number[]).slice(), begin, end });
  }
  // The tensors must tile [0, dataBytes): no gaps, no overlaps, nothing after the last one.
  const byOffset = [...tensors.entries()].sort((a, b) => a[1].begin - b[1].begin || a[1].end - b[1].end);
  let pos = 0;
  for (const [name, t] of byOffset) {
    if (t.begin < pos) throw new SafetensorsError(file, `data_offsets [${t.begin}, ${t.end}] overlap the previous tensor (which ends at ${pos})`, name);
    if (t.begin > pos) throw new SafetensorsError(file, `data_offsets [${t.begin}, ${t.end}] leave a gap after byte ${pos}`, name);
    pos = t.end;
  }
  if (pos !== dataBytes) {
    throw new SafetensorsError(file, `the tensors cover ${pos} bytes of data but the data section has ${dataBytes} (trailing bytes or a wrong header)`);
  }
  return { tensors, metadata };
}

/** Raw little-endian bytes -> the in-memory array for a dtype. `bytes` must own an aligned buffer. */
function view(dtype: Dtype, bytes: Uint8Array, raw: boolean): TensorData {
  const { buffer, byteOffset, byteLength } = bytes;
  const n = byteLength / DTYPE_SIZE[dtype];
  switch (dtype) {
    case 'F64': return new Float64Array(buffer, byteOffset, n);
    case 'F32': return new Float32Array(buffer, byteOffset, n);
    case 'F16': {
      const h = new Uint16Array(buffer, byteOffset, n);
      return raw ? h : f16ToF32Array(h);
    }
    case 'BF16': {
      const h = new Uint16Array(buffer, byteOffset, n);
      return raw ? h : bf16ToF32Array(h);
    }
    case 'I64': return new BigInt64Array(buffer, byteOffset, n);
    case 'I32': return new Int32Array(buffer, byteOffset, n);
    case 'I16': return new Int16Array(buffer, byteOffset, n);
    case 'I8': return new Int8Array(buffer, byteOffset, n);
    case 'U64': return new BigUint64Array(buffer, byteOffset, n);
    case 'U32': return new Uint32Array(buffer, byteOffset, n);
    case 'U16': return new Uint16Array(buffer, byteOffset, n);
    case 'U8': case 'BOOL': return new Uint8Array(buffer, byteOffset, n);
  }
}

/**
 * An open safetensors file: the validated header is in memory, tensor data is read on demand.
 * Close it when done (or use readSafetensors, which does).
 */
export class SafetensorsFile {
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    /** Header entries in header order. */
    readonly tensors: ReadonlyMap<string, TensorInfo>,
    readonly metadata: Record<string, string> | undefined,
    /** File offset of the data section. */
    readonly dataStart: number,
  ) {}

  static async open(path: string): Promise<SafetensorsFile> {
    assertLittleEndian();
    const fh = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
      throw new SafetensorsError(path, `cannot open (${e.code ?? e.message})`);
    });
    try {
      const size = (await fh.stat()).size;
      if (size < 8) throw new SafetensorsError(path, `truncated: ${size} bytes, too short for the 8-byte header length`);
      const lenBuf = Buffer.alloc(8);
      await readExactly(fh, lenBuf, 0, path);
      const n = lenBuf.readBigUInt64LE(0);
      if (n > BigInt(MAX_HEADER_BYTES)) throw new SafetensorsError(path, `corrupt header: header length ${n} exceeds ${MAX_HEADER_BYTES} bytes`);
      if (8n + n > BigInt(size)) throw new SafetensorsError(path, `truncated: header length ${n} but the file has ${size} bytes`);
      const headerLen = Number(n);
      const header = Buffer.alloc(headerLen);
      await readExactly(fh, header, 8, path);
      const { tensors, metadata } = parseHeader(header, size - 8 - headerLen, path);
      return new SafetensorsFile(path, fh, tensors, metadata, 8 + headerLen);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  info(name: string): TensorInfo {
    const t = this.tensors.get(name);
    if (!t) throw new SafetensorsError(this.path, 'missing tensor', name);
    return t;
  }

  /** The tensor's bytes exactly as stored (little-endian), in a fresh 8-byte-aligned buffer. */
  async readBytes(name: string): Promise<Uint8Array> {
    const t = this.info(name);
    const bytes = new Uint8Array(new ArrayBuffer(t.end - t.begin));
    try {
      await readExactly(this.fh, bytes, this.dataStart + t.begin, this.path);
    } catch (e) {
      throw new SafetensorsError(this.path, (e as Error).message.replace(`${this.path}: `, ''), name);
    }
    return bytes;
  }

  /**
   * Read one tensor. F32/F16/BF16 come back as Float32Array (F16/BF16 as raw Uint16Array bits
   * with {raw: true}); F64 as Float64Array; integer dtypes as the matching typed array (I64/U64
   * as BigInt64Array/BigUint64Array); BOOL as Uint8Array.
   */
  async read(name: string, opts: ReadOptions = {}): Promise<LoadedTensor> {
    const t = this.info(name);
    const bytes = await this.readBytes(name);
    return { dtype: t.dtype, shape: t.shape.slice(), data: view(t.dtype, bytes, opts.raw ?? false) };
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

async function readExactly(fh: FileHandle, into: Uint8Array, position: number, file: string): Promise<void> {
  let off = 0;
  while (off < into.length) {
    // fs reads are limited to 2 GiB - 1 per call; big tensors (a 7B model's bf16 embedding read as
    // f32 is 2+ GiB) are read in 1 GiB pieces.
    const { bytesRead } = await fh.read(into, off, Math.min(into.length - off, 2 ** 30), position + off);
    if (bytesRead === 0) throw new SafetensorsError(file, `truncated: unexpected end of file at byte ${position + off}`);
    off += bytesRead;
  }
}

/** Read every tensor of a file (header order). */
export async function readSafetensors(
  path: string,
  opts: ReadOptions = {},
): Promise<Map<string, LoadedTensor>> {
  const f = await SafetensorsFile.open(path);
  try {
    const out = new Map<string, LoadedTensor>();
    for (const name of f.names()) out.set(name, await f.read(name, opts));
    return out;
  } finally {
    await f.close();
  }
}

/** Read a file's `__metadata__` (undefined when absent) without reading tensor data. */
export async function readSafetensorsMetadata(path: string): Promise<Record<string, string> | undefined> {
  const f = await SafetensorsFile.open(path);
  await f.close();
  return f.metadata;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** A tensor to write. `data` may be a function so large tensors can be produced (e.g. read back
 * from the GPU) one at a time while the file is written; then `dtype` must be given. */
export interface TensorInput {
  shape: readonly number[];
  data: TensorData | (() => TensorData | Promise<TensorData>);
  /** On-disk dtype. Defaults: Float32Array -> opts.dtype (F32), Uint16Array -> U16, etc. A
   * Float32Array may be stored as F32/F16/BF16; a Uint16Array given as F16/BF16 is taken as raw bits. */
  dtype?: Dtype;
}

export interface WriteOptions {
  /** On-disk dtype for Float32Array tensors without their own dtype (default F32). */
  dtype?: 'F32' | 'F16' | 'BF16';
}

function defaultDtype(data: TensorData, floatDtype: Dtype): Dtype {
  if (data instanceof Float32Array) return floatDtype;
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Int8Array) return 'I8';
  if (data instanceof Uint32Array) return 'U32';
  if (data instanceof Uint16Array) return 'U16';
  if (data instanceof Uint8Array) return 'U8';
  if (data instanceof BigInt64Array) return 'I64';
  return 'U64';
}

/** Which in-memory arrays can be stored as which dtype. */
function compatible(data: TensorData, dtype: Dtype): boolean {
  switch (dtype) {
    case 'F32': case 'F16': case 'BF16':
      return data instanceof Float32Array || ((dtype === 'F16' || dtype === 'BF16') && data instanceof Uint16Array);
    case 'F64': return data instanceof Float64Array;
    case 'I64': return data instanceof BigInt64Array;
    case 'I32': return data instanceof Int32Array;
    case 'I16': return data instanceof Int16Array;
    case 'I8': return data instanceof Int8Array;
    case 'U64': return data instanceof BigUint64Array;
    case 'U32': return data instanceof Uint32Array;
    case 'U16': return data instanceof Uint16Array;
    case 'U8': case 'BOOL': return data instanceof Uint8Array;
  }
}

/** In-memory data -> on-disk little-endian bytes for `dtype`. */
function encode(data: TensorData, dtype: Dtype): Uint8Array {
  if (data instanceof Float32Array && dtype === 'F16') data = f32ToF16Array(data);
  else if (data instanceof Float32Array && dtype === 'BF16') data = f32ToBf16Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

type Tensors = ReadonlyMap<string, TensorInput> | Readonly<Record<string, TensorInput>>;

function entries(tensors: Tensors): [string, TensorInput][] {
  return tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
}

/** Plan a file: validated entries in on-disk order, the header bytes (space-padded to 8). */
function plan(file: string, tensors: Tensors, metadata: Record<string, string> | undefined, opts: WriteOptions) {
  const floatDtype: Dtype = opts.dtype ?? 'F32';
  // Name order: deterministic, and a stable diff between two checkpoints of the same model.
  const list = entries(tensors).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError(file, `__metadata__.${k} must be a string`);
    }
    header['__metadata__'] = metadata;
  }
  let offset = 0;
  const planned: { name: string; t: TensorInput; dtype: Dtype; begin: number; end: number }[] = [];
  for (const [name, t] of list) {
    if (name === '__metadata__') throw new SafetensorsError(file, 'reserved tensor name', name);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new SafetensorsError(file, `shape [${t.shape.join(', ')}] is not a list of non-negative integers`, name);
    }
    let dtype = t.dtype;
    if (typeof t.data !== 'function') {
      dtype ??= defaultDtype(t.data, floatDtype);
      checkData(file, name, t.data, dtype, t.shape);
    } else {
      dtype ??= floatDtype;
    }
    const size = numel(t.shape) * DTYPE_SIZE[dtype];
    planned.push({ name, t, dtype, begin: offset, end: offset + size });
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data section starts 8-byte aligned (as the reference writer does).
  const enc = new TextEncoder();
  let headerBytes = enc.encode(json);
  const pad = (8 - ((8 + headerBytes.length) % 8)) % 8;
  if (pad) headerBytes = enc.encode(json + ' '.repeat(pad));
  return { planned, headerBytes, dataBytes: offset };
}

function checkData(file: string, name: string, data: TensorData, dtype: Dtype, shape: readonly number[]): void {
  if (!compatible(data, dtype)) {
    throw new SafetensorsError(file, `${data.constructor.name} cannot be stored as ${dtype}`, name);
  }
  if (data.length !== numel(shape)) {
    throw new SafetensorsError(file, `data has ${data.length} elements but shape [${shape.join(', ')}] needs ${numel(shape)}`, name);
  }
}

/**
 * Write a safetensors file atomically (temp file + fsync + rename). Tensors are stored sorted by
 * name; `metadata` becomes `__metadata__` (string values only, as the format requires).
 */
export async function writeSafetensors(
  path: string,
  tensors: Tensors,
  metadata?: Record<string, string>,
  opts: WriteOptions = {},
): Promise<void> {
  assertLittleEndian();
  const { planned, headerBytes } = plan(path, tensors, metadata, opts);
  await writeFileAtomic(path, async (write) => {
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
    await write(len);
    await write(headerBytes);
    for (const p of planned) {
      const data = typeof p.t.data === 'function' ? await p.t.data() : p.t.data;
      checkData(path, p.name, data, p.dtype, p.t.shape);
      await write(encode(data, p.dtype));
    }
  });
}

/** Serialise to bytes in memory (small files, tests). Lazy data is not allowed here. */
export function serializeSafetensors(tensors: Tensors, metadata?: Record<string, string>, opts: WriteOptions = {}): Uint8Array {
  assertLittleEndian();
  const { planned, headerBytes, dataBytes } = plan('<memory>', tensors, metadata, opts);
  const out = new Uint8Array(8 + headerBytes.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const base = 8 + headerBytes.length;
  for (const p of planned) {
    if (typeof p.t.data === 'function') throw new SafetensorsError('<memory>', 'lazy data needs writeSafetensors', p.name);
    out.set(encode(p.t.data, p.dtype), base + p.begin);
  }
  return out;
}

/** Size in bytes a set of tensors will take on disk (data only), for shard planning. */
export function tensorBytes(t: TensorInput, floatDtype: Dtype = 'F32'): number {
  const dtype = t.dtype ?? (typeof t.data === 'function' ? floatDtype : defaultDtype(t.data, floatDtype));
  return numel(t.shape) * DTYPE_SIZE[dtype];
}

/** Whether `path` exists and is a file (helper for directory loaders). */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
