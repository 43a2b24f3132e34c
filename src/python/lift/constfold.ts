/**
 * Python's semantics on constants, as the lifter folds them: type tests, case folding, predicates over
 * literals and glob matching. Every constant fold of the lifter that is not plain JSON goes through here.
 */
import type { Json, Pred, PyType } from '../../ast/types.js';
import { evalPred } from '../../ast/evaluate.js';
import { pyCasefold, pyFnmatch, pyIsInstance } from '../semantics.js';

/** isinstance(v, t) for a constant. */
export function constIs(v: Json, t: PyType): boolean {
  return pyIsInstance(v, t);
}

/** str.casefold() of a constant (full case folding: "Straße" → "strasse"). */
export function casefold(s: string): string {
  return pyCasefold(s);
}

/** A predicate over literals only (raises what the evaluator raises). */
export function evalConstPred(p: Pred): boolean {
  return evalPred(p, { event: null, elems: [] });
}

/** fnmatch.fnmatch of a constant. */
export function globMatchConst(s: string, pat: string): boolean {
  return pyFnmatch(s, pat);
}
