/**
 * isinstance of values read from the event (lift/builtins.ts TYPES, provenance): Panther hands a rule
 * its event through immutable wrappers (panther_core's immutable containers, as panther_analysis_tool
 * runs the tests): an object read from the event is a case-insensitive Mapping that is not a dict, a
 * list a Sequence that is not a list. So `isinstance(v, dict)` / `(v, list)` are False for every event
 * value, `Mapping` / `Sequence` hold (a str is a Sequence), and a value the rule computed (json.loads)
 * is a plain dict or list. A read whose default the rule wrote is either, so it stays opaque.
 * Expectations: `bool(rule(event))` (False when rule() raises) from python3 3.11 with a model of those
 * wrappers (a Mapping subclass with case-insensitive lookup, a Sequence subclass over a tuple).
 */
import { describe, expect, it } from 'vitest';
import { liftSource, itLiftsExactly, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: 'an object read from the event is not a dict',
    src: "def rule(event):\n    d = event.get('d')\n    return isinstance(d, dict) and d.get('k') == 'v'\n",
    events: [{ d: { k: 'v' } }, { d: 'x' }, {}, { d: [{ k: 'v' }] }],
    python: [false, false, false, false],
  },
  {
    name: 'an object read from the event is a Mapping (looked up case-insensitively)',
    src: "from collections.abc import Mapping\n\n\ndef rule(event):\n    d = event.get('d')\n    return isinstance(d, Mapping) and d.get('k') == 'v'\n",
    events: [{ d: { k: 'v' } }, { d: { K: 'v' } }, { d: 'x' }, {}, { d: [{ k: 'v' }] }],
    python: [true, true, false, false, false],
  },
  {
    name: "json.loads's result is a plain dict",
    src: "import json\n\n\ndef rule(event):\n    d = json.loads(event.get('s'))\n    return isinstance(d, dict) and d.get('k') == 'v'\n",
    events: [{ s: '{"k": "v"}' }, { s: '[1]' }, { s: '"k"' }, { s: 'x' }, { s: '{"K": "v"}' }],
    python: [true, false, false, false, false],
  },
  {
    name: 'a str and an event list are Sequences',
    src: "from collections.abc import Sequence\n\n\ndef rule(event):\n    return isinstance(event.get('v'), Sequence)\n",
    events: [{ v: 'ab' }, { v: [1] }, { v: { a: 1 } }, { v: 1 }, {}],
    python: [true, true, false, false, false],
  },
  {
    name: 'an event list is no list, tuple or set',
    src: "def rule(event):\n    return event.get('a') == 1 and not isinstance(event.get('x'), (list, tuple, set))\n",
    events: [{ a: 1, x: [1] }, { a: 1 }, { a: 1, x: 's' }, { a: 2 }],
    python: [true, true, true, false],
  },
];

describe('isinstance of values read through Panther event wrappers', () => {
  itLiftsExactly(CASES);

  it('a read with a container default the rule wrote may be either: opaque', () => {
    const { reasons } = liftSource("def rule(event):\n    return isinstance(event.get('x', []), list)\n");
    expect(reasons.map((r) => r.code)).toEqual(['opaque-isinstance']);
  });
});
