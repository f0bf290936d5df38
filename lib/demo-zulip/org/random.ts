// Deterministic randomness for the demo organization. Math.random is never used: the same seed
// must give the same organization on every run, and the simulation must give the same answer
// for the same (person, instant) so that restarts and tests agree.

/** A seeded PRNG (sfc32: small, fast, passes PractRand well beyond what we need). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Spread the seed over the state with splitmix-style mixing so nearby seeds diverge at once.
    const s = Math.floor(Number.isFinite(seed) ? seed : 0);
    this.a = hash32(s, 0x9e3779b9, 1);
    this.b = hash32(s, 0x85ebca6b, 2);
    this.c = hash32(s, 0xc2b2ae35, 3);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks an index with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T {
    return items[this.weightedIndex(items.map(weightOf))] as T;
  }
}

/** murmur3's finaliser: a cheap, well-mixed 32-bit avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Stateless hash of three integers, for "random but reproducible" per-instant decisions. */
export function hash32(a: number, b: number, c: number): number {
  let h = fmix32((a | 0) ^ 0x27d4eb2f);
  h = fmix32(h ^ Math.imul(b | 0, 0x165667b1));
  h = fmix32(h ^ Math.imul(c | 0, 0x9e3779b1));
  return h;
}

/** hash32 mapped to [0, 1). */
export function hashFrac(a: number, b: number, c: number): number {
  return hash32(a, b, c) / 4294967296;
}

/**
 * A one-line-state seeded PRNG (mulberry32) returning numbers in [0, 1), for callers that want a
 * plain function: fault injection, heartbeat jitter, and the fuzz tests and benchmarks that must
 * make the same choices on every run.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
