/**
 * A set or list a loop over an event list collects (lift/loops.ts collectLoop): `acc = set()`, then
 * `for x in L: if x.get(k) == c: acc.add(x.get(r))` is {x.get(r) for x in L if x.get(k) == c}. Python
 * visits every item: an item that is not an object raises AttributeError at x.get(), a list or object
 * added to the set raises TypeError, either ending rule() with no alert. Expectations: `bool(rule(event))`
 * (False when rule() raises) under python3 3.11 with the event wrapped as Panther wraps it.
 */
import { describe, expect, it } from 'vitest';
import { liftSource, itLiftsExactly, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: "a set collected by a loop over an event list, then `not in`",
    src: "def vals(items, rk, ck, cv):\n    out = set()\n    for item in items:\n        if item.get(ck) == cv:\n            out.add(item.get(rk))\n    return out\n\n\ndef rule(event):\n    return event.get('a') not in vals(event.get('t', [{}]), 'id', 'type', 'User')\n",
    events: [{"a": "x", "t": [{"type": "User", "id": "x"}]}, {"a": "y", "t": [{"type": "User", "id": "x"}]}, {"a": "x"}, {"a": "x", "t": [{"type": "User", "id": "x"}, "str"]}, {"a": "x", "t": [{"type": "User", "id": ["x"]}]}, {"a": ["x"], "t": []}, {"a": "x", "t": [{"type": "App", "id": "x"}]}, {"a": "x", "t": [{"type": "App", "id": ["x"]}]}, {"a": "x", "t": null}],
    python: [false, true, true, false, false, false, true, true, false],
  },
  {
    name: "a list collected by a loop with append, then `in`",
    src: "def rule(event):\n    names = []\n    for u in event.get('users', []):\n        names.append(u.get('name'))\n    return 'root' in names\n",
    events: [{"users": [{"name": "root"}]}, {"users": [{"name": "bob"}]}, {"users": ["root"]}, {}, {"users": [{}]}, {"users": [{"name": "bob"}, {"name": "root"}]}, {"users": "ab"}],
    python: [true, false, false, false, false, true, false],
  },
];

describe('a collection a loop over event data builds', () => {
  itLiftsExactly(CASES);

  it('another statement in the body: not this form, the collection stays declared', () => {
    const src = "def rule(event):\n    out = set()\n    for x in event.get('l', []):\n        out.add(x.get('a'))\n        out.add(x.get('b'))\n    return 'q' in out\n";
    expect(liftSource(src).reasons.map((r) => r.code)).toContain('opaque-loop-variable');
  });

  it('a computed value added (x.get(k).lower() may raise on None): not this form', () => {
    const src = "def rule(event):\n    out = []\n    for x in event.get('l', []):\n        out.append(x.get('a').lower())\n    return 'q' in out\n";
    expect(liftSource(src).reasons).not.toEqual([]);
  });
});
