/**
 * Readable Logs Insights: a test the filters write more than once is written once, in a `fields` line
 * before the filters that names its value, and the filters read the name:
 *
 *   | fields if(requestParams.endpoint in ["permissionAssignment", "roleAssignment"], 1, 0) as EndpointInPermissionAssignmentRoleAssignment
 *   | filter EndpointInPermissionAssignmentRoleAssignment = 1 and ...
 *
 * Documented (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html):
 *   - "General functions": "Use general functions in the `fields` and `filter` commands and as arguments
 *     for other functions"; `if(condition: Boolean, trueValue: LogField, falseValue: LogField)`, result
 *     LogField: "Evaluates a condition and returns `trueValue` if the condition is true, or `falseValue`
 *     otherwise." So `if(E, 1, 0)` is 1 exactly where E is true, and 0 wherever it is not (false, or a
 *     comparison on an absent field, whatever that yields);
 *   - "Comparison operators": "Comparison operators accept all data types as arguments and return a
 *     Boolean result. Use comparison operations in the `filter` command and as arguments for other
 *     functions" (so E may be a comparison, `in`, `like`, `=~`, and the Boolean functions `ispresent`,
 *     `isempty`, which return 1 or 0);
 *   - a function's value is named in `fields` with `as` ("Structure types": `fields jsonParse(@message) as
 *     json_message`; "General functions": `fields messageSize(@message) as size`; CWL_QuerySyntax-Fields.html:
 *     "You can use the fields command with the keyword as to create extracted fields that use fields and
 *     functions in your log events ... the extracted field can be used in the rest of your query"). The same
 *     page: "If your query contains multiple fields commands and doesn't include a display command, the
 *     results display all of the fields that are specified in the fields commands": the names are shown
 *     beside the rule's output fields (1 or 0 per event), which changes no event a query keeps.
 *
 * Soundness. The filters are trees of `and`/`or` over printed tests (no `not` above a test: a `not (...)`
 * text is a test of its own), and a `filter` keeps a record when its condition is true; in such a tree
 * (Kleene's `and`/`or` are monotone) the condition is true exactly when it is true with every test that is
 * not true read as false, so a test may be replaced by another that is true on the same records:
 *   - a positive comparison `P` (tidy.ts's `positive`) becomes `N = 1` (true exactly where P is);
 *   - a test of presence or emptiness, `ispresent(x)` / `isempty(x)`, becomes `N = 1`, and its negation
 *     `not (ispresent(x))` / `not (isempty(x))` becomes `N = 0` (both are 1 or 0 on every record);
 *   - a negated comparison `not (P)` (or `x != v` for `x = v`) becomes `N = 0` only where the records on
 *     which x is absent do not matter to the condition (what a negated comparison yields there is
 *     undocumented; tidy.ts): an enclosing `or` holds `not (ispresent(x))` or `isempty(x)` as another
 *     operand (true there), or an enclosing `and` (or another filter) holds `ispresent(x)`,
 *     `not (isempty(x))` or a positive comparison of x (not true there). Where x is present, P is true or
 *     false (the premise of the printer's guards, tidy.ts), so `not (P)` is true exactly where `N = 0` is.
 *     An `or` that then holds both `not (ispresent(x))` and such an `N = 0` drops the guard: where x is
 *     absent P is not true (a positive comparison on an absent field does not match,
 *     CWL_QuerySyntax-Filter.html), so `N = 0` holds there already.
 * Or, judged on the whole query (`absentIrrelevant`), where no record with x absent is kept or dropped
 *     by what the negated comparison yields there: the filters hold with it true exactly where they hold
 *     with it false, on every assignment of the other tests that can occur with x absent (another filter
 *     may need x wherever the test matters, as `not (isempty(x)) or not (E)` beside `not (E) or not (P)`).
 * A negated comparison elsewhere is left as written. A test is named when it would be written twice or
 * more (its complement included); the comparisons first, then presence and emptiness (some guards went).
 *
 * The names are derived from the test (its field's last member, the operator, the literals), made
 * unique, and never equal (in any casing) to a word the query text holds, so a name never shadows a
 * field the query reads. Tests are named in the order of their text, so the names do not depend on the
 * order of the condition's operands.
 */
import { and, or, outTexts, type Out } from '../common/out.js';
import { negatedTest, positive } from './tidy.js';
import { camel } from '../common/names.js';
import { Bdd, BddLimit } from '../../ast/bdd.js';

const FIELD = /^(?:@?[A-Za-z0-9.]+|`[^`]*`)$/;

/** `isempty(x)` / `ispresent(x)`: [function, field], or null. */
function presence(s: string): [string, string] | null {
  const m = /^(isempty|ispresent)\((.*)\)$/s.exec(s);
  return m && FIELD.test(m[2]!) ? [m[1]!, m[2]!] : null;
}

/** `not (s)`'s s, or null. */
function negated(s: string): string | null {
  return s.startsWith('not (') && s.endsWith(')') ? s.slice(5, -1) : null;
}

/** What makes a record on which x is absent irrelevant, from a sibling's text: in an `or` (true there) or an `and` (not true there). */
function covers(op: 'and' | 'or', s: string): string | null {
  if (op === 'or') {
    const n = negated(s);
    const p = n !== null ? presence(n) : presence(s);
    if (n !== null && p?.[0] === 'ispresent') return p[1];
    if (n === null && p?.[0] === 'isempty') return p[1];
    return null;
  }
  const n = negated(s);
  if (n !== null) {
    const p = presence(n);
    return p?.[0] === 'isempty' ? p[1] : null;
  }
  const p = presence(s);
  if (p) return p[0] === 'ispresent' ? p[1] : null;
  return positive(s)?.field ?? null;
}

type Kind = 'cmp' | 'fn';
interface Occ {
  kind: Kind;
  /** The positive test. */
  key: string;
  neg: boolean;
  /** The field a comparison reads. */
  field?: string;
}

/** The test a leaf text writes, given the fields whose absence does not matter there and the negated tests whose value there decides nothing (`absentIrrelevant`). */
function occurrence(s: string, covered: ReadonlySet<string>, irrelevant: ReadonlySet<string>): Occ | null {
  if (presence(s)) return { kind: 'fn', key: s, neg: false };
  const n = negated(s);
  if (n !== null && presence(n)) return { kind: 'fn', key: n, neg: true };
  const p = positive(s);
  if (p) return { kind: 'cmp', key: s, neg: false, field: p.field };
  const q = negatedTest(s);
  if (q && (covered.has(q.field) || irrelevant.has(s))) return { kind: 'cmp', key: q.pos, neg: true, field: q.field };
  return null;
}

/** Visit each leaf text with the fields covered there (see `covers`); `rewrite` gives each node's replacement. */
function visit(o: Out, covered: ReadonlySet<string>, leaf: (s: string, covered: ReadonlySet<string>) => Out, junction: (op: 'and' | 'or', args: Out[], was: Out[]) => Out): Out {
  if (o.k === 'text') return leaf(o.s, covered);
  if (o.k === 'const') return o;
  const op = o.k;
  const args = o.args.map((a, i) => {
    const inner = new Set(covered);
    o.args.forEach((b, j) => {
      if (j === i || b.k !== 'text') return;
      const f = covers(op, b.s);
      if (f) inner.add(f);
    });
    return visit(a, inner, leaf, junction);
  });
  return junction(op, args, o.args);
}

/** The fields every record the filters keep has present (a filter `ispresent(x)`...), as an `and` of them covers. */
function coveredByFilters(conds: Out[], i: number): Set<string> {
  const out = new Set<string>();
  conds.forEach((c, j) => {
    if (j === i || c.k !== 'text') return;
    const f = covers('and', c.s);
    if (f) out.add(f);
  });
  return out;
}

/** The decision diagram `absentIrrelevant` may build for one negated test before it gives up (not named). */
const BDD_NODES = 200_000;

/** A test of one field's value against strings, or of its presence: what it says of the value. */
interface ValueTest {
  field: string;
  kind: 'in' | 'nin' | 'present' | 'absent' | 'empty' | 'nonempty';
  lits: string[];
}

/** The strings of a literal (`"a"` or `["a", "b"]`), or null when it holds anything else. */
function strings(lit: string): string[] | null {
  if (/^"[^"]*"$/.test(lit)) return [lit.slice(1, -1)];
  if (!/^\[(?:"[^"]*"(?:, |\]$))+$/.test(lit)) return null;
  return [...lit.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
}

function valueTest(t: string): ValueTest | null {
  const p = presence(t);
  if (p) return { field: p[1], kind: p[0] === 'isempty' ? 'empty' : 'present', lits: [] };
  const n = negated(t);
  const pn = n !== null ? presence(n) : null;
  if (pn) return { field: pn[1], kind: pn[0] === 'isempty' ? 'nonempty' : 'absent', lits: [] };
  const pos = positive(t);
  if (pos && (pos.op === '=' || pos.op === 'in')) {
    const lits = strings(pos.lit);
    return lits ? { field: pos.field, kind: 'in', lits } : null;
  }
  const q = negatedTest(t);
  const qp = q ? positive(q.pos) : null;
  if (qp && (qp.op === '=' || qp.op === 'in')) {
    const lits = strings(qp.lit);
    return lits ? { field: qp.field, kind: 'nin', lits } : null;
  }
  return null;
}

/** A field value none of the query's strings names, or no string, or an absent field: each test of it but a match is free. */
const OTHER = Symbol('other');

/**
 * The negated comparisons (`not (P)`, `x != v`) whose positive test the filters also write (so that
 * naming it would write it once), and whose value where their field x is absent decides no record the
 * filters keep, judged on the whole query. Where x is absent: `isempty(x)` and `not (ispresent(x))` are
 * true, `ispresent(x)` and `not (isempty(x))` false, a positive comparison of x is not true (false, or
 * unknown: a filter over `and`/`or` is true with an unknown exactly when it is true with the unknown read
 * as false), its other negated tests take either value. Every other field holds one of the strings the
 * query compares it with (`=`, `in`: a match is the whole string, CWL_QuerySyntax-Filter), so that its
 * comparisons, presence and emptiness tests follow, or something else (absent included), where its
 * matches are not true and its other tests take either value; every other test takes either value. If no
 * such assignment keeps a record with the negated test true and drops it with the test false (decided on
 * a decision diagram, within a bound: counterexample), then, the filters being monotone in their
 * tests, whatever the negated test yields on an absent field (undocumented) keeps the same records as
 * `N = 0`, which is true there; where x is present, `not (P)` is `N = 0`.
 */
function absentIrrelevant(conds: Out[]): Set<string> {
  const texts = new Set(conds.flatMap((c) => outTexts(c)));
  const all: Out = { k: 'and', args: conds };
  const vt = new Map<string, ValueTest>();
  const domains = new Map<string, (string | typeof OTHER)[]>();
  for (const t of texts) {
    const v = valueTest(t);
    if (!v) continue;
    vt.set(t, v);
    const d = domains.get(v.field) ?? [OTHER];
    for (const l of v.lits) if (!d.includes(l)) d.push(l);
    domains.set(v.field, d);
  }
  const out = new Set<string>();
  // the field of each text's positive test (null: none), read once per text for every counterexample search
  const posFields = new Map<string, string | null>();
  const posField = (t: string): string | null => {
    let f = posFields.get(t);
    if (f === undefined) posFields.set(t, (f = positive(t)?.field ?? null));
    return f;
  };
  for (const s of texts) {
    const q = negatedTest(s);
    if (!q || ![...texts].some((t) => t !== s && (t === q.pos || negatedTest(t)?.pos === q.pos))) continue;
    if (!counterexample(all, s, q.field, vt, domains, posField)) out.add(s);
  }
  return out;
}

/**
 * Is there an assignment (see absentIrrelevant) with the negated test `s`'s field `x` absent under which
 * the filters `all` hold with `s` true and fail with `s` false? Decided on a decision diagram over the
 * assignment: a variable per value a field may take (exactly one of them holding) and per free test; true
 * (a counterexample assumed) where the diagram grows past its bound. A diagram, not a search over the
 * assignments: a query with a dozen free tests beside the negated one (a chain of regular expressions on
 * several group fields) has more assignments than any search budget, while its diagram stays small.
 */
function counterexample(
  all: Out,
  s: string,
  x: string,
  vt: ReadonlyMap<string, ValueTest>,
  domains: ReadonlyMap<string, (string | typeof OTHER)[]>,
  posField: (t: string) => string | null,
): boolean {
  const bdd = new Bdd(BDD_NODES);
  try {
    let valid = 1;
    const choice = new Map<string, number[]>();
    const choiceOf = (f: string): number[] => {
      let vs = choice.get(f);
      if (vs) return vs;
      vs = (domains.get(f) ?? [OTHER]).map(() => bdd.newVar());
      choice.set(f, vs);
      // exactly one value
      const one = bdd.or(...vs.map((v, i) => bdd.and(v, ...vs!.filter((_, j) => j !== i).map((w) => bdd.not(w)))));
      valid = bdd.and(valid, one);
      return vs;
    };
    const free = new Map<string, number>();
    const freeOf = (t: string): number => {
      let v = free.get(t);
      if (v === undefined) free.set(t, (v = bdd.newVar()));
      return v;
    };
    const test = (t: string, sv: number): number => {
      if (t === s) return sv;
      const v = vt.get(t);
      if (v && v.field === x) {
        if (v.kind === 'nin') return freeOf(t);
        return v.kind === 'absent' || v.kind === 'empty' ? 1 : 0;
      }
      if (!v) return posField(t) === x ? 0 : freeOf(t);
      const vs = choiceOf(v.field);
      const dom = domains.get(v.field) ?? [OTHER];
      const parts = dom.map((val, i) => {
        let here: number;
        if (val === OTHER) here = v.kind === 'in' ? 0 : freeOf(t);
        else {
          switch (v.kind) {
            case 'in':
              here = v.lits.includes(val) ? 1 : 0;
              break;
            case 'nin':
              here = v.lits.includes(val) ? 0 : 1;
              break;
            case 'present':
              here = 1;
              break;
            case 'nonempty':
              here = val !== '' ? 1 : 0;
              break;
            case 'absent':
              here = 0;
              break;
            case 'empty':
              here = val === '' ? 1 : 0;
              break;
          }
        }
        return bdd.and(vs[i] as number, here);
      });
      return bdd.or(...parts);
    };
    const build = (o: Out, sv: number): number => {
      if (o.k === 'text') return test(o.s, sv);
      if (o.k === 'const') return o.v ? 1 : 0;
      const args = o.args.map((a) => build(a, sv));
      return o.k === 'and' ? bdd.and(...args) : bdd.or(...args);
    };
    const kept = build(all, 1);
    const dropped = build(all, 0);
    return bdd.and(valid, kept, bdd.not(dropped)) !== 0;
  } catch (e) {
    if (e instanceof BddLimit) return true;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Names


/** The last member of a field name (`protoPayload.authenticationInfo.principalEmail` → `PrincipalEmail`). */
function subject(field: string): string {
  const f = field.replace(/`/g, '');
  return camel(f.slice(f.lastIndexOf('.') + 1)) || camel(f) || 'Field';
}

const OP_WORDS: Record<string, string> = { '=': 'Is', '<': 'Below', '<=': 'AtMost', '>': 'Above', '>=': 'AtLeast', in: 'In', like: 'Like', '=~': 'Matches' };

/** The words of a literal's strings and numbers; past two, the first and how many more. */
function literalWords(lit: string): string {
  if (lit.startsWith('/')) return '';
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(-?[0-9][0-9.eE+-]*)/g;
  for (let m = re.exec(lit); m; m = re.exec(lit)) words.push(camel(m[1] ?? m[2] ?? m[3]!.replace('-', 'Minus').replace('.', '_')) || 'Empty');
  return words.length > 2 ? `${words[0]}And${words.length - 1}More` : words.join('');
}

const MAX = 48;

/** A readable name for a test (not yet made unique): letters and digits, starting with a letter. */
export function cwlTestName(test: string): string {
  let name: string;
  const f = presence(test);
  if (f) name = subject(f[1]) + (f[0] === 'isempty' ? 'IsEmpty' : 'IsPresent');
  else {
    const p = positive(test);
    name = p ? subject(p.field) + OP_WORDS[p.op]! + literalWords(p.lit) : camel(test) || 'Test';
  }
  if (!/^[A-Za-z]/.test(name)) name = `T${name}`;
  if (name.length <= MAX) return name;
  const cut = name.slice(0, MAX + 1).search(/(?:[A-Z]|(?<![0-9])[0-9])[^A-Z0-9]*$/);
  return cut > 0 ? name.slice(0, cut) : name.slice(0, MAX);
}

/** Words Logs Insights reads as keywords or commands (a name is none of them, in any casing). */
const KEYWORDS = ['and', 'or', 'not', 'in', 'like', 'as', 'by', 'if', 'case', 'fields', 'filter', 'where', 'stats', 'sort', 'limit', 'display', 'parse', 'unnest', 'into', 'dedup', 'pattern', 'desc', 'asc', 'true', 'false', 'null'];

export interface CwlNamed {
  conds: Out[];
  /** `fields if(E, 1, 0) as N, ...` when a test was named, else null. */
  fields: string | null;
  names: { name: string; test: string }[];
}

/**
 * Name each test the filters `conds` would write twice or more (the module comment). `reserved`: the
 * query's other texts (fields, commands, tail), whose words a name must not take.
 */
export function cwlNameRepeatedTests(conds: Out[], reserved: string[]): CwlNamed {
  const irrelevant = absentIrrelevant(conds);
  const taken = new Set<string>(KEYWORDS);
  for (const r of [...reserved, ...conds.map((c) => JSON.stringify(c))]) for (const w of r.match(/[A-Za-z_@][A-Za-z0-9_]*/g) ?? []) taken.add(w.toLowerCase());
  let names: { name: string; test: string }[] = [];
  let out = conds;
  for (const kind of ['cmp', 'fn'] as const) out = nameRound(out, kind, taken, names, irrelevant);
  if (names.length === 0) return { conds, fields: null, names };
  // a filter that became true goes; a name no filter reads any longer goes (`N = 1 or N = 0` was its use)
  out = out.filter((c) => !(c.k === 'const' && c.v));
  const read = new Set<string>();
  for (const c of out) for (const m of JSON.stringify(c).matchAll(/([A-Za-z][A-Za-z0-9]*) = [01]\b/g)) read.add(m[1]!);
  names = names.filter((n) => read.has(n.name));
  if (names.length === 0) return { conds: out, fields: null, names };
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { conds: out, fields: `fields ${names.map((n) => `if(${n.test}, 1, 0) as ${n.name}`).join(', ')}`, names };
}

function nameRound(conds: Out[], kind: Kind, taken: Set<string>, names: { name: string; test: string }[], irrelevant: ReadonlySet<string>): Out[] {
  const count = new Map<string, number>();
  const each = (leaf: (s: string, covered: ReadonlySet<string>) => Out, junction: (op: 'and' | 'or', args: Out[], was: Out[]) => Out) =>
    conds.map((c, i) => visit(c, coveredByFilters(conds, i), leaf, junction));
  each(
    (s, covered) => {
      const o = occurrence(s, covered, irrelevant);
      if (o && o.kind === kind) count.set(o.key, (count.get(o.key) ?? 0) + 1);
      return { k: 'text', s };
    },
    (op, args) => ({ k: op, args }),
  );
  const tests = [...count].filter(([, n]) => n > 1).map(([t]) => t).sort();
  if (tests.length === 0) return conds;
  const byTest = new Map<string, string>();
  for (const test of tests) {
    const base = cwlTestName(test);
    let name = base;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}${i}`;
    taken.add(name.toLowerCase());
    byTest.set(test, name);
    names.push({ name, test });
  }
  // the fields whose negated comparison became `N = 0` in an `or` (their presence guard goes there)
  const namedNeg = new WeakMap<Out, string>();
  return each(
    (s, covered) => {
      const o = occurrence(s, covered, irrelevant);
      const name = o && o.kind === kind ? byTest.get(o.key) : undefined;
      if (!name) return { k: 'text', s };
      const r: Out = { k: 'text', s: `${name} = ${o!.neg ? 0 : 1}` };
      if (o!.neg && o!.field) namedNeg.set(r, o!.field);
      return r;
    },
    (op, args) => {
      // a name is 1 or 0 on every record (if() returns one of its values): `N = 1 or N = 0` is true, `N = 1 and N = 0` false
      const texts = new Set(args.flatMap((a) => (a.k === 'text' ? [a.s] : [])));
      if ([...byTest.values()].some((n) => texts.has(`${n} = 1`) && texts.has(`${n} = 0`))) return { k: 'const', v: op === 'or' };
      if (op === 'or') {
        const fields = new Set(args.flatMap((a) => (namedNeg.has(a) ? [namedNeg.get(a)!] : [])));
        const guardOf = (a: Out): string | null => {
          const n = a.k === 'text' ? negated(a.s) : null;
          const p = n !== null ? presence(n) : null;
          return p?.[0] === 'ispresent' ? p[1] : null;
        };
        return or(...args.filter((a) => !fields.has(guardOf(a) ?? '')));
      }
      return and(...args);
    },
  );
}
