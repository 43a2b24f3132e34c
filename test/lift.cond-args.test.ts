/**
 * Three shapes that lifted opaque: an event method called with a conditional argument (a key chosen by
 * an if-expression), CONST.get(k) on a path where `k in CONST` holds (no default arm: a loop over the
 * looked-up list), and a tuple tested in a set of tuples (hashed: an unhashable item raises TypeError).
 * Expectations: python3 3.11 running each rule on a model of Panther's event wrappers (and its deep_get).
 */
import { describe, expect, it } from 'vitest';
import { itLiftsExactly, liftSource, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    name: 'event.deep_get(<conditional key>, ...) reads the key of each arm',
    src: 'def rule(event):\n    field = "created" if event.get("type") == "c" else "updated"\n    scopes = event.deep_get(field, "scopes", default=[])\n    return any(s.lower() == "admin" for s in scopes if s)\n',
    events: [
      { type: 'c', created: { scopes: ['Admin'] } },
      { type: 'u', created: { scopes: ['Admin'] } },
      { type: 'u', updated: { scopes: ['x', 'ADMIN'] } },
      { type: 'c' },
      { type: 'c', created: { scopes: [null, 'admin'] } },
      { type: 'c', created: { scopes: [1, 'admin'] } },
    ],
    python: [true, false, true, false, true, false],
  },
  {
    name: 'CONST.get(k) where `k in CONST` holds: a loop over the list it gives',
    src: 'TOOLS = {"a.exe": ["cl", "clear"], "b.exe": ["wipe"]}\n\n\ndef rule(event):\n    name = event.get("name", "").lower()\n    if name in TOOLS:\n        words = event.get("cmd", "").split(" ")\n        for w in TOOLS.get(name):\n            if w in words:\n                return True\n    return False\n',
    events: [{ name: 'A.exe', cmd: 'x cl' }, { name: 'a.exe', cmd: 'wipe' }, { name: 'b.exe', cmd: 'wipe now' }, { name: 'c.exe', cmd: 'cl' }, { cmd: 'cl' }],
    python: [true, false, true, false, false],
  },
  {
    name: '(a, b) in a set of tuples: item by item, case as written (items made str by .lower())',
    src: 'PAIRS = {("word.exe", "cmd.exe"), ("excel.exe", "cmd.exe")}\n\n\ndef rule(event):\n    return (event.get("parent", "").lower(), event.get("child", "").lower()) not in PAIRS\n',
    events: [{ parent: 'Word.exe', child: 'cmd.exe' }, { parent: 'excel.exe', child: 'CMD.exe' }, { parent: 'excel.exe', child: ['cmd.exe'] }, { parent: 'excel.exe' }, { parent: 'x', child: 'cmd.exe' }],
    python: [false, false, false, true, true],
  },
];

describe('conditional method arguments, known dict membership, tuples in sets', () => {
  itLiftsExactly(CASES);

  it('declares a tuple whose items may be unhashable (hashing it raises TypeError before any comparison)', () => {
    // python3: (None, {'a': 1}) not in PAIRS raises TypeError, though no entry starts with None
    const src = 'PAIRS = {("word.exe", "cmd.exe")}\n\n\ndef rule(event):\n    return (event.get("parent"), event.get("child")) not in PAIRS\n';
    expect(liftSource(src).reasons.map((r) => r.code)).toContain('opaque-in');
  });
});
