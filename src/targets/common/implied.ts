/**
 * Truthiness tests that a sibling already implies.
 *
 * Rules test a mapping before reading into it: `event.get("protoPayload") and
 * event.deep_get("protoPayload", "methodName", default="") == "v1.compute.subnetworks.patch"`,
 * `(event.get("requestParameters") or {}).get("policyName") in POLICIES`. Where the value `x` at path
 * `P` is falsy (missing, None, "", 0, False, [] or {}), no key below it is found: Panther's `deep_get`
 * returns its default on anything but a mapping holding the key, and an empty mapping or list holds
 * none. So every field `P.k...` reads as missing there, and a literal on such a field has its value on a
 * missing field (`litMissing`: the default applies). Hence, in NNF:
 *
 *   - `truthy(x) and S` is `S` where S is false whenever every field below `P` is missing
 *     (falsy `x`: both false; truthy `x`: both S);
 *   - `not truthy(x) or S` is `S` where S is true whenever every field below `P` is missing.
 *
 * The target then never writes the truthiness of a mapping or a list, which some targets cannot (Sigma
 * has no test for an empty mapping). A literal whose value on a missing field is an error (`obj[key]`)
 * or undecided justifies nothing, nor does a computed value (`str(x.k)` of a missing field is "None").
 * Plain logic, exact on any target; checked against Python's evaluation in test/targets.implied.test.ts.
 *
 * With `strTests` (a target whose string operators are false on a value that is not a string, as
 * guards.ts relies on for Sigma's modifiers), a string test on `x` itself says the same where it is false
 * on "" and on a missing `x` (or raises there: the target's operator is false on an absent field):
 * `if not x: return False` before `x.startswith(p)` or a regex search on `x`
 * (its type unknown, the truthiness has no rendering). The falsy values of `x` are then a missing field,
 * "" (false by evaluation), and 0, False, [] or {}, where Python's `==`, `in` and substring tests are
 * false and its other string methods raise (the original short-circuits to false: the target's operator
 * is false there too).
 */
import type { PathSeg } from '../../ast/view.js';
import { fieldRef, type FieldRef } from '../../ast/view.js';
import type { Val } from '../../ast/types.js';
import { evalAtomOn, litMissing, type Tri } from './missing.js';
import { atomValue, simplify, type Nnf } from './nnf.js';

type Lit = Extract<Nnf, { k: 'lit' }>;

export interface ImpliedOptions {
  /**
   * The target's string tests (substring, affix, regex, equality with a string, membership in strings) are
   * false on a value that is not a string: always, or for the values this says (guards.ts `testsShowStr`);
   * elsewhere a number or boolean the tests show may be read as its text, so the test must also be false
   * on the texts of 0 and False.
   */
  strTests?: boolean | ((v: Val) => boolean);
  /**
   * Where a value reads besides the event's fields: a document root (named by `root`) and the reference below
   * it, read as `fieldRef` reads the event's (Logs Insights: the JSON a string field holds, `json.loads(x).get(..)`,
   * cwl/struct.ts). Null: not such a value.
   */
  docRef?: (v: Val) => { root: string; ref: FieldRef } | null;
}

/** The root (`event`, or a document `opts.docRef` names) and the reference a value reads, or null. */
function rootRef(v: Val, opts: ImpliedOptions): { root: string; ref: FieldRef } | null {
  const ref = fieldRef(v);
  if (ref?.root === 'event') return { root: 'event', ref };
  return opts.docRef?.(v) ?? null;
}

/** The texts of the falsy numbers and booleans (JSON's and Python's spellings): `0`, `0.0`, `false`, `False`. */
const FALSY_TEXTS = ['0', '0.0', '-0', 'false', 'False'];

/** A test the target writes as a string operator, false on a value that is not a string (`strTests`). */
function stringTest(l: Lit): boolean {
  const a = l.atom;
  if (a.k === 'match') return true;
  if (a.k === 'cmp') return a.op === 'eq' && a.right.k === 'lit' && typeof a.right.v === 'string';
  return a.k === 'in' && a.list.length > 0 && a.list.every((x) => typeof x === 'string');
}

/** The path (under its root) a plain truthiness literal of this polarity tests, or null. */
function truthPath(n: Nnf, neg: boolean, opts: ImpliedOptions): Base | null {
  if (n.k !== 'lit' || n.neg !== neg || n.atom.k !== 'truthy' || n.strGuard) return null;
  // `event["x"]` raises where x is missing: left as it is
  if (n.atom.value.k === 'get' && n.atom.value.strict) return null;
  const r = rootRef(n.atom.value, opts);
  return r && r.ref.path.length > 0 ? { root: r.root, path: r.ref.path } : null;
}

/** A path under a root (`event`, or a document `ImpliedOptions.docRef` names). */
export interface Base {
  root: string;
  path: readonly PathSeg[];
}

const below = (path: readonly PathSeg[], base: readonly PathSeg[]): boolean => path.length > base.length && base.every((s, i) => path[i] === s);

/** Python's value of `n` where every field below `base` is missing (the value at `base` falsy), when known. */
export function onFalsy(n: Nnf, at: Base, opts: ImpliedOptions = {}): Tri {
  const base = at.path;
  switch (n.k) {
    case 'const':
      return n.v;
    case 'lit': {
      const v = atomValue(n.atom);
      const r = rootRef(v, opts);
      if (!r || r.root !== at.root) return 'unknown';
      const ref = r.ref;
      const field = { ref, strict: v.k === 'get' && !!v.strict };
      if (below(ref.path, base)) return litMissing(n, field);
      const same = ref.path.length === base.length && base.every((s, i) => ref.path[i] === s);
      if (!same || !opts.strTests || !stringTest(n)) return 'unknown';
      // false on "" and on a missing x (its default read; where Python raises, as `None.startswith()`,
      // the target's operator reads an absent field: false), false on the other falsy values (strTests);
      // where x may hold a number or boolean, also on the texts a backend may read 0 and False as
      const texts = typeof opts.strTests === 'function' && !opts.strTests(v) ? ['', ...FALSY_TEXTS] : [''];
      const onMissing = litMissing({ ...n, neg: false }, field);
      return texts.every((t) => evalAtomOn(n.atom, t, true) === false) && (onMissing === false || onMissing === 'error') ? n.neg : 'unknown';
    }
    case 'and':
    case 'or': {
      const vs = n.args.map((a) => onFalsy(a, at, opts));
      const decisive = n.k === 'or';
      if (vs.includes(decisive)) return decisive;
      return vs.every((x) => x === !decisive) ? !decisive : 'unknown';
    }
    default:
      return 'unknown';
  }
}

/**
 * Drop every `truthy(x)` of an `and` that a sibling false on a falsy `x` implies, and every
 * `not truthy(x)` of an `or` that a sibling true on a falsy `x` makes redundant, at any depth.
 */
export function dropImpliedTruthy(n: Nnf, opts: ImpliedOptions = {}): Nnf {
  switch (n.k) {
    case 'and':
    case 'or': {
      const args = n.args.map((a) => dropImpliedTruthy(a, opts));
      const neg = n.k === 'or';
      // a sibling's value on a falsy x that makes the truthiness test say nothing more
      const decides = neg;
      const out = args.filter((a, i) => {
        const p = truthPath(a, neg, opts);
        // a test deeper below x may justify it (`x and x.k and x.k.m == 1`): paths only grow, so no two justify each other
        return !p || !args.some((s, j) => j !== i && onFalsy(s, p, opts) === decides);
      });
      return out.length === args.length ? { k: n.k, args } : simplify({ k: n.k, args: out });
    }
    case 'quant':
      return { ...n, body: dropImpliedTruthy(n.body, opts) };
    default:
      return n;
  }
}
