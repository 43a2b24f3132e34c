/**
 * Reference evaluator for CloudWatch Logs Insights queries: reads the artifact's text back and decides
 * whether its per-event part (the `filter` commands before `stats`) keeps a projected JSON event.
 *
 * Documented semantics (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/...):
 *   - CWL_QuerySyntax-Filter.html: `=`, `!=`, `<`, `<=`, `>`, `>=`, `and`, `or`, `not`; `in [...]` tests
 *     set membership, "the fields must be complete strings"; `not in`; `like` / `not like` with a quoted
 *     string match substrings; `like /re/`, `not like /re/` and `=~ /re/` match regular expressions
 *     (a substring match: `like /Exception/` returns events whose field *contains* it); matching is
 *     case-sensitive unless the pattern says `(?i)` (CWL_QuerySyntax.html, regex examples);
 *   - CWL_QuerySyntax-operations-functions.html: `ispresent(f)` is true if the field exists;
 *     `isempty(f)` if it is missing or an empty string; `isblank(f)` if missing, empty or only white
 *     space; `isIpInSubnet(f, "cidr")` (ip.ts);
 *   - each `filter` command narrows the events the previous command passed (commands are piped);
 *   - CWL_QuerySyntax-operations-functions.html, "Structure types" and "JSON functions": `fields
 *     jsonParse(f) as name` makes `name` a map or list when `f` is the text of a JSON object or array,
 *     else "an empty value"; `name.attr` (or `name.\`a-b\``) reads a map's attribute; "Comparing map and
 *     list to any other fields result in false". Read as an absent field (the reading the three below
 *     share): an attribute the map lacks, an attribute of the empty value, a JSON null. Undecided: an
 *     attribute of a list, string or number, an attribute held only in another casing, the empty value
 *     itself, text spelling NaN or Infinity, `in`/`like`/functions on a map or list (but `ispresent()` of an
 *     `unnest` item itself, which every record it makes includes: true).
 *   - CWL_QuerySyntax-operations-functions.html, "General functions": `if(condition, trueValue,
 *     falseValue)` "Evaluates a condition and returns trueValue if the condition is true, or falseValue
 *     otherwise"; `fields if(c, v1, v2) as name` (literal values) makes the field `name` the later filters
 *     read: v1 where c is true, v2 where it is false or unknown (a comparison on an absent field, under
 *     each reading below). A log field spelled like the name, or a condition reading another such name, is
 *     refused (which one the query reads is undocumented);
 *   - CWL_QuerySyntax-operations-functions.html, "String functions": `startsWith(str, searchValue)` /
 *     `endsWith(str, searchValue)` "Returns 1 if `str` starts (ends) with `searchValue` and 0 otherwise",
 *     compared with 1 or 0; `concat(str, ...strings)` "Concatenates the strings"; `regexReplace(fieldName,
 *     pattern, replacement)` "Replaces all substrings matching the regular expression `pattern` with
 *     `replacement`. Uses RE2 regex syntax", read for `(?s)^.*c` (RE2: `(?s)` lets `.` match a newline,
 *     `.*` is greedy, `^` the start of the text: the text up to the last `c` goes) and `(?s)c.*` (the
 *     text from the first `c` goes) with the empty replacement. Undecided: an argument that is an absent
 *     field, a map or list ("treated as null for string ... functions"), a number or boolean, and an
 *     empty `searchValue` (whether every string starts with "" is not stated). `=` / `!=` with such a
 *     function's value on a side compares the strings ("Comparison operators accept all data types as
 *     arguments", CWL_QuerySyntax-operations-functions.html; a function as an operand, the `now()` example);
 *   - CWL_QuerySyntax-operations-functions.html, "JSON functions": `jsonStringify(fieldName: Map | List)`
 *     "Returns a JSON string from a map or list data"; `jsonArrayContains(fieldName, value)` "Returns true
 *     (1) if the JSON array in the field contains the specified value. Returns false (0) for invalid JSON,
 *     non-array, or empty array. Uses case-sensitive comparison", read for `jsonArrayContains(jsonStringify(p),
 *     "v")`, p an attribute of a structure or item: a list holding the string "v" gives true; a list of
 *     strings without it, a map, an absent attribute false (no map or list data: whatever jsonStringify()
 *     makes of it, it is no JSON array holding "v"); undecided: a scalar (jsonStringify() takes a map or
 *     list), a list holding other values than strings (whether 5 is the value "5" is not stated);
 *   - CWL_QuerySyntax-Unnest.html: `unnest f into name` makes one record per item of the list `f` holds
 *     (none for an empty list; a map, string or number is one item), the other fields from the event; the
 *     event is kept when one of its records passes every filter. Several `unnest` commands run one after
 *     the other, each on every record the previous one made (a later one may read an earlier item). An
 *     absent `f` is read both as no item and as one absent item (the same reading for every command).
 *     `@message` is the log's JSON text (CWL_AnalyzeLogData-discoverable-fields).
 * Not documented, and refused rather than guessed:
 *   - the regex flavour: patterns go through `compileTargetRegex(pattern, 'portable')` (only constructs
 *     every engine reads alike), which refuses the rest;
 *   - comparing a number with a string, ordering strings, anything compared with a boolean (a value read
 *     through jsonParse(): a discovered field's JSON boolean is the number 1 or 0, as users observe,
 *     src/mapping/project/cwl.ts), string operators on numbers;
 *   - what a comparison yields on an absent field. Every event is evaluated under three readings: the
 *     comparison is false; it is false for `=`/`in`/`like` and true for `!=`/`not in`/`not like`; it is
 *     SQL's unknown (three-valued `not`, `and`, `or`; `filter` keeps only true). When the readings
 *     disagree on whether the event is kept, the evaluation refuses, naming the field. A positive
 *     comparison on an absent field drops the event under all three; a negated one guarded with
 *     `ispresent()` is decided; an unguarded `!=` on an absent field, or `not (...)` around a
 *     comparison of one, is not;
 *   - reads of fields the projection marks opaque (src/mapping/project/cwl.ts): empty containers, a
 *     container itself, JSON null when asked, an event with more fields than Logs Insights extracts.
 * A filter that decides "dropped" decides the event even when another filter could not be evaluated;
 * likewise a regex test the engines read differently on the value (src/proof/regex.ts) is undecided,
 * and an `and` with a false operand (an `or` with a true one) is still decided.
 */
import { compareSame } from '../compare.js';
import type { Json } from '../../ast/types.js';
import type { FieldMapper } from '../../mapping/types.js';
import { projectCwl, type CwlEvent, type CwlScalar } from '../../mapping/project/cwl.js';
import { compileTargetRegex } from '../regex.js';
import { Refusal, type CompiledArtifact, type TargetProof } from '../types.js';
import { ipInSubnet, parseCidr } from './ip.js';
import { stripComments, tokenize } from './lexer.js';
import { parseQuery, type Expr, type FieldOp, type IfAlias, type JsonAlias, type Operand, type SVal } from './parse.js';

export type { CwlEvent } from '../../mapping/project/cwl.js';
export { parseQuery } from './parse.js';
export type { Expr, Command } from './parse.js';

/** How a comparison on an absent field reads (see the header). */
type Mode = 'false' | 'negTrue' | 'unknown';
const MODES: Mode[] = ['false', 'negTrue', 'unknown'];

/** A three-valued result, or an undecidable one with its reason. */
type R = boolean | null | { undecided: string };

interface Matcher {
  test(s: string): boolean;
}

interface Ctx {
  ev: CwlEvent;
  mode: Mode;
  absent: Set<string>;
  regex: Map<string, Matcher>;
  /** The structures `fields jsonParse(f) as name` made, by name. */
  structs: Map<string, Struct>;
  /** The values `fields if(c, t, f) as name` names, by name. */
  ifs?: Map<string, IfAlias>;
  /** The names `unnest ... into name` gives its items. */
  items?: ReadonlySet<string>;
}

/**
 * What `jsonParse(f)` gives (CWL_QuerySyntax-operations-functions.html, "JSON functions": "Returns a map or
 * list when the input is a string representation of JSON object or a JSON array. Returns an empty value,
 * if the input is not one of the representation"), or why it is undecided.
 */
type Struct = { value: Json } | { empty: true } | { undecided: string };

/** A value read from a structure: a map, a list or a scalar (null: see `readPath`). */
type StructRead = { present: true; v: CwlScalar | { container: 'map' | 'list' } } | { present: false; name: string } | { undecided: string };

const und = (why: string): R => ({ undecided: why });
const isUnd = (r: R): r is { undecided: string } => typeof r === 'object' && r !== null;

type Read = { present: true; v: CwlScalar } | { present: false; name: string } | { undecided: string };

function readField(ev: CwlEvent, name: string): Read {
  const v = ev.fields.get(name);
  if (v !== undefined && !ev.overLimit) return { present: true, v };
  const o = ev.opaque.get(name);
  if (o !== undefined) return { undecided: o };
  if (ev.containers.has(name)) {
    return { undecided: `field '${name}' is a JSON object or array in the log: whether Logs Insights exposes the container itself is undocumented` };
  }
  if (ev.overLimit) {
    return { undecided: `the log flattens into ${ev.overLimit.count} fields, more than the ${ev.overLimit.limit} Logs Insights extracts; which ones it keeps is undocumented` };
  }
  if (name === '@message' && ev.message !== undefined) return { present: true, v: ev.message };
  if (name.startsWith('@') && !name.startsWith('@@')) return { undecided: `the system field '${name}' is not projected` };
  return { present: false, name };
}

function operand(c: Ctx, o: Operand): Read | StructRead {
  if (o.k === 'field') return readOp(c, o);
  return { present: true, v: o.v };
}

/** A field operand: a discovered field, or a path into a structure made by `jsonParse(f) as name`. */
function readOp(c: Ctx, o: FieldOp): Read | StructRead {
  const named = c.ifs?.get(o.segs?.[0] ?? o.name);
  if (named) return readIf(c, named, o);
  const head = o.segs?.[0];
  if (head === undefined || !c.structs.has(head)) return readField(c.ev, o.name);
  // a log field spelled like the structure's name: which one the query reads is undocumented
  const clash = [...c.ev.fields.keys(), ...c.ev.opaque.keys(), ...c.ev.containers].find((n) => n === head || n.startsWith(`${head}.`));
  if (clash !== undefined) return { undecided: `the log has a field '${clash}' spelled like the structure '${head}' the query makes with jsonParse()` };
  return readPath(c.structs.get(head)!, o.segs!.slice(1), o.name);
}

/** The field `if(cond, t, f) as name` makes: t where cond is true, else f (the header). */
function readIf(c: Ctx, a: IfAlias, o: FieldOp): Read {
  if (o.name !== a.name) return { undecided: `'${o.name}' reads into the value if() names '${a.name}': undocumented` };
  const clash = [...c.ev.fields.keys(), ...c.ev.opaque.keys(), ...c.ev.containers].find((n) => n === a.name || n.startsWith(`${a.name}.`));
  if (clash !== undefined) return { undecided: `the log has a field '${clash}' spelled like the name '${a.name}' the query gives if()` };
  const r = evalExpr(c, a.cond);
  if (isUnd(r)) return r;
  return { present: true, v: r === true ? a.t : a.f };
}

/**
 * A path into a structure (CWL_QuerySyntax-operations-functions.html, "Structure types": "Use the dot
 * access operator (map.attribute) to access items in a map"). Documented: a map's attribute. Read as an
 * absent field, like a field missing from the log (the reading every comparison here already assumes: a
 * positive one does not match): an attribute the map lacks, an attribute of jsonParse's empty value, and
 * a JSON null (as the projection reads a null by default). Undecided (undocumented): an attribute of a
 * list or of a string or number, list indexing, an attribute the map holds only in another casing (whether
 * attributes match case-sensitively is not stated; field names do).
 */
function readPath(s: Struct, segs: string[], name: string): StructRead {
  if ('undecided' in s) return s;
  if ('empty' in s) return segs.length === 0 ? { undecided: `the empty value jsonParse() gives for '${name}' read itself: undocumented` } : { present: false, name };
  let cur: Json = s.value;
  for (const seg of segs) {
    if (cur === null) return { present: false, name };
    if (Array.isArray(cur)) return { undecided: `'${name}' reads an attribute of a list: undocumented` };
    if (typeof cur !== 'object') return { undecided: `'${name}' reads an attribute of ${typeof cur === 'string' ? 'a string' : typeof cur === 'number' ? 'a number' : 'a boolean'}: undocumented` };
    if (Object.prototype.hasOwnProperty.call(cur, seg)) {
      cur = cur[seg]!;
      continue;
    }
    const other = Object.keys(cur).find((k) => k.toLowerCase() === seg.toLowerCase());
    if (other !== undefined) return { undecided: `'${name}' reads the attribute '${seg}', which the map holds as '${other}': whether attributes match case-sensitively is undocumented` };
    return { present: false, name };
  }
  if (cur === null) return { present: false, name };
  if (Array.isArray(cur)) return { present: true, v: { container: 'list' } };
  if (typeof cur === 'object') return { present: true, v: { container: 'map' } };
  return { present: true, v: cur };
}

/** `jsonParse(source)` on one event. */
function parseStruct(c: Ctx, a: JsonAlias): Struct {
  const r = readOp(c, a.source);
  if ('undecided' in r) return r;
  if (!r.present) return { empty: true };
  const v = r.v;
  if (typeof v !== 'string') {
    if (typeof v === 'object') return { undecided: `jsonParse() of a map or list: undocumented` };
    return { empty: true };
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(v) as Json;
  } catch {
    // JSON does not spell NaN or Infinity; some parsers (Python's among them) read them
    if (/\b(NaN|Infinity)\b/.test(v)) return { undecided: `jsonParse() of text spelling NaN or Infinity: which parser Logs Insights uses is undocumented` };
    return { empty: true };
  }
  if (parsed !== null && typeof parsed === 'object') return { value: parsed };
  return { empty: true };
}

const isContainer = (v: CwlScalar | { container: 'map' | 'list' }): v is { container: 'map' | 'list' } => typeof v === 'object';

/** A comparison on an absent field, per reading. */
function onAbsent(c: Ctx, name: string, negated: boolean): R {
  c.absent.add(name);
  if (c.mode === 'false') return false;
  if (c.mode === 'negTrue') return negated;
  return null;
}

const typeName = (v: CwlScalar) => (typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : 'a boolean');

function evalExpr(c: Ctx, e: Expr): R {
  switch (e.k) {
    case 'and': {
      let acc: R = true;
      for (const a of e.args) {
        const r = evalExpr(c, a);
        if (r === false) return false;
        if (isUnd(r)) acc = isUnd(acc) ? acc : r;
        else if (r === null && !isUnd(acc)) acc = null;
      }
      return acc;
    }
    case 'or': {
      let acc: R = false;
      for (const a of e.args) {
        const r = evalExpr(c, a);
        if (r === true) return true;
        if (isUnd(r)) acc = isUnd(acc) ? acc : r;
        else if (r === null && !isUnd(acc)) acc = null;
      }
      return acc;
    }
    case 'not': {
      const r = evalExpr(c, e.e);
      if (isUnd(r) || r === null) return r;
      return !r;
    }
    case 'cmp': {
      const l = operand(c, e.l);
      const r = operand(c, e.r);
      if ('undecided' in l) return und(l.undecided);
      if ('undecided' in r) return und(r.undecided);
      if (!l.present) return onAbsent(c, l.name, e.op === '!=');
      if (!r.present) return onAbsent(c, r.name, e.op === '!=');
      // "Comparing map and list to any other fields result in false" (CWL_QuerySyntax-operations-functions.html, "Structure types")
      if (isContainer(l.v) || isContainer(r.v)) return false;
      const a = l.v;
      const b = r.v;
      if (typeof a === 'boolean' || typeof b === 'boolean') return und(`\`${e.op}\` with ${typeName(a)} and ${typeName(b)}: how booleans compare is undocumented`);
      if (typeof a !== typeof b) return und(`\`${e.op}\` between ${typeName(a)} and ${typeName(b)}: undocumented`);
      if (typeof a === 'string' && e.op !== '=' && e.op !== '!=') return und(`\`${e.op}\` between strings: the collation is undocumented`);
      return compareSame(e.op, a, b as typeof a) ?? und('an unknown operator');
    }
    case 'in': {
      const l = operand(c, e.l);
      if ('undecided' in l) return und(l.undecided);
      if (!l.present) return onAbsent(c, l.name, e.neg);
      const v = l.v;
      if (isContainer(v)) return und(`\`in\` on a ${v.container}: undocumented`);
      if (typeof v === 'boolean') return und('`in` on a boolean field: undocumented');
      const hit = e.list.some((x) => x === v);
      if (!hit && e.list.some((x) => typeof x !== typeof v)) return und(`\`in\` of ${typeName(v)} in a list holding other types: undocumented`);
      return e.neg ? !hit : hit;
    }
    case 'like': {
      const l = operand(c, e.l);
      if ('undecided' in l) return und(l.undecided);
      if (!l.present) return onAbsent(c, l.name, e.neg);
      const v = l.v;
      if (isContainer(v)) return und(`${e.re !== undefined ? 'a regex' : '`like`'} on a ${v.container}: undocumented`);
      if (typeof v !== 'string') return und(`${e.re !== undefined ? 'a regex' : '`like`'} on ${typeName(v)}: how it is turned into text is undocumented`);
      let hit: boolean;
      if (e.str !== undefined) hit = v.includes(e.str);
      else {
        // engines that read the regex differently on this value leave this test undecided; a
        // sibling may still decide the condition (`... and not (f =~ /[\n...]$/)`)
        try {
          hit = c.regex.get(e.re!)!.test(v);
        } catch (x) {
          if (x instanceof Refusal) return und(x.what);
          throw x;
        }
      }
      return e.neg ? !hit : hit;
    }
    case 'call': {
      const r = readOp(c, e.field);
      if ('undecided' in r) return und(r.undecided);
      if (r.present && isContainer(r.v)) {
        // an `unnest` item itself: "Each record includes the unnested_field, which represents an item"
        // (CWL_QuerySyntax-Unnest.html), so the field exists on every record unnest makes of an element;
        // ispresent "Returns true if the field exists" (CWL_QuerySyntax-operations-functions.html)
        if (e.fn === 'ispresent' && (e.field.segs?.length ?? 1) === 1 && c.items?.has(e.field.segs?.[0] ?? e.field.name)) return true;
        return und(`${e.fn}() on a ${r.v.container}: undocumented`);
      }
      if (e.fn === 'ispresent') return r.present;
      if (!r.present) return true; // isempty/isblank: "the field is missing"
      if (typeof r.v !== 'string') return false; // present and not an (empty or blank) string
      if (e.fn === 'isempty') return r.v === '';
      if (r.v === '') return true;
      if (/^[ \t]+$/.test(r.v)) return true;
      if (/\S/u.test(r.v)) return false;
      return und(`isblank on ${JSON.stringify(r.v)}: which characters are white space is undocumented`);
    }
    case 'strfn': {
      const s = strVal(c, e.s);
      if ('undecided' in s) return und(s.undecided);
      const t = strVal(c, e.search);
      if ('undecided' in t) return und(t.undecided);
      if (t.v === '') return und(`${e.fn}() with an empty searchValue: whether every string ${e.fn === 'endsWith' ? 'ends' : 'starts'} with "" is not stated`);
      const hit = e.fn === 'endsWith' ? s.v.endsWith(t.v) : s.v.startsWith(t.v);
      return (hit ? 1 : 0) === e.want;
    }
    case 'jsoncontains': {
      const s = c.structs.get(e.path.segs![0]!);
      if (!s) return und(`jsonStringify() of '${e.path.name}', no structure or item`);
      const r = readOp(c, e.path);
      if ('undecided' in r) return und(r.undecided);
      if (!r.present) return false;
      if (!isContainer(r.v)) return und(`jsonStringify() of ${typeName(r.v)}: it takes a map or list`);
      if (r.v.container === 'map') return false;
      const list = jsonAt(s, e.path.segs!.slice(1));
      if (!Array.isArray(list)) return und('jsonStringify() of a list that could not be read');
      if (list.some((x) => x === e.value)) return true;
      if (list.some((x) => typeof x !== 'string')) return und('jsonArrayContains() on a list holding other values than strings: how they compare with a string is not stated');
      return false;
    }
    case 'streq': {
      const l = strVal(c, e.l);
      if ('undecided' in l) return und(l.undecided);
      const r = strVal(c, e.r);
      if ('undecided' in r) return und(r.undecided);
      return (l.v === r.v) !== e.neg;
    }
    case 'ipsub': {
      const r = readOp(c, e.field);
      if ('undecided' in r) return und(r.undecided);
      if (!r.present) return onAbsent(c, r.name, false);
      if (isContainer(r.v)) return und(`isIpInSubnet on a ${r.v.container}: undocumented`);
      if (typeof r.v !== 'string') return und(`isIpInSubnet on ${typeName(r.v)}: undocumented`);
      try {
        return ipInSubnet(r.v, parseCidr(e.cidr));
      } catch (x) {
        if (x instanceof Refusal) return und(x.what);
        throw x;
      }
    }
  }
}

/** The JSON value at a path of a structure whose reading (`readPath`) found a container there. */
function jsonAt(s: Struct, segs: string[]): Json | undefined {
  if (!('value' in s)) return undefined;
  let cur: Json = s.value;
  for (const seg of segs) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = cur[seg]!;
  }
  return cur;
}

/** The string a string function reads (the header): a present string, else undecided. */
function strVal(c: Ctx, s: SVal): { v: string } | { undecided: string } {
  switch (s.k) {
    case 'str':
      return { v: s.v };
    case 'field': {
      const r = readOp(c, s.f);
      if ('undecided' in r) return r;
      if (!r.present) return { undecided: `a string function on the absent field '${r.name}': undocumented` };
      if (typeof r.v === 'object') return { undecided: `a string function on a ${r.v.container} (read as null): undocumented` };
      if (typeof r.v !== 'string') return { undecided: `a string function on ${typeName(r.v)}: undocumented` };
      return { v: r.v };
    }
    case 'concat': {
      let out = '';
      for (const a of s.args) {
        const r = strVal(c, a);
        if ('undecided' in r) return r;
        out += r.v;
      }
      return { v: out };
    }
    case 'cut': {
      const r = strVal(c, s.s);
      if ('undecided' in r) return r;
      if (s.keep === 'afterLast') {
        const at = r.v.lastIndexOf(s.ch);
        return { v: at < 0 ? r.v : r.v.slice(at + s.ch.length) };
      }
      const at = r.v.indexOf(s.ch);
      return { v: at < 0 ? r.v : r.v.slice(0, at) };
    }
  }
}

/** The fields a string reads. */
function svalFields(s: SVal): FieldOp[] {
  switch (s.k) {
    case 'str':
      return [];
    case 'field':
      return [s.f];
    case 'concat':
      return s.args.flatMap(svalFields);
    case 'cut':
      return svalFields(s.s);
  }
}

type Decided = boolean | { undecided: string };

/**
 * `decisive` when some item gives it (whatever the others), else the first undecided item's reason, else
 * the other value: an `and` (decisive false) or an `or` (decisive true) of three-valued answers.
 */
function decide<T>(items: readonly T[], decisive: boolean, f: (x: T) => Decided): Decided {
  let undecided: string | undefined;
  for (const x of items) {
    const k = f(x);
    if (k === decisive) return decisive;
    if (typeof k === 'object') undecided ??= k.undecided;
  }
  return undecided === undefined ? !decisive : { undecided };
}

/** Whether one record passes every filter (a filter that drops it decides, whatever the others). */
function recordKeeps(ev: CwlEvent, filters: Expr[], regex: Map<string, Matcher>, structs: Map<string, Struct>, ifs: Map<string, IfAlias>, items?: ReadonlySet<string>): Decided {
  return decide(filters, false, (f) => filterKeeps(ev, f, regex, structs, ifs, items));
}

/**
 * The records `unnest source into name` makes from one record, under one reading of an absent source: CWL_QuerySyntax-Unnest.html
 * "Use unnest to flatten a list taken as input to produce multiple records with a single record for each
 * element in the list. Based on the number of items a field contains, this command discards the current
 * record and generates new records" (an empty list: none); "Any other types, such as MAP, String and
 * numbers, are treated as a list with one item". An absent source (undocumented) is read both as no
 * item and as one absent item (`absent`); the evaluation is decided only where both agree.
 */
function unnestRecords(c: Ctx, u: { source: FieldOp; into: string }, absent: Absent): Map<string, Struct>[] {
  const r = readOp(c, u.source);
  if ('undecided' in r) throw new Refusal(r.undecided);
  const withItem = (v: Json): Map<string, Struct> => new Map([...c.structs, [u.into, { value: v }]]);
  if (!r.present) return absent === 'none' ? [] : [withItem(null)];
  if (isContainer(r.v)) {
    const list = structValue(c, u.source);
    return Array.isArray(list) ? list.map(withItem) : [withItem(list)];
  }
  return [withItem(r.v)];
}

/** The two readings of an absent `unnest` source (undocumented): no item, or one absent item. */
type Absent = 'none' | 'one';

/**
 * The records a run of `unnest` commands makes from one event's record, under one reading of an absent
 * source (the same for every command): each command's records are made from each record the previous one
 * made (commands are piped, CWL_QuerySyntax.html; "All other fields come from the original record",
 * CWL_QuerySyntax-Unnest.html, the earlier items among them), so a later command may unnest a list an
 * earlier item holds.
 */
function unnestAll(c: Ctx, unnests: readonly { source: FieldOp; into: string }[], absent: Absent): Map<string, Struct>[] {
  let recs: Map<string, Struct>[] = [c.structs];
  for (const u of unnests) recs = recs.flatMap((structs) => unnestRecords({ ...c, structs }, u, absent));
  return recs;
}

/** The JSON value a structure path reads (a map or list), for `unnest`. */
function structValue(c: Ctx, o: FieldOp): Json {
  const s = c.structs.get(o.segs![0]!)!;
  let cur: Json = 'value' in s ? s.value : null;
  for (const seg of o.segs!.slice(1)) cur = (cur as Record<string, Json>)[seg]!;
  return cur;
}

/** Whether one `filter` keeps the event: decided under every reading of absent fields, or undecided. */
function filterKeeps(ev: CwlEvent, e: Expr, regex: Map<string, Matcher>, structs: Map<string, Struct>, ifs: Map<string, IfAlias>, items?: ReadonlySet<string>): Decided {
  const kept: boolean[] = [];
  const absent = new Set<string>();
  for (const mode of MODES) {
    let r: R;
    try {
      r = evalExpr({ ev, mode, absent, regex, structs, ifs, ...(items ? { items } : {}) }, e);
    } catch (x) {
      if (x instanceof Refusal) return { undecided: x.what };
      throw x;
    }
    if (isUnd(r)) return r;
    kept.push(r === true);
  }
  if (kept.every((k) => k === kept[0])) return kept[0]!;
  return {
    undecided: `what a negated comparison (or \`not\` around a comparison) does on the absent field${absent.size > 1 ? 's' : ''} ${[...absent].map((a) => `'${a}'`).join(', ')} decides the result, and is undocumented`,
  };
}

/** Does an expression read a field `hit` says yes to? */
function readsAny(e: Expr, hit: (f: FieldOp) => boolean): boolean {
  switch (e.k) {
    case 'and':
    case 'or':
      return e.args.some((a) => readsAny(a, hit));
    case 'not':
      return readsAny(e.e, hit);
    case 'cmp':
      return [e.l, e.r].some((o) => o.k === 'field' && hit(o));
    case 'in':
    case 'like':
      return e.l.k === 'field' && hit(e.l);
    case 'call':
    case 'ipsub':
      return hit(e.field);
    case 'strfn':
      return [...svalFields(e.s), ...svalFields(e.search)].some(hit);
    case 'streq':
      return [...svalFields(e.l), ...svalFields(e.r)].some(hit);
    case 'jsoncontains':
      return hit(e.path);
  }
}

function collectRegexes(e: Expr, out: Set<string>): void {
  switch (e.k) {
    case 'and':
    case 'or':
      e.args.forEach((a) => collectRegexes(a, out));
      return;
    case 'not':
      collectRegexes(e.e, out);
      return;
    case 'like':
      if (e.re !== undefined) out.add(e.re);
      return;
    default:
      return;
  }
}

export interface CwlCompiled extends CompiledArtifact<CwlEvent> {
  /** The per-event filters, in order. */
  filters: Expr[];
}

/** `# query i of n: <log type>`: the line opening one query of a file of one query per log type. */
const MARKER = /^# query (\d+) of (\d+): (.+)$/;

/**
 * Read a Logs Insights artifact back: one query, or one query per log type (each under its marker line,
 * src/targets/cwl/index.ts `cwlQueryMarker`), of which an event is read by its own log type's. Throws
 * `Refusal` for anything outside the subset.
 */
export function compileCwl(text: string): CwlCompiled {
  const lines = text.split(/\r?\n/);
  // a marker opens its query: the line after it is the query's first (a comment line of the header, such
  // as a description that happens to read like a marker, is followed by another comment line)
  const marks = lines.flatMap((l, i) => {
    const m = MARKER.exec(l);
    return m && !/^\s*#/.test(lines[i + 1] ?? '#') ? [{ at: i, i: Number(m[1]), n: Number(m[2]), logType: m[3]! }] : [];
  });
  if (marks.length === 0) return compileOne(text);
  const n = marks.length;
  if (marks.some((m, k) => m.i !== k + 1 || m.n !== n) || new Set(marks.map((m) => m.logType)).size !== n) {
    throw new Refusal('Logs Insights: the query markers are not numbered 1..n with distinct log types');
  }
  if (lines.slice(0, marks[0]!.at).some((l) => l.trim() !== '' && !/^\s*#/.test(l))) throw new Refusal('Logs Insights: a query before the first query marker');
  const parts = marks.map((m, k) => ({ logType: m.logType, q: compileOne(lines.slice(m.at + 1, k + 1 < n ? marks[k + 1]!.at : lines.length).join('\n')) }));
  const out: CwlCompiled = {
    filters: parts.flatMap((p) => p.q.filters),
    matches(ev: CwlEvent): boolean {
      const part = parts.find((p) => p.logType === ev.logType);
      if (!part) throw new Refusal(`Logs Insights: no query of the file is for log type ${ev.logType ?? '(unknown)'}`);
      return part.q.matches(ev);
    },
  };
  const aggs = parts.filter((p) => p.q.aggregation).map((p) => `${p.logType}: ${p.q.aggregation}`);
  if (aggs.length) out.aggregation = aggs.join('; ');
  return out;
}

/** Read one Logs Insights query back. */
function compileOne(text: string): CwlCompiled {
  const src = stripComments(text);
  const cmds = parseQuery(tokenize(src), src);
  const filters: Expr[] = [];
  const aggregation: string[] = [];
  /** The structures made before the first filter (jsonParse in a later `fields` is refused). */
  const aliases: JsonAlias[] = [];
  /** The `unnest` commands, in order (before the first filter and if()). */
  const unnests: { source: FieldOp; into: string }[] = [];
  /** The values `fields if(c, t, f) as name` names (before the first filter, after any structure or unnest). */
  const ifs = new Map<string, IfAlias>();
  let afterStats = false;
  for (const cmd of cmds) {
    if (cmd.unnest) {
      if (filters.length > 0 || afterStats || ifs.size > 0) throw new Refusal('`unnest` after a filter, after `stats` or after if()');
      if (aliases.some((a) => a.name === cmd.unnest!.into)) throw new Refusal(`\`unnest\` into the name of a structure, '${cmd.unnest.into}'`);
      if (unnests.some((u) => u.into === cmd.unnest!.into)) throw new Refusal(`\`unnest\` into the name '${cmd.unnest.into}' twice`);
      unnests.push(cmd.unnest);
      continue;
    }
    if (cmd.ifs) {
      if (filters.length > 0 || afterStats) throw new Refusal('if() in a `fields` command after a filter or `stats`');
      for (const a of cmd.ifs) {
        if (ifs.has(a.name) || aliases.some((x) => x.name === a.name) || unnests.some((u) => u.into === a.name)) throw new Refusal(`the name '${a.name}' given twice`);
        if (readsAny(a.cond, (f) => ifs.has(f.segs?.[0] ?? f.name) || cmd.ifs!.some((x) => x.name === (f.segs?.[0] ?? f.name)))) throw new Refusal(`if() named '${a.name}' reads another if()'s name`);
        ifs.set(a.name, a);
      }
    }
    if (cmd.aliases) {
      if (filters.length > 0 || afterStats || unnests.length > 0 || ifs.size > 0) throw new Refusal('jsonParse() in a `fields` command after a filter, `unnest` or if()');
      for (const a of cmd.aliases) {
        if (aliases.some((x) => x.name === a.name)) throw new Refusal(`the structure '${a.name}' made twice`);
        if (a.source.segs && aliases.some((x) => x.name === a.source.segs![0])) throw new Refusal('jsonParse() of a structure');
        aliases.push(a);
      }
    }
    if (cmd.name === 'stats') {
      if (afterStats) throw new Refusal('a second `stats` command');
      afterStats = true;
      aggregation.push(cmd.text);
    } else if (cmd.name === 'filter') {
      if (afterStats) aggregation.push(cmd.text);
      else filters.push(cmd.expr!);
    } else if (cmd.name === 'sort' && afterStats) {
      aggregation.push(cmd.text);
    }
  }
  const res = new Set<string>();
  filters.forEach((f) => collectRegexes(f, res));
  for (const a of ifs.values()) collectRegexes(a.cond, res);
  const regex = new Map<string, Matcher>();
  for (const re of res) regex.set(re, compileTargetRegex(re, 'portable'));
  const out: CwlCompiled = {
    filters,
    matches(ev: CwlEvent): boolean {
      const structs = new Map<string, Struct>();
      for (const a of aliases) structs.set(a.name, parseStruct({ ev, mode: 'false', absent: new Set(), regex, structs: new Map() }, a));
      // one record, or those the `unnest` commands make: the event is kept when a record is
      const ctx: Ctx = { ev, mode: 'false', absent: new Set(), regex, structs };
      const records = unnests.length ? (['none', 'one'] as const).map((a) => unnestAll(ctx, unnests, a)) : [[structs]];
      const items = new Set(unnests.map((u) => u.into));
      const keeps = (recs: Map<string, Struct>[]): Decided => decide(recs, true, (r) => recordKeeps(ev, filters, regex, r, ifs, items));
      const readings = records.map(keeps);
      const first = readings[0]!;
      if (readings.every((r) => r === first) && typeof first === 'boolean') return first;
      const und = readings.find((r): r is { undecided: string } => typeof r === 'object');
      throw new Refusal(und ? und.undecided : `what \`unnest\` makes of the absent field${unnests.length > 1 ? 's' : ''} ${unnests.map((u) => `'${u.source.name}'`).join(', ')} decides the result, and is undocumented`);
    },
  };
  if (aggregation.length) out.aggregation = aggregation.join(' | ');
  return out;
}

export const cwlProof: TargetProof<CwlEvent> = {
  targets: ['cwl'],
  project(log: Json, logType: string, mapper: FieldMapper): CwlEvent {
    return projectCwl(log, logType, mapper);
  },
  compile(text: string): CompiledArtifact<CwlEvent> {
    return compileCwl(text);
  },
};
