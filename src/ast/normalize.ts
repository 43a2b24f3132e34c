/**
 * Normalisation passes over predicates: flatten and/or, fold constants, remove double negation,
 * turn `lower(x) == "abc"` into a case-insensitive comparison, and give every opaque piece the
 * value that keeps the condition a superset of the rule (true where it counts positively,
 * false under an odd number of negations).
 */
import type { Fold, Json, Pred, Val } from './types.js';
import { JunctionIds } from './junctionids.js';

export function and(...args: Pred[]): Pred {
  return simplify({ k: 'and', args });
}
export function or(...args: Pred[]): Pred {
  return simplify({ k: 'or', args });
}
export function not(arg: Pred): Pred {
  return simplify({ k: 'not', arg });
}
export const TRUE: Pred = { k: 'const', v: true };
export const FALSE: Pred = { k: 'const', v: false };

/** The and/or nodes simplify built: already flat, folded and deduplicated (simplify leaves them as they are). */
const SIMPLE = new WeakSet<Pred>();

function simple(p: Pred): Pred {
  SIMPLE.add(p);
  return p;
}

/**
 * Raised by simplify when the work budget set by withBudget runs out: the caller reports the expression as
 * too large (`unsupported-size`) instead of running on.
 */
export class BudgetExceeded extends Error {
  constructor(public readonly what: 'work' | 'time') {
    super(what === 'work' ? 'the logic needs more simplification work than the budget allows' : 'the logic takes longer to simplify than the budget allows');
  }
}

let work = 0;
let workLimit = Infinity;
let deadline = Infinity;
let nextClock = 0;

/** The operands simplify has scanned since the process started (for measuring). */
export function workDone(): number {
  return work;
}

/**
 * Run `f` with a budget: at most `maxWork` operands scanned by simplify (deterministic) and at most `maxMs`
 * milliseconds (a safety net for work the count does not see). Over either, BudgetExceeded is thrown.
 */
export function withBudget<T>(maxWork: number, maxMs: number, f: () => T): T {
  const saved = [workLimit, deadline, nextClock] as const;
  workLimit = work + maxWork;
  deadline = Date.now() + maxMs;
  nextClock = work + CLOCK_EVERY;
  try {
    return f();
  } finally {
    [workLimit, deadline, nextClock] = saved;
  }
}

const CLOCK_EVERY = 1 << 14;

function spend(n: number): void {
  work += n;
  if (work > workLimit) throw new BudgetExceeded('work');
  if (work >= nextClock) {
    nextClock = work + CLOCK_EVERY;
    if (Date.now() > deadline) throw new BudgetExceeded('time');
  }
}

/** One level of flattening and constant folding (children are assumed simplified). */
export function simplify(p: Pred): Pred {
  if (p.k === 'and' || p.k === 'or') {
    spend(p.args.length);
    const unit = p.k === 'and';
    // a single operand besides units is its own simplification (`and(TRUE, x)` is x): no copy, no rescan
    let only: Pred | null = null;
    let count = 0;
    for (const a of p.args) {
      if (a.k === 'const') {
        if (a.v === unit) continue;
        return { k: 'const', v: !unit };
      }
      count++;
      only = a;
    }
    if (count === 0) return { k: 'const', v: unit };
    if (count === 1 && only && (only.k !== p.k || SIMPLE.has(only))) return only;
    const out: Pred[] = [];
    for (const a of p.args) {
      if (a.k === 'const') continue;
      if (a.k === p.k) for (const x of a.args) out.push(x);
      else out.push(a);
    }
    spend(out.length);
    let dedup = uniq(out);
    // complements: x and not x == False ; x or not x == True (also a == b against a != b)
    const keys = new Set(dedup.map(predId));
    // and not(a and b) beside a and b (flattened into the siblings): not(x) and x == False (dually for or)
    const complement = (a: Pred): boolean =>
      keys.has(negId(a)) || (a.k === 'not' && (keys.has(predId(a.arg)) || (a.arg.k === p.k && a.arg.args.length > 0 && a.arg.args.every((y) => keys.has(predId(y))))));
    if (dedup.some(complement)) return { k: 'const', v: !unit };
    // absorption of a complement: x or (not x and y) == x or y ; x and (not x or y) == x and y
    const inner = unit ? 'or' : 'and';
    if (dedup.length > 1 && dedup.some((a) => a.k === inner)) {
      const negKeys = new Set(dedup.map(negId));
      let changed = false;
      dedup = dedup.map((a) => {
        if (a.k !== inner) return a;
        // drop x's that are false given the siblings: not(s) for a sibling s, or (for an or-parent)
        // not(or(s1..sn)) whose every s is a sibling (dually for an and-parent); the siblings are
        // `keys` without a itself (ids are unique after uniq)
        const self = predId(a);
        const sib = (id: number): boolean => id !== self && keys.has(id);
        const implied = (x: Pred): boolean =>
          negKeys.has(predId(x)) || (x.k === 'not' && x.arg.k === p.k && x.arg.args.length > 0 && x.arg.args.every((y) => sib(predId(y))));
        spend(a.args.length);
        const kept = a.args.filter((x) => !implied(x));
        if (kept.length === a.args.length) return a;
        changed = true;
        return simplify({ k: inner, args: kept });
      });
      if (changed) return simplify({ k: p.k, args: dedup });
    }
    if (dedup.length === 0) return { k: 'const', v: unit };
    if (dedup.length === 1) return dedup[0] as Pred;
    return simple({ k: p.k, args: dedup });
  }
  if (p.k === 'not') {
    if (p.arg.k === 'const') return { k: 'const', v: !p.arg.v };
    if (p.arg.k === 'not') return p.arg.arg;
    if (p.arg.k === 'cmp' && (p.arg.op === 'eq' || p.arg.op === 'ne')) {
      return { ...p.arg, op: p.arg.op === 'eq' ? 'ne' : 'eq' };
    }
  }
  return p;
}

let internIds = new Map<string, number>();
let idCache = new WeakMap<object, number>();

/**
 * Structural ids (predId, valId, negId and the ids other modules derive from them: simplify.ts nodeId,
 * literal.ts's literal semantics, lift.ts's facts) are numbers from tables that grew for a whole batch: a
 * corpus run kept every key of every rule it had read (~10 MB per thread, marked again by every full GC, and
 * multiplied by V8's heap growth into tens of MB of peak memory). A batch starts the numbering afresh for each
 * rule (`newIdSpace`, cli/work.ts): every table that holds an id is emptied at once, so no id of an earlier rule
 * survives anywhere (a node kept across rules, such as a global helper's, is simply numbered again). Ids only
 * ever say "structurally equal"; nothing is ordered by them, so the output does not depend on the numbering.
 */
const idResets: (() => void)[] = [];

/** `reset` empties a table of a module that keeps structural ids (called by `newIdSpace`). */
export function onNewIdSpace(reset: () => void): void {
  idResets.push(reset);
}

/** Forget every structural id: only between two rules, when no id of the earlier one is used again. */
export function newIdSpace(): void {
  internIds = new Map();
  nextId = 0;
  junctionIds = new JunctionIds();
  idCache = new WeakMap();
  valCache = new WeakMap();
  negCache = new Map();
  for (const r of idResets) r();
}

/**
 * A structural identity for a predicate: equal numbers mean equal trees. Computed once per node
 * (children's ids are reused), so comparing large conditions costs no more than building them.
 */
export function predId(p: Pred): number {
  const hit = idCache.get(p);
  if (hit !== undefined) return hit;
  let key: string;
  switch (p.k) {
    case 'and':
    case 'or': {
      // by the operands' ids in a hash table, without a key text (junctions are made for every rewrite)
      const id = junctionId(p.k === 'and', p.args);
      idCache.set(p, id);
      return id;
    }
    case 'not':
      key = `!${predId(p.arg)}`;
      break;
    case 'quant':
      key = `${p.q}[#${valId(p.list)}](${predId(p.pred)})`;
      break;
    case 'in':
      key = `in#${valId(p.value)}#${listKey(p.list)}${p.ci ? `ci${p.fold ?? ''}` : ''}${p.hashed ? 'h' : ''}`;
      break;
    // leaves: their values by identity number, so a large value is keyed once
    case 'truthy':
    case 'exists':
      key = `${p.k}#${valId(p.value)}`;
      break;
    case 'cmp':
      key = `cmp${p.op}#${valId(p.left)}#${valId(p.right)}${p.ci ? `ci${p.fold ?? ''}` : ''}`;
      break;
    case 'istype':
      key = `ist${p.type}#${valId(p.value)}`;
      break;
    default:
      // an atom's span says where it came from, not what it means (an opaque node's span is its identity)
      key = JSON.stringify(p, (k, v) => (k === 'span' && p.k !== 'opaque' ? undefined : k !== '' && v && typeof v === 'object' && !Array.isArray(v) && VAL_KINDS.has(v.k) ? `#${valId(v as Val)}` : v));
  }
  const id = intern(key);
  idCache.set(p, id);
  return id;
}

/** The number of a structural key (equal keys, equal numbers). */
function intern(key: string): number {
  let id = internIds.get(key);
  if (id === undefined) {
    id = nextId++;
    internIds.set(key, id);
  }
  return id;
}

/** The next id (one counter for the key texts and the junctions: equal ids, equal structures). */
let nextId = 0;
let junctionIds = new JunctionIds();

/** The id of an and (`and`) or an or of these operands in this order (as the key text `and(i,j,...)` said). */
function junctionId(and: boolean, args: readonly Pred[]): number {
  const ops: number[] = [];
  for (let i = 0; i < args.length; i++) ops.push(predId(args[i] as Pred));
  return junctionIds.id(and, ops, () => nextId++);
}

const listKeys = new WeakMap<object, string>();

/** A constant list's key, computed once per list (IOC lists can hold thousands of values). */
function listKey(l: Json[]): string {
  let k = listKeys.get(l);
  if (k === undefined) listKeys.set(l, (k = JSON.stringify(l)));
  return k;
}

const VAL_KINDS = new Set(['event', 'elem', 'get', 'index', 'lit', 'fn']);
let valCache = new WeakMap<object, number>();

/** A structural identity for a value, like predId. */
export function valId(v: Val): number {
  const hit = valCache.get(v);
  if (hit !== undefined) return hit;
  let key: string;
  switch (v.k) {
    case 'get':
      key = `g(${valId(v.obj)},${JSON.stringify(v.key)},${v.default ? valId(v.default) : ''},${v.deep ? 'd' : ''}${v.safe ? 's' : ''}${v.strict ? 't' : ''})`;
      break;
    case 'index':
      key = `i(${valId(v.obj)},${v.index})`;
      break;
    case 'fn':
      key = `f(${v.fn},${v.args.map(valId).join(',')})`;
      break;
    default:
      key = JSON.stringify(v);
  }
  const id = intern(`v:${key}`);
  valCache.set(v, id);
  return id;
}

let negCache = new Map<number, number>();

/** predId of the negation of p (memoised: building negations allocates). */
export function negId(p: Pred): number {
  const id = predId(p);
  let n = negCache.get(id);
  if (n === undefined) negCache.set(id, (n = predId(negate(p))));
  return n;
}

/** The negation as simplify would build it (for matching complements). */
function negate(p: Pred): Pred {
  return simplify({ k: 'not', arg: p });
}

function uniq(ps: Pred[]): Pred[] {
  const seen = new Set<number>();
  const out: Pred[] = [];
  for (const p of ps) {
    const key = predId(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

const normalized = new WeakMap<Pred, Pred>();

/**
 * Deep normalisation: simplify bottom-up and fold case transforms into `ci` predicates. A lifted condition
 * is a DAG (the lifter reuses a condition in every branch it guards): each shared node is normalised once
 * and its result shared, so the cost is linear in the distinct nodes, not in the paths through them.
 */
export function normalize(p: Pred): Pred {
  const hit = normalized.get(p);
  if (hit) return hit;
  let out: Pred;
  switch (p.k) {
    case 'and':
    case 'or':
      out = simplify({ k: p.k, args: p.args.map(normalize) });
      break;
    case 'not':
      out = simplify({ k: 'not', arg: normalize(p.arg) });
      break;
    case 'quant':
      out = { ...p, pred: normalize(p.pred) };
      break;
    case 'cmp': {
      const c = canonLength(p);
      out = c === p ? foldCase(p) : c;
      break;
    }
    case 'in':
    case 'match':
    case 'has':
      out = foldCase(p);
      break;
    default:
      out = p;
  }
  normalized.set(p, out);
  return out;
}

/**
 * `len(x)` ordered against an integer constant, written in one form: `len(x) >= k` or its negation.
 * len() is an int, so `len(x) > k` is `len(x) >= k + 1`, `len(x) < k` is `not len(x) >= k` and
 * `len(x) <= k` is `not len(x) >= k + 1`; where len() raises (x has no length), every form raises alike
 * (and `not` of a raising test raises). One form for all lets the rule's own length tests and the
 * IndexError guards of its indexing (`parts[4]` raises where `len(parts) <= 4`) share atoms, and the
 * simplifier order them (targets/common/simplify.ts, lengthLit). Other comparisons are returned as they are.
 */
export function canonLength(p: Extract<Pred, { k: 'cmp' }>): Pred {
  if (p.ci || p.op === 'eq' || p.op === 'ne') return p;
  const isLen = (v: Val): boolean => v.k === 'fn' && v.fn === 'len' && v.args.length === 1;
  const isInt = (v: Val): v is { k: 'lit'; v: number } => v.k === 'lit' && typeof v.v === 'number' && Number.isSafeInteger(v.v);
  let op = p.op;
  let left = p.left;
  let right = p.right;
  if (isInt(left) && isLen(right)) {
    [left, right] = [right, left];
    op = ({ lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' } as const)[op];
  }
  if (!isLen(left) || !isInt(right)) return p;
  const k = right.v;
  const [bound, neg] = op === 'ge' ? [k, false] : op === 'gt' ? [k + 1, false] : op === 'lt' ? [k, true] : [k + 1, true];
  if (op === 'ge' && left === p.left) return p;
  const ge: Pred = { k: 'cmp', op: 'ge', left, right: { k: 'lit', v: bound }, ...(p.span ? { span: p.span } : {}) };
  return neg ? { k: 'not', arg: ge } : ge;
}

type CaseFn = 'lower' | 'upper' | 'casefold';

function caseOf(v: Val): { fn: CaseFn; inner: Val } | null {
  if (v.k === 'fn' && (v.fn === 'lower' || v.fn === 'upper' || v.fn === 'casefold') && v.args.length === 1) {
    return { fn: v.fn, inner: v.args[0] as Val };
  }
  return null;
}

function foldOf(fn: CaseFn): { fold?: Fold } {
  return fn === 'lower' ? {} : { fold: fn };
}

/** Is `s` what `fn` would leave unchanged (so a ci compare against lower(s) is the same predicate)? */
function stable(s: string, fn: CaseFn): boolean {
  // Only ASCII-safe folding: non-ASCII letters may fold to several characters.
  if (/[^\x00-\x7f]/.test(s)) return false;
  return fn === 'upper' ? s === s.toUpperCase() : s === s.toLowerCase();
}

function foldCase(p: Pred): Pred {
  if (p.k === 'cmp') {
    const l = caseOf(p.left);
    if (!l || (p.op !== 'eq' && p.op !== 'ne')) return p;
    const r = caseOf(p.right);
    if (r && r.fn === l.fn) return { ...p, left: l.inner, right: r.inner, ci: true, ...foldOf(l.fn) };
    if (p.right.k === 'lit' && typeof p.right.v === 'string') {
      const s = p.right.v;
      if (!stable(s, l.fn)) {
        if (/[^\x00-\x7f]/.test(s)) return p;
        // lower(x) == "Abc" never holds for a str x, and raises for anything else: keep the call
        return p;
      }
      return { ...p, left: l.inner, right: { k: 'lit', v: s.toLowerCase() }, ci: true, ...foldOf(l.fn) };
    }
    return p;
  }
  if (p.k === 'in') {
    const l = caseOf(p.value);
    if (!l) return p;
    if (!p.list.every((x) => typeof x !== 'string' || !/[^\x00-\x7f]/.test(x))) return p;
    const kept: Json[] = p.list.filter((x) => typeof x === 'string' && stable(x, l.fn)).map((x) => (x as string).toLowerCase());
    return { k: 'in', value: l.inner, list: kept, ci: true, ...foldOf(l.fn), ...(p.hashed ? { hashed: true } : {}), ...(p.span ? { span: p.span } : {}) };
  }
  if (p.k === 'match') {
    const l = caseOf(p.value);
    if (!l) return p;
    if (p.kind === 'regex' || p.kind === 'glob') {
      // re.search("abc", x.lower()) == re.search("abc", x, re.I) when the pattern has no letters of the other case
      if (!stable(p.pattern, l.fn) || p.pattern !== p.pattern.toLowerCase()) return p;
      return { ...p, value: l.inner, ci: true, ...foldOf(l.fn) };
    }
    if (!stable(p.pattern, l.fn)) return p;
    return { ...p, value: l.inner, pattern: p.pattern.toLowerCase(), ci: true, ...foldOf(l.fn) };
  }
  if (p.k === 'has') {
    const l = caseOf(p.value);
    if (!l || typeof p.needle !== 'string' || !stable(p.needle, l.fn)) return p;
    return { ...p, value: l.inner, needle: p.needle.toLowerCase(), ci: true };
  }
  return p;
}

/**
 * Give each opaque piece the value that makes the whole condition a superset of the rule:
 * true in positive position, false under negation. Returns a new tree.
 */
export function assumeOpaque(p: Pred, positive = true, memo: [Map<Pred, Pred>, Map<Pred, Pred>] = [new Map(), new Map()]): Pred {
  // shared subtrees are rewritten once per polarity (and stay shared)
  const seen = memo[positive ? 1 : 0];
  const hit = seen.get(p);
  if (hit) return hit;
  let out: Pred;
  switch (p.k) {
    case 'and':
    case 'or':
      out = { k: p.k, args: p.args.map((a) => assumeOpaque(a, positive, memo)) };
      break;
    case 'not':
      out = { k: 'not', arg: assumeOpaque(p.arg, !positive, memo) };
      break;
    case 'quant':
      out = { ...p, pred: assumeOpaque(p.pred, positive, memo) };
      break;
    case 'opaque':
      out = { ...p, assume: positive };
      break;
    default:
      out = p;
  }
  seen.set(p, out);
  return out;
}

/**
 * Rewrite the leaves of a predicate (`leaf`: comparisons, `in` tests, ...; the others pass through), each
 * shared node once, re-simplifying the connectives above a leaf that became a constant.
 */
export function mapLeaves(p: Pred, leaf: (q: Pred) => Pred): Pred {
  const memo = new Map<Pred, Pred>();
  const walk = (q: Pred): Pred => {
    const hit = memo.get(q);
    if (hit) return hit;
    const out = step(q);
    memo.set(q, out);
    return out;
  };
  const step = (q: Pred): Pred => {
    switch (q.k) {
      case 'and':
      case 'or':
        return simplify({ k: q.k, args: q.args.map(walk) });
      case 'not':
        return simplify({ k: 'not', arg: walk(q.arg) });
      case 'quant':
        return { ...q, pred: walk(q.pred) };
      default:
        return leaf(q);
    }
  };
  return walk(p);
}

/**
 * The condition as it reads on events of one log type: Panther's `p_log_type` field is that log type,
 * so tests on it become constants (a rule lifted once per log type keeps only that log type's branch).
 */
export function specializeLogType(p: Pred, logType: string): Pred {
  const isLogTypeField = (v: Val): boolean => v.k === 'get' && v.key === 'p_log_type' && v.obj.k === 'event';
  return mapLeaves(p, (q) => {
    switch (q.k) {
      case 'cmp':
        if ((q.op === 'eq' || q.op === 'ne') && isLogTypeField(q.left) && q.right.k === 'lit' && !q.ci) {
          return { k: 'const', v: (q.right.v === logType) === (q.op === 'eq') };
        }
        return q;
      case 'in':
        return isLogTypeField(q.value) && !q.ci ? { k: 'const', v: q.list.includes(logType) } : q;
      default:
        return q;
    }
  });
}
