/**
 * re.findall() read for its emptiness (lift/builtins.ts regexFindall): findall lists every match, an empty
 * one included, so its list is empty exactly where re.search finds nothing; a subject that is not a str
 * raises TypeError (no alert). And `d[k] = v` on a dict an if/else left conditional (lift/flow.ts
 * withKey): set in each arm. And dict.get of a key that is not a str on a dict whose keys all are.
 * Expectations: `bool(rule(event))` (False when rule() raises) under python3 3.11 (the events as dicts
 * with Panther's deep_get).
 */
import { describe, expect, it } from "vitest";
import { liftSource, itLiftsExactly, type PyCase } from "./fixtures/lifter/helpers.js";

const CASES: PyCase[] = [
  {
    name: "len(re.findall(p, v)) > 0: re.search, TypeError where v is not a str",
    src: "import re\n\n\ndef rule(event):\n    return len(re.findall(r'ab+', event.get('s'))) > 0\n",
    events: [{"s":"xabb"},{"s":"xa"},{},{"s":5},{"s":["ab"]}],
    python: [true,false,false,false,false],
  },
  {
    name: "not re.findall(p, v): no match anywhere",
    src: "import re\n\n\ndef rule(event):\n    return not re.findall('^a', event.get('s'))\n",
    events: [{"s":"abc"},{"s":"bc"},{},{"s":""}],
    python: [false,true,false,true],
  },
  {
    name: "an empty match counts: len(re.findall(\"z*\", v)) == 0 never holds of a str",
    src: "import re\n\n\ndef rule(event):\n    return len(re.findall('z*', event.get('s'))) == 0\n",
    events: [{"s":"abc"},{"s":""},{}],
    python: [false,false,false],
  },
  {
    name: "a compiled pattern's findall, flags kept",
    src: "import re\n\nP = re.compile('adm', re.I)\n\n\ndef rule(event):\n    if P.findall(event.get('s', '')):\n        return event.get('t') != 'ok'\n    return False\n",
    events: [{"s":"ADMIN"},{"s":"ADMIN","t":"ok"},{"s":"user"},{},{"s":null}],
    python: [true,false,false,false,false],
  },
  {
    name: "re.findall with a flags argument",
    src: "import re\n\n\ndef rule(event):\n    return len(re.findall('a.c', event.get('s', ''), re.DOTALL)) >= 1\n",
    events: [{"s":"a\nc"},{"s":"abd"},{}],
    python: [true,false,false],
  },
  {
    name: "a dict set in the arms of two ifs, then read",
    src: "def ctx(event):\n    out = {}\n    if event.get('t') == 'a':\n        out['k'] = event.get('v')\n    if event.get('u') == 'b':\n        out['k2'] = 'y'\n    out['z'] = 1\n    return out\n\n\ndef rule(event):\n    c = ctx(event)\n    return c.get('k') == 'q' or (c.get('k2') == 'y' and c.get('z') == 1)\n",
    events: [{"t":"a","v":"q"},{"t":"b","v":"q"},{"u":"b"},{"t":"a","v":"r","u":"c"},{}],
    python: [true,false,true,false,false],
  },
  {
    name: "a key set in the arms of an if/elif, then set again from its own value",
    src: "def ctx(event):\n    out = {}\n    if event.get('t') == 'a':\n        out['k'] = 'x'\n    elif event.get('t') == 'b':\n        out['k'] = 'y'\n    out['k'] = out.get('k', 'none') + '!'\n    return out\n\n\ndef rule(event):\n    return ctx(event)['k'] in ('x!', 'none!')\n",
    events: [{"t":"a"},{"t":"b"},{},{"t":"c"}],
    python: [true,false,true,true],
  },
  {
    name: "dict.get of an int key on a dict with str keys: no key equals it",
    src: "def rule(event):\n    d = {'1': event.get('x')}\n    return d.get(1) is None\n",
    events: [{"x":"v"},{}],
    python: [true,true],
  },
  {
    name: "dict.get(None) on a dict with a \"None\" key: the default",
    src: "def rule(event):\n    d = {'None': event.get('x')}\n    return d.get(None, 'dflt') == 'dflt'\n",
    events: [{"x":"v"},{}],
    python: [true,true],
  },
];

describe("re.findall emptiness and dicts set in conditional arms", () => {
  itLiftsExactly(CASES);

  it("the items of re.findall are not read: indexing one is not exact", () => {
    const src = "import re\n\n\ndef rule(event):\n    return re.findall(\"(a)(b)\", event.get(\"s\", \"\"))[0] == \"a\"\n";
    expect(liftSource(src).reasons).not.toEqual([]);
  });

  it("a key set where one arm is not a dict: not followed", () => {
    const src = "def rule(event):\n    d = {} if event.get(\"a\") else None\n    d[\"k\"] = 1\n    return d.get(\"k\") == 1\n";
    expect(liftSource(src).reasons.map((r) => r.code)).toContain("opaque-statement");
  });
});
