/**
 * Differential tests of the Python lifter against real Python.
 *
 * test/fixtures/lifter/cases.json holds rule modules (`def rule(event)`), events, and for each event
 * what python3 (3.11) returned. The expectations were produced by a throw-away generator kept OUTSIDE
 * this repository (it is not needed to run the tests). For every case it:
 *   - wrote the module (and its `helpers`, plus `pyStubs` for modules the lifter must NOT see:
 *     stand-ins for a missing helper module and for panther_detection_helpers) to a temp folder,
 *     put the helpers folder on sys.path and imported the module fresh;
 *   - round-tripped every event through JSON (so Python saw exactly what the fixture stores) and
 *     wrapped it in a `dict` subclass modelling a Panther event: `__getitem__`, `get` and
 *     `__contains__` match a key exactly first, then case-insensitively (first key in insertion
 *     order); nested mappings are wrapped the same way; lists stay lists. Five cases
 *     (isinstance_dict_then_get, isinstance_list_any, isinstance_tuple_of_types, str_of_containers,
 *     loop_over_list_or_single) were recomputed with a model closer to panther_core's immutable
 *     containers: an object read from the event is a case-insensitive Mapping that is not a dict,
 *     a list a Sequence that is not a list (both wrapped again when read), so `isinstance(x, dict)`
 *     and `isinstance(x, list)` are False for values read from the event;
 *     `.deep_get(*keys, default=None)` is Panther's
 *     `reduce(lambda d, k: d.get(k, default) if isinstance(d, Mapping) else default, keys, event)`
 *     followed by `default if out is None else out`;
 *   - recorded `bool(rule(event))`, or False when rule() raised (a rule that raises gives no alert).
 *
 * For every case the rule is lifted through the real pipeline (liftFile on a temp YAML + .py):
 *   - `exact: true`: the lift has no reasons and agrees with Python on every event;
 *   - `exact: false`: the lift has reasons (opaque pieces) and is a superset: no event Python
 *     alerts on evaluates false. Each such case lists its `reasons` as `{code, line}` (the construct
 *     the lifter could not express and its line in the rule module, `rules/r.py`); the lift's reasons
 *     are exactly these (repetitions of one aside).
 * Disagreements that are bugs in src/ are listed in KNOWN_BUGS: the affected events are checked in
 * an `it.fails` test (it starts failing, i.e. passing, once the bug is fixed: then remove the entry).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Val } from '../src/ast/types.js';
import { evaluateRule } from '../src/ast/evaluate.js';
import { evalAll, liftSource, loadCases, type Case } from './fixtures/lifter/helpers.js';

const CASES = loadCases();

/**
 * Cases where the lifter (or the normaliser/evaluator it relies on) disagrees with Python.
 * `events`: indices of the disagreeing events (the others must still agree); absent: the whole case.
 */
const KNOWN_BUGS: Record<string, { why: string; events?: number[] }> = {
  // --- exceptions the lift drops (Python raises, so no alert; the lift alerts) ---
  exc_unused_subscript: { why: 'an unused `x = event["k"]` is dropped, so its KeyError is lost', events: [0] },
  exc_precomputed_lower_used_in_one_branch: { why: '`user = event.get("user").lower()` raises before the if; the lift only evaluates it in the branch that uses it', events: [0, 3] },
  exc_condition_same_branches: { why: 'an if whose branches return the same value collapses to that value, dropping the exception of its test', events: [0] },
  // --- case folding in normalize.ts ---
  // --- constants ---
  // --- operators ---
  // --- evaluator (Python semantics in JS) ---
};

function agreement(c: Case, cond: Pred, only?: Set<number>): { index: number; event: Json; python: boolean; lifted: boolean }[] {
  const got = evalAll(cond, c.events);
  const out: { index: number; event: Json; python: boolean; lifted: boolean }[] = [];
  c.events.forEach((event, index) => {
    if (only && !only.has(index)) return;
    out.push({ index, event, python: c.expected[index] as boolean, lifted: got[index] as boolean });
  });
  return out;
}

describe('differential corpus (expectations from python3)', () => {
  it('is well formed', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
    const names = new Set<string>();
    for (const c of CASES) {
      expect(names.has(c.name), c.name).toBe(false);
      names.add(c.name);
      expect(c.events.length, c.name).toBe(c.expected.length);
      expect(c.source, c.name).toMatch(/def rule\(event\)/);
      // an approximate case names what is approximate and where; an exact one has nothing to name
      if (c.exact) expect(c.reasons, c.name).toBeUndefined();
      else expect(c.reasons?.length, c.name).toBeGreaterThan(0);
    }
    for (const k of Object.keys(KNOWN_BUGS)) expect(names.has(k), k).toBe(true);
    // the corpus is not trivially one-sided
    const all = CASES.flatMap((c) => c.expected);
    expect(all.filter((x) => x).length).toBeGreaterThan(200);
    expect(all.filter((x) => !x).length).toBeGreaterThan(200);
  });

  for (const c of CASES) {
    const bug = KNOWN_BUGS[c.name];
    const title = `${c.exact ? 'exact' : 'approx'}: ${c.name}`;
    if (bug && !bug.events) {
      it.fails(`${title} [known bug: ${bug.why}]`, () => checkCase(c));
      continue;
    }
    it(title, () => checkCase(c, bug?.events ? new Set(bug.events) : undefined));
    if (bug?.events) {
      const idx = new Set(bug.events);
      it.fails(`${title} events ${bug.events.join(',')} [known bug: ${bug.why}]`, () => {
        const { condition } = liftSource(c.source, c.helpers);
        const rows = agreement(c, condition, idx);
        expect(rows.filter((r) => r.python !== r.lifted)).toEqual([]);
      });
    }
  }
});

function checkCase(c: Case, skip?: Set<number>): void {
  const { condition, reasons } = liftSource(c.source, c.helpers);
  const rows = agreement(c, condition).filter((r) => !skip?.has(r.index));
  if (c.exact) {
    expect(reasons.map((r) => `${r.code}: ${r.message}`)).toEqual([]);
    expect(rows.filter((r) => r.python !== r.lifted)).toEqual([]);
  } else {
    // the construct (code) and its file:line, as the case lists them
    const where = (r: { code: string; line: number; file?: string }): string => `${r.code} at ${r.file ?? 'rules/r.py'}:${r.line}`;
    const uniq = (xs: string[]): string[] => [...new Set(xs)].sort();
    expect(uniq(reasons.map(where))).toEqual(uniq((c.reasons ?? []).map(where)));
    for (const r of reasons) expect(r.code).toMatch(/^(opaque-|unsupported-)/);
    // a superset: every event Python alerts on is matched
    expect(rows.filter((r) => r.python && !r.lifted)).toEqual([]);
  }
}

// ---------------------------------------------------------------------------------------------
// Shapes of the lifted predicates

const ev: Val = { k: 'event' };
const get = (key: string, extra: Partial<Extract<Val, { k: 'get' }>> = {}, obj: Val = ev): Val => ({ k: 'get', obj, key, ...extra });
const lit = (v: Json): Val => ({ k: 'lit', v });

/** The predicate without the positions its atoms carry (tested on their own, below). */
function shape(p: Pred): Pred {
  return JSON.parse(JSON.stringify(p, (k, v: unknown) => (k === 'span' ? undefined : v))) as Pred;
}

function lifted(src: string, helpers?: Record<string, string>): Pred {
  const { condition, reasons } = liftSource(src, helpers);
  expect(reasons).toEqual([]);
  return shape(condition);
}

describe('lifted shapes', () => {
  it('event.get("x", "").lower() == "abc" is a case-insensitive cmp on x', () => {
    expect(lifted('def rule(event):\n    return event.get("x", "").lower() == "abc"\n')).toEqual({
      k: 'cmp',
      op: 'eq',
      left: get('x', { default: lit('') }),
      right: lit('abc'),
      ci: true,
    });
  });

  it('upper() against an upper-case constant folds the same way', () => {
    const p = lifted('def rule(event):\n    return event.get("x", "").upper() != "ROOT"\n');
    expect(p).toEqual({ k: 'cmp', op: 'ne', left: get('x', { default: lit('') }), right: lit('root'), ci: true, fold: 'upper' });
  });

  it('lower() in a constant set keeps only the reachable (lower-case) members', () => {
    const p = lifted('NAMES = {"root", "Admin"}\ndef rule(event):\n    return event.get("u", "").lower() in NAMES\n');
    expect(p).toEqual({ k: 'in', value: get('u', { default: lit('') }), list: ['root'], ci: true, hashed: true });
  });

  it('the KMS-style if-chain helper gives not(errorCode or errorMessage)', () => {
    const helper = [
      'def cloudtrail_success(event):',
      '    if event.get("errorCode", "") or event.get("errorMessage", ""):',
      '        return False',
      '    return True',
      '',
    ].join('\n');
    const src = ['from my_aws import cloudtrail_success', 'EVENTS = {"DisableKey", "ScheduleKeyDeletion"}', 'def rule(event):', '    return cloudtrail_success(event) and event.get("eventName") in EVENTS', ''].join('\n');
    expect(lifted(src, { my_aws: helper })).toEqual({
      k: 'and',
      args: [
        {
          k: 'not',
          arg: {
            k: 'or',
            args: [
              { k: 'truthy', value: get('errorCode', { default: lit('') }) },
              { k: 'truthy', value: get('errorMessage', { default: lit('') }) },
            ],
          },
        },
        { k: 'in', value: get('eventName'), list: ['DisableKey', 'ScheduleKeyDeletion'], hashed: true },
      ],
    });
  });

  it('any() over an event list becomes a quantifier over its elements', () => {
    const p = lifted('def rule(event):\n    return any(x.get("k") == "v" for x in event.get("list", []))\n');
    expect(p).toEqual({
      k: 'quant',
      q: 'any',
      list: get('list', { default: lit([]) }),
      pred: { k: 'cmp', op: 'eq', left: get('k', {}, { k: 'elem', depth: 0 }), right: lit('v') },
    });
  });

  it('a for loop over an event list with `return True` is the same quantifier', () => {
    const loop = lifted('def rule(event):\n    for x in event.get("list", []):\n        if x.get("k") == "v":\n            return True\n    return False\n');
    const gen = lifted('def rule(event):\n    return any(x.get("k") == "v" for x in event.get("list", []))\n');
    expect(loop).toEqual(gen);
  });

  it("Panther's reduce-based deep_get helper becomes a deep get chain with its default", () => {
    const helper = [
      'from collections.abc import Mapping',
      'from functools import reduce',
      'def deep_get(dictionary, *keys, default=None):',
      '    out = reduce(lambda d, key: d.get(key, default) if isinstance(d, Mapping) else default, keys, dictionary)',
      '    if out is None:',
      '        return default',
      '    return out',
      '',
    ].join('\n');
    const p = lifted('from my_base import deep_get\ndef rule(event):\n    return deep_get(event, "a", "b", default="") == "x"\n', { my_base: helper });
    expect(p).toEqual({
      k: 'cmp',
      op: 'eq',
      left: get('b', { deep: true, default: lit('') }, get('a', { deep: true })),
      right: lit('x'),
    });
    // and event.deep_get gives the same tree
    expect(lifted('def rule(event):\n    return event.deep_get("a", "b", default="") == "x"\n')).toEqual(p);
  });

  it('is None / is not None are exists tests', () => {
    expect(lifted('def rule(event):\n    return event.get("a") is None\n')).toEqual({ k: 'not', arg: { k: 'exists', value: get('a') } });
    expect(lifted('def rule(event):\n    return event.get("a") is not None\n')).toEqual({ k: 'exists', value: get('a') });
  });

  it('event["k"] is a strict get', () => {
    expect(lifted('def rule(event):\n    return event["k"] == 1\n')).toEqual({ k: 'cmp', op: 'eq', left: get('k', { strict: true }), right: lit(1) });
  });

  it('startswith with a tuple is an or of startswith matches', () => {
    expect(lifted('def rule(event):\n    return event.get("n", "").startswith(("Delete", "Put"))\n')).toEqual({
      k: 'or',
      args: [
        { k: 'match', kind: 'startswith', value: get('n', { default: lit('') }), pattern: 'Delete' },
        { k: 'match', kind: 'startswith', value: get('n', { default: lit('') }), pattern: 'Put' },
      ],
    });
  });

  it('substring tests are contains matches, re.* keep their anchor, fnmatch is a glob', () => {
    expect(lifted('def rule(event):\n    return "adm" in event.get("p", "")\n')).toEqual({ k: 'match', kind: 'contains', value: get('p', { default: lit('') }), pattern: 'adm' });
    expect(lifted('import re\ndef rule(event):\n    return re.match(r"a\\d", event.get("p", "")) is not None\n')).toEqual({
      k: 'match',
      kind: 'regex',
      value: get('p', { default: lit('') }),
      pattern: 'a\\d',
      anchor: 'match',
    });
    expect(lifted('import re\nP = re.compile("ab", re.IGNORECASE)\ndef rule(event):\n    return bool(P.fullmatch(event.get("p", "")))\n')).toEqual({
      k: 'match',
      kind: 'regex',
      value: get('p', { default: lit('') }),
      pattern: 'ab',
      anchor: 'fullmatch',
      ci: true,
    });
    expect(lifted('from fnmatch import fnmatch\ndef rule(event):\n    return fnmatch(event.get("p", ""), "*.exe")\n')).toEqual({
      k: 'match',
      kind: 'glob',
      value: get('p', { default: lit('') }),
      pattern: '*.exe',
    });
  });

  it('a constant dict lookup is a choice over its keys', () => {
    const p = lifted('M = {"a": "high", "b": "low"}\ndef rule(event):\n    return M.get(event.get("k"), "none") == "high"\n');
    const truth = (k: Json): boolean => evaluateRule(p, { k });
    expect([truth('a'), truth('b'), truth('c'), truth(null), truth('A')]).toEqual([true, false, false, false, false]);
  });

  it('approximate pieces carry a reason with a position and make the condition wider', () => {
    const { condition, reasons } = liftSource('def rule(event):\n    return event.get("a") == 1 and event.get("c", "zz") in "abc"\n');
    expect(reasons).toEqual([expect.objectContaining({ code: 'opaque-in-string', line: 2, direction: 'wider' })]);
    expect(evaluateRule(condition, { a: 1, c: 'q' })).toBe(true);
    expect(evaluateRule(condition, { a: 2, c: 'a' })).toBe(false);
  });

  it('stateful helpers are unsupported', () => {
    const { reasons } = liftSource('from panther_detection_helpers.caching import get_counter\ndef rule(event):\n    return get_counter("k") > 1\n');
    expect(reasons.map((r) => r.code)).toEqual(['unsupported-stateful']);
  });
});

// ---------------------------------------------------------------------------------------------
// Positions: every atom names the Python that produced it (a target that cannot express it says where)

/** Each atom and quantifier of a condition as `kind@file:line` (`kind@?` without a span), in order (repeated as often as the tree holds it). */
function located(p: Pred): string[] {
  switch (p.k) {
    case 'const':
      return [];
    case 'and':
    case 'or':
      return p.args.flatMap(located);
    case 'not':
      return located(p.arg);
    case 'quant':
      return [`quant@${p.span ? `${p.span.file}:${p.span.line}` : '?'}`, ...located(p.pred)];
    default:
      return [`${p.k}@${p.span ? `${p.span.file}:${p.span.line}` : '?'}`];
  }
}

describe('lifted atoms carry the file:line of their construct', () => {
  const at = (src: string, helpers?: Record<string, string>): string[] => {
    const { condition, reasons } = liftSource(src, helpers);
    expect(reasons).toEqual([]);
    return [...new Set(located(condition))];
  };
  it('comparisons, truthiness of if/not/and/or operands and of the returned value, membership, substrings', () => {
    const src = [
      'def rule(event):',
      '    if event.get("a") == 1:',
      '        return False',
      '    if not event.get("flag"):',
      '        return False',
      '    return event.get("b") in ("x", "y") and "adm" in event.get("s", "") and (event.get("c") or event.get("d"))',
      '',
    ].join('\n');
    expect(at(src)).toEqual(['cmp@rules/r.py:2', 'truthy@rules/r.py:4', 'in@rules/r.py:6', 'match@rules/r.py:6', 'truthy@rules/r.py:6']);
    expect(at('def rule(event):\n    x = event.get("x")\n    return x\n')).toEqual(['truthy@rules/r.py:3']);
  });
  it('a helper module\'s atoms name the helper file', () => {
    const helper = 'def is_admin(event):\n    return event.get("role") in ("admin", "root")\n';
    const src = 'from my_helpers import is_admin\ndef rule(event):\n    return is_admin(event) and event.get("x") is not None\n';
    expect(at(src, { my_helpers: helper })).toEqual(['in@global_helpers/my_helpers.py:2', 'exists@rules/r.py:3']);
  });
  it('quantifiers (any(), for loops) at their construct, their body at its own lines', () => {
    const gen = 'def rule(event):\n    return any(\n        x.get("k") == "v"\n        for x in event.get("l", []))\n';
    expect(at(gen)).toEqual(['quant@rules/r.py:2', 'cmp@rules/r.py:3']);
    const loop = 'def rule(event):\n    for x in event.get("l", []):\n        if x.get("k") == "v":\n            return True\n    return False\n';
    expect(at(loop)).toEqual(['quant@rules/r.py:2', 'cmp@rules/r.py:3']);
    expect(at('def rule(event):\n    return all(event.get("l", []))\n')).toEqual(['quant@rules/r.py:2', 'truthy@rules/r.py:2']);
  });
  it('isinstance, regexes, startswith, fnmatch, json.loads in a try, ip_address in a network', () => {
    const src = [
      'import re, json, ipaddress',
      'from fnmatch import fnmatch',
      'def rule(event):',
      '    if not isinstance(event.get("n"), str):',
      '        return False',
      '    if re.search(r"^a", event.get("n")) is None:',
      '        return False',
      '    if not event.get("p", "").startswith(("x", "y")) or fnmatch(event.get("f", ""), "*.exe"):',
      '        return False',
      '    try:',
      '        body = json.loads(event.get("body"))',
      '    except (TypeError, ValueError):',
      '        return False',
      '    return body.get("k") == 1',
      '',
    ].join('\n');
    const got = at(src);
    expect(got.filter((x) => x.startsWith('istype@') || x.startsWith('valid@')).every((x) => /:(4|11)$/.test(x)), got.join(' ')).toBe(true);
    expect(got).toContain('istype@rules/r.py:4');
    expect(got).toContain('match@rules/r.py:6');
    expect(got).toContain('match@rules/r.py:8');
    expect(got).toContain('valid@rules/r.py:11');
    expect(got).toContain('cmp@rules/r.py:14');
    expect(got.filter((x) => x.endsWith('@?'))).toEqual([]);
    // str(): the value is a str, so the int case (ipOfInt) does not arise and the lift is exact
    const ip = 'import ipaddress\nNET = ipaddress.ip_network("10.0.0.0/8")\ndef rule(event):\n    try:\n        return ipaddress.ip_address(str(event.get("ip"))) in NET\n    except ValueError:\n        return False\n';
    const ipAt = at(ip);
    expect(ipAt).toContain('cidr@rules/r.py:5');
    expect(ipAt.filter((x) => !x.endsWith(':5'))).toEqual([]);
  });
  it('ip_address() of a value that may be an int: an approximation naming the construct and line, never silently false', () => {
    // python3: ip_address(2130706433) is 127.0.0.1, ip_address(True) is 0.0.0.1, ip_address(167772161) in 10.0.0.0/8
    const src = (arg: string, use: string): string =>
      `import ipaddress\ndef rule(event):\n    try:\n        ip = ipaddress.ip_address(${arg})\n    except ValueError:\n        return False\n    return ${use}\n`;
    const codes = (s: string): string[] => liftSource(s).reasons.map((r) => `${r.code}@${r.line}`);
    for (const use of ['ip.is_private', 'ip.is_global', 'ip in ipaddress.ip_network("10.0.0.0/8")', 'True']) {
      const got = codes(src('event.get("ip")', use));
      expect(got, use).toContain('opaque-ip-int@4');
      if (use !== 'True') expect(got, use).toContain('opaque-ip-int@7');
      expect(liftSource(src('event.get("ip")', use)).reasons.every((r) => r.file === 'rules/r.py'), use).toBe(true);
      // a str-valued argument (str(), a str method, a split() element) never holds an int
      for (const arg of ['str(event.get("ip"))', 'event.get("ip", "").strip()', 'event.get("ip", "").split(",")[0]']) {
        expect(codes(src(arg, use)).filter((c) => c.startsWith('opaque-ip-int')), `${arg} ${use}`).toEqual([]);
      }
    }
    // the superset: an int Python reads as a private address still alerts; a str stays exact
    const priv = liftSource(src('event.get("ip")', 'ip.is_private'));
    expect(evaluateRule(priv.condition, { ip: 2130706433 })).toBe(true);
    expect(evaluateRule(priv.condition, { ip: '127.0.0.1' })).toBe(true);
    expect(evaluateRule(priv.condition, { ip: '8.8.8.8' })).toBe(false);
  });
  it('positions are not part of an atom\'s identity: one test written on two lines still merges', () => {
    const src = 'def rule(event):\n    if event.get("a") == 1:\n        return event.get("b") == 2\n    return event.get("a") == 1 and event.get("c") == 3\n';
    // the second a == 1 is known false where it is evaluated (the first is false there): it folds away
    expect(lifted(src)).toEqual(lifted('def rule(event):\n    return event.get("a") == 1 and event.get("b") == 2\n'));
  });
});

// ---------------------------------------------------------------------------------------------
// Robustness: one rule written many ways lifts to the same meaning

const STOP_VARIANTS: Record<string, string> = {
  and_set: `
STOP = {"DeleteTrail", "StopLogging"}
def rule(event):
    return event.get("eventSource") == "cloudtrail.amazonaws.com" and event.get("eventName") in STOP
`,
  if_chain_tuple: `
STOP = ("DeleteTrail", "StopLogging")
def rule(event):
    if event.get("eventSource") != "cloudtrail.amazonaws.com":
        return False
    if event.get("eventName") not in STOP:
        return False
    return True
`,
  renamed_list_locals: `
CLOUDTRAIL_STOP_DELETE_EVENTS = ["StopLogging", "DeleteTrail"]
SRC = "cloudtrail.amazonaws.com"
def rule(event):
    source = event.get("eventSource")
    name = event.get("eventName")
    if source == SRC and name in CLOUDTRAIL_STOP_DELETE_EVENTS:
        return True
    return False
`,
  or_of_eq: `
def rule(event):
    if event.get("eventSource") == "cloudtrail.amazonaws.com":
        return event.get("eventName") == "DeleteTrail" or event.get("eventName") == "StopLogging"
    return False
`,
  de_morgan: `
STOP = ["DeleteTrail", "StopLogging"]
def rule(event):
    return not (event.get("eventSource") != "cloudtrail.amazonaws.com" or event.get("eventName") not in STOP)
`,
  for_over_constants: `
STOP = ("DeleteTrail", "StopLogging")
def rule(event):
    for name in STOP:
        if event.get("eventName") == name and event.get("eventSource") == "cloudtrail.amazonaws.com":
            return True
    return False
`,
  any_over_constants: `
STOP = ["DeleteTrail", "StopLogging"]
def rule(event):
    return event.get("eventSource") == "cloudtrail.amazonaws.com" and any(event.get("eventName") == s for s in STOP)
`,
  ternary: `
STOP = {"DeleteTrail", "StopLogging"}
def rule(event):
    return event.get("eventName") in STOP if event.get("eventSource") == "cloudtrail.amazonaws.com" else False
`,
  flag_variable: `
STOP = {"DeleteTrail", "StopLogging"}
def rule(event):
    matched = False
    if event.get("eventSource") == "cloudtrail.amazonaws.com":
        if event.get("eventName") in STOP:
            matched = True
    return matched
`,
  helper_module: `
import trail_helpers
def rule(event):
    return trail_helpers.is_trail(event) and trail_helpers.stops(event.get("eventName"))
`,
};
const TRAIL_HELPERS = {
  trail_helpers: `
SOURCE = "cloudtrail.amazonaws.com"
STOPPING = frozenset(["StopLogging", "DeleteTrail"])
def is_trail(event):
    return event.get("eventSource", "") == SOURCE
def stops(name):
    if name is None:
        return False
    return name in STOPPING
`,
};

const CI_VARIANTS: Record<string, string> = {
  lower_eq: 'def rule(event):\n    return event.get("u", "").lower() == "admin"\n',
  upper_eq: 'def rule(event):\n    return event.get("u", "").upper() == "ADMIN"\n',
  casefold_in_set: 'A = {"admin"}\ndef rule(event):\n    return event.get("u", "").casefold() in A\n',
  lower_local: 'def rule(event):\n    u = event.get("u", "")\n    u = u.lower()\n    return u == "admin"\n',
  re_fullmatch_i: 'import re\ndef rule(event):\n    return re.fullmatch("admin", event.get("u", ""), re.IGNORECASE) is not None\n',
  re_compiled_i: 'import re\nP = re.compile(r"^admin$", re.I)\ndef rule(event):\n    return bool(P.search(event.get("u", "")))\n',
};

/** Small JSON values, including the troublesome ones (missing is handled by the record). */
function valueOf(...interesting: Json[]): fc.Arbitrary<Json> {
  return fc.oneof(
    { arbitrary: fc.constantFrom<Json>(...interesting), weight: 3 },
    { arbitrary: fc.constantFrom<Json>(null, '', 0, 1, true, false, [], {}), weight: 1 },
    { arbitrary: fc.string({ maxLength: 4 }), weight: 1 },
  );
}

describe('robustness: equivalent rules evaluate alike', () => {
  let stopCache: Record<string, Pred> | undefined;
  let ciCache: Record<string, Pred> | undefined;
  const stopVariants = (): Record<string, Pred> => (stopCache ??= Object.fromEntries(Object.entries(STOP_VARIANTS).map(([k, src]) => [k, lifted(src, TRAIL_HELPERS)])));
  const ciVariants = (): Record<string, Pred> => (ciCache ??= Object.fromEntries(Object.entries(CI_VARIANTS).map(([k, src]) => [k, lifted(src)])));

  it('every spelling of the CloudTrail stop rule matches on the corpus events', () => {
    const stop = stopVariants();
    const c = CASES.find((x) => x.name === 'robust_and') as Case;
    for (const [name, p] of Object.entries(stop)) expect(evalAll(p, c.events), name).toEqual(c.expected);
  });

  it('every spelling of the CloudTrail stop rule agrees on random events', () => {
    const stop = stopVariants();
    const event = fc.record(
      {
        eventSource: valueOf('cloudtrail.amazonaws.com', 'CLOUDTRAIL.amazonaws.com', 's3.amazonaws.com'),
        eventName: valueOf('DeleteTrail', 'StopLogging', 'stoplogging', ['DeleteTrail'], { StopLogging: 1 }),
        EVENTNAME: valueOf('DeleteTrail'),
      },
      { requiredKeys: [] },
    );
    const seen = { true: 0, false: 0 };
    fc.assert(
      fc.property(event, (e) => {
        const results = Object.entries(stop).map(([k, p]) => [k, evaluateRule(p, e as Json)] as const);
        const first = results[0]?.[1] as boolean;
        seen[`${first}`]++;
        return results.every(([, r]) => r === first);
      }),
      { seed: 20240611, numRuns: 1000 },
    );
    // not vacuous: both outcomes were exercised
    expect(seen.true).toBeGreaterThan(10);
    expect(seen.false).toBeGreaterThan(10);
  });

  it('case-insensitive spellings agree on random ASCII events', () => {
    const ci = ciVariants();
    const event = fc.record({ u: fc.oneof(valueOf('admin', 'ADMIN', 'Admin', 'admin ', 'adm'), fc.constantFrom('aDmIn', 'xadmin')) }, { requiredKeys: [] });
    const seen = { true: 0, false: 0 };
    fc.assert(
      fc.property(event, (e) => {
        const results = Object.values(ci).map((p) => evaluateRule(p, e as Json));
        seen[`${results[0] as boolean}`]++;
        return results.every((r) => r === results[0]);
      }),
      { seed: 7, numRuns: 1000 },
    );
    expect(seen.true).toBeGreaterThan(10);
    expect(seen.false).toBeGreaterThan(10);
    expect(Object.values(ci).map((p) => evaluateRule(p, { U: 'ADMIN' }))).toEqual(Object.values(ci).map(() => true));
  });
});
