/**
 * The simplification pass every target's condition goes through before it is printed (registry.ts):
 * the condition in negation normal form, made smaller and put in one canonical order, without changing
 * what it matches under Panther's Python semantics.
 *
 * Each rewrite is an equivalence for the rule's result, reading every literal as true exactly when its
 * atom evaluates to the literal's polarity (false where Python raises; see ast/literal.ts):
 *
 * - flattening and constant folding; duplicates removed (`a and a`, the same subtree twice);
 * - literals on one field merged by their value sets: `x == "a" or x == "b"` is `x in ("a", "b")`,
 *   `x == "a" or x in ("a", "b")` is the `in`, `x != "a" and x != "b"` is `x not in (...)`, `x and
 *   x == "a"` is `x == "a"`, a contradiction (`x == "a" and x == "b"`) is false and a tautology
 *   (`x == "a" or x != "a"`) true, but only where the value cannot raise: `x.lower() == "a" or
 *   x.lower() != "a"` stays, it is false on None;
 * - subsumed terms removed: a literal implied by a sibling of an `or` (`"admin" in x` beside
 *   `"administrator" in x`... the other way round), a conjunct implied by a sibling of an `and`,
 *   a subtree implied by a sibling subtree (absorption);
 * - context: inside an `and`, the literal siblings hold; inside an `or` they failed; a literal those
 *   facts decide becomes a constant (`a and (not a or b)` is `a and b` where `a` cannot raise);
 * - common factors pulled out: `(a and b) or (a and c)` is `a and (b or c)`, `(a or b) and (a or c)`
 *   is `a or (b and c)` (distributivity, exact in three-valued logic);
 * - a canonical order: `in` lists sorted; the operands of every `and`/`or` sorted by a stable key
 *   (positive literals, then compound terms, then negated literals and exclusions; by field, operator
 *   and value), so that two conditions that differ only in the order of their operands print the
 *   same text.
 *
 * A target reads a literal with its own operator where Python raises, and replaces a construct it lacks by
 * `true`: so a literal goes as implied by another only when that other is one every target prints and
 * still implies it read with the values where it raises (`litImpliesAsRead`), literals merge only with
 * printable ones raising on the same values, and inside an `any()` body only three-valued identities run
 * (`strict`). Contradictions and failed facts only narrow a target towards Python.
 *
 * The pass is checked for equivalence by a BDD over the literals (common/equiv.ts, in the tests), on
 * random conditions and on every sample rule. Its cost is bounded (WORK): past the budget the rest of
 * the condition is left as it is, which is still exact.
 */
import { onNewIdSpace, predId, valId } from '../../ast/normalize.js';
import { atomFor, atomTotal, canRaise, cmpStr, covers, disjoint, exactSet, implies, impliesAsRead, isEmpty, isFull, litSem, mayHoldOnEmpty, raiseKey, raisesNowhere, setAnd, setEmpty, setEq, setFull, setNot, setOr, setSub, typedValue, type ExactSet, type LitSem } from '../../ast/literal.js';
import { pyIsInstance } from '../../python/semantics.js';
import type { Json, Val } from '../../ast/types.js';
import { fieldRef, pathText } from '../../ast/view.js';
import { atomValue, type Atom, type Nnf } from './nnf.js';
import { JunctionIds } from '../../ast/junctionids.js';

type Lit = Extract<Nnf, { k: 'lit' }>;
type Op = 'and' | 'or';
const T: Nnf = { k: 'const', v: true };
const F: Nnf = { k: 'const', v: false };
const dual = (op: Op): Op => (op === 'and' ? 'or' : 'and');

/** The work one condition may take (literal comparisons and nodes visited); far above what any corpus rule needs. */
export const SIMPLIFY_WORK = 5_000_000;
/** Literals on one field compared pairwise only up to this many (a list of IOCs is merged, not compared). */
const PAIRWISE = 48;
/**
 * Rounds of simplifying compound operands with the literal siblings as facts: another round runs while the
 * last brought literals up (a literal one compound yields decides literals in another, whichever came first).
 */
const ROUNDS = 8;
/** Compound siblings compared for absorption only up to this many. */
const ABSORB = 24;

let work = 0;
/**
 * Strict mode, for the body of an `any()`: Python visits the elements in order and one that raises before
 * the deciding one raises, so there the body's three values (true, false, raises) must be kept, not only
 * whether it holds. Only the rewrites exact in three-valued logic run: flattening, constants, duplicates,
 * absorption and factoring (distributivity), the canonical order.
 */
let strict = false;
/** The target's string operators are false on every non-string value of `v` (Target.impliesStr). */
let readsStr: (v: Val) => boolean = () => true;

/**
 * Simplify a condition in negation normal form (see the file comment). `impliesStr`: where the target's
 * string operators are false on non-string values (as for dropStrGuards); a literal is only dropped as
 * implied where the target reads the literal implying it no wider (see `litImpliesAsRead`).
 */
export function simplifyNnf(n: Nnf, opts: { impliesStr?: (v: Val) => boolean; budget?: number } = {}): Nnf {
  const saved = work;
  const savedStrict = strict;
  const savedReads = readsStr;
  const savedImplied = implied;
  const savedJunctions = junctions;
  work = opts.budget ?? SIMPLIFY_WORK;
  strict = false;
  readsStr = opts.impliesStr ?? (() => true);
  implied = new Map();
  junctions = newJunctionMemo();
  try {
    // again on its result until nothing changes: a rewrite late in a pass (a factored term, a sibling an
    // if/else decided) can enable one the pass made earlier, and which came first depends on the order
    // the operands came in (the result would too)
    let out = simp(n, null);
    for (let pass = 1; pass < PASSES && work > 0 && (out.k === 'and' || out.k === 'or'); pass++) {
      const next = simp(unshared(out), null);
      if (nodeId(next) === nodeId(out)) break;
      out = next;
    }
    return out;
  } catch (e) {
    // nested deeper than the stack follows: left as it is (exact, only not simplified)
    if (e instanceof RangeError) return n;
    throw e;
  } finally {
    work = saved;
    strict = savedStrict;
    readsStr = savedReads;
    implied = savedImplied;
    junctions = savedJunctions;
  }
}

/** Passes over one condition at most (on the corpus a second pass changes 20 conditions, a third 1, a fourth none). */
const PASSES = 4;

/** The condition with new junction nodes (the literals shared): simp treats none of them as done. */
function unshared(n: Nnf): Nnf {
  if (n.k === 'and' || n.k === 'or') return { k: n.k, args: n.args.map(unshared) };
  if (n.k === 'quant') return { ...n, body: unshared(n.body) };
  return n;
}

// ---------------------------------------------------------------------------------------------
// Identities and the canonical order

/**
 * Node ids: one counter for every kind of node, so that equal ids mean structurally equal nodes. Constants
 * and quantifiers by a key text, literals by their litKey, junctions by their operands' ids (sorted)
 * looked up in a hash table without building a key text (a junction is made for every rewrite a pass
 * tries, and asked for its id by dedup and the implication checks).
 */
let nextId = 0;
let internIds = new Map<string, number>();
const intern = (s: string): number => {
  let id = internIds.get(s);
  if (id === undefined) internIds.set(s, (id = nextId++));
  return id;
};
let litIds = new Map<number, number>();
let junctionIds = new JunctionIds();

/** The literal's identity: its atom (structurally), polarity and string guard. */
export function litKey(l: Lit): number {
  return predId(l.atom) * 4 + (l.neg ? 1 : 0) + (l.strGuard ? 2 : 0);
}

let ids = new WeakMap<Nnf, number>();
onNewIdSpace(() => {
  nextId = 0;
  internIds = new Map();
  litIds = new Map();
  junctionIds = new JunctionIds();
  ids = new WeakMap();
  subjects = new WeakMap();
});

/** Structural identity of a node (operand order ignored): equal numbers, equal conditions. */
export function nodeId(n: Nnf): number {
  const hit = ids.get(n);
  if (hit !== undefined) return hit;
  let id: number;
  switch (n.k) {
    case 'const':
      id = intern(n.v ? 'T' : 'F');
      break;
    case 'lit': {
      const k = litKey(n);
      const known = litIds.get(k);
      if (known !== undefined) id = known;
      else litIds.set(k, (id = nextId++));
      break;
    }
    case 'quant':
      id = intern(`q${n.q}${valId(n.list)}(${nodeId(n.body)})`);
      break;
    default:
      id = junctionId(n.k === 'and', n.args);
  }
  ids.set(n, id);
  return id;
}

/** The id of an and (`and`) or an or of operands with these nodes, in any order (duplicates counted). */
function junctionId(and: boolean, args: readonly Nnf[]): number {
  const ops: number[] = [];
  for (let i = 0; i < args.length; i++) ops.push(nodeId(args[i] as Nnf));
  return junctionIds.id(and, sortNumbers(ops), () => nextId++);
}

/**
 * `xs` sorted in place, ascending (as an Int32Array's sort: the ids are small non-negative integers): an
 * insertion sort for the few operands a junction usually has, the comparator sort above that.
 */
function sortNumbers(xs: number[]): number[] {
  if (xs.length > 16) return xs.sort((a, b) => a - b);
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i] as number;
    let j = i - 1;
    while (j >= 0 && (xs[j] as number) > x) {
      xs[j + 1] = xs[j] as number;
      j--;
    }
    xs[j + 1] = x;
  }
  return xs;
}

const SEP = '\u0001';
const KIND_ORDER: Record<Atom['k'], number> = { cmp: 0, in: 1, match: 2, has: 3, cidr: 4, exists: 5, truthy: 6, istype: 7, valid: 8, rel: 9 };

/** A value's stable text (a field's path; otherwise its structure). */
function valText(v: Val): string {
  const r = fieldRef(v);
  if (r) return `${r.root === 'elem' ? `@${r.depth}.` : ''}${pathText(r.path)}${r.default !== undefined ? `?${JSON.stringify(r.default)}` : ''}`;
  return `~${JSON.stringify(v)}`;
}

const keys = new WeakMap<Nnf, { key: string; h1: number; h2: number; neg: boolean }>();
/** sortInfo of a literal by its atom, then polarity and string guard (index neg * 2 + guard). */
const litInfos = new WeakMap<Atom, ({ key: string; h1: number; h2: number; neg: boolean } | undefined)[]>();

function fnv(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}
const mix = (h: number, x: number): number => Math.imul((h ^ x) >>> 0, 2654435761) >>> 0;

/**
 * The canonical sort key: rank (0 positive literals, 1 compound terms, 2 negated literals, 3 compound
 * terms made only of negated literals, the exclusions), then field, operator and values; compound
 * terms by their first operand, then a hash of the whole (stable across runs).
 */
function sortInfo(n: Nnf): { key: string; h1: number; h2: number; neg: boolean } {
  const hit = keys.get(n);
  if (hit) return hit;
  let out: { key: string; h1: number; h2: number; neg: boolean };
  switch (n.k) {
    case 'const':
      out = { key: `0${SEP}${n.v}`, h1: n.v ? 1 : 2, h2: 3, neg: false };
      break;
    case 'lit': {
      // the same atom, polarity and guard in another literal object (a literal is rebuilt by many rewrites): its key again
      const a = n.atom;
      const variant = (n.neg ? 2 : 0) + (n.strGuard ? 1 : 0);
      let byAtom = litInfos.get(a);
      if (!byAtom) litInfos.set(a, (byAtom = []));
      const known = byAtom[variant];
      if (known) {
        out = known;
        break;
      }
      const { span: _s, ...rest } = a as Atom & { span?: unknown };
      const detail = JSON.stringify(rest, (k, v) => (k === 'value' || k === 'left' ? undefined : v));
      const key = `${n.neg ? 2 : 0}${SEP}${valText(atomValue(a))}${SEP}${KIND_ORDER[a.k]}${SEP}${detail}${n.strGuard ? 's' : ''}`;
      out = { key, h1: fnv(key, 2166136261), h2: fnv(key, 374761393), neg: n.neg };
      byAtom[variant] = out;
      break;
    }
    case 'quant': {
      const b = sortInfo(n.body);
      const head = `1${SEP}${n.q}(${valText(n.list)})`;
      out = { key: `${head}${SEP}${b.key.slice(0, 120)}`, h1: mix(fnv(head, 2166136261), b.h1), h2: mix(fnv(head, 374761393), b.h2), neg: false };
      break;
    }
    default: {
      // operands are in canonical order already (nodes are built sorted)
      let h1 = fnv(n.k, 2166136261);
      let h2 = fnv(n.k, 374761393);
      let neg = true;
      for (const a of n.args) {
        const s = sortInfo(a);
        h1 = mix(h1, s.h1);
        h2 = mix(h2, s.h2);
        neg &&= s.neg;
      }
      const first = n.args.length ? sortInfo(n.args[0] as Nnf).key.slice(0, 120) : '';
      out = { key: `${neg ? 3 : 1}${SEP}${first}${SEP}${n.k}${SEP}${h1.toString(16)}${h2.toString(16)}`, h1, h2, neg };
    }
  }
  keys.set(n, out);
  return out;
}

export function sortKey(n: Nnf): string {
  return sortInfo(n).key;
}

const byKey = (a: Nnf, b: Nnf): number => cmpStr(sortKey(a), sortKey(b));

/**
 * `list` sorted in place by the canonical key (as `list.sort(byKey)`): a longer list looks each key up once
 * rather than twice per comparison (a weak-map lookup each). Array.prototype.sort is stable, so equal keys keep
 * their order either way and the result is the same.
 */
function sortByKey<N extends Nnf>(list: N[]): N[] {
  if (list.length <= 4) return list.sort(byKey);
  const keyed = list.map((n) => ({ n, k: sortKey(n) }));
  keyed.sort((a, b) => cmpStr(a.k, b.k));
  for (let i = 0; i < keyed.length; i++) list[i] = (keyed[i] as { n: N }).n;
  return list;
}

/** A JSON list in canonical order: strings, numbers, booleans, None, the rest; duplicates removed. */
function canonList(l: readonly Json[]): Json[] {
  const rank = (x: Json): number => (typeof x === 'string' ? 0 : typeof x === 'number' ? 1 : typeof x === 'boolean' ? 2 : x === null ? 3 : 4);
  const seen = new Set<string>();
  const out: Json[] = [];
  for (const x of l) {
    const k = JSON.stringify(x);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x);
  }
  return out.sort((a, b) => {
    const d = rank(a) - rank(b);
    if (d) return d;
    if (typeof a === 'string') return cmpStr(a, b as string);
    if (typeof a === 'number') return a - (b as number);
    if (typeof a === 'boolean') return Number(a) - Number(b);
    return cmpStr(JSON.stringify(a), JSON.stringify(b));
  });
}

const canonCache = new WeakMap<Atom, Atom>();

/**
 * The literal with its `in` list in canonical order; a list of one string or number is an equality
 * (not for a negated set or dict membership, which raises on a list where `!=` does not).
 */
function canon(l: Lit): Lit {
  const atom = l.atom;
  if (atom.k !== 'in') return l;
  let a = canonCache.get(atom);
  if (!a) {
    const list = canonList(atom.list);
    const one = list[0];
    if (list.length === 1 && (typeof one === 'string' || (typeof one === 'number' && Number.isFinite(one))) && !(atom.hashed && l.neg)) {
      const { k: _k, value, list: _l, hashed: _h, ...rest } = atom;
      a = { ...rest, k: 'cmp', op: 'eq', left: value, right: { k: 'lit', v: one } };
    } else a = list.length === atom.list.length && list.every((x, i) => x === atom.list[i]) ? atom : { ...atom, list };
    if (!(atom.hashed && list.length === 1)) canonCache.set(atom, a);
  }
  return a === atom ? l : { ...l, atom: a };
}

// ---------------------------------------------------------------------------------------------
// Relations between literals

const sem = (l: Lit): LitSem => litSem(l.atom, l.neg, !!l.strGuard) as LitSem;
const sameAtom = (a: Lit, b: Lit): boolean => a.atom === b.atom || predId(a.atom) === predId(b.atom);

/**
 * A length literal: `len(x) >= k` (normalize.ts, canonLength: every ordering of len() with an integer
 * is written so) or its negation, as the subject (valId of `len(x)`), the bound and the polarity.
 */
function lengthLit(l: Lit): { subj: number; k: number; neg: boolean } | null {
  const a = l.atom;
  if (a.k !== 'cmp' || a.op !== 'ge' || a.ci || l.strGuard) return null;
  if (a.left.k !== 'fn' || a.left.fn !== 'len' || a.left.args.length !== 1) return null;
  if (a.right.k !== 'lit' || typeof a.right.v !== 'number' || !Number.isSafeInteger(a.right.v)) return null;
  return { subj: valId(a.left), k: a.right.v, neg: l.neg };
}

/**
 * How two length literals on one `len(x)` relate, by integer order: `len >= 5` implies `len >= 3`,
 * `len < 3` implies `len < 5`, `len >= 5` and `len < 5` never hold together. Where len() raises both are
 * false in Python; a target that writes len() (KQL's array_length of a split) reads one integer (or
 * null, where both are false) for both, so the relations hold as the target reads them too. null when
 * the literals are not two length literals on one subject.
 */
function lengthRel(a: Lit, b: Lit): { implies: boolean; disjoint: boolean; covers: boolean } | null {
  const x = lengthLit(a);
  const y = lengthLit(b);
  if (!x || !y || x.subj !== y.subj) return null;
  if (x.neg === y.neg) return { implies: x.neg ? x.k <= y.k : x.k >= y.k, disjoint: false, covers: false };
  // len >= p and len < q: disjoint when q <= p; one of them holds on every length when p <= q, if len() cannot raise
  const [p, q] = x.neg ? [y.k, x.k] : [x.k, y.k];
  return { implies: false, disjoint: q <= p, covers: p <= q && !sem(a).err };
}

/** `a` holding implies `b` holding. */
export function litImplies(a: Lit, b: Lit): boolean {
  work--;
  if (litKey(a) === litKey(b)) return true;
  const len = lengthRel(a, b);
  if (len) return len.implies;
  if (a.neg === b.neg && sameAtom(a, b)) {
    // isinstance(v, str) and A implies A; not A implies (not isinstance(v, str) or not A)
    return a.neg ? !a.strGuard && !!b.strGuard : !!a.strGuard && !b.strGuard;
  }
  return implies(sem(a), sem(b));
}

/**
 * `a` holding implies `b` holding, also as a target reads `a` where Python raises (see impliesAsRead): `b`
 * may then be dropped beside `a` without widening the target.
 */
export function litImpliesAsRead(a: Lit, b: Lit): boolean {
  work--;
  if (litKey(a) === litKey(b)) return true;
  if (a.neg === b.neg && sameAtom(a, b)) return a.neg ? !a.strGuard && !!b.strGuard : !!a.strGuard && !b.strGuard;
  const len = lengthRel(a, b);
  if (len) return len.implies;
  // a literal a target may replace by `true` (a construct it lacks) makes no other literal go
  if (!expressible(a)) return false;
  const s = sem(a);
  const t = sem(b);
  // two string tests raising on the same values: a target reads the value as the same string for both,
  // and a relation between string tests holds on every string
  if (stringTest(a) && stringTest(b) && s.space === t.space && raiseKey(s) === raiseKey(t)) return implies(s, t);
  // a substring test on a field holding lists or mappings is a construct several targets lack
  if (a.atom.k === 'match' && a.atom.kind === 'contains' && !a.atom.ci) return false;
  return impliesAsRead(s, t, { none: a.neg || mayHoldOnEmpty(s), nonStr: a.neg || !readsStr(atomValue(a.atom)) });
}

/**
 * A literal every target prints as it is, never as the superset of a construct it lacks: an equality or
 * `in` list of strings and numbers, a substring, prefix or suffix test, `is None`. (A literal on an
 * unmapped field is a superset everywhere, but so is every literal on the same field.)
 */
function expressible(l: Lit): boolean {
  const a = l.atom;
  const scalar = (x: Json): boolean => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x));
  switch (a.k) {
    case 'cmp':
      return (a.op === 'eq' || a.op === 'ne') && a.right.k === 'lit' && scalar(a.right.v);
    case 'in':
      return a.list.every(scalar);
    case 'match':
      return a.kind === 'contains' || a.kind === 'startswith' || a.kind === 'endswith';
    case 'exists':
      return true;
    default:
      return false;
  }
}

/** A test of a string value against strings: an equality, an `in` list of strings, a substring, prefix or suffix test. */
function stringTest(l: Lit): boolean {
  const a = l.atom;
  if (l.strGuard) return false;
  if (a.k === 'match') return a.kind === 'contains' || a.kind === 'startswith' || a.kind === 'endswith';
  if (a.k === 'cmp') return (a.op === 'eq' || a.op === 'ne') && a.right.k === 'lit' && typeof a.right.v === 'string';
  if (a.k === 'in') return a.list.length > 0 && a.list.every((x) => typeof x === 'string');
  return false;
}

/** `a` and `b` never hold together. */
export function litDisjoint(a: Lit, b: Lit): boolean {
  work--;
  const len = lengthRel(a, b);
  if (len) return len.disjoint;
  if (a.neg !== b.neg && sameAtom(a, b)) {
    const [p, n] = a.neg ? [b, a] : [a, b];
    // A and (not isinstance(v, str) or not A) both hold on a list that A accepts
    if (!(n.strGuard && !p.strGuard)) return true;
  }
  return disjoint(sem(a), sem(b));
}

/** One of `a` and `b` always holds. */
export function litCovers(a: Lit, b: Lit): boolean {
  work--;
  const len = lengthRel(a, b);
  if (len) return len.covers;
  // an atom that cannot raise and its negation (a string guard holds on every non-string: still both)
  if (a.neg !== b.neg && sameAtom(a, b) && atomTotal(a.atom)) {
    const [p, n] = a.neg ? [b, a] : [a, b];
    if (!p.strGuard || n.strGuard) return true;
  }
  return covers(sem(a), sem(b));
}

// ---------------------------------------------------------------------------------------------
// Context: literals known to hold (inside an `and`) or known to fail (inside an `or`)

interface Fact {
  lit: Lit;
  holds: boolean;
}
interface Ctx {
  parent: Ctx | null;
  bySubj: Map<number, Fact[]>;
  /** known() of this context and its ancestors, by subject, space and reading. */
  memo?: Map<string, Known | null>;
  /** The number of its facts (ctxId), given by the junction memo `idIn` (one simplifyNnf call's). */
  id?: number;
  idIn?: JunctionMemo;
}

function extend(ctx: Ctx | null, lits: Lit[], holds: boolean, except?: Lit): Ctx | null {
  const bySubj = new Map<number, Fact[]>();
  for (const l of lits) {
    if (l === except) continue;
    const s = sem(l).subj;
    let list = bySubj.get(s);
    if (!list) bySubj.set(s, (list = []));
    list.push({ lit: l, holds });
  }
  return bySubj.size ? { parent: ctx, bySubj } : ctx;
}

/** The literal decided by the facts, or itself. */
function evalLit(l0: Lit, ctx: Ctx | null): Nnf {
  const l = canon(l0);
  // strict: a literal that never holds may still raise (that is not false)
  if (strict) return atomTotal(l.atom) && isEmpty(sem(l)) ? F : atomTotal(l.atom) && isFull(sem(l)) ? T : l;
  const typed = typeTest(l);
  if (typed) return typed;
  const s = sem(l);
  if (isEmpty(s)) return F;
  if (isFull(s)) return T;
  for (let c = ctx; c; c = c.parent) {
    const facts = c.bySubj.get(s.subj);
    if (!facts) continue;
    for (const f of facts) {
      if (f.holds) {
        if (litImpliesAsRead(f.lit, l)) return T;
        if (litDisjoint(f.lit, l)) return F;
      } else {
        if (litImplies(l, f.lit)) return F;
        if (litCovers(f.lit, l)) return T;
      }
    }
  }
  return l;
}

/**
 * An `isinstance` test on a value whose type the function that makes it decides (`split()` gives a list,
 * `str()` a str, `len()` an int; typedValue): where the value raises the literal is false in either
 * polarity, elsewhere the test has one answer. So the literal that answer contradicts is false, and the
 * one it confirms is true where the value cannot raise (`not isinstance(s.split("/"), list)` is false:
 * the IndexError guard of `parts[6]` is `len(parts) >= 7` alone). null when not decided so.
 */
function typeTest(l: Lit): Nnf | null {
  if (l.atom.k !== 'istype' || l.strGuard) return null;
  const v = typedValue(l.atom.value);
  if (v === undefined) return null;
  const holds = pyIsInstance(v, l.atom.type) !== l.neg;
  if (!holds) return F;
  return canRaise(l.atom.value) ? null : T;
}

// ---------------------------------------------------------------------------------------------
// The pass

/** Nodes already simplified (in the mode they were made in: `doneStrict` for strict ones). */
const doneLoose = new WeakSet<Nnf>();
const doneStrict = new WeakSet<Nnf>();
const done = {
  has: (n: Nnf): boolean => (strict ? doneStrict : doneLoose).has(n),
  add: (n: Nnf): void => void (strict ? doneStrict : doneLoose).add(n),
};

function simp(n: Nnf, ctx: Ctx | null): Nnf {
  if (work <= 0) return n;
  work--;
  switch (n.k) {
    case 'const':
      return n;
    case 'lit':
      return evalLit(n, ctx);
    case 'quant': {
      // the body reads its own element: simplified on its own (strictly inside an any())
      if (done.has(n)) return n;
      const saved = strict;
      strict ||= n.q === 'any';
      try {
        const body = simp(n.body, null);
        const out = body === n.body ? n : { ...n, body };
        done.add(out);
        return out;
      } finally {
        strict = saved;
      }
    }
    default:
      if (ctx === null && done.has(n)) return n;
      return junction(n.k, n.args, ctx, true);
  }
}

/**
 * junction()'s results in one simplifyNnf call, by what they are a function of: the operator, `resimp`, the
 * facts of the context (every fact, in the order evalLit and known() read them) and the operands' structure in
 * their order. A condition lifted from a helper read on several paths holds the same subtree once per path
 * (azure_role_assignment_privileged_or_elevated: 13 distinct literals, 3,975 nodes; 3,647 of its 4,916
 * junctions with a context had been computed under the same facts before), and each was simplified again.
 * Only under a context (without one, an operand already simplified is taken as it is, by identity) and only
 * for operands holding no quantifier (its body is taken as it is once simplified, by identity); not in strict
 * mode. The work a result took is taken again from the budget on a hit, and a result is only taken where the
 * budget left covers it: a computation that would have run out does so as before.
 */
interface JunctionMemo {
  results: Map<string, { out: Nnf; cost: number }>;
  /** Numbers of contexts by their facts (the key of `results`). */
  ctxKeys: Map<string, number>;
  /** Lookups in `results`, and how many found one. */
  lookups: number;
  hits: number;
}
const newJunctionMemo = (): JunctionMemo => ({ results: new Map(), ctxKeys: new Map(), lookups: 0, hits: 0 });
let junctions = newJunctionMemo();

/**
 * Whether the memo is still worth its keys: it stops for the rest of a call (every later junction computed)
 * once 256 lookups found fewer than one result in eight. On a condition whose subtrees each meet other facts
 * (an if/else chain on one field on every path) nothing is found again, and the keys cost ~15%.
 */
const memoPays = (m: JunctionMemo): boolean => m.lookups < 256 || m.hits * 8 >= m.lookups;

/** The number of a context's facts, its ancestors' included (equal numbers, the same facts in the same order). */
function ctxId(ctx: Ctx | null): number {
  if (ctx === null) return 0;
  if (ctx.id !== undefined && ctx.idIn === junctions) return ctx.id;
  let key = `${ctxId(ctx.parent)}`;
  for (const [subj, facts] of ctx.bySubj) {
    key += `;${subj}`;
    for (const f of facts) key += `,${litKey(f.lit)}${f.holds ? '+' : '-'}`;
  }
  const { ctxKeys } = junctions;
  let id = ctxKeys.get(key);
  if (id === undefined) ctxKeys.set(key, (id = ctxKeys.size + 1));
  ctx.id = id;
  ctx.idIn = junctions;
  return id;
}

const quantIn = new WeakMap<Nnf, boolean>();
/** Whether a quantifier occurs in `n`. */
function hasQuant(n: Nnf): boolean {
  if (n.k === 'quant') return true;
  if (n.k !== 'and' && n.k !== 'or') return false;
  let q = quantIn.get(n);
  if (q === undefined) quantIn.set(n, (q = n.args.some(hasQuant)));
  return q;
}

/**
 * An `and`/`or` of `args`: literals decided by the context, merged and pruned; compound operands
 * simplified (`resimp`) with the literal siblings as facts; absorption; factoring; canonical order.
 */
function junction(op: Op, args0: readonly Nnf[], ctx: Ctx | null, resimp: boolean): Nnf {
  const m = junctions;
  if (ctx === null || strict || !memoPays(m) || args0.some(hasQuant)) return junctionNow(op, args0, ctx, resimp);
  let key = `${op === 'and' ? 'a' : 'o'}${resimp ? 1 : 0}${ctxId(ctx)}`;
  for (const a of args0) key += `,${nodeId(a)}`;
  m.lookups++;
  const hit = m.results.get(key);
  if (hit && work > hit.cost) {
    m.hits++;
    work -= hit.cost;
    return hit.out;
  }
  const before = work;
  const out = junctionNow(op, args0, ctx, resimp);
  if (work > 0) m.results.set(key, { out, cost: before - work });
  return out;
}

function junctionNow(op: Op, args0: readonly Nnf[], ctx: Ctx | null, resimp: boolean): Nnf {
  const unit = op === 'and';
  const top = collect(op, args0, resimp ? ctx : null, resimp);
  if (top === null) return unit ? F : T;
  let kept = localLits(op, top.lits);
  if (kept === null) return unit ? F : T;
  if (resimp) kept = byFacts(op, kept, ctx);
  if (kept === null) return unit ? F : T;
  let comps = top.comps;
  if (resimp) {
    // compound operands, with the literal siblings as facts; a second round when they brought literals up
    for (let round = 0; round < ROUNDS && comps.length; round++) {
      const inner = strict ? null : extend(ctx, kept, unit);
      const next = collect(op, comps.map((c) => simp(c, inner)), null, false);
      if (next === null) return unit ? F : T;
      comps = next.comps;
      if (next.lits.length === 0) break;
      kept = localLits(op, [...kept, ...next.lits]);
      if (kept !== null) kept = byFacts(op, kept, ctx);
      if (kept === null) return unit ? F : T;
      if (work <= 0) break;
    }
  }
  const comps2 = iteSiblings(op, complements(op, comps));
  // an operand they reduced to a literal is a fact for the others: once more (they only ever drop terms)
  if (resimp && comps2 !== comps && comps2.some((c) => c.k === 'lit' || c.k === 'const') && work > 0) return junction(op, [...kept, ...comps2], ctx, true);
  // compound operands on one value only, merged with each other and the literals on it into one literal:
  // once more with it as a fact for the others (operands only ever get fewer)
  if (resimp && !strict && work > 0) {
    const c = collapse(op, kept, comps2);
    if (c !== null) return c.k === 'const' ? c : junction(op, c.args, ctx, true);
  }
  return finish(op, [...kept, ...comps2], resimp ? ctx : null);
}

/**
 * The set the facts about one value confine it to (facts in `space` with exactly known sets: a literal
 * that holds, its set; one that failed, its complement); null when no fact says anything. `asRead`: only
 * what a target reading the facts' literals also knows, to decide a literal true (and so drop it): a
 * holding fact only where its atom raises nowhere and every target prints it (a target reads its own
 * operator where Python raises, and replaces a construct it lacks by `true`); a failed fact only where the
 * value cannot raise (its complement then holds the error too, which no literal holds on).
 */
function known(ctx: Ctx | null, subj: number, space: LitSem['space'], asRead: boolean): Known | null {
  if (!ctx) return null;
  const key = `${subj}|${space}|${asRead ? 1 : 0}`;
  // the contexts up to the nearest one that knows its answer, that answer extended down again
  const path: Ctx[] = [];
  let acc: Known | null = null;
  for (let c: Ctx | null = ctx; c; c = c.parent) {
    const hit = c.memo?.get(key);
    if (hit !== undefined) {
      acc = hit;
      break;
    }
    path.push(c);
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const c = path[i] as Ctx;
    acc = ownFacts(c, subj, space, asRead, acc);
    (c.memo ??= new Map()).set(key, acc);
  }
  return acc;
}

/** What the facts say of one value: its set, and how many facts say it. */
interface Known {
  set: ExactSet;
  facts: number;
}

/** `acc` narrowed by the facts one context holds about `subj` (see known). */
function ownFacts(c: Ctx, subj: number, space: LitSem['space'], asRead: boolean, acc0: Known | null): Known | null {
  let acc = acc0;
  const facts = c.bySubj.get(subj);
  if (facts) {
    for (const f of facts) {
      work--;
      const s = sem(f.lit);
      if (s.space !== space) continue;
      let set = exactSet(s);
      if (!set) continue;
      if (f.holds) {
        if (asRead && !(raisesNowhere(s) && expressible(f.lit))) continue;
      } else {
        if (asRead && s.err) continue;
        set = setNot(set);
        if (!set) continue;
      }
      acc = acc ? { set: setAnd(acc.set, set), facts: acc.facts + 1 } : { set, facts: 1 };
    }
  }
  return acc;
}

/**
 * The literal operands of a junction decided by all the facts about their value together (evalLit
 * decides one literal by one fact): inside an `and`, literals no value the facts allow satisfies together
 * make it false, and a literal every such value satisfies (as a target reads the facts) goes; inside an
 * `or`, literals one of which every allowed value satisfies make it true, and a literal none satisfies
 * goes. `x == "a" or x == "b"` (holding) decides `x != "a" and x not in# ("b")` false, which no single
 * fact does. null when the literals decide the junction.
 */
function byFacts(op: Op, lits: Lit[], ctx: Ctx | null): Lit[] | null {
  if (!ctx || strict || lits.length === 0) return lits;
  const unit = op === 'and';
  const groups = new Map<string, { lit: Lit; set: ExactSet }[]>();
  for (const l of lits) {
    const s = sem(l);
    const set = exactSet(s);
    if (!set) continue;
    const k = `${s.subj}|${s.space}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push({ lit: l, set });
  }
  const drop = new Set<Lit>();
  for (const g of groups.values()) {
    const s0 = sem((g[0] as { lit: Lit }).lit);
    const known0 = known(ctx, s0.subj, s0.space, false);
    // one literal and one fact: evalLit decided it already
    if (!known0 || (g.length === 1 && known0.facts === 1)) continue;
    const k = known0.set;
    const kRead = known(ctx, s0.subj, s0.space, true)?.set ?? null;
    let acc = (g[0] as { set: ExactSet }).set;
    for (const x of g.slice(1)) acc = unit ? setAnd(acc, x.set) : setOr(acc, x.set);
    // a contradiction with the facts narrows a target towards Python only; a tautology must hold as read
    if (unit && setEmpty(setAnd(acc, k))) return null;
    if (!unit && kRead && !s0.err && setSub(kRead, acc)) return null;
    for (const x of g) {
      if (unit ? kRead !== null && setSub(kRead, x.set) : setEmpty(setAnd(x.set, k))) drop.add(x.lit);
    }
  }
  return drop.size ? lits.filter((l) => !drop.has(l)) : lits;
}

/** A compound term whose literals all read one value (exactly known sets, printed by every target), as the set it holds on. */
interface OneSubject {
  subj: number;
  space: LitSem['space'];
  set: ExactSet;
  lits: Lit[];
}
let subjects = new WeakMap<Nnf, OneSubject | null>();

function oneSubject(n: Nnf): OneSubject | null {
  const hit = subjects.get(n);
  if (hit !== undefined) return hit;
  let out: OneSubject | null = null;
  work--;
  if (n.k === 'lit') {
    const s = sem(n);
    const set = expressible(n) && !s.bool ? exactSet(s) : null;
    out = set ? { subj: s.subj, space: s.space, set, lits: [n] } : null;
  } else if (n.k === 'and' || n.k === 'or') {
    const op = n.k;
    let acc: OneSubject | null = null;
    for (const a of n.args) {
      const x = oneSubject(a);
      if (!x || (acc && (x.subj !== acc.subj || x.space !== acc.space))) {
        acc = null;
        break;
      }
      acc = acc ? { subj: acc.subj, space: acc.space, set: op === 'and' ? setAnd(acc.set, x.set) : setOr(acc.set, x.set), lits: [...acc.lits, ...x.lits] } : x;
    }
    out = acc;
  }
  subjects.set(n, out);
  return out;
}

/**
 * Compound operands that read one value only (`(x == "a" or x in# K) and (x == "b" or x not in# K)`),
 * with the literal operands on that value, as one literal where one says their set exactly (`x in ("a",
 * "b")`), or as the constant they decide. The literal is the one atomFor writes, raising nowhere or where
 * every literal it replaces raises (so a target reads it as it read them, or as Python does). The operands
 * left as they are when no literal says the set. null when nothing changes.
 */
function collapse(op: Op, lits: Lit[], comps: Nnf[]): Extract<Nnf, { k: 'const' }> | { k: 'args'; args: Nnf[] } | null {
  if (comps.length === 0 || comps.length > ABSORB * 4) return null;
  const groups = new Map<string, { members: Nnf[]; info: OneSubject[] }>();
  let any = false;
  for (const c of comps) {
    const x = oneSubject(c);
    if (!x) continue;
    any = true;
    const k = `${x.subj}|${x.space}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { members: [], info: [] }));
    g.members.push(c);
    g.info.push(x);
  }
  if (!any) return null;
  for (const l of lits) {
    const x = oneSubject(l);
    const g = x && groups.get(`${x.subj}|${x.space}`);
    if (g && x) {
      g.members.push(l);
      g.info.push(x);
    }
  }
  const gone = new Set<Nnf>();
  const made: Nnf[] = [];
  for (const g of groups.values()) {
    let acc = (g.info[0] as OneSubject).set;
    for (const x of g.info.slice(1)) acc = op === 'and' ? setAnd(acc, x.set) : setOr(acc, x.set);
    const leaves = g.info.flatMap((x) => x.lits);
    const first = leaves[0] as Lit;
    if (op === 'and' && setEmpty(acc)) return { k: 'const', v: false };
    if (op === 'or' && setFull(acc) && !sem(first).err) return { k: 'const', v: true };
    const m = atomFor(acc, atomValue(first.atom), first.atom.span);
    if (!m) continue;
    const lit: Lit = { k: 'lit', atom: m.atom, neg: m.neg };
    const s = sem(lit);
    if (!raisesNowhere(s) && leaves.some((l) => raiseKey(sem(l)) !== raiseKey(s))) continue;
    for (const x of g.members) gone.add(x);
    made.push(lit);
  }
  if (gone.size === 0) return null;
  return { k: 'args', args: [...lits.filter((l) => !gone.has(l)), ...comps.filter((c) => !gone.has(c)), ...made] };
}

/** The negation in negation normal form. */
function negNnf(n: Nnf): Nnf {
  switch (n.k) {
    case 'const':
      return { k: 'const', v: !n.v };
    case 'lit':
      return { ...n, neg: !n.neg };
    case 'quant':
      return { ...n, q: n.q === 'any' ? 'all' : 'any', body: negNnf(n.body) };
    default:
      return { k: dual(n.k), args: n.args.map(negNnf) };
  }
}

/** Does one of the condition and its negation always hold (no literal in it can raise)? */
function total(n: Nnf): boolean {
  switch (n.k) {
    case 'const':
      return true;
    case 'lit':
      return litCovers(n, { ...n, neg: !n.neg });
    case 'quant':
      return false;
    default:
      return n.args.every(total);
  }
}

/**
 * An if/else in the form iteForm writes, `c and X or not c and Y` with `c` a literal that cannot raise:
 * the positive literal `c`, the branch where it holds (X) and the other (Y); null for anything else.
 */
function iteOf(n: Nnf): { c: Lit } | null {
  if (n.k !== 'or' || n.args.length !== 2) return null;
  const [a, b] = n.args as [Nnf, Nnf];
  if (a.k !== 'and' || b.k !== 'and') return null;
  for (const c of a.args) {
    if (c.k !== 'lit' || c.strGuard) continue;
    const notC = litKey({ ...c, neg: !c.neg });
    const m = b.args.find((x): x is Lit => x.k === 'lit' && litKey(x) === notC);
    if (m && litCovers(c, m)) {
      const pos = c.neg ? m : c;
      return { c: pos };
    }
  }
  return null;
}

/**
 * Inside an `and`, an if/else sibling S (`c and X or not c and Y`, iteOf) holds: a conjunction T that
 * tests `c` (either way) among the operands of another sibling (an `or`) goes when `T and S` simplifies to
 * false (T's literals as facts in S's branches). `S and (T or R)` is `S and ((T and S) or R)`: an
 * equivalence. T is only ever dropped (never rewritten), so the result does not depend on the order the
 * operands came in.
 */
function iteSiblings(op: Op, comps: Nnf[]): Nnf[] {
  if (op !== 'and' || strict || comps.length < 2 || comps.length > ABSORB) return comps;
  const ites = comps.flatMap((c) => {
    const ite = iteOf(c);
    return ite ? [{ node: c, atom: predId(ite.c.atom) }] : [];
  });
  if (ites.length === 0) return comps;
  let changed = false;
  const out = comps.map((d) => {
    if (d.k !== 'or' || d.args.length > PAIRWISE) return d;
    const kept = d.args.filter((t) => {
      if (t.k !== 'and') return true;
      for (const s of ites) {
        if (s.node === d || work <= 0) continue;
        if (!t.args.some((x) => x.k === 'lit' && predId(x.atom) === s.atom)) continue;
        work -= 8;
        const both = junction('and', [t, s.node], null, true);
        if (both.k === 'const' && !both.v) return false;
      }
      return true;
    });
    if (kept.length === d.args.length) return d;
    changed = true;
    return junction('or', kept, null, false);
  });
  return changed ? out : comps;
}

/**
 * Compound siblings that are each other's negation: inside an `or`, a sibling X failed, so where X
 * cannot raise its negation holds (`X or (not X and Y)` is `X or Y`); inside an `and`, X holds and its
 * negation fails. One level deep (the negation as a direct operand of a sibling, or the sibling itself).
 */
function complements(op: Op, comps: Nnf[]): Nnf[] {
  if (comps.length < 2 || comps.length > ABSORB || strict) return comps;
  const d = dual(op);
  const negs = new Map<number, number>();
  comps.forEach((c, i) => {
    work -= 4;
    if (c.k === 'and' || c.k === 'or') {
      if (op === 'or' && !total(c)) return;
      negs.set(nodeId(negNnf(c)), i);
    }
  });
  if (negs.size === 0) return comps;
  const decided: Nnf = op === 'or' ? T : F;
  let changed = false;
  const out = comps.map((c, j) => {
    const self = negs.get(nodeId(c));
    if (self !== undefined && self !== j) {
      changed = true;
      // X or not X (X total); X and not X
      return decided;
    }
    if (c.k !== d) return c;
    const args = c.args.map((a) => {
      const i = negs.get(nodeId(a));
      return i !== undefined && i !== j ? decided : a;
    });
    if (args.every((a, k) => a === c.args[k])) return c;
    changed = true;
    return junction(d, args, null, false);
  });
  return changed ? out : comps;
}

/**
 * Sort the operands into literals (decided by `ctx` when `fresh`) and compound terms, flattening nested
 * junctions of the same kind; null when one of them decides the junction.
 */
function collect(op: Op, args: readonly Nnf[], ctx: Ctx | null, fresh: boolean): { lits: Lit[]; comps: Nnf[] } | null {
  const unit = op === 'and';
  const lits: Lit[] = [];
  const comps: Nnf[] = [];
  const add = (a: Nnf): boolean => {
    if (a.k === 'const') return a.v === unit;
    if (a.k === op) return a.args.every(add);
    if (a.k === 'lit') {
      const e = fresh ? evalLit(a, ctx) : a;
      if (e.k === 'const') return e.v === unit;
      lits.push(e as Lit);
      return true;
    }
    comps.push(a);
    return true;
  };
  return args.every(add) ? { lits, comps } : null;
}

/**
 * An if/else on a length test the lift wrote as clauses, `(c or Y) and (not c or X)`, written as it
 * reads: `c and X or not c and Y`. Equal wherever `c` cannot raise (one of `c`, `not c` holds, never
 * both: then the first clause is Y and the second X when c fails, and the other way round when it holds).
 * Data models choose a list's piece by its length (`parts[4] if len(parts) >= 5 else parts[2]`), and the
 * lift writes a test of that piece either way depending on the order of the rule's tests: one form makes
 * them print alike. Every clause of the conjunction on the same `c`, and every if/else on it already in
 * that form (iteOf), goes into the one if/else: `c and X1 and X2 or not c and Y1 and Y2`. Only where the
 * branches are tests (a literal or one junction of literals), and only on length tests: on other tests
 * (a value-or chain's truthiness, whose branches nest further chains) the clauses read shorter as the lift
 * wrote them (measured on the corpus). Also narrower where a target replaces `c` by `true` (X or Y,
 * against true). Not in strict mode (three-valued: the clauses may raise in another order).
 */
function iteForm(args: Nnf[]): Nnf[] {
  if (strict) return args;
  const ors = args.filter((a): a is Extract<Nnf, { k: 'or' }> => a.k === 'or');
  if (ors.length < 2 || ors.length > ABSORB) return args;
  const sorted = sortByKey([...ors]);
  const tried = new Set<number>();
  for (const a of sorted) {
    const lits = sortByKey(a.args.filter((x): x is Lit => x.k === 'lit' && !x.strGuard));
    for (const l of lits) {
      const c: Lit = l.neg ? { ...l, neg: false } : l;
      const m: Lit = { ...c, neg: true };
      const kc = litKey(c);
      const km = litKey(m);
      if (tried.has(kc) || !lengthLit(c)) continue;
      tried.add(kc);
      work -= ors.length;
      if (!litCovers(c, m)) continue;
      // the branches: X where c holds, Y where it fails
      const xs: Nnf[] = [];
      const ys: Nnf[] = [];
      const used = new Set<Nnf>();
      for (const o of ors) {
        const ite = iteOf(o);
        if (ite && litKey(ite.c) === kc) {
          const [ca, cb] = o.args as [Extract<Nnf, { k: 'and' }>, Extract<Nnf, { k: 'and' }>];
          const [hold, fail] = ca.args.some((x) => x.k === 'lit' && litKey(x) === kc) ? [ca, cb] : [cb, ca];
          xs.push(build('and', hold.args.filter((x) => !(x.k === 'lit' && litKey(x) === kc))));
          ys.push(build('and', fail.args.filter((x) => !(x.k === 'lit' && litKey(x) === km))));
          used.add(o);
          continue;
        }
        const hasC = o.args.some((x) => x.k === 'lit' && litKey(x) === kc);
        const hasM = o.args.some((x) => x.k === 'lit' && litKey(x) === km);
        if (hasC === hasM) continue;
        // c or Y: Y where c fails; not c or X: X where c holds
        (hasC ? ys : xs).push(build('or', o.args.filter((x) => !(x.k === 'lit' && litKey(x) === (hasC ? kc : km)))));
        used.add(o);
      }
      // only an if/else choosing between tests (its branches literals, or one junction of them): a branch
      // holding further if/else (a nested value-or chain) reads shorter as the lift wrote it
      if (used.size < 2 || xs.length === 0 || ys.length === 0 || ![...xs, ...ys].every(flat)) continue;
      const ite = junction('or', [junction('and', [c, ...xs], null, false), junction('and', [m, ...ys], null, false)], null, false);
      return [...args.filter((z) => !used.has(z)), ite];
    }
  }
  return args;
}

/** A literal, or one `and`/`or` of literals. */
const flat = (n: Nnf): boolean => n.k === 'lit' || n.k === 'const' || ((n.k === 'and' || n.k === 'or') && n.args.every((a) => a.k === 'lit'));

/** Operands already simplified: deduplicated, absorbed, factored, in canonical order. */
function finish(op: Op, args0: Nnf[], ctx: Ctx | null = null): Nnf {
  const d = dual(op);
  let args = absorb(op, dedup(op === 'and' ? iteForm(args0) : args0));
  for (let guard = 0; guard < 10_000 && work > 0; guard++) {
    const f = factorOnce(op, args);
    if (!f) break;
    // the factored term may merge with, absorb or be absorbed by what is left
    const c = collect(op, f, null, false);
    if (c === null) return op === 'and' ? F : T;
    const kept = localLits(op, c.lits);
    if (kept === null) return op === 'and' ? F : T;
    // the factored term meets the literal siblings as facts, as every compound operand did (junction)
    const facts = strict ? null : extend(ctx, kept, op === 'and');
    const again = facts ? collect(op, c.comps.map((x) => simp(x, facts)), null, false) : c;
    if (again === null) return op === 'and' ? F : T;
    const kept2 = again === c ? kept : localLits(op, [...kept, ...again.lits]);
    if (kept2 === null) return op === 'and' ? F : T;
    // and its complements among the compound siblings, as junction looks for them
    args = absorb(op, dedup([...kept2, ...iteSiblings(op, complements(op, again.comps))]));
    if (!args.some((a) => a.k === d)) break;
  }
  return build(op, args);
}

/** The junction's operands in canonical order (a single operand is itself; none, the unit). */
function build(op: Op, args: Nnf[]): Nnf {
  const flat: Nnf[] = [];
  for (const a of args) {
    if (a.k === 'const') {
      if (a.v === (op === 'and')) continue;
      return a;
    }
    if (a.k === op) flat.push(...a.args);
    else flat.push(a);
  }
  const list = sortByKey(dedup(flat));
  if (list.length === 0) return op === 'and' ? T : F;
  if (list.length === 1) return list[0] as Nnf;
  const out: Nnf = { k: op, args: list };
  done.add(out);
  return out;
}

function dedup(args: Nnf[]): Nnf[] {
  const seen = new Set<number>();
  return args.filter((a) => {
    const id = nodeId(a);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * The literal operands of one junction, deduplicated, merged per field and pruned; null when they
 * decide it (a contradiction in an `and`, a tautology in an `or`).
 */
function localLits(op: Op, lits0: Lit[]): Lit[] | null {
  const unit = op === 'and';
  const lits = dedup(lits0) as Lit[];
  if (lits.length < 2 || strict) return lits;
  const groups = new Map<number, Lit[]>();
  for (const l of lits) {
    const s = sem(l).subj;
    let g = groups.get(s);
    if (!g) groups.set(s, (g = []));
    g.push(l);
  }
  const out: Lit[] = [];
  for (const g0 of groups.values()) {
    let g = g0.length > 1 ? merge(op, g0) : g0;
    if (g === null) return null;
    if (g.length > 1 && g.length <= PAIRWISE) {
      g = sortByKey([...g]);
      for (let i = 0; i < g.length; i++)
        for (let j = i + 1; j < g.length; j++) {
          const a = g[i] as Lit;
          const b = g[j] as Lit;
          if (unit ? litDisjoint(a, b) : litCovers(a, b)) return null;
        }
      const drop = new Set<number>();
      for (let i = 0; i < g.length; i++) {
        const a = g[i] as Lit;
        for (let j = 0; j < g.length; j++) {
          if (i === j || drop.has(j)) continue;
          const b = g[j] as Lit;
          // and: a is implied by a sibling; or: a implies a sibling
          if (unit ? litImpliesAsRead(b, a) : litImplies(a, b)) {
            drop.add(i);
            break;
          }
        }
      }
      g = g.filter((_, i) => !drop.has(i));
    }
    out.push(...g);
  }
  return out;
}

/**
 * Literals on one field whose sets are exactly known, merged into one literal with their union (`or`) or
 * intersection (`and`) when one atom says it; null when they decide the junction.
 */
function merge(op: Op, g: Lit[]): Lit[] | null {
  const bySpace = new Map<string, { lit: Lit; set: ExactSet; bool: boolean }[]>();
  const rest: Lit[] = [];
  for (const l of g) {
    const s = sem(l);
    // merged: literals every target prints (the merged one replaces them all)
    const set = expressible(l) ? exactSet(s) : null;
    if (!set) {
      rest.push(l);
      continue;
    }
    // merged only with literals raising on the same values: targets read the merged one as they read each
    const k = `${s.space}|${raiseKey(s)}`;
    let list = bySpace.get(k);
    if (!list) bySpace.set(k, (list = []));
    list.push({ lit: l, set, bool: s.bool });
  }
  for (const list0 of bySpace.values()) {
    if (list0.length < 2) {
      rest.push(...list0.map((x) => x.lit));
      continue;
    }
    work -= list0.length;
    const list = [...list0].sort((a, b) => byKey(a.lit, b.lit));
    let acc = (list[0] as { set: ExactSet }).set;
    for (const x of list.slice(1)) acc = op === 'or' ? setOr(acc, x.set) : setAnd(acc, x.set);
    const err = sem((list[0] as { lit: Lit }).lit).err;
    if (op === 'and' && setEmpty(acc)) return null;
    if (op === 'or' && setFull(acc) && !err) return null;
    const same = list.find((x) => setEq(x.set, acc));
    let repl: Lit | null = same ? same.lit : null;
    if (!repl && !list.some((x) => x.bool)) {
      const first = (list[0] as { lit: Lit }).lit;
      const made = atomFor(acc, atomValue(first.atom), first.atom.span);
      if (made) repl = { k: 'lit', atom: made.atom, neg: made.neg };
    }
    if (repl) rest.push(repl);
    else rest.push(...list.map((x) => x.lit));
  }
  return rest;
}

/**
 * nodeImplies' answers in one simplifyNnf call (its `readsStr`), by the two nodes' ids, `asRead`, `strict` and
 * the depth, with the work each took. absorb asks the same pairs again and again (the junction of every
 * rewrite, every pass): on the corpus ~120k questions, ~24k distinct, each ~34 calls deep. An answer is taken
 * again only while more work is left than it took (and that work is spent again), so that every call answers
 * as the computation would have, the budget running out at the same point: the output is the same.
 */
let implied = new Map<number, Map<number, number>>();
/** Ids of `y` below this many fit the memo's small-integer key (far above any corpus rule's); past it, no memo. */
const MEMO_IDS = 1 << 24;

/** Does `x` imply `y`? (Structural and literal reasoning; sound, not complete.) `asRead`: to drop `y` beside `x`. */
function nodeImplies(x: Nnf, y: Nnf, asRead: boolean, depth = 0): boolean {
  if (work <= 0 || depth > 6) return false;
  const ix = nodeId(x);
  const iy = nodeId(y);
  if (iy >= MEMO_IDS) return impliesNow(x, y, asRead, depth);
  // by x's id, then a small integer (no heap number made per question)
  let byX = implied.get(ix);
  if (!byX) implied.set(ix, (byX = new Map()));
  const key = iy * 32 + depth * 4 + (asRead ? 2 : 0) + (strict ? 1 : 0);
  // an answer as one small integer (no object per answer): the work it took times two, plus whether it holds
  const hit = byX.get(key);
  if (hit !== undefined && work > hit >>> 1) {
    work -= hit >>> 1;
    return (hit & 1) === 1;
  }
  const before = work;
  const holds = impliesNow(x, y, asRead, depth);
  // an answer the budget cut short is not kept
  if (work > 0) byX.set(key, (before - work) * 2 + (holds ? 1 : 0));
  return holds;
}

function impliesNow(x: Nnf, y: Nnf, asRead: boolean, depth: number): boolean {
  work--;
  if (nodeId(x) === nodeId(y)) return true;
  if (x.k === 'const') return !x.v;
  if (y.k === 'const') return y.v;
  if (x.k === 'lit' && y.k === 'lit') return !strict && (asRead ? litImpliesAsRead(x, y) : litImplies(x, y));
  const d = depth + 1;
  // loops, not every/some with a closure: this runs for every pair of operands absorb compares (a closure
  // per call was ~12% of a corpus run's allocation); the same calls in the same order, so the same budget spent
  if (x.k === 'or') {
    for (const a of x.args) if (!nodeImplies(a, y, asRead, d)) return false;
    return true;
  }
  if (y.k === 'and') {
    for (const b of y.args) if (!nodeImplies(x, b, asRead, d)) return false;
    return true;
  }
  if (x.k === 'and') for (const a of x.args) if (nodeImplies(a, y, asRead, d)) return true;
  if (y.k === 'or') {
    for (const b of y.args) if (nodeImplies(x, b, asRead, d)) return true;
    return false;
  }
  return false;
}

/** Drop an operand implied by a sibling (`and`) or implying a sibling (`or`), when a compound one is involved. */
function absorb(op: Op, args: Nnf[]): Nnf[] {
  const comps = args.filter((a) => a.k !== 'lit').length;
  if (comps === 0 || comps > ABSORB || args.length > PAIRWISE) return args;
  const list = sortByKey([...args]);
  const drop = new Set<number>();
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as Nnf;
    for (let j = 0; j < list.length; j++) {
      if (i === j || drop.has(j)) continue;
      const b = list[j] as Nnf;
      if (a.k === 'lit' && b.k === 'lit') continue;
      if (op === 'and' ? nodeImplies(b, a, true) : nodeImplies(a, b, false)) {
        drop.add(i);
        break;
      }
    }
  }
  return list.filter((_, i) => !drop.has(i));
}

/**
 * Pull out the operand shared by most of the dual sub-junctions, once: `(a and b) or (a and c)` is
 * `a and (b or c)`, `(a or b) and (a or c)` is `a or (b and c)`. null when no operand is shared.
 */
function factorOnce(op: Op, args: Nnf[]): Nnf[] | null {
  const d = dual(op);
  const duals = args.filter((a): a is Extract<Nnf, { k: Op }> => a.k === d);
  if (duals.length < 2) return null;
  const count = new Map<number, { n: number; node: Nnf }>();
  for (const j of duals) {
    work -= j.args.length;
    const seen = new Set<number>();
    for (const x of j.args) {
      const id = nodeId(x);
      if (seen.has(id)) continue;
      seen.add(id);
      const c = count.get(id);
      if (c) c.n++;
      else count.set(id, { n: 1, node: x });
    }
  }
  let best: { n: number; node: Nnf; id: number } | null = null;
  for (const [id, c] of count) {
    if (c.n < 2) continue;
    if (!best || c.n > best.n || (c.n === best.n && byKey(c.node, best.node) < 0)) best = { ...c, id };
  }
  if (!best) return null;
  const bestId = best.id;
  const withF = duals.filter((j) => j.args.some((x) => nodeId(x) === bestId));
  const rests = withF.map((j) => build(d, j.args.filter((x) => nodeId(x) !== bestId)));
  const inner = junction(op, rests, null, false);
  const factored = junction(d, [best.node, inner], null, false);
  const set = new Set<Nnf>(withF);
  return [...args.filter((a) => !set.has(a)), factored];
}
