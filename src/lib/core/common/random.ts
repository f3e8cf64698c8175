/**
 * Seeded randomness for everything that must be reproducible: splits,
 * shuffles, initializers, resampling. Math.random cannot be seeded, so we
 * carry our own generator.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting RNG,
 * 128-bit state, passes PractRand), with its state filled from a 32-bit seed
 * through splitmix32. Both use only 32-bit integer arithmetic (`| 0`,
 * `Math.imul`, shifts), which JavaScript defines exactly, so a seed gives the
 * same stream on every engine and machine.
 */

/** Largest seed + 1: seeds are unsigned 32-bit integers. */
const TWO_POW_32 = 4_294_967_296;

/**
 * Checks a seed and brings it to an unsigned 32-bit integer. Negative
 * integers and integers past 2^32 wrap (like `>>> 0`), so -1 is 4294967295.
 * @throws Error when the seed is not a finite integer.
 */
export function normalizeSeed(seed: number): number {
  if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
    throw new Error(`The seed must be a whole number, got ${String(seed)}.`);
  }
  return seed >>> 0; // ToUint32: exactly seed modulo 2^32
}

/** splitmix32: a good scrambler of a counter, used only to fill sfc32's state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let t = state.s ^ (state.s >>> 16);
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  t ^= t >>> 15;
  return t >>> 0;
}

/**
 * A seeded pseudo-random generator (sfc32). Not for cryptography.
 * Same seed, same sequence, on every platform.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed an integer; see `normalizeSeed` for how it is read. */
  constructor(seed: number) {
    const st = { s: normalizeSeed(seed) | 0 };
    this.a = splitmix32(st) | 0;
    this.b = splitmix32(st) | 0;
    this.c = splitmix32(st) | 0;
    this.d = splitmix32(st) | 0;
    // The recommended warm-up: mixes the counter into the state before use.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** The next unsigned 32-bit integer, uniform on [0, 2^32). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /**
   * Fills `out` with the next `out.length` values of `uint32()`, in order: the same stream,
   * several times faster in hot loops (the state stays in local variables).
   */
  fillUint32(out: Uint32Array): void {
    let { a, b, c, d } = this;
    for (let i = 0; i < out.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      out[i] = t >>> 0;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** The next float, uniform on [0, 1), with 32 bits of resolution. */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /**
   * A uniform integer on [0, n), without the modulo bias of
   * `floor(next() * n)`: draws past the largest multiple of n are rejected.
   * @throws Error unless 1 <= n <= 2^32 and n is an integer.
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new Error(`Rng.int needs a whole number between 1 and 2^32, got ${String(n)}.`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let u = this.uint32();
    while (u >= limit) u = this.uint32();
    return u % n;
  }

  /** An independent copy with the same state: both continue with the same numbers. */
  clone(): Rng {
    const copy = Object.create(Rng.prototype) as Rng;
    copy.a = this.a;
    copy.b = this.b;
    copy.c = this.c;
    copy.d = this.d;
    return copy;
  }
}

/** A generator for `seed` (shorthand for `new Rng(seed)`). */
export function createRng(seed: number): Rng {
  return new Rng(seed);
}

/**
 * A seed for a named sub-stream of `seed`, so that independent uses (the
 * split, the shuffle of each epoch, the initializers) never share numbers and
 * adding one use does not shift the others. Hashes the label (FNV-1a over its
 * UTF-16 code units) with the seed through splitmix32.
 */
export function deriveSeed(seed: number, label: string | number): number {
  const text = typeof label === 'number' ? `#${label}` : label;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const st = { s: (normalizeSeed(seed) ^ h) | 0 };
  splitmix32(st);
  return splitmix32(st);
}

/**
 * Shuffles `indices` (or any array) in place (Fisher-Yates, unbiased) and returns it.
 * The result depends only on the generator's state and the array length.
 */
export function seededShuffle<T extends Uint32Array | unknown[]>(indices: T, rng: Rng): T {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = indices[i]!;
    indices[i] = indices[j]!;
    indices[j] = tmp;
  }
  return indices;
}

/** 0, 1, ..., n - 1 in a seeded random order. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return seededShuffle(out, rng);
}

/**
 * A standard normal draw (mean 0, variance 1), by Marsaglia's polar method.
 * The polar method needs only Math.log and Math.sqrt (no trigonometry);
 * sqrt is exactly rounded by IEEE 754 and V8 computes log with the same
 * fdlibm port everywhere, so draws agree across the machines we run on. The
 * second value of each pair is dropped on purpose: keeping it would make the
 * stream depend on hidden state outside the generator.
 */
export function randomNormal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}
