// SwiGLU forward/backward vs float64, separate buffers and one fused [rows, 2F] buffer.
// Tolerance 1e-6 absolute + 1e-5 relative.
import { test } from 'uvu';
import { getGpu, rng, randn, upload, download, assertClose } from './helpers.js';
import { swiglu, swigluBackward } from '../../src/kernels/swiglu.js';
import { refSwiglu } from '../../src/kernels/reference/misc.js';

test('separate gate/up buffers', async () => {
  const gpu = await getGpu();
  const r = rng(1);
  for (const [rows, cols] of [[1, 1], [7, 13], [64, 100]]) {
    const n = rows * cols;
    const g = randn(r, n, 3), u = randn(r, n), d = randn(r, n);
    const G = upload(gpu, g), U = upload(gpu, u), O = gpu.alloc(n * 4), D = upload(gpu, d), DG = gpu.alloc(n * 4), DU = gpu.alloc(n * 4);
    swiglu(gpu, { gate: G, up: U, out: O, rows, cols });
    const want = refSwiglu(g, u, d);
    assertClose(await download(gpu, O, n), want.out, 1e-6, 1e-5, `fwd ${rows}x${cols}`);
    swigluBackward(gpu, { gate: G, up: U, out: O, dout: D, dgate: DG, dup: DU, rows, cols });
    assertClose(await download(gpu, DG, n), want.dg, 1e-6, 1e-5, 'dgate');
    assertClose(await download(gpu, DU, n), want.du, 1e-6, 1e-5, 'dup');
    for (const b of [G, U, O, D, DG, DU]) gpu.free(b);
  }
});

test('one fused projection [rows, 2F]: gate = first half, up = second half', async () => {
  const gpu = await getGpu();
  const r = rng(2);
  const rows = 5, F = 9;
  const x = randn(r, rows * 2 * F), d = randn(r, rows * F);
  const g = new Float32Array(rows * F), u = new Float32Array(rows * F);
  for (let i = 0; i < rows; i++) for (let j = 0; j < F; j++) { g[i * F + j] = x[i * 2 * F + j]; u[i * F + j] = x[i * 2 * F + F + j]; }
  const X = upload(gpu, x), O = gpu.alloc(rows * F * 4), D = upload(gpu, d), DX = gpu.alloc(rows * 2 * F * 4);
  const lay = { rows, cols: F, gateOffset: 0, upOffset: F, gateStride: 2 * F, upStride: 2 * F };
  swiglu(gpu, { ...lay, gate: X, up: X, out: O });
  const want = refSwiglu(g, u, d);
  assertClose(await download(gpu, O, rows * F), want.out, 1e-6, 1e-5, 'fused fwd');
  swigluBackward(gpu, { ...lay, gate: X, up: X, out: O, dout: D, dgate: DX, dup: DX });
  const dx = await download(gpu, DX, rows * 2 * F);
  const wantDx = new Float64Array(rows * 2 * F);
  for (let i = 0; i < rows; i++) for (let j = 0; j < F; j++) { wantDx[i * 2 * F + j] = want.dg[i * F + j]; wantDx[i * 2 * F + F + j] = want.du[i * F + j]; }
  assertClose(dx, wantDx, 1e-6, 1e-5, 'fused bwd');
});

test.run();
