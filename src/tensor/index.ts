// The tensor engine's public surface: functions, plus the same ops as Tensor methods.
import { Tensor } from './tensor.js';
import { backward as runBackward, onGrad } from './autograd.js';
import * as pw from './ops/pointwise.js';
import * as red from './ops/reduce.js';
import * as vw from './ops/views.js';
import * as sm from './ops/softmax.js';
import { matmul } from './ops/matmul.js';
import { dropout } from './ops/random.js';
import { full } from './ops/create.js';
import type { DType } from './tensor.js';

export { Tensor, Storage, tidy, keep, memoryStats, FUSION } from './tensor.js';
export { fuseExpr } from './ops/create.js';
export type { DType, MemoryStats } from './tensor.js';
export { noGrad, isGradEnabled, onGrad, Node } from './autograd.js';
export { tensor, full, zeros, ones, arange, empty, hostInts } from './ops/create.js';
export type { CreateOptions } from './ops/create.js';
export { rand, randn, dropout, manualSeed, getGeneratorState, setGeneratorState, philoxKey } from './ops/random.js';
export type { GeneratorState } from './ops/random.js';
export * from './ops/pointwise.js';
export { sum, mean, max, min, argmax, argmin, maxWithIndex, variance, sumTo } from './ops/reduce.js';
export { reshape, permute, transpose, slice, expand, unsqueeze, squeeze, flatten, contiguous, concat, stack, split, writeInto, assign } from './ops/views.js';
export { indexSelect, gather, oneHot, cumsum } from './ops/indexing.js';
export { softmax, logSoftmax, logSumExp, crossEntropy } from './ops/softmax.js';
export type { CrossEntropyOptions } from './ops/softmax.js';
export { matmul, linear } from './ops/matmul.js';
export { rmsNormFused, attentionFused, tokenLogProbFused, ropeFused, swigluFused } from './ops/fused.js';
export { kvScatter, decodeAttention, selectTokens, readTokens } from './ops/decode.js';
export type { TokenSelection } from './ops/decode.js';
export { globalNorm, adamwStep } from './ops/optim.js';
export type { AdamWSlot, AdamWHyper } from './ops/optim.js';
export { ShapeError, broadcastShapes, numel } from './shape.js';

type T = Tensor | number;

declare module './tensor.js' {
  interface Tensor {
    add(b: T): Tensor;
    sub(b: T): Tensor;
    mul(b: T): Tensor;
    div(b: T): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    gelu(): Tensor;
    silu(): Tensor;
    abs(): Tensor;
    square(): Tensor;
    pow(p: number): Tensor;
    clamp(lo?: number, hi?: number): Tensor;
    cast(dtype: DType): Tensor;
    sum(axes?: number | number[], keepdim?: boolean): Tensor;
    mean(axes?: number | number[], keepdim?: boolean): Tensor;
    max(axes?: number | number[], keepdim?: boolean): Tensor;
    min(axes?: number | number[], keepdim?: boolean): Tensor;
    argmax(axis?: number, keepdim?: boolean): Tensor;
    reshape(shape: readonly number[]): Tensor;
    permute(perm: readonly number[]): Tensor;
    transpose(a?: number, b?: number): Tensor;
    slice(axis: number, start: number, end?: number, step?: number): Tensor;
    expand(shape: readonly number[]): Tensor;
    unsqueeze(axis: number): Tensor;
    squeeze(axis?: number): Tensor;
    contiguous(): Tensor;
    matmul(b: Tensor): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    dropout(p: number, training?: boolean): Tensor;
    /** Backpropagate (scalar tensors need no `grad`); accumulates into leaves' .grad. */
    backward(grad?: Tensor): void;
    /** The same data, cut from the autograd graph. */
    detach(): Tensor;
    /** Mark as a leaf that accumulates a gradient. */
    requireGrad(flag?: boolean): Tensor;
    onGrad(hook: (g: Tensor) => void): Tensor;
  }
}

const P = Tensor.prototype;
P.add = function (b) { return pw.add(this, b); };
P.sub = function (b) { return pw.sub(this, b); };
P.mul = function (b) { return pw.mul(this, b); };
P.div = function (b) { return pw.div(this, b); };
P.neg = function () { return pw.neg(this); };
P.exp = function () { return pw.exp(this); };
P.log = function () { return pw.log(this); };
P.sqrt = function () { return pw.sqrt(this); };
P.rsqrt = function () { return pw.rsqrt(this); };
P.tanh = function () { return pw.tanh(this); };
P.sigmoid = function () { return pw.sigmoid(this); };
P.relu = function () { return pw.relu(this); };
P.gelu = function () { return pw.gelu(this); };
P.silu = function () { return pw.silu(this); };
P.abs = function () { return pw.abs(this); };
P.square = function () { return pw.square(this); };
P.pow = function (p) { return pw.pow(this, p); };
P.clamp = function (lo, hi) { return pw.clamp(this, lo, hi); };
P.cast = function (d) { return pw.cast(this, d); };
P.sum = function (a, k) { return red.sum(this, a, k); };
P.mean = function (a, k) { return red.mean(this, a, k); };
P.max = function (a, k) { return red.max(this, a, k); };
P.min = function (a, k) { return red.min(this, a, k); };
P.argmax = function (a, k) { return red.argmax(this, a, k); };
P.reshape = function (s) { return vw.reshape(this, s); };
P.permute = function (p) { return vw.permute(this, p); };
P.transpose = function (a, b) { return vw.transpose(this, a, b); };
P.slice = function (a, s, e, st) { return vw.slice(this, a, s, e, st); };
P.expand = function (s) { return vw.expand(this, s); };
P.unsqueeze = function (a) { return vw.unsqueeze(this, a); };
P.squeeze = function (a) { return vw.squeeze(this, a); };
P.contiguous = function () { return vw.contiguous(this); };
P.matmul = function (b) { return matmul(this, b); };
P.softmax = function (a) { return sm.softmax(this, a); };
P.logSoftmax = function (a) { return sm.logSoftmax(this, a); };
P.dropout = function (p, tr) { return dropout(this, p, tr); };
P.backward = function (grad?: Tensor) {
  runBackward(this, grad, (like) => full(like.gpu, like.shape, 1), pw.add, red.sumTo);
};
P.detach = function () { return this.share(); };
P.requireGrad = function (flag = true) {
  if (this.node) throw new Error('requireGrad: only leaf tensors can be marked (this one was produced by an op: use detach())');
  this.requiresGrad = flag;
  return this;
};
P.onGrad = function (hook) { onGrad(this, hook); return this; };
