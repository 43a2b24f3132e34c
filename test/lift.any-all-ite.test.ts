/**
 * any()/all() of a conditional value (lift/builtins.ts POINTWISE): `all(x if c else y)` is
 * `all(x) if c else all(y)`, so a list normalised by `if xs is None: xs = []` and
 * `if not isinstance(xs, list): xs = [xs]` is quantified arm by arm. Expectations: python3's
 * `bool(rule(event))` (False when rule() raises: any(None) is a TypeError), reasoned from the language
 * reference and checked with python3 3.11.
 */
import { describe } from 'vitest';
import { itLiftsExactly, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: 'not all(xs) after xs is normalised to a list',
    src: "def rule(event):\n    xs = event.get('xs')\n    if xs is None:\n        xs = []\n    if not isinstance(xs, list):\n        xs = [xs]\n    return event.get('a') == 1 and not all(xs)\n",
    events: [{ a: 1 }, { a: 1, xs: [true, false] }, { a: 1, xs: [1, 2] }, { a: 1, xs: 0 }, { a: 1, xs: 's' }, { a: 1, xs: '' }, { a: 2, xs: [0] }, { a: 1, xs: [] }],
    // Panther reads an event list as an ImmutableList (a Sequence, not a list): `[xs]` wraps it, and
    // all() is its truthiness (non-empty)
    python: [false, false, false, true, false, true, false, true],
  },
  {
    name: 'any() of a conditional between an event list and a constant list',
    src: "def rule(event):\n    return any(event.get('xs') if event.get('b') else ['', 0])\n",
    events: [{ b: 1, xs: [0, ''] }, { b: 1, xs: [0, 'x'] }, { xs: ['x'] }, { b: 1, xs: 'ab' }, { b: 1, xs: '' }, { b: 0 }, { b: 1 }],
    python: [false, true, false, true, false, false, false],
  },
];

describe('any()/all() of a conditional value, arm by arm', () => {
  itLiftsExactly(CASES);
});
