/**
 * Equality tests of one string value, written as one list test: `E == "a" or E == "b"` → `E in ("a", "b")`,
 * `E != "a" and E != "b"` → `E !in ("a", "b")` (and `=~`/`in~`, `!~`/`!in~` alike), for a value E the NNF
 * simplification (common/simplify.ts, which merges the literals of one field) could not see as one: a
 * computed read (`gettype(x)`, `tostring(parse_json(s).a)`), or tests the printer wrote for different
 * literals. And the negation of a junction whose operands are all negations, pushed through it
 * (`not(not(A) and not(B))` → `A or B`: De Morgan, an identity of Kleene's logic, which KQL's `and`/`or`/
 * `not` follow).
 *
 * Exact: `in` is "equals to any of the elements" (learn.microsoft.com/kusto/query/in-cs-operator, case-sensitive;
 * in-operator for `in~`, case-insensitive as `=~`), `!in` "not equals to any of the elements". Only values
 * the syntax shows are strings and never null are merged (outctx.ts `kqlStringy`: `tostring()`, `gettype()`,
 * a string column), compared with string literals, so both forms are the same two-valued test per row.
 * The list is sorted, so the text does not depend on the order of the operands.
 */
import { and, or, text, type Out } from '../common/out.js';
import { KQL_LEX, KQL_READING, kqlStringy, splitTopAt, tokens, walk, wrapped } from '../common/outctx.js';
import { readKqlString } from './escape.js';

/** `E op "a"` / `E op ("a", "b")` with a stringy E: the value, case-sensitivity, and the literals. */
function listTest(s: string, junction: 'and' | 'or'): { e: string; ci: boolean; items: string[] } | null {
  const t = tokens(s, KQL_LEX);
  if (!t || t.length !== 3) return null;
  const [e, op, rhs] = t as [string, string, string];
  const ops: Record<string, [boolean, boolean]> =
    junction === 'or' ? { '==': [false, false], '=~': [true, false], in: [false, true], 'in~': [true, true] } : { '!=': [false, false], '!~': [true, false], '!in': [false, true], '!in~': [true, true] };
  const o = ops[op];
  if (!o || !kqlStringy(e) || /^__q[0-9]+(_n|_i)?$/.test(e)) return null;
  const [ci, list] = o;
  let items: string[];
  if (list) {
    const inner = wrapped(rhs, '(', KQL_LEX);
    const parts = inner === null ? null : splitTopAt(inner, ',', KQL_LEX);
    if (!parts) return null;
    items = parts.map((p) => p.trim());
  } else items = [rhs];
  if (items.length === 0 || items.some((x) => readKqlString(x) === null)) return null;
  return { e, ci, items };
}

function merged(args: Out[], junction: 'and' | 'or'): Out[] {
  const groups = new Map<string, { at: number; n: number; items: Set<string> }>();
  const tests = args.map((a) => (a.k === 'text' ? listTest(a.s, junction) : null));
  tests.forEach((t, i) => {
    if (!t) return;
    const k = `${t.ci ? '~' : '='}${t.e}`;
    const g = groups.get(k);
    if (g) {
      g.n++;
      t.items.forEach((x) => g.items.add(x));
    } else groups.set(k, { at: i, n: 1, items: new Set(t.items) });
  });
  if (![...groups.values()].some((g) => g.n > 1)) return args;
  const out: Out[] = [];
  args.forEach((a, i) => {
    const t = tests[i];
    const g = t ? groups.get(`${t.ci ? '~' : '='}${t.e}`)! : null;
    if (!t || !g || g.n < 2) return void out.push(a);
    if (g.at !== i) return;
    const items = [...g.items].sort((x, y) => (readKqlString(x)! < readKqlString(y)! ? -1 : readKqlString(x)! > readKqlString(y)! ? 1 : 0));
    const op = junction === 'or' ? (t.ci ? 'in~' : 'in') : t.ci ? '!in~' : '!in';
    out.push(items.length === 1 ? text(`${t.e} ${junction === 'or' ? (t.ci ? '=~' : '==') : t.ci ? '!~' : '!='} ${items[0]}`) : text(`${t.e} ${op} (${items.join(', ')})`));
  });
  return out;
}

/**
 * The condition with the equality tests of one string value in each junction merged into one list test,
 * and each `not(X)` of a total test X written as X's complement (`not(gettype(x) == "string")` →
 * `gettype(x) != "string"`; see the file comment and `complement`).
 */
export function mergeLists(o: Out): Out {
  if (o.k === 'text') {
    const inner = wrapped(o.s, 'not(', KQL_LEX);
    const c = inner === null ? null : complement(inner);
    return c === null ? o : text(c);
  }
  if (o.k !== 'and' && o.k !== 'or') return o;
  const args = merged(o.args.map(mergeLists), o.k);
  if (args.length === o.args.length && args.every((a, i) => a === o.args[i])) return o;
  return o.k === 'and' ? and(...args) : or(...args);
}

/** The inside of a text `not(X)`, parenthesised when X holds a top-level `and`/`or`; null for any other text. */
function unNot(s: string): string | null {
  const inner = wrapped(s, 'not(', KQL_LEX);
  if (inner === null) return null;
  let junction = false;
  walk(inner, KQL_LEX, (i) => {
    if (inner.startsWith(' and ', i) || inner.startsWith(' or ', i)) junction = true;
  });
  return junction ? `(${inner})` : inner;
}

/** Each operator and the one that holds exactly where it fails, on a value that is never null. */
const COMPLEMENT: Record<string, string> = { '==': '!=', '=~': '!~', in: '!in', 'in~': '!in~' };
for (const w of ['contains', 'startswith', 'endswith', 'has']) for (const x of [w, `${w}_cs`]) COMPLEMENT[x] = `!${x}`;
for (const [a, b] of Object.entries({ ...COMPLEMENT })) COMPLEMENT[b] = a;
const NULL_TESTS: Record<string, string> = { isnull: 'isnotnull', isnotnull: 'isnull', isempty: 'isnotempty', isnotempty: 'isempty' };

/**
 * The complement of a test that is never null, as KQL writes it: `E == "a"` ↔ `E != "a"`, `E in (...)` ↔
 * `E !in (...)`, a string operator and its `!` form (learn.microsoft.com/kusto/query/datatypes-string-operators:
 * each `!` operator is the negation of its positive one), `isnull()` ↔ `isnotnull()`, `isempty()` ↔
 * `isnotempty()`. Only where outctx.ts's reading shows the test is total (a string value that is never
 * null; KQL's `not()` of a null is null, which neither form is), else null.
 */
function complement(s: string): string | null {
  const m = /^(isnull|isnotnull|isempty|isnotempty)\(/.exec(s);
  if (m && wrapped(s, `${m[1]}(`, KQL_LEX) !== null) return `${NULL_TESTS[m[1]!]}${s.slice(m[1]!.length)}`;
  const p = KQL_READING.parse(s);
  if (p.k !== 'lit' || !p.total) return null;
  const t = tokens(s, KQL_LEX);
  // a string operand (tostring(), a string column), or two null tests compared (`isnull(a) != isnull(b)`: bools)
  const nullTests = !!t && (t[1] === '==' || t[1] === '!=') && wrapped(t[0]!, 'isnull(', KQL_LEX) !== null && wrapped(t[2]!, 'isnull(', KQL_LEX) !== null;
  if (!t || t.length !== 3 || !(t[1]! in COMPLEMENT) || !(kqlStringy(t[0]!) || nullTests)) return null;
  return `${t[0]} ${COMPLEMENT[t[1]!]} ${t[2]}`;
}

/**
 * The negation of a condition as a tree, when it can be written without a `not(...)` around a junction: a
 * constant flipped, a text `not(X)` as X, a total test as its complement, a junction of such operands as
 * the dual junction of their negations (De Morgan). Null otherwise (the caller writes `not(...)`).
 */
export function negateOut(o: Out): Out | null {
  if (o.k === 'const') return { k: 'const', v: !o.v };
  if (o.k === 'text') {
    const x = unNot(o.s) ?? complement(o.s);
    return x === null ? null : text(x);
  }
  const args = o.args.map(negateOut);
  if (args.some((a) => a === null)) return null;
  return o.k === 'and' ? or(...(args as Out[])) : and(...(args as Out[]));
}
