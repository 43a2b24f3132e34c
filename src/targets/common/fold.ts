/**
 * The one and/or constant folder, for every boolean tree the targets build (the NNF of a condition,
 * the infix targets' rendered text, Sigma's search-identifier condition): constants are folded (`true`
 * is the unit of `and`, `false` absorbs it; dually for `or`) and nested connectives of the same kind
 * flattened. `fold` simplifies each argument first (identity for trees already folded bottom-up).
 */
export type Junction<N> = { k: 'and' | 'or'; args: N[] };
type Const = { k: 'const'; v: boolean };

export function foldJunction<N extends { k: string }>(k: 'and' | 'or', args0: readonly N[], fold: (a: N) => N = (a) => a): N {
  const unit = k === 'and';
  const args: N[] = [];
  for (const a0 of args0) {
    const a = fold(a0);
    if (a.k === 'const') {
      if ((a as unknown as Const).v === unit) continue;
      return { k: 'const', v: !unit } as unknown as N;
    }
    if (a.k === k) args.push(...(a as unknown as Junction<N>).args);
    else args.push(a);
  }
  if (args.length === 0) return { k: 'const', v: unit } as unknown as N;
  if (args.length === 1) return args[0]!;
  return { k, args } as unknown as N;
}
