/**
 * `for x in <event list>: if p(x): return x` (lift/loops.ts overEventList): the loop returns the first item
 * p holds of. Where p reads one of the item's keys as a value that is not None, every such item is a
 * non-empty object, so the returned value is truthy: its truth is the quantifier `any(p)`, though nothing
 * else of it is known (reading it stays declared). Expectations: `bool(rule(event))` (False when rule()
 * raises: an item that is not an object has no .get) under python3 3.11 with the event wrapped as
 * Panther wraps it.
 */
import { describe, expect, it } from 'vitest';
import { liftSource, itLiftsExactly, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: "the item a loop returns, tested for truth",
    src: "def lookup(kind, names, event):\n    for d in event.get('events', []):\n        if d.get('type') == kind and d.get('name') in names:\n            return d\n    return {}\n\n\ndef rule(event):\n    return bool(lookup('login', ['fail'], event))\n",
    events: [{"events": [{"type": "login", "name": "fail"}]}, {"events": [{"type": "login", "name": "ok"}]}, {}, {"events": [{"type": "x"}, {"type": "login", "name": "fail"}]}, {"events": ["s"]}, {"events": [{"type": "login", "name": "fail"}, "s"]}, {"events": ["s", {"type": "login", "name": "fail"}]}, {"events": []}],
    python: [true, false, false, true, false, true, false, false],
  },
  {
    name: "the item a loop returns, under a negation",
    src: "def lookup(kind, names, event):\n    for d in event.get('events', []):\n        if d.get('type') == kind and d.get('name') in names:\n            return d\n    return {}\n\n\ndef rule(event):\n    if lookup('login', ['fail'], event):\n        return False\n    return event.get('x') == 1\n",
    events: [{"events": [{"type": "login", "name": "fail"}], "x": 1}, {"events": [{"type": "login", "name": "ok"}], "x": 1}, {"x": 1}, {"events": [{"type": "x"}, {"type": "login", "name": "fail"}], "x": 1}, {"events": ["s"], "x": 1}, {"events": [{"type": "login", "name": "fail"}, "s"], "x": 1}, {"events": ["s", {"type": "login", "name": "fail"}], "x": 1}, {"events": [], "x": 1}],
    python: [false, true, true, false, false, false, false, true],
  },
];

const LOOKUP = CASES[0]!.src.split('def rule')[0]!;

describe('the item a loop over event data returns', () => {
  itLiftsExactly(CASES);

  it('reading the item stays declared: only its truth is known', () => {
    const { reasons } = liftSource(`${LOOKUP}def rule(event):\n    return lookup('login', ['fail'], event).get('name') == 'fail'\n`);
    expect(reasons.map((r) => r.code)).toContain('opaque-loop-item');
  });

  it('an item p does not show non-empty (a default it may equal) is not known truthy: declared', () => {
    const src = "def first(event):\n    for d in event.get('events', []):\n        if d.get('type', 'x') == 'x':\n            return d\n    return {}\n\n\ndef rule(event):\n    return bool(first(event))\n";
    const { reasons } = liftSource(src);
    expect(reasons.map((r) => r.code)).toEqual(['opaque-statement']);
  });
});
