// One generated kernel per fused pointwise expression: out[domain] = expr(leaves).
// Specialised on the expression, the domain rank, leaf dtypes and which operands are
// contiguous; shapes, strides, offsets and scalar constants travel in the uniform block
// so new shapes or new scalars never recompile.
import type { Gpu } from '../gpu/index.js';
import { EXPR_PRELUDE, exprKey, exprWgsl, usesRand, type DType, type Expr } from './expr.js';

export interface Operand {
  buffer: GPUBuffer;
  dtype: DType;
  /** element offset */
  offset: number;
  /** element strides, one per domain dim (0 = broadcast) */
  strides: number[];
}

export interface ElementwiseParams {
  /** domain shape (= output shape) */
  shape: number[];
  expr: Expr;
  leaves: Operand[];
  consts: number[];
  out: Operand;
  name?: string;
}

const WG = 256;

export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

function isContiguous(shape: number[], strides: number[]): boolean {
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== acc) return false;
    acc *= shape[d];
  }
  return true;
}

/**
 * Drop size-1 dims and merge neighbouring dims that are contiguous with each other in
 * every operand, so index math runs over the fewest dims (often one).
 */
export function collapseDims(shape: number[], stridesList: number[][]): { shape: number[]; strides: number[][] } {
  const keep = shape.map((s, d) => (s !== 1 ? d : -1)).filter((d) => d >= 0);
  let sh = keep.map((d) => shape[d]);
  let st = stridesList.map((s) => keep.map((d) => s[d]));
  for (let d = sh.length - 2; d >= 0; d--) {
    if (st.every((s) => s[d] === s[d + 1] * sh[d + 1])) {
      sh = [...sh.slice(0, d), sh[d] * sh[d + 1], ...sh.slice(d + 2)];
      st = st.map((s) => [...s.slice(0, d), s[d + 1], ...s.slice(d + 2)]);
    }
  }
  return { shape: sh, strides: st };
}

export const wgslType: Record<DType, string> = { f32: 'f32', f16: 'f16', i32: 'i32', u32: 'u32' };

/** Uniform slot accessor: slots are u32s packed into vec4s. */
export function slot(i: number): string {
  return `u.v[${i >> 2}][${i & 3}]`;
}

export function uniformDecl(slots: number, binding: number): string {
  return `struct Uniforms { v: array<vec4<u32>, ${Math.max(1, Math.ceil(slots / 4))}> }\n@group(0) @binding(${binding}) var<uniform> u: Uniforms;`;
}

export function packSlots(values: number[], floats: Set<number>): Uint32Array {
  const n = Math.max(4, Math.ceil(values.length / 4) * 4);
  const buf = new ArrayBuffer(n * 4);
  const u = new Uint32Array(buf);
  const f = new Float32Array(buf);
  values.forEach((v, i) => {
    if (floats.has(i)) f[i] = v;
    else u[i] = v >>> 0;
  });
  return u;
}

export function elementwise(gpu: Gpu, p: ElementwiseParams): void {
  const n = p.shape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  const rank0 = p.shape.length;
  for (const l of [...p.leaves, p.out]) {
    if (l.strides.length !== rank0) throw new Error(`elementwise: operand has ${l.strides.length} strides for a rank-${rank0} domain`);
  }
  const fixedAxes = hasCoord(p.expr);
  const { shape, strides } = fixedAxes
    ? { shape: p.shape.length ? p.shape : [1], strides: [...p.leaves, p.out].map((l) => (l.strides.length ? l.strides : [0])) }
    : collapseDims(p.shape, [...p.leaves.map((l) => l.strides), p.out.strides]);
  const rank = Math.max(shape.length, 1);
  const sh = shape.length ? shape : [1];
  const st = strides.map((s) => (s.length ? s : [0]));
  const leafContig = p.leaves.map((_, i) => isContiguous(sh, st[i]));
  const outContig = isContiguous(sh, st[st.length - 1]);

  // uniform slots
  const vals: number[] = [n, p.out.offset];
  const floats = new Set<number>();
  const shapeSlot = vals.length;
  vals.push(...sh);
  const outStrideSlot = vals.length;
  if (!outContig) vals.push(...st[st.length - 1]);
  const leafSlots: number[] = [];
  p.leaves.forEach((l, i) => {
    leafSlots.push(vals.length);
    vals.push(l.offset);
    if (!leafContig[i]) vals.push(...st[i]);
  });
  const constSlot = vals.length;
  for (const c of p.consts) {
    floats.add(vals.length);
    vals.push(c);
  }
  // rand seeds are u32 pairs stored in const slots: keep their bits
  markRandSeeds(p.expr, constSlot, floats);

  // A leaf that reads the output buffer at exactly the output's positions (x = f(x), as
  // in optimizer updates) is read through OUT itself: WebGPU forbids binding one buffer
  // both read-only and writable in a dispatch, and each invocation reads its element
  // before writing it, so this is safe.
  const alias = p.leaves.map((l) => l.buffer === p.out.buffer);
  p.leaves.forEach((l, i) => {
    if (alias[i] && (l.offset !== p.out.offset || l.dtype !== p.out.dtype || !sameArr(l.strides, p.out.strides))) {
      throw new Error(`elementwise: an input reads the output buffer at other positions than it writes (copy it first)`);
    }
  });
  const bound = p.leaves.map((_, i) => i).filter((i) => !alias[i]);
  const binding = new Map(bound.map((i, b) => [i, b]));
  const nb = bound.length;
  // everything the generated code depends on (shapes, offsets, strides and constants travel
  // in the uniforms), so a recurring op finds its kernel without generating the code again
  const key = `ew|${p.name ?? 'elementwise'}|${exprKey(p.expr)}|${rank}|${flags(leafContig)}${outContig ? 1 : 0}|${flags(alias)}|` +
    `${p.leaves.map((l) => l.dtype).join()}|${p.out.dtype}|${vals.length}`;
  const k = gpu.kernelFor(key, () => {
    const needF16 = [...p.leaves, p.out].some((l) => l.dtype === 'f16');
    const lines: string[] = [];
    if (needF16) lines.push('enable f16;');
    bound.forEach((i) => lines.push(`@group(0) @binding(${binding.get(i)}) var<storage, read> L${i}: array<${wgslType[p.leaves[i].dtype]}>;`));
    lines.push(`@group(0) @binding(${nb}) var<storage, read_write> OUT: array<${wgslType[p.out.dtype]}>;`);
    lines.push(uniformDecl(vals.length, nb + 1));
    lines.push(EXPR_PRELUDE);
    lines.push(`@compute @workgroup_size(${WG})`);
    lines.push(`fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {`);
    lines.push(`  let idx = gid.x + gid.y * nwg.x * ${WG}u;`);
    lines.push(`  if (idx >= ${slot(0)}) { return; }`);
    const needCoords = !outContig || leafContig.some((c) => !c) || fixedAxes;
    if (needCoords) {
      lines.push(`  var rem = idx;`);
      for (let d = rank - 1; d >= 1; d--) {
        lines.push(`  let c${d} = rem % ${slot(shapeSlot + d)}; rem = rem / ${slot(shapeSlot + d)};`);
      }
      lines.push(`  let c0 = rem;`);
    }
    const offsetExpr = (base: number, contiguous: boolean, strideBase: number) => {
      if (contiguous) return `${slot(base)} + idx`;
      const terms = [slot(base)];
      for (let d = 0; d < rank; d++) terms.push(`c${d} * ${slot(strideBase + d)}`);
      return terms.join(' + ');
    };
    const outIdx = outContig ? `${slot(1)} + idx` : offsetExpr(1, false, outStrideSlot);
    p.leaves.forEach((l, i) => {
      const load = alias[i] ? `OUT[${outIdx}]` : `L${i}[${offsetExpr(leafSlots[i], leafContig[i], leafSlots[i] + 1)}]`;
      lines.push(`  let v${i} = f32(${load});`);
    });
    const body = exprWgsl(
      p.expr,
      (i) => `v${i}`,
      (i) => `bitcast<f32>(${slot(constSlot + i)})`,
      (a) => `c${a}`,
      'idx',
    );
    lines.push(`  OUT[${outIdx}] = ${wgslType[p.out.dtype]}(${body});`);
    lines.push(`}`);
    return { name: p.name ?? 'elementwise', code: lines.join('\n'), storageBindings: nb + 1, uniforms: true };
  });
  gpu.dispatch(k, [...bound.map((i) => p.leaves[i].buffer), p.out.buffer], gpu.grid(Math.ceil(n / WG)), packSlots(vals, floats));
}

function flags(bits: boolean[]): string {
  let s = '';
  for (const b of bits) s += b ? '1' : '0';
  return s;
}

function sameArr(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function hasCoord(e: Expr): boolean {
  switch (e.k) {
    case 'coord': return true;
    case 'leaf': case 'const': return false;
    // collapsing dims keeps the row-major linear index, so rand's per-element stream is unchanged
    case 'rand': return false;
    case 'un': return hasCoord(e.a);
    case 'bin': return hasCoord(e.a) || hasCoord(e.b);
    case 'where': return hasCoord(e.c) || hasCoord(e.a) || hasCoord(e.b);
  }
}

function markRandSeeds(e: Expr, constSlot: number, floats: Set<number>): void {
  if (!usesRand(e)) return;
  const visit = (x: Expr): void => {
    if (x.k === 'rand') {
      floats.delete(constSlot + x.seed);
      floats.delete(constSlot + x.seed + 1);
    } else if (x.k === 'un') visit(x.a);
    else if (x.k === 'bin') { visit(x.a); visit(x.b); }
    else if (x.k === 'where') { visit(x.c); visit(x.a); visit(x.b); }
  };
  visit(e);
}
