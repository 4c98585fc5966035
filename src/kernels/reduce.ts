// Reductions with a fused pointwise prologue: out[o] = reduce_j expr(leaves)[o, j].
//
// The domain is [kept dims..., reduced dims...]; leaves carry strides over it, so the
// reduced axes can be anywhere in the original tensor (permuted strides) and the input
// can be any fused expression (e.g. sum((x - m)^2) is one kernel).
//
// Strategy: one invocation per output, looping over the reduced extent (on lavapipe each
// workgroup is one CPU thread with SIMD across invocations, so this is the fast layout).
// When that leaves too few threads for the reduction's length (reduceChunks: few outputs on
// lavapipe; fewer than a card's worth of threads in the gpu family), a first pass splits each
// reduction into chunks and a second pass reduces the partials.
import type { Gpu } from '../gpu/index.js';
import { EXPR_PRELUDE, exprKey, exprWgsl, usesRand, type Expr } from './expr.js';
import { collapseDims, packSlots, slot, uniformDecl, wgslType, type Operand } from './elementwise.js';

export type ReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin';

export interface ReduceParams {
  keptShape: number[];
  reducedShape: number[];
  expr: Expr;
  /** strides over [...keptShape, ...reducedShape] */
  leaves: Operand[];
  consts: number[];
  op: ReduceOp;
  /** contiguous output of prod(keptShape) elements (i32 for argmax/argmin) */
  out: GPUBuffer;
  outOffset?: number;
  /** multiply the result (mean = sum * 1/n) */
  scale?: number;
}

const WG = 64;

const init: Record<ReduceOp, string> = {
  sum: '0.0',
  max: '-3.402823e38',
  min: '3.402823e38',
  argmax: '-3.402823e38',
  argmin: '3.402823e38',
};

/**
 * Chunks per output for the first of two passes (1: one pass). Lavapipe family: only few
 * outputs over a long axis (a CPU has few threads to fill). GPU family: enough chunks that
 * O * chunks threads fill a card (~64K), each chunk at least 256 long, so e.g. a bias gradient
 * (a few hundred columns summed over thousands of rows) is not one thread per column.
 */
export function reduceChunks(gpu: Gpu, O: number, R: number): number {
  if (gpu.kernelFamily === 'lavapipe') return O < 256 && R >= 8192 ? Math.min(256, Math.ceil(R / 2048)) : 1;
  if (R < 1024) return 1;
  return Math.max(1, Math.min(256, Math.ceil(R / 256), Math.ceil(65536 / O)));
}

export function reduce(gpu: Gpu, p: ReduceParams): void {
  const O = p.keptShape.reduce((a, b) => a * b, 1);
  const R = p.reducedShape.reduce((a, b) => a * b, 1);
  if (O === 0) return;
  if (usesRand(p.expr)) throw new Error('reduce: random expressions must be realised before reducing');
  const isArg = p.op === 'argmax' || p.op === 'argmin';
  const kr = p.keptShape.length;
  // collapse kept and reduced parts separately (never across the boundary)
  const kept = collapseDims(p.keptShape, p.leaves.map((l) => l.strides.slice(0, kr)));
  const red = collapseDims(p.reducedShape, p.leaves.map((l) => l.strides.slice(kr)));
  const keptShape = kept.shape.length ? kept.shape : [1];
  const redShape = red.shape.length ? red.shape : [1];
  const keptStrides = kept.strides.map((s) => (s.length ? s : [0]));
  const redStrides = red.strides.map((s) => (s.length ? s : [0]));

  const chunks = isArg ? 1 : reduceChunks(gpu, O, R);
  if (chunks > 1) {
    const partial = gpu.alloc(O * chunks * 4);
    run(gpu, p, keptShape, redShape, keptStrides, redStrides, O, R, chunks, partial, 0, 1);
    // second pass: reduce [O, chunks] partials (plain contiguous leaf)
    const op2 = p.op === 'sum' ? 'sum' : p.op;
    reduce(gpu, {
      keptShape: [O],
      reducedShape: [chunks],
      expr: { k: 'leaf', i: 0 },
      leaves: [{ buffer: partial, dtype: 'f32', offset: 0, strides: [chunks, 1] }],
      consts: [],
      op: op2,
      out: p.out,
      outOffset: p.outOffset,
      scale: p.scale,
    });
    gpu.free(partial);
    return;
  }
  run(gpu, p, keptShape, redShape, keptStrides, redStrides, O, R, 1, p.out, p.outOffset ?? 0, p.scale ?? 1);
}

function run(
  gpu: Gpu, p: ReduceParams, keptShape: number[], redShape: number[], keptStrides: number[][], redStrides: number[][],
  O: number, R: number, chunks: number, out: GPUBuffer, outOffset: number, scale: number,
): void {
  const isArg = p.op === 'argmax' || p.op === 'argmin';
  const kr = keptShape.length, rr = redShape.length;
  const vals: number[] = [O, R, chunks, outOffset];
  const floats = new Set<number>();
  const keptShapeSlot = vals.length; vals.push(...keptShape);
  const redShapeSlot = vals.length; vals.push(...redShape);
  const leafSlot: number[] = [];
  p.leaves.forEach((l, i) => {
    leafSlot.push(vals.length);
    vals.push(l.offset, ...keptStrides[i], ...redStrides[i]);
  });
  const constSlot = vals.length;
  for (const c of p.consts) { floats.add(vals.length); vals.push(c); }
  const scaleSlot = vals.length; floats.add(vals.length); vals.push(scale);

  const nb = p.leaves.length;
  // what the code depends on (sizes, strides and constants travel in the uniforms)
  const key = `reduce|${p.op}|${exprKey(p.expr)}|${kr}|${rr}|${p.leaves.map((l) => l.dtype).join()}|${vals.length}`;
  const k = gpu.kernelFor(key, () => {
    const needF16 = p.leaves.some((l) => l.dtype === 'f16');
    const L: string[] = [];
    if (needF16) L.push('enable f16;');
    p.leaves.forEach((l, i) => L.push(`@group(0) @binding(${i}) var<storage, read> L${i}: array<${wgslType[l.dtype]}>;`));
    L.push(`@group(0) @binding(${nb}) var<storage, read_write> OUT: array<${isArg ? 'i32' : 'f32'}>;`);
    L.push(uniformDecl(vals.length, nb + 1));
    L.push(EXPR_PRELUDE);
    L.push(`@compute @workgroup_size(${WG})`);
    L.push(`fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {`);
    L.push(`  let t = gid.x + gid.y * nwg.x * ${WG}u;`);
    L.push(`  let nchunks = ${slot(2)};`);
    L.push(`  if (t >= ${slot(0)} * nchunks) { return; }`);
    L.push(`  let o = t / nchunks; let chunk = t % nchunks;`);
    L.push(`  let R = ${slot(1)};`);
    L.push(`  let per = (R + nchunks - 1u) / nchunks;`);
    L.push(`  let j0 = chunk * per; let j1 = min(R, j0 + per);`);
    // kept coordinates -> base offsets
    L.push(`  var rem = o;`);
    for (let d = kr - 1; d >= 1; d--) L.push(`  let k${d} = rem % ${slot(keptShapeSlot + d)}; rem = rem / ${slot(keptShapeSlot + d)};`);
    L.push(`  let k0 = rem;`);
    p.leaves.forEach((_, i) => {
      const terms = [slot(leafSlot[i])];
      for (let d = 0; d < kr; d++) terms.push(`k${d} * ${slot(leafSlot[i] + 1 + d)}`);
      L.push(`  let base${i} = ${terms.join(' + ')};`);
    });
    L.push(`  var acc = ${init[p.op]};`);
    if (isArg) L.push(`  var best = 0u;`);
    L.push(`  for (var j = j0; j < j1; j++) {`);
    if (rr === 1) {
      p.leaves.forEach((_, i) => L.push(`    let v${i} = f32(L${i}[base${i} + j * ${slot(leafSlot[i] + 1 + kr)}]);`));
    } else {
      L.push(`    var rj = j;`);
      for (let d = rr - 1; d >= 1; d--) L.push(`    let r${d} = rj % ${slot(redShapeSlot + d)}; rj = rj / ${slot(redShapeSlot + d)};`);
      L.push(`    let r0 = rj;`);
      p.leaves.forEach((_, i) => {
        const terms = [`base${i}`];
        for (let d = 0; d < rr; d++) terms.push(`r${d} * ${slot(leafSlot[i] + 1 + kr + d)}`);
        L.push(`    let v${i} = f32(L${i}[${terms.join(' + ')}]);`);
      });
    }
    const body = exprWgsl(p.expr, (i) => `v${i}`, (i) => `bitcast<f32>(${slot(constSlot + i)})`, () => '0u', 'j');
    L.push(`    let x = ${body};`);
    switch (p.op) {
      case 'sum': L.push(`    acc += x;`); break;
      case 'max': L.push(`    acc = max(acc, x);`); break;
      case 'min': L.push(`    acc = min(acc, x);`); break;
      // first index wins ties (torch.argmax convention); NaN counts as the largest
      case 'argmax': L.push(`    if (x > acc || (x != x && acc == acc)) { acc = x; best = j; }`); break;
      case 'argmin': L.push(`    if (x < acc || (x != x && acc == acc)) { acc = x; best = j; }`); break;
    }
    L.push(`  }`);
    if (isArg) L.push(`  OUT[${slot(3)} + t] = i32(best);`);
    else L.push(`  OUT[${slot(3)} + t] = acc * bitcast<f32>(${slot(scaleSlot)});`);
    L.push(`}`);
    return { name: `reduce_${p.op}`, code: L.join('\n'), storageBindings: nb + 1, uniforms: true };
  });
  gpu.dispatch(k, [...p.leaves.map((l) => l.buffer), out], gpu.grid(Math.ceil((O * chunks) / WG)), packSlots(vals, floats));
}
