/**
 * CloudWatch Logs Insights filter printer.
 *
 * Case: `=`, `in [...]`, `like` and regexes are case-sensitive; predicates the lift marked `ci`
 * become `=~ /(?i)^...$/` (equality) or regexes with `(?i)`.
 * Missing fields: a positive comparison on an absent field does not match; what a negated one does
 * is not documented, so wherever Python's answer on a missing field is known, the literal states it
 * with `ispresent()` (`(not ispresent(x) or x != "v")`).
 */
import type { Json, Val } from '../../ast/types.js';
import type { TruthKind } from '../common/evidence.js';
import type { ReasonSink } from '../common/fidelity.js';
import type { Field, FieldResolver } from '../common/fields.js';
import { guardFor, litMissing, type Tri } from '../common/missing.js';
import { and, F, OUT, or, T, text, type Out } from '../common/out.js';
import { PrinterBase, type AtomOf, type Declared, type ListParts, type Lit } from '../common/printer.js';
import { anchorRe, globToRe2, portableEndNote, pyToRe2 } from '../common/regex.js';
import { cwlField, cwlReText, cwlRegex, cwlString } from './escape.js';

function numLit(v: number): string {
  return String(v);
}

/** What Logs Insights cannot express (objects and lists are flattened: `refuse` below). */
const DECLARED: Declared = { name: 'Logs Insights', lacks: ['istype', 'has', 'quant', 'bool', 'null'], badList: 'membership in a list holding booleans, nulls, lists or mappings' };

export class CwlPrinter extends PrinterBase<Out, string> {
  constructor(res: FieldResolver, sink: ReasonSink) {
    super(res, sink, OUT, DECLARED);
  }

  name(field: Field): string | null {
    const sub = field.mapped.sub ?? [];
    const full = [field.mapped.name, ...sub.map(String)].join('.');
    const f = cwlField(full);
    if (!f) this.sink.add('target-unsupported-construct', `field name ${JSON.stringify(full)} cannot be written in Logs Insights; replaced by its superset`, 'wider');
    return f;
  }

  protected handle(field: Field): string | null {
    return this.name(field);
  }

  protected label(f: string): string {
    return f;
  }

  /** What makes a field's values unreadable here (an object, a list, a boolean), from the mapping or the tests. */
  private nonScalar(field: Field): string | null {
    const stated = this.res.mapper.valueType?.(this.res.logType, field.path);
    const types = stated ? new Set([stated]) : this.res.evidence.types(field.path);
    const bad = ['dict', 'list', 'boolean'].filter((t) => types.has(t as never));
    if (bad.length === 0) return null;
    const what = bad.map((t) => (t === 'dict' ? 'a JSON object' : t === 'list' ? 'a list' : 'a boolean'));
    return `${field.path.map(String).join('.')} (${what.join(' or ')} in ${stated ? 'the mapping' : "the rule's tests"})`;
  }

  private nonScalarVal(v: Val): string | null {
    const other = this.res.field(v);
    return other ? this.nonScalar(other) : null;
  }

  /**
   * Logs Insights flattens a JSON object or list into its members (the container itself is no
   * field), and how a JSON boolean compares is not documented: such values are not tested.
   */
  protected override refuse(l: Lit, field: Field): Out | null {
    const a = l.atom;
    const other = this.nonScalar(field) ?? (a.k === 'cmp' && a.right.k !== 'lit' ? this.nonScalarVal(a.right) : null);
    return other ? this.unsupported(`a test on ${other}`) : null;
  }

  /** `not (x)` */
  private not(s: string): string {
    return `not (${s})`;
  }

  /**
   * Positive literals are false on a missing field; negated ones are undocumented, so they are
   * always guarded when Python's value is known.
   */
  private guarded(l: Lit, field: Field, f: string, body: Out, renderedNeg = l.neg): Out {
    const target: Tri = renderedNeg ? 'unknown' : false;
    const g = guardFor(litMissing(l, field), target);
    if (g === 'none') return body;
    return g === 'orMissing' ? or(text(this.not(`ispresent(${f})`)), body) : and(text(`ispresent(${f})`), body);
  }

  /** A regex literal; a `$` in it is reported (engines differ on a final line break). */
  private rx(re: string): string {
    const note = portableEndNote(re);
    if (note) this.sink.add('target-regex-end-anchor', note, 'wider');
    return cwlRegex(re);
  }

  /** Regex test: `f =~ /re/`. */
  private re(f: string, re: string, neg: boolean): string {
    const s = `${f} =~ ${this.rx(re)}`;
    return neg ? this.not(s) : s;
  }

  private eqStr(f: string, v: string, ci: boolean, neg: boolean): string {
    const q = ci ? null : cwlString(v);
    if (q === null) return this.re(f, `${ci ? '(?i)' : ''}^${cwlReText(v)}$`, neg);
    return `${f} ${neg ? '!=' : '='} ${q}`;
  }

  protected isNone(l: Lit, _field: Field, f: string): Out {
    return text(l.neg ? this.not(`ispresent(${f})`) : `ispresent(${f})`);
  }

  /** A JSON null reads as an absent field (not documented otherwise). */
  protected presentNull(): Out | null {
    return null;
  }

  /** isempty: missing or "": Python's truthiness only for string values (how a flattened JSON false, 0, [] or {} reads is not documented). */
  protected truthy(l: Lit, _field: Field, f: string, kind: TruthKind): Out | null {
    if (kind !== 'string') return null;
    return text(l.neg ? `isempty(${f})` : this.not(`isempty(${f})`));
  }

  protected cidr(l: Lit, a: AtomOf<'cidr'>, _field: Field, f: string): Out {
    const parts: Out[] = [];
    for (const r of a.ranges) {
      const q = cwlString(r);
      if (!q) return this.unsupported('a CIDR range with quotes or control characters');
      const call = `isIpInSubnet(${f}, ${q})`;
      parts.push(text(l.neg ? this.not(call) : call));
    }
    return l.neg ? and(...parts) : or(...parts);
  }

  protected cmp(l: Lit, a: AtomOf<'cmp'>, field: Field, f: string): Out {
    const SYM: Record<string, string> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
    if (a.right.k !== 'lit') {
      const other = this.res.field(a.right);
      if (!other) return T;
      const g = this.name(other);
      if (!g) return T;
      if (a.ci) return this.unsupported('a case-insensitive comparison between two fields');
      const s = `${f} ${SYM[a.op]} ${g}`;
      return text(l.neg ? this.not(s) : s);
    }
    const v: Json = a.right.v;
    if (typeof v === 'string') {
      if (a.op === 'eq' || a.op === 'ne') {
        const neg = (a.op === 'ne') !== l.neg;
        return this.guarded(l, field, f, text(this.eqStr(f, a.ci ? v.toLowerCase() : v, !!a.ci, neg)), neg);
      }
      const q = cwlString(v);
      if (!q || a.ci) return this.unsupported('an ordering comparison with this string');
      const s = `${f} ${SYM[a.op]} ${q}`;
      return this.guarded(l, field, f, text(l.neg ? this.not(s) : s), l.neg);
    }
    if (typeof v === 'number' && Number.isFinite(v)) {
      const s = `${f} ${SYM[a.op]} ${numLit(v)}`;
      return this.guarded(l, field, f, text(l.neg ? this.not(s) : s), l.neg || a.op === 'ne');
    }
    return this.unsupported('a comparison with a boolean, list or mapping');
  }

  protected inList(l: Lit, a: AtomOf<'in'>, field: Field, f: string, p: ListParts): Out {
    const strs = p.strs.map((s) => (a.ci ? s.toLowerCase() : s));
    const nums = p.nums;
    const parts: string[] = [];
    const quoted = a.ci ? [] : strs.map(cwlString);
    const plain = quoted.filter((q): q is string => q !== null);
    const viaRe = a.ci ? strs : strs.filter((_, i) => quoted[i] === null);
    const members = [...plain, ...nums.map(numLit)];
    if (members.length) parts.push(`${f} in [${members.join(', ')}]`);
    if (viaRe.length) parts.push(`${f} =~ ${this.rx(`${a.ci ? '(?i)' : ''}^(?:${viaRe.map(cwlReText).join('|')})$`)}`);
    if (parts.length === 0) return l.neg ? T : F;
    const pos = parts.length > 1 ? `(${parts.join(' or ')})` : parts[0]!;
    return this.guarded(l, field, f, text(l.neg ? this.not(pos) : pos));
  }

  protected match(l: Lit, a: AtomOf<'match'>, field: Field, f: string): Out {
    let s: string;
    if (a.kind === 'contains' && !a.ci && cwlString(a.pattern) !== null) {
      s = `${f} like ${cwlString(a.pattern)}`;
    } else {
      let re: string;
      if (a.kind === 'contains') re = cwlReText(a.pattern);
      else if (a.kind === 'startswith') re = `^${cwlReText(a.pattern)}`;
      else if (a.kind === 'endswith') re = `${cwlReText(a.pattern)}$`;
      else if (a.kind === 'glob') re = globToRe2(a.pattern, '/', 'portable');
      else {
        // the Logs Insights regex flavour is not documented: only constructs every engine reads alike
        const r = pyToRe2(a.pattern, a.flags ?? '', { delims: '/', engine: 'portable', ci: !!a.ci });
        if (!r.ok) return this.unsupported(`the regular expression ${JSON.stringify(a.pattern)} (${r.why})`);
        re = anchorRe(r.re, a.anchor, 'portable');
      }
      if (a.ci) re = `(?i)${re}`;
      s = `${f} =~ ${this.rx(re)}`;
    }
    return this.guarded(l, field, f, text(l.neg ? this.not(s) : s));
  }
}
