/**
 * Seeded randomness for every random step of training (splits, shuffles, weight initialisation,
 * isolation-forest subsamples), so that a run repeats exactly from its seed. Math.random is never
 * used: its sequence differs between runs and engines.
 */

/** A small, fast 32-bit generator (mulberry32) returning floats in [0, 1). */
export class Random {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so nearby seeds (1, 2, 3) start far apart.
    this.state = mix32(seed >>> 0) || 0x9e3779b9;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Shuffle in place (Fisher-Yates). */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /** `k` distinct integers from [0, n), in random order (partial Fisher-Yates). */
  sample(n: number, k: number): Int32Array {
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    const m = Math.min(k, n);
    for (let i = 0; i < m; i++) {
      const j = i + this.int(n - i);
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
    }
    return pool.slice(0, m);
  }
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A seed for one named step derived from the run's seed (e.g. `derivedSeed(42, 'split')`), so
 * that adding a random step somewhere does not shift the numbers every other step draws.
 */
export function derivedSeed(seed: number, name: string): number {
  let h = mix32(seed >>> 0);
  for (let i = 0; i < name.length; i++) h = mix32(h ^ name.charCodeAt(i));
  return h;
}
