/**
 * Contextual simplification of a printed condition (`Out`), after the printer and before the layout.
 *
 * A target writes one NNF literal as text with its own guards (a type test, a presence test), so two
 * different literals of the NNF can share a printed piece that the NNF simplification could not see:
 * `gettype(x) == "dictionary" or gettype(x) == "string" and not(gettype(x) == "dictionary")`. Here the
 * texts are read back per target (`Reading`) into literals: identical text is the same predicate, and
 * a target's own negation (`not(...)`, `!=`, `isnull`/`isnotnull`...) is its complement where the
 * syntax shows a predicate that is never null. Then, as in the NNF pass: inside an `and` the siblings
 * hold, inside an `or` they failed, so the same literal (or sub-term) deeper in a sibling is decided
 * (`A or (B and not A)` → `A or B`, `A and (A or C)` → `A`). The tree is rebuilt with out.ts's
 * builders (duplicates, absorption, factoring); a subtree nothing decided keeps its text as written.
 *
 * Soundness, in the three-valued logic of the targets (KQL: `and`/`or`/`not` on null are Kleene's; a
 * `where`, a `countif` keep the rows where the condition is true): every literal is a fixed value per
 * row (true, false or null). For any literal or sub-term X and any φ, `X and φ(X)` ≡ `X and φ(true)` and
 * `X or φ(X)` ≡ `X or φ(false)` in Kleene's logic (φ is monotone in X, both for truth and for
 * definedness), so the same literal is decided whatever it is. Its complement (`not X` → false in an
 * `and`, true in an `or`), and what it implies (`gettype(x) == "bool"` → `isnotnull(x)`), only where X is
 * `total`: a predicate the syntax shows is never null (`gettype()`, `isnull()`, `isempty()`, a string
 * operator on `tostring()` or a string column, `coalesce(..., 0) == 0`, the query's `truthy()`). A
 * literal the reading does not know is opaque: one variable, decided only as itself.
 *
 * The work is bounded (WORK): past it, the condition is left as printed.
 */
import type { Out } from './out.js';

/** A literal: a predicate `key`, negated or not; `total` where it is never null; `text` as printed. */
export type Lit = { k: 'lit'; key: string; neg: boolean; total: boolean; text: string };
/** A text read back: a literal, or the target's own and/or/not inside one printed text. */
export type Parsed = Lit | { k: 'and' | 'or'; args: Parsed[] } | { k: 'const'; v: boolean };

/** How a target's printed texts read as literals. */
export interface Reading {
  parse(s: string): Parsed;
  /** The literals (all total) that hold whenever the total literal `l` holds. */
  implied(l: Lit): { key: string; neg: boolean }[];
  /** The negation of a text, in the target's syntax. */
  not(s: string): string;
  /**
   * The literals (all total) that hold whenever the literal `l` holds, for a literal that may be null
   * (`toreal(x.a) > 50`). Used only where `l` is assumed true (beside it in an `and`), to decide them true:
   * a query keeps the rows where its condition is true (a `where`, a `countif`), and whether an and/or of
   * literals is true depends only on which of its literals are true (with and/or as min/max over
   * false < null < true, "is true" maps min to `and` and max to `or`), so deciding a literal true in the
   * rows where its sibling is true keeps exactly those rows. Optional.
   */
  held?(l: Lit): { key: string; neg: boolean }[];
  /**
   * Drop a total literal of an `or` that, assumed true, makes another operand true (what it implies
   * decides that operand): `Y or L` is `Y` when L implies Y. Opt-in per reading (the pass is then
   * quadratic in the literals of an `or`).
   */
  absorb?: boolean;
}

type N = (Lit | { k: 'and' | 'or'; args: N[] } | { k: 'const'; v: boolean }) & { src?: Out };
type Op = 'and' | 'or';

/** The work one condition may take (nodes visited); far above what any corpus query needs. */
const WORK = 2_000_000;
/** Siblings past this many are only used for context when they are literals (the pass is quadratic in them). */
const WIDE = 200;

// ---------------------------------------------------------------------------------------------------
// Scanning printed text: strings, brackets, top-level words

export interface Lex {
  /** `s[i]` opens a quoted span (string, backticked name, regex literal): the index after it closes, or -1. */
  quoted(s: string, i: number): number;
}

/** Double-quoted strings with backslash escapes (KQL). */
export const KQL_LEX: Lex = {
  quoted(s, i) {
    if (s[i] !== '"') return i;
    for (let j = i + 1; j < s.length; j++) {
      if (s[j] === '\\') j++;
      else if (s[j] === '"') return j + 1;
    }
    return -1;
  },
};

/** Logs Insights: "..." and '...' strings, `...` names, /.../ regex literals (escapes: backslash). */
const CWL_LEX: Lex = {
  quoted(s, i) {
    const q = s[i];
    if (q !== '"' && q !== "'" && q !== '`' && q !== '/') return i;
    for (let j = i + 1; j < s.length; j++) {
      if (s[j] === '\\' && q !== '`') j++;
      else if (s[j] === q) return j + 1;
    }
    return -1;
  },
};

/**
 * Walk `s` at bracket depth 0 outside quoted spans: `at(i)` is called at each such index; null when the
 * brackets or quotes do not balance.
 */
export function walk(s: string, lex: Lex, at: (i: number) => void): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; ) {
    const j = lex.quoted(s, i);
    if (j < 0) return false;
    if (j > i) {
      if (depth === 0) at(i);
      i = j;
      continue;
    }
    const c = s[i]!;
    if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) at(i);
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth < 0) return false;
    } else if (depth === 0) at(i);
    i++;
  }
  return depth === 0;
}

/** The parts of `s` between top-level occurrences of ` word `, or null when unbalanced. */
function splitTop(s: string, word: string, lex: Lex): string[] | null {
  const sep = ` ${word} `;
  const cuts: number[] = [];
  const ok = walk(s, lex, (i) => {
    if (s[i] === ' ' && s.startsWith(sep, i)) cuts.push(i);
  });
  if (!ok) return null;
  const parts: string[] = [];
  let from = 0;
  for (const c of cuts) {
    if (c < from) continue; // overlapping (`a and and b` is not printed)
    parts.push(s.slice(from, c));
    from = c + sep.length;
  }
  parts.push(s.slice(from));
  return parts;
}

/**
 * `s` with the operands of each `or` and `and` (at the top, and inside a parenthesised operand) in a fixed
 * order: two texts that differ only in the order of such operands give the same text. For comparing
 * conditions (`and`/`or` are commutative, learn.microsoft.com/kusto/query/logical-operators), not for printing.
 */
export function sortedJunctions(s: string, lex: Lex): string {
  for (const w of ['or', 'and']) {
    const parts = splitTop(s, w, lex);
    if (parts && parts.length > 1) return parts.map((p) => sortedJunctions(p.trim(), lex)).sort().join(` ${w} `);
  }
  const inner = wrapped(s, '(', lex);
  return inner === null ? s : `(${sortedJunctions(inner, lex)})`;
}

/** The inside of `s` when it is `prefix` + balanced text + `)` as a whole, else null. */
export function wrapped(s: string, prefix: string, lex: Lex): string | null {
  if (!s.startsWith(prefix) || !s.endsWith(')')) return null;
  const inner = s.slice(prefix.length, -1);
  // the inside must balance by itself: `not (a) or not (b)` is not one not()
  return walk(inner, lex, () => {}) ? inner : null;
}

/** Split at top-level spaces (tokens keep their brackets and quotes), or null when unbalanced. */
export function tokens(s: string, lex: Lex): string[] | null {
  const cuts: number[] = [];
  if (!walk(s, lex, (i) => s[i] === ' ' && cuts.push(i))) return null;
  const out: string[] = [];
  let from = 0;
  for (const c of cuts) {
    if (c > from) out.push(s.slice(from, c));
    from = c + 1;
  }
  if (from < s.length) out.push(s.slice(from));
  return out;
}

function negParsed(p: Parsed, not: (s: string) => string): Parsed {
  if (p.k === 'const') return { k: 'const', v: !p.v };
  if (p.k === 'lit') return { ...p, neg: !p.neg, text: not(p.text) };
  return { k: p.k === 'and' ? 'or' : 'and', args: p.args.map((a) => negParsed(a, not)) };
}

const opaque = (s: string): Lit => ({ k: 'lit', key: s, neg: false, total: false, text: s });

// ---------------------------------------------------------------------------------------------------
// KQL (and Sentinel)

/** Each comparison operator: its positive form and whether it is the negation of that form. */
const KQL_OPS: Record<string, [string, boolean]> = {
  '==': ['==', false], '!=': ['==', true], '=~': ['=~', false], '!~': ['=~', true],
  '<': ['<', false], '>=': ['<', true], '>': ['>', false], '<=': ['>', true],
  in: ['in', false], '!in': ['in', true], 'in~': ['in~', false], '!in~': ['in~', true],
};
for (const w of ['contains', 'startswith', 'endswith', 'has']) {
  for (const x of [w, `${w}_cs`]) {
    KQL_OPS[x] = [x, false];
    KQL_OPS[`!${x}`] = [x, true];
  }
}
const ORDER = new Set(['<', '>']);

const KQL_IDENT = /^(?:[A-Za-z_][A-Za-z0-9_]*|\["(?:[^"\\]|\\.)*"\])$/;
const KQL_STR = /^"(?:[^"\\]|\\.)*"$/;
const KQL_NUM = /^(?:-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|real\([^()]*\))$/;

function call(s: string, fn: string): string | null {
  return wrapped(s, `${fn}(`, KQL_LEX);
}

/** A string value that is never null: tostring(), gettype(), a string column (bare name: the printer writes every other value through tostring()). */
export function kqlStringy(e: string): boolean {
  if (call(e, 'tostring') !== null || call(e, 'gettype') !== null) return true;
  const low = call(e, 'tolower') ?? call(e, 'toupper');
  if (low !== null) return kqlStringy(low);
  return KQL_IDENT.test(e) && e !== 'true' && e !== 'false' && !/^__q[0-9]+_n$/.test(e);
}

/**
 * `array_length(split(s, "sep"))` of a string `s` (the printer splits a string column, tostring() or an
 * iff() of a default and tostring(), kql/computed.ts): split() of a string returns "an array of substrings"
 * (https://learn.microsoft.com/kusto/query/split-function; split("", "_") is [""]), so its length is a
 * number, never null. The array_length() text, or null.
 */
function splitLength(e: string): string | null {
  const a = call(e, 'array_length');
  const sp = a !== null ? call(a, 'split') : null;
  const args = sp !== null ? splitArgs(sp) : null;
  if (!args || args.length !== 2 || !KQL_STR.test(args[1]!.trim())) return null;
  const src = args[0]!.trim();
  return kqlStringy(src) || (src.startsWith('iff(isnull(') && /, tostring\(.*\)\)$/s.test(src)) ? a : null;
}

/** How far a length test's implications are listed (a split has fewer pieces than this in any rule). */
const LENGTH_SPAN = 32;

/** A number that is never null: coalesce() ending in a number, strlen() of a string, an mv-apply count, the length of a split. */
function kqlNumeric(e: string): boolean {
  if (/^__q[0-9]+_n$/.test(e)) return true;
  if (splitLength(e) !== null) return true;
  const c = call(e, 'coalesce');
  if (c !== null) {
    const args = splitArgs(c);
    return !!args && args.length >= 2 && KQL_NUM.test(args[args.length - 1]!.trim());
  }
  const l = call(e, 'strlen');
  return l !== null && kqlStringy(l);
}

/** The parts of `s` between top-level occurrences of the character `sep`, or null when unbalanced. */
export function splitTopAt(s: string, sep: string, lex: Lex): string[] | null {
  const cuts: number[] = [];
  if (!walk(s, lex, (i) => s[i] === sep && cuts.push(i))) return null;
  const out: string[] = [];
  let from = 0;
  for (const c of cuts) {
    out.push(s.slice(from, c));
    from = c + 1;
  }
  out.push(s.slice(from));
  return out;
}

const splitArgs = (s: string): string[] | null => splitTopAt(s, ',', KQL_LEX);

function kqlStrList(e: string): boolean {
  if (!e.startsWith('(') || !e.endsWith(')')) return false;
  const args = splitArgs(e.slice(1, -1));
  return !!args && args.length > 0 && args.every((a) => KQL_STR.test(a.trim()));
}

function kqlAtom(s: string): Lit {
  for (const [pos, negf] of [['isnull', 'isnotnull'], ['isempty', 'isnotempty']] as const) {
    const a = call(s, pos);
    if (a !== null) return { k: 'lit', key: `${pos}(${a})`, neg: false, total: true, text: s };
    const b = call(s, negf);
    if (b !== null) return { k: 'lit', key: `${pos}(${b})`, neg: true, total: true, text: s };
  }
  // the query's truthy() function (kql/printer.ts TRUTHY_FN: every branch a non-null bool) and null-safe booleans
  if (call(s, 'truthy') !== null) return { k: 'lit', key: s, neg: false, total: true, text: s };
  const cb = call(s, 'coalesce');
  if (cb !== null && /, (?:true|false)$/.test(cb)) return { k: 'lit', key: s, neg: false, total: true, text: s };
  const t = tokens(s, KQL_LEX);
  if (!t) return opaque(s);
  let op: string;
  let lhs: string;
  let rhs: string;
  if (t.length === 4 && t[1] === 'matches' && t[2] === 'regex') [lhs, op, rhs] = [t[0]!, 'matches regex', t[3]!];
  else if (t.length === 3 && (t[1]! in KQL_OPS)) [lhs, op, rhs] = [t[0]!, t[1]!, t[2]!];
  else return opaque(s);
  // an mv-apply count (kql/printer.ts quant) is a number of rows, never negative: `> 0` is `not(== 0)`
  if (op === '>' && rhs === '0' && /^__q[0-9]+_n$/.test(lhs)) return { k: 'lit', key: `${lhs} == 0`, neg: true, total: true, text: s };
  const [pos, neg] = op === 'matches regex' ? ['matches regex', false] : KQL_OPS[op]!;
  // two null tests compared (`isnull(a) == isnull(b)`): bools, never null
  if ((pos === '==') && call(lhs, 'isnull') !== null && call(rhs, 'isnull') !== null) return { k: 'lit', key: `${lhs} == ${rhs}`, neg, total: true, text: s };
  const total = ORDER.has(pos) || ((pos === '==') && KQL_NUM.test(rhs))
    ? kqlNumeric(lhs) && KQL_NUM.test(rhs)
    : kqlStringy(lhs) && (KQL_STR.test(rhs) || kqlStrList(rhs) || kqlStringy(rhs));
  return { k: 'lit', key: `${lhs} ${pos} ${rhs}`, neg, total, text: s };
}

function kqlNot(s: string): string {
  return call(s, 'not') ?? `not(${s})`;
}

function kqlParse(s0: string): Parsed {
  const s = s0.trim();
  for (const w of ['or', 'and'] as const) {
    const parts = splitTop(s, w, KQL_LEX);
    if (parts && parts.length > 1) return { k: w, args: parts.map(kqlParse) };
  }
  const n = call(s, 'not');
  if (n !== null) return negParsed(kqlParse(n), kqlNot);
  const p = wrapped(s, '(', KQL_LEX);
  if (p !== null) return kqlParse(p);
  return kqlAtom(s);
}

/** The type names gettype() returns (learn.microsoft.com/kusto/query/gettype-function). */
const GETTYPE_NAMES = ['array', 'bool', 'dictionary', 'int', 'long', 'real', 'string', 'datetime', 'guid', 'timespan', 'decimal', 'null'];

// ---------------------------------------------------------------------------------------------------
// KQL: what a dynamic member that is not null says of the values it is read from
//
// A member `P.k` (or `P["k"]`) of a dynamic value is the value of key k when P is a property bag holding
// it, and null otherwise: a missing key, or P an array, a scalar or null
// (learn.microsoft.com/kusto/query/scalar-data-types/dynamic#dynamic-object-accessors; the evaluator's
// `access`, src/proof/kql/values.ts, reads it so). So where `P.k` is not null, P is a property bag with at
// least one key: `gettype(P) == "dictionary"` (and no other type), `isnotnull(P)`, the query's
// `truthy(P)` (a dictionary's branch is `array_length(bag_keys(v)) > 0`, kql/printer.ts TRUTHY_FN) and
// `coalesce(array_length(bag_keys(P)), 0) != 0` hold, and so on up to the root of the path. A root that
// is `parse_json(s)` (written inline, or a column the query's `extend R = parse_json(s)` defines) is
// null for an empty `s` (gettype(parse_json('')) is "null", learn.microsoft.com/kusto/query/gettype-function),
// so a bag there means `isnotempty(s)`. Likewise an element `P[i]` (a constant i >= 0) is null past the
// end of an array and on any other value (the same page; the evaluator's `access`), so where it is not
// null P is an array of more than i elements: `gettype(P) == "array"`, `array_length(P) >= i + 1`,
// `truthy(P)`, `coalesce(array_length(P), 0) != 0` (learn.microsoft.com/kusto/query/array-length-function).
//
// What says a member is not null: a positive string test of `tostring(M)` against non-empty constants
// (`tostring()` of null is "", learn.microsoft.com/kusto/query/tostring-function, and "" equals, starts,
// ends or contains no non-empty text); `gettype(M)` of a type other than "null"; `isnotnull(M)`,
// `isnotempty(tostring(M))`; `truthy(M)` (false on null); a comparison of `toreal/tolong/toint/tobool(M)`
// with a number or bool (the conversion of null is null, and a comparison with null is never true:
// learn.microsoft.com/kusto/query/scalar-data-types/null-values), and `array_length(P) >= n` (null on a
// value that is no array, array-length-function) — these may be null themselves, so they speak only where
// they hold (Reading.held). `coalesce(array_length(bag_keys(P)), 0) != 0` / `coalesce(array_length(P), 0) != 0`
// say P is a non-empty bag / array.

/**
 * `e` as one step into a dynamic value, P one token: `P.k` or `P["k"]` (a member: P is a bag holding k
 * where e is not null), or `P[i]` for a constant i >= 0 (an element: P is an array of more than i
 * elements where e is not null; an index past the end reads null, as a missing key does). Else null.
 */
function stepOf(e: string): { parent: string; index: number | null } | null {
  let p: string | null = null;
  let index: number | null = null;
  const dot = /\.[A-Za-z_][A-Za-z0-9_]*$/.exec(e);
  if (dot) p = e.slice(0, dot.index);
  else if (e.endsWith(']')) {
    // the opening bracket of the last subscript
    let open = -1;
    if (!walk(e, KQL_LEX, (i) => e[i] === '[' && (open = i))) return null;
    const sub = open > 0 ? e.slice(open + 1, -1) : '';
    if (KQL_STR.test(sub)) p = e.slice(0, open);
    else if (/^[0-9]+$/.test(sub) && sub.length < 4) [p, index] = [e.slice(0, open), Number(sub)];
  }
  if (!p) return null;
  const t = tokens(p, KQL_LEX);
  return t && t.length === 1 && t[0] === p && !/[.,]$/.test(p) ? { parent: p, index } : null;
}

/** The facts of a dynamic value `m` that is not null (see above); `defs` maps a column to the text it parses. */
function notNullFacts(m: string, defs: ReadonlyMap<string, string>): { key: string; neg: boolean }[] {
  const out: { key: string; neg: boolean }[] = [{ key: `isnull(${m})`, neg: true }];
  let cur = m;
  for (let st = stepOf(cur); st !== null; cur = st.parent, st = stepOf(cur)) out.push(...(st.index === null ? bagFacts(st.parent) : arrayFacts(st.parent, st.index + 1)));
  // the root: parse_json(s) written inline or named by an extend
  const src = call(cur, 'parse_json') ?? (KQL_IDENT.test(cur) ? defs.get(cur) ?? null : null);
  if (src !== null && cur !== m && kqlStringy(src.trim())) out.push({ key: `isempty(${src.trim()})`, neg: true });
  return out;
}

/** An array of at least `n` (> 0) elements (array-length-function: the number of elements of an array). */
function arrayFacts(p: string, n: number): { key: string; neg: boolean }[] {
  return [
    { key: `isnull(${p})`, neg: true },
    { key: `gettype(${p}) == "array"`, neg: false },
    ...GETTYPE_NAMES.filter((x) => x !== 'array').map((x) => ({ key: `gettype(${p}) == "${x}"`, neg: true })),
    { key: `truthy(${p})`, neg: false },
    { key: `coalesce(array_length(${p}), 0) == 0`, neg: true },
    ...Array.from({ length: n }, (_, j) => ({ key: `array_length(${p}) < ${j + 1}`, neg: true })),
  ];
}

/** A property bag with at least one key. */
function bagFacts(p: string): { key: string; neg: boolean }[] {
  return [
    { key: `isnull(${p})`, neg: true },
    { key: `gettype(${p}) == "dictionary"`, neg: false },
    ...GETTYPE_NAMES.filter((n) => n !== 'dictionary').map((n) => ({ key: `gettype(${p}) == "${n}"`, neg: true })),
    { key: `truthy(${p})`, neg: false },
    { key: `coalesce(array_length(bag_keys(${p})), 0) == 0`, neg: true },
  ];
}

/** String operators that no empty string satisfies against a non-empty constant. */
const NONEMPTY_OPS = new Set(['==', '=~', 'in', 'in~', 'startswith', 'startswith_cs', 'endswith', 'endswith_cs', 'contains', 'contains_cs', 'has', 'has_cs']);

/** The non-empty string constants of `rhs` (one, or a list), or null when one is empty or it is no constant. */
function nonEmptyConsts(rhs: string): boolean {
  const items = KQL_STR.test(rhs) ? [rhs] : kqlStrList(rhs) ? splitArgs(rhs.slice(1, -1))!.map((a) => a.trim()) : null;
  return !!items && items.every((a) => a !== '""');
}

/** The dynamic value a holding literal shows is not null (total literals: `implied`), or null. */
function kqlNotNullOf(l: Lit): string | null {
  if (l.neg) {
    // isnotnull(M), isnotempty(tostring(M))
    const n = call(l.key, 'isnull');
    if (n !== null) return n;
    const e = call(l.key, 'isempty');
    return e !== null ? call(e, 'tostring') : null;
  }
  const tr = call(l.key, 'truthy');
  if (tr !== null) return tr;
  // the query's py_contains(M, s) (kql/printer.ts PY_CONTAINS_FN): false where M is null (its case() falls to false)
  const pc = call(l.key, 'py_contains');
  const pcArgs = pc !== null ? splitArgs(pc) : null;
  if (pcArgs && pcArgs.length === 2 && KQL_STR.test(pcArgs[1]!.trim())) return pcArgs[0]!.trim();
  const t = tokens(l.key, KQL_LEX);
  if (!t || t.length !== 3) return null;
  const [lhs, op, rhs] = t as [string, string, string];
  if ((op === '==' || op === 'in') && !rhs.includes('"null"') && call(lhs, 'gettype') !== null) return call(lhs, 'gettype');
  if (NONEMPTY_OPS.has(op) && nonEmptyConsts(rhs)) return call(lhs, 'tostring');
  return null;
}

/** `coalesce(array_length(bag_keys(M)), 0) != 0` (M is a bag with a key) or `coalesce(array_length(M), 0) != 0` (an array with an element). */
function kqlContainerOf(l: Lit): { of: string; bag: boolean } | null {
  if (!l.neg) return null;
  const t = tokens(l.key, KQL_LEX);
  if (!t || t.length !== 3 || t[1] !== '==' || t[2] !== '0') return null;
  const c = call(t[0]!, 'coalesce');
  const args = c !== null ? splitArgs(c) : null;
  if (!args || args.length !== 2 || args[1]!.trim() !== '0') return null;
  const b = call(args[0]!.trim(), 'array_length');
  if (b === null) return null;
  const k = call(b, 'bag_keys');
  return k !== null ? { of: k, bag: true } : { of: b, bag: false };
}

/**
 * The KQL reading; `defs` maps a column the query defines (`extend R = parse_json(s)`) to the text `s`.
 * `held` (Reading.held) only for a condition whose rows are kept where it is true as a whole (the
 * query's `where` conjuncts): not for a quantifier's body, which `all()` counts under `not(...)`, where a
 * null and a false differ.
 */
export function kqlReading(defs: ReadonlyMap<string, string> = new Map(), opts: { held?: boolean; counts?: ReadonlyMap<string, string> } = {}): Reading {
  return {
    parse: kqlParse,
    not: kqlNot,
    implied(l) {
      const base = [...kqlImplied(l), ...truthyStringFacts(l)];
      // an mv-apply count above 0 (kql/printer.ts quant: every count is `countif(__qN_i < array_length(A) and ...)`,
      // an index below the array's length, or of a test that holds only on an element that is not null, which the
      // sentinel null is not; array_concat() concatenates arrays): A is an array of one element or more
      const arr = opts.counts ? countArray(l, opts.counts) : null;
      if (arr !== null) return [...base, ...arrayFacts(arr, 1), ...notNullFacts(arr, defs)];
      const box = kqlContainerOf(l);
      if (box !== null) return [...base, ...(box.bag ? bagFacts(box.of) : arrayFacts(box.of, 1)), ...notNullFacts(box.of, defs)];
      const m = kqlNotNullOf(l);
      return m !== null ? [...base, ...notNullFacts(m, defs)] : base;
    },
    held: opts.held ? kqlHeld : undefined,
  };

  function kqlHeld(l: Lit): { key: string; neg: boolean }[] {
    // toreal/tolong/toint/tobool(M) compared with a number or a bool: ==, <, >, <=, >= are never true on
    // null (null-values); != is (null != 5 is true), so it says nothing
    const t = tokens(l.key, KQL_LEX);
    // array_length(P) >= n, n > 0: P is an array of n elements or more
    const arr = t && t.length === 3 && t[1] === '<' && l.neg && /^[0-9]+$/.test(t[2]!) ? call(t[0]!, 'array_length') : null;
    const n = arr !== null ? Number(t![2]) : 0;
    if (arr !== null && n > 0 && n <= LENGTH_SPAN) return [...arrayFacts(arr, n), ...notNullFacts(arr, defs)];
    if (!t || t.length !== 3 || !['==', '<', '>'].includes(t[1]!) || (l.neg && t[1] === '==')) return [];
    if (!(KQL_NUM.test(t[2]!) || t[2] === 'true' || t[2] === 'false')) return [];
    for (const fn of ['toreal', 'tolong', 'toint', 'tobool']) {
      const m = call(t[0]!, fn);
      if (m !== null) return notNullFacts(m, defs);
    }
    return [];
  }
}

/**
 * What a total literal implies besides the not-null facts (kqlNotNullOf and notNullFacts give those, also for
 * `isnotempty(tostring(x))` and `gettype(x) == "t"`): lengths of a split, the types gettype() excludes.
 */
function kqlImplied(l: Lit): { key: string; neg: boolean }[] {
  // array_length(split(..)) >= k: >= j for every j < k; < k: < j for every j > k (integers)
  const lt = tokens(l.key, KQL_LEX);
  if (lt && lt.length === 3 && lt[1] === '<' && /^[0-9]+$/.test(lt[2]!) && splitLength(lt[0]!) !== null) {
    const k = Number(lt[2]);
    const js = l.neg ? Array.from({ length: k }, (_, j) => j) : Array.from({ length: LENGTH_SPAN }, (_, i) => k + 1 + i);
    return js.map((j) => ({ key: `${lt[0]} < ${j}`, neg: l.neg }));
  }
  if (l.neg) return [];
  const t = tokens(l.key, KQL_LEX);
  // a string equal to, in, starting or ending with or holding a non-empty constant is not empty
  const nonEmpty = t && t.length === 3 && NONEMPTY_OPS.has(t[1]!) && nonEmptyConsts(t[2]!) ? [{ key: `isempty(${t[0]})`, neg: true }] : [];
  // gettype(x) == "t" for a type other than "null": x has that one type, none of the others
  // (learn.microsoft.com/kusto/query/gettype-function)
  if (!t || t.length !== 3 || t[1] !== '==' || t[2]!.includes('"null"') || call(t[0]!, 'gettype') === null) return nonEmpty;
  return [...nonEmpty, ...GETTYPE_NAMES.filter((n) => `"${n}"` !== t[2]).map((n) => ({ key: `${t[0]} == "${n}"`, neg: true }))];
}

export const KQL_READING: Reading = kqlReading();

/**
 * Does the printed test `s` hold only where `fact` holds? Read by `r`: an `and` where one of its operands
 * does, an `or` where each does, a literal where the facts it implies when it holds (Reading.implied, and
 * Reading.held: both list what is true whenever the literal is true) include `fact`, `false` always.
 * Anything the reading does not know answers no.
 */
export function holdsOnlyWhere(s: string, r: Reading, fact: { key: string; neg: boolean }): boolean {
  const go = (p: Parsed): boolean => {
    if (p.k === 'const') return !p.v;
    if (p.k !== 'lit') return p.k === 'and' ? p.args.some(go) : p.args.every(go);
    return [...r.implied(p), ...(r.held?.(p) ?? [])].some((f) => f.key === fact.key && f.neg === fact.neg);
  };
  return go(r.parse(s));
}

/** The array `A` of an mv-apply count said to be above 0 (`__qN_n > 0`, `__qN_n != 0`), from `counts` (count name → A). */
function countArray(l: Lit, counts: ReadonlyMap<string, string>): string | null {
  // kqlAtom reads `> 0` and `!= 0` of a count as the negation of `== 0`
  const m = /^(__q[0-9]+_n) == 0$/.exec(l.key);
  return m && l.neg ? (counts.get(m[1]!) ?? null) : null;
}

/**
 * A string that no falsy value's `tostring()` gives: the query's `truthy(v)` is false only on null, "", false,
 * a zero number, [] and {} (kql/printer.ts TRUTHY_FN), whose texts are "", "false", digits (also a timespan
 * or a datetime), "[]" and "{}" (learn.microsoft.com/kusto/query/tostring-function: null is ""). A text with
 * a letter past "f" (no hexadecimal digit nor a number's exponent) and no digit, other than "false", is none of them.
 */
function truthyText(c: string): boolean {
  return /[g-z]/i.test(c) && !/[0-9]/.test(c) && c.toLowerCase() !== 'false';
}

/**
 * `truthy(M)` where `tostring(M)` equals (==, =~, in, in~) only such texts: M is no falsy value. Where its
 * text is one of them, `truthy(M)` is true, so `tostring(M) in~ ("admin") and truthy(M)` is the membership.
 */
function truthyStringFacts(l: Lit): { key: string; neg: boolean }[] {
  if (l.neg) return [];
  const t = tokens(l.key, KQL_LEX);
  if (!t || t.length !== 3 || !['==', '=~', 'in', 'in~'].includes(t[1]!)) return [];
  const m = call(t[0]!, 'tostring');
  if (m === null) return [];
  const rhs = t[2]!;
  const items = KQL_STR.test(rhs) ? [rhs] : kqlStrList(rhs) ? splitArgs(rhs.slice(1, -1))!.map((a) => a.trim()) : null;
  if (!items || !items.every((a) => KQL_STR.test(a) && !a.includes('\\') && truthyText(a.slice(1, -1)))) return [];
  return [{ key: `truthy(${m})`, neg: false }];
}

// ---------------------------------------------------------------------------------------------------
// CloudWatch Logs Insights: only ispresent() and isempty() are known never to be null (what a comparison
// does on an absent field is undocumented); not (...) is their complement.

const CWL_FIELD = /^(?:[A-Za-z0-9_@.$-]+|`[^`]*`)$/;

function cwlNot(s: string): string {
  return wrapped(s, 'not (', CWL_LEX) ?? `not (${s})`;
}

function cwlParse(s0: string): Parsed {
  const s = s0.trim();
  const n = wrapped(s, 'not (', CWL_LEX);
  if (n !== null) return negParsed(cwlParse(n), cwlNot);
  const m = /^(ispresent|isempty)\((.*)\)$/s.exec(s);
  if (m && CWL_FIELD.test(m[2]!)) return { k: 'lit', key: s, neg: false, total: true, text: s };
  return opaque(s);
}

export const CWL_READING: Reading = {
  parse: cwlParse,
  not: cwlNot,
  implied(l) {
    // not isempty(x): x is present
    const m = l.neg ? /^isempty\((.*)\)$/s.exec(l.key) : null;
    return m ? [{ key: `ispresent(${m[1]})`, neg: false }] : [];
  },
};

/** YARA-L: repeated UDM fields match any element, so no text is read as another's complement. */
export const YARAL_READING: Reading = { parse: opaque, not: (s) => `not ${s}`, implied: () => [] };

export const READINGS = { kql: KQL_READING, cwl: CWL_READING, yaral: YARAL_READING } as const;
export type ReadingName = keyof typeof READINGS;

// ---------------------------------------------------------------------------------------------------
// The pass

const lk = (key: string, neg: boolean): string => `${neg ? '-' : '+'}${key}`;

/**
 * A text as the reading reads it, once per reading and text: a pass reads the whole tree again (up to three
 * passes, and the result once more), and a reading depends on the text alone. The parse is only read (a
 * pass builds new nodes over it).
 */
const parses = new WeakMap<Reading, Map<string, Parsed>>();
function parseOnce(reading: Reading, s: string): Parsed {
  let byText = parses.get(reading);
  if (!byText) parses.set(reading, (byText = new Map()));
  let p = byText.get(s);
  if (!p) {
    if (byText.size > 5000) byText.clear();
    byText.set(s, (p = reading.parse(s)));
  }
  return p;
}

class Pass {
  private work = WORK;
  /**
   * What the context says of a literal or sub-term: by the number of its canonical key (`code`), at 2 * number
   * the times it was said false, at 2 * number + 1 the times said true (was: a map from the key text to a pair;
   * the walk adds and takes away every sibling's facts for every operand, and the map lookups were most of it).
   */
  private counts = new Int32Array(16);
  private codes = new Map<string, number>();
  // per term of this pass (a pass lives for one simplifyInContext round: plain maps, cheaper to make than weak ones)
  private ckeyCodes = new Map<object, number>();
  private ckeys = new Map<object, string>();
  private nkeys = new Map<object, string>();
  private totals = new Map<object, boolean>();

  private imps = new Map<string, { key: string; neg: boolean }[]>();

  constructor(private readonly reading: Reading) {}

  private implied(n: Lit): { key: string; neg: boolean }[] {
    const k = lk(n.key, n.neg);
    let r = this.imps.get(k);
    if (r === undefined) this.imps.set(k, (r = n.total ? this.reading.implied(n) : []));
    return r;
  }

  private helds = new Map<string, { key: string; neg: boolean }[]>();

  private held(n: Lit): { key: string; neg: boolean }[] {
    const k = lk(n.key, n.neg);
    let r = this.helds.get(k);
    if (r === undefined) this.helds.set(k, (r = this.reading.held?.(n) ?? []));
    return r;
  }

  out = false;

  from(o: Out): N {
    switch (o.k) {
      case 'const':
        return { k: 'const', v: o.v, src: o };
      case 'text':
        return { ...(this.parsed(parseOnce(this.reading, o.s)) as N), src: o };
      default:
        return { k: o.k, args: o.args.map((a) => this.from(a)), src: o };
    }
  }

  private parsed(p: Parsed): N {
    return p.k === 'and' || p.k === 'or' ? { k: p.k, args: p.args.map((a) => this.parsed(a)) } : p;
  }

  /** A key for the term up to the order of and/or operands. */
  ckey(n: N): string {
    if (n.k === 'lit') return lk(n.key, n.neg);
    if (n.k === 'const') return n.v ? 'T' : 'F';
    let k = this.ckeys.get(n);
    if (k === undefined) this.ckeys.set(n, (k = `${n.k}(${n.args.map((a) => this.ckey(a)).sort().join('\u0001')})`));
    return k;
  }

  /** The key of the term's negation (its literals' complements, the connectives swapped). */
  private nkey(n: N): string {
    if (n.k === 'lit') return lk(n.key, !n.neg);
    if (n.k === 'const') return n.v ? 'F' : 'T';
    // kept per term as ckey is: asked for every operand of every junction the context walks
    let k = this.nkeys.get(n);
    if (k === undefined) this.nkeys.set(n, (k = `${n.k === 'and' ? 'or' : 'and'}(${n.args.map((a) => this.nkey(a)).sort().join('\u0001')})`));
    return k;
  }

  private total(n: N): boolean {
    if (n.k === 'lit') return n.total;
    if (n.k === 'const') return true;
    let t = this.totals.get(n);
    if (t === undefined) this.totals.set(n, (t = n.args.every((a) => this.total(a))));
    return t;
  }

  /**
   * `said` per term and worth, for this pass (it reads the term, the reading and this pass's caches alone): asked
   * again for every operand in each round of its junction and of `absorbed`. Callers only read the facts.
   */
  private saids: [Map<N, number[]>, Map<N, number[]>] = [new Map(), new Map()];

  /** What a sibling worth `v` (true in an `and`, false in an `or`) tells, as facts (`fact`: a key said true or false). */
  private said(n: N, v: boolean): number[] {
    if (n.k === 'const') return [];
    const memo = this.saids[v ? 1 : 0];
    let out = memo.get(n);
    if (out === undefined) memo.set(n, (out = this.saidOnce(n, v)));
    return out;
  }

  /** The facts a sibling says, each as `fact(key, value)`. */
  private saidOnce(n: Exclude<N, { k: 'const' }>, v: boolean): number[] {
    const out: number[] = [this.fact(this.ckey(n), v)];
    if (this.total(n)) out.push(this.fact(this.nkey(n), !v));
    if (n.k === 'lit' && n.total) {
      // what the literal that holds implies (the complement, for a total literal that failed)
      for (const m of this.implied(v ? n : { ...n, neg: !n.neg })) out.push(this.fact(lk(m.key, m.neg), true), this.fact(lk(m.key, !m.neg), false));
    } else if (n.k === 'lit' && v && this.reading.held) {
      // a literal that may be null, beside the others in an `and`: what it implies where it is true (Reading.held)
      for (const m of this.held(n)) out.push(this.fact(lk(m.key, m.neg), true), this.fact(lk(m.key, !m.neg), false));
    }
    return out;
  }

  /** The number of a canonical key (one per key text in this pass). */
  private code(k: string): number {
    let c = this.codes.get(k);
    if (c === undefined) {
      c = this.codes.size;
      this.codes.set(k, c);
      if (2 * c + 1 >= this.counts.length) {
        const grown = new Int32Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
    }
    return c;
  }

  /** A fact: the key said to have the value `v`, as its place in `counts`. */
  private fact(k: string, v: boolean): number {
    return 2 * this.code(k) + (v ? 1 : 0);
  }

  private add(fs: number[], d: 1 | -1): void {
    const counts = this.counts;
    for (let i = 0; i < fs.length; i++) counts[fs[i]!]! += d;
  }

  /** What the context says of the key numbered `c`: undefined when nothing, else whether it is true. */
  private known(c: number): boolean | undefined {
    const f = this.counts[2 * c]!;
    const t = this.counts[2 * c + 1]!;
    return f !== 0 || t !== 0 ? t > 0 : undefined;
  }

  /** The number of a term's canonical key (ckey), once per term. */
  private ckeyCode(n: Exclude<N, { k: 'const' }>): number {
    let c = this.ckeyCodes.get(n);
    if (c === undefined) this.ckeyCodes.set(n, (c = this.code(this.ckey(n))));
    return c;
  }

  simp(n: N): N {
    if (--this.work < 0) {
      this.out = true;
      return n;
    }
    if (n.k === 'const') return n;
    const v = this.known(this.ckeyCode(n));
    if (v !== undefined) return { k: 'const', v };
    if (n.k === 'lit') {
      // contrapositive: what it implies failed
      for (const m of this.implied(n)) if (this.known(this.code(lk(m.key, m.neg))) === false) return { k: 'const', v: false };
      return n;
    }
    return this.junction(n as Extract<N, { k: Op }>);
  }

  private junction(n: Extract<N, { k: Op }>): N {
    const op = n.k;
    const sv = op === 'and'; // what a sibling is worth inside this junction
    let args = n.args;
    let changed = false;
    for (let round = 0; round < 3; round++) {
      const said = args.map((a) => (args.length <= WIDE || a.k === 'lit' ? this.said(a, sv) : []));
      for (const s of said) this.add(s, 1);
      let moved = false;
      const next: N[] = [];
      let absorbed = false;
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        this.add(said[i]!, -1);
        const b = absorbed ? a : this.simp(a);
        if (b !== a) {
          moved = true;
          said[i] = b.k === 'const' ? [] : this.said(b, sv);
          if (b.k === 'const' && b.v !== sv) absorbed = true;
        }
        this.add(said[i]!, 1);
        next.push(b);
      }
      for (const s of said) this.add(s, -1);
      if (!moved) break;
      changed = true;
      if (absorbed) return { k: 'const', v: !sv };
      args = [];
      for (const b of next) {
        if (b.k === 'const') continue;
        if (b.k === op) args.push(...b.args);
        else args.push(b);
      }
      if (args.length === 0) return { k: 'const', v: sv };
      if (args.length === 1) return this.simp(args[0]!);
    }
    if (op === 'or' && this.reading.absorb && args.length > 1 && args.length <= WIDE) {
      const kept = this.absorbed(args);
      if (kept.length < args.length) return kept.length === 1 ? kept[0]! : { k: op, args: kept };
    }
    return changed ? { k: op, args } : n;
  }

  /**
   * The operands of an `or` without the total literals that imply another operand. L is dropped when,
   * with L true and every other operand false (what an `or` may assume of its operands when L decides
   * it), some operand still kept simplifies to true: then `... or Y or L` is true wherever L is, so L
   * adds nothing. Only operands still kept justify a drop, so a chain of drops ends in a kept operand.
   */
  private absorbed(args: N[]): N[] {
    const said = args.map((a) => this.said(a, false));
    for (const s of said) this.add(s, 1);
    const dropped = args.map(() => false);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a.k !== 'lit' || !a.total) continue;
      this.add(said[i]!, -1);
      const held = this.said(a, true);
      this.add(held, 1);
      let hit = false;
      for (let j = 0; j < args.length && !hit; j++) {
        if (j === i || dropped[j]) continue;
        this.add(said[j]!, -1);
        const b = this.simp(args[j]!);
        this.add(said[j]!, 1);
        hit = b.k === 'const' && b.v;
      }
      this.add(held, -1);
      if (hit) dropped[i] = true;
      else this.add(said[i]!, 1);
    }
    said.forEach((s, i) => dropped[i] || this.add(s, -1));
    return this.out ? args : args.filter((_, i) => !dropped[i]);
  }
}

/**
 * Simplify a printed condition in the context of its own literals (see the file comment); `build`
 * makes the junctions (out.ts's and/or: folding, duplicates, absorption, factoring). The same tree
 * when nothing is decided.
 */
export function simplifyInContext(o: Out, reading: Reading, build: { and: (...a: Out[]) => Out; or: (...a: Out[]) => Out }): Out {
  let cur = o;
  for (let pass = 0; pass < 3; pass++) {
    const p = new Pass(reading);
    const n = p.from(cur);
    const s = p.simp(n);
    if (p.out || s === n) return cur;
    const emit = (x: N): Out => {
      if (x.src) return x.src;
      if (x.k === 'const') return { k: 'const', v: x.v };
      if (x.k === 'lit') return { k: 'text', s: x.text };
      return build[x.k](...x.args.map(emit));
    };
    const next = emit(s);
    if (p.ckey(p.from(next)) === p.ckey(n)) return cur;
    cur = next;
  }
  return cur;
}
