/**
 * KQL scalar values and the documented semantics of the operators and functions the evaluator
 * implements. Each function names its documentation page (learn.microsoft.com/kusto/query/...).
 * Anything outside what those pages state is refused (`Refusal`), never guessed.
 */
import type { Json } from '../../ast/types.js';
import { inNetwork, parseNetwork, V4_MAPPED, type Prefixed } from '../ip.js';
import { Refusal } from '../types.js';

/**
 * A typed KQL value (learn.microsoft.com/kusto/query/scalar-data-types/). `string` has no null
 * (scalar-data-types/null-values); the other types hold null for a missing value; `dynamic` holds any
 * JSON value (null = dynamic null, also what a missing property reads).
 */
export type KVal =
  | { t: 'string'; v: string }
  | { t: 'bool'; v: boolean | null }
  | { t: 'int' | 'long' | 'real'; v: number | null }
  /** milliseconds since the epoch */
  | { t: 'datetime'; v: number | null }
  /** milliseconds */
  | { t: 'timespan'; v: number | null }
  | { t: 'dynamic'; v: Json };

export const NULL_BOOL: KVal = { t: 'bool', v: null };
export const TRUE: KVal = { t: 'bool', v: true };
export const FALSE: KVal = { t: 'bool', v: false };
export const str = (v: string): KVal => ({ t: 'string', v });
export const bool = (v: boolean | null): KVal => ({ t: 'bool', v });
export const long = (v: number | null): KVal => ({ t: 'long', v });
export const real = (v: number | null): KVal => ({ t: 'real', v });
export const dyn = (v: Json | undefined): KVal => ({ t: 'dynamic', v: v === undefined ? null : v });

const isObj = (v: unknown): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A column value of the projection as a typed value. */
export function fromColumn(v: Json, type: string): KVal {
  switch (type) {
    case 'string':
      return str(typeof v === 'string' ? v : v === null ? '' : JSON.stringify(v));
    case 'bool':
      return bool(typeof v === 'boolean' ? v : null);
    case 'int':
    case 'long':
    case 'real':
      return { t: type, v: typeof v === 'number' ? v : null };
    case 'datetime':
      return { t: 'datetime', v: typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null };
    case 'dynamic':
      return dyn(v);
    default:
      throw new Refusal(`KQL column type ${type}`);
  }
}

export function isNullVal(x: KVal): boolean {
  return x.t !== 'string' && x.v === null;
}

/** A bool or dynamic bool as a three-valued boolean; anything else is refused. */
export function asBool(x: KVal, what: string): boolean | null {
  if (x.t === 'bool') return x.v;
  if (x.t === 'dynamic' && (typeof x.v === 'boolean' || x.v === null)) return x.v;
  throw new Refusal(`KQL ${what} on a ${typeName(x)} value`);
}

/** The runtime type name (gettype-function): string, int, long, real, bool, datetime, timespan, dictionary, array, null. */
export function gettype(x: KVal): string {
  // learn.microsoft.com/kusto/query/gettype-function: gettype(parse_json('1')) == "int",
  // gettype(parse_json('')) == "null", objects "dictionary", arrays "array"
  if (x.t !== 'dynamic') return x.t;
  const v = x.v;
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'real';
    return v >= -2147483648 && v <= 2147483647 ? 'int' : 'long';
  }
  return Array.isArray(v) ? 'array' : 'dictionary';
}

function typeName(x: KVal): string {
  return x.t === 'dynamic' ? `dynamic ${gettype(x)}` : x.t;
}

function numText(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const s = String(n);
  if (/e/i.test(s)) throw new Refusal('KQL tostring of a real in exponent notation');
  return s;
}

/** tostring (learn.microsoft.com/kusto/query/tostring-function): null → "", else the value's text. */
export function tostring(x: KVal): string {
  switch (x.t) {
    case 'string':
      return x.v;
    case 'bool':
      return x.v === null ? '' : x.v ? 'true' : 'false';
    case 'int':
    case 'long':
      return x.v === null ? '' : String(x.v);
    case 'real':
      return x.v === null ? '' : numText(x.v);
    case 'datetime':
    case 'timespan':
      if (x.v === null) return '';
      throw new Refusal(`KQL tostring of a ${x.t}`);
    case 'dynamic': {
      const v = x.v;
      if (v === null) return '';
      if (typeof v === 'string') return v;
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      if (typeof v === 'number') return numText(v);
      return JSON.stringify(v);
    }
  }
}

/** tobool (learn.microsoft.com/kusto/query/tobool-function): "true"/"false", numbers non-zero; else null. */
export function tobool(x: KVal): KVal {
  let v: Json | boolean | number | null;
  if (x.t === 'string' || x.t === 'dynamic' || x.t === 'bool' || x.t === 'int' || x.t === 'long' || x.t === 'real') v = x.v;
  else throw new Refusal(`KQL tobool of a ${x.t}`);
  if (v === null) return NULL_BOOL;
  if (typeof v === 'boolean') return bool(v);
  if (typeof v === 'number') return bool(v !== 0);
  if (typeof v === 'string') {
    if (v === 'true') return TRUE;
    if (v === 'false') return FALSE;
    if (v === '') return NULL_BOOL;
    throw new Refusal(`KQL tobool of the string ${JSON.stringify(v.slice(0, 20))} (not documented)`);
  }
  return NULL_BOOL; // arrays and property bags do not convert
}

const NUM_RE = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** toreal/todouble (learn.microsoft.com/kusto/query/toreal-function): numbers, numeric text; else null. */
export function toreal(x: KVal): KVal {
  if (x.t === 'int' || x.t === 'long' || x.t === 'real') return real(x.v);
  if (x.t === 'string' || x.t === 'dynamic') {
    const v = x.v;
    if (v === null || v === '') return real(null);
    if (typeof v === 'number') return real(v);
    if (typeof v === 'string') return real(NUM_RE.test(v) ? Number(v) : null);
    if (typeof v === 'boolean') throw new Refusal('KQL toreal of a bool (not documented)');
    return real(null);
  }
  if (x.t === 'bool') throw new Refusal('KQL toreal of a bool (not documented)');
  throw new Refusal(`KQL toreal of a ${x.t}`);
}

/** tolong (learn.microsoft.com/kusto/query/tolong-function): integers, integer text; else null. */
export function tolong(x: KVal): KVal {
  if (x.t === 'int' || x.t === 'long') return long(x.v);
  if (x.t === 'real') return long(x.v === null ? null : Math.trunc(x.v));
  if (x.t === 'string' || x.t === 'dynamic') {
    const v = x.v;
    if (v === null || v === '') return long(null);
    if (typeof v === 'number') return long(Math.trunc(v));
    if (typeof v === 'string') {
      if (/^\s*[+-]?\d+\s*$/.test(v)) return long(Number(v));
      if (NUM_RE.test(v)) throw new Refusal('KQL tolong of decimal text (not documented)');
      return long(null);
    }
    if (typeof v === 'boolean') throw new Refusal('KQL tolong of a bool (not documented)');
    return long(null);
  }
  throw new Refusal(`KQL tolong of a ${x.t}`);
}

/** A string operand of a string operator: strings, and dynamic values through tostring (null: ""). */
export function asString(x: KVal, op: string): string {
  if (x.t === 'string') return x.v;
  if (x.t === 'dynamic') {
    if (x.v === null || typeof x.v === 'string') return x.v ?? '';
    throw new Refusal(`KQL ${op} on a dynamic ${gettype(x)} value`);
  }
  throw new Refusal(`KQL ${op} on a ${x.t} value`);
}

/** ASCII-only case folding (datatypes-string-operators: case-insensitive operators fold ASCII only). */
export function foldAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** A comparable scalar: number, string, bool, or null; dynamic arrays/bags are refused. */
type Scalar = { k: 'num' | 'str' | 'bool' | 'time' | 'span'; v: number | string | boolean } | null;

function scalar(x: KVal, op: string): Scalar {
  switch (x.t) {
    case 'string':
      return { k: 'str', v: x.v };
    case 'bool':
      return x.v === null ? null : { k: 'bool', v: x.v };
    case 'int':
    case 'long':
    case 'real':
      return x.v === null ? null : { k: 'num', v: x.v };
    case 'datetime':
      return x.v === null ? null : { k: 'time', v: x.v };
    case 'timespan':
      return x.v === null ? null : { k: 'span', v: x.v };
    case 'dynamic': {
      const v = x.v;
      if (v === null) return null;
      if (typeof v === 'string') return { k: 'str', v };
      if (typeof v === 'number') return { k: 'num', v };
      if (typeof v === 'boolean') return { k: 'bool', v };
      throw new Refusal(`KQL ${op} on a dynamic ${Array.isArray(v) ? 'array' : 'property bag'}`);
    }
  }
}

/**
 * `==` / `!=` (learn.microsoft.com/kusto/query/scalar-data-types/null-values): two nulls give null;
 * a null and a non-null give false for `==` and true for `!=`. Values of different kinds (a string
 * and a number) are refused (a semantic error in KQL, or an undocumented dynamic conversion).
 * `ci`: `=~`/`!~`, ASCII-only case folding (datatypes-string-operators).
 */
export function equals(a: KVal, b: KVal, ci = false): boolean | null {
  const op = ci ? '=~' : '==';
  if (ci) {
    // =~ compares strings (datatypes-string-operators)
    return foldAscii(asString(a, op)) === foldAscii(asString(b, op));
  }
  const x = scalar(a, op);
  const y = scalar(b, op);
  if (x === null && y === null) return null;
  if (x === null || y === null) return false;
  if (x.k !== y.k) throw new Refusal(`KQL ${op} between a ${typeName(a)} and a ${typeName(b)}`);
  return x.v === y.v;
}

/** `<`, `<=`, `>`, `>=` on numbers, datetimes and timespans (null → null); other kinds refused. */
export function compare(a: KVal, b: KVal, op: string): boolean | null {
  const x = scalar(a, op);
  const y = scalar(b, op);
  if (x === null || y === null) return null;
  if (x.k !== y.k || x.k === 'str' || x.k === 'bool') throw new Refusal(`KQL ${op} between a ${typeName(a)} and a ${typeName(b)}`);
  const l = x.v as number;
  const r = y.v as number;
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}

/** Terms of a string for `has` (datatypes-string-operators: maximal sequences of alphanumeric characters). */
function hasTerm(hay: string, needle: string): boolean {
  if (/[^\x00-\x7f]/.test(hay) || /[^\x00-\x7f]/.test(needle)) throw new Refusal('KQL has on non-ASCII text (term boundaries not documented)');
  const h = foldAscii(hay);
  const n = foldAscii(needle);
  if (n === '') throw new Refusal('KQL has with an empty term');
  const alnum = (c: string | undefined) => c !== undefined && /[a-z0-9]/.test(c);
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) {
    const startOk = !alnum(n[0]) || !alnum(h[i - 1]);
    const endOk = !alnum(n[n.length - 1]) || !alnum(h[i + n.length]);
    if (startOk && endOk) return true;
  }
  return false;
}

/**
 * The string operators of learn.microsoft.com/kusto/query/datatypes-string-operators.
 * Case-insensitive forms fold ASCII only.
 */
export function stringOp(op: string, a: KVal, b: KVal): boolean {
  const neg = op.startsWith('!');
  const base = neg ? op.slice(1) : op;
  const cs = base.endsWith('_cs');
  const name = cs ? base.slice(0, -3) : base;
  let l = asString(a, op);
  let r = asString(b, op);
  if (!cs && name !== 'has') {
    l = foldAscii(l);
    r = foldAscii(r);
  }
  let res: boolean;
  switch (name) {
    case 'contains':
      res = l.includes(r);
      break;
    case 'startswith':
      res = l.startsWith(r);
      break;
    case 'endswith':
      res = l.endsWith(r);
      break;
    case 'has':
      if (cs) throw new Refusal('KQL has_cs');
      res = hasTerm(l, r);
      break;
    default:
      throw new Refusal(`KQL operator ${op}`);
  }
  return neg ? !res : res;
}

/** isempty (learn.microsoft.com/kusto/query/isempty-function): "" or null; `[]`/`{}` are not empty. */
export function isempty(x: KVal): boolean {
  if (x.t === 'string') return x.v === '';
  if (x.t === 'dynamic') return x.v === null || x.v === '';
  return x.v === null;
}

/** isnull (learn.microsoft.com/kusto/query/isnull-function): strings are never null. */
export function isnull(x: KVal): boolean {
  return isNullVal(x);
}

/** Member access on a dynamic value: `x.a`, `x["a"]` (exact, case-sensitive key), `x[i]` (negative from the end). */
export function access(x: KVal, key: string | number): KVal {
  if (x.t !== 'dynamic') throw new Refusal(`KQL member access on a ${x.t} value`);
  const v = x.v;
  if (typeof key === 'number') {
    if (!Array.isArray(v)) return dyn(null);
    const i = key < 0 ? v.length + key : key;
    return dyn(i >= 0 && i < v.length ? v[i]! : null);
  }
  if (!isObj(v)) return dyn(null);
  return dyn(Object.prototype.hasOwnProperty.call(v, key) ? v[key]! : null);
}

/** parse_json (learn.microsoft.com/kusto/query/parse-json-function): a string's JSON; a dynamic value as is. */
export function parseJson(x: KVal): KVal {
  if (x.t === 'dynamic') {
    if (typeof x.v !== 'string') return x;
    return parseJson(str(x.v));
  }
  if (x.t !== 'string') throw new Refusal(`KQL parse_json of a ${x.t}`);
  if (x.v === '') return dyn(null); // gettype(parse_json('')) == "null" (gettype-function)
  try {
    return dyn(JSON.parse(x.v) as Json);
  } catch {
    // "if json is of type string, but it isn't a properly formatted JSON string, then the returned
    // value is an object of type dynamic that holds the original string value" (parse-json-function);
    // properly formatted JSON read as RFC 8259 (JSON.parse), whitespace-only text included
    return dyn(x.v);
  }
}

/** ipv4_is_in_any_range / ipv6_is_in_any_range (learn.microsoft.com/kusto/query/ipv4-is-in-any-range-function, ipv6-is-in-any-range-function): null when the address does not parse. */
export function ipInAnyRange(v6: boolean, ip: string, ranges: string[]): boolean | null {
  const addr = kqlIp(v6, ip);
  if (!addr) return null;
  for (const r of ranges) {
    const net = kqlIp(v6, r);
    if (!net) return null;
    if (inNetwork(addr, { ...net, prefix: Math.min(net.prefix, addr.prefix) })) return true;
  }
  return false;
}

/**
 * An address or a range as these functions read it (the text by the shared `../ip.ts`): trimmed; an
 * optional `/prefix` on either, the shorter prefix of the two deciding; IPv4 parts with leading zeros
 * read as decimal; no zone. The ipv6 functions accept IPv4 text, read as IPv4-mapped IPv6
 * (::ffff:a.b.c.d, its prefix + 96).
 */
function kqlIp(v6: boolean, s: string): Prefixed | null {
  const n = parseNetwork(s.trim());
  if (!n || n.address.zone !== undefined) return null;
  if (!v6) return n.version === 4 ? n : null;
  return n.version === 4 ? { version: 6, value: V4_MAPPED.value | n.value, prefix: 96 + n.prefix } : n;
}
