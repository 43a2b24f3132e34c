/**
 * Fields a log type's records never hold (`defaults.kql: {absent: true}` in its mapping, e.g. the AKS
 * audit records Azure.MonitorActivity routes to AzureDiagnostics hold no `resultType`): a test of one
 * reads it as missing, so Python decides it before anything is printed (its value on the field's
 * default, or None), and a test where Python raises (`None.startswith(...)`, `obj[key]`) fails in both
 * polarities, as the rule then does not alert. A quantifier over such a list is Python's over its
 * default (`[]`: any is false, all true), or raises. A value computed from such a field is left to the
 * printer, which refuses it (the field is unmapped), so nothing is decided that Python would not.
 */
import { fieldRef } from '../../ast/view.js';
import type { FieldMapper, Unmapped } from '../../mapping/types.js';
import { pyMissing } from '../common/missing.js';
import { atomValue, simplify, type Nnf } from '../common/nnf.js';
import { jsonOf } from './json.js';

type Lit = Extract<Nnf, { k: 'lit' }>;

/** The condition on the records of `logType` with every test of an absent field decided; the same object when none is. */
export function foldAbsent(n: Nnf, mapper: FieldMapper, logType: string): Nnf {
  const absent = (path: (string | number)[]): boolean => {
    const m = mapper.resolve(logType, 'kql', path);
    return 'unmapped' in m && !!(m as Unmapped).absent;
  };
  let changed = false;
  const decided = (v: boolean): Nnf => {
    changed = true;
    return { k: 'const', v };
  };
  const lit = (l: Lit): Nnf => {
    const value = atomValue(l.atom);
    const ref = fieldRef(value);
    if (ref?.root === 'event') {
      if (!absent(ref.path)) return l;
      // the guard of a str test: a missing value is no str, the literal is its polarity
      if (l.strGuard) return decided(l.neg);
      const v = pyMissing(l.atom, { ref, strict: value.k === 'get' && !!value.strict }, l.neg);
      if (v === 'unknown') return l;
      return decided(v === 'error' ? false : v);
    }
    // json.loads() of an absent field: of None (TypeError) or of its default
    const j = jsonOf(value);
    const src = j ? fieldRef(j.src) : null;
    if (src && absent(src.path) && typeof src.default !== 'string') return decided(false);
    return l;
  };
  const walk = (x: Nnf): Nnf => {
    switch (x.k) {
      case 'lit':
        return lit(x);
      case 'and':
      case 'or':
        return { k: x.k, args: x.args.map(walk) };
      case 'quant': {
        const ref = fieldRef(x.list);
        if (ref?.root === 'event' && absent(ref.path)) {
          const d = ref.default;
          // iterating None raises; an empty default: any() is false, all() true
          if (d === undefined) return decided(false);
          if (Array.isArray(d) && d.length === 0) return decided(x.q === 'all');
          return x;
        }
        return { ...x, body: walk(x.body) };
      }
      default:
        return x;
    }
  };
  const out = walk(n);
  return changed ? simplify(out) : n;
}
