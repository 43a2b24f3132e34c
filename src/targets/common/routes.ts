/**
 * Routed log types (`sources.kql.routes` in a mapping): Sentinel stores some events of one Panther log
 * type in another table, by the value of one of their fields (an Azure Monitor resource log of category
 * `kube-audit` lands in AzureDiagnostics, the activity log in AzureActivity). A query over such a log
 * type reads one branch per route (the route's mapping: its table and columns) and one for the rest
 * (the log type's own table), each with the condition as it reads there: on a route's rows the field
 * holds one of the route's values, on the rest none of them, so the tests of that field are decided.
 */
import type { Pred, Val } from '../../ast/types.js';
import { fieldRef } from '../../ast/view.js';
import { mapLeaves } from '../../ast/normalize.js';
import type { FieldMapper, LogSource } from '../../mapping/types.js';
import { mapLits, type Nnf } from './nnf.js';

/** What a branch knows of a field: it holds one of `values` (`inside`), or none of them. */
export interface RouteFact {
  field: string[];
  values: string[];
  inside: boolean;
}

/** One branch of a log type: the mapping it is read with (`read`), and what its rows hold. */
export interface RouteBranch {
  read: string;
  facts: RouteFact[];
}

/** The branches of a log type on KQL: the log type's own table, then one per route; one when it has no routes. */
export function routeBranches(mapper: FieldMapper, logType: string): RouteBranch[] {
  const routes = mapper.source(logType, 'kql')?.routes ?? [];
  if (routes.length === 0) return [{ read: logType, facts: [] }];
  return [
    { read: logType, facts: routes.map((r) => ({ field: r.field, values: r.values, inside: false })) },
    ...routes.map((r) => ({ read: r.logType, facts: [{ field: r.field, values: r.values, inside: true }] })),
  ];
}

/**
 * The condition on a branch's rows: a case-sensitive `==`/`!=`/`in` of the routed field against
 * literals becomes a constant where the branch's facts decide it. A field read with a default that is
 * one of the route's values is left alone outside the route (a missing field reads that value there).
 */
export function specializeRoute(p: Pred, facts: readonly RouteFact[]): Pred {
  if (facts.length === 0) return p;
  return mapLeaves(p, routeLeaf(facts));
}

/** `specializeRoute` on a condition in negation normal form: a literal the facts decide becomes its constant. */
export function specializeRouteNnf(n: Nnf, facts: readonly RouteFact[]): Nnf {
  if (facts.length === 0) return n;
  const leaf = routeLeaf(facts);
  return mapLits(n, (l) => {
    const d = leaf(l.atom);
    // a decided test reads a string of the route's values (or none of them): a str guard (guards.ts) holds or fails with it
    return d.k === 'const' ? { k: 'const', v: d.v !== l.neg } : l;
  });
}

/**
 * The tables of a source that can hold a row the condition selects (`sources.kql.tableValues`): a
 * table keyed by a value of the field is left out where the condition, on rows whose field holds that
 * value, folds to false, provided it also folds to false on rows whose field holds none of the keyed
 * values (the mapping does not say where those land: every table may hold them). Tables without a
 * value are kept. Where the mapping says a keyed table holds only rows of its value (`exclusive`), the
 * rows of other values are not in it, and the second proviso goes. An exact rewrite: a row of a left-out
 * table holds its value, which the condition rejects.
 */
export function keyedTables(tables: readonly string[], key: LogSource['tableValues'], n: Nnf): string[] {
  if (!key) return [...tables];
  const values = Object.values(key.values);
  const none = (facts: RouteFact[]): boolean => {
    const c = specializeRouteNnf(n, facts);
    return c.k === 'const' && !c.v;
  };
  if (!key.exclusive && !none([{ field: key.field, values, inside: false }])) return [...tables];
  const kept = tables.filter((t) => {
    const v = key.values[t];
    return v === undefined || !none([{ field: key.field, values: [v], inside: true }]);
  });
  return kept.length ? kept : [...tables];
}

/** The rewrite of one leaf by the facts (a constant where they decide it). */
function routeLeaf(facts: readonly RouteFact[]): (q: Pred) => Pred {
  const factOf = (v: Val): RouteFact | undefined => {
    const ref = fieldRef(v);
    if (ref?.root !== 'event') return undefined;
    return facts.find(
      (f) =>
        f.field.length === ref.path.length &&
        f.field.every((s, i) => s === ref.path[i]) &&
        (f.inside || ref.default === undefined || !f.values.includes(ref.default as string)),
    );
  };
  // the value of `value in list` given the fact, or undefined when the fact does not decide it
  const decide = (f: RouteFact, list: readonly unknown[]): boolean | undefined => {
    if (f.inside) {
      if (f.values.every((x) => list.includes(x))) return true;
      if (!f.values.some((x) => list.includes(x))) return false;
      return undefined;
    }
    return list.length > 0 && list.every((x) => typeof x === 'string' && f.values.includes(x)) ? false : undefined;
  };
  return (q) => {
    switch (q.k) {
      case 'cmp': {
        if ((q.op !== 'eq' && q.op !== 'ne') || q.ci || q.right.k !== 'lit' || typeof q.right.v !== 'string') return q;
        const f = factOf(q.left);
        const d = f && decide(f, [q.right.v]);
        return d === undefined ? q : { k: 'const', v: d === (q.op === 'eq') };
      }
      case 'in': {
        if (q.ci) return q;
        const f = factOf(q.value);
        const d = f && decide(f, q.list);
        return d === undefined ? q : { k: 'const', v: d };
      }
      default:
        return q;
    }
  };
}
