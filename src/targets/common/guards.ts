/**
 * Type guards that a target's own operator already implies.
 *
 * Simple detections guard string tests with `isinstance`: `KeyPath: actor, Condition: EndsWith`
 * outside a plain `All` lifts to `isinstance(actor, str) and actor.endswith("[bot]")` (Panther's
 * conditions are false, never an error, on a value of the wrong type). In negation normal form the
 * pair is a guard literal next to the test it guards, in the same conjunction, or, negated, in the
 * same disjunction (`not isinstance(actor, str) or not actor.endswith(...)`).
 *
 * Where the target's string operator is itself false on every value that is not a string (Sigma's
 * string modifiers; Logs Insights' `like`/regexes; UDM string fields; a KQL string column, which
 * holds a string or nothing), `isinstance(v, str) and test(v)` is exactly `test(v)` restricted to
 * present values. The guard is dropped and the test literal marked `strGuard`: its Python value on a
 * missing field becomes false (negated: true) instead of an error (`litMissing`), so the printer adds
 * the presence guard the target needs, or reports what it cannot tell, exactly as for any literal.
 *
 * Only a guard and a test on the very same value, siblings of the same `and` (positive) or `or`
 * (both negated), are paired; one guard may cover several tests of its conjunction. A guard is
 * `isinstance(v, str)`, or, for a substring test (Python's `in`, defined on str, list and dict), a
 * disjunction of `isinstance(v, str|list|dict)` that includes `str`: the targets read a field under a
 * substring test as a string whether or not a guard was there (declared in README.md).
 *
 * The rewrite is checked against Python's evaluation of random conditions in
 * test/targets.guards.test.ts.
 */
import type { Rule, Val } from '../../ast/types.js';
import { fieldRef } from '../../ast/view.js';
import type { FieldMapper } from '../../mapping/types.js';
import { TestEvidence, type JsonType } from './evidence.js';
import type { Nnf } from './nnf.js';
import { atomValue, simplify } from './nnf.js';

/**
 * The JSON types on which no target's string operator is known to be false: Sigma backends match a
 * list element by element or as one value, and read a number or boolean as typed or as text (both
 * backend-defined: sigma-specification, the Sigma evaluator refuses to decide); YARA-L applies a test on
 * a repeated UDM field to each element, and a string UDM field holds a number's decimal text; a KQL string
 * column reads a list's JSON text. Python's `isinstance(v, str)` is false on each of them.
 */
const NOT_STR: ReadonlySet<JsonType> = new Set<JsonType>(['list', 'number', 'boolean']);

const byTests = new WeakMap<Rule['tests'], Map<string, Map<FieldMapper | undefined, (v: Val) => boolean>>>();

/**
 * Is the field `v` known to hold a string (or nothing) where present? By the type the mapping states for
 * its log type, else by the rule's tests: where a test shows it as a list, number or boolean, a string
 * operator alone may hold there (element-wise, or on its text) where Python's `isinstance(v, str) and
 * test(v)` is false, so the guard stays (a test whose other conjuncts already decide it false does not
 * show the difference to the proof). A value that is not a field of the event (a computed string, a
 * quantifier's element) is not looked up.
 */
export function testsShowStr(rule: Rule, mapper?: FieldMapper): (v: Val) => boolean {
  const lt = rule.meta.logTypes[0] ?? '';
  let byLt = byTests.get(rule.tests);
  if (!byLt) byTests.set(rule.tests, (byLt = new Map()));
  let byMapper = byLt.get(lt);
  if (!byMapper) byLt.set(lt, (byMapper = new Map()));
  let f = byMapper.get(mapper);
  if (!f) {
    const ev = TestEvidence.of(rule.tests);
    f = (v) => {
      const ref = fieldRef(v);
      if (!ref || ref.root !== 'event') return true;
      const stated = mapper?.valueType?.(lt, ref.path);
      if (stated) return stated === 'string';
      for (const t of ev.types(ref.path)) if (NOT_STR.has(t)) return false;
      return true;
    };
    byMapper.set(mapper, f);
  }
  return f;
}

type Lit = Extract<Nnf, { k: 'lit' }>;

const key = (v: Val): string => JSON.stringify(v);

/** The value a guard tests and the types it admits, or null when `n` is not a guard at this polarity. */
function guardOf(n: Nnf, neg: boolean): { value: string; types: Set<string> } | null {
  const one = (l: Nnf): { value: string; type: string } | null =>
    l.k === 'lit' && l.neg === neg && l.atom.k === 'istype' && !l.strGuard ? { value: key(l.atom.value), type: l.atom.type } : null;
  const single = one(n);
  if (single) return single.type === 'str' ? { value: single.value, types: new Set(['str']) } : null;
  // isinstance(v, (str, list, dict)): an `or` of positive tests, or (negated) an `and` of negated ones
  if (n.k !== (neg ? 'and' : 'or')) return null;
  const parts = n.args.map(one);
  if (parts.some((p) => p === null)) return null;
  const value = parts[0]!.value;
  const types = new Set(parts.map((p) => p!.type));
  if (parts.some((p) => p!.value !== value) || !types.has('str') || [...types].some((t) => t !== 'str' && t !== 'list' && t !== 'dict')) return null;
  return { value, types };
}

/** Is `n` a string test (a match, a comparison with a string, membership in strings) on `value`, at this polarity? */
function guarded(n: Nnf, g: { value: string; types: Set<string> }, neg: boolean): n is Lit {
  if (n.k !== 'lit' || n.neg !== neg || key(atomValue(n.atom)) !== g.value) return false;
  const a = n.atom;
  if (g.types.size > 1) return a.k === 'match' && a.kind === 'contains';
  if (a.k === 'match') return true;
  if (a.k === 'in') return a.list.length > 0 && a.list.every((x) => typeof x === 'string');
  return a.k === 'cmp' && a.right.k === 'lit' && typeof a.right.v === 'string';
}

/** The value and types of an `isinstance` test (or a disjunction of them on one value) at this polarity. */
function typeTest(n: Nnf, neg: boolean): { value: string; types: Set<string> } | null {
  const one = (l: Nnf): { value: string; type: string } | null => (l.k === 'lit' && l.neg === neg && l.atom.k === 'istype' ? { value: key(l.atom.value), type: l.atom.type } : null);
  const single = one(n);
  if (single) return { value: single.value, types: new Set([single.type]) };
  if (n.k !== (neg ? 'and' : 'or')) return null;
  const parts = n.args.map(one);
  if (parts.some((p) => p === null) || parts.some((p) => p!.value !== parts[0]!.value)) return null;
  return { value: parts[0]!.value, types: new Set(parts.map((p) => p!.type)) };
}

/**
 * Does `s` imply that `value` has one of `types`? (At `neg`, for a disjunction: does the negation
 * of `s` imply it.) An `isinstance` test of those types, a test that absorbed a str guard, a
 * conjunction with such a member, a disjunction whose every branch has one.
 */
function impliesType(s: Nnf, value: string, types: Set<string>, neg: boolean): boolean {
  if (s.k === 'lit') {
    if (s.neg !== neg || key(atomValue(s.atom)) !== value) return false;
    if (s.atom.k === 'istype') return types.has(s.atom.type);
    return !!s.strGuard && types.has('str');
  }
  if (s.k === (neg ? 'or' : 'and')) return s.args.some((a) => impliesType(a, value, types, neg));
  if (s.k === (neg ? 'and' : 'or')) return s.args.every((a) => impliesType(a, value, types, neg));
  return false;
}

/**
 * Drop every `isinstance(v, str)` guard whose conjunction holds a string test on `v`, when
 * `impliesStr(v)` says the target's string operators are false on non-string values of `v`. Then
 * drop every `isinstance` test that a sibling implies (`isinstance(v, (str, list)) and
 * (isinstance(v, str) and ... or isinstance(v, list) and ...)`): plain logic, exact on any target.
 */
export function dropStrGuards(n: Nnf, impliesStr: (v: Val) => boolean): Nnf {
  switch (n.k) {
    case 'and':
    case 'or': {
      const args = n.args.map((a) => dropStrGuards(a, impliesStr));
      const neg = n.k === 'or';
      const drop = new Set<number>();
      const mark = new Set<number>();
      args.forEach((a, i) => {
        const g = guardOf(a, neg);
        if (!g) return;
        const tests = args.flatMap((t, j) => (j !== i && guarded(t, g, neg) ? [j] : []));
        if (tests.length === 0 || !impliesStr(atomValue((args[tests[0]!] as Lit).atom))) return;
        drop.add(i);
        for (const j of tests) mark.add(j);
      });
      const out = args.flatMap((a, i): Nnf[] => (drop.has(i) ? [] : mark.has(i) ? [{ ...(a as Lit), strGuard: true }] : [a]));
      // a type test implied by a sibling (one at a time: two tests must not justify each other)
      for (let i = 0; i < out.length; i++) {
        const t = typeTest(out[i]!, neg);
        if (t && out.some((s, j) => j !== i && impliesType(s, t.value, t.types, neg))) out.splice(i--, 1);
      }
      return simplify({ k: n.k, args: out });
    }
    case 'quant':
      return { ...n, body: dropStrGuards(n.body, impliesStr) };
    default:
      return n;
  }
}
