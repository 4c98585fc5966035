// A seeded, splittable, counter-based PRNG whose whole state is two key words and a
// counter, so it serialises to JSON and a resumed run continues the exact same stream.
//
// Output i of a stream is a keyed 64-bit permutation of the counter i: a 6-round Feistel
// network whose round function is a strong 32-bit integer hash (Wellons' "lowbias32").
// Being a bijection of the counter, a stream never repeats within 2^53 draws; being
// counter-based, `split(label)` derives an independent stream from (key, label) without
// consuming draws from the parent, so adding a new consumer in one place does not shift
// the random numbers seen everywhere else (the property that makes resume bit-for-bit).
// Not cryptographic; statistically fine for sampling and shuffling.
//
// The one generator of the project: the trainer's sampling and data order (src/rl,
// src/train) and the task suite's seeded streams (src/data/tasks: one stream per task,
// `new Rng(mixSeed(seed, i))`) both draw from it. `fnv1a` and `mixSeed` are the two
// integer hashes those streams are keyed with.

/** JSON-serialisable state of an Rng. */
export interface RngState {
  key: [number, number];
  counter: number;
}

const TWO32 = 4294967296;

/** Wellons' lowbias32: a 32-bit avalanche hash (bias ~0.17 over all inputs). */
function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash a string or number seed to two 32-bit key words (FNV-1a over UTF-16 units, then mixed). */
function keyFrom(seed: number | string, salt = 0): [number, number] {
  let h1 = 0x811c9dc5 ^ salt;
  let h2 = 0x9e3779b9 ^ Math.imul(salt, 0x85ebca6b);
  const s = typeof seed === 'number' ? 'n:' + seed.toString() : 's:' + seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = hash32(h2 ^ c ^ h1);
  }
  return [hash32(h1 ^ 0x5bd1e995), hash32(h2 + 0x6a09e667)];
}

/** The 64-bit block for counter c under key (k0, k1), as [lo, hi] unsigned 32-bit words. */
function block(k0: number, k1: number, c: number): [number, number] {
  let l = c % TWO32 >>> 0;
  let r = Math.floor(c / TWO32) >>> 0;
  for (let round = 0; round < 6; round++) {
    const k = round & 1 ? k1 : k0;
    const f = hash32((r ^ k) + Math.imul(round + 1, 0x9e3779b9));
    const nl = r;
    r = (l ^ f) >>> 0;
    l = nl;
  }
  return [l, r];
}

export class Rng {
  private k0: number;
  private k1: number;
  private counter: number;

  /** A stream from a seed (number or string). Equal seeds give equal streams. */
  constructor(seed: number | string = 0) {
    [this.k0, this.k1] = keyFrom(seed);
    this.counter = 0;
  }

  /** Restore a stream from `state()`; it continues exactly where the saved one stopped. */
  static fromState(s: RngState): Rng {
    if (!s || !Array.isArray(s.key) || s.key.length !== 2 || !Number.isSafeInteger(s.counter) || s.counter < 0) {
      throw new Error(`Rng.fromState: malformed state ${JSON.stringify(s)} (expected {key:[u32,u32], counter:int>=0})`);
    }
    const r = new Rng(0);
    r.k0 = s.key[0] >>> 0;
    r.k1 = s.key[1] >>> 0;
    r.counter = s.counter;
    return r;
  }

  /** The current state (a copy): JSON.stringify-able. */
  state(): RngState {
    return { key: [this.k0, this.k1], counter: this.counter };
  }

  /** An independent child stream named by `label`; does not advance this stream. */
  split(label: number | string): Rng {
    const r = new Rng(0);
    const [a, b] = keyFrom(label, this.k0);
    r.k0 = hash32(a ^ this.k1);
    r.k1 = hash32(b + this.k0);
    return r;
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    return block(this.k0, this.k1, this.counter++)[0];
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  next(): number {
    const [lo, hi] = block(this.k0, this.k1, this.counter++);
    return ((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992;
  }

  /** A uniform integer in [0, n), unbiased (rejection sampling), for 1 <= n <= 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO32) throw new Error(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    const limit = TWO32 - (TWO32 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }

  /** A uniform integer in [lo, hi], both inclusive (the task generator's constants and lengths). */
  between(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new Error(`Rng.between: need integers lo <= hi, got ${lo}, ${hi}`);
    return lo + this.int(hi - lo + 1);
  }

  /** A uniformly chosen element of a non-empty list. */
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('Rng.pick: empty list');
    return xs[this.int(xs.length)]!;
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A standard normal (Box-Muller; uses two uniforms per call, no cached spare so state stays simple). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Sample an index from unnormalised non-negative weights. */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`Rng.categorical: weight ${i} is ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new Error('Rng.categorical: all weights are zero');
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    // Rounding can leave u >= 0 after the loop: return the last index with weight > 0.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return weights.length - 1;
  }

  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }

  /** A shuffled permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }
}

/** 32-bit FNV-1a of a string (UTF-16 units): stable hashing of names and shapes into buckets. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit seed derived from a base seed and an index (so item i does not depend on items < i). */
export function mixSeed(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
