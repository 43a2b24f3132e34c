/**
 * str() and equality of containers read from the event. Panther hands rule() its event through
 * immutable wrappers (panther_core/immutable.py): str() of an event list is `ImmutableList((...))` (the
 * tuple it holds), of an event object `ImmutableCaseInsensitiveDict({...})`; a slice of an event list
 * is a plain tuple; an event list equals a list or a tuple with the same items, a plain list only a
 * list. Expectations: python3 3.11 running each rule on a model of those wrappers (their __repr__,
 * __eq__, __getitem__ and __iter__ as panther_core defines them).
 */
import { describe, expect, it } from 'vitest';
import { itLiftsExactly, liftSource, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: "str() of an event list or object is its wrapper's repr; str(None) and of a scalar as Python prints them",
    src: 'def rule(event):\n    return str(event.get(\'v\')) in ("ImmutableList((\'a\',))", "ImmutableCaseInsensitiveDict({\'a\': [1, True]})", "ImmutableList(())", "[]", "None", "2")\n',
    events: [{ v: ['a'] }, { v: { a: [1, true] } }, { v: [] }, {}, { v: 2 }, { v: ['a', 'b'] }, { v: { a: 1 } }],
    python: [true, true, true, true, true, false, false],
  },
  {
    name: 'a default the rule wrote is a plain list: str() is "[]" only when the key is missing',
    src: "def rule(event):\n    return str(event.get('v', [])) == '[]'\n",
    events: [{}, { v: [] }, { v: null }],
    python: [true, false, false],
  },
  {
    name: 'an f-string prints an event list as its wrapper',
    src: 'def rule(event):\n    return f"{event.get(\'v\')}!" == "ImmutableList((\'x\', 1))!"\n',
    events: [{ v: ['x', 1] }, {}],
    python: [true, false],
  },
  {
    name: 'a slice of an event list prints as a tuple',
    src: 'def rule(event):\n    return str(event.get(\'l\')[0:1]) == "(\'a\',)"\n',
    events: [{ l: ['a', 'b'] }, { l: 'ab' }, { l: [] }],
    python: [true, false, false],
  },
  {
    name: 'an item met iterating an event list is wrapped too',
    src: 'def rule(event):\n    return any(str(x) == "ImmutableCaseInsensitiveDict({\'k\': 1})" for x in event.get(\'l\', []))\n',
    events: [{ l: [{ k: 1 }] }, { l: [{ k: 2 }] }, {}],
    python: [true, false, false],
  },
  {
    name: 'an event list equals a tuple; str() of a constant tuple is a tuple',
    src: "def rule(event):\n    return event.get('l') == ('a', 'b') or str(('a',)) == event.get('s')\n",
    events: [{ l: ['a', 'b'] }, { l: ['a'] }, { s: "('a',)" }, { s: "['a']" }],
    python: [true, false, true, false],
  },
  {
    name: 'event.deep_walk() gives a plain list: its str() is a list',
    src: "def rule(event):\n    return str(event.deep_walk('a', 'b')) == \"['x', 'y']\"\n",
    events: [{ a: { b: ['x', 'y'] } }, { a: [{ b: 'x' }, { b: 'y' }] }, { a: { b: 'x' } }],
    python: [true, true, false],
  },
];

describe('str() and equality of event containers (Panther wrappers)', () => {
  itLiftsExactly(CASES);
});

/** What the evaluator's plain values cannot tell apart is declared, not guessed. */
const DECLARED: { name: string; src: string; code: string }[] = [
  { name: 'a slice of an event list (a tuple) against a list', src: "def rule(event):\n    return event.get('l')[0:1] == ['a']\n", code: 'opaque-compare' },
  { name: 'a list the rule computed against a tuple', src: "def rule(event):\n    return event.get('s', '').split(',') == ('a',)\n", code: 'opaque-compare' },
  { name: 'a value against a set', src: "def rule(event):\n    return event.get('l') == {'a'}\n", code: 'opaque-compare' },
  { name: "str() of a constant set (hash order)", src: "def rule(event):\n    return event.get('s') == str({'a', 'b'})\n", code: 'opaque-str' },
  { name: 'str() of the whole event', src: "def rule(event):\n    return 'x' in str(event)\n", code: 'opaque-str' },
];

describe('container shapes the lift declares', () => {
  for (const c of DECLARED) {
    it(c.name, () => {
      const { reasons } = liftSource(c.src);
      expect(reasons.map((r) => r.code)).toContain(c.code);
    });
  }
});
