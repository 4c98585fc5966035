// Every differentiable op: forward vs the float64 reference, gradient vs central differences.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { device } from './helpers.js';
import { opCases, checkOp } from '../../src/tensor/gradcheck.js';

for (const c of opCases()) {
  test(`${c.name}: forward and gradient`, async () => {
    const gpu = await device();
    for (const seed of [11, 12]) {
      const r = await checkOp(gpu, c, seed);
      assert.ok(r.ok, `${c.name} (seed ${seed}): forward err ${r.forwardError.toExponential(2)}, grad err ${r.gradError?.toExponential(2)} ${r.message ?? ''}`);
    }
  });
}

test.run();
