// Per-row random streams. Each row of a batch draws its token at step s from
// Philox(key_row, counter = s), so a row's samples depend only on its own seed and never
// on its batch-mates or its position in the batch: generating a batch equals
// generating each row alone with the same row seed.
import * as T from '../tensor/index.js';

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** The row seeds a batch of `rows` gets from one seed: row r uses rowSeeds(seed, n)[r]. */
export function rowSeeds(seed: number, rows: number): number[] {
  return Array.from({ length: rows }, (_, r) => mix32((seed >>> 0) ^ mix32(Math.imul(r + 1, 0x9e3779b9) >>> 0)));
}

/** A fresh base seed from the tensor generator (advances it, so seeded runs stay reproducible). */
export function seedFromGenerator(): number {
  const s = T.getGeneratorState();
  T.setGeneratorState({ seed: s.seed, counter: s.counter + 1 });
  return mix32(s.seed ^ mix32(Math.imul(s.counter + 1, 0x632be5ab) >>> 0));
}

/** The two 32-bit Philox key words of a row seed, packed [k0, k1] per row. */
export function philoxKeys(seeds: readonly number[]): Uint32Array {
  const out = new Uint32Array(2 * seeds.length);
  seeds.forEach((s, r) => {
    if (!Number.isInteger(s)) throw new Error(`seed for row ${r} must be an integer, got ${s}`);
    out[2 * r] = mix32((s >>> 0) ^ 0x1b873593);
    out[2 * r + 1] = mix32(((s / 2 ** 32) >>> 0) ^ 0x2c1b3c6d ^ out[2 * r]);
  });
  return out;
}
