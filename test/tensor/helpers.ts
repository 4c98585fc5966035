// Shared helpers for tensor tests: the device, GPU <-> reference conversion, closeness.
import * as assert from 'uvu/assert';
import { getGpu, type Gpu } from '../../src/gpu/index.js';
import { tensor, type Tensor } from '../../src/tensor/index.js';
import { Ref } from '../../src/tensor/reference.js';

export async function device(): Promise<Gpu> {
  return getGpu();
}

export function up(gpu: Gpu, r: Ref, requiresGrad = false): Tensor {
  return tensor(gpu, Float32Array.from(r.data), r.shape, 'f32', { requiresGrad });
}

export async function down(t: Tensor): Promise<Ref> {
  return Ref.from(await t.toArray(), t.shape);
}

/** max |a-b| / (atol + rtol*|b|) <= 1, with a message naming the case and the worst element. */
export async function assertClose(t: Tensor, want: Ref, what: string, rtol = 1e-5, atol = 1e-5): Promise<void> {
  assert.equal(t.shape, want.shape, `${what}: shape`);
  const got = await t.toArray();
  let worst = 0, at = -1;
  for (let i = 0; i < want.size; i++) {
    const a = got[i], b = want.data[i];
    if (Number.isNaN(b) && Number.isNaN(a)) continue;
    const e = Math.abs(a - b) / (atol + rtol * Math.abs(b));
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  if (!(worst <= 1)) assert.unreachable(`${what}: element ${at} is ${got[at]}, want ${want.data[at]} (rtol ${rtol}, atol ${atol})`);
}

export function shapeStr(s: number[]): string {
  return `[${s.join(',')}]`;
}
