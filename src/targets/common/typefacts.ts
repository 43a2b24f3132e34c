/**
 * Type tests a conjoined test already decides.
 *
 * A literal that holds says something of the types of the values it reads, in Python's own semantics:
 *
 * - `x.get("k", d) == "v"` (and every test on a value read through `x`) evaluates `x` and reads a key of
 *   it. Where `x` is not a mapping, a plain `.get()` raises (the rule errors: no alert) and Panther's
 *   `deep_get` reads its default, so the test reads the value its chain of defaults gives; where the test
 *   fails on that value (`"" == "v"`), a holding test says `x` is a mapping;
 * - `json.loads(x)` raises unless `x` is a str holding valid JSON: a holding test on a value read from
 *   `json.loads(x)` says `isinstance(x, str)` and that `x` is valid JSON;
 * - `x == "v"`, `x in ["a", "b"]`, `x.startswith("p")`, `re.search(p, x)` hold only on a str (`== 5`, `in
 *   [1, 2]` only on a number or a bool: `True == 1`).
 *
 * Inside an `and`, where the conjunction holds every literal of it holds, so an `isinstance(x, T)` or a JSON
 * validity test anywhere in a sibling (nested `and`/`or` too) is the constant those facts decide, and a
 * default of `x` that is not a mapping is never read where `x` is a mapping (`x` with and without it are the
 * same value there). Where the conjunction fails, it still fails: the fact-giving literal is unchanged in
 * what it decides (its own default dropped only where the chain reads `x` as a mapping, the same chain of
 * defaults otherwise). `instance_type = deep_get(e, "requestParameters", "instanceType", default="-")` then
 * `isinstance(instance_type, Mapping) and instance_type.get("value", "-") in TYPES` is the test on
 * `requestParameters.instanceType.value` alone, and `not isinstance(instance_type, Mapping) and
 * instance_type in TYPES` the membership alone: plain logic, exact on every target, so each target prints
 * a field where it printed a computed value and a type test it cannot express.
 *
 * Facts come only from literals that are not themselves type or validity tests (those are decided here,
 * and two must not justify each other: guards.ts `impliesType` handles them), and only on values that read
 * the event (an `any()` element is another value per element: quantifier bodies are left alone).
 * Checked against Python's evaluation in test/targets.typefacts.test.ts.
 */
import type { Json, PyType, Val } from '../../ast/types.js';
import type { Atom, Nnf } from './nnf.js';
import { atomValue, simplify, withAtomValue } from './nnf.js';
import { evalAtomOn } from './missing.js';

type Lit = Extract<Nnf, { k: 'lit' }>;

/**
 * The JSON types the rule's tests (or the mapping) show a value to hold ('string', 'dict', 'list', ...), null
 * where not known; `str` whether the target's string operators are false on its non-strings (`impliesStr`).
 */
export interface Shows {
  types(v: Val): ReadonlySet<string> | null;
  str(v: Val): boolean;
}
/** The JSON kinds a value can have (Python's `isinstance` groups them: bool is an int). */
type Kind = 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'none';
const OF_TYPE: Record<PyType, readonly Kind[]> = {
  str: ['str'],
  int: ['int', 'bool'],
  float: ['float'],
  bool: ['bool'],
  list: ['list'],
  dict: ['dict'],
  none: ['none'],
};

interface Facts {
  /** The kinds a value (by its key) may have where the conjunction holds. */
  kinds: Map<string, Set<Kind>>;
  /** The values known to be valid JSON text. */
  valid: Set<string>;
  /** The values known to be mappings, by key. */
  maps: Map<string, Val>;
}

/**
 * A value's key in the facts: its JSON text, made once per value object (values are never changed once built; the
 * same value is asked for by every literal reading it and every pass over the condition).
 */
const keys = new WeakMap<Val, string>();
const key = (v: Val): string => {
  let k = keys.get(v);
  if (k === undefined) keys.set(v, (k = JSON.stringify(v)));
  return k;
};
const ERR = Symbol('raises');
type Broken = Json | typeof ERR | undefined;

const isMap = (v: Json): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Does the value read the event (and no `any()` element)? */
function eventRooted(v: Val): boolean {
  switch (v.k) {
    case 'event':
      return true;
    case 'elem':
      return false;
    case 'lit':
      return true;
    case 'get':
      return eventRooted(v.obj) && (v.default === undefined || eventRooted(v.default));
    case 'index':
      return eventRooted(v.obj);
    case 'fn':
      return v.args.every(eventRooted);
  }
}

/**
 * The value the chain of `get` steps above `steps[j]` reads where `steps[j].obj` is not a mapping (every step
 * outside it reads the previous result): a step's default (or None) for `deep_get`, an error for a plain
 * `.get()`; undefined where it is not known (a default that is not a constant, a non-empty mapping default).
 */
function brokenAt(steps: Extract<Val, { k: 'get' }>[], j: number): Broken {
  const dflt = (s: Extract<Val, { k: 'get' }>): Json | undefined => (s.default === undefined ? null : s.default.k === 'lit' ? s.default.v : undefined);
  const first = steps[j]!;
  let cur: Broken = first.deep || first.safe ? dflt(first) : ERR;
  for (let i = j - 1; i >= 0; i--) {
    if (cur === ERR || cur === undefined) return cur;
    const s = steps[i]!;
    if (isMap(cur)) {
      // an empty mapping holds no key: the step reads its default; a non-empty one is not followed
      if (Object.keys(cur as object).length > 0) return undefined;
      cur = s.strict ? ERR : dflt(s);
    } else cur = s.deep || s.safe ? dflt(s) : ERR;
  }
  return cur;
}

/**
 * The literal's value where the chain it reads is broken (`v`: what Python's chain of defaults reads there),
 * as a target reads it: no target raises, it finds no value at the path, and its operator there is false
 * (negated: true); the printer makes the rest agree with Python's value on the default. So where Python
 * raises, a positive literal is false and a negated one true (undefined: not known).
 */
function litOn(l: Lit, v: Broken): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === ERR) return l.neg;
  if (l.strGuard && typeof v !== 'string') return l.neg;
  const r = evalAtomOn(l.atom, v, true);
  if (r === 'unknown') return undefined;
  if (r === 'error') return l.neg;
  return r !== l.neg;
}

/** The kinds of the value at key `k` narrowed to `kinds` (those it may already have, of them). */
function intersect(f: Facts, k: string, kinds: Iterable<Kind>): Set<Kind> {
  const cur = f.kinds.get(k);
  const next = new Set([...kinds].filter((x) => !cur || cur.has(x)));
  f.kinds.set(k, next);
  return next;
}

function narrow(f: Facts, v: Val, kinds: readonly Kind[]): void {
  const next = intersect(f, key(v), kinds);
  if (next.size === 1 && next.has('dict')) f.maps.set(key(v), v);
}

/** The kinds a holding literal leaves its value (its atom's own operator), or null when it says nothing. */
function atomKinds(a: Atom, neg: boolean, strGuard: boolean): readonly Kind[] | null {
  if (strGuard && !neg) return ['str'];
  if (neg) return null;
  const scalars = (xs: readonly Json[]): readonly Kind[] | null => {
    if (xs.length === 0) return null;
    if (xs.every((x) => typeof x === 'string')) return ['str'];
    if (xs.every((x) => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)))) return ['str', 'int', 'float', 'bool'];
    return null;
  };
  switch (a.k) {
    case 'cmp':
      return a.op === 'eq' && a.right.k === 'lit' ? scalars([a.right.v]) : null;
    case 'in':
      return scalars(a.list);
    case 'match':
      // `s in x` is also membership in a list or a mapping
      return a.kind === 'contains' && !a.ci ? null : ['str'];
    default:
      return null;
  }
}

/**
 * The facts a holding literal gives. Those of its own operator (a str) and of a json.loads() read only where
 * `impliesStr` says the target's operators are false on every value of the field that is no str: a target
 * reads the literal with its own operator, which may hold where Python's is false or raises (Sigma matches
 * a list element-wise, KQL's `tostring()` reads a number as text and `parse_json(tostring(x))` an object),
 * so the fact must hold wherever the target's literal does. A read below `x` (`x.k`) is a path no target
 * finds in a value that is no mapping (a string is not parsed, a list has no keys).
 */
function litFacts(l: Lit, f: Facts, shows: Shows): void {
  const a = l.atom;
  if (a.k === 'istype' || a.k === 'valid') return;
  const v = atomValue(a);
  if (!eventRooted(v)) return;
  const own = atomKinds(a, l.neg, !!l.strGuard);
  if (own && shows.str(v)) narrow(f, v, own);
  // the chain of steps the value reads: get steps down to the event or to json.loads(x)
  const steps: Extract<Val, { k: 'get' }>[] = [];
  let cur: Val = v;
  while (cur.k === 'get') {
    steps.push(cur);
    cur = cur.obj;
  }
  if (a.k === 'rel') return;
  steps.forEach((s, j) => {
    if (s.obj.k === 'event') return;
    // Logs Insights does not document an attribute read of a list: only where no test shows one there
    if (shows.types(s.obj)?.has('list') !== false) return;
    if (litOn(l, brokenAt(steps, j)) === false) narrow(f, s.obj, ['dict']);
  });
  // json.loads(x) raised nowhere: x is a str holding valid JSON, where the literal is false on what a target
  // reads when x holds none (no value at the path: Logs Insights' jsonParse() of other text is empty)
  const noDoc = steps.length ? litOn(l, brokenAt(steps, steps.length - 1)) : litOn(l, null);
  // only where the tests show x as text alone: what jsonParse() makes of a container is undocumented, and KQL's
  // parse_json(tostring(x)) reads an object's own JSON
  const text = cur.k === 'fn' && cur.fn === 'json' && cur.args.length === 1 ? shows.types(cur.args[0]!) : null;
  if (cur.k === 'fn' && text && text.size > 0 && [...text].every((t) => t === 'string' || t === 'null') && shows.str(cur.args[0]!) && noDoc === false) {
    narrow(f, cur.args[0]!, ['str']);
    f.valid.add(key(cur.args[0]!));
  }
}

/** Replace, in a value, each mapping-known `get` read with a default that is no mapping by the read without it. */
function stripDefaults(v: Val, f: Facts): Val {
  switch (v.k) {
    case 'get': {
      const obj = stripDefaults(v.obj, f);
      const known = f.maps.has(key(v)) && v.default !== undefined && v.default.k === 'lit' && !isMap(v.default.v);
      if (known) {
        const { default: _d, ...rest } = v;
        return { ...rest, obj };
      }
      return obj === v.obj ? v : { ...v, obj };
    }
    case 'index': {
      const obj = stripDefaults(v.obj, f);
      return obj === v.obj ? v : { ...v, obj };
    }
    case 'fn': {
      const args = v.args.map((x) => stripDefaults(x, f));
      return args.every((x, i) => x === v.args[i]) ? v : { ...v, args };
    }
    default:
      return v;
  }
}

/** The literal with the type or validity test decided (a constant), its mapping-known reads without defaults. */
function decide(n: Nnf, f: Facts): Nnf {
  switch (n.k) {
    case 'lit': {
      const a = n.atom;
      const v = atomValue(a);
      if (a.k === 'istype') {
        const ks = f.kinds.get(key(v));
        if (ks) {
          const of = OF_TYPE[a.type];
          if ([...ks].every((k) => of.includes(k))) return { k: 'const', v: !n.neg };
          if (![...ks].some((k) => of.includes(k))) return { k: 'const', v: n.neg };
        }
      }
      if (a.k === 'valid' && f.valid.has(key(v))) return { k: 'const', v: !n.neg };
      // valid JSON text is a str
      if (a.k === 'valid' && f.kinds.get(key(v)) && !f.kinds.get(key(v))!.has('str')) return { k: 'const', v: n.neg };
      if (f.maps.size === 0 || a.k === 'rel' || (a.k === 'cmp' && a.right.k !== 'lit')) return n;
      const s = stripDefaults(v, f);
      return s === v ? n : { ...n, atom: withAtomValue(a, s) };
    }
    case 'and':
    case 'or':
      return simplify({ k: n.k, args: n.args.map((x) => decide(x, f)) });
    default:
      return n;
  }
}

/** At most this many alternatives of facts are followed for one conjunction (a cross product of `or`s). */
const MAX_ALTERNATIVES = 16;

function copyFacts(f: Facts): Facts {
  return { kinds: new Map([...f.kinds].map(([k, v]) => [k, new Set(v)])), valid: new Set(f.valid), maps: new Map(f.maps) };
}

function mergeInto(f: Facts, g: Facts): void {
  for (const [k, ks] of g.kinds) intersect(f, k, ks);
  for (const v of g.valid) f.valid.add(v);
  for (const [k, v] of g.maps) f.maps.set(k, v);
}

const empty = (): Facts => ({ kinds: new Map(), valid: new Set(), maps: new Map() });

/**
 * What a holding condition says, as alternatives (one of them holds): a literal's facts; an `and` the
 * facts of all its operands together; an `or` one alternative per branch (a branch that says nothing makes
 * the `or` say nothing). Null: nothing known.
 */
function factsOf(n: Nnf, shows: Shows): Facts[] | null {
  // once per node and `shows` (dropImpliedTypes asks again of every operand at every enclosing conjunction);
  // the alternatives are only read: crossAll merges into copies
  let byNode = factsMemo.get(shows);
  if (!byNode) factsMemo.set(shows, (byNode = new WeakMap()));
  if (byNode.has(n)) return byNode.get(n) ?? null;
  const out = factsNow(n, shows);
  byNode.set(n, out);
  return out;
}
const factsMemo = new WeakMap<Shows, WeakMap<Nnf, Facts[] | null>>();

function factsNow(n: Nnf, shows: Shows): Facts[] | null {
  switch (n.k) {
    case 'lit': {
      const f = empty();
      litFacts(n, f, shows);
      return f.kinds.size || f.valid.size ? [f] : null;
    }
    case 'and':
      return crossAll(n.args.map((a) => factsOf(a, shows)));
    case 'or': {
      const out: Facts[] = [];
      for (const a of n.args) {
        const fs = factsOf(a, shows);
        if (!fs) return null;
        out.push(...fs);
      }
      return out.length <= MAX_ALTERNATIVES ? out : null;
    }
    default:
      return null;
  }
}

/** The alternatives of a conjunction of conditions (each null: says nothing). */
function crossAll(parts: (Facts[] | null)[]): Facts[] | null {
  let acc: Facts[] | null = null;
  for (const p of parts) {
    if (!p) continue;
    if (!acc) {
      acc = p.map(copyFacts);
      continue;
    }
    if (acc.length * p.length > MAX_ALTERNATIVES) continue;
    const next: Facts[] = [];
    for (const a of acc)
      for (const b of p) {
        const c = copyFacts(a);
        mergeInto(c, b);
        next.push(c);
      }
    acc = next;
  }
  return acc;
}

/**
 * Decide the type and validity tests their conjunctions imply (the header); bottom-up, one conjunction at a
 * time. An operand is decided by what the other operands say (a literal also by its own facts, which only
 * drop its reads' defaults: it is no type test), under every alternative alike.
 */
export function dropImpliedTypes(n: Nnf, shows: Shows): Nnf {
  switch (n.k) {
    case 'and':
    case 'or': {
      const args = n.args.map((a) => dropImpliedTypes(a, shows));
      if (n.k === 'or') return simplify({ k: 'or', args });
      const each = args.map((a) => factsOf(a, shows));
      if (each.every((f) => f === null)) return simplify({ k: 'and', args });
      const out = args.map((a, i) => {
        const alts = crossAll(each.map((f, j) => (j === i && a.k !== 'lit' ? null : f)));
        if (!alts) return a;
        const decided = alts.map((f) => decide(a, f));
        if (decided.length === 1) return decided[0]!;
        const first = JSON.stringify(decided[0]);
        return decided.every((d) => JSON.stringify(d) === first) ? decided[0]! : a;
      });
      return simplify({ k: 'and', args: out });
    }
    case 'quant':
      return { ...n, body: dropImpliedTypes(n.body, shows) };
    case 'lit':
    case 'const':
      return n;
  }
}
