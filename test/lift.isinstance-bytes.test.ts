/**
 * isinstance with bytes/bytearray (lift/builtins.ts): no value json.loads gives is bytes, so for an event
 * value the test is false, and `(str, bytes)` is `str`. A bytes literal is held as a str constant, so
 * isinstance of a str constant with bytes stays opaque. Expectations: python3's `bool(rule(event))`
 * (False when rule() raises), reasoned from the language reference and checked with python3 3.11.
 */
import { describe, expect, it } from 'vitest';
import { liftSource, itLiftsExactly, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: 'isinstance(d, (str, bytes)) then json.loads in a try: a str is parsed, a dict kept',
    src: "import json\n\n\ndef details(event):\n    d = event.get('d', {})\n    if isinstance(d, (str, bytes)):\n        try:\n            return json.loads(d)\n        except ValueError:\n            return {}\n    return d\n\n\ndef rule(event):\n    return details(event).get('k', '') == 'v'\n",
    events: [{ d: { k: 'v' } }, { d: '{"k": "v"}' }, { d: 'nope' }, { d: '[1]' }, {}, { d: { k: 'w' } }, { d: '{"k": "w"}' }],
    python: [true, true, false, false, false, false, false],
  },
  {
    name: 'isinstance(event value, bytearray) is false',
    src: "def rule(event):\n    return event.get('a') == 1 and not isinstance(event.get('x'), bytearray)\n",
    events: [{ a: 1, x: 's' }, { a: 1 }, { a: 1, x: [1] }, { a: 2 }],
    python: [true, true, true, false],
  },
];

describe('isinstance with bytes', () => {
  itLiftsExactly(CASES);

  it('a str constant tested against bytes stays opaque (b"x" and "x" are one constant here)', () => {
    const { reasons } = liftSource("X = b'abc'\n\n\ndef rule(event):\n    return event.get('a') == 1 and isinstance(X, bytes)\n");
    expect(reasons.map((r) => r.code)).toEqual(['opaque-isinstance']);
  });
});
