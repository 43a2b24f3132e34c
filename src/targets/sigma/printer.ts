/**
 * Sigma detection builder: NNF literals → search identifiers (selections) and a condition.
 *
 * Python's string operators are case-sensitive, Sigma's are not: every case-sensitive string
 * match carries `|cased`; predicates the lift marked `ci` are left plain. Regexes use `|re`
 * (case-sensitive, `|re|i` for ci). A selection on a missing field is false and `not selection`
 * true; where Python differs, a `field: null` selection guards the literal.
 */
import type { Json, Val } from '../../ast/types.js';
import type { PathSeg } from '../../ast/view.js';
import type { TruthKind } from '../common/evidence.js';
import type { ReasonSink } from '../common/fidelity.js';
import type { Field, FieldResolver } from '../common/fields.js';
import { foldJunction } from '../common/fold.js';
import { guardFor, litMissing, type Tri } from '../common/missing.js';
import { PrinterBase, type Algebra, type AtomOf, type Declared, type ListParts, type Lit, type Quant } from '../common/printer.js';
import { anchorRe, globIsSimple, globToRe2, pyToRe2 } from '../common/regex.js';
import { sigmaFieldOk, sigmaGlob, sigmaLiteral, yamlAtom, yamlStr } from './escape.js';

/** A Sigma value already rendered as a YAML scalar. */
export type SVal = string;

export interface Item {
  /** `field|modifier...`, not yet YAML-escaped. */
  key: string;
  values: SVal[];
}

/** A search identifier body: a map (items AND-ed) or a list of maps (OR-ed). */
export type Selection = { kind: 'map'; items: Item[] } | { kind: 'list'; maps: Item[][] };

export type SCond =
  | { k: 'const'; v: boolean }
  | { k: 'and' | 'or'; args: SCond[] }
  | { k: 'not'; arg: SCond }
  | { k: 'sel'; sel: Selection; hint: string };

const T: SCond = { k: 'const', v: true };
const F: SCond = { k: 'const', v: false };

function simplify(c: SCond): SCond {
  if (c.k === 'not') {
    const a = simplify(c.arg);
    if (a.k === 'const') return { k: 'const', v: !a.v };
    if (a.k === 'not') return a.arg;
    return { k: 'not', arg: a };
  }
  return c.k === 'and' || c.k === 'or' ? foldJunction(c.k, c.args, simplify) : c;
}

const sel = (key: string, values: SVal[], hint: string): SCond => ({ k: 'sel', sel: { kind: 'map', items: [{ key, values }] }, hint });
const not = (arg: SCond): SCond => simplify({ k: 'not', arg });
const and = (...args: SCond[]): SCond => simplify({ k: 'and', args });
const or = (...args: SCond[]): SCond => simplify({ k: 'or', args });
const SIGMA: Algebra<SCond> = { T, F, and, or };

function scalar(v: Json): SVal | null {
  if (typeof v === 'string') return yamlStr(sigmaLiteral(v));
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return Number.isFinite(v as number) || typeof v !== 'number' ? yamlAtom(v as number | boolean | null) : null;
  return null;
}

/** What Sigma cannot express (any() is a condition on the list field; all() is refused in `quant`). */
const DECLARED: Declared = { name: 'Sigma', lacks: ['istype', 'container'], badList: 'membership in a list holding lists or mappings' };

export class SigmaBuilder extends PrinterBase<SCond, string> {
  /** The list path of each enclosing any() (0: the outermost), which a quantifier element's path extends. */
  private elemBases: PathSeg[][] = [];

  constructor(res: FieldResolver, sink: ReasonSink) {
    super(res, sink, SIGMA, DECLARED);
  }

  protected override quant(n: Quant): SCond {
    if (n.q === 'all') {
      this.sink.add('target-quantifier', 'all() over a list is not expressible in Sigma; replaced by its superset', 'wider');
      return T;
    }
    const ref = this.res.ref(n.list, 'list');
    if (!ref) return T;
    const bases = this.elemBases;
    const base = ref.root === 'elem' ? [...(bases[ref.depth] ?? []), ...ref.path] : ref.path;
    this.sink.add('target-quantifier', 'any() over a list is rendered as a condition on the list field, which Sigma backends match element-wise');
    // elem depth 0 is the outermost quantifier: a nested quantifier's base goes last
    this.elemBases = [...bases, base];
    try {
      return this.print(n.body);
    } finally {
      this.elemBases = bases;
    }
  }

  protected override resolve(v: Val): Field | null {
    return this.res.field(v, this.elemBases);
  }

  protected handle(field: Field): string | null {
    return this.fieldName(field);
  }

  protected label(name: string): string {
    return name;
  }

  private fieldName(field: Field): string | null {
    const name = field.mapped.name + (field.mapped.sub?.length ? '.' + field.mapped.sub.join('.') : '');
    // dots address nested keys; no Sigma convention writes a key that itself holds a dot
    const dotted = field.path.find((seg) => typeof seg === 'string' && seg.includes('.') && name.includes(seg));
    if (dotted !== undefined) {
      this.sink.add('target-unsupported-construct', `the key ${JSON.stringify(dotted)} holds a dot, which no Sigma field-name convention can address; replaced by its superset`, 'wider');
      return null;
    }
    if (!sigmaFieldOk(name)) {
      this.sink.add('target-unsupported-construct', `field name ${JSON.stringify(name)} cannot be written in Sigma; replaced by its superset`, 'wider');
      return null;
    }
    return name;
  }

  /** Guard a literal whose plain Sigma rendering disagrees with Python on a missing field. */
  private guarded(l: Lit, field: Field, name: string, body: SCond, renderedNeg = l.neg): SCond {
    const target: Tri = renderedNeg; // selection: false on a missing field; `not selection`: true
    const g = guardFor(litMissing(l, field), target);
    if (g === 'none') return body;
    const missing = sel(name, ['null'], `${name}_missing`);
    return g === 'orMissing' ? or(missing, body) : and(not(missing), body);
  }

  /**
   * `|exists` is true for a present null (Sigma spec, modifiers appendix), while Python's `is None`
   * holds for it: `field: null` matches a missing or null field.
   */
  protected isNone(l: Lit, _field: Field, name: string): SCond {
    const none = sel(name, ['null'], name);
    return l.neg ? none : not(none);
  }

  /** Present (`|exists: true`, be it null) and null (`field: null`). */
  protected presentNull(_field: Field, name: string, isNull: boolean): SCond {
    const c: SCond = { k: 'sel', sel: { kind: 'map', items: [{ key: `${name}|exists`, values: ['true'] }, { key: name, values: ['null'] }] }, hint: name };
    return isNull ? c : not(c);
  }

  /**
   * Python's truthiness depends on the value's type: strings are falsy when missing/null or "",
   * booleans when missing/null or false; other types (0, [], {}) have no Sigma spelling.
   */
  protected truthy(l: Lit, _field: Field, name: string, kind: TruthKind): SCond | null {
    if (kind === 'boolean') {
      const isTrue = sel(name, ['true'], name);
      return l.neg ? not(isTrue) : isTrue;
    }
    if (kind !== 'string') return null;
    const falsy: SCond = { k: 'sel', sel: { kind: 'list', maps: [[{ key: name, values: ['null'] }], [{ key: name, values: ["''"] }]] }, hint: `${name}_empty` };
    return l.neg ? falsy : not(falsy);
  }

  protected cmp(l: Lit, a: AtomOf<'cmp'>, field: Field, name: string): SCond {
    if (a.right.k !== 'lit') {
      if (a.op !== 'eq' && a.op !== 'ne') return this.unsupported('an ordering comparison between two fields');
      const other = this.res.field(a.right);
      if (!other) return T;
      const on = this.fieldName(other);
      if (!on) return T;
      this.sink.add('target-fieldref-case', 'a field-to-field comparison uses |fieldref, whose case sensitivity is backend-defined', 'wider');
      const c = sel(`${name}|fieldref`, [yamlStr(on)], name);
      return (a.op === 'eq') !== l.neg ? c : not(c);
    }
    const v = a.right.v;
    if (a.op === 'eq' || a.op === 'ne') {
      const s = scalar(typeof v === 'string' && a.ci ? v.toLowerCase() : v);
      if (s === null) return this.unsupported('a comparison with a list or mapping');
      const key = typeof v === 'string' && !a.ci && v !== '' ? `${name}|cased` : name;
      const c = sel(key, [s], name);
      const eq = (a.op === 'eq') !== l.neg;
      return this.guarded(l, field, name, eq ? c : not(c), !eq);
    }
    if (typeof v !== 'number') return this.unsupported('an ordering comparison with a non-number');
    const NEG: Record<string, string> = { lt: 'gte', le: 'gt', gt: 'lte', ge: 'lt' };
    const POS: Record<string, string> = { lt: 'lt', le: 'lte', gt: 'gt', ge: 'gte' };
    // not(x < n) on a missing field is an error in Python; use the flipped modifier so both polarities need the field
    const mod = l.neg ? NEG[a.op]! : POS[a.op]!;
    return sel(`${name}|${mod}`, [yamlAtom(v)], name);
  }

  protected inList(l: Lit, a: AtomOf<'in'>, field: Field, name: string, p: ListParts): SCond {
    const parts: SCond[] = [];
    if (p.strs.length) {
      const vals = p.strs.map((s) => yamlStr(sigmaLiteral(a.ci ? s.toLowerCase() : s)));
      const cased = !a.ci && p.strs.some((s) => s !== '');
      parts.push(sel(cased ? `${name}|cased` : name, vals, name));
    }
    for (const o of p.nonStr) parts.push(sel(name, [scalar(o)!], name));
    const c = parts.length ? or(...parts) : F;
    return this.guarded(l, field, name, l.neg ? not(c) : c);
  }

  protected match(l: Lit, a: AtomOf<'match'>, field: Field, name: string): SCond {
    let c: SCond;
    if (a.kind === 'contains' || a.kind === 'startswith' || a.kind === 'endswith') {
      const p = a.ci ? a.pattern.toLowerCase() : a.pattern;
      if (p === '') c = sel(`${name}|exists`, ['true'], name); // "" is in every string
      else c = sel(`${name}|${a.kind}${a.ci ? '' : '|cased'}`, [yamlStr(sigmaLiteral(p))], name);
    } else if (a.kind === 'glob' && globIsSimple(a.pattern)) {
      c = sel(a.ci ? name : `${name}|cased`, [yamlStr(sigmaGlob(a.ci ? a.pattern.toLowerCase() : a.pattern))], name);
    } else {
      let re: string;
      if (a.kind === 'glob') re = globToRe2(a.pattern, '', 'pcre');
      else {
        // translated knowing every flag; the flags themselves travel as |i |m |s modifiers
        const r = pyToRe2(a.pattern, a.flags ?? '', { engine: 'pcre', ci: !!a.ci });
        if (!r.ok) return this.unsupported(`the regular expression ${JSON.stringify(a.pattern)} (${r.why})`);
        re = anchorRe(r.re, a.anchor, 'pcre').replace(/^\(\?[ims]+\)/, '');
      }
      const flags = new Set((a.flags ?? '').toLowerCase().split('').filter((f) => 'ims'.includes(f)));
      if (a.ci) flags.add('i');
      const mods = [...flags].sort().map((f) => `|${f}`).join('');
      c = sel(`${name}|re${mods}`, [yamlStr(re)], name);
    }
    return this.guarded(l, field, name, l.neg ? not(c) : c);
  }

  protected override has(l: Lit, a: AtomOf<'has'>, _field: Field, name: string): SCond {
    const s = scalar(a.needle);
    if (s === null || a.needle === null) return this.unsupported('membership of a list or mapping');
    this.sink.add('target-list-membership', 'an element-in-list test is rendered as a field match, which Sigma backends apply element-wise');
    const key = typeof a.needle === 'string' && !a.ci && a.needle !== '' ? `${name}|cased` : name;
    const c = sel(key, [typeof a.needle === 'string' && a.ci ? yamlStr(sigmaLiteral(a.needle.toLowerCase())) : s], name);
    return l.neg ? not(c) : c;
  }

  protected cidr(l: Lit, a: AtomOf<'cidr'>, _field: Field, name: string): SCond {
    const c = sel(`${name}|cidr`, a.ranges.map((r) => yamlStr(r)), name);
    return l.neg ? not(c) : c;
  }
}

// ------------------------------------------------------------------------------------------
// Condition layout: merge selections, name them, print the condition string.

export interface Detection {
  /** Search identifiers in order, each a YAML block (lines indented under `detection:`). */
  blocks: { name: string; lines: string[] }[];
  condition: string;
}

interface Named {
  name: string;
  sel: Selection;
}

function mergeAnd(args: SCond[]): SCond[] {
  // positive single-map selections with distinct keys become one map selection
  const out: SCond[] = [];
  let acc: { items: Item[]; hint: string } | null = null;
  let accAt = -1;
  for (const a0 of args) {
    // an `or` of values of one field is one selection (a list of values), merged like any other
    const merged = a0.k === 'or' ? mergeOr(a0.args) : null;
    const a = merged && merged.length === 1 ? (merged[0] as SCond) : a0;
    if (a.k === 'sel' && a.sel.kind === 'map') {
      const keys = new Set(acc?.items.map((i) => i.key) ?? []);
      if (acc && a.sel.items.every((i) => !keys.has(i.key))) {
        acc.items.push(...a.sel.items);
        // the selection is named after every field it tests
        const hints = new Set((out[accAt] as { hint: string }).hint.split('+'));
        hints.add(a.hint);
        (out[accAt] as { hint: string }).hint = [...hints].join('+');
        continue;
      }
      if (!acc) {
        acc = { items: [...a.sel.items], hint: a.hint };
        accAt = out.length;
        out.push({ k: 'sel', sel: { kind: 'map', items: acc.items }, hint: a.hint });
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

function mergeOr(args: SCond[]): SCond[] {
  // positive single-item selections on the same key become one list of values
  const out: SCond[] = [];
  const byKey = new Map<string, Item>();
  for (const a of args) {
    const one = a.k === 'sel' && a.sel.kind === 'map' && a.sel.items.length === 1 ? a.sel.items[0]! : null;
    if (a.k === 'sel' && one && one.values.every((v) => v !== 'null') && !/\|(exists|fieldref)\b/.test(one.key)) {
      const it = one;
      const prev = byKey.get(it.key);
      if (prev) {
        for (const v of it.values) if (!prev.values.includes(v)) prev.values.push(v);
        continue;
      }
      const copy: Item = { key: it.key, values: [...it.values] };
      byKey.set(it.key, copy);
      out.push({ k: 'sel', sel: { kind: 'map', items: [copy] }, hint: a.hint });
      continue;
    }
    out.push(a);
  }
  return out;
}

export function layout(root: SCond): Detection {
  const named: Named[] = [];
  const used = new Set<string>(['condition']);
  const nameFor = (hint: string, negated: boolean): string => {
    // named after its fields' last segments (the full paths are in the selection itself), at most three
    const fields = hint.split('+').map((h) => h.split('.').pop() ?? h);
    const short = fields.length > 3 ? `${fields.slice(0, 3).join('_')}_etc` : fields.join('_');
    const base = (negated ? 'filter_' : 'selection_') + short.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    let n = base.replace(/_+$/, '') || (negated ? 'filter' : 'selection');
    let i = 2;
    while (used.has(n)) n = `${base}_${i++}`;
    used.add(n);
    return n;
  };
  const print = (c: SCond, ctx: 'top' | 'and' | 'or' | 'not'): string => {
    switch (c.k) {
      case 'const':
        throw new Error('constant inside a Sigma condition');
      case 'sel': {
        const name = nameFor(c.hint, ctx === 'not');
        named.push({ name, sel: c.sel });
        return name;
      }
      case 'not':
        return `not ${print(c.arg, 'not')}`;
      case 'and': {
        const args = mergeAnd(c.args);
        if (args.length === 1) return print(args[0]!, ctx);
        const s = args.map((a) => print(a, 'and')).join(' and ');
        return ctx === 'not' ? `(${s})` : s;
      }
      case 'or': {
        const args = mergeOr(c.args);
        if (args.length === 1) return print(args[0]!, ctx);
        const s = args.map((a) => print(a, 'or')).join(' or ');
        return ctx === 'and' || ctx === 'not' ? `(${s})` : s;
      }
    }
  };
  const condition = print(root, 'top');
  const blocks = named.map((n) => ({ name: n.name, lines: selectionLines(n.sel) }));
  return { blocks, condition };
}

function itemLines(it: Item, indent: string, first: string): string[] {
  const key = yamlStr(it.key);
  if (it.values.length === 1) return [`${first}${key}: ${it.values[0]}`];
  return [`${first}${key}:`, ...it.values.map((v) => `${indent}  - ${v}`)];
}

function selectionLines(s: Selection): string[] {
  if (s.kind === 'map') return s.items.flatMap((it) => itemLines(it, '', ''));
  return s.maps.flatMap((m) => m.flatMap((it, i) => itemLines(it, '  ', i === 0 ? '- ' : '  ')));
}
