// Half-precision conversions (IEEE binary16 and bfloat16) with round-to-nearest-even.
//
// Used by safetensors I/O (src/checkpoint) and by the tensor engine (f16 storage buffers), so these are the one
// place in the project that defines how a float32 becomes 16 bits. Everything works on the raw
// bit patterns of float32 values: inputs are float32 (a JS number is first rounded to float32,
// exactly what storing it in a Float32Array would do), which avoids the double rounding that
// converting a float64 straight to half would otherwise hide.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Bits of a float32 (x is first rounded to float32). */
export function float32Bits(x: number): number {
  f32[0] = x;
  return u32[0]!;
}

/** The float32 whose bits are b. */
export function float32FromBits(b: number): number {
  u32[0] = b >>> 0;
  return f32[0]!;
}

/**
 * float32 bits -> binary16 bits, round to nearest, ties to even.
 * Overflow gives +-inf, values below half the smallest subnormal give +-0, NaN stays a quiet NaN
 * (the top mantissa bits are kept so a payload survives where it fits).
 */
export function f32BitsToF16Bits(b: number): number {
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const man = b & 0x7fffff;
  if (exp === 0xff) {
    if (man === 0) return sign | 0x7c00; // inf
    return sign | 0x7e00 | (man >>> 13); // quiet NaN, keep payload's top bits
  }
  // Unbiased exponent; binary16 normal range is [-14, 15].
  const e = exp - 127;
  if (e > 15) return sign | 0x7c00;
  if (e >= -14) {
    // Normal: keep 10 mantissa bits, round on the 13 dropped ones. A carry out of the mantissa
    // correctly bumps the exponent (and 0x7bff + carry becomes 0x7c00 = inf).
    let h = ((e + 15) << 10) | (man >>> 13);
    const rest = man & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++;
    return sign | h;
  }
  // Subnormal or zero: in units of 2^-24 (the smallest subnormal) the value is sig * 2^(e+1),
  // with sig the 24-bit significand 1.man * 2^23; so shift sig right by -e-1 (14..24) and round.
  if (e < -25) return sign; // below half of 2^-24 (exactly half, e = -25 with man = 0, is a tie -> 0)
  const sig = man | 0x800000; // implicit 1 (exp != 0 here because e >= -25)
  const shift = 13 + (-14 - e); // 14..24
  let h = sig >>> shift;
  const rest = sig & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (h & 1) === 1)) h++;
  return sign | h; // h may become 0x400: the smallest normal, which is the right encoding
}

/** binary16 bits -> float32 bits (exact: every binary16 value is a float32 value). */
export function f16BitsToF32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  const man = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (man << 13)) >>> 0;
  if (exp !== 0) return (sign | ((exp - 15 + 127) << 23) | (man << 13)) >>> 0;
  if (man === 0) return sign >>> 0;
  // Subnormal: normalise.
  let m = man;
  let e = -14;
  while ((m & 0x400) === 0) {
    m <<= 1;
    e--;
  }
  return (sign | ((e + 127) << 23) | ((m & 0x3ff) << 13)) >>> 0;
}

/** float32 bits -> bfloat16 bits, round to nearest, ties to even; NaN stays a quiet NaN. */
export function f32BitsToBf16Bits(b: number): number {
  if ((b & 0x7fffffff) > 0x7f800000) return ((b >>> 16) | 0x0040) & 0xffff;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** bfloat16 bits -> float32 bits (exact). */
export function bf16BitsToF32Bits(h: number): number {
  return (h << 16) >>> 0;
}

/** Number -> nearest binary16 (after rounding to float32), as bits. */
export function toFloat16Bits(x: number): number {
  return f32BitsToF16Bits(float32Bits(x));
}
/** binary16 bits -> number. */
export function fromFloat16Bits(h: number): number {
  return float32FromBits(f16BitsToF32Bits(h));
}
/** Number -> nearest bfloat16 (after rounding to float32), as bits. */
export function toBfloat16Bits(x: number): number {
  return f32BitsToBf16Bits(float32Bits(x));
}
/** bfloat16 bits -> number. */
export function fromBfloat16Bits(h: number): number {
  return float32FromBits(bf16BitsToF32Bits(h));
}

// Bulk conversions. f16 -> f32 goes through a 65536-entry table (256 KiB, built on first use):
// loading a checkpoint converts hundreds of millions of values and a lookup beats the branches.
let f16Table: Uint32Array | undefined;
function table(): Uint32Array {
  if (!f16Table) {
    f16Table = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16BitsToF32Bits(h);
  }
  return f16Table;
}

export function f16ToF32Array(src: Uint16Array, out = new Float32Array(src.length)): Float32Array {
  const t = table();
  const o = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) o[i] = t[src[i]!]!;
  return out;
}

export function f32ToF16Array(src: Float32Array, out = new Uint16Array(src.length)): Uint16Array {
  const s = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < src.length; i++) out[i] = f32BitsToF16Bits(s[i]!);
  return out;
}

export function bf16ToF32Array(src: Uint16Array, out = new Float32Array(src.length)): Float32Array {
  const o = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) o[i] = src[i]! << 16;
  return out;
}

export function f32ToBf16Array(src: Float32Array, out = new Uint16Array(src.length)): Uint16Array {
  const s = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < src.length; i++) out[i] = f32BitsToBf16Bits(s[i]!);
  return out;
}
