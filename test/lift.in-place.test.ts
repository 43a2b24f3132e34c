/**
 * Collections a function holds alone (lift/private.ts) changed by a statement (lift/flow.ts inPlace):
 * list.append/extend, set.add of a constant, set.update of set(x) (a union of sets of event values), dict.update;
 * loops over constants whose iterations run under the condition that reaches them (a call that raises
 * there is placed exactly); sorted() in Python's order. Expectations: `bool(rule(event))` (False when
 * rule() raises) under python3 3.11 (events as dicts with Panther's deep_get).
 */
import { describe, expect, it } from "vitest";
import { liftSource, itLiftsExactly, type PyCase } from "./fixtures/lifter/helpers.js";

const CASES: PyCase[] = [
  {
    name: "set.update(set(x)) over loops of constants, then & a constant set: set() of a value that is not iterable or holds a list raises TypeError",
    src: "def rule(event):\n    keys = set()\n    for a in ['p', 'q']:\n        for b in ['added', 'changed']:\n            keys.update(set(event.deep_get(a, b, default=[])))\n    return bool(keys & {'ssh-keys', 'sshKeys'})\n",
    events: [{"p":{"added":["ssh-keys"]}},{"q":{"changed":["x","sshKeys"]}},{"p":{"added":["x"]}},{},{"p":{"added":5}},{"p":{"added":[["ssh-keys"]]},"q":{"added":["sshKeys"]}},{"q":{"changed":"sshKeys"}},{"q":{"changed":{"sshKeys":1}}}],
    python: [true,true,false,false,false,false,false,true],
  },
  {
    name: "list.append in the arms of an unrolled loop, then extend: membership and length",
    src: "def rule(event):\n    names = []\n    for k in ['a', 'b', 'c']:\n        if event.get(k):\n            names.append(k)\n    names.extend(['z'])\n    return 'b' in names and len(names) == 2\n",
    events: [{"b":1},{"a":1,"b":1},{"c":1},{},{"b":""}],
    python: [true,false,false,false,false],
  },
  {
    name: "dict.update with a dict display in one arm",
    src: "def rule(event):\n    d = {'kind': 'none'}\n    if event.get('t') == 'user':\n        d.update({'kind': 'user', 'name': event.get('n')})\n    return d['kind'] == 'user' and d.get('name') == 'root'\n",
    events: [{"t":"user","n":"root"},{"t":"user","n":"bob"},{"n":"root"},{"t":"user"}],
    python: [true,false,false,false],
  },
  {
    name: "set.add of a constant twice is one item",
    src: "def rule(event):\n    seen = set()\n    for k in ['a', 'b']:\n        if event.get(k) == 'on':\n            seen.add('on')\n    return len(seen) == 1\n",
    events: [{"a":"on","b":"on"},{"a":"on"},{},{"b":"off"}],
    python: [true,true,false,false],
  },
  {
    name: "sorted() of numbers orders them by value",
    src: "def rule(event):\n    return sorted([10, 9, 100])[0] == 9 and event.get('x') == 1\n",
    events: [{"x":1},{}],
    python: [true,false],
  },
  {
    name: "a raise in a later iteration of a loop over constants counts only where the earlier ones fell through",
    src: "import json\n\n\ndef rule(event):\n    for k in ['a', 'b']:\n        if event.get(k) == 'skip':\n            return True\n        if json.loads(event.get(k, '{}')).get('x') == 1:\n            return True\n    return False\n",
    events: [{"a":"skip","b":"not json"},{"a":"{}","b":"nope"},{"a":"{\"x\": 1}"},{"a":"{}","b":"{\"x\": 1}"},{},{"a":"{}","b":"skip"}],
    python: [true,false,true,true,false,true],
  },
];

describe("collections changed by a statement", () => {
  itLiftsExactly(CASES);

  it("set() of a list of values is not followed (it dedupes and hashes them)", () => {
    const src = "def rule(event):\n    s = set([event.get(\"a\"), event.get(\"b\")])\n    return len(s) == 1\n";
    expect(liftSource(src).reasons).not.toEqual([]);
  });

  it("a name that is not held alone is not followed through append", () => {
    const src = "def rule(event):\n    a = []\n    b = a\n    a.append(event.get(\"x\"))\n    return len(b) == 1\n";
    expect(liftSource(src).reasons.map((r) => r.code)).toContain("opaque-mutation");
  });
});
