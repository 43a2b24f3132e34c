/**
 * A variable holding a conditional value is narrowed by an `if` test on it (lift/chain.ts `narrow`):
 * `if not x: return False` leaves x without its None arm, `if x is False: return` without its False arm,
 * so a method the rule only calls on the other arms (`x.lower()`, `x.startswith()`) is not taken on a
 * constant that never reaches it. Expectations: what python3 returns for `bool(rule(event))` (False when
 * rule() raises), worked out by hand from the language reference and checked with python3 3.11.
 */
import { describe, expect, it } from 'vitest';
import { evalAll, liftSource, itLiftsExactly, type PyCase } from './fixtures/lifter/helpers.js';

const CASES: PyCase[] = [
  {
    // pick() is ite(a, a, ite(b, b, None)); check() returns early on a falsy name, so .lower() only meets the event value
    name: '`if not name: return` drops the None arm before name.lower()',
    src: "def pick(event):\n    if event.get('a'):\n        return event.get('a')\n    if event.get('b'):\n        return event.get('b')\n    return None\n\n\ndef check(name):\n    if not name:\n        return False\n    return name.lower() == 'admin'\n\n\ndef rule(event):\n    return check(pick(event))\n",
    events: [{ a: 'ADMIN' }, { a: 'x' }, {}, { a: '' }, { a: 'Admin' }, { b: 'admin' }, { a: '', b: 'ADMIN' }, { a: 'x', b: 'admin' }],
    python: [true, false, false, false, true, true, true, false],
  },
  {
    // False is a singleton: `x is False` is true of the constant arm, so what follows only sees the event value
    name: '`if x is False: return` drops the False arm before x.startswith()',
    src: "def loc(event):\n    if not event.get('r'):\n        return False\n    return event.get('r')\n\n\ndef rule(event):\n    x = loc(event)\n    if x is False:\n        return False\n    return x.startswith('us')\n",
    events: [{ r: 'us-east1' }, { r: 'eu' }, {}, { r: '' }, { r: 'US' }],
    python: [true, false, false, false, false],
  },
  {
    // the else arm of `if x:` knows x falsy: the truthy constant 5 is not x there (5.lower() never runs)
    name: 'the else arm of `if x:` drops the truthy constant arm',
    src: "def rule(event):\n    x = event.get('a') if event.get('b') else event.get('c') if event.get('d') else 5\n    if x:\n        return x == 5\n    return x is not None and x.lower() == ''\n",
    events: [{ b: 1, a: 5 }, { b: 0 }, { b: 1 }, { b: 1, a: '' }, { b: 1, a: 'q' }, { d: 1 }, { d: 1, c: '' }, { d: 1, c: 0 }],
    python: [true, true, false, true, false, false, true, false],
  },
];

describe('if tests narrow the conditional value of the variable they test', () => {
  itLiftsExactly(CASES);

  it('a test that does not decide the constant arm keeps it (None.lower() there raises: no alert)', () => {
    // `if x == "q"` says nothing the lifter narrows by: None.lower() stays reachable where a is missing,
    // and its AttributeError ends rule() (lift.raise-outside-try.test.ts); python3 gave the expectations
    const src = "def rule(event):\n    x = event.get('a') if event.get('a') else None\n    if x == 'q':\n        return False\n    return x.lower() == 'admin'\n";
    const { condition, reasons } = liftSource(src);
    expect(reasons).toEqual([]);
    expect(evalAll(condition, [{ a: 'admin' }, { a: 'q' }, {}, { a: 'ADMIN' }, { a: '' }, { a: 'x' }] as never)).toEqual([true, false, false, true, false, false]);
  });

  it('`C is False` folds on constants (True and False are singletons; 0 is not False)', () => {
    const src = "def rule(event):\n    a = 0 is False\n    b = False is False\n    c = None is not True\n    return event.get('k') == 1 and not a and b and c\n";
    const { condition, reasons } = liftSource(src);
    expect(reasons).toEqual([]);
    expect(evalAll(condition, [{ k: 1 }, { k: 2 }] as never)).toEqual([true, false]);
  });
});
