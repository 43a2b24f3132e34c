/**
 * Witness events: concrete JSON events on which two versions of a rule decide differently.
 *
 * Candidates are built from the conditions' atoms (each field comparison gives values that make it
 * true or false: the literal itself, a value beside it, a missing field...), first for
 * `new and not old` / `old and not new` directly, then for each version alone, then by changing one
 * field at a time of the rules' own test events. Every candidate is checked with `evaluateRule` on
 * both versions; only those the evaluator confirms are reported, shrunk to the fields that matter.
 */
import type { Json, Pred, Val } from '../ast/types.js';
import { evaluateRule } from '../ast/evaluate.js';
import { fieldRef, type PathSeg } from '../ast/view.js';
import { literals } from './canon.js';

export type WitnessLabel = 'now alerts' | 'no longer alerts';

export interface Witness {
  label: WitnessLabel;
  event: Json;
  /** Where the event came from: built from the atoms, or a rule test changed on one field. */
  origin: string;
  old: boolean;
  new: boolean;
}

const MISSING = Symbol('missing');
type Value = Json | typeof MISSING;

/** One constraint: a value at a path, from the event root or from the element of the quantifier at `depth`. */
interface Assign {
  root: 'event' | 'elem';
  depth: number;
  path: PathSeg[];
  value: Value;
}
type Option = Assign[];

const CAP = 40;

/** A string a Python regex matches (a small generator for common patterns; the evaluator checks every use). */
export function regexExample(pattern: string): string {
  let i = 0;
  const src = pattern;
  // a sequence up to `|` or `)` at this level; the first alternative is taken
  const seq = (): string => {
    let out = '';
    while (i < src.length && src[i] !== ')') {
      if (src[i] === '|') {
        // skip the other alternatives of this level
        let depth = 0;
        for (; i < src.length; i++) {
          const c = src[i];
          if (c === '\\') i++;
          else if (c === '(') depth++;
          else if (c === ')') {
            if (depth === 0) break;
            depth--;
          }
        }
        break;
      }
      const a = atom();
      out += quantify(a);
    }
    return out;
  };
  const quantify = (a: string): string => {
    const q = src[i];
    if (q === '*' || q === '?' || q === '+') {
      i++;
      if (src[i] === '?' || src[i] === '+') i++;
      return a;
    }
    if (q === '{') {
      const m = /^\{(\d*)(,(\d*))?\}\??/.exec(src.slice(i));
      if (m) {
        i += m[0].length;
        return a.repeat(Math.min(Math.max(1, Number(m[1] || '1')), 64));
      }
    }
    return a;
  };
  const atom = (): string => {
    const c = src[i] as string;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      i += 2;
      const cls: Record<string, string> = { d: '1', w: 'a', s: ' ', D: '-', W: '-', S: 'a', b: '', B: '', A: '', Z: '', n: '\n', t: '\t' };
      return cls[n] ?? n;
    }
    if (c === '[') {
      let j = i + 1;
      const neg = src[j] === '^';
      if (neg) j++;
      let first = src[j] === '\\' ? ({ d: '1', w: 'a', s: ' ' } as Record<string, string>)[src[j + 1] ?? ''] ?? src[j + 1] ?? 'a' : src[j] ?? 'a';
      const open = j;
      while (j < src.length && !(src[j] === ']' && j > open)) j += src[j] === '\\' ? 2 : 1;
      i = j + 1;
      if (neg) first = '~';
      return first;
    }
    if (c === '(') {
      i++;
      if (src.startsWith('?:', i)) i += 2;
      else if (src.startsWith('?P<', i)) i = src.indexOf('>', i) + 1;
      else if (/^\?[aiLmsux]+\)/.test(src.slice(i))) {
        i = src.indexOf(')', i) + 1;
        return '';
      } else if (/^\?(<?[=!])/.test(src.slice(i))) {
        // a lookaround: skip it
        let depth = 1;
        for (; i < src.length && depth > 0; i++) {
          if (src[i] === '\\') i++;
          else if (src[i] === '(') depth++;
          else if (src[i] === ')') depth--;
        }
        return '';
      }
      const body = seq();
      i++;
      return body;
    }
    i++;
    if (c === '.') return 'a';
    if (c === '^' || c === '$') return '';
    return c;
  };
  let out = '';
  while (i < src.length) {
    out += seq();
    if (src[i] === ')') i++;
    else break;
  }
  return out;
}

function globExample(p: string): string {
  return p.replace(/\[!?([^\]])[^\]]*\]/g, '$1').replace(/\*/g, 'x').replace(/\?/g, 'x');
}

function cidrExample(r: string): string[] {
  const [addr, bits] = r.split('/');
  if (!addr) return [];
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  if (m) {
    const n = Number(bits ?? 32);
    const last = Number(m[4]);
    return n <= 30 ? [`${m[1]}.${m[2]}.${m[3]}.${last + 1}`, addr] : [addr];
  }
  return addr.endsWith('::') ? [`${addr}1`, addr] : [addr];
}

function differentString(s: string): string {
  return s === 'zz-other' ? 'zz-other2' : 'zz-other';
}

function variants(s: string, ci: boolean | undefined): string[] {
  return ci && s.toUpperCase() !== s ? [s, s.toUpperCase()] : [s];
}

/** A value on which the predicate is not decided by the literal: beside it. */
function beside(v: Json): Json[] {
  if (typeof v === 'number') return [v + 1, v - 1];
  if (typeof v === 'string') return [differentString(v), `${v}x`, v.length > 1 ? v.slice(0, -1) : 'x'];
  if (typeof v === 'boolean') return [!v];
  if (v === null) return ['x'];
  return ['x'];
}

class Builder {
  constructor(private novel: (lit: Json) => boolean) {}

  private refOf(v: Val): { root: 'event' | 'elem'; depth: number; path: PathSeg[] } | null {
    const f = fieldRef(v);
    return f ? { root: f.root, depth: f.depth, path: f.path } : null;
  }

  private on(v: Val, values: Value[]): Option[] {
    const r = this.refOf(v);
    if (!r) return [[]];
    const seen = new Set<string>();
    const out: Option[] = [];
    for (const x of values) {
      const k = x === MISSING ? '<missing>' : JSON.stringify(x);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push([{ ...r, value: x }]);
    }
    return out;
  }

  /** Prefer the literals only one version names. */
  private order<T extends Json>(xs: T[]): T[] {
    return [...xs.filter((x) => this.novel(x)), ...xs.filter((x) => !this.novel(x))];
  }

  options(p: Pred, want: boolean, level: number): Option[] {
    switch (p.k) {
      case 'const':
        return p.v === want ? [[]] : [];
      case 'opaque':
        return (p.assume ?? true) === want ? [[]] : [];
      case 'not':
        return this.options(p.arg, !want, level);
      case 'and':
      case 'or': {
        const all = (p.k === 'and') === want;
        if (!all) {
          // one operand decides
          const out: Option[] = [];
          const per = p.args.map((a) => this.options(a, want, level));
          // round robin so that every operand is represented
          for (let i = 0; out.length < CAP && per.some((o) => i < o.length); i++) for (const o of per) if (i < o.length && out.length < CAP) out.push(o[i] as Option);
          return out;
        }
        let acc: Option[] = [[]];
        for (const a of p.args) {
          const opts = this.options(a, want, level);
          const next: Option[] = [];
          for (const x of acc) for (const y of opts) {
            if (next.length >= CAP) break;
            const m = merge(x, y);
            if (m) next.push(m);
          }
          acc = next;
          if (acc.length === 0) return [];
        }
        return acc;
      }
      case 'quant': {
        const list = this.refOf(p.list);
        if (!list) return [[]];
        const inner = (w: boolean): Option[] => this.options(p.pred, w, level + 1);
        const elemsOf = (o: Option): { elem: Json; rest: Option } => {
          const mine = o.filter((a) => a.root === 'elem' && a.depth === level);
          const rest = o.filter((a) => !(a.root === 'elem' && a.depth === level));
          return { elem: build(mine.length && mine.every((a) => a.path.length > 0) ? {} : null, mine), rest };
        };
        const withList = (o: Option, elems: Json[]): Option => [...o, { ...list, value: elems }];
        const out: Option[] = [];
        const sat = (p.q === 'any') === want;
        if (sat) for (const o of inner(want)) out.push(((e) => withList(e.rest, [e.elem]))(elemsOf(o)));
        else {
          if ((p.q === 'any' && !want) || (p.q === 'all' && want)) out.push(withList([], []));
          for (const o of inner(p.q === 'all' ? want : want)) out.push(((e) => withList(e.rest, [e.elem]))(elemsOf(o)));
        }
        return out.slice(0, CAP);
      }
      default:
        return this.atom(p, want);
    }
  }

  private atom(p: Pred, want: boolean): Option[] {
    switch (p.k) {
      case 'cmp': {
        const rl = p.right.k === 'lit' ? p.right.v : undefined;
        if (rl === undefined) {
          // field against field
          const l = this.refOf(p.left);
          const r = this.refOf(p.right);
          if (!l || !r) return [[]];
          const same = (p.op === 'eq' || p.op === 'le' || p.op === 'ge') === want;
          return [[{ ...l, value: 'x' }, { ...r, value: same ? 'x' : 'y' }]];
        }
        const eqTrue = p.op === 'eq' ? want : p.op === 'ne' ? !want : undefined;
        if (eqTrue !== undefined) {
          const hit = typeof rl === 'string' ? variants(rl, p.ci) : [rl];
          return this.on(p.left, eqTrue ? hit : [...beside(rl), MISSING]);
        }
        if (typeof rl === 'number') {
          const holds = (x: number): boolean => (p.op === 'lt' ? x < rl : p.op === 'le' ? x <= rl : p.op === 'gt' ? x > rl : x >= rl);
          return this.on(p.left, [rl - 1, rl, rl + 1, rl - 0.5, rl + 0.5].filter((x) => holds(x) === want));
        }
        if (typeof rl === 'string') {
          const holds = (x: string): boolean => (p.op === 'lt' ? x < rl : p.op === 'le' ? x <= rl : p.op === 'gt' ? x > rl : x >= rl);
          return this.on(p.left, ['', rl, `${rl}a`, rl.slice(0, -1)].filter((x) => holds(x) === want));
        }
        return [[]];
      }
      case 'in': {
        if (want) return this.on(p.value, this.order(p.list).slice(0, 16).flatMap((x): Json[] => (typeof x === 'string' ? variants(x, p.ci) : [x])));
        const first = p.list.find((x) => typeof x === 'string') as string | undefined;
        return this.on(p.value, [first !== undefined ? differentString(first) : 'zz-other', MISSING]);
      }
      case 'match': {
        const pat = p.pattern;
        let hit: string[];
        if (p.kind === 'contains') hit = [`x${pat}x`, pat];
        else if (p.kind === 'startswith') hit = [`${pat}x`, pat];
        else if (p.kind === 'endswith') hit = [`x${pat}`, pat];
        else if (p.kind === 'glob') hit = [globExample(pat)];
        else hit = [regexExample(pat), pat.replace(/[\\^$]/g, '')];
        if (want) return this.on(p.value, hit.flatMap((h) => variants(h, p.ci)));
        return this.on(p.value, ['zz-other', '', p.kind === 'startswith' ? `x${pat}` : p.kind === 'endswith' ? `${pat}x` : 'zz', MISSING]);
      }
      case 'has':
        return want ? this.on(p.value, [[p.needle] as Json, ...(typeof p.needle === 'string' ? [{ [p.needle]: 'x' } as Json] : [])]) : this.on(p.value, [[], ['zz-other']]);
      case 'exists':
        return this.on(p.value, want ? ['x', 1, true] : [MISSING, null]);
      case 'truthy':
        return this.on(p.value, want ? ['x', true, 1, ['x'], { x: 'x' }] : [MISSING, '', false, 0, [], {}]);
      case 'cidr':
        return this.on(p.value, want ? p.ranges.slice(0, 8).flatMap(cidrExample) : ['203.0.113.7', '8.8.8.8', '10.1.2.3', '2001:db8::1']);
      case 'istype': {
        const sample: Record<string, Json> = { str: 'x', int: 1, float: 1.5, bool: true, list: ['x'], dict: { x: 'x' }, none: null };
        const mine = sample[p.type] as Json;
        return this.on(p.value, want ? [mine] : Object.entries(sample).filter(([k]) => k !== p.type && !(p.type === 'int' && k === 'bool')).map(([, v]) => v));
      }
      case 'valid':
        return this.on(p.value, want ? ['{}', '{"a": 1}'] : ['not json', MISSING]);
      case 'rel': {
        const v = this.refOf(p.value);
        const o = this.refOf(p.other);
        if (!v || !o) return [[]];
        if (want) {
          const val = p.rel === 'startswith' ? 'abcx' : p.rel === 'endswith' ? 'xabc' : 'xabcx';
          return [[{ ...v, value: val }, { ...o, value: 'abc' }]];
        }
        return [[{ ...v, value: 'xyz' }, { ...o, value: 'abc' }]];
      }
      default:
        return [[]];
    }
  }
}

function pathKey(a: Assign): string {
  return `${a.root}${a.depth}:${JSON.stringify(a.path)}`;
}

function merge(x: Option, y: Option): Option | null {
  if (y.length === 0) return x;
  if (x.length === 0) return y;
  const m = new Map(x.map((a) => [pathKey(a), a]));
  const out = [...x];
  for (const b of y) {
    const a = m.get(pathKey(b));
    if (a) {
      if ((a.value === MISSING) !== (b.value === MISSING) || (a.value !== MISSING && JSON.stringify(a.value) !== JSON.stringify(b.value))) return null;
      continue;
    }
    out.push(b);
  }
  return out;
}

function clone(v: Json): Json {
  return v === null || typeof v !== 'object' ? v : JSON.parse(JSON.stringify(v));
}

/** Set (or delete) a value at a path, creating objects and lists on the way. */
function setPath(root: Json, path: PathSeg[], value: Value): Json {
  if (path.length === 0) return value === MISSING ? null : clone(value);
  let cur: Json = root !== null && typeof root === 'object' ? root : {};
  const top = cur;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as PathSeg;
    const last = i === path.length - 1;
    const c = cur as Record<string, Json> & Json[];
    if (typeof seg === 'number' && Array.isArray(cur)) {
      const idx = seg < 0 ? cur.length + seg : seg;
      while (cur.length <= idx) cur.push(null);
      if (last) {
        if (value === MISSING) cur[idx] = null;
        else cur[idx] = clone(value);
        return top;
      }
      if (cur[idx] === null || typeof cur[idx] !== 'object') cur[idx] = typeof path[i + 1] === 'number' ? [] : {};
      cur = cur[idx] as Json;
      continue;
    }
    const key = String(seg);
    if (last) {
      if (value === MISSING) delete c[key as never];
      else (c as Record<string, Json>)[key] = clone(value);
      return top;
    }
    const next = (c as Record<string, Json>)[key];
    if (next === undefined || next === null || typeof next !== 'object') (c as Record<string, Json>)[key] = typeof path[i + 1] === 'number' ? [] : {};
    cur = (c as Record<string, Json>)[key] as Json;
  }
  return top;
}

function build(base: Json, o: Option): Json {
  let ev = clone(base);
  for (const a of o) ev = setPath(ev, a.path, a.value);
  return ev;
}

/** The leaf paths of an event (for shrinking a witness). */
function leafPaths(v: Json, prefix: PathSeg[] = []): PathSeg[][] {
  if (v === null || typeof v !== 'object') return [prefix];
  const out: PathSeg[][] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...leafPaths(x, [...prefix, i])));
  else for (const [k, x] of Object.entries(v)) out.push(...leafPaths(x, [...prefix, k]));
  return out.length ? out : [prefix];
}

function removePath(ev: Json, path: PathSeg[]): Json {
  const out = clone(ev);
  if (path.length === 0) return out;
  let cur: Json = out;
  for (const seg of path.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return out;
    cur = (cur as Record<string, Json>)[seg as string] as Json;
  }
  const last = path[path.length - 1] as PathSeg;
  if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
  else if (cur && typeof cur === 'object') delete (cur as Record<string, Json>)[last as string];
  return out;
}

export interface WitnessInput {
  oldCond: Pred;
  newCond: Pred;
  /** Events to start from (the rules' own test logs, with p_log_type). */
  seeds: Json[];
  /** The base of built events (e.g. { p_log_type }). */
  base: Json;
  /** Stop after this many evaluations of a candidate. */
  budget?: number;
}

export interface WitnessResult {
  witnesses: Witness[];
  /** Candidate events tried. */
  tried: number;
}

/** Find up to one witness per direction. */
export function findWitnesses(inp: WitnessInput): WitnessResult {
  const { oldCond, newCond } = inp;
  const budget = inp.budget ?? 4000;
  const oldLits = literals(oldCond);
  const newLits = literals(newCond);
  const novel = (x: Json): boolean => {
    const k = JSON.stringify(x);
    return oldLits.has(k) !== newLits.has(k);
  };
  const b = new Builder(novel);
  const found = new Map<WitnessLabel, Witness>();
  let tried = 0;
  const seen = new Set<string>();
  const check = (ev: Json, origin: string): void => {
    if (tried >= budget) return;
    const key = JSON.stringify(ev);
    if (seen.has(key)) return;
    seen.add(key);
    tried++;
    const o = evaluateRule(oldCond, ev);
    const n = evaluateRule(newCond, ev);
    if (o === n) return;
    const label: WitnessLabel = n ? 'now alerts' : 'no longer alerts';
    if (found.has(label)) return;
    found.set(label, { label, event: shrink(ev, o, n, oldCond, newCond, inp.base), origin, old: o, new: n });
  };
  const done = (): boolean => found.size === 2 || tried >= budget;
  // 1. directed: what one version alerts on and the other does not
  const both = (a: Pred, notB: Pred): Pred => ({ k: 'and', args: [a, { k: 'not', arg: notB }] });
  for (const o of b.options(both(newCond, oldCond), true, 0)) {
    if (done()) break;
    check(build(inp.base, o), 'built from the conditions');
  }
  for (const o of b.options(both(oldCond, newCond), true, 0)) {
    if (done()) break;
    check(build(inp.base, o), 'built from the conditions');
  }
  // 2. what each version alerts on, or not
  for (const [c, w] of [[newCond, true], [oldCond, true], [newCond, false], [oldCond, false]] as [Pred, boolean][]) {
    for (const o of b.options(c, w, 0)) {
      if (done()) break;
      check(build(inp.base, o), 'built from the conditions');
    }
  }
  // 3. the rules' tests, as they are and changed on one field
  for (const s of inp.seeds) {
    if (done()) break;
    check(s, 'a rule test');
  }
  const singles = [...b.options(newCond, true, 0), ...b.options(oldCond, true, 0), ...b.options(newCond, false, 0), ...b.options(oldCond, false, 0)].flatMap((o) => o.map((a) => [a]));
  for (const s of inp.seeds) {
    for (const a of singles) {
      if (done()) break;
      check(build(s, a), 'a rule test changed on one field');
    }
    for (const o of [...b.options(both(newCond, oldCond), true, 0), ...b.options(both(oldCond, newCond), true, 0)]) {
      if (done()) break;
      check(build(s, o), 'a rule test changed on the fields the versions disagree on');
    }
  }
  return { witnesses: [...found.values()].sort((x, y) => (x.label < y.label ? 1 : -1)), tried };
}

/** Remove every field the difference does not need (keeping the base's fields). */
function shrink(ev: Json, o: boolean, n: boolean, oldCond: Pred, newCond: Pred, base: Json): Json {
  let cur = ev;
  const keep = new Set(base && typeof base === 'object' && !Array.isArray(base) ? Object.keys(base) : []);
  for (let round = 0; round < 3; round++) {
    let changed = false;
    for (const p of leafPaths(cur)) {
      if (p.length === 1 && keep.has(String(p[0]))) continue;
      if (p.length === 0) continue;
      // try removing the whole top-level key first, then the leaf
      for (const cut of [p.slice(0, 1), p]) {
        const t = removePath(cur, cut);
        if (JSON.stringify(t) === JSON.stringify(cur)) continue;
        if (evaluateRule(oldCond, t) === o && evaluateRule(newCond, t) === n) {
          cur = t;
          changed = true;
          break;
        }
      }
    }
    if (!changed) break;
  }
  return cur;
}
