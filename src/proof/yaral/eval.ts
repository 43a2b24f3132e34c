/**
 * Evaluates the events section of a YARA-L 2.0 rule on one projected UDM event.
 *
 * Semantics (Google's documentation):
 * - The events section's lines are ANDed (yara-l-2-0-syntax, "Events section syntax").
 * - Repeated fields (https://cloud.google.com/chronicle/docs/yara-l/repeated-fields): with an unmodified
 *   expression "each element of the repeated field is treated individually": an event whose repeated field
 *   holds n elements is evaluated as n copies, each holding one element, and the event satisfies the
 *   section when one copy satisfies all of it (so two conditions on one repeated field must hold for the
 *   same element, and `not` applies per element). Nested repeated fields unnest at each level (Cartesian
 *   product; https://cloud.google.com/chronicle/docs/detection/yara-l-issues). `any` / `all` quantify over
 *   the elements inside one expression. `$e.f[i]` reads element i.
 * - A missing field reads as its zero value (`""`, 0, false) (yara-l-best-practices). Not documented, and
 *   assumed here: an empty repeated field unnests to one copy reading zero values; an index past the end
 *   reads the zero value; `any` over no element is false, `all` over no element is true.
 * - `re.regex(field, `re`)`: RE2, true when a substring matches; "if the UDM field includes newline
 *   characters, the regexp only matches the first line of the UDM field. To enforce full UDM field
 *   matching, add a (?s) to the regular expression" (yara-l-2-0-functions/re-regex). `nocase` ignores case.
 * - `nocase` after a string comparison makes it case-insensitive (yara-l-2-0-syntax); for non-ASCII text
 *   the folding is not documented: where ASCII-only and Unicode folding disagree, refused. After a regex
 *   likewise (re-regex: "You can use the nocase modifier after strings to indicate that the search should
 *   ignore capitalization"): a value holding a non-ASCII cased character is refused.
 * - Placeholders used in `match:` have their zero values filtered out unless `allow_zero_values = true`
 *   (https://cloud.google.com/chronicle/docs/yara-l/options-syntax; match-syntax "Zero values in the match
 *   section"): such an event is not kept.
 * - Types: comparing a string field with a number or boolean is a type error (refused, never guessed).
 */
import { compareSame } from '../compare.js';
import { compileTargetRegex } from '../regex.js';
import { Refusal } from '../types.js';
import { isRepeatedUdm, udmPathText, udmType, UdmUnknown, zeroOf, type UdmEvent, type UdmNode, type UdmScalar, type UdmSeg } from '../../mapping/project/yaral.js';
import { inCidr, parseCidr, parseIp, type Cidr } from './ip.js';
import type { Cond, Expr, ParsedRule } from './parse.js';

type Value = UdmScalar | UdmUnknown;
type Typ = 'string' | 'int' | 'float' | 'timestamp' | 'bool';
type Field = Extract<Expr, { k: 'field' }>;

/** The evaluation needs the element chosen for a repeated field that is not chosen yet. */
class NeedDim {
  constructor(
    readonly key: string,
    readonly size: number,
  ) {}
}

/** Three-valued results: a refusal inside a branch that does not decide the outcome is not fatal. */
type Tri = boolean | Refusal;

const MAX_COPIES = 20000;

interface Ctx {
  ev: UdmEvent;
  assign: Map<string, number>;
  binds: Map<string, Value>;
}

/** The field's names (no map keys, no indices) and whether its last step is a map key. */
function fieldNames(segs: readonly UdmSeg[]): { names: string[]; mapValue: boolean } {
  const names = segs.filter((s): s is Extract<UdmSeg, { k: 'field' }> => s.k === 'field').map((s) => s.name);
  return { names, mapValue: segs[segs.length - 1]?.k === 'key' };
}

function fieldType(f: Field): Typ {
  const { names, mapValue } = fieldNames(f.segs);
  return udmType(names, mapValue);
}

function hasRepeated(segs: readonly UdmSeg[]): boolean {
  const names: string[] = [];
  for (const s of segs) {
    if (s.k !== 'field') continue;
    names.push(s.name);
    if (isRepeatedUdm(names)) return true;
  }
  return false;
}

/**
 * Read an unmodified field: every repeated field on the way takes the element the current copy holds
 * (asking for one with NeedDim when none is chosen yet), or the index the path gives.
 */
function readField(f: Field, ctx: Ctx): Value {
  const segs = f.segs;
  const { names: allNames, mapValue } = fieldNames(segs);
  const zero = () => zeroOf(udmType(allNames, mapValue));
  let node: UdmNode | undefined = ctx.ev.root;
  const names: string[] = [];
  let key = '';
  for (let s = 0; s < segs.length; s++) {
    const g = segs[s]!;
    if (node === undefined) return zero();
    if (node instanceof UdmUnknown) return node;
    if (!(node instanceof Map)) throw new Refusal(`YARA-L: ${f.text}: ${udmPathText(segs.slice(0, s))} is not a message`);
    if (g.k === 'index') throw new Refusal(`YARA-L: ${f.text}: an index after a field that is not repeated`);
    const name = g.k === 'field' ? g.name : g.key;
    node = node.get(name);
    key += g.k === 'field' ? `.${g.name}` : `[${JSON.stringify(g.key)}]`;
    if (g.k !== 'field') continue;
    names.push(g.name);
    if (!isRepeatedUdm(names)) continue;
    if (node instanceof UdmUnknown) return node;
    const arr: UdmNode[] = Array.isArray(node) ? node : [];
    const next = segs[s + 1];
    if (next?.k === 'index') {
      node = arr[next.i];
      key += `[${next.i}]`;
      s++;
      continue;
    }
    const chosen = ctx.assign.get(key);
    if (chosen === undefined) throw new NeedDim(key, arr.length);
    if (chosen < 0) return zero();
    node = arr[chosen];
    key += `[${chosen}]`;
  }
  if (node === undefined) return zero();
  if (node instanceof Map || Array.isArray(node)) throw new Refusal(`YARA-L: ${f.text} is a message or list, not a value`);
  return node;
}

/** Every value of a field under `any`/`all`: each repeated field on the way contributes all its elements. */
function readAll(f: Field, ctx: Ctx): Value[] {
  if (!hasRepeated(f.segs)) throw new Refusal(`YARA-L: \`${f.mod}\` on ${f.text}, which is not a repeated field`);
  const out: Value[] = [];
  const walk = (node: UdmNode | undefined, s: number, names: string[]): void => {
    if (node === undefined) return;
    if (node instanceof UdmUnknown) {
      out.push(node);
      return;
    }
    if (s === f.segs.length) {
      if (node instanceof Map || Array.isArray(node)) throw new Refusal(`YARA-L: ${f.text} is a message or list, not a value`);
      out.push(node);
      return;
    }
    if (!(node instanceof Map)) throw new Refusal(`YARA-L: ${f.text}: not a message`);
    const g = f.segs[s]!;
    if (g.k === 'index') throw new Refusal(`YARA-L: ${f.text}: an index after a field that is not repeated`);
    const child = node.get(g.k === 'field' ? g.name : g.key);
    const nn = g.k === 'field' ? [...names, g.name] : names;
    if (g.k === 'field' && isRepeatedUdm(nn)) {
      if (child instanceof UdmUnknown) {
        out.push(child);
        return;
      }
      const arr = Array.isArray(child) ? child : [];
      const next = f.segs[s + 1];
      if (next?.k === 'index') return walk(arr[next.i], s + 2, nn);
      for (const el of arr) walk(el, s + 1, nn);
      return;
    }
    walk(child, s + 1, nn);
  };
  walk(ctx.ev.root, 0, []);
  return out;
}

function typeOfLit(e: Expr): Typ | null {
  if (e.k === 'str') return 'string';
  if (e.k === 'num') return 'int';
  if (e.k === 'bool') return 'bool';
  return null;
}

const numeric = (t: Typ) => t === 'int' || t === 'float';

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function eqNocase(a: string, b: string): boolean {
  const ascii = asciiLower(a) === asciiLower(b);
  const uni = a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
  if (ascii !== uni) throw new Refusal(`YARA-L: nocase on non-ASCII text (${JSON.stringify(a)} vs ${JSON.stringify(b)}): case folding not documented`);
  return ascii;
}

/** Compare two values of checked types. */
function compare(op: string, a: Value, b: Value, nocase: boolean, what: string): boolean {
  if (a instanceof UdmUnknown || b instanceof UdmUnknown) {
    const u = (a instanceof UdmUnknown ? a : b) as UdmUnknown;
    const other = a instanceof UdmUnknown ? b : a;
    if (u.nonEmpty && other === '' && (op === '=' || op === '!=')) return op === '!=';
    throw new Refusal(`YARA-L: ${what} reads a value the projection cannot state: ${u.why}`);
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (op === '=' || op === '!=') {
      const eq = nocase ? eqNocase(a, b) : a === b;
      return op === '=' ? eq : !eq;
    }
    throw new Refusal(`YARA-L: ordering comparison ${op} between strings (${what}): not documented`);
  }
  if (nocase) throw new Refusal(`YARA-L: nocase on a non-string comparison (${what})`);
  if (typeof a === 'number' && typeof b === 'number') {
    const r = compareSame(op, a, b);
    if (r !== undefined) return r;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean' && (op === '=' || op === '!=')) return (a === b) === (op === '=');
  throw new Refusal(`YARA-L: ${what}: ${op} between ${typeof a} and ${typeof b}`);
}

/** A compiled `re.regex` pattern: RE2, `(?s)` lifts the first-line restriction. */
interface Re {
  test(s: string): boolean;
  dotAllSet: boolean;
}

/** Does the pattern set `s` in its leading flag groups? A flag group setting `s` elsewhere is refused. */
function leadingDotAll(pattern: string): boolean {
  let i = 0;
  let s = false;
  for (;;) {
    const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(pattern.slice(i));
    if (!m) break;
    if (m[1]!.includes('s')) s = true;
    if (m[2]?.includes('s')) s = false;
    i += m[0].length;
  }
  if (/\(\?[a-zA-Z-]*s[a-zA-Z-]*[:)]/.test(pattern.slice(i))) {
    throw new Refusal('YARA-L: re.regex pattern sets (?s) after its start (the first-line rule is stated for a pattern that adds (?s))');
  }
  return s;
}

export interface CompiledRule {
  matches(ev: UdmEvent): boolean;
  aggregation?: string;
}

/** Check the parsed rule against the subset this evaluator decides, and build the per-event test. */
export function compileRule(r: ParsedRule): CompiledRule {
  const regexes = new Map<Extract<Expr, { k: 'call' }>, Re>();
  const cidrs = new Map<Extract<Expr, { k: 'call' }>, Cidr>();
  const bound = new Set<string>();
  const matchVars = new Set(r.match?.vars ?? []);
  for (const v of matchVars) {
    if (!r.events.some((c) => c.k === 'bind' && c.name === v)) throw new Refusal(`YARA-L: match variable $${v} is not assigned in the events section`);
  }
  for (const k of Object.keys(r.options)) {
    if (k !== 'allow_zero_values') throw new Refusal(`YARA-L: option ${k}`);
  }
  const allowZero = r.options.allow_zero_values === true;

  const checkExpr = (e: Expr, where: string): void => {
    if (e.k === 'call') throw new Refusal(`YARA-L: function ${e.name} used as a value (${where})`);
    if (e.k === 'placeholder') throw new Refusal(`YARA-L: placeholder $${e.name} used as a value`);
  };
  const check = (c: Cond, top: boolean): void => {
    switch (c.k) {
      case 'and':
      case 'or':
        c.args.forEach((a) => check(a, false));
        return;
      case 'not':
        check(c.arg, false);
        return;
      case 'bool':
        return;
      case 'bind':
        if (!top) throw new Refusal(`YARA-L: placeholder $${c.name} assigned inside a boolean expression`);
        if (bound.has(c.name)) throw new Refusal(`YARA-L: placeholder $${c.name} assigned twice (a join)`);
        if (c.field.mod) throw new Refusal('YARA-L: any/all in a placeholder assignment');
        bound.add(c.name);
        return;
      case 'cmp': {
        checkExpr(c.left, 'comparison');
        checkExpr(c.right, 'comparison');
        if (c.left.k !== 'field' && c.right.k !== 'field') throw new Refusal('YARA-L: a comparison between two constants');
        if (c.left.k === 'field' && c.right.k === 'field' && (c.left.mod || c.right.mod)) throw new Refusal('YARA-L: any/all joining two fields');
        // static type check: a field against a constant of another type is a compile error
        const f = (c.left.k === 'field' ? c.left : c.right) as Field;
        const other = c.left.k === 'field' ? c.right : c.left;
        const ft = fieldType(f);
        const lt = other.k === 'field' ? fieldType(other) : typeOfLit(other)!;
        if (ft === 'timestamp' || lt === 'timestamp') throw new Refusal(`YARA-L: comparison on the timestamp field ${f.text}`);
        const ok = ft === lt || (numeric(ft) && numeric(lt));
        if (!ok) throw new Refusal(`YARA-L: type mismatch: ${f.text} (${ft}) compared with ${other.k === 'field' ? other.text : `a ${lt} constant`}`);
        if (c.nocase && ft !== 'string') throw new Refusal(`YARA-L: nocase on the ${ft} field ${f.text}`);
        return;
      }
      case 'call': {
        const call = c.call;
        if (call.name === 're.regex') {
          const [f, p] = call.args;
          if (call.args.length !== 2 || f?.k !== 'field' || p?.k !== 'str') throw new Refusal('YARA-L: re.regex takes a field and a string pattern');
          if (fieldType(f) !== 'string') throw new Refusal(`YARA-L: re.regex on the ${fieldType(f)} field ${f.text}`);
          const dotAllSet = leadingDotAll(p.v);
          const re = compileTargetRegex(p.v, 're2', call.nocase ? { i: true } : {});
          // `nocase` on a regex folds as it folds a string comparison: ASCII letters only are documented
          // ("ignore capitalization"), so a value holding another cased character is refused (as eqNocase)
          const test = call.nocase
            ? (s: string) => {
                const odd = [...s].find((ch) => ch.charCodeAt(0) > 0x7f && (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch));
                if (odd !== undefined) throw new Refusal(`YARA-L: nocase regex on non-ASCII cased text (${JSON.stringify(odd)}): case folding not documented`);
                return re.test(s);
              }
            : (s: string) => re.test(s);
          regexes.set(call, { test, dotAllSet });
          return;
        }
        if (call.name === 'net.ip_in_range_cidr') {
          const [f, p] = call.args;
          if (call.args.length !== 2 || f?.k !== 'field' || p?.k !== 'str') throw new Refusal('YARA-L: net.ip_in_range_cidr takes a field and a CIDR string');
          if (call.nocase) throw new Refusal('YARA-L: nocase on net.ip_in_range_cidr');
          if (fieldType(f) !== 'string') throw new Refusal(`YARA-L: net.ip_in_range_cidr on the ${fieldType(f)} field ${f.text}`);
          cidrs.set(call, parseCidr(p.v));
          return;
        }
        throw new Refusal(`YARA-L: function ${call.name}`);
      }
    }
  };
  r.events.forEach((c) => check(c, true));

  /** Values of a field operand: one (unmodified) or all (any/all). */
  const operand = (e: Expr, ctx: Ctx): { vals: Value[]; mod?: 'any' | 'all' } => {
    if (e.k === 'field') return e.mod ? { vals: readAll(e, ctx), mod: e.mod } : { vals: [readField(e, ctx)] };
    if (e.k === 'str' || e.k === 'num' || e.k === 'bool') return { vals: [e.v] };
    throw new Refusal('YARA-L: unreadable operand');
  };
  const quantify = (mod: 'any' | 'all' | undefined, vals: Value[], test: (v: Value) => boolean): boolean => {
    if (mod === 'all') return vals.every(test);
    if (mod === 'any') return vals.some(test);
    return test(vals[0]!);
  };

  const evalCond = (c: Cond, ctx: Ctx): Tri => {
    try {
      switch (c.k) {
        case 'bool':
          return c.v;
        case 'and': {
          let unknown: Refusal | undefined;
          for (const a of c.args) {
            const v = evalCond(a, ctx);
            if (v === false) return false;
            if (v instanceof Refusal) unknown ??= v;
          }
          return unknown ?? true;
        }
        case 'or': {
          let unknown: Refusal | undefined;
          for (const a of c.args) {
            const v = evalCond(a, ctx);
            if (v === true) return true;
            if (v instanceof Refusal) unknown ??= v;
          }
          return unknown ?? false;
        }
        case 'not': {
          const v = evalCond(c.arg, ctx);
          return v instanceof Refusal ? v : !v;
        }
        case 'bind': {
          const v = readField(c.field, ctx);
          ctx.binds.set(c.name, v);
          if (!matchVars.has(c.name) || allowZero) return true;
          // zero values of match placeholders are filtered out
          if (v instanceof UdmUnknown) {
            if (v.nonEmpty) return true;
            throw new Refusal(`YARA-L: match placeholder $${c.name} reads a value the projection cannot state: ${v.why}`);
          }
          return !(v === '' || v === 0 || v === false);
        }
        case 'cmp': {
          const what = `${c.left.k === 'field' ? c.left.text : JSON.stringify((c.left as { v: unknown }).v)} ${c.op} ${c.right.k === 'field' ? c.right.text : JSON.stringify((c.right as { v: unknown }).v)}`;
          const L = operand(c.left, ctx);
          const R = operand(c.right, ctx);
          if (L.mod) return quantify(L.mod, L.vals, (a) => compare(c.op, a, R.vals[0]!, c.nocase, what));
          return quantify(R.mod, R.vals, (b) => compare(c.op, L.vals[0]!, b, c.nocase, what));
        }
        case 'call': {
          const call = c.call;
          const f = call.args[0] as Field;
          const { vals, mod } = operand(f, ctx);
          if (call.name === 're.regex') {
            const re = regexes.get(call)!;
            return quantify(mod, vals, (v) => {
              if (v instanceof UdmUnknown) throw new Refusal(`YARA-L: re.regex on ${f.text} reads a value the projection cannot state: ${v.why}`);
              if (typeof v !== 'string') throw new Refusal(`YARA-L: re.regex on the non-string value of ${f.text}`);
              const subject = re.dotAllSet ? v : v.split('\n')[0]!;
              return re.test(subject);
            });
          }
          const cidr = cidrs.get(call)!;
          return quantify(mod, vals, (v) => {
            if (v instanceof UdmUnknown) throw new Refusal(`YARA-L: net.ip_in_range_cidr on ${f.text} reads a value the projection cannot state: ${v.why}`);
            if (typeof v !== 'string') throw new Refusal(`YARA-L: net.ip_in_range_cidr on the non-string value of ${f.text}`);
            const ip = parseIp(v);
            return ip !== null && inCidr(ip, cidr);
          });
        }
      }
    } catch (e) {
      if (e instanceof Refusal) return e;
      throw e;
    }
  };

  const top: Cond = r.events.length === 1 ? r.events[0]! : { k: 'and', args: r.events };

  return {
    aggregation: r.match ? `match ${r.match.vars.map((v) => '$' + v).join(', ')} over ${r.match.window}; condition ${r.condition.k === 'count' ? `#${r.condition.event} ${r.condition.op} ${r.condition.n}` : `$${r.condition.event}`}` : r.condition.k === 'count' ? `condition #${r.condition.event} ${r.condition.op} ${r.condition.n}` : undefined,
    matches(ev: UdmEvent): boolean {
      let copies = 0;
      let unknown: Refusal | undefined;
      // each assignment of elements to the repeated fields read is one copy of the event
      const search = (assign: Map<string, number>): boolean => {
        if (++copies > MAX_COPIES) throw new Refusal(`YARA-L: more than ${MAX_COPIES} copies of the event to evaluate (repeated fields)`);
        let v: Tri;
        try {
          v = evalCond(top, { ev, assign, binds: new Map() });
        } catch (e) {
          if (!(e instanceof NeedDim)) throw e;
          const n = Math.max(e.size, 0);
          const choices = n === 0 ? [-1] : [...Array(n).keys()];
          for (const i of choices) if (search(new Map(assign).set(e.key, i))) return true;
          return false;
        }
        if (v instanceof Refusal) {
          unknown ??= v;
          return false;
        }
        return v;
      };
      if (search(new Map())) return true;
      if (unknown) throw unknown;
      return false;
    },
  };
}
