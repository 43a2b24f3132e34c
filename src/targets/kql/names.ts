/**
 * Readable KQL: a test the condition writes more than once is written once, in an `extend` before the
 * `where`, and the condition reads the column it defines (`| extend EventNameStartsWithDescribe =
 * EventName startswith_cs "Describe"` then `where ... EventNameStartsWithDescribe ...`).
 *
 * What repeats is what scripts/query-stats.mjs calls an atom: a maximal piece of a printed text that holds
 * no top-level `and`/`or` (`not(...)` and `( ... )` opened, strings read as units). A condition that is not
 * read-once (a Python helper called twice on the same value, a loop over a dict of lists) has such
 * repeats after every sound simplification; naming them is the last step. A named test that is never null
 * (outctx.ts's reading: `tostring(x) in (...)`, `isempty(...)`, `truthy(...)`...) is also what its complement
 * reads (`tostring(x) !in (...)` becomes `not(name)`), so the test is written once in any form; a test
 * written once and its complement written once are left as written (a name would not be shorter).
 *
 * Soundness: `extend` computes the expression per row (learn.microsoft.com/kusto/query/extend-operator),
 * null included, and KQL's `and`/`or`/`not` only read their operands' values, so replacing each
 * occurrence of the test by the column is a pure substitution. The names are placed after the query's
 * other stages (an `mv-apply` count a test may read) and before the first `where`; they are visible in
 * that branch of a union only (each branch is its own subquery with its own names); the final `project`
 * (or a threshold's `summarize`) does not carry them. A name never equals an identifier the query text
 * holds (so it never replaces a column the query reads), nor a KQL keyword.
 *
 * The names are derived from the test (its field's last member, the operator, the literals) and do not
 * depend on the order of the condition's operands (the rewrite-equivalence check): tests are named in the
 * order of their text.
 */
import { type Out } from '../common/out.js';
import { KQL_LEX, KQL_READING, splitTopAt, walk as walkTop } from '../common/outctx.js';
import { kqlIdent } from './escape.js';
import { camel } from '../common/names.js';

// ---------------------------------------------------------------------------------------------------
// Scanning printed KQL text: outctx.ts's scanner (double-quoted strings with backslash escapes; brackets)

const quoted = (s: string, i: number): number => KQL_LEX.quoted(s, i);
/** Call `at(i)` at each top-level index of `s` (outside strings and brackets); false when unbalanced. */
const walk = (s: string, at: (i: number) => void): boolean => walkTop(s, KQL_LEX, at);

/** The inside of `s` when it is `prefix` + balanced text + `)` as a whole, else null. */
function wrappedIn(s: string, prefix: string): string | null {
  if (!s.startsWith(prefix) || !s.endsWith(')')) return null;
  const inner = s.slice(prefix.length, -1);
  return walk(inner, () => {}) ? inner : null;
}

/**
 * Rewrite the atoms of a printed condition text: `f` is called on each atom (a piece with no top-level
 * `and`/`or`, inside any `not(...)` or parentheses) and its result replaces it; the rest is kept as written.
 */
export function mapAtoms(s: string, f: (atom: string) => string): string {
  const cuts: [number, number][] = [];
  const ok = walk(s, (i) => {
    if (s[i] !== ' ') return;
    const m = /^ (and|or) /.exec(s.slice(i, i + 5));
    if (m && (cuts.length === 0 || i >= cuts[cuts.length - 1]![1])) cuts.push([i, i + m[0].length]);
  });
  if (!ok) return s;
  if (cuts.length > 0) {
    let out = '';
    let from = 0;
    for (const [a, b] of cuts) {
      out += mapAtoms(s.slice(from, a), f) + s.slice(a, b);
      from = b;
    }
    return out + mapAtoms(s.slice(from), f);
  }
  const lead = s.length - s.trimStart().length;
  const trail = s.length - s.trimEnd().length;
  const t = s.trim();
  const pre = s.slice(0, lead);
  const post = s.slice(s.length - trail);
  const n = wrappedIn(t, 'not(');
  if (n !== null) {
    const inner = mapAtoms(n, f);
    // a negated name under not(): the name itself
    const twice = /^not\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(inner);
    return `${pre}${twice ? twice[1] : `not(${inner})`}${post}`;
  }
  const p = wrappedIn(t, '(');
  if (p !== null) return `${pre}(${mapAtoms(p, f)})${post}`;
  return pre + f(t) + post;
}

function mapOut(o: Out, f: (s: string) => string): Out {
  if (o.k === 'text') return { k: 'text', s: f(o.s) };
  if (o.k === 'const') return o;
  return { k: o.k, args: o.args.map((a) => mapOut(a, f)) };
}

function eachText(o: Out, f: (s: string) => void): void {
  if (o.k === 'text') f(o.s);
  else if (o.k !== 'const') for (const a of o.args) eachText(a, f);
}

// ---------------------------------------------------------------------------------------------------
// Names

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;


/** Functions that only convert or measure a value: the subject is their (first) argument. */
const WRAPPERS: Record<string, string> = {
  tostring: '', toreal: '', tobool: '', tolong: '', toint: '', todouble: '', parse_json: '', todynamic: '', tolower: '', toupper: '',
  coalesce: '', gettype: 'Type', strlen: 'Length', array_length: 'Size', bag_keys: 'Keys',
};

/** The column or the last member an expression reads, with what wraps it (`gettype(x.a)` → `AType`). */
function subject(e: string): string {
  const t = e.trim();
  const m = /^([a-z_][a-z0-9_]*)\((.*)\)$/s.exec(t);
  if (m && m[1]! in WRAPPERS && wrappedIn(t, `${m[1]}(`) !== null) {
    // the first argument (coalesce(x, 0): x)
    const args = m[2]!;
    const inner = subject(splitTopAt(args, ',', KQL_LEX)?.[0] ?? args);
    const w = WRAPPERS[m[1]!]!;
    return inner + (inner.endsWith(w) ? '' : w);
  }
  // the last member: .name or ["name"], an element [N], or one from the end [(-N)]
  const last = /(?:\.([A-Za-z_][A-Za-z0-9_]*)|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|\[\(-(\d+)\)\])$/.exec(t);
  if (last) return camel(last[1] ?? last[2] ?? (last[3] !== undefined ? `Item${last[3]}` : last[4] === '1' ? 'LastItem' : `Item${last[4]}FromLast`));
  return camel(t);
}

/** The words of the literals in an operand (strings' text, numbers); past two, the first and how many more. */
function literalWords(e: string): string {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(-?[0-9]+(?:\.[0-9]+)?)/g;
  for (let m = re.exec(e); m; m = re.exec(e)) words.push(camel(m[1] ?? m[2]!.replace('-', 'Minus').replace('.', '_')) || 'Empty');
  return words.length > 2 ? `${words[0]}And${words.length - 1}More` : words.join('');
}

const FN_WORDS: Record<string, string> = { truthy: 'Truthy', isempty: 'IsEmpty', isnotempty: 'IsNotEmpty', isnull: 'IsNull', isnotnull: 'IsNotNull' };

const OP_WORDS: Record<string, string> = {
  '==': 'Is', '!=': 'IsNot', '=~': 'Is', '!~': 'IsNot', in: 'In', '!in': 'NotIn', 'in~': 'In', '!in~': 'NotIn',
  '<': 'Below', '<=': 'AtMost', '>': 'Above', '>=': 'AtLeast', 'matches regex': 'Matches',
};
for (const [op, w] of [['contains', 'Contains'], ['startswith', 'StartsWith'], ['endswith', 'EndsWith'], ['has', 'Has']] as const) {
  for (const x of [op, `${op}_cs`]) {
    OP_WORDS[x] = w;
    OP_WORDS[`!${x}`] = `Not${w}`;
  }
}

const MAX = 48;
/** An extend longer than this is laid out one name a line (the width of the condition's layout). */
const LINE = 100;

/** A readable name for a test (not yet made unique). */
export function testName(atom: string): string {
  const t = atom.trim();
  let name = '';
  const fn = /^([a-z]+)\((.*)\)$/s.exec(t);
  if (fn && fn[1]! in FN_WORDS && wrappedIn(t, `${fn[1]}(`) !== null) name = subject(fn[2]!) + FN_WORDS[fn[1]!];
  else {
    // lhs op rhs, split at top-level spaces
    const toks = splitTopAt(t, ' ', KQL_LEX) ?? [t];
    const op = toks[1] === 'matches' && toks[2] === 'regex' ? 'matches regex' : toks[1];
    if (toks.length >= 3 && op && op in OP_WORDS) {
      const rhs = toks.slice(op === 'matches regex' ? 3 : 2).join(' ');
      const lw = op === 'matches regex' ? '' : literalWords(rhs);
      name = subject(toks[0]!) + OP_WORDS[op] + (lw || (op === 'matches regex' ? '' : subject(rhs)));
    } else name = camel(t.replace(/"(?:[^"\\]|\\.)*"/g, ' '));
  }
  if (!name) name = 'Test';
  if (!/^[A-Za-z]/.test(name)) name = `T${name}`;
  if (name.length <= MAX) return name;
  // cut before a word (an upper-case letter or a digit run) within the limit
  const cut = name.slice(0, MAX + 1).search(/(?:[A-Z]|(?<![0-9])[0-9])[^A-Z0-9]*$/);
  return cut > 0 ? name.slice(0, cut) : name.slice(0, MAX);
}

/** Every identifier-like word of a text (strings included: over-reserving is harmless). */
function words(s: string): string[] {
  return s.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
}

/** The identifiers a name must not take: every word of the conditions and of the query's other texts. */
function takenWords(conds: Out[], texts: string[]): Set<string> {
  const taken = new Set<string>();
  for (const r of texts) for (const w of words(r)) taken.add(w);
  for (const c of conds) eachText(c, (s) => words(s).forEach((w) => taken.add(w)));
  return taken;
}

/** `base`, or `base2`, `base3`... : the first that is not taken and is a plain KQL identifier. */
function freeName(base0: string, taken: Set<string>): string {
  const base = /^[A-Za-z]/.test(base0) ? base0 : `M${base0}`;
  let name = base;
  for (let i = 2; taken.has(name) || kqlIdent(name) !== name; i++) name = `${base}${i}`;
  return name;
}

/** `extend A = x, B = y` on one line when short, else one name a line. */
function extendText(items: string[]): string {
  const one = `extend ${items.join(', ')}`;
  return one.length <= LINE ? one : `extend\n    ${items.join(',\n    ')}`;
}

/** `s` with each of its spans (in order, not overlapping) replaced by its name; a span without one kept. */
function replaceSpans(s: string, spans: [number, number][], nameOf: (text: string) => string | undefined): string {
  let out = '';
  let at = 0;
  for (const [a, b] of spans) {
    const name = nameOf(s.slice(a, b));
    if (!name) continue;
    out += s.slice(at, a) + name;
    at = b;
  }
  return out + s.slice(at);
}

export interface NamedTests {
  /** The condition's conjuncts, each repeated test replaced by its name. */
  conds: Out[];
  /** `extend A = test, B = test` when a test was named, else null. */
  extend: string | null;
  /** The names, with the test each stands for. */
  names: { name: string; test: string }[];
}

/**
 * Name each test written twice or more in the conjuncts `conds` (see the file comment). `reserved`: the
 * query's other texts (source, stages, tail, declarations), whose identifiers a name must not take.
 */
export function nameRepeatedTests(conds: Out[], reserved: string[]): NamedTests {
  // the tests written twice or more (the same atom text); a named test that is never null (outctx.ts's
  // reading) has its complement written with the name too, positively: `x !in (...)` reads `not(x in (...))`
  const tests = new Map<string, { positive: string; texts: Map<string, { neg: boolean; n: number }> }>();
  for (const c of conds) {
    eachText(c, (s) =>
      mapAtoms(s, (a) => {
        const p = KQL_READING.parse(a);
        const lit = p.k === 'lit' && p.total ? p : null;
        const id = lit ? `+${lit.key}` : `=${a}`;
        let t = tests.get(id);
        if (!t) tests.set(id, (t = { positive: lit ? lit.key : a, texts: new Map() }));
        const x = t.texts.get(a);
        if (x) x.n++;
        else t.texts.set(a, { neg: !!lit?.neg, n: 1 });
        return a;
      }),
    );
  }
  // a bare name or constant is already as short as a name
  const chosen = [...tests.values()].filter((t) => [...t.texts.values()].some((x) => x.n > 1) && !IDENT.test(t.positive));
  // written as it reads when it has one form, positively when both
  const repeated = chosen.map((t) => (t.texts.size === 1 ? [...t.texts.keys()][0]! : t.positive)).sort();
  if (repeated.length === 0) return { conds, extend: null, names: [] };
  const taken = takenWords(conds, reserved);
  const byTest = new Map<string, string>();
  const names: { name: string; test: string }[] = [];
  for (const test of repeated) {
    const name = freeName(testName(test), taken);
    taken.add(name);
    byTest.set(test, name);
    names.push({ name, test });
  }
  // each text of a chosen test: its name, or the name's negation
  for (const t of chosen) {
    if (t.texts.size === 1) continue;
    const name = byTest.get(t.positive)!;
    for (const [text, { neg }] of t.texts) byTest.set(text, neg ? `not(${name})` : name);
  }
  const out = conds.map((c) => mapOut(c, (s) => mapAtoms(s, (a) => byTest.get(a) ?? a)));
  // one line when short, else one name a line
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { conds: out, extend: extendText(names.map((n) => `${n.name} = ${n.test}`)), names };
}

// ---------------------------------------------------------------------------------------------------
// Split lists

/**
 * Each call of `fn` in `s` (outside strings, not inside another such call), as [start, end): `close(from)`
 * gives the index after the call's text that starts its arguments at `from`, or -1 for no such call.
 */
function callsOf(s: string, fn: string, close: (from: number) => number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < s.length; ) {
    const j = quoted(s, i);
    if (j < 0) return [];
    if (j > i) {
      i = j;
      continue;
    }
    if (s.startsWith(`${fn}(`, i) && !/[A-Za-z0-9_]/.test(s[i - 1] ?? '')) {
      const end = close(i + fn.length + 1);
      if (end > 0) {
        out.push([i, end]);
        i = end;
        continue;
      }
    }
    i++;
  }
  return out;
}

/** Each top-level `split(...)` call of `s` (outside strings, not inside another split), as [start, end). */
function splitCalls(s: string): [number, number][] {
  let broken = false;
  const calls = callsOf(s, 'split', (from) => {
    // the call's closing parenthesis (strings and brackets skipped)
    let depth = 1;
    for (let k = from; k < s.length; ) {
      const q = quoted(s, k);
      if (q < 0) break;
      if (q > k) {
        k = q;
        continue;
      }
      const c = s[k]!;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && --depth === 0) return k + 1;
      k++;
    }
    broken = true;
    return -1;
  });
  return broken ? [] : calls;
}

/**
 * A list a condition splits more than once (`split(GCPResourceName, "/")`, read for its length and its
 * pieces) is split once, in an `extend` that names it after what it splits (`GCPResourceNameParts`), and
 * the condition reads the column: the same value per row (learn.microsoft.com/kusto/query/split-function,
 * extend-operator), so the substitution is pure. `reserved`: the query's other texts, whose identifiers a
 * name must not take.
 */
export function nameRepeatedSplits(conds: Out[], reserved: string[]): { conds: Out[]; extend: string | null } {
  const count = new Map<string, number>();
  for (const c of conds) eachText(c, (s) => splitCalls(s).forEach(([a, b]) => count.set(s.slice(a, b), (count.get(s.slice(a, b)) ?? 0) + 1)));
  const repeated = [...count].filter(([, n]) => n > 1).map(([call]) => call).sort();
  if (repeated.length === 0) return { conds, extend: null };
  const taken = takenWords(conds, reserved);
  const byCall = new Map<string, string>();
  const items: string[] = [];
  for (const call of repeated) {
    const arg = /^split\(([A-Za-z_][A-Za-z0-9_]*)\s*,/.exec(call)?.[1];
    const name = freeName(`${arg ? camel(arg) : 'Split'}Parts`, taken);
    taken.add(name);
    byCall.set(call, name);
    items.push(`${name} = ${call}`);
  }
  const rewrite = (s: string): string => replaceSpans(s, splitCalls(s), (call) => byCall.get(call));
  return { conds: conds.map((c) => mapOut(c, rewrite)), extend: extendText(items) };
}

// ---------------------------------------------------------------------------------------------------
// Member reads

/**
 * A member path of a dynamic column, or of a string column's parsed JSON: `AuthenticationInfo.principalSubject`,
 * `RawEvent["a.b"].c`, `parse_json(RequestParameters).bucketName`.
 */
const MEMBER = /^(?:[A-Za-z_][A-Za-z0-9_]*|parse_json\([A-Za-z_][A-Za-z0-9_]*\))(?:\.[A-Za-z_][A-Za-z0-9_]*|\["(?:[^"\\]|\\.)*"\]|\[\d+\])+/;

/** Each `tostring(<member path>)` call of `s` (outside strings), as [start, end). */
function tostringCalls(s: string): [number, number][] {
  return callsOf(s, 'tostring', (from) => {
    const m = MEMBER.exec(s.slice(from));
    return m && s[from + m[0].length] === ')' ? from + m[0].length + 1 : -1;
  });
}

/** The member path a `tostring(<member path>)` call reads. */
const memberOf = (call: string): string => call.slice('tostring('.length, -1);

/**
 * A member of a dynamic column (or of `parse_json()` of a string column) read as a string twice or more
 * (`tostring(AuthenticationInfo.principalSubject)`, once per prefix a rule excludes) is read once, in an `extend` that names it after the
 * member (`PrincipalSubject`), and the condition and the named tests read the column: `tostring()` of the
 * same member is the same value per row (learn.microsoft.com/kusto/query/tostring-function, parse-json-function,
 * extend-operator),
 * so the substitution is pure. Only where the names make the query shorter. `texts`: the named tests'
 * extend, rewritten too (it is placed after this one); `reserved`: the query's other texts.
 */
export function nameRepeatedMembers(conds: Out[], texts: string[], reserved: string[]): { conds: Out[]; texts: string[]; extend: string | null } {
  const count = new Map<string, number>();
  const add = (s: string): void =>
    tostringCalls(s).forEach(([a, b]) => {
      const p = memberOf(s.slice(a, b));
      count.set(p, (count.get(p) ?? 0) + 1);
    });
  for (const c of conds) eachText(c, add);
  texts.forEach(add);
  const taken = takenWords(conds, [...reserved, ...texts]);
  const byPath = new Map<string, string>();
  const items: string[] = [];
  for (const path of [...count.keys()].sort()) {
    const n = count.get(path)!;
    if (n < 2) continue;
    const name = freeName(subject(path) || 'Member', taken);
    const call = `tostring(${path})`;
    // shorter only: each read saves the call's length less the name's; the extend costs both, and the
    // first name its own stage (`\n| extend `)
    if (n * (call.length - name.length) <= call.length + name.length + 3 + (items.length === 0 ? 10 : 2)) continue;
    taken.add(name);
    byPath.set(path, name);
    items.push(`${name} = ${call}`);
  }
  if (items.length === 0) return { conds, texts, extend: null };
  const rewrite = (s: string): string => replaceSpans(s, tostringCalls(s), (call) => byPath.get(memberOf(call)));
  return { conds: conds.map((c) => mapOut(c, rewrite)), texts: texts.map(rewrite), extend: extendText(items) };
}
