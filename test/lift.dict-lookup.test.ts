/**
 * A constant dict subscripted by an event value, `D[v]` (lift/operators.ts `index`): Python raises
 * KeyError where v is not a key (TypeError where v is unhashable), so the lift is exact only where
 * `v in D` is known to hold on the path (an `if v in D:` or `v in D and ...` guard); there it is the
 * choice of D's value by v. Set values keep their kind (DICT_VALUE_KINDS): `x in D[v]` raises TypeError
 * for an unhashable x when D[v] is a set, not when it is a list. Expectations: python3's
 * `bool(rule(event))` (False when rule() raises), reasoned from the language reference and checked
 * with python3 3.11.
 */
import { describe, expect, it } from 'vitest';
import { liftSource, itLiftsExactly, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: '`if k in D:` guards D[k]; a set value hashes the probe, a list value does not',
    src: "D = {'a': {'x', 'y'}, 'b': ['z']}\n\n\ndef rule(event):\n    k = event.get('k')\n    if k in D:\n        return event.get('v') not in D[k]\n    return False\n",
    events: [{ k: 'a', v: 'x' }, { k: 'a', v: 'q' }, { k: 'a', v: ['x'] }, { k: 'b', v: ['z'] }, { k: 'b', v: 'z' }, { k: 'c', v: 'q' }, { k: ['a'] }, {}],
    python: [false, true, false, true, false, false, false, false],
  },
  {
    name: '`k in D and x in D[k]` (a set and a tuple value)',
    src: "D = {'OKTA': {'PASSWORD'}, 'GOOGLE': ('SAML', 'OIDC')}\n\n\ndef rule(event):\n    idp = event.get('idp')\n    return idp in D and event.get('t') in D[idp]\n",
    events: [{ idp: 'OKTA', t: 'PASSWORD' }, { idp: 'OKTA', t: 'SAML' }, { idp: 'GOOGLE', t: 'OIDC' }, { idp: 'GOOGLE', t: ['OIDC'] }, { idp: 'OKTA', t: ['PASSWORD'] }, { idp: 'okta', t: 'PASSWORD' }, { t: 'SAML' }],
    python: [true, false, true, false, false, false, false],
  },
];

describe('a constant dict subscripted by an event value', () => {
  itLiftsExactly(CASES);

  it('without a guard, D[v] may raise KeyError: it stays opaque', () => {
    const { reasons } = liftSource("D = {'a': 1}\n\n\ndef rule(event):\n    return D[event.get('k')] == 1\n");
    expect(reasons.map((r) => r.code)).toEqual(['opaque-dict-lookup']);
  });

  it('a constant key that is no key of D raises KeyError, also a name of an object property (D["constructor"])', () => {
    const { reasons } = liftSource("D = {'a': 'x'}\n\n\ndef rule(event):\n    return event.get('a') == 1 and D['constructor'] == 'x'\n");
    expect(reasons.map((r) => r.code)).toEqual(['opaque-index']);
  });

  it('a guard on another dict does not make D[v] safe', () => {
    const { reasons } = liftSource("D = {'a': 1}\nE = {'a': 1, 'b': 2}\n\n\ndef rule(event):\n    k = event.get('k')\n    return k in E and D[k] == 1\n");
    expect(reasons.map((r) => r.code)).toEqual(['opaque-dict-lookup']);
  });
});
