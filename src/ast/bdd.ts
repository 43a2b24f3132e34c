/**
 * A small reduced ordered binary decision diagram (ROBDD) package: nodes are numbers (0 false, 1
 * true), hash-consed so that two equal functions are the same number. Used to decide equivalence of
 * boolean conditions over atoms (targets/common/equiv.ts). Bounded: past `maxNodes` it throws
 * BddLimit instead of running on.
 */
export class BddLimit extends Error {
  constructor(n: number) {
    super(`the decision diagram needs more than ${n} nodes`);
  }
}

/**
 * One map key for three node (or variable) numbers: a number while each is below 2^17 (exact in a double), else a
 * text. The texts built per call (`${f},${g},${h}`) were most of ite()'s own time; the two kinds of key never
 * meet in a Map (a number is never equal to a string).
 */
const KEY_BITS = 2 ** 17;
function key3(a: number, b: number, c: number): number | string {
  return a < KEY_BITS && b < KEY_BITS && c < KEY_BITS ? (a * KEY_BITS + b) * KEY_BITS + c : `${a},${b},${c}`;
}

export class Bdd {
  private vars: number[] = [-1, -1];
  private los: number[] = [0, 1];
  private his: number[] = [0, 1];
  /** Keyed by `key3` of (variable, lo, hi); the ite memo by `key3` of (f, g, h). */
  private unique = new Map<number | string, number>();
  private memo = new Map<number | string, number>();
  /** Number of variables allocated (variables are ordered by allocation). */
  private nvars = 0;

  constructor(private readonly maxNodes = 2_000_000) {}

  get size(): number {
    return this.vars.length;
  }

  /** A fresh variable (ordered after every variable allocated before it). */
  newVar(): number {
    const v = this.nvars++;
    return this.mk(v, 0, 1);
  }

  /** The node for `if var then hi else lo` (reduced, unique). */
  private mk(v: number, lo: number, hi: number): number {
    if (lo === hi) return lo;
    const key = key3(v, lo, hi);
    const hit = this.unique.get(key);
    if (hit !== undefined) return hit;
    const id = this.vars.length;
    if (id >= this.maxNodes) throw new BddLimit(this.maxNodes);
    this.vars.push(v);
    this.los.push(lo);
    this.his.push(hi);
    this.unique.set(key, id);
    return id;
  }

  private top(a: number): number {
    return a < 2 ? Infinity : (this.vars[a] as number);
  }

  /** if-then-else: the one operation the others are built on. */
  ite(f: number, g: number, h: number): number {
    if (f === 1) return g;
    if (f === 0) return h;
    if (g === h) return g;
    if (g === 1 && h === 0) return f;
    const key = key3(f, g, h);
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const tf = this.top(f);
    const tg = this.top(g);
    const th = this.top(h);
    const v = Math.min(tf, tg, th);
    // the cofactors of f, g and h on v, without a closure per call
    const { his, los } = this;
    const hi = this.ite(tf === v ? (his[f] as number) : f, tg === v ? (his[g] as number) : g, th === v ? (his[h] as number) : h);
    const lo = this.ite(tf === v ? (los[f] as number) : f, tg === v ? (los[g] as number) : g, th === v ? (los[h] as number) : h);
    const out = this.mk(v, lo, hi);
    this.memo.set(key, out);
    return out;
  }

  not(a: number): number {
    return this.ite(a, 0, 1);
  }
  and(...xs: number[]): number {
    let acc = 1;
    for (const x of xs) {
      acc = this.ite(acc, x, 0);
      if (acc === 0) return 0;
    }
    return acc;
  }
  or(...xs: number[]): number {
    let acc = 0;
    for (const x of xs) {
      acc = this.ite(acc, 1, x);
      if (acc === 1) return 1;
    }
    return acc;
  }
  xor(a: number, b: number): number {
    return this.ite(a, this.not(b), b);
  }

  /** One assignment (variable index → value) that makes `a` true, or null when `a` is false. */
  satisfy(a: number): Map<number, boolean> | null {
    if (a === 0) return null;
    const out = new Map<number, boolean>();
    let x = a;
    while (x > 1) {
      const v = this.vars[x] as number;
      if (this.his[x] !== 0) {
        out.set(v, true);
        x = this.his[x] as number;
      } else {
        out.set(v, false);
        x = this.los[x] as number;
      }
    }
    return out;
  }

  /** The variable index of a node made by newVar(). */
  varIndex(node: number): number {
    return this.vars[node] as number;
  }
}
