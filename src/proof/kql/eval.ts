/**
 * The KQL subset the printer emits, read from its syntax tree (`parser.ts`; the node kinds of Kusto.Language) and compiled to closures:
 * a table or `union isfuzzy=true A, B`, then `where`, `extend`, `project` (kept for its computed
 * columns, never dropping any), `mv-apply` with a subquery, and a final `summarize` (the aggregation:
 * recorded, not evaluated; a `where` after it is the threshold), or a threshold's session windows
 * `sort | extend W = row_window_session(...) | summarize ...` (recorded alike, `describeSessions`).
 * Anything else is refused.
 */
import type { Json } from '../../ast/types.js';
import { compileTargetRegex } from '../regex.js';
import { Refusal } from '../types.js';
import { elements, excerpt, kind, member, must, nameText, parseKql, type KNode } from './syntax.js';
import {
  access,
  asBool,
  asString,
  bool,
  compare,
  dyn,
  equals,
  foldAscii,
  gettype,
  ipInAnyRange,
  isempty,
  isnull,
  long,
  NULL_BOOL,
  parseJson,
  real,
  str,
  stringOp,
  tobool,
  tolong,
  toreal,
  tostring,
  type KVal,
} from './values.js';

/** A row: column name → value. */
export type Row = Map<string, KVal>;
type Expr = (row: Row) => KVal;
type TableOp = (rows: Row[]) => Row[];

/** One source of a query: the tables it reads and the operators applied to their rows. */
export interface Branch {
  tables: string[];
  ops: TableOp[];
}

/**
 * A compiled query: its sources (a table, `union` of tables, or `union` of parenthesized queries, each a
 * branch), the per-event operators after them, and the aggregation it states.
 */
export interface CompiledQuery {
  /** Every table the query reads. */
  tables: string[];
  /** The rows the query keeps, given the rows each table holds for the event. */
  run(rowsOf: (tables: string[]) => Row[]): Row[];
  aggregation?: string;
}

const bare = (x: boolean | null): KVal => bool(x);

/** Three-valued `and`/`or` (learn.microsoft.com/kusto/query/logical-operators; nulls per scalar-data-types/null-values). */
function and3(a: boolean | null, b: () => boolean | null): boolean | null {
  if (a === false) return false;
  const r = b();
  if (r === false) return false;
  return a === null || r === null ? null : true;
}
function or3(a: boolean | null, b: () => boolean | null): boolean | null {
  if (a === true) return true;
  const r = b();
  if (r === true) return true;
  return a === null || r === null ? null : false;
}

function timespanMs(text: string): number {
  // learn.microsoft.com/kusto/query/scalar-data-types/timespan: 2d, 1.5h, 30m, 10s, 100ms, 10microsecond, 1tick
  const m = /^(\d+(?:\.\d+)?)(d|h|m|s|ms)$/.exec(text.trim());
  if (!m) throw new Refusal(`KQL timespan literal ${text}`);
  const n = Number(m[1]);
  const unit: Record<string, number> = { d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1 };
  return n * unit[m[2]!]!;
}

/** A constant JSON value of a `dynamic(...)` literal (learn.microsoft.com/kusto/query/scalar-data-types/dynamic). */
function jsonLiteral(n: KNode): Json {
  switch (kind(n)) {
    case 'JsonArrayExpression':
      return elements(member(n, 'Values')).map(jsonLiteral);
    case 'JsonObjectExpression': {
      const o: Record<string, Json> = {};
      for (const p of elements(member(n, 'Pairs'))) {
        const name = must(p, 'Name');
        const key = name.IsToken ? name.Text : name.ToString().trim();
        const k = /^["']/.test(key) ? (JSON.parse(key.startsWith("'") ? `"${key.slice(1, -1).replace(/"/g, '\\"')}"` : key) as string) : key;
        o[k] = jsonLiteral(must(p, 'Value'));
      }
      return o;
    }
    case 'NullLiteralExpression':
      return null;
    case 'StringLiteralExpression':
    case 'BooleanLiteralExpression':
    case 'LongLiteralExpression':
    case 'IntLiteralExpression':
    case 'RealLiteralExpression':
    case 'UnaryMinusExpression': {
      const v = literal(n);
      if (v.t === 'datetime' || v.t === 'timespan') throw new Refusal(`KQL ${v.t} inside dynamic()`);
      return v.v as Json;
    }
    default:
      throw new Refusal(`KQL dynamic literal element ${kind(n)}`);
  }
}

function numberToken(n: KNode): number {
  const whole = n.ToString().trim();
  // a typed literal, `real(1.5)`, `long(-3)`, `real(1e-7)` (learn.microsoft.com/kusto/query/scalar-data-types/real,
  // /long): its number, signed; nan and the infinities are refused
  const typed = /^(?:real|double|long|int)\(\s*([+-]?)(.*?)\s*\)$/.exec(whole);
  const text = typed ? typed[2]! : whole;
  if (!/^\d+(\.\d*)?([eE][+-]?\d+)?$|^\.\d+([eE][+-]?\d+)?$/.test(text)) throw new Refusal(`KQL number literal ${whole}`);
  return typed?.[1] === '-' ? -Number(text) : Number(text);
}

/** A literal's value (string literals decoded by the reader as Kusto.Language decodes them: "..." with escapes, '...', @"...", h"...", concatenations). */
function literal(n: KNode): KVal {
  // typed null literals T(null) (learn.microsoft.com/kusto/query/scalar-data-types/null-values)
  const typedNull = /^(bool|boolean|int|long|real|double|datetime|timespan|dynamic)\(\s*null\s*\)$/.exec(n.ToString().trim());
  if (typedNull) {
    const t = ({ boolean: 'bool', double: 'real' } as Record<string, string>)[typedNull[1]!] ?? typedNull[1]!;
    return t === 'dynamic' ? dyn(null) : ({ t, v: null } as KVal);
  }
  switch (kind(n)) {
    case 'StringLiteralExpression':
    case 'CompoundStringLiteralExpression': {
      const v = n.LiteralValue;
      if (typeof v !== 'string') throw new Refusal(`KQL string literal ${excerpt(n)}`);
      return str(v);
    }
    case 'BooleanLiteralExpression': {
      const t = n.ToString().trim().toLowerCase();
      if (t !== 'true' && t !== 'false') throw new Refusal(`KQL bool literal ${t}`);
      return bool(t === 'true');
    }
    case 'LongLiteralExpression':
      return long(numberToken(n));
    case 'IntLiteralExpression':
      return { t: 'int', v: numberToken(n) };
    case 'RealLiteralExpression':
      return real(numberToken(n));
    case 'TimespanLiteralExpression':
      return { t: 'timespan', v: timespanMs(n.ToString()) };
    case 'UnaryMinusExpression': {
      const v = literal(must(n, 'Expression'));
      if ((v.t === 'long' || v.t === 'int' || v.t === 'real') && v.v !== null) return { t: v.t, v: -v.v };
      throw new Refusal(`KQL unary minus on ${excerpt(n)}`);
    }
    case 'ParenthesizedExpression':
      return literal(must(n, 'Expression'));
    default:
      throw new Refusal(`KQL literal ${kind(n)}`);
  }
}

const STRING_OPS = new Set([
  'contains',
  '!contains',
  'contains_cs',
  '!contains_cs',
  'startswith',
  '!startswith',
  'startswith_cs',
  '!startswith_cs',
  'endswith',
  '!endswith',
  'endswith_cs',
  '!endswith_cs',
  'has',
  '!has',
]);

interface Scope {
  /** Regex cache by pattern. */
  regexes: Map<string, { test(s: string): boolean }>;
  /** Functions the query declares (`let f = (v: dynamic) { ... };`), by name. */
  functions?: Map<string, { params: string[]; lets: { name: string; expr: KNode }[]; body: KNode }>;
  /** Inside a function body: its parameters, bound to the arguments of the call. */
  bindings?: Map<string, Expr>;
}

function args(n: KNode): KNode[] {
  return elements(member(must(n, 'ArgumentList'), 'Expressions'));
}

function arity(name: string, a: unknown[], min: number, max = min): void {
  if (a.length < min || a.length > max) throw new Refusal(`KQL ${name}() with ${a.length} arguments`);
}

function constString(n: KNode, what: string): string {
  const v = literal(n);
  if (v.t !== 'string') throw new Refusal(`KQL ${what} that is not a string literal`);
  return v.v;
}

/** Compile a scalar expression. */
function expr(n: KNode, scope: Scope): Expr {
  const k = kind(n);
  switch (k) {
    case 'NameReference': {
      const name = nameText(n);
      const bound = scope.bindings?.get(name);
      if (bound) return bound;
      return (row) => {
        const v = row.get(name);
        if (v === undefined) throw new Refusal(`KQL column ${name} (not in the table)`);
        return v;
      };
    }
    case 'BracketedExpression':
      return expr(must(n, 'Expression'), scope);
    case 'ParenthesizedExpression':
      return expr(must(n, 'Expression'), scope);
    case 'StringLiteralExpression':
    case 'CompoundStringLiteralExpression':
    case 'BooleanLiteralExpression':
    case 'LongLiteralExpression':
    case 'IntLiteralExpression':
    case 'RealLiteralExpression':
    case 'TimespanLiteralExpression':
    case 'NullLiteralExpression': {
      const v = literal(n);
      return () => v;
    }
    case 'UnaryMinusExpression': {
      const inner = expr(must(n, 'Expression'), scope);
      return (row) => {
        const v = inner(row);
        if (v.t === 'long' || v.t === 'int' || v.t === 'real') return { t: v.t, v: v.v === null ? null : -v.v };
        throw new Refusal(`KQL unary minus on a ${v.t}`);
      };
    }
    case 'DynamicExpression': {
      const v = dyn(jsonLiteral(must(n, 'Expression')));
      return () => v;
    }
    case 'PathExpression': {
      // dynamic member access x.a (learn.microsoft.com/kusto/query/scalar-data-types/dynamic#dynamic-object-accessors)
      const base = expr(must(n, 'Expression'), scope);
      const sel = must(n, 'Selector');
      const key = kind(sel) === 'BracketedName' ? nameText(sel) : nameText(sel);
      return (row) => access(base(row), key);
    }
    case 'ElementExpression': {
      // x["a"], x[0] (dynamic accessors; a negative index counts from the end: array-functions / dynamic)
      const base = expr(must(n, 'Expression'), scope);
      const sel = must(must(n, 'Selector'), 'Expression');
      const key = literal(sel);
      let k2: string | number;
      if (key.t === 'string') k2 = key.v;
      else if ((key.t === 'long' || key.t === 'int') && key.v !== null) k2 = key.v;
      else throw new Refusal(`KQL element access with ${excerpt(sel)}`);
      return (row) => access(base(row), k2);
    }
    case 'AndExpression':
    case 'OrExpression': {
      const l = expr(must(n, 'Left'), scope);
      const r = expr(must(n, 'Right'), scope);
      const isAnd = k === 'AndExpression';
      return (row) => {
        const a = asBool(l(row), isAnd ? 'and' : 'or');
        const next = () => asBool(r(row), isAnd ? 'and' : 'or');
        return bare(isAnd ? and3(a, next) : or3(a, next));
      };
    }
    case 'InExpression':
    case 'InCsExpression':
    case 'NotInExpression':
    case 'NotInCsExpression':
      return inExpr(n, scope);
    case 'BetweenExpression':
    case 'NotBetweenExpression': {
      // learn.microsoft.com/kusto/query/between-operator: inclusive range
      const l = expr(must(n, 'Left'), scope);
      const couple = must(n, 'Right');
      const lo = expr(must(couple, 'First'), scope);
      const hi = expr(must(couple, 'Second'), scope);
      const neg = k === 'NotBetweenExpression';
      return (row) => {
        const v = l(row);
        const a = compare(v, lo(row), '>=');
        const b = compare(v, hi(row), '<=');
        const r = and3(a, () => b);
        return bare(neg ? (r === null ? null : !r) : r);
      };
    }
    case 'FunctionCallExpression':
      return call(n, scope);
    default:
      break;
  }
  const op = member(n, 'Operator');
  const left = member(n, 'Left');
  const right = member(n, 'Right');
  if (op && left && right) {
    const text = op.Text.replace(/\s+/g, ' ');
    const l = expr(left, scope);
    switch (text) {
      case '==':
      case '!=': {
        // learn.microsoft.com/kusto/query/scalar-data-types/null-values (null equality)
        const r = expr(right, scope);
        return (row) => {
          const a = l(row);
          const b = r(row);
          const nullA = isnull(a);
          const nullB = isnull(b);
          if (nullA && nullB) return NULL_BOOL;
          if (nullA || nullB) return bool(text === '!=');
          const e = equals(a, b);
          return bare(e === null ? null : text === '==' ? e : !e);
        };
      }
      case '=~':
      case '!~': {
        // learn.microsoft.com/kusto/query/datatypes-string-operators: case-insensitive (ASCII) equality
        const r = expr(right, scope);
        return (row) => {
          const e = equals(l(row), r(row), true);
          return bare(e === null ? null : text === '=~' ? e : !e);
        };
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const r = expr(right, scope);
        return (row) => bare(compare(l(row), r(row), text));
      }
      case 'matches regex': {
        // learn.microsoft.com/kusto/query/matches-regex-operator: RE2, case-sensitive, unanchored search
        const pattern = constString(right, 'matches regex pattern');
        let re = scope.regexes.get(pattern);
        if (!re) {
          re = compileTargetRegex(pattern, 're2');
          scope.regexes.set(pattern, re);
        }
        const rx = re;
        return (row) => bool(rx.test(asString(l(row), 'matches regex')));
      }
      default:
        if (STRING_OPS.has(text)) {
          // learn.microsoft.com/kusto/query/datatypes-string-operators (contains, startswith, endswith, has; _cs; negations)
          const r = expr(right, scope);
          return (row) => bool(stringOp(text, l(row), r(row)));
        }
        throw new Refusal(`KQL operator ${text}`);
    }
  }
  throw new Refusal(`KQL expression ${k} (${excerpt(n)})`);
}

/**
 * `in`, `!in` (case-sensitive), `in~`, `!in~` (case-insensitive, ASCII): learn.microsoft.com/kusto/query/in-operator,
 * in-cs-operator. A dynamic array in the list contributes its elements. Membership is equality with
 * one of the values (null equals nothing: `in` false, `!in` true, as `==`/`!=` with a null).
 */
function inExpr(n: KNode, scope: Scope): Expr {
  const op = must(n, 'Operator').Text;
  const l = expr(must(n, 'Left'), scope);
  const items = elements(member(must(n, 'Right'), 'Expressions')).map((e) => expr(e, scope));
  const neg = op.startsWith('!');
  const ci = op.endsWith('~');
  return (row) => {
    const v = l(row);
    const vals: KVal[] = [];
    for (const it of items) {
      const x = it(row);
      if (x.t === 'dynamic' && Array.isArray(x.v)) for (const e of x.v) vals.push(dyn(e));
      else vals.push(x);
    }
    let found = false;
    for (const x of vals) {
      if (ci) {
        if (foldAscii(asString(v, op)) === foldAscii(asString(x, op))) found = true;
      } else if (!isnull(v) && !isnull(x) && equals(v, x) === true) found = true;
      if (found) break;
    }
    return bool(neg ? !found : found);
  };
}

/** Scalar function calls. */
function call(n: KNode, scope: Scope): Expr {
  const name = nameText(must(n, 'Name'));
  const argNodes = args(n);
  const fn = scope.functions?.get(name);
  if (fn) {
    // a declared function: its body with each parameter bound to the argument's value (user-defined-functions;
    // the body sees the parameters and the query's declarations, not the caller's row columns by name)
    arity(name, argNodes, fn.params.length);
    const bindings = new Map(fn.params.map((p, i) => [p, expr(argNodes[i]!, scope)] as const));
    // the body's let statements, in order, each seeing the parameters and the lets before it (let-statement)
    for (const l of fn.lets) bindings.set(l.name, expr(l.expr, { ...scope, bindings: new Map(bindings) }));
    return expr(fn.body, { ...scope, bindings });
  }
  // not() first: its argument is a predicate
  const a = () => argNodes.map((x) => expr(x, scope));
  switch (name) {
    case 'not': {
      // learn.microsoft.com/kusto/query/not-function (null stays null)
      const [x] = a();
      arity(name, argNodes, 1);
      return (row) => {
        const v = asBool(x!(row), 'not()');
        return bare(v === null ? null : !v);
      };
    }
    case 'isempty':
    case 'isnotempty': {
      // learn.microsoft.com/kusto/query/isempty-function, isnotempty-function
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => bool(isempty(x!(row)) === (name === 'isempty'));
    }
    case 'isnull':
    case 'isnotnull': {
      // learn.microsoft.com/kusto/query/isnull-function, isnotnull-function
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => bool(isnull(x!(row)) === (name === 'isnull'));
    }
    case 'gettype': {
      // learn.microsoft.com/kusto/query/gettype-function
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => str(gettype(x!(row)));
    }
    case 'tostring': {
      // learn.microsoft.com/kusto/query/tostring-function
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => str(tostring(x!(row)));
    }
    case 'tobool':
    case 'toboolean': {
      // learn.microsoft.com/kusto/query/tobool-function
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => tobool(x!(row));
    }
    case 'toreal':
    case 'todouble': {
      // learn.microsoft.com/kusto/query/toreal-function
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => toreal(x!(row));
    }
    case 'tolong': {
      // learn.microsoft.com/kusto/query/tolong-function
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => tolong(x!(row));
    }
    case 'strlen': {
      // learn.microsoft.com/kusto/query/strlen-function (Unicode characters)
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => long([...asString(x!(row), 'strlen()')].length);
    }
    case 'strcat': {
      // learn.microsoft.com/kusto/query/strcat-function: 1 to 64 arguments concatenated into one string
      // (arguments of other types are "forcibly converted to string", in a text not stated: refused)
      if (argNodes.length < 1 || argNodes.length > 64) throw new Refusal(`KQL strcat() of ${argNodes.length} arguments`);
      const xs = a();
      return (row) =>
        str(
          xs
            .map((x) => {
              const v = x(row);
              if (v.t !== 'string') throw new Refusal(`KQL strcat() of a ${v.t === 'dynamic' ? gettype(v) : v.t} argument`);
              return v.v;
            })
            .join(''),
        );
    }
    case 'tolower':
    case 'toupper': {
      // learn.microsoft.com/kusto/query/tolower-function, toupper-function (non-ASCII folding not documented: refused)
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => {
        const s = asString(x!(row), `${name}()`);
        if (/[^\x00-\x7f]/.test(s)) throw new Refusal(`KQL ${name}() of non-ASCII text`);
        return str(name === 'tolower' ? s.toLowerCase() : s.toUpperCase());
      };
    }
    case 'array_length': {
      // learn.microsoft.com/kusto/query/array-length-function: null when not an array
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => {
        const v = x!(row);
        return long(v.t === 'dynamic' && Array.isArray(v.v) ? v.v.length : null);
      };
    }
    case 'array_slice': {
      // learn.microsoft.com/kusto/query/array-slice-function: elements start..end (both inclusive); a
      // negative index is converted to array_length+index; out-of-bounds indices are ignored
      arity(name, argNodes, 3);
      const [x, sx, ex] = a();
      return (row) => {
        const v = x!(row);
        if (v.t !== 'dynamic' || !Array.isArray(v.v)) throw new Refusal(`KQL array_slice() of a ${v.t === 'dynamic' ? gettype(v) : v.t} value (not documented)`);
        const arr = v.v;
        const idx = (k: KVal): number => {
          if ((k.t !== 'long' && k.t !== 'int') || k.v === null) throw new Refusal('KQL array_slice() index that is not an integer');
          return k.v < 0 ? arr.length + k.v : k.v;
        };
        const start = Math.max(0, idx(sx!(row)));
        const end = Math.min(arr.length - 1, idx(ex!(row)));
        return dyn(start <= end ? arr.slice(start, end + 1) : []);
      };
    }
    case 'bag_keys': {
      // learn.microsoft.com/kusto/query/bag-keys-function: the root keys of a property bag
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => {
        const v = x!(row);
        if (v.t !== 'dynamic') throw new Refusal(`KQL bag_keys() of a ${v.t}`);
        const o = v.v;
        return dyn(typeof o === 'object' && o !== null && !Array.isArray(o) ? Object.keys(o) : null);
      };
    }
    case 'bag_has_key': {
      // learn.microsoft.com/kusto/query/bag-has-key-function
      arity(name, argNodes, 2);
      const [x, kx] = a();
      return (row) => {
        const v = x!(row);
        const key = asString(kx!(row), 'bag_has_key()');
        if (v.t !== 'dynamic') throw new Refusal(`KQL bag_has_key() of a ${v.t}`);
        const o = v.v;
        if (typeof o !== 'object' || o === null || Array.isArray(o)) return bool(false);
        return bool(Object.prototype.hasOwnProperty.call(o, key));
      };
    }
    case 'set_has_element': {
      // learn.microsoft.com/kusto/query/set-has-element-function
      arity(name, argNodes, 2);
      const [x, ex] = a();
      return (row) => {
        const v = x!(row);
        if (v.t !== 'dynamic' || !Array.isArray(v.v)) throw new Refusal('KQL set_has_element() of a non-array');
        const e = ex!(row);
        if (isnull(e)) throw new Refusal('KQL set_has_element() of a null value');
        return bool(v.v.some((el) => el !== null && typeof el !== 'object' && equals(dyn(el), e) === true));
      };
    }
    case 'parse_json':
    case 'todynamic': {
      // learn.microsoft.com/kusto/query/parse-json-function
      arity(name, argNodes, 1);
      const [x] = a();
      return (row) => parseJson(x!(row));
    }
    case 'iff':
    case 'iif': {
      // learn.microsoft.com/kusto/query/iff-function: a null predicate takes the else branch
      arity(name, argNodes, 3);
      const [p, t, e] = a();
      return (row) => (asBool(p!(row), `${name}()`) === true ? t!(row) : e!(row));
    }
    case 'case': {
      // learn.microsoft.com/kusto/query/case-function: the first true predicate's value, else the last argument
      if (argNodes.length < 3 || argNodes.length % 2 === 0) throw new Refusal('KQL case() with an even number of arguments');
      const xs = a();
      return (row) => {
        for (let i = 0; i + 1 < xs.length; i += 2) if (asBool(xs[i]!(row), 'case()') === true) return xs[i + 1]!(row);
        return xs[xs.length - 1]!(row);
      };
    }
    case 'coalesce': {
      // learn.microsoft.com/kusto/query/coalesce-function: the first value that is not null (strings: not empty)
      if (argNodes.length < 2) throw new Refusal('KQL coalesce() with one argument');
      const xs = a();
      return (row) => {
        let last: KVal | undefined;
        for (const x of xs) {
          const v = x(row);
          if (last && last.t !== v.t) throw new Refusal('KQL coalesce() of values of different types');
          last = v;
          if (v.t === 'string' ? v.v !== '' : !isnull(v)) return v;
        }
        return last!;
      };
    }
    case 'array_concat': {
      // learn.microsoft.com/kusto/query/array-concat-function (arguments that are not arrays: refused)
      if (argNodes.length < 1) throw new Refusal('KQL array_concat() without arguments');
      const xs = a();
      return (row) => {
        const out: Json[] = [];
        for (const x of xs) {
          const v = x(row);
          if (v.t !== 'dynamic' || !Array.isArray(v.v)) throw new Refusal(`KQL array_concat() of a ${v.t === 'dynamic' ? gettype(v) : v.t} value (not documented)`);
          out.push(...v.v);
        }
        return dyn(out);
      };
    }
    case 'split': {
      // learn.microsoft.com/kusto/query/split-function
      arity(name, argNodes, 2, 3);
      const xs = a();
      return (row) => {
        const s = asString(xs[0]!(row), 'split()');
        const d = asString(xs[1]!(row), 'split()');
        if (d === '') throw new Refusal('KQL split() with an empty delimiter');
        const parts = s.split(d);
        if (xs.length === 2) return dyn(parts);
        const i = xs[2]!(row);
        if ((i.t !== 'long' && i.t !== 'int') || i.v === null) throw new Refusal('KQL split() index that is not an integer');
        const idx = i.v < 0 ? parts.length + i.v : i.v;
        return dyn(idx >= 0 && idx < parts.length ? [parts[idx]!] : []);
      };
    }
    case 'ipv4_is_in_any_range':
    case 'ipv6_is_in_any_range': {
      // learn.microsoft.com/kusto/query/ipv4-is-in-any-range-function, ipv6-is-in-any-range-function
      if (argNodes.length < 2) throw new Refusal(`KQL ${name}() without ranges`);
      const xs = a();
      return (row) => {
        const ip = asString(xs[0]!(row), `${name}()`);
        const ranges: string[] = [];
        for (const x of xs.slice(1)) {
          const v = x(row);
          if (v.t === 'dynamic' && Array.isArray(v.v)) ranges.push(...v.v.map((e) => (typeof e === 'string' ? e : '')));
          else ranges.push(asString(v, `${name}()`));
        }
        return bool(ipInAnyRange(name.startsWith('ipv6'), ip, ranges));
      };
    }
    default:
      throw new Refusal(`KQL function ${name}()`);
  }
}

/** Aggregates of a summarize inside an mv-apply subquery (no `by`): count(), countif(). */
function aggregates(list: KNode | null, scope: Scope): { name: string; fn: (rows: Row[]) => KVal }[] {
  return elements(list).map((e) => {
    if (kind(e) !== 'SimpleNamedExpression') throw new Refusal(`KQL summarize aggregate without a name (${excerpt(e)})`);
    const name = nameText(must(e, 'Name'));
    const callNode = must(e, 'Expression');
    if (kind(callNode) !== 'FunctionCallExpression') throw new Refusal(`KQL summarize aggregate ${excerpt(callNode)}`);
    const fname = nameText(must(callNode, 'Name'));
    const as = args(callNode);
    if (fname === 'count' && as.length === 0) return { name, fn: (rows: Row[]) => long(rows.length) };
    if (fname === 'countif' && as.length === 1) {
      // learn.microsoft.com/kusto/query/countif-aggregation-function: rows whose predicate is true
      const p = expr(as[0]!, scope);
      return { name, fn: (rows: Row[]) => long(rows.filter((r) => asBool(p(r), 'countif()') === true).length) };
    }
    throw new Refusal(`KQL aggregation ${fname}()`);
  });
}

/** One tabular operator. `top`: the main pipeline (a summarize ends the per-event part there). */
function operator(op: KNode, scope: Scope): TableOp {
  const k = kind(op);
  switch (k) {
    case 'FilterOperator': {
      // learn.microsoft.com/kusto/query/where-operator: keeps rows whose predicate is true (null: dropped)
      if (elements(member(op, 'Parameters')).length > 0) throw new Refusal('KQL where with parameters');
      const p = expr(must(op, 'Condition'), scope);
      return (rows) => rows.filter((r) => asBool(p(r), 'where') === true);
    }
    case 'ProjectOperator':
      // learn.microsoft.com/kusto/query/project-operator: a projection never changes which rows are kept
      return (rows) => rows;
    case 'ExtendOperator': {
      // learn.microsoft.com/kusto/query/extend-operator
      const cols = elements(member(op, 'Expressions')).map((e) => {
        if (kind(e) !== 'SimpleNamedExpression') throw new Refusal(`KQL extend without a column name (${excerpt(e)})`);
        return { name: nameText(must(e, 'Name')), fn: expr(must(e, 'Expression'), scope) };
      });
      return (rows) =>
        rows.map((r) => {
          const out = new Map(r);
          for (const c of cols) out.set(c.name, c.fn(r));
          return out;
        });
    }
    case 'MvApplyOperator':
      return mvApply(op, scope);
    case 'TakeOperator': {
      // learn.microsoft.com/kusto/query/take-operator: at most N rows ("no guarantee which records are
      // returned"): the evaluator keeps the first N, which decides only whether a row is kept when N >= 1
      if (elements(member(op, 'Parameters')).length > 0) throw new Refusal('KQL take with parameters');
      const nNode = must(op, 'Expression');
      const n = Number(nNode.ToString().trim());
      if (!Number.isInteger(n) || n < 1) throw new Refusal(`KQL take ${excerpt(nNode)}`);
      return (rows) => rows.slice(0, n);
    }
    case 'SummarizeOperator': {
      // only inside an mv-apply subquery (no by): one row of aggregates (learn.microsoft.com/kusto/query/summarize-operator:
      // without grouping keys the output is a single row, also for an empty input)
      if (member(op, 'ByClause')) throw new Refusal('KQL summarize ... by inside a subquery');
      if (elements(member(op, 'Parameters')).length > 0) throw new Refusal('KQL summarize with parameters');
      const aggs = aggregates(member(op, 'Aggregates'), scope);
      return (rows) => {
        const out: Row = new Map();
        for (const a of aggs) out.set(a.name, a.fn(rows));
        return [out];
      };
    }
    default:
      throw new Refusal(`KQL operator ${k.replace(/Operator$/, '').toLowerCase()} (${excerpt(op)})`);
  }
}

/**
 * mv-apply (learn.microsoft.com/kusto/query/mv-apply-operator): per input row, the array is expanded
 * into one row per element (with `with_itemindex` the element's index), the subquery runs on those
 * rows, and its output rows carry the input row's other columns.
 */
function mvApply(op: KNode, scope: Scope): TableOp {
  let indexName: string | undefined;
  for (const p of elements(member(op, 'Parameters'))) {
    const pname = must(p, 'Name').ToString().trim();
    if (pname !== 'with_itemindex') throw new Refusal(`KQL mv-apply parameter ${pname}`);
    indexName = nameText(must(p, 'Expression'));
  }
  if (member(op, 'RowLimitClause') || member(op, 'ContextIdClause')) throw new Refusal('KQL mv-apply limit/id clause');
  const exps = elements(member(op, 'Expressions'));
  if (exps.length !== 1) throw new Refusal('KQL mv-apply of several arrays');
  const me = exps[0]!;
  const named = must(me, 'Expression');
  if (kind(named) !== 'SimpleNamedExpression') throw new Refusal('KQL mv-apply of an unnamed expression');
  const varName = nameText(must(named, 'Name'));
  const source = expr(must(named, 'Expression'), scope);
  const toType = member(me, 'ToTypeOf');
  if (toType) {
    const t = must(toType, 'TypeOf').ToString().replace(/\s+/g, '');
    if (t !== 'typeof(dynamic)') throw new Refusal(`KQL mv-apply to ${t}`);
  }
  const sub = must(must(op, 'Subquery'), 'Expression');
  const subOps = pipeline(sub, scope, 'subquery').ops;
  return (rows) =>
    rows.flatMap((r) => {
      const arr = source(r);
      if (arr.t !== 'dynamic') throw new Refusal(`KQL mv-apply of a ${arr.t}`);
      if (!Array.isArray(arr.v)) throw new Refusal('KQL mv-apply of a value that is not an array (not documented here)');
      if (arr.v.length === 0) throw new Refusal('KQL mv-apply of an empty array (subquery input not documented)');
      let expanded: Row[] = arr.v.map((el, i) => {
        const row = new Map(r);
        row.set(varName, dyn(el));
        if (indexName) row.set(indexName, long(i));
        return row;
      });
      for (const o of subOps) expanded = o(expanded);
      return expanded.map((x) => {
        const out = new Map(r);
        for (const [c, v] of x) out.set(c, v);
        return out;
      });
    });
}

/** Flatten `a | b | c` into its source and operators. */
function flatten(n: KNode): KNode[] {
  if (kind(n) === 'PipeExpression') return [...flatten(must(n, 'Expression')), must(n, 'Operator')];
  return [n];
}

function pipeline(n: KNode, scope: Scope, where: 'top' | 'subquery' | 'branch'): { branches: Branch[]; ops: TableOp[]; aggregation?: string } {
  const parts = flatten(n);
  const branches: Branch[] = [];
  let i = 0;
  if (where !== 'subquery') {
    const src = parts[0]!;
    i = 1;
    if (kind(src) === 'NameReference') branches.push({ tables: [nameText(src)], ops: [] });
    else if (kind(src) === 'UnionOperator') {
      // learn.microsoft.com/kusto/query/union-operator: isfuzzy=true skips absent tables; a parenthesized
      // query is a source of its own (its rows, then the operators after the union)
      for (const p of elements(member(src, 'Parameters'))) {
        const pn = must(p, 'Name').ToString().trim();
        const pv = must(p, 'Expression').ToString().trim();
        if (pn !== 'isfuzzy' || pv !== 'true') throw new Refusal(`KQL union parameter ${pn}=${pv}`);
      }
      const tables: string[] = [];
      for (const e of elements(member(src, 'Expressions'))) {
        if (kind(e) === 'NameReference') tables.push(nameText(e));
        else if (kind(e) === 'ParenthesizedExpression') {
          const sub = pipeline(must(e, 'Expression'), scope, 'branch');
          if (sub.aggregation !== undefined) throw new Refusal('KQL union of a query that aggregates');
          for (const b of sub.branches) branches.push({ tables: b.tables, ops: [...b.ops, ...sub.ops] });
        } else throw new Refusal(`KQL union of ${excerpt(e)}`);
      }
      if (tables.length) branches.push({ tables, ops: [] });
    } else throw new Refusal(`KQL query source ${kind(src)} (${excerpt(src)})`);
  }
  const ops: TableOp[] = [];
  for (; i < parts.length; i++) {
    const op = parts[i]!;
    if (where !== 'subquery' && kind(op) === 'SummarizeOperator') {
      return { branches, ops, aggregation: describeAggregation(parts.slice(i)) };
    }
    if (where !== 'subquery' && kind(op) === 'SortOperator') {
      // a threshold's session windows: `sort | extend W = row_window_session(...) | summarize ...` only
      // (the rows a sort and a window column keep are the rows it reads; anything else after a sort is refused)
      const ext = parts[i + 1];
      const sum = parts[i + 2];
      if (!ext || kind(ext) !== 'ExtendOperator' || !sessionWindow(ext) || !sum || kind(sum) !== 'SummarizeOperator') {
        throw new Refusal(`KQL operator sort outside a threshold's session windows (${excerpt(op)})`);
      }
      return { branches, ops, aggregation: describeAggregation(parts.slice(i)) };
    }
    // `take` only in an mv-apply subquery (its rows are one input row's elements): in the main pipeline it
    // would pick among the events, which a run on one event cannot tell
    if (where !== 'subquery' && kind(op) === 'TakeOperator') throw new Refusal(`KQL operator take outside an mv-apply subquery (${excerpt(op)})`);
    ops.push(operator(op, scope));
  }
  return { branches, ops };
}

/**
 * The aggregation a query states, in words the proof compares with the rule's threshold:
 * - `count >= 10 by K in 30m windows opening at the first event` from
 *   `sort by K asc, TimeGenerated asc | extend W = row_window_session(TimeGenerated, 30m, 30m, K != prev(K))
 *   | summarize N = count() ... by K, W | where N >= 10`: Panther's dedup window (below);
 * - `count >= 10 by K in 30m bins` from `summarize N = count() ... by K, bin(TimeGenerated, 30m) | where N >= 10`;
 * - else the operators' text.
 */
function describeAggregation(ops: KNode[]): string {
  const raw = ops.map((o) => excerptFull(o)).join(' | ');
  try {
    if (kind(ops[0]!) === 'SortOperator') return describeSessions(ops) ?? raw;
    const sum = ops[0]!;
    const countNames = countAggregates(sum);
    const by = member(sum, 'ByClause');
    const keys: string[] = [];
    let bin = '';
    for (const e of elements(by ? member(by, 'Expressions') : null)) {
      const inner = kind(e) === 'SimpleNamedExpression' ? must(e, 'Expression') : e;
      const m = /^bin\(\s*TimeGenerated\s*,\s*([^)]+)\)$/.exec(inner.ToString().trim());
      if (m) bin = m[1]!.trim();
      else keys.push(inner.ToString().trim());
    }
    const threshold = thresholdOf(ops[1], countNames);
    if (!threshold || ops.length > 2) return raw;
    return `count ${threshold}${keys.length ? ` by ${keys.join(', ')}` : ''}${bin ? ` in ${bin} bins` : ''}`;
  } catch {
    return raw;
  }
}

/** The names a summarize gives its `count()` aggregates. */
function countAggregates(sum: KNode): string[] {
  return elements(member(sum, 'Aggregates'))
    .filter((e) => kind(e) === 'SimpleNamedExpression' && /^count\(\s*\)$/.test(must(e, 'Expression').ToString().trim()))
    .map((e) => nameText(must(e, 'Name')));
}

/** `>= 10` from `where N >= 10` on a count column, else ''. */
function thresholdOf(w: KNode | undefined, countNames: string[]): string {
  if (!w || kind(w) !== 'FilterOperator') return '';
  const c = must(w, 'Condition');
  const left = member(c, 'Left');
  const opTok = member(c, 'Operator');
  const right = member(c, 'Right');
  if (left && opTok && right && kind(left) === 'NameReference' && countNames.includes(nameText(left))) return `${opTok.Text} ${right.ToString().trim()}`;
  return '';
}

/** The window column and arguments of `extend W = row_window_session(TimeGenerated, D1, D2[, Restart])`, alone in its extend. */
function sessionWindow(ext: KNode): { column: string; maxFromFirst: string; maxBetween: string; restart: KNode | null } | null {
  const list = elements(member(ext, 'Expressions'));
  if (list.length !== 1 || kind(list[0]!) !== 'SimpleNamedExpression') return null;
  const call = must(list[0]!, 'Expression');
  if (kind(call) !== 'FunctionCallExpression' || nameText(must(call, 'Name')) !== 'row_window_session') return null;
  const as = args(call);
  if (as.length < 3 || as.length > 4) return null;
  if (kind(as[0]!) !== 'NameReference' || nameText(as[0]!) !== 'TimeGenerated') return null;
  if (kind(as[1]!) !== 'TimespanLiteralExpression' || kind(as[2]!) !== 'TimespanLiteralExpression') return null;
  return { column: nameText(must(list[0]!, 'Name')), maxFromFirst: as[1]!.ToString().trim(), maxBetween: as[2]!.ToString().trim(), restart: as[3] ?? null };
}

/**
 * Panther's dedup window, read from `sort | extend row_window_session | summarize | where`, or null when
 * the operators do not state it. learn.microsoft.com/kusto/query/row-window-session-function: over the
 * serialized rows (window-functions: `sort` serializes, `extend` keeps them serialized), a row starts a new
 * session when it "equals or exceeds" the session start plus MaxDistanceFromFirst, or the previous row plus
 * MaxDistanceBetweenNeighbors, or when Restart is true; the function gives each row its session's start.
 * Stated as Panther's window (per key, opening at the first event, M minutes long) when: the sort is by the
 * keys (any direction: rows of one key are adjacent) then `TimeGenerated asc` (sort-operator: the default
 * is desc); MaxDistanceBetweenNeighbors is at least MaxDistanceFromFirst (then it never starts a session
 * the first condition does not); Restart is `k != prev(k)` for exactly the keys, or-ed (any key change
 * restarts; two nulls compare as null, no restart, as `summarize by` groups nulls together); the summarize
 * groups by exactly the keys and the window column; a `where` on its count() follows, and nothing else.
 */
function describeSessions(ops: KNode[]): string | null {
  if (ops.length !== 4) return null;
  const [sort, ext, sum, w] = ops as [KNode, KNode, KNode, KNode];
  const sortKeys: string[] = [];
  const order = elements(member(sort, 'Expressions'));
  for (const [i, o] of order.entries()) {
    const e = kind(o) === 'OrderedExpression' ? must(o, 'Expression') : o;
    if (kind(e) !== 'NameReference') return null;
    const name = nameText(e);
    if (i === order.length - 1) {
      const dir = kind(o) === 'OrderedExpression' ? must(o, 'Ordering').ToString().trim().split(/\s+/)[0] : '';
      if (name !== 'TimeGenerated' || dir !== 'asc') return null;
    } else sortKeys.push(name);
  }
  if (new Set(sortKeys).size !== sortKeys.length || sortKeys.includes('TimeGenerated')) return null;
  const win = sessionWindow(ext);
  if (!win || kind(sum) !== 'SummarizeOperator') return null;
  const first = timespanMs(win.maxFromFirst);
  if (timespanMs(win.maxBetween) < first) return null;
  // the keys the restart tests: `k != prev(k)` or-ed
  const restartKeys: string[] = [];
  const walk = (e: KNode): boolean => {
    if (kind(e) === 'OrExpression') return walk(must(e, 'Left')) && walk(must(e, 'Right'));
    if (kind(e) !== 'NotEqualExpression') return false;
    const l = must(e, 'Left');
    const r = must(e, 'Right');
    if (kind(l) !== 'NameReference' || kind(r) !== 'FunctionCallExpression' || nameText(must(r, 'Name')) !== 'prev') return false;
    const pa = args(r);
    if (pa.length !== 1 || kind(pa[0]!) !== 'NameReference' || nameText(pa[0]!) !== nameText(l)) return false;
    restartKeys.push(nameText(l));
    return true;
  };
  if (win.restart ? !walk(win.restart) : sortKeys.length > 0) return null;
  const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && new Set(a).size === a.length && a.every((x) => b.includes(x));
  if (!sameSet(restartKeys, sortKeys)) return null;
  if (elements(member(sum, 'Parameters')).length > 0) return null;
  const by = member(sum, 'ByClause');
  const byNames: string[] = [];
  for (const e of elements(by ? member(by, 'Expressions') : null)) {
    if (kind(e) !== 'NameReference') return null;
    byNames.push(nameText(e));
  }
  if (!sameSet(byNames, [...sortKeys, win.column])) return null;
  const threshold = thresholdOf(w, countAggregates(sum));
  if (!threshold) return null;
  return `count ${threshold}${sortKeys.length ? ` by ${sortKeys.join(', ')}` : ''} in ${win.maxFromFirst} windows opening at the first event`;
}

function excerptFull(n: KNode): string {
  return n.ToString().trim().replace(/\s+/g, ' ');
}

/** Parse and compile a KQL query (the text of a `.kql` artifact or a Sentinel rule's `query`). */
export function compileQuery(text: string): CompiledQuery {
  const root = parseKql(text);
  if (kind(root) !== 'QueryBlock') throw new Refusal(`KQL ${kind(root)}`);
  const stmts = elements(member(root, 'Statements'));
  if (elements(member(root, 'Directives')).length > 0) throw new Refusal('KQL directives');
  // declared functions first (let-statement, user-defined-functions), then the one query
  const functions = new Map<string, { params: string[]; lets: { name: string; expr: KNode }[]; body: KNode }>();
  for (const st of stmts.slice(0, -1)) {
    const decl = kind(st) === 'LetStatement' ? must(st, 'Expression') : null;
    if (!decl || kind(decl) !== 'FunctionDeclaration') throw new Refusal(`KQL statement ${kind(st)}${decl ? ` (${kind(decl)})` : ''}`);
    const params = elements(member(must(decl, 'Parameters'), 'Parameters')).map((fp) => nameText(must(must(fp, 'NameAndType'), 'Name')));
    const body = must(decl, 'Body');
    const lets = elements(member(body, 'Statements')).map((ls) => {
      if (kind(ls) !== 'LetStatement') throw new Refusal(`KQL function body statement ${kind(ls)}`);
      return { name: nameText(must(ls, 'Name')), expr: must(ls, 'Expression') };
    });
    functions.set(nameText(must(st, 'Name')), { params, lets, body: must(body, 'Expression') });
  }
  const last = stmts[stmts.length - 1];
  if (!last || kind(last) !== 'ExpressionStatement') {
    throw new Refusal(stmts.length === 0 ? 'KQL query without a statement (comment-only artifact)' : `KQL statement ${stmts.map(kind).join(', ')}`);
  }
  const scope: Scope = { regexes: new Map(), functions };
  const p = pipeline(must(last, 'Expression'), scope, 'top');
  const tables = [...new Set(p.branches.flatMap((b) => b.tables))];
  return {
    tables,
    run(rowsOf) {
      let cur: Row[] = [];
      for (const b of p.branches) {
        let rows = rowsOf(b.tables);
        for (const o of b.ops) rows = o(rows);
        cur.push(...rows);
      }
      for (const o of p.ops) cur = o(cur);
      return cur;
    },
    ...(p.aggregation !== undefined ? { aggregation: p.aggregation } : {}),
  };
}
