// RoPE forward/backward vs float64: both layouts, partial rotary, positions buffer, offset,
// scaling, in place; backward is the inverse rotation (checked as the exact adjoint too).
// Tolerance 2e-5 absolute + 1e-4 relative (angles up to ~100 rad in f32).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu, rng, randn, randInt, upload, download, assertClose } from './helpers.js';
import { rope, ropeBackward } from '../../src/kernels/rope.js';
import { refRope } from '../../src/kernels/reference/misc.js';

test('forward matches the reference across layouts and options', async () => {
  const gpu = await getGpu();
  const r = rng(1);
  const cases = [
    { B: 1, H: 1, T: 1, D: 2 },
    { B: 2, H: 3, T: 7, D: 8 },
    { B: 2, H: 2, T: 5, D: 10, layout: 'bthd' as const, rotaryDim: 6, base: 500 },
    { B: 1, H: 4, T: 9, D: 16, offset: 90, scale: 2 },
  ];
  for (const c of cases) {
    for (const usePos of [false, true]) {
      const n = c.B * c.H * c.T * c.D;
      const x = randn(r, n);
      const positions = Int32Array.from({ length: c.B * c.T }, () => randInt(r, 0, 100));
      const X = upload(gpu, x), Y = gpu.alloc(n * 4), POS = upload(gpu, positions);
      rope(gpu, { ...c, x: X, out: Y, positions: usePos ? POS : undefined });
      const want = refRope(x, c.B, c.H, c.T, c.D, { ...c, positions: usePos ? positions : undefined });
      assertClose(await download(gpu, Y, n), want, 2e-5, 1e-4, `rope ${JSON.stringify(c)} pos=${usePos}`);
      // backward (in place) = inverse rotation: recovers x, and is the adjoint (rotations are orthogonal)
      ropeBackward(gpu, { ...c, dy: Y, dx: Y, positions: usePos ? POS : undefined });
      assertClose(await download(gpu, Y, n), x, 2e-5, 1e-4, `rope inverse ${JSON.stringify(c)}`);
      for (const b of [X, Y, POS]) gpu.free(b);
    }
  }
});

test('rejects odd rotary dims', async () => {
  const gpu = await getGpu();
  const X = gpu.alloc(256);
  assert.throws(() => rope(gpu, { x: X, out: X, B: 1, H: 1, T: 1, D: 5 }), /rotaryDim must be even/);
});

test.run();
