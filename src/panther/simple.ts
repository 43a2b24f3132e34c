/**
 * Simple detections (`Detection:` YAML match expressions) and `InlineFilters`, lifted straight into
 * the neutral AST.
 *
 * The grammar: a list of match expressions is an implicit `All`; combinators `All`/`Any`/`OnlyOne`/
 * `None`; key specifiers `Key` (top-level), `KeyPath` (`a.b[2].c`, `a[*].b`), `DeepKey` (list of keys and
 * indices) and `Enrichment` (`p_enrichment.<Table>.<Selector>.<FieldPath>`); a `Condition` with a `Value`,
 * `Values` (IsIn, CIDR lists, or two key specifiers for a field-vs-field comparison) or `Expressions`
 * (list comprehensions).
 *
 * Semantic decisions (Panther's engine is closed; these follow its documentation, the match expressions
 * and unit tests in panther-analysis' history, and Python's behaviour where Panther is silent):
 * - A field is read like `deep_get`: a missing key, a null, or a step through a non-mapping reads as None.
 *   An index `[N]` out of range, or on a non-list, reads as None too.
 * - `[*]` in a path means "any element": the condition holds if it holds for the rest of the path read
 *   from some element of the list (a missing or non-list value has no elements).
 * - Every negative condition (`DoesNot…`, `IsNot…`, `…NotIn…`) is the exact complement of its positive
 *   counterpart, taken outside the `[*]` quantifier (so `a[*].b DoesNotContain x` means no element
 *   contains x).
 * - Conditions never raise: a value of the wrong type makes the condition false (Equals/IsIn compare with
 *   Python `==`; string conditions need a string; IsGreaterThan… need two numbers or two strings; IP
 *   conditions need a valid address).
 * - `Contains`: substring on a string, element membership on a list, key membership on a mapping; on a
 *   number/boolean (e.g. a `[*]` element) with a non-string Value it is equality.
 * - `Exists`/`IsNotNull` mean "the value is not None"; `IsNullOrEmpty` is None, "", [] or {}.
 * - `IsIPAddressPrivate`/`Public` follow Python's `ipaddress` `is_private`/`is_global`; the ranges CPython
 *   changed between versions are opaque.
 * - Anything not exactly expressible (`OnlyOneElement`, `CIDRContainsIPAddresses`, field-vs-field string
 *   matching, non-string Values for string conditions) is an `opaque` node with a reason.
 *
 * Every exported predicate has its opaque pieces already resolved (`assume`) for use as a positive
 * condition: AND it into a rule, don't negate it.
 */
import { locate, type Json, type OutputField, type Pred, type PyType, type Reason, type Span, type TitlePart, type Val } from '../ast/types.js';
import type { LoadedRule, YamlPos } from './load.js';
import { fail } from '../diagnostics.js';
import { and, assumeOpaque, FALSE, normalize, not, or, TRUE } from '../ast/normalize.js';
import { parseNet } from '../ast/ip.js';
import { ipClass, ipValid, IP_PATTERNS } from '../ast/ipclass.js';

export { IP_PATTERNS };
import { evalPred, PyError } from '../ast/evaluate.js';

export interface SimpleLift {
  condition: Pred;
  outputs: OutputField[];
  title?: TitlePart[];
  notes: Reason[];
  /** `GroupBy` key specifiers: the dedup/grouping key. */
  groupBy?: Val[];
  /** `DynamicSeverities`, in order: the first whose `when` holds gives the severity. */
  severities?: { severity: string; when: Pred }[];
}

/** Position of a nested YAML key path (as `LoadedRule.pos`). */
export type PosFn = (...keys: (string | number)[]) => YamlPos;

type Path = (string | number)[];

// ---------------------------------------------------------------------------------------------
// Conditions

type Kind =
  | { t: 'eq'; neg: boolean; ci: boolean }
  | { t: 'contains'; neg: boolean; ci: boolean }
  | { t: 'affix'; kind: 'startswith' | 'endswith'; neg: boolean; ci: boolean }
  | { t: 'order'; op: 'gt' | 'ge' | 'lt' | 'le' }
  | { t: 'in'; neg: boolean }
  | { t: 'null'; neg: boolean }
  | { t: 'nullOrEmpty'; neg: boolean }
  | { t: 'ip'; which: 'any' | 'v4' | 'v6' | 'public' | 'private' }
  | { t: 'cidr'; neg: boolean }
  | { t: 'cidrContains'; neg: boolean }
  | { t: 'const'; v: boolean }
  | { t: 'elements'; q: 'any' | 'all' | 'one' | 'none' };

const CONDITIONS: Record<string, Kind> = {
  Equals: { t: 'eq', neg: false, ci: false },
  DoesNotEqual: { t: 'eq', neg: true, ci: false },
  IEquals: { t: 'eq', neg: false, ci: true },
  IDoesNotEqual: { t: 'eq', neg: true, ci: true },
  Contains: { t: 'contains', neg: false, ci: false },
  DoesNotContain: { t: 'contains', neg: true, ci: false },
  IContains: { t: 'contains', neg: false, ci: true },
  IDoesNotContain: { t: 'contains', neg: true, ci: true },
  StartsWith: { t: 'affix', kind: 'startswith', neg: false, ci: false },
  DoesNotStartWith: { t: 'affix', kind: 'startswith', neg: true, ci: false },
  IStartsWith: { t: 'affix', kind: 'startswith', neg: false, ci: true },
  IDoesNotStartWith: { t: 'affix', kind: 'startswith', neg: true, ci: true },
  EndsWith: { t: 'affix', kind: 'endswith', neg: false, ci: false },
  DoesNotEndWith: { t: 'affix', kind: 'endswith', neg: true, ci: false },
  IEndsWith: { t: 'affix', kind: 'endswith', neg: false, ci: true },
  IDoesNotEndWith: { t: 'affix', kind: 'endswith', neg: true, ci: true },
  IsGreaterThan: { t: 'order', op: 'gt' },
  IsGreaterThanOrEqual: { t: 'order', op: 'ge' },
  IsGreaterThanOrEquals: { t: 'order', op: 'ge' },
  IsLessThan: { t: 'order', op: 'lt' },
  IsLessThanOrEqual: { t: 'order', op: 'le' },
  IsLessThanOrEquals: { t: 'order', op: 'le' },
  IsIn: { t: 'in', neg: false },
  IsNotIn: { t: 'in', neg: true },
  Exists: { t: 'null', neg: true },
  DoesNotExist: { t: 'null', neg: false },
  IsNull: { t: 'null', neg: false },
  IsNotNull: { t: 'null', neg: true },
  IsNullOrEmpty: { t: 'nullOrEmpty', neg: false },
  IsNotNullOrEmpty: { t: 'nullOrEmpty', neg: true },
  IsIPAddress: { t: 'ip', which: 'any' },
  IsIPv4Address: { t: 'ip', which: 'v4' },
  IsIPv6Address: { t: 'ip', which: 'v6' },
  IsIPAddressPublic: { t: 'ip', which: 'public' },
  IsIPAddressPrivate: { t: 'ip', which: 'private' },
  IsIPAddressInCIDR: { t: 'cidr', neg: false },
  IsIPAddressNotInCIDR: { t: 'cidr', neg: true },
  CIDRContainsIPAddresses: { t: 'cidrContains', neg: false },
  CIDRDoesNotContainIPAddresses: { t: 'cidrContains', neg: true },
  AlwaysTrue: { t: 'const', v: true },
  AlwaysFalse: { t: 'const', v: false },
  AnyElement: { t: 'elements', q: 'any' },
  AllElements: { t: 'elements', q: 'all' },
  OnlyOneElement: { t: 'elements', q: 'one' },
  NoElement: { t: 'elements', q: 'none' },
};

/** Every Condition name the lifter accepts. */
export const SUPPORTED_CONDITIONS: readonly string[] = Object.keys(CONDITIONS);

const COMBINATORS = ['All', 'Any', 'OnlyOne', 'None'] as const;
type Combinator = (typeof COMBINATORS)[number];
const KEY_SPECS = ['Key', 'KeyPath', 'DeepKey', 'Enrichment'] as const;
const LEAF_KEYS = new Set<string>([...KEY_SPECS, 'Condition', 'Value', 'Values', 'Expressions']);

// ---------------------------------------------------------------------------------------------
// Small AST builders

const lit = (v: Json): Val => ({ k: 'lit', v });
const get = (obj: Val, key: string): Val => ({ k: 'get', obj, key, deep: true });
const istype = (value: Val, type: PyType): Pred => ({ k: 'istype', value, type });
const isNum = (v: Val): Pred => or(istype(v, 'int'), istype(v, 'float'));

/** Does the predicate read the event (or a quantifier element)? */
function readsData(p: Pred): boolean {
  const val = (v: Val): boolean => {
    switch (v.k) {
      case 'event':
      case 'elem':
        return true;
      case 'lit':
        return false;
      case 'get':
        return val(v.obj) || (v.default ? val(v.default) : false);
      case 'index':
        return val(v.obj);
      case 'fn':
        return v.args.some(val);
    }
  };
  switch (p.k) {
    case 'const':
    case 'opaque':
      return false;
    case 'and':
    case 'or':
      return p.args.some(readsData);
    case 'not':
      return readsData(p.arg);
    case 'cmp':
      return val(p.left) || val(p.right);
    case 'quant':
      return val(p.list) || readsData(p.pred);
    default:
      return val(p.value);
  }
}

/** Fold a predicate over constants only (the value of a condition on a missing field). */
function fold(p: Pred): Pred {
  if (readsData(p)) return p;
  try {
    // constant whichever value its opaque pieces (if any) take
    const a = evalPred(setOpaque(p, true), { event: null, elems: [] });
    const b = evalPred(setOpaque(p, false), { event: null, elems: [] });
    return a === b ? { k: 'const', v: a } : p;
  } catch (e) {
    if (e instanceof PyError) return p;
    throw e;
  }
}

function setOpaque(p: Pred, v: boolean): Pred {
  switch (p.k) {
    case 'opaque':
      return { ...p, assume: v };
    case 'and':
    case 'or':
      return { k: p.k, args: p.args.map((a) => setOpaque(a, v)) };
    case 'not':
      return { k: 'not', arg: setOpaque(p.arg, v) };
    case 'quant':
      return { ...p, pred: setOpaque(p.pred, v) };
    default:
      return p;
  }
}


// ---------------------------------------------------------------------------------------------
// Key specifiers

/** A path step; `root` restarts from the event (Enrichment is event-rooted even inside a list comprehension). */
type Seg = { k: 'key'; key: string } | { k: 'index'; i: number } | { k: 'wild' } | { k: 'root' };

function parseKeyPath(s: string): Seg[] | null {
  if (s.trim() === '') return null;
  const segs: Seg[] = [];
  for (const part of s.split('.')) {
    // every part is a non-empty key with optional [N]/[*] suffixes (`a..b`, `.a`, `[0].a` are not key paths)
    const m = /^([^[\]]+)((?:\[(?:\*|\d+)\])*)$/.exec(part);
    if (!m) return null;
    const name = m[1] as string;
    const brackets = m[2] as string;
    segs.push({ k: 'key', key: name });
    for (const b of brackets.match(/\[(\*|\d+)\]/g) ?? []) {
      const inner = b.slice(1, -1);
      segs.push(inner === '*' ? { k: 'wild' } : { k: 'index', i: Number(inner) });
    }
  }
  return segs;
}

interface Ctx {
  file: string;
  pos: PosFn | null;
  /** Number of enclosing quantifiers (the depth a new quantifier's element gets). */
  depth: number;
  /** What keys resolve against: the event, or the element of a list comprehension. */
  base: Val;
  /** An exception here is the same as false (a positive, purely conjunctive position from the root). */
  safe: boolean;
}

function where(ctx: Ctx, at: Path): { file: string; line: number; col: number } {
  const p = ctx.pos ? ctx.pos(...at) : { line: 1, col: 1 };
  return { file: ctx.file, line: p.line, col: p.col };
}

function span(ctx: Ctx, at: Path): Span {
  return where(ctx, at);
}

function describePath(at: Path): string {
  return at.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || 'match expression';
}

function isMap(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** The key specifier of a mapping (Key/KeyPath/DeepKey/Enrichment), or null when it has none. */
function keySpec(node: Record<string, unknown>, at: Path, ctx: Ctx): Seg[] | null {
  const present = KEY_SPECS.filter((k) => node[k] !== undefined);
  if (present.length === 0) return null;
  if (present.length > 1) {
    fail('bad-match-expression', `${describePath(at)} has more than one key specifier (${present.join(', ')})`, where(ctx, [...at, present[1] as string]), 'use exactly one of Key, KeyPath, DeepKey');
  }
  const k = present[0] as (typeof KEY_SPECS)[number];
  const v = node[k];
  const here = where(ctx, [...at, k]);
  switch (k) {
    case 'Key':
      if (typeof v !== 'string' || v === '') fail('bad-key', `Key must be a non-empty string (the name of a top-level field)`, here);
      return [{ k: 'key', key: v }];
    case 'KeyPath': {
      const segs = typeof v === 'string' ? parseKeyPath(v) : null;
      if (!segs) {
        fail('bad-key', `KeyPath ${JSON.stringify(v)} is not a key path`, here, 'write dotted keys with optional [N] or [*] suffixes, e.g. `a.b[0].c` or `a[*].b`');
      }
      return segs;
    }
    case 'DeepKey': {
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => (typeof x === 'string' && x !== '') || (Number.isInteger(x) && (x as number) >= 0))) {
        fail('bad-key', 'DeepKey must be a non-empty list of keys (strings) and list indices (non-negative integers)', here);
      }
      return (v as (string | number)[]).map((x) => (typeof x === 'number' ? { k: 'index', i: x } : { k: 'key', key: x }));
    }
    case 'Enrichment': {
      const e = isMap(v) ? v : null;
      const ok = e && ['Table', 'Selector', 'FieldPath'].every((f) => typeof e[f] === 'string' && e[f] !== '');
      const rest = ok ? parseKeyPath(String((e as Record<string, unknown>).FieldPath)) : null;
      if (!ok || !rest) {
        fail('bad-key', 'Enrichment must be a mapping with Table, Selector and FieldPath (a key path)', here);
      }
      return [{ k: 'root' }, { k: 'key', key: 'p_enrichment' }, { k: 'key', key: String(e.Table) }, { k: 'key', key: String(e.Selector) }, ...rest];
    }
  }
}

/**
 * Read a path from `ctx.base` and build `body(value)`. `[*]` becomes `any` over the list; an index step
 * splits on whether the index exists (when it doesn't, the rest of the path reads as None).
 */
function withPath(ctx: Ctx, segs: Seg[], body: (v: Val, c: Ctx) => Pred): Pred {
  const absent = (i: number, c: Ctx): Pred => (segs.slice(i).some((s) => s.k === 'wild') ? FALSE : fold(body(lit(null), c)));
  const go = (cur: Val, i: number, c: Ctx): Pred => {
    if (i === segs.length) return body(cur, c);
    const s = segs[i] as Seg;
    if (s.k === 'root') return go({ k: 'event' }, i + 1, c);
    if (s.k === 'key') return go(get(cur, s.key), i + 1, c);
    if (s.k === 'index') {
      const hit = go({ k: 'index', obj: cur, index: s.i }, i + 1, c);
      const missing = absent(i + 1, c);
      const isList = istype(cur, 'list');
      // where an exception means false, an out-of-range index may raise when the condition is false anyway
      if (c.safe && missing.k === 'const' && !missing.v) return and(isList, hit);
      const ok = and(isList, { k: 'cmp', op: 'gt', left: { k: 'fn', fn: 'len', args: [cur] }, right: lit(s.i) });
      return or(and(ok, hit), and(not(ok), missing));
    }
    const inner = go({ k: 'elem', depth: c.depth }, i + 1, { ...c, depth: c.depth + 1, safe: false });
    return and(istype(cur, 'list'), { k: 'quant', q: 'any', list: cur, pred: inner });
  };
  return go(ctx.base, 0, ctx);
}

// ---------------------------------------------------------------------------------------------
// Match expressions

function opaque(ctx: Ctx, at: Path, code: string, reason: string): Pred {
  return { k: 'opaque', code, reason, span: span(ctx, at) };
}

/** A list of match expressions (implicit All), or a single one. */
function liftNode(node: unknown, at: Path, ctx: Ctx): Pred {
  if (Array.isArray(node)) return liftList(node, at, ctx, 'All');
  if (!isMap(node)) {
    fail('bad-match-expression', `${describePath(at)} is not a match expression (a mapping with a Condition, or a combinator)`, where(ctx, at), 'each item is `{KeyPath: ..., Condition: ..., Value: ...}` or `{All|Any|OnlyOne|None: [...]}`');
  }
  const comb = COMBINATORS.filter((c) => c in node);
  if (comb.length > 0) {
    const c = comb[0] as Combinator;
    const extra = Object.keys(node).filter((k) => k !== c);
    if (extra.length > 0) {
      fail('bad-match-expression', `the combinator ${c} cannot be combined with ${extra.join(', ')} in one expression`, where(ctx, [...at, extra[0] as string]), `put the expressions in the ${c} list, or in separate list items`);
    }
    const items = node[c];
    if (!Array.isArray(items)) fail('bad-match-expression', `${c} must be a list of match expressions`, where(ctx, [...at, c]));
    return liftList(items, [...at, c], ctx, c);
  }
  return liftLeaf(node, at, ctx);
}

function liftList(items: unknown[], at: Path, ctx: Ctx, comb: Combinator): Pred {
  // only All keeps the "exception is false" property for its children
  const child: Ctx = comb === 'All' ? ctx : { ...ctx, safe: false };
  const ps = items.map((x, i) => liftNode(x, [...at, i], child));
  switch (comb) {
    case 'All':
      return and(...ps);
    case 'Any':
      return or(...ps);
    case 'None':
      return not(or(...ps));
    case 'OnlyOne':
      return or(...ps.map((p, i) => and(p, ...ps.filter((_, j) => j !== i).map((q) => not(q)))));
  }
}

function scalar(x: unknown): x is string | number | boolean | null {
  return x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
}

/** A match expression with a Condition: its atoms are located at the Condition (a target's reason names that line). */
function liftLeaf(node: Record<string, unknown>, at: Path, ctx: Ctx): Pred {
  return locate(leaf(node, at, ctx), span(ctx, [...at, 'Condition']));
}

function leaf(node: Record<string, unknown>, at: Path, ctx: Ctx): Pred {
  const unknownKey = Object.keys(node).find((k) => !LEAF_KEYS.has(k));
  if (unknownKey !== undefined) {
    const near = [...LEAF_KEYS, ...COMBINATORS].find((k) => k.toLowerCase() === unknownKey.toLowerCase());
    fail('bad-match-expression', `unknown key '${unknownKey}' in ${describePath(at)}`, where(ctx, [...at, unknownKey]), near ? `keys are case-sensitive: did you mean '${near}'?` : `a match expression has a key specifier (${KEY_SPECS.join('/')}), Condition, and Value, Values or Expressions`);
  }
  const cname = node.Condition;
  if (cname === undefined) {
    fail('bad-match-expression', `${describePath(at)} has no Condition`, where(ctx, at), 'add `Condition: Equals` (or another condition), or use a combinator (All/Any/OnlyOne/None)');
  }
  if (typeof cname !== 'string') fail('unknown-condition', `Condition must be a name, got ${JSON.stringify(cname)}`, where(ctx, [...at, 'Condition']));
  const kind = Object.prototype.hasOwnProperty.call(CONDITIONS, cname) ? CONDITIONS[cname] : undefined;
  if (!kind) {
    const near = SUPPORTED_CONDITIONS.find((c) => c.toLowerCase() === cname.toLowerCase());
    fail('unknown-condition', `unknown Condition '${cname}'`, where(ctx, [...at, 'Condition']), near ? `condition names are case-sensitive: did you mean '${near}'?` : `supported conditions: ${SUPPORTED_CONDITIONS.join(', ')}`);
  }
  const has = (k: string): boolean => node[k] !== undefined;
  const condAt: Path = [...at, 'Condition'];
  if (kind.t === 'const') return kind.v ? TRUE : FALSE;

  const segs = keySpec(node, at, ctx);
  if (has('Expressions') && kind.t !== 'elements') {
    fail('bad-match-expression', `Expressions only go with AnyElement, AllElements, OnlyOneElement or NoElement, not ${cname}`, where(ctx, [...at, 'Expressions']));
  }

  // field-vs-field: no key specifier, Values are two key specifiers
  if (!segs) {
    const vs = node.Values;
    if (Array.isArray(vs) && vs.length > 0 && vs.every(isMap)) {
      if (vs.length !== 2) fail('bad-match-expression', `a multi-key expression compares exactly two keys; Values has ${vs.length}`, where(ctx, [...at, 'Values']));
      const a = keySpec(vs[0] as Record<string, unknown>, [...at, 'Values', 0], ctx);
      const b = keySpec(vs[1] as Record<string, unknown>, [...at, 'Values', 1], ctx);
      if (!a || !b) fail('bad-key', 'each item of a multi-key Values needs a key specifier (Key, KeyPath or DeepKey)', where(ctx, [...at, 'Values', a ? 1 : 0]));
      return multiKey(kind, cname, a, b, at, ctx);
    }
    fail('bad-match-expression', `${cname} needs a key specifier (Key, KeyPath or DeepKey)`, where(ctx, at), 'add `KeyPath: <field>`');
  }

  const needValue = (): Json => {
    if (has('Values') && !has('Value')) fail('bad-value', `${cname} takes a single Value, not Values`, where(ctx, [...at, 'Values']), 'use `Value: ...` (IsIn/IsNotIn take a list)');
    if (!('Value' in node)) fail('missing-value', `${cname} needs a Value`, where(ctx, condAt), 'add `Value: ...`');
    const v = node.Value;
    if (!scalar(v)) fail('bad-value', `the Value of ${cname} must be a string, number or boolean`, where(ctx, [...at, 'Value']));
    return v;
  };
  const noValue = (): void => {
    const k = ['Value', 'Values'].find(has);
    if (k) fail('bad-value', `${cname} takes no ${k}`, where(ctx, [...at, k]), `remove ${k}`);
  };

  switch (kind.t) {
    case 'eq':
    case 'contains':
    case 'affix':
    case 'order': {
      const x = needValue();
      return negIf(kind.t === 'order' ? false : kind.neg, (c) => withPath(c, segs, (v, c2) => valueCondition(kind, cname, v, x, at, c2)), ctx);
    }
    case 'in': {
      if (has('Value') && !has('Values')) fail('bad-value', `${cname} takes Values (a list), not Value`, where(ctx, [...at, 'Value']), 'write `Values: [a, b]`');
      const list = node.Values;
      if (!Array.isArray(list) || !list.every(scalar)) fail('missing-value', `${cname} needs Values: a list of strings, numbers or booleans`, where(ctx, has('Values') ? [...at, 'Values'] : condAt));
      return negIf(kind.neg, (c) => withPath(c, segs, (v) => ({ k: 'in', value: v, list: list as Json[] })), ctx);
    }
    case 'null':
      noValue();
      return negIf(!kind.neg, (c) => withPath(c, segs, (v) => ({ k: 'exists', value: v })), ctx);
    case 'nullOrEmpty':
      noValue();
      // falsy and not a number/bool: None, "", [] or {}
      return negIf(kind.neg, (c) => withPath(c, segs, (v) => and(not({ k: 'truthy', value: v }), not(istype(v, 'int')), not(istype(v, 'float')))), ctx);
    case 'ip':
      noValue();
      return withPath(ctx, segs, (v, c) => ipCondition(kind.which, v, at, c));
    case 'cidr': {
      const ranges = cidrList(node, cname, at, ctx);
      return negIf(kind.neg, (c) => withPath(c, segs, (v, c2) => {
        const fam = ranges.every((r) => !r.includes(':')) ? 'v4' : ranges.every((r) => r.includes(':')) ? 'v6' : 'any';
        const inRange: Pred = { k: 'cidr', value: v, ranges };
        return c2.safe ? inRange : and(ipValid(v, fam), inRange);
      }), ctx);
    }
    case 'cidrContains': {
      if (!has('Value') && !has('Values')) fail('missing-value', `${cname} needs Value or Values (IP addresses)`, where(ctx, condAt));
      return opaque(ctx, condAt, 'simple-condition', `${cname}: whether a CIDR held in the event must contain all or any of the listed addresses is not documented`);
    }
    case 'elements': {
      noValue();
      const exprs = node.Expressions;
      if (!Array.isArray(exprs)) fail('missing-value', `${cname} needs Expressions: a list of match expressions evaluated on each element`, where(ctx, has('Expressions') ? [...at, 'Expressions'] : condAt));
      if (kind.q === 'one') {
        // still validate the nested expressions
        liftList(exprs, [...at, 'Expressions'], { ...ctx, base: { k: 'elem', depth: ctx.depth }, depth: ctx.depth + 1, safe: false }, 'All');
        return opaque(ctx, condAt, 'simple-condition', 'OnlyOneElement needs to count matching list elements, which the AST cannot express');
      }
      return negIf(kind.q === 'none', (c) => withPath(c, segs, (v, c2) => {
        const inner = liftList(exprs, [...at, 'Expressions'], { ...c2, base: { k: 'elem', depth: c2.depth }, depth: c2.depth + 1, safe: false }, 'All');
        const isList = istype(v, 'list');
        // a missing or non-list value has no elements: any() is false, all() is true
        if (kind.q === 'all') return or(not(isList), { k: 'quant', q: 'all', list: v, pred: inner });
        return and(isList, { k: 'quant', q: 'any', list: v, pred: inner });
      }), ctx);
    }
  }
}

/** `not(build())` when `neg`; the negated body is no longer a safe (exception = false) position. */
function negIf(neg: boolean, build: (c: Ctx) => Pred, ctx: Ctx): Pred {
  return neg ? not(build({ ...ctx, safe: false })) : build(ctx);
}

function cidrList(node: Record<string, unknown>, cname: string, at: Path, ctx: Ctx): string[] {
  const raw = node.Values !== undefined ? node.Values : node.Value;
  const key = node.Values !== undefined ? 'Values' : 'Value';
  if (raw === undefined) fail('missing-value', `${cname} needs a Value (a CIDR) or Values (a list of CIDRs)`, where(ctx, [...at, 'Condition']));
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) fail('bad-value', `${cname} needs at least one CIDR`, where(ctx, [...at, key]));
  return list.map((r, i) => {
    if (typeof r !== 'string' || !parseNet(r.trim())) {
      fail('bad-cidr', `${JSON.stringify(r)} is not a CIDR network`, where(ctx, Array.isArray(raw) ? [...at, key, i] : [...at, key]), 'write e.g. 10.0.0.0/8 or 2001:db8::/32');
    }
    return r.trim();
  });
}

/** A positive key/value condition on one value. */
function valueCondition(kind: Extract<Kind, { t: 'eq' | 'contains' | 'affix' | 'order' }>, cname: string, v: Val, x: Json, at: Path, c: Ctx): Pred {
  const guard = (test: Pred, atom: Pred): Pred => (c.safe ? atom : and(test, atom));
  const condAt: Path = [...at, 'Condition'];
  switch (kind.t) {
    case 'eq':
      if (!kind.ci) return { k: 'cmp', op: 'eq', left: v, right: lit(x) };
      if (typeof x !== 'string') return opaque(c, condAt, 'simple-condition', `${cname} with a non-string Value (${JSON.stringify(x)}): Panther's case folding of non-strings is not documented`);
      return guard(istype(v, 'str'), { k: 'cmp', op: 'eq', left: v, right: lit(x.toLowerCase()), ci: true });
    case 'contains': {
      if (typeof x === 'string') {
        const pattern = kind.ci ? x.toLowerCase() : x;
        // case-insensitive: substring of a str, or a member of a list / key of a mapping, folded
        const atom: Pred = kind.ci
          ? or(
              and(istype(v, 'str'), { k: 'match', kind: 'contains', value: v, pattern, ci: true }),
              and(or(istype(v, 'list'), istype(v, 'dict')), { k: 'has', value: v, needle: pattern, ci: true }),
            )
          : { k: 'match', kind: 'contains', value: v, pattern };
        return guard(or(istype(v, 'str'), istype(v, 'list'), istype(v, 'dict')), atom);
      }
      if (kind.ci) return opaque(c, condAt, 'simple-condition', `${cname} with a non-string Value (${JSON.stringify(x)}): Panther's case folding of non-strings is not documented`);
      // a list holds the value, or a number/boolean (e.g. a [*] element) equals it
      return or(and(istype(v, 'list'), { k: 'has', value: v, needle: x }), and(isNum(v), { k: 'cmp', op: 'eq', left: v, right: lit(x) }));
    }
    case 'affix': {
      if (typeof x !== 'string') return opaque(c, condAt, 'simple-condition', `${cname} with a non-string Value (${JSON.stringify(x)}): Panther's conversion of the Value is not documented`);
      const pattern = kind.ci ? x.toLowerCase() : x;
      return guard(istype(v, 'str'), { k: 'match', kind: kind.kind, value: v, pattern, ...(kind.ci ? { ci: true } : {}) });
    }
    case 'order': {
      if (x === null) return FALSE;
      const test = typeof x === 'string' ? istype(v, 'str') : isNum(v);
      return guard(test, { k: 'cmp', op: kind.op, left: v, right: lit(x) });
    }
  }
}

function multiKey(kind: Kind, cname: string, a: Seg[], b: Seg[], at: Path, ctx: Ctx): Pred {
  const condAt: Path = [...at, 'Condition'];
  if (kind.t === 'eq' || kind.t === 'order') {
    const neg = kind.t === 'eq' && kind.neg;
    return negIf(neg, (c0) => withPath(c0, a, (l, c1) => withPath(c1, b, (r, c2) => {
      const guard = (test: Pred, atom: Pred): Pred => (c2.safe ? atom : and(test, atom));
      if (kind.t === 'eq') {
        if (!kind.ci) return { k: 'cmp', op: 'eq', left: l, right: r };
        return guard(and(istype(l, 'str'), istype(r, 'str')), { k: 'cmp', op: 'eq', left: l, right: r, ci: true });
      }
      const comparable = or(and(isNum(l), isNum(r)), and(istype(l, 'str'), istype(r, 'str')));
      return guard(comparable, { k: 'cmp', op: kind.op, left: l, right: r });
    })), ctx);
  }
  if (kind.t === 'contains' || kind.t === 'affix' || kind.t === 'in') {
    return opaque(ctx, condAt, 'simple-condition', `${cname} between two fields: the AST matches strings against literal patterns only`);
  }
  fail('bad-value', `${cname} does not compare two keys (Values is a list of key specifiers)`, where(ctx, [...at, 'Values']), 'multi-key expressions use Equals, DoesNotEqual, IEquals, IDoesNotEqual or IsGreaterThan/IsLessThan[OrEqual]');
}

function ipCondition(which: Extract<Kind, { t: 'ip' }>['which'], v: Val, at: Path, c: Ctx): Pred {
  if (which === 'any' || which === 'v4' || which === 'v6') return ipValid(v, which);
  return ipClass(v, which === 'private' ? 'is_private' : 'is_global', (reason) => opaque(c, [...at, 'Condition'], 'simple-ip-range', reason));
}

// ---------------------------------------------------------------------------------------------
// Public API

function rootCtx(file: string, pos: PosFn | null): Ctx {
  return { file, pos, depth: 0, base: { k: 'event' }, safe: true };
}

/** Simplify and give opaque pieces their superset value for a positive position. */
function finish(p: Pred): Pred {
  return assumeOpaque(normalize(p));
}

/**
 * Lift one match expression, or a list of them (implicit All), into a predicate on the event.
 * `at` is the YAML key path of `node` (for positions through `pos`); opaque pieces carry `assume`.
 */
export function liftMatchExpression(node: unknown, pos: PosFn | null, file: string, at: Path = []): Pred {
  return finish(liftNode(node, at, rootCtx(file, pos)));
}

/** Lift a rule's `InlineFilters` (Python or simple rule): null when there are none or they accept everything. */
export function liftInlineFilters(loaded: LoadedRule): Pred | null {
  const raw = loaded.raw.InlineFilters;
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) fail('bad-inline-filters', 'InlineFilters must be a list of match expressions', { file: loaded.file, ...loaded.pos('InlineFilters') });
  const p = finish(liftNode(raw, ['InlineFilters'], rootCtx(loaded.file, loaded.pos)));
  return p.k === 'const' && p.v ? null : p;
}

/** Lift a simple detection: its condition (without InlineFilters) and its outputs. */
export function liftSimpleDetection(loaded: LoadedRule): SimpleLift {
  const file = loaded.file;
  const ctx = rootCtx(file, loaded.pos);
  const det = loaded.detection;
  if (det === undefined || det === null || (Array.isArray(det) && det.length === 0)) {
    fail('bad-detection', 'Detection is empty', { file, ...loaded.pos('Detection') }, 'list at least one match expression under Detection');
  }
  const condition = finish(liftNode(det, ['Detection'], ctx));
  const notes: Reason[] = [];
  const out: SimpleLift = { condition, outputs: [], notes };
  const raw = loaded.raw;

  const note = (code: string, message: string, at: Path): void => {
    const w = where(ctx, at);
    notes.push({ code, message, file: w.file, line: w.line, col: w.col });
  };
  /** A key specifier as an output value; null (with a note) when it cannot be one. */
  const outputVal = (node: unknown, at: Path, what: string, code: string): Val | null => {
    if (!isMap(node)) fail('bad-output', `${what} must be a key specifier (Key, KeyPath or DeepKey)`, where(ctx, at));
    const segs = keySpec(node, at, ctx);
    if (!segs) fail('bad-output', `${what} needs a key specifier (Key, KeyPath or DeepKey)`, where(ctx, at));
    const v = segsVal(segs);
    if (!v) note(code, `${what} reads a [*] path, a list of values that an output field cannot hold; dropped`, at);
    return v;
  };

  if (raw.AlertTitle !== undefined && raw.AlertTitle !== null) {
    if (typeof raw.AlertTitle !== 'string') fail('bad-output', 'AlertTitle must be a string', where(ctx, ['AlertTitle']));
    out.title = titleParts(raw.AlertTitle, (msg) => note('output-title', msg, ['AlertTitle']));
  }

  if (raw.AlertContext !== undefined && raw.AlertContext !== null) {
    if (!Array.isArray(raw.AlertContext)) fail('bad-output', 'AlertContext must be a list of {KeyName, KeyValue}', where(ctx, ['AlertContext']));
    raw.AlertContext.forEach((item: unknown, i: number) => {
      const at: Path = ['AlertContext', i];
      if (!isMap(item) || typeof item.KeyName !== 'string' || item.KeyName === '' || item.KeyValue === undefined) {
        fail('bad-output', `AlertContext item ${i + 1} needs KeyName (a string) and KeyValue (a key specifier)`, where(ctx, at));
      }
      const v = outputVal(item.KeyValue, [...at, 'KeyValue'], `AlertContext '${item.KeyName}'`, 'output-alert-context');
      if (v) out.outputs.push({ name: item.KeyName, value: v, source: 'alert_context' });
    });
  }

  if (raw.GroupBy !== undefined && raw.GroupBy !== null) {
    if (!Array.isArray(raw.GroupBy)) fail('bad-output', 'GroupBy must be a list of key specifiers', where(ctx, ['GroupBy']));
    const groupBy: Val[] = [];
    raw.GroupBy.forEach((item: unknown, i: number) => {
      const v = outputVal(item, ['GroupBy', i], `GroupBy item ${i + 1}`, 'output-dedup');
      if (v) groupBy.push(v);
    });
    out.groupBy = groupBy;
  }

  if (raw.DynamicSeverities !== undefined && raw.DynamicSeverities !== null) {
    if (!Array.isArray(raw.DynamicSeverities)) fail('bad-output', 'DynamicSeverities must be a list of {ChangeTo, Conditions}', where(ctx, ['DynamicSeverities']));
    out.severities = raw.DynamicSeverities.map((item: unknown, i: number) => {
      const at: Path = ['DynamicSeverities', i];
      if (!isMap(item)) fail('bad-output', `DynamicSeverities item ${i + 1} must be {ChangeTo, Conditions}`, where(ctx, at));
      const sev = typeof item.ChangeTo === 'string' ? SEVERITIES.find((s) => s.toLowerCase() === String(item.ChangeTo).toLowerCase()) : undefined;
      if (!sev) fail('bad-severity', `ChangeTo ${JSON.stringify(item.ChangeTo)} is not one of ${SEVERITIES.join(', ')}`, where(ctx, [...at, 'ChangeTo']));
      if (!Array.isArray(item.Conditions)) fail('bad-output', `DynamicSeverities item ${i + 1} needs Conditions: a list of match expressions`, where(ctx, at));
      return { severity: sev, when: finish(liftNode(item.Conditions, [...at, 'Conditions'], ctx)) };
    });
  }
  return out;
}

const SEVERITIES = ['Info', 'Low', 'Medium', 'High', 'Critical'];

/** A path as an output value (index steps raise when out of range: an output then reads as missing). */
function segsVal(segs: Seg[]): Val | null {
  let v: Val = { k: 'event' };
  for (const s of segs) {
    if (s.k === 'wild') return null;
    if (s.k === 'root') v = { k: 'event' };
    else v = s.k === 'key' ? get(v, s.key) : { k: 'index', obj: v, index: s.i };
  }
  return v;
}

/** `"text {a.b} text"` → title parts. A placeholder that is not a usable key path stays literal text (noted). */
export function titleParts(template: string, onNote: (message: string) => void = () => undefined): TitlePart[] {
  const parts: TitlePart[] = [];
  const text = (t: string): void => {
    if (t === '') return;
    const last = parts[parts.length - 1];
    if (last && 'text' in last) last.text += t;
    else parts.push({ text: t });
  };
  let i = 0;
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    text(template.slice(i, m.index));
    i = (m.index as number) + m[0].length;
    const segs = parseKeyPath((m[1] as string).trim());
    const v = segs ? segsVal(segs) : null;
    if (v) parts.push({ value: v });
    else {
      onNote(`AlertTitle placeholder ${m[0]} ${segs ? 'reads a [*] path (a list of values)' : 'is not a key path'}; kept as text`);
      text(m[0]);
    }
  }
  text(template.slice(i));
  return parts;
}
