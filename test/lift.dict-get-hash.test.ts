/**
 * A constant dict looked up by a value read from the event, `D.get(v, d)` (lift/methods.ts
 * dictLookup), and `v in D.keys()`: dict.get and a keys view hash v first, and Panther's event lists
 * and objects (ImmutableList, ImmutableCaseInsensitiveDict) are unhashable, so a list or object v
 * raises TypeError (no alert) where a chain of equalities would give the default. A key that is a str
 * by construction (str(v)) keeps the equalities. Expectations: `bool(rule(event))` (False when rule()
 * raises) under python3 3.11 with the event's lists as a list subclass whose __hash__ is None.
 * (and/or operands are not ordered in the lifted condition, strong Kleene: evaluate.ts; the cases
 * keep a raising operand from being decided by a later one.)
 */
import { describe, expect, it } from 'vitest';
import { evalAll, liftSource, itLiftsExactly, type PyCase } from './fixtures/lifter/helpers.js';

const D = "D = {'a': 'y', 'b': 'z', 'c': 'y'}\n\n\ndef rule(event):\n";

const CASES: PyCase[] = [
  {
    name: 'D.get(v, d) == d: false (TypeError) for a list or object v',
    src: `${D}    return D.get(event.get('x'), 'n') == 'n'\n`,
    events: [{ x: ['a'] }, { x: { a: 1 } }, { x: 'a' }, { x: 'q' }, {}],
    python: [false, false, false, true, true],
  },
  {
    name: 'D.get(v, d) != value: the arms, and TypeError for a container',
    src: `${D}    return D.get(event.get('x'), 'y') != 'y'\n`,
    events: [{ x: ['b'] }, { x: { b: 1 } }, { x: 'a' }, { x: 'b' }, { x: 'q' }, {}],
    python: [false, false, false, true, false, false],
  },
  {
    name: 'D.get(v) is None',
    src: `${D}    return D.get(event.get('x')) is None\n`,
    events: [{ x: ['a'] }, { x: {} }, { x: 'a' }, { x: 'q' }, {}],
    python: [false, false, false, true, true],
  },
  {
    name: 'D.get(str(v), d): str() is hashable, a list v is its repr',
    src: `${D}    return D.get(str(event.get('x')), 'n') == 'n'\n`,
    events: [{ x: ['a'] }, { x: { a: 1 } }, { x: 'a' }, { x: 'q' }, {}],
    python: [true, true, false, true, true],
  },
  {
    name: 'under `if v in D:` the key was hashed by the guard',
    src: `${D}    k = event.get('x')\n    if k in D:\n        return D.get(k) == 'y'\n    return True\n`,
    events: [{ x: ['a'] }, { x: { a: 1 } }, { x: 'a' }, { x: 'b' }, { x: 'q' }, {}],
    python: [false, false, true, false, true, true],
  },
  {
    name: 'v not in D.keys(): a keys view hashes v',
    src: `${D}    return event.get('x') not in D.keys()\n`,
    events: [{ x: ['a'] }, { x: { a: 1 } }, { x: 'a' }, { x: 'q' }, {}],
    python: [false, false, false, true, true],
  },
  {
    name: 'v in D.values(): a values view compares, it does not hash',
    src: `${D}    return event.get('x') not in D.values()\n`,
    events: [{ x: ['y'] }, { x: 'y' }, { x: 'a' }, {}],
    python: [true, false, true, true],
  },
];

describe('a constant dict looked up by an event value hashes it', () => {
  itLiftsExactly(CASES);

  it('an empty dict looked up by an event value: the default, its TypeError for a list or object ending rule() (no alert)', () => {
    // python3: [False, False, True, True, True] and, for `!= 'n'`, False throughout
    const events = [{ x: ['a'] }, { x: { a: 1 } }, { x: 'a' }, {}, { x: 3 }] as never;
    const eq = liftSource("D = {}\n\n\ndef rule(event):\n    return D.get(event.get('x'), 'n') == 'n'\n");
    expect(eq.reasons).toEqual([]);
    expect(evalAll(eq.condition, events)).toEqual([false, false, true, true, true]);
    const ne = liftSource("D = {}\n\n\ndef rule(event):\n    return D.get(event.get('x'), 'n') != 'n'\n");
    expect(ne.reasons).toEqual([]);
    expect(evalAll(ne.condition, events)).toEqual([false, false, false, false, false]);
  });

  it('an empty dict looked up inside a loop over an event list: the TypeError cannot be placed, so it is declared', () => {
    const { reasons } = liftSource("D = {}\n\n\ndef rule(event):\n    return any(D.get(x, 'n') == 'n' for x in event.get('l', []))\n");
    expect(reasons.map((r) => r.code)).toEqual(['opaque-dict-lookup']);
  });

  it('an empty dict looked up by str(v) is the default', () => {
    const { reasons } = liftSource("D = {}\n\n\ndef rule(event):\n    return D.get(str(event.get('x')), 'n') == 'n'\n");
    expect(reasons).toEqual([]);
  });
});
