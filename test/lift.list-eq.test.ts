/**
 * A list built from event values compared with a constant list (lift/operators.ts `cmp`): Python's
 * list == list is false against a tuple or set and between lists of different lengths, else the items
 * compare pairwise. Expectations: python3's `bool(rule(event))`, reasoned from the language reference
 * and checked with python3 3.11.
 */
import { describe } from 'vitest';
import { itLiftsExactly, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: '[field] == ["127.0.0.1"] from a helper returning a one-item list or []',
    src: "def ips(event):\n    if event.get('ip'):\n        return [event.get('ip')]\n    return []\n\n\ndef rule(event):\n    src = ips(event) or []\n    if src == ['127.0.0.1']:\n        return False\n    return event.get('a') == 1\n",
    events: [{ a: 1, ip: '127.0.0.1' }, { a: 1, ip: '10.0.0.1' }, { a: 1 }, { a: 1, ip: ['127.0.0.1'] }, { a: 2, ip: '10.0.0.1' }],
    python: [false, true, true, true, false],
  },
  {
    name: 'a list never equals a tuple; lengths must agree',
    src: "def rule(event):\n    pair = [event.get('x'), event.get('y')]\n    return pair != ('a', 'b') and pair != ['a', 'b', 'c'] and pair != ['a', 'b']\n",
    events: [{ x: 'a', y: 'b' }, { x: 'a' }, {}, { x: 'a', y: 'c' }],
    python: [false, true, true, true],
  },
];

describe('a list of event values compared with a constant list', () => {
  itLiftsExactly(CASES);
});
