/**
 * The Logs Insights filter said once and no longer than it needs, after the printer and the common
 * tidying (out.ts), before the layout:
 *
 * 1. The condition simplified in the context of its own tests as Logs Insights reads them
 *    (common/outctx.ts), with the printer's guarded complements read as such (`GUARDED_READING`): the
 *    printer writes Python's `not (x == v)` as `not (ispresent(x)) or not (x = v)` (`x != v`), the
 *    complement of `x = v` being true, because a positive comparison on an absent field does not match
 *    (CWL_QuerySyntax-Filter; what a negated one does there is undocumented, hence the guard). So:
 *    - a positive comparison `P` of a field with a literal (`=`, `in`, `like`, `=~`, `<`...) is read as
 *      the total predicate "P is true". Where the field is absent, P may be false or unknown; the two
 *      only differ under a `not`, and P is never under one here (the condition is a tree of `and`/`or`
 *      over printed tests, and a `not (P)` text is a test of its own, below): inside `and`/`or` an
 *      unknown that were false decides no row differently (Kleene's `and`/`or` are regular: a row kept
 *      with an unknown operand is kept with any value of it). On a present field P is true or false
 *      (the premise the printer's guard rests on). "P is true" implies `ispresent(x)`, and, for `=`,
 *      `in` and `like` with non-empty strings only, `not isempty(x)`;
 *    - `not (ispresent(x)) or not (P)` (or `x != v` for `x = v`) is exactly its complement: true where
 *      the field is absent, `not P` where it is present; and `isempty(x) or not (P)` is that complement
 *      or `isempty(x)` (isempty is true where the field is absent: CWL_QuerySyntax-operations-functions).
 *      To read them so, the pass is given each disjunction as one text: an `or` holding
 *      `not (ispresent(x))` or `isempty(x)` is first distributed over its
 *      `and` operands that hold a negated test of x (`a or (b and c)` is `(a or b) and (a or c)`, an
 *      identity of Kleene's logic), and each such pair joined into one text; after the pass the texts
 *      are taken apart again (out.ts's builders factor the guard out once more), and the pass runs once
 *      more with Logs Insights' own reading, which drops a guard the context decides;
 *    - a negated test alone (`not (P)`, `x != v`) stays a literal of its own (its value on an absent
 *      field is undocumented), and so does every other text Logs Insights' own reading does not know.
 * 2. Regex and substring tests on one field joined (common/rejoin.ts): in an `or`,
 *    `f =~ /A/ or f =~ /B/` is `f =~ /A|B/` (with the same leading flags), and `f like "s"` is the
 *    regex of the escaped text `s` (a substring search, "like" and "=~" alike: CWL_QuerySyntax-Filter);
 *    in an `and`, `not (f =~ /A/) and not (f =~ /B/)` is `not (f =~ /A|B/)`. Both hold whatever a test
 *    on an absent field yields (false, or SQL's unknown: src/proof/cwl/index.ts), as every test joined
 *    yields the same there; on a present value the alternation matches exactly where one of the
 *    patterns does. Prefixes share their anchor: `eventName =~ /^(?:Describe|Get)/`.
 */
import { and, or, type Out } from '../common/out.js';
import { CWL_READING, simplifyInContext, type Lit, type Parsed, type Reading } from '../common/outctx.js';
import { joinBodies, namedGroup } from '../common/rejoin.js';
import { cwlReText, cwlRegex } from './escape.js';

const FIELD = '@?(?:[A-Za-z0-9.]+|`[^`]*`)';
const RE_TEST = new RegExp(`^(${FIELD}) =~ /([^/]*)/$`);
const LIKE_TEST = new RegExp(`^(${FIELD}) like (?:"([^"\\\\]*)"|'([^'\\\\]*)')$`);

interface ReText {
  neg: boolean;
  field: string;
  /** The leading flag groups, e.g. `(?i)`. */
  flags: string;
  body: string;
}

/** A printed regex or substring test, `not (...)` or not: its field, flags and body. */
export function readCwlRe(s: string): ReText | null {
  const neg = s.startsWith('not (') && s.endsWith(')');
  const inner = neg ? s.slice(5, -1) : s;
  const r = RE_TEST.exec(inner);
  if (r) {
    const flags = /^(?:\(\?[a-zA-Z]+\))*/.exec(r[2]!)![0];
    return { neg, field: r[1]!, flags, body: r[2]!.slice(flags.length) };
  }
  const l = LIKE_TEST.exec(inner);
  if (l) return { neg, field: l[1]!, flags: '', body: cwlReText(l[2] ?? l[3]!) };
  return null;
}

/** Join the tests of one junction on one field with the same flags (positive ones in an `or`, negated ones in an `and`). */
function joinTests(op: 'and' | 'or', args: Out[]): Out[] {
  const groups = new Map<string, { at: number; res: ReText[]; texts: string[] }>();
  const out: (Out | null)[] = [];
  for (const a of args) {
    const r = a.k === 'text' ? readCwlRe(a.s) : null;
    if (!r || r.neg !== (op === 'and') || namedGroup(r.body) || r.body === '') {
      out.push(a);
      continue;
    }
    const k = `${r.field}\u0000${r.flags}`;
    const g = groups.get(k);
    if (g) {
      g.res.push(r);
      g.texts.push((a as { s: string }).s);
    } else {
      groups.set(k, { at: out.length, res: [r], texts: [(a as { s: string }).s] });
      out.push(null);
    }
  }
  for (const g of groups.values()) {
    const first = g.res[0]!;
    const test = `${first.field} =~ ${cwlRegex(first.flags + joinBodies(g.res.map((x) => x.body)))}`;
    out[g.at] = { k: 'text', s: g.res.length === 1 ? g.texts[0]! : first.neg ? `not (${test})` : test };
  }
  return out as Out[];
}

/** Regex and substring tests joined per field (see the module comment, 2). */
export function joinCwlRegexes(o: Out): Out {
  if (o.k !== 'and' && o.k !== 'or') return o;
  const args = joinTests(o.k, o.args.map(joinCwlRegexes));
  return args.length === 1 ? args[0]! : (o.k === 'and' ? and : or)(...args);
}

// ---------------------------------------------------------------------------------------------
// 1. Guarded complements

/** A positive comparison of a field with a literal: [field, operator, literal]. */
const POS = new RegExp(`^(${FIELD}) (=|<|<=|>|>=|in|like|=~) ("[^"\\\\]*"|'[^'\\\\]*'|-?[0-9][0-9.eE+-]*|\\[[^\\]]*\\]|/[^/]*/)$`);
/** `x != v`: the negation of `x = v`. */
const NE = new RegExp(`^(${FIELD}) != ("[^"\\\\]*"|'[^'\\\\]*'|-?[0-9][0-9.eE+-]*)$`);
/** The joined complement `not (ispresent(x)) or <negated test of x>`, as the pass is given it: `\u0001<guard>\u0002<test>` (printed texts hold no control character, escape.ts). */
const JOINED = '\u0001';
const SEP = '\u0002';

/** A positive comparison of a field with a literal, or null. Quoted strings are written without escapes (escape.ts), so `"` ends one. */
export function positive(s: string): { field: string; op: string; lit: string } | null {
  const m = POS.exec(s);
  if (!m) return null;
  // a list of string and number literals only
  if (m[3]!.startsWith('[') && !/^\[(?:(?:"[^"]*"|'[^']*'|-?[0-9][0-9.eE+-]*)(?:, |\]$))*$/.test(m[3]!)) return null;
  return { field: m[1]!, op: m[2]!, lit: m[3]! };
}

/** The positive test a negated one negates, with its field: `not (P)` or `x != v`; else null. */
export function negatedTest(s: string): { field: string; pos: string } | null {
  if (s.startsWith('not (') && s.endsWith(')')) {
    const p = positive(s.slice(5, -1));
    return p ? { field: p.field, pos: s.slice(5, -1) } : null;
  }
  const m = NE.exec(s);
  return m ? { field: m[1]!, pos: `${m[1]} = ${m[2]}` } : null;
}

const presenceGuard = (field: string) => `not (ispresent(${field}))`;

/** Does a literal hold a non-empty string only (so the value it matches is not empty)? */
const nonEmptyLit = (op: string, lit: string): boolean =>
  op === '=' || op === 'like' ? /^"[^"]+"$|^'[^']+'$/.test(lit) : op === 'in' ? /^\[(?:(?:"[^"]+"|'[^']+')(?:, |\]$))+$/.test(lit) : false;

function guardedParse(s: string): Parsed {
  if (s.startsWith(JOINED)) {
    const guard = s.slice(JOINED.length, s.indexOf(SEP));
    const n = negatedTest(s.slice(s.indexOf(SEP) + 1));
    if (n) {
      // the complement, written with the presence guard when it stands alone
      const complement: Lit = { k: 'lit', key: n.pos, neg: true, total: true, text: guard.startsWith('isempty(') ? `${JOINED}${presenceGuard(n.field)}${SEP}${s.slice(s.indexOf(SEP) + 1)}` : s };
      if (!guard.startsWith('isempty(')) return complement;
      return { k: 'or', args: [complement, { k: 'lit', key: guard, neg: false, total: true, text: guard }] };
    }
  }
  if (positive(s)) return { k: 'lit', key: s, neg: false, total: true, text: s };
  if (negatedTest(s)) return { k: 'lit', key: s, neg: false, total: false, text: s };
  return CWL_READING.parse(s);
}

const GUARDED_READING: Reading = {
  parse: guardedParse,
  not: CWL_READING.not,
  implied(l: Lit) {
    const p = l.neg ? null : positive(l.key);
    if (!p) return CWL_READING.implied(l);
    const out = [{ key: `ispresent(${p.field})`, neg: false }];
    if (nonEmptyLit(p.op, p.lit)) out.push({ key: `isempty(${p.field})`, neg: true });
    return out;
  },
};

/** Each `or` holding `not (ispresent(x))` or `isempty(x)`: its negated tests of x joined with that guard into one text (the module comment). */
function joinGuards(o: Out, was?: Map<Out, Out>): Out {
  const r = joinGuardsIn(o, was);
  if (was && r !== o && r.k !== 'text') was.set(r, o);
  return r;
}

function joinGuardsIn(o: Out, was?: Map<Out, Out>): Out {
  if (o.k !== 'and' && o.k !== 'or') return o;
  const args = o.args.map((a) => joinGuards(a, was));
  if (o.k === 'and') return and(...args);
  const guards = new Set(args.flatMap((a) => (a.k === 'text' && /^(?:not \(ispresent\(.*\)\)|isempty\(.*\))$/s.test(a.s) ? [a.s] : [])));
  if (guards.size === 0) return or(...args);
  // the presence guard where there is one, else isempty(x)
  const guarded = (a: Out): string | null => {
    const n = a.k === 'text' ? negatedTest(a.s) : null;
    if (!n) return null;
    const g = [presenceGuard(n.field), `isempty(${n.field})`].find((x) => guards.has(x));
    return g ?? null;
  };
  const joined = (g: string, a: Out): Out => ({ k: 'text', s: `${JOINED}${g}${SEP}${(a as { s: string }).s}` });
  const out: Out[] = [];
  const used = new Set<string>();
  for (const a of args) {
    const g = guarded(a);
    if (g) {
      out.push(joined(g, a));
      used.add(g);
      continue;
    }
    // (guard or (b and c)): distributed over the and when one of its operands is a negated test of x
    const inner = a.k === 'and' ? a.args.map(guarded).find((x) => x !== null) : undefined;
    if (inner && a.k === 'and') {
      out.push(and(...a.args.map((b) => (guarded(b) === inner ? joined(inner, b) : or({ k: 'text', s: inner }, b)))));
      used.add(inner);
      continue;
    }
    out.push(a);
  }
  // a guard that went into a joined text is said there
  return or(...out.filter((a) => !(a.k === 'text' && used.has(a.s))));
}

/** The joined texts taken apart again; a subtree the pass left as joinGuards made it is the one it was made from (`was`). */
function splitGuards(o: Out, was?: Map<Out, Out>): Out {
  const before = was?.get(o);
  if (before) return before;
  if (o.k === 'text' && o.s.startsWith(JOINED)) {
    const cut = o.s.indexOf(SEP);
    return or({ k: 'text', s: o.s.slice(JOINED.length, cut) }, { k: 'text', s: o.s.slice(cut + 1) });
  }
  if (o.k !== 'and' && o.k !== 'or') return o;
  return (o.k === 'and' ? and : or)(...o.args.map((a) => splitGuards(a, was)));
}

/** The filter's conjuncts (none for `true`), each said once (the module comment). */
export function cwlConjuncts(cond: Out): Out[] {
  if (cond.k === 'const' && cond.v) return [];
  // (then as Logs Insights' own reading has it: a guard the context decides, `ispresent(x)` known, goes)
  const was = new Map<Out, Out>();
  const joined = simplifyInContext(joinGuards(cond, was), GUARDED_READING, { and, or });
  const s = simplifyInContext(splitGuards(joined, was), CWL_READING, { and, or });
  if (s.k === 'const' && s.v) return [];
  const t = joinCwlRegexes(s);
  return t.k === 'and' ? t.args : [t];
}
