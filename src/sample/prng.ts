/**
 * Seeded randomness for the sample generator. Nothing here reads the clock or Math.random, so a
 * (seed, stream name) pair always yields the same sequence on every machine.
 *
 * Each table or concept draws from its own named stream (`rng(seed, 'transfers')`), so changing
 * how one table is generated does not shift the numbers of every other table. `hash01` gives
 * order-independent draws keyed by ids (the same alert gets the same key in both windows).
 */

/** 32-bit string hash (cyrb53 folded to 32 bits): spreads seed and stream name into a state. */
export function hashString(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

/** A uniform draw in [0, 1) that depends only on the seed and the given key parts. */
export function hash01(seed: number, ...parts: (string | number)[]): number {
  return hashString(parts.join('|'), seed) / 4294967296;
}

/** sfc32: small, fast, passes PractRand to 2^40 and more; plenty for synthetic data. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number, stream: string) {
    this.a = hashString(stream, seed);
    this.b = hashString(stream + '#b', seed);
    this.c = hashString(stream + '#c', seed);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Marsaglia polar method, caching the second value). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return u * m;
  }

  /** exp(N(mu, sigma)): the heavy-tailed shape of on-chain amounts and activity rates. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Poisson count (Knuth for small means, a rounded normal for large ones). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Beta-like value in (0, 1) with the given mean and concentration, via two gamma draws. */
  beta(mean: number, concentration: number): number {
    const x = this.gamma(mean * concentration);
    const y = this.gamma((1 - mean) * concentration);
    return x / (x + y);
  }

  /** Gamma(shape, 1) by Marsaglia-Tsang (boosted for shape < 1). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next() || Number.MIN_VALUE, 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Index drawn with probability proportional to `weights`. */
  pick(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fill `out` with random bytes. */
  bytes(out: Uint8Array): Uint8Array {
    for (let i = 0; i < out.length; i += 4) {
      const v = (this.next() * 4294967296) >>> 0;
      for (let k = 0; k < 4 && i + k < out.length; k++) out[i + k] = (v >>> (8 * k)) & 0xff;
    }
    return out;
  }
}

/** A named, independent stream of the run's seed. */
export function rng(seed: number, stream: string): Rng {
  return new Rng(seed, stream);
}

/**
 * Cumulative-weight sampler over a fixed set of items (receivers of a role, weighted by their
 * activity). Binary search per draw: fine for the few million draws a run makes.
 */
export class WeightedSampler {
  private readonly cumulative: Float64Array;
  constructor(
    readonly items: Int32Array,
    weights: ArrayLike<number>,
  ) {
    this.cumulative = new Float64Array(items.length);
    let acc = 0;
    for (let i = 0; i < items.length; i++) {
      acc += weights[i]!;
      this.cumulative[i] = acc;
    }
  }

  get size(): number {
    return this.items.length;
  }

  draw(r: Rng): number {
    const n = this.cumulative.length;
    if (n === 0) return -1;
    const target = r.next() * this.cumulative[n - 1]!;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
