/**
 * A list, dict or set changed in place (a mutating method, `d[k] = v`, `xs += ...`) is seen by every
 * reference to the object: an alias, the caller that passed it, a module constant, the container it was
 * read from. The lifter rebinds only the name changed; every other reference to a changed collection reads
 * as unknown (Lifter.markChanged), except a collection the function holds alone (lift/private.ts). A call
 * made by an expression statement is evaluated (its effects and raises count). Expectations:
 * `bool(rule(event))` (False when rule() raises) under python3 3.11 (events as dicts with deep_get).
 */
import { describe, expect, it } from "vitest";
import { parsePython } from "../src/python/parse.js";
import type { FunctionDef } from "../src/python/module.js";
import { privateNames } from "../src/python/lift/private.js";
import { liftSource, itLiftsExactly, type PyCase } from "./fixtures/lifter/helpers.js";

const EXACT: PyCase[] = [
  {
    name: "a bare call made for its effect inside try (ip_address(v); return True): evaluated, so its ValueError goes to the handler",
    // str(): an int field would be an address (ip_address(2130706433)), which the lift declares (opaque-ip-int); a str is exact
    src: "import ipaddress\n\n\ndef valid(v):\n    try:\n        ipaddress.ip_address(v)\n        return True\n    except ValueError:\n        return False\n\n\ndef rule(event):\n    return not valid(str(event.get('ip')))\n",
    events: [{"ip":"10.0.0.1"},{"ip":"nope"},{},{"ip":"::1"}],
    python: [false,true,true,false],
  },
  {
    name: "a caller changes the dict a helper returned: a second call of the helper gives a new one",
    src: "def ctx(event):\n    return {'a': event.get('a')}\n\n\ndef rule(event):\n    c = ctx(event)\n    c['a'] = 'changed'\n    return ctx(event)['a'] == 'x' and c['a'] == 'changed'\n",
    events: [{"a":"x"},{"a":"y"},{}],
    python: [true,false,false],
  },
  {
    name: "a dict the function holds alone, set in one arm and read after",
    src: "def rule(event):\n    seen = {}\n    if event.get('a'):\n        seen['a'] = event.get('a')\n    count = len(seen)\n    return count == 1 and 'a' in seen\n",
    events: [{"a":"x"},{"a":""},{}],
    python: [true,false,false],
  },
];

/** Each changes a collection through another reference: Python answers True, the lift must not claim False exactly. */
const CHANGED: PyCase[] = [
  {
    name: "a helper appends to the caller's list",
    src: "def add(xs):\n    xs.append('a')\n\n\ndef rule(event):\n    names = []\n    add(names)\n    return len(names) == 1 and event.get('x') == 1\n",
    events: [{"x":1}],
    python: [true],
  },
  {
    name: "b = a, then b[k] = v: a changed too",
    src: "def rule(event):\n    a = {}\n    b = a\n    b['k'] = 1\n    return a.get('k') == 1 and event.get('x') == 1\n",
    events: [{"x":1}],
    python: [true],
  },
  {
    name: "a function changes a module constant through a local name",
    src: "D = {'k': 0}\n\n\ndef f(event):\n    d = D\n    d['k'] = 1\n    return 1\n\n\ndef rule(event):\n    f(event)\n    return D['k'] == 1 and event.get('x') == 1\n",
    events: [{"x":1}],
    python: [true],
  },
  {
    name: "rule() appends to a module-level list",
    src: "SEEN = []\n\n\ndef rule(event):\n    SEEN.append(event.get('x'))\n    return len(SEEN) > 0 and event.get('x') == 1\n",
    events: [{"x":1}],
    python: [true],
  },
  {
    name: "an item read out of a dict, changed in place: the dict holds the change",
    src: "def rule(event):\n    d = {'a': []}\n    inner = d['a']\n    inner.append(1)\n    return len(d['a']) == 1 and event.get('x') == 1\n",
    events: [{"x":1}],
    python: [true],
  },
  {
    name: "a += on a list: the other name sees it",
    src: "def rule(event):\n    a = [1]\n    b = a\n    a += [2]\n    return len(b) == 2 and event.get('x') == 1\n",
    events: [{"x":1}],
    python: [true],
  },
  {
    name: "d.setdefault(k, []).append(v): the dict changed inside an expression",
    src: "def rule(event):\n    d = {}\n    d.setdefault('k', []).append(event.get('x'))\n    return len(d['k']) == 1 and event.get('x') == 1\n",
    events: [{"x":1}],
    python: [true],
  },
];

describe("collections changed in place", () => {
  itLiftsExactly(EXACT);

  for (const c of CHANGED) {
    it(c.name, () => {
      // Python answers True; the lift, not following the change, must say so (it gave False exactly before)
      expect(c.python).toEqual([true]);
      expect(liftSource(c.src).reasons.map((r) => r.code)).toContain("opaque-mutation");
    });
  }

  it("which names a function holds alone", () => {
    const src = [
      "def f(event, p):",
      "    a = {}", "    helper(a)",
      "    b = {}", "    other = b",
      "    c = []", "    g = lambda: c",
      "    d = {}", "    d = event.get('x')",
      "    e = {}", "    e['k'] = 1", "    e.update({'j': 2})",
      "    h = []", "    h.append(len(h))", "    n = sorted(h)",
      "    i = set()", "    m = [i]",
      "    if not e or 'k' in h:",
      "        return f'{e}'",
      "    p = []",
      "    return e",
    ].join("\n");
    const def = parsePython(src, "x.py").body[0] as FunctionDef;
    expect([...privateNames(def)].sort()).toEqual(["e", "h", "m"]);
  });
});
