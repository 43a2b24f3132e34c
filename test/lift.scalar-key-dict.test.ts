/**
 * Dict literals whose keys are not all str (ints, floats, bools, None): lift/exprs.ts scalarKeyDict and
 * operators.ts kdictItem. Python hashes the probe: 1, 1.0 and True are one key, None is a key like any
 * other, and a list or dict probe raises TypeError (an event list or object is unhashable: Panther's
 * wrappers define __eq__ and no __hash__). Expectations: python3 3.11 running each rule on a model of
 * Panther's event wrappers.
 */
import { describe, expect, it } from 'vitest';
import { itLiftsExactly, liftSource, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: '`in` an int- and None-keyed dict: numbers equal across int/float, a str is no int, a list raises',
    src: 'D = {3: "a", 13: "b", None: "n"}\n\n\ndef rule(event):\n    return event.get("x", 0) in D\n',
    events: [{ x: [1] }, { x: 3 }, { x: 3.0 }, { x: '3' }, {}, { x: null }, { x: true }],
    python: [false, true, true, false, false, true, false],
  },
  {
    name: 'D[k] once `k in D` holds, with a None key and set values',
    src: 'D = {"A": {"x", "y"}, None: {"z"}}\n\n\ndef rule(event):\n    p = event.get("p")\n    if p in D and event.get("t") in D[p]:\n        return False\n    return True\n',
    events: [{ p: 'A', t: 'x' }, { p: 'A', t: 'z' }, { t: 'z' }, { p: null, t: 'x' }, { p: [1], t: 'x' }, { p: 'A', t: ['x'] }, { p: 'B' }],
    python: [false, true, false, true, false, false, true],
  },
  {
    name: '1 and True are one key (the first written, with the last value); len() counts keys',
    src: 'D = {1: "one", True: "t", 2.0: "two"}\n\n\ndef rule(event):\n    return D.get(event.get("x"), "none") == "t" or len(D) == 3\n',
    events: [{ x: 1 }, { x: true }, { x: 2 }, { x: [1] }, {}],
    python: [true, true, false, false, false],
  },
  {
    name: 'D.get(k, default) raises for an unhashable k where the default would otherwise decide',
    src: 'D = {1: "one", 2: "two"}\n\n\ndef rule(event):\n    return D.get(event.get("x"), "none") != "one"\n',
    events: [{ x: 1 }, { x: 2 }, { x: [1] }, {}, { x: { a: 1 } }],
    python: [false, true, false, true, false],
  },
  {
    name: 'a str-keyed dict with computed values hashes its probe too: `not in` raises for a list',
    src: 'def rule(event):\n    return event.get("x") not in {"a": event.get("y")}\n',
    events: [{ x: [1] }, { x: 'a' }, { x: 'z' }, { x: { k: 1 } }],
    python: [false, false, true, false],
  },
];

describe('dicts with keys that are not str', () => {
  itLiftsExactly(CASES);

  it('declares what it does not read: D[k] where k may be missing, an unhashable constant key', () => {
    const codes = (src: string): string[] => liftSource(src).reasons.map((r) => r.code);
    expect(codes('D = {1: "a"}\n\n\ndef rule(event):\n    return D[event.get("x")] == "a"\n')).toContain('opaque-dict-lookup');
    expect(codes('D = {1: "a"}\n\n\ndef rule(event):\n    return [1] in D and event.get("x") == 1\n')).toContain('opaque-in');
    expect(codes('D = {1: "a"}\n\n\ndef rule(event):\n    return D.get(event.get("x"), default="b") == "a"\n')).toContain('opaque-method:get');
  });
});
