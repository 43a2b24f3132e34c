/**
 * Numbering of and/or nodes by their operands' numbers (hash-consing): the same junction of the same
 * operand numbers gets the same number, without building and interning a key text. Used by
 * ast/normalize.ts (`predId`, operands in order) and targets/common/simplify.ts (`nodeId`, operands
 * sorted: any order).
 */
interface Entry {
  and: boolean;
  ops: Int32Array;
  id: number;
}

export class JunctionIds {
  private readonly buckets = new Map<number, Entry[]>();

  /**
   * The number of an and (`and`) or an or of operands numbered `ops`; `fresh()` gives a new one the first time.
   * `ops` is read, not kept: a new entry holds a copy (callers pass a plain array built per call, cheaper
   * than a typed array made with a mapping function, which a profile showed as most of this lookup's cost).
   */
  id(and: boolean, ops: ArrayLike<number>, fresh: () => number): number {
    let h = and ? 0x2545f491 : 0x6c8e9cf5;
    for (let i = 0; i < ops.length; i++) h = Math.imul(h ^ (ops[i] as number), 0x9e3779b1) ^ (h >>> 15);
    h = (h ^ ops.length) >>> 0;
    let bucket = this.buckets.get(h);
    if (!bucket) this.buckets.set(h, (bucket = []));
    for (const e of bucket) {
      if (e.and !== and || e.ops.length !== ops.length) continue;
      let same = true;
      for (let i = 0; i < ops.length; i++) {
        if (e.ops[i] !== ops[i]) {
          same = false;
          break;
        }
      }
      if (same) return e.id;
    }
    const id = fresh();
    bucket.push({ and, ops: Int32Array.from(ops), id });
    return id;
  }
}
