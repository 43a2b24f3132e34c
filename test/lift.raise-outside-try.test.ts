/**
 * Exceptions rule() raises outside any try (lift/flow.ts raises): an exception ends rule() with no alert,
 * whatever the caller would have done with the value, so the lifted condition is `not(raised) and value`
 * (pipeline.ts ruleCondition), the raise located by its path. Modelled here: a str or dict method of a
 * constant that is None or a number (AttributeError: `x.lower()` where a helper returned None), and
 * set() of an event value (lift/sets.ts: TypeError where the value is not iterable or holds a list or an
 * object, Panther's wrappers being unhashable). Expectations: `bool(rule(event))` (False when rule()
 * raises) under python3 3.11 with the event wrapped as Panther wraps it (a Mapping with case-insensitive
 * keys, lists as an unhashable Sequence over a tuple, both unhashable).
 */
import { describe, expect, it } from 'vitest';
import { liftSource, itLiftsExactly, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: "None.lower() from a helper ends rule(): no alert",
    src: "def name(event):\n    v = event.get('x')\n    if not v:\n        return None\n    return v\n\n\ndef rule(event):\n    return name(event).lower() == 'a'\n",
    events: [{"x": "A"}, {"x": "b"}, {}, {"x": ""}],
    python: [true, false, false, false],
  },
  {
    name: "None.lower() under a negation: still no alert",
    src: "def name(event):\n    v = event.get('x')\n    if not v:\n        return None\n    return v\n\n\ndef rule(event):\n    return name(event).lower() != 'a'\n",
    events: [{"x": "A"}, {"x": "b"}, {}, {"x": ""}],
    python: [false, true, false, false],
  },
  {
    name: "None.lower() in a try whose handler catches AttributeError",
    src: "def name(event):\n    v = event.get('x')\n    if not v:\n        return None\n    return v\n\n\ndef rule(event):\n    try:\n        return name(event).lower() != 'a'\n    except AttributeError:\n        return True\n",
    events: [{"x": "A"}, {"x": "b"}, {}, {"x": ""}],
    python: [false, true, true, true],
  },
  {
    name: "set(x) != set(y): order, duplicates, str characters, mapping keys, 1 == 1.0; None or a nested list raises",
    src: "def rule(event):\n    return set(event.get('a')) != set(event.get('b', []))\n",
    events: [{"a": ["x", "y"], "b": ["y", "x", "x"]}, {"a": ["x"], "b": ["x", "y"]}, {"b": ["x"]}, {"a": "ab", "b": ["a", "b"]}, {"a": [["x"]], "b": []}, {"a": {"k": 1}, "b": ["k"]}, {"a": [1], "b": [1.0]}, {"a": [1], "b": ["1"]}, {"a": [], "b": [{"k": 1}]}, {"a": []}],
    python: [false, true, false, false, false, false, false, true, false, false],
  },
  {
    name: "bool(CONST & set(x))",
    src: "def rule(event):\n    return bool({'a', 'b'} & set(event.get('x')))\n",
    events: [{"x": ["a"]}, {"x": ["c"]}, {"x": "cab"}, {"x": "c"}, {}, {"x": [{"a": 1}]}, {"x": ["a", ["b"]]}, {"x": {"b": 0}}],
    python: [true, false, true, false, false, false, false, true],
  },
  {
    name: "not (CONST & set(x)): a raise is still no alert",
    src: "def rule(event):\n    return not ({'a'} & set(event.get('x')))\n",
    events: [{"x": ["a"]}, {"x": ["c"]}, {}, {"x": ["c", ["a"]]}, {"x": 7}],
    python: [false, true, false, false, false],
  },
  {
    name: "len(set(CONST).intersection(set(x))) > 0",
    src: "ROLES = ['p', 'q']\n\n\ndef rule(event):\n    s = set(event.get('x'))\n    return len(set(ROLES).intersection(s)) > 0 and event.get('ok') == 1\n",
    events: [{"x": ["q"], "ok": 1}, {"x": ["q"], "ok": 0}, {"x": ["r"], "ok": 1}, {"ok": 1}, {"x": "pq", "ok": 1}],
    python: [true, false, false, false, true],
  },
  {
    name: "v in set(x): the probe is hashed",
    src: "def rule(event):\n    return event.get('y') in set(event.get('x'))\n",
    events: [{"x": ["a"], "y": "a"}, {"x": ["a"], "y": "b"}, {"x": "abc", "y": "b"}, {"x": "abc", "y": "bc"}, {"x": [["a"]], "y": "a"}, {"x": ["a"], "y": ["a"]}, {"x": ["a"], "y": {"a": 1}}, {"x": ["a"]}],
    python: [true, false, true, false, false, false, false, false],
  },
  {
    name: "set(x).intersection(CONST) inside if/else",
    src: "def rule(event):\n    if event.get('kind') == 'k':\n        return bool(set(event.get('x')).intersection(['a']))\n    return False\n",
    events: [{"kind": "k", "x": ["a"]}, {"kind": "k", "x": ["b"]}, {"kind": "j", "x": null}, {"kind": "k"}],
    python: [true, false, false, false],
  },
];

describe('an exception rule() raises outside a try means no alert', () => {
  itLiftsExactly(CASES);

  it('inside a loop over an event list no condition names the iteration: set() there stays declared', () => {
    const { reasons } = liftSource("def rule(event):\n    for v in event.get('l', []):\n        if set(v):\n            return True\n    return False\n");
    expect(reasons.map((r) => r.code)).toContain('opaque-call:set');
  });

  it('a later item of an unrolled any() is reached only when the earlier ones did not decide: not recorded', () => {
    const src = "def name(event, k):\n    v = event.get(k)\n    return v if v else None\n\n\ndef rule(event):\n    return any(name(event, k).lower() == 'a' for k in ['x', 'y'])\n";
    const { reasons } = liftSource(src);
    expect(reasons.map((r) => r.code)).toEqual(['opaque-method:lower']);
  });

  it('the output functions do not narrow the condition: a raise there is declared', () => {
    const { reasons, rule } = liftSource("def rule(event):\n    return event.get('x') == 1\n\n\ndef title(event):\n    return None.lower()\n");
    expect(reasons).toEqual([]);
    expect(rule.title).toBeUndefined();
  });
});
