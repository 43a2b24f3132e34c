/**
 * The `mv-apply` stages of quantifiers (printer.ts `quant`), kept as records so that the quantifiers over one
 * array share one expansion.
 *
 * A quantifier's stage is `mv-apply with_itemindex=__qN_i __qN = array_concat(coalesce(A, dynamic([])),
 * dynamic([null])) on ([inner stages |] summarize __qN_n = countif(...))`: per row, the array's elements (and
 * a sentinel null) become the rows of a subtable, the inner stages add their counts to each element row, and
 * the summarize without grouping keys makes one row of the counts (learn.microsoft.com/kusto/query/mv-apply-operator;
 * learn.microsoft.com/kusto/query/summarize-operator: "the output will be a single row" without grouping keys,
 * and a summarize may compute several aggregates, "Column = Aggregation [, ...]"). Two quantifiers over the
 * same array `A` expand the same subtable, so one `mv-apply ... on (summarize __q1_n = countif(X), __q2_n =
 * countif(Y))` computes both counts on it: the second quantifier's element column and index are renamed to the
 * first's in its count (and in its own inner stages, which read the element). The row keeps its other columns
 * either way, so a later stage sees the same columns.
 */
import type { Val } from '../../ast/types.js';
import { spanlessKey } from '../../ast/view.js';
import type { Nnf } from '../common/nnf.js';
import { KQL_LEX } from '../common/outctx.js';

export interface Apply {
  /** The element column (`__qN`); its index is `__qN_i`. */
  v: string;
  /** The array expanded (read in the enclosing scope: the row, or an enclosing quantifier's element). */
  arr: string;
  /** The quantifiers nested in the bodies, each an mv-apply in the subquery before the summarize. */
  inner: Apply[];
  /**
   * The counts the summarize computes: `name = countif(test)` over the array's own elements; `or`: the test has
   * a top-level `or`; `real`: the test holds only on an element that is not null (printer.ts `realOnly`), so the
   * sentinel null never counts and needs no index test.
   */
  counts: { name: string; test: string; or: boolean; real?: boolean }[];
  /** `arr` is never null: a list read with a default (`coalesce(A, dynamic([...]))`). */
  defaulted?: boolean;
}

/**
 * The stage's text. The sentinel null appended to the array (its index is the array's length) keeps the
 * rows of an empty or missing array, and is left out of every count by the index test `__qN_i <
 * array_length(A)`: beside each count's test (`countif(__qN_i < array_length(A) and X)`), or, for two counts
 * or more, once in a `where` before the summarize (shorter): a summarize without grouping keys over an empty
 * input still makes one row, where countif() is 0 (learn.microsoft.com/kusto/query/summarize-operator: "If
 * GroupExpression isn't provided, the output is a single (empty) row"; the default value of count() and
 * countif() is 0). A count whose test holds only on an element that is not null (`real`) needs no index
 * test: the sentinel is null, so it never counts (countif counts the rows where the test is true); where no
 * count needs one, the index is not named (`with_itemindex` left out).
 */
export function renderApply(a: Apply): string {
  const real = `${a.v}_i < array_length(${a.arr})`;
  const guarded = a.counts.filter((c) => !c.real);
  const filter = guarded.length > 0 && a.counts.length > 1;
  const counts = a.counts.map((c) => `${c.name} = countif(${filter || c.real ? c.test : `${real} and ${c.or ? `(${c.test})` : c.test}`})`);
  const sub = [...(filter ? [`where ${real}`] : []), ...a.inner.map(renderApply), `summarize ${counts.join(', ')}`].join(' | ');
  // the elements are dynamic values: mv-apply's default type ("if unspecified, dynamic is used",
  // learn.microsoft.com/kusto/query/mv-apply-operator), so no `to typeof(dynamic)`
  const arr = a.defaulted ? a.arr : `coalesce(${a.arr}, dynamic([]))`;
  const index = guarded.length > 0 ? `with_itemindex=${a.v}_i ` : '';
  return `mv-apply ${index}${a.v} = array_concat(${arr}, dynamic([null])) on (${sub})`;
}

/** `s` with every identifier `from` (a whole word, outside string literals) written `to`; null when a string does not close. */
export function renameWord(s: string, from: string, to: string): string | null {
  const re = new RegExp(`\\b${from}\\b`, 'g');
  // the spans of string literals, left as they are
  const spans: [number, number][] = [];
  for (let i = 0; i < s.length; i++) {
    const j = KQL_LEX.quoted(s, i);
    if (j < 0) return null;
    if (j > i) {
      spans.push([i, j]);
      i = j - 1;
    }
  }
  return s.replace(re, (m, i: number) => (spans.some(([a, b]) => i >= a && i < b) ? m : to));
}

/** The record with the element `from` (and its index) renamed `to`, in its array and counts and in its inner stages. */
function renameApply(a: Apply, from: string, to: string): Apply | null {
  const r = (s: string): string | null => {
    const once = renameWord(s, from, to);
    return once === null ? null : renameWord(once, `${from}_i`, `${to}_i`);
  };
  const arr = r(a.arr);
  const inner = a.inner.map((x) => renameApply(x, from, to));
  const counts = a.counts.map((c) => ({ ...c, test: r(c.test) }));
  if (arr === null || inner.some((x) => x === null) || counts.some((c) => c.test === null)) return null;
  return { v: a.v, arr, inner: inner as Apply[], counts: counts as Apply['counts'], ...(a.defaulted ? { defaulted: true } : {}) };
}

/** The names a record defines in the row it returns: its counts. */
const defined = (a: Apply): string[] => a.counts.map((c) => c.name);

/** Does text `s` read the word `w`? */
const reads = (s: string, w: string): boolean => new RegExp(`\\b${w}\\b`).test(s);

/**
 * The stages with each mv-apply over an array merged into an earlier one over the same array, when only
 * mv-apply stages stand between them and the later one reads none of their counts (it is then computed
 * earlier, on the same row: the counts between add columns it does not read). Inner stages merge alike.
 */
export function mergeApplies<S extends string | Apply>(stages: readonly S[], records: (s: S) => Apply | undefined): (S | Apply)[] {
  const out: (S | Apply)[] = [];
  const rec = (x: S | Apply): Apply | undefined => (typeof x === 'string' ? records(x as S) : (x as Apply));
  for (const s of stages) {
    const a = rec(s);
    if (!a) {
      out.push(s);
      continue;
    }
    const text = renderApply(a);
    let target = -1;
    for (let j = out.length - 1; j >= 0; j--) {
      const g = rec(out[j]!);
      if (!g) break;
      if (g.arr === a.arr) {
        target = j;
        break;
      }
      // moved before this stage: it must not read its counts
      if (defined(g).some((n) => reads(text, n))) break;
    }
    const g = target < 0 ? undefined : rec(out[target]!)!;
    const b = g ? renameApply(a, a.v, g.v) : null;
    if (!g || !b) {
      out.push(s);
      continue;
    }
    const inner = mergeApplies<Apply>([...g.inner, ...b.inner], (x) => x) as Apply[];
    out[target] = { v: g.v, arr: g.arr, inner, counts: [...g.counts, ...b.counts], ...(g.defaulted ? { defaulted: true } : {}) };
  }
  return out;
}

/** The merged stages as text (index.ts: after the stages nothing reads are left out). */
export function mergeStages(stages: readonly string[], records: ReadonlyMap<string, Apply>): string[] {
  return mergeApplies(stages, (s) => records.get(s)).map((x) => (typeof x === 'string' ? x : renderApply(x)));
}

/**
 * The merged stages as text, with each quantifier whose count the query reads only in a top-level
 * conjunct `__qN_n > 0` of `where` written as a filter: `where array_length(A) > 0 | mv-apply __qN = A on
 * ([inner stages |] where X | take 1)`, that conjunct left out of `where`. Exact: the row is kept where A
 * is an array with an element whose X holds (the count above 0; its sentinel null never counts). The first
 * `where` keeps the rows whose A is a non-empty array (array_length() is null on anything else,
 * learn.microsoft.com/kusto/query/array-length-function; a null predicate drops the row), the others having a
 * count of 0; mv-apply "applies a subquery to each record, and returns the union of the results of all
 * subqueries" (learn.microsoft.com/kusto/query/mv-apply-operator): the subquery keeps at most one element
 * row whose X holds (learn.microsoft.com/kusto/query/take-operator), so the input row is returned once, with
 * its columns and the element's, where some element holds X, and not at all where none does. The element
 * column is an addition no later stage reads (the count was the only name it defined); nothing reads its index.
 * The filters (`filters`) go after the query's other stages (they read none of the names those define, and
 * a filter commutes with an extend), so that its `extend` names come first, as everywhere.
 */
export function existsStages(stages: readonly string[], records: ReadonlyMap<string, Apply>, where: readonly string[], rest: readonly string[]): { stages: string[]; filters: string[]; where: string[] } {
  const merged = mergeApplies(stages, (s) => records.get(s)).map((x) => (typeof x === 'string' ? (records.get(x) ?? x) : x));
  const texts = merged.map((x) => (typeof x === 'string' ? x : renderApply(x)));
  let conds = [...where];
  const filters: string[] = [];
  const out = merged.map((x, i) => {
    if (typeof x === 'string' || x.counts.length !== 1) return [texts[i]!];
    const c = x.counts[0]!;
    const at = `${c.name} > 0`;
    const others = [...texts.filter((_, j) => j !== i), ...conds.filter((w) => w !== at), ...rest];
    const test = c.test;
    if (conds.filter((w) => w === at).length !== 1 || others.some((t) => reads(t, c.name)) || reads(test, `${x.v}_i`) || x.inner.some((a) => reads(renderApply(a), `${x.v}_i`))) return [texts[i]!];
    conds = conds.filter((w) => w !== at);
    const sub = [...x.inner.map(renderApply), `where ${test}`, 'take 1'].join(' | ');
    filters.push(`where array_length(${x.arr}) > 0`, `mv-apply ${x.v} = ${x.arr} on (${sub})`);
    return [];
  });
  return { stages: out.flat(), filters, where: conds };
}


/**
 * The quantifiers over one list joined where the junction allows it: `any(L, A) or any(L, B)` is
 * `any(L, A or B)`, and `all(L, A) and all(L, B)` is `all(L, A and B)`. In KQL each is an mv-apply count
 * (`countif(X) > 0 or countif(Y) > 0` against `countif(X or Y) > 0`; `countif(not(A)) == 0 and
 * countif(not(B)) == 0` against `countif(not(A) or not(B)) == 0`): some element row holds X or some holds
 * Y exactly where some holds `X or Y` (countif counts the rows where its predicate is true, and `X or Y` is
 * true exactly where one of them is, learn.microsoft.com/kusto/query/logical-operators), and the printed
 * body of a junction is the junction of the printed bodies. The literals are the same objects (a set of
 * literals keyed by identity, printer.impliedValid, still finds them); the first quantifier's place and span are kept.
 */
export function joinQuantifiers(n: Nnf): Nnf {
  switch (n.k) {
    case 'and':
    case 'or': {
      const q = n.k === 'or' ? 'any' : 'all';
      const args: Nnf[] = [];
      const at = new Map<string, number>();
      for (const a0 of n.args) {
        const a = joinQuantifiers(a0);
        if (a.k !== 'quant' || a.q !== q) {
          args.push(a);
          continue;
        }
        const key = spanlessKey(a.list);
        const i = at.get(key);
        if (i === undefined) {
          at.set(key, args.length);
          args.push(a);
          continue;
        }
        const prev = args[i] as Extract<Nnf, { k: 'quant' }>;
        const parts = (b: Nnf): Nnf[] => (b.k === n.k ? b.args : [b]);
        args[i] = { ...prev, body: { k: n.k, args: [...parts(prev.body), ...parts(a.body)] } };
      }
      return args.length === n.args.length && args.every((a, i) => a === n.args[i]) ? n : { k: n.k, args };
    }
    case 'quant': {
      const body = joinQuantifiers(n.body);
      return body === n.body ? n : { ...n, body };
    }
    default:
      return n;
  }
}
