/**
 * A canonical identity of a normalised condition, for telling a rewrite from a change in detection
 * logic. `predId` (src/ast/normalize.ts) is structural: it keeps the order of and/or operands and the
 * source position of unlifted pieces. Here two conditions are the same detection logic when they are
 * equal up to:
 *  - the order (and repetition) of and/or operands: the evaluator gives and/or order-independent
 *    semantics (src/ast/evaluate.ts), so a reordered if chain whose branches commute is the same rule;
 *  - the order and repetition of the values of an `in` list and of CIDR ranges (set membership);
 *  - where an unlifted (opaque) piece sits in the source: it is compared by its code, reason and
 *    assumed value, not its file:line, so reformatting around it is not a change.
 * Helpers are inlined by the lifter, so a renamed helper leaves no trace in the AST.
 */
import type { Json, Pred, Val } from '../ast/types.js';
import { predId } from '../ast/normalize.js';
import { spanlessKey } from '../ast/view.js';

const cache = new WeakMap<object, string>();

function valKey(v: Val): string {
  return JSON.stringify(v);
}

function setKey(xs: Json[]): string {
  return JSON.stringify([...new Set(xs.map((x) => JSON.stringify(x)))].sort());
}

/** The canonical key of a predicate (equal keys: the same detection logic). */
export function canonKey(p: Pred): string {
  const hit = cache.get(p);
  if (hit !== undefined) return hit;
  let key: string;
  switch (p.k) {
    case 'and':
    case 'or':
      key = `${p.k}(${[...new Set(p.args.map(canonKey))].sort().join(',')})`;
      break;
    case 'not':
      key = `not(${canonKey(p.arg)})`;
      break;
    case 'quant':
      key = `${p.q}[${valKey(p.list)}](${canonKey(p.pred)})`;
      break;
    case 'in':
      key = `in(${valKey(p.value)},${setKey(p.list)},${p.ci ? `ci${p.fold ?? ''}` : ''}${p.hashed ? 'h' : ''})`;
      break;
    case 'cidr':
      key = `cidr(${valKey(p.value)},${setKey(p.ranges)})`;
      break;
    case 'opaque':
      key = `opaque(${p.code},${JSON.stringify(p.reason.replace(/\b[\w./-]+\.py:\d+\b/g, '<py>'))},${p.assume})`;
      break;
    default:
      // an atom's span says where its Python is, not what it tests
      key = spanlessKey(p);
  }
  cache.set(p, key);
  return key;
}

export type Sameness = 'identical' | 'equivalent' | 'different';

/**
 * identical: the same normalised tree (predId); equivalent: equal up to the rewrites above, or the same
 * function of the same atoms (truth tables compared, below); else different.
 */
export function compareConditions(a: Pred, b: Pred): Sameness {
  if (predId(a) === predId(b)) return 'identical';
  if (canonKey(a) === canonKey(b)) return 'equivalent';
  return sameTruthTable(a, b) ? 'equivalent' : 'different';
}

/** A value whose evaluation never raises: a literal, or `event.get(k)` / Panther's deep_get chains. */
function safeVal(v: Val): boolean {
  if (v.k === 'lit' || v.k === 'event') return true;
  if (v.k === 'get' && !v.strict && (!v.default || v.default.k === 'lit')) return v.obj.k === 'event' || (!!v.deep && safeVal(v.obj));
  return false;
}

/** Atoms whose evaluation never raises (Python `==`, `in` a list, `is None`, truthiness on safe values). */
function cannotRaise(p: Pred): boolean {
  switch (p.k) {
    case 'cmp':
      return (p.op === 'eq' || p.op === 'ne') && !p.ci && safeVal(p.left) && safeVal(p.right);
    case 'in':
      return !p.hashed && !p.ci && safeVal(p.value);
    case 'exists':
    case 'truthy':
    case 'istype':
      return safeVal(p.value);
    default:
      return false;
  }
}

/** Atoms beyond this many, or assignments beyond MAX_ROWS, are not enumerated. */
const MAX_ATOMS = 18;
const MAX_ROWS = 300_000;

type K3 = 0 | 1 | 2; // false, true, raises

/**
 * Are two conditions the same function of their atoms? Each atom (a leaf, or a quantifier, by its
 * canonical key; `x != v` read as `not (x == v)`) is a variable that is true, false or raises, and
 * and/or/not follow the evaluator: an operand that raises decides only when no other operand does,
 * and a rule that raises does not alert. Equal on every assignment means equal on every event, since
 * an event gives each atom one of these values. (Atoms are taken as independent, so `x == "a"` and
 * `x == "b"` both true is enumerated too: a difference found only there is not claimed as a change,
 * the caller's witness search decides.)
 */
export function sameTruthTable(a: Pred, b: Pred): boolean {
  const atoms = new Map<string, number>();
  const safe = new Set<string>();
  const atomOf = (p: Pred): { key: string; neg: boolean } => {
    if (p.k === 'cmp' && p.op === 'ne') return { key: canonKey({ ...p, op: 'eq' }), neg: true };
    return { key: canonKey(p), neg: false };
  };
  const collect = (p: Pred): boolean => {
    switch (p.k) {
      case 'and':
      case 'or':
        return p.args.every(collect);
      case 'not':
        return collect(p.arg);
      case 'const':
        return true;
      default: {
        const { key } = atomOf(p);
        if (!atoms.has(key)) {
          atoms.set(key, atoms.size);
          if (cannotRaise(p)) safe.add(key);
        }
        return atoms.size <= MAX_ATOMS;
      }
    }
  };
  if (!collect(a) || !collect(b)) return false;
  const n = atoms.size;
  const vals: K3[] = new Array(n).fill(0);
  const ev = (p: Pred): K3 => {
    switch (p.k) {
      case 'const':
        return p.v ? 1 : 0;
      case 'not': {
        const x = ev(p.arg);
        return x === 2 ? 2 : x === 1 ? 0 : 1;
      }
      case 'and':
      case 'or': {
        const decisive = p.k === 'or' ? 1 : 0;
        let err = false;
        for (const q of p.args) {
          const x = ev(q);
          if (x === decisive) return decisive;
          if (x === 2) err = true;
        }
        return err ? 2 : ((1 - decisive) as K3);
      }
      default: {
        const { key, neg } = atomOf(p);
        const x = vals[atoms.get(key) as number] as K3;
        return neg && x !== 2 ? ((1 - x) as K3) : x;
      }
    }
  };
  // an atom that cannot raise takes two values, any other three
  const base = [...atoms.keys()].map((k) => (safe.has(k) ? 2 : 3));
  const total = base.reduce((x, y) => x * y, 1);
  if (total > MAX_ROWS) return false;
  for (let i = 0; i < total; i++) {
    let r = i;
    for (let j = 0; j < n; j++) {
      const b = base[j] as number;
      vals[j] = (r % b) as K3;
      r = Math.floor(r / b);
    }
    if ((ev(a) === 1) !== (ev(b) === 1)) return false;
  }
  return true;
}

/** Call `f` on every atom of a condition and on every quantifier (then on the atoms inside it). */
function eachAtom(p: Pred, f: (atom: Pred) => void): void {
  switch (p.k) {
    case 'and':
    case 'or':
      for (const a of p.args) eachAtom(a, f);
      break;
    case 'not':
      eachAtom(p.arg, f);
      break;
    case 'quant':
      f(p);
      eachAtom(p.pred, f);
      break;
    default:
      f(p);
  }
}

/** The atoms (leaf predicates) of a condition, by canonical key. */
export function atomKeys(p: Pred, out = new Set<string>()): Set<string> {
  eachAtom(p, (a) => out.add(canonKey(a)));
  return out;
}

/** Every literal a condition compares against (to prefer, when building witnesses, the values only one version names). */
export function literals(p: Pred, out = new Set<string>()): Set<string> {
  const addVal = (v: Val): void => {
    if (v.k === 'lit') out.add(JSON.stringify(v.v));
    else if (v.k === 'fn') v.args.forEach(addVal);
    else if (v.k === 'get') {
      addVal(v.obj);
      if (v.default) addVal(v.default);
    } else if (v.k === 'index') addVal(v.obj);
  };
  eachAtom(p, (a) => {
    switch (a.k) {
      case 'cmp':
        addVal(a.left);
        addVal(a.right);
        break;
      case 'in':
        for (const x of a.list) out.add(JSON.stringify(x));
        break;
      case 'match':
        out.add(JSON.stringify(a.pattern));
        break;
      case 'has':
        out.add(JSON.stringify(a.needle));
        break;
      case 'cidr':
        for (const r of a.ranges) out.add(JSON.stringify(r));
        break;
      default:
        break;
    }
  });
  return out;
}
