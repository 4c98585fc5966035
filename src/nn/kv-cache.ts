// Per-layer key/value cache, preallocated on the GPU for the whole generation
// ([B, Hkv, maxLength, D] per layer for keys and values), so decoding appends by
// writing into a slice: no per-token reallocation.
import type { Gpu } from '../gpu/index.js';
import * as T from '../tensor/index.js';
import type { Tensor } from '../tensor/index.js';
import { kvScatter } from '../kernels/kv-scatter.js';

export class KVCache {
  private readonly k: Tensor[] = [];
  private readonly v: Tensor[] = [];
  /** positions filled so far (the same for every sequence: prompts are left-padded) */
  length = 0;

  constructor(
    gpu: Gpu,
    readonly layers: number,
    readonly batch: number,
    readonly kvHeads: number,
    readonly maxLength: number,
    readonly headDim: number,
  ) {
    T.noGrad(() => {
      for (let i = 0; i < layers; i++) {
        this.k.push(T.keep(T.empty(gpu, [batch, kvHeads, maxLength, headDim])));
        this.v.push(T.keep(T.empty(gpu, [batch, kvHeads, maxLength, headDim])));
      }
    });
  }

  get bytes(): number {
    return 2 * this.layers * this.batch * this.kvHeads * this.maxLength * this.headDim * 4;
  }

  /** Store new keys/values [B, Hkv, T, D] at positions [start, start + T). */
  write(layer: number, k: Tensor, v: Tensor, start: number): void {
    const n = k.shape[2];
    T.noGrad(() => {
      const ks = T.slice(this.k[layer], 2, start, start + n);
      const vs = T.slice(this.v[layer], 2, start, start + n);
      T.assign(ks, k);
      T.assign(vs, v);
      ks.dispose();
      vs.dispose();
    });
  }

  /**
   * Store new keys/values [B, Hkv, T, D] at per-token rows [B, T] (-1: skip). Used by the
   * sampler's compact layout: each sequence's real tokens from row 0, padding never stored.
   */
  scatter(layer: number, k: Tensor, v: Tensor, rows: Tensor): void {
    const [B, H, Tn, D] = k.shape;
    if (v.shape.join() !== k.shape.join()) throw new Error(`kv-cache scatter: keys [${k.shape.join(', ')}] and values [${v.shape.join(', ')}] differ`);
    T.noGrad(() => {
      const dense = (src: Tensor) => (src.isContiguous && src.offset === 0 ? src.share() : src.contiguousCopy());
      const dk = dense(k), dv = dense(v);
      const ck = this.k[layer], cv = this.v[layer];
      ck.storage!.beforeWrite();
      cv.storage!.beforeWrite();
      kvScatter(k.gpu, { k: dk.storage!.buffer, v: dv.storage!.buffer, kCache: ck.storage!.buffer, vCache: cv.storage!.buffer, rows: rows.storage!.buffer, B, H, T: Tn, D, Tmax: this.maxLength });
      dk.dispose();
      dv.dispose();
    });
  }

  /** The cache tensors of a layer ([B, Hkv, maxLength, D]; for kernels that take lengths). */
  raw(layer: number): { k: Tensor; v: Tensor } {
    return { k: this.k[layer], v: this.v[layer] };
  }

  /** Views of the first `len` cached positions. */
  keys(layer: number, len: number): Tensor {
    return T.slice(this.k[layer], 2, 0, len);
  }
  values(layer: number, len: number): Tensor {
    return T.slice(this.v[layer], 2, 0, len);
  }

  dispose(): void {
    for (const t of [...this.k, ...this.v]) t.dispose();
    this.k.length = 0;
    this.v.length = 0;
  }
}
