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
 */
import type { PathSeg } from '../../ast/view.js';
import { fieldRef } from '../../ast/view.js';
import { litMissing, type Tri } from './missing.js';
import { atomValue, simplify, type Nnf } from './nnf.js';

type Lit = Extract<Nnf, { k: 'lit' }>;

/** The event path a plain truthiness literal of this polarity tests, or null. */
function truthPath(n: Nnf, neg: boolean): PathSeg[] | null {
  if (n.k !== 'lit' || n.neg !== neg || n.atom.k !== 'truthy' || n.strGuard) return null;
  // `event["x"]` raises where x is missing: left as it is
  if (n.atom.value.k === 'get' && n.atom.value.strict) return null;
  const ref = fieldRef(n.atom.value);
  return ref && ref.root === 'event' && ref.path.length > 0 ? ref.path : null;
}

const below = (path: readonly PathSeg[], base: readonly PathSeg[]): boolean => path.length > base.length && base.every((s, i) => path[i] === s);

/** Python's value of `n` where every field below `base` is missing (the value at `base` falsy), when known. */
export function onFalsy(n: Nnf, base: readonly PathSeg[]): Tri {
  switch (n.k) {
    case 'const':
      return n.v;
    case 'lit': {
      const v = atomValue(n.atom);
      const ref = fieldRef(v);
      if (!ref || ref.root !== 'event' || !below(ref.path, base)) return 'unknown';
      return litMissing(n as Lit, { ref, strict: v.k === 'get' && !!v.strict });
    }
    case 'and':
    case 'or': {
      const vs = n.args.map((a) => onFalsy(a, base));
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
export function dropImpliedTruthy(n: Nnf): Nnf {
  switch (n.k) {
    case 'and':
    case 'or': {
      const args = n.args.map(dropImpliedTruthy);
      const neg = n.k === 'or';
      // a sibling's value on a falsy x that makes the truthiness test say nothing more
      const decides = neg;
      const out = args.filter((a, i) => {
        const p = truthPath(a, neg);
        // a test deeper below x may justify it (`x and x.k and x.k.m == 1`): paths only grow, so no two justify each other
        return !p || !args.some((s, j) => j !== i && onFalsy(s, p) === decides);
      });
      return out.length === args.length ? { k: n.k, args } : simplify({ k: n.k, args: out });
    }
    case 'quant':
      return { ...n, body: dropImpliedTruthy(n.body) };
    default:
      return n;
  }
}
