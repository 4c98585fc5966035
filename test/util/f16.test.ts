// float16 / bfloat16 conversions against references computed independently in float64.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  float32Bits, float32FromBits, toFloat16Bits, fromFloat16Bits, toBfloat16Bits, fromBfloat16Bits,
  f16ToF32Array, f32ToF16Array, bf16ToF32Array, f32ToBf16Array,
} from '../../src/util/f16.js';

/** Value of binary16 bits, straight from the definition, in float64. */
function f16Value(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  if (e === 0) return s * m * 2 ** -24;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

function roundHalfEven(q: number): number {
  const f = Math.floor(q);
  const d = q - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Nearest value with `mantBits` stored mantissa bits and minimum normal exponent `emin`, in float64. */
function refRound(x: number, mantBits: number, emin: number, maxFinite: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a === Infinity) return x;
  if (a === 0) return x;
  let e = Math.floor(Math.log2(a));
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  e = Math.max(e, emin);
  const ulp = 2 ** (e - mantBits);
  let r = roundHalfEven(a / ulp) * ulp; // a / ulp is exact: a has 24 significant bits
  // Above the largest finite value, rounding goes to infinity once past max + ulp/2 (or at a tie,
  // since max has an odd mantissa).
  if (r > maxFinite) r = Infinity;
  return x < 0 ? -r : r;
}
const F16_MAX = 65504;
const BF16_MAX = float32FromBits(0x7f7f0000);
const refF16 = (x: number) => refRound(x, 10, -14, F16_MAX);
const refBf16 = (x: number) => refRound(x, 7, -126, BF16_MAX);

function same(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

// Seeded xorshift so the random cases are the same on every run.
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

test('f16 -> f32: all 65536 bit patterns match the definition', () => {
  for (let h = 0; h < 65536; h++) {
    const v = fromFloat16Bits(h);
    assert.ok(same(v, f16Value(h)), `h=${h.toString(16)}: ${v} vs ${f16Value(h)}`);
  }
  const all = new Uint16Array(65536).map((_, i) => i);
  const arr = f16ToF32Array(all);
  for (let h = 0; h < 65536; h++) assert.ok(same(arr[h]!, f16Value(h)), `bulk h=${h}`);
});

test('f32 -> f16: every f16 value and every midpoint between neighbours (ties to even)', () => {
  for (let h = 0; h < 0x7c00; h++) {
    for (const sign of [1, -1]) {
      const v = sign * f16Value(h);
      assert.is(fromFloat16Bits(toFloat16Bits(v)), v, `exact ${v}`);
      const next = sign * f16Value(h + 1); // h + 1 = 0x7c00 gives inf: midpoint max + ulp/2
      const mid = h + 1 === 0x7c00 ? sign * (F16_MAX + 16) : (v + next) / 2;
      assert.is(float32FromBits(float32Bits(mid)), mid, 'midpoint is a float32');
      const got = fromFloat16Bits(toFloat16Bits(mid));
      assert.ok(same(got, refF16(mid)), `mid ${mid}: got ${got} want ${refF16(mid)}`);
      // Even mantissa wins a tie.
      const expectBits = (h & 1) === 0 ? h : h + 1;
      assert.is(toFloat16Bits(mid) & 0x7fff, expectBits, `tie at ${mid}`);
    }
  }
});

test('f32 -> f16: random float32 values in and around the f16 range', () => {
  const r = rng(12345);
  const xs = new Float32Array(200_000);
  for (let i = 0; i < xs.length; i++) {
    // Exponent in [2^-30, 2^17) covers underflow, subnormals, normals and overflow.
    const exp = 127 - 30 + (r() % 47);
    const bits = ((r() & 1) << 31) | (exp << 23) | (r() & 0x7fffff);
    xs[i] = float32FromBits(bits >>> 0);
  }
  const bulk = f32ToF16Array(xs);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const got = fromFloat16Bits(bulk[i]!);
    assert.ok(same(got, refF16(x)), `x=${x}: got ${got} want ${refF16(x)}`);
    assert.is(bulk[i], toFloat16Bits(x));
  }
});

test('f16 edge cases: zeros, subnormals, overflow, inf, nan', () => {
  assert.is(toFloat16Bits(0), 0);
  assert.is(toFloat16Bits(-0), 0x8000);
  assert.is(toFloat16Bits(2 ** -24), 1); // smallest subnormal
  assert.is(toFloat16Bits(2 ** -25), 0); // exactly half of it: tie to even -> 0
  assert.is(toFloat16Bits(2 ** -25 * 1.0000001), 1);
  assert.is(toFloat16Bits(-(2 ** -26)), 0x8000); // underflow keeps the sign
  assert.is(toFloat16Bits(2 ** -14 - 2 ** -25), 0x400); // rounds up from subnormal to min normal
  assert.is(toFloat16Bits(65504), 0x7bff);
  assert.is(toFloat16Bits(65519.99), 0x7bff);
  assert.is(toFloat16Bits(65520), 0x7c00);
  assert.is(toFloat16Bits(1e10), 0x7c00);
  assert.is(toFloat16Bits(-Infinity), 0xfc00);
  const nan = toFloat16Bits(NaN);
  assert.ok((nan & 0x7c00) === 0x7c00 && (nan & 0x3ff) !== 0, 'nan stays nan');
  assert.ok(Number.isNaN(fromFloat16Bits(nan)));
  // A signalling-NaN payload in the low bits still gives a NaN, not an infinity.
  assert.ok(Number.isNaN(fromFloat16Bits(toFloat16Bits(float32FromBits(0x7f800001)))));
});

test('bf16: round trip of all bit patterns, random values, ties and edges', () => {
  for (let h = 0; h < 65536; h++) {
    const v = fromBfloat16Bits(h);
    if (Number.isNaN(v)) {
      assert.ok(Number.isNaN(fromBfloat16Bits(toBfloat16Bits(v))));
      continue;
    }
    assert.is(toBfloat16Bits(v), h, `bits ${h.toString(16)}`);
  }
  const r = rng(777);
  const xs = new Float32Array(200_000);
  for (let i = 0; i < xs.length; i++) {
    let bits = r();
    if ((bits & 0x7f800000) === 0x7f800000) bits &= 0xbfffffff; // keep finite: NaN checked above
    xs[i] = float32FromBits(bits >>> 0);
  }
  // Midpoints (low 16 bits exactly 0x8000) exercise ties.
  for (let i = 0; i < 1000; i++) xs[i] = float32FromBits(((r() & 0x7f7f0000) | 0x8000) >>> 0);
  const bulk = f32ToBf16Array(xs);
  const back = bf16ToF32Array(bulk);
  for (let i = 0; i < xs.length; i++) {
    assert.ok(same(back[i]!, refBf16(xs[i]!)), `x=${xs[i]}: got ${back[i]} want ${refBf16(xs[i]!)}`);
  }
  assert.is(toBfloat16Bits(float32FromBits(0x7f7fffff)), 0x7f80); // max float32 rounds to inf
  assert.is(toBfloat16Bits(-0), 0x8000);
  assert.ok(Number.isNaN(fromBfloat16Bits(toBfloat16Bits(float32FromBits(0x7f800001)))), 'sNaN stays NaN');
  assert.is(toBfloat16Bits(1 + 2 ** -8), 0x3f80); // tie, even (1.0) wins
  assert.is(toBfloat16Bits(1 + 3 * 2 ** -8), 0x3f82); // tie, even wins upward
});

test.run();
