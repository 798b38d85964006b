/**
 * Seeded pseudo-random numbers for the generator. Everything the seed writes derives from one of these
 * streams, so a (seed, cases, asOf) triple always produces byte-identical databases. Math.random is never
 * used. The core is sfc32 (small, fast, passes PractRand); each phase forks its own stream from the seed
 * and a label, so adding draws to one phase does not reshuffle the others.
 */

/** 32-bit FNV-1a of a label, mixed with the seed through splitmix32. */
function mix(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return splitmix32(h ^ Math.imul(seed >>> 0, 0x9e3779b9));
}

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(
    readonly seed: number,
    readonly label = '',
  ) {
    let s = mix(seed, label);
    this.a = s = splitmix32(s);
    this.b = s = splitmix32(s);
    this.c = s = splitmix32(s);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** An independent stream for one phase of generation. */
  fork(label: string): Random {
    return new Random(this.seed, `${this.label}/${label}`);
  }

  u32(): number {
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi). */
  real(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal (Box-Muller, the spare value cached). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-space standard deviation. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /**
   * Discrete Pareto on 1, 2, 3, ...: P(X >= k) = k^-alpha, truncated at `cap` (values above it become
   * `cap`). alpha 1.6 gives the court registries' shape: most debtors owe in one case, a few in hundreds.
   */
  paretoDiscrete(alpha: number, cap: number): number {
    const u = 1 - this.next(); // (0, 1]
    const x = Math.floor(Math.pow(u, -1 / alpha));
    return x > cap ? cap : x;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** `k` distinct items of `items` in random order (partial Fisher-Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const t = copy[i]!;
      copy[i] = copy[j]!;
      copy[j] = t;
    }
    copy.length = n;
    return copy;
  }
}

/** Draws indices in proportion to fixed weights (cumulative table, binary search). */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) {
      throw new RangeError('WeightedTable needs one positive weight per item');
    }
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0)) throw new RangeError(`weight ${i} is not a non-negative number`);
      sum += w;
      this.cumulative[i] = sum;
    }
    if (sum <= 0) throw new RangeError('WeightedTable needs a positive total weight');
    this.total = sum;
  }

  index(rng: Random): number {
    return this.indexAt(rng.next());
  }

  /** The index a uniform `u` in [0, 1) falls on: with a low-discrepancy sequence, counts follow the weights closely. */
  indexAt(u: number): number {
    const x = u * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  draw(rng: Random): T {
    return this.items[this.index(rng)]!;
  }

  drawAt(u: number): T {
    return this.items[this.indexAt(u)]!;
  }

  /** Builds a table from [item, weight] pairs. */
  static of<T>(pairs: readonly (readonly [T, number])[]): WeightedTable<T> {
    return new WeightedTable(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }
}

/**
 * A golden-ratio (Weyl) sequence from a random start: uniform in [0, 1) but evenly spread, so a table drawn with it
 * fills every item in proportion to its weight even over few draws (a small province's courts get their share of
 * cases rather than a Poisson scatter around it).
 */
export class EvenSpread {
  private x: number;
  constructor(rng: Random) {
    this.x = rng.next();
  }
  next(): number {
    this.x = (this.x + 0.6180339887498949) % 1;
    return this.x;
  }
}
