/**
 * YARA-L 2.0 expression printer (events section).
 *
 * Case: `=` is case-sensitive, `nocase` is appended for predicates the lift marked `ci`; regexes
 * carry `(?i)` instead, except a case-insensitive list's, which carries its equalities' `nocase`.
 * Lists of exact values are an `or` of equalities (or one anchored `^(?:a|b)$` regex for long lists
 * and where it is shorter), never an unanchored alternation.
 * Missing fields read as the zero value `""` in UDM, which cannot be told from an empty string:
 * where Python differs on a missing field, the difference is reported with its direction.
 */
import type { Json, Val } from '../../ast/types.js';
import { pathText } from '../../ast/view.js';
import type { TruthKind } from '../common/evidence.js';
import type { ReasonSink } from '../common/fidelity.js';
import type { Field, FieldResolver } from '../common/fields.js';
import { guardFor, litMissing, zeroMissing, type Tri } from '../common/missing.js';
import { and, F, OUT, or, T, text, type Out } from '../common/out.js';
import { atomValue, type Nnf } from '../common/nnf.js';
import { pySpace, splitPlan, splitRead, splitWhat, treeOnMissing, type PieceSyntax, type RegexTree, type SplitRead } from '../common/split.js';
import { evalAtomOn } from '../common/missing.js';
import { pyStr, pyStrip } from '../../python/semantics.js';
import { PrinterBase, type AtomOf, type Declared, type ListParts, type Lit, type NoneVia } from '../common/printer.js';
import { anchorRe, globToRe2, pyToRe2 } from '../common/regex.js';
import { globShape, regexShape } from '../common/shape.js';
import { yaralReText, yaralRegex, yaralString, yaralUdmOk } from './escape.js';
import { factorAffixes, printedFieldType } from './tidy.js';

/** Lists longer than this become one anchored regex instead of an `or` of equalities. */
const MAX_OR = 8;

function num(v: number): string {
  return String(v);
}

/**
 * Pieces of a split and rstrip() as regexes on the field (common/split.ts, common/strip.ts): literal text
 * escaped for RE2 inside back quotes; `$` is the end of the text, RE2's `$` without the `m` flag ("at end
 * of text (like \z not \Z)", https://github.com/google/re2/wiki/Syntax), which re.regex() runs with `(?s)`
 * first (see `re` below).
 */
const YARAL_PIECES: PieceSyntax = { text: yaralReText, end: '$', space: pySpace({ delims: '`', engine: 're2', dotAll: true }) };

/** What YARA-L cannot express (no list maps to repeated UDM fields for a quantifier). */
const DECLARED: Declared = { name: 'YARA-L', lacks: ['istype', 'quant', 'container', 'bool', 'null'], badList: 'membership in a list holding non-scalar or null values' };

export class YaralPrinter extends PrinterBase<Out, string> {
  /**
   * The regex tests (field and regex) the computed values of this print wrote, and those to leave out: a
   * split's test written twice in one rule (an `if`/`elif` on the number of pieces reads it in two
   * branches) would repeat an atom of the query, which YARA-L cannot name once; `eventLines` prints again
   * with the repeated ones as their declared superset.
   */
  readonly computedRegexes: string[] = [];
  avoid = new Set<string>();

  constructor(
    res: FieldResolver,
    sink: ReasonSink,
    private readonly ev = '$e',
  ) {
    super(res, sink, OUT, DECLARED);
  }

  /**
   * In a conjunction, a test that `x.split(d)` has at least `n` pieces (`len(...) >= n`, `> n - 1`) is left
   * out beside a positive test on piece `i >= n - 1` of the same split: every regex of that test starts with
   * `i` runs of "no `d`, then `d`" (common/split.ts), so it already requires `n` pieces. Python's guard
   * (`len(parts) >= 5 and parts[4] == ...`) would otherwise be written again in an `elif` branch.
   */
  override print(n: Nnf): Out {
    if (n.k !== 'and') return super.print(n);
    const key = (s: SplitRead): string => JSON.stringify([s.src, s.sep, s.lower]);
    const pieces = new Map<string, number>();
    for (const a of n.args) {
      if (a.k !== 'lit' || a.neg) continue;
      const s = splitRead(atomValue(a.atom));
      const t = a.atom;
      if (!s || typeof s.which !== 'number' || s.which < 0) continue;
      const positive = (t.k === 'cmp' && t.op === 'eq' && t.right.k === 'lit' && typeof t.right.v === 'string') || (t.k === 'in' && t.list.every((x) => typeof x === 'string')) || (t.k === 'match' && (t.kind === 'contains' || t.kind === 'startswith' || t.kind === 'endswith'));
      if (positive) pieces.set(key(s), Math.max(pieces.get(key(s)) ?? -1, s.which));
    }
    if (pieces.size === 0) return super.print(n);
    const implied = (a: Nnf): boolean => {
      if (a.k !== 'lit' || a.neg || a.atom.k !== 'cmp' || a.atom.right.k !== 'lit' || typeof a.atom.right.v !== 'number') return false;
      const s = splitRead(atomValue(a.atom));
      if (!s || s.which !== 'len') return false;
      const i = pieces.get(key(s));
      const v = a.atom.right.v;
      const need = a.atom.op === 'ge' ? v : a.atom.op === 'gt' ? v + 1 : null;
      return i !== undefined && need !== null && i + 1 >= need;
    };
    const kept = n.args.filter((a) => !implied(a));
    return kept.length === n.args.length ? super.print(n) : super.print(kept.length === 1 ? kept[0]! : { ...n, args: kept });
  }

  /**
   * Computed values written on the field itself, as the Sigma and Logs Insights printers do (common code):
   * a test on a piece of `x.split(d)` (its number, membership in the pieces) or on `x.rstrip(chars)` is a
   * regex on `x`, matched with the documented regex comparison (`re.regex`, yara-l-2-0-functions/re-regex,
   * https://cloud.google.com/chronicle/docs/yara-l/functions); a test on `str(x)` is the test on `x` where
   * the field's type makes them agree (common/strval.ts; `textOfInt`: a string UDM field receiving an int
   * holds its decimal spelling, the projection's documented choice, src/mapping/project/yaral.ts), and
   * `float(x)` of a field holding numbers is `x`.
   */
  protected override literal(l: Lit): Out {
    return this.computedLiteral(l, {
      pieces: YARAL_PIECES,
      split: (s) => this.splitLit(l, s),
      strip: (src, chars, re) => this.stripLit(l, src, chars, re),
      str: { textOfInt: true },
      float: true,
    });
  }

  /**
   * The field a split or rstrip() reads, written, with Python's default where it is missing: `str(x)` of a
   * field holding only strings is `x`, whose missing value Python reads as the text "None" (`str(None)`).
   */
  private computedSource(src: Val): { field: Field; f: string; py: { ref: { default?: Json }; strict: boolean } } | null {
    let inner = src;
    let strOfNone = false;
    if (src.k === 'fn' && src.fn === 'str' && src.args.length === 1) {
      inner = src.args[0]!;
      strOfNone = true;
    }
    const field = this.resolve(inner);
    if (!field) return null;
    if (strOfNone) {
      const path = this.res.evidence.casing(field.path);
      const stated = this.res.mapper.valueType?.(this.res.logType, path);
      const seen = [...this.res.evidence.types(path)].filter((t) => t !== 'null');
      if (!(stated === 'string' || (stated === undefined && seen.length > 0)) || !seen.every((t) => t === 'string')) {
        this.unsupported(`str() of ${field.mapped.name}, which may hold other values than strings`);
        return null;
      }
    }
    const f = this.udm(field);
    if (!f) return null;
    const ft = printedFieldType(f);
    if (ft !== null && ft !== 'string') {
      this.unsupported(`a split or rstrip() of the ${ft} UDM field ${f}`);
      return null;
    }
    const box = this.res.container(field);
    if (box) {
      this.unsupported(`a split or rstrip() of a container (${box})`);
      return null;
    }
    const d = field.ref.default;
    const py = strOfNone && !field.strict ? { ref: { default: pyStr(d === undefined ? null : d) }, strict: false } : { ref: { ...(d !== undefined ? { default: d } : {}) }, strict: !!field.strict };
    return { field, f, py };
  }

  /** YARA-L's value where the field is missing (read as ""), against Python's: declared where they differ. */
  private missingDiffers(f: string, py: Tri, yaral: Tri): void {
    const g = guardFor(py, yaral);
    if (g === 'none') return;
    const dir = g === 'orMissing' ? 'narrower' : 'wider';
    this.sink.add('target-missing-vs-empty', `${f} reads "" when the field is absent; the translation of a test on it may be ${dir} when the field is missing`, dir);
  }

  private splitLit(l: Lit, s: SplitRead): Out {
    const src = this.computedSource(s.src);
    if (!src) return T;
    const { f } = src;
    const what = splitWhat(s, f);
    // a backtick cannot stand in a back-quoted regex's character class
    if (s.sep === '`') return this.unsupported(what);
    const plan = splitPlan(l, s, src.py, YARAL_PIECES, what);
    if (!plan.ok) return this.unsupported(plan.why);
    const keys: string[] = [];
    const collect = (t: RegexTree): void => {
      if (typeof t === 'boolean') return;
      if ('k' in t) t.args.forEach(collect);
      else keys.push(`${f}\u0000${plan.ci ? `(?i)${t.re}` : t.re}`);
    };
    collect(plan.tree);
    if (keys.some((k) => this.avoid.has(k))) return this.unsupported(`${what}, read again elsewhere in the rule (the query would repeat the test)`);
    this.computedRegexes.push(...keys);
    const out = (t: RegexTree): Out => {
      if (typeof t === 'boolean') return t ? T : F;
      if ('k' in t) return (t.k === 'and' ? and : or)(...t.args.map(out));
      return text(this.re(f, plan.ci ? `(?i)${t.re}` : t.re, t.neg));
    };
    // YARA-L reads "" where the field is missing: the regexes are exact on every string, so their value
    // there is Python's on "" (where Python raises on "", an index past the one piece, no regex matches)
    const onEmpty = splitPlan(l, s, { ref: { default: '' }, strict: false }, YARAL_PIECES, what);
    const yaral = onEmpty.ok && onEmpty.py !== 'error' ? onEmpty.py : treeOnMissing(plan.tree, true);
    this.missingDiffers(f, plan.py, yaral);
    return out(plan.tree);
  }

  /** A test on `x.rstrip(chars)` as a regex on `x` (common/strip.ts); `re` false: no string passes it. */
  private stripLit(l: Lit, srcVal: Val, chars: string[], re: string | false): Out {
    const src = this.computedSource(srcVal);
    if (!src) return T;
    const onValue = (x: string): Tri => {
      const r = evalAtomOn(l.atom, pyStrip(x, chars.join(''), 'right'), true);
      return typeof r === 'boolean' ? r !== l.neg : r;
    };
    const d = src.py.ref.default;
    const py: Tri = !src.py.strict && typeof d === 'string' ? onValue(d) : 'error';
    // the regex is exact on every string, "" included
    this.missingDiffers(src.f, py, onValue(''));
    if (re === false) return l.neg ? T : F;
    const key = `${src.f}\u0000${re}`;
    if (this.avoid.has(key)) return this.unsupported(`a test on an rstrip() of ${src.f}, read again elsewhere in the rule (the query would repeat the test)`);
    this.computedRegexes.push(key);
    return text(this.re(src.f, re, l.neg));
  }

  /** `$e.<udm>` for a mapped field, or null (recorded) when the path cannot be written. */
  udm(field: Field): string | null {
    const sub = field.mapped.sub ?? [];
    const path = field.mapped.name + sub.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
    if (!yaralUdmOk(path)) {
      this.sink.add('target-unsupported-construct', `UDM path ${JSON.stringify(path)} cannot be written in YARA-L; replaced by its superset`, 'wider');
      return null;
    }
    return `${this.ev}.${path}`;
  }

  protected handle(field: Field): string | null {
    return this.udm(field);
  }

  protected label(f: string): string {
    return f;
  }

  private guarded(l: Lit, field: Field, f: string, body: Out, target: Tri): Out {
    const g = guardFor(litMissing(l, field), target);
    if (g === 'none') return body;
    const dir = g === 'orMissing' ? 'narrower' : 'wider';
    this.sink.add('target-missing-vs-empty', `${f} reads "" when the field is absent; the translation of a test on it may be ${dir} when the field is missing`, dir);
    return body;
  }

  /** A regex predicate (`re.regex`), negated with `not`; `nocase` after it where `nocase` is set. */
  private re(f: string, re: string, neg: boolean, nocase = false): string {
    // "If the UDM field includes newline characters, the regexp only matches the first line of the UDM
    // field. To enforce full UDM field matching, add a (?s) to the regular expression." (Google SecOps,
    // yara-l-2-0-functions/re-regex). Python searches the whole value; pyToRe2 (dotAll) keeps `.` off \n.
    const call = `re.regex(${f}, ${yaralRegex(re.startsWith('(?s)') ? re : `(?s)${re}`)})${nocase ? ' nocase' : ''}`;
    return neg ? `not ${call}` : call;
  }

  /** Equality with a string; falls back to an anchored regex when the value cannot be quoted. */
  private eqStr(f: string, v: string, ci: boolean, neg: boolean): string {
    const q = yaralString(v);
    if (q === null) return this.re(f, `${ci ? '(?i)' : ''}^${yaralReText(v)}$`, neg);
    return `${f} ${neg ? '!=' : '='} ${q}${ci ? ' nocase' : ''}`;
  }

  /**
   * UDM reads "" for an absent field: a None test is a test for "", declared, unless the mapping says
   * the raw value is never "" where present (`nonEmpty: true`), the field is mapped (not the declared
   * additional.fields fallback, whose key is a guess) and the UDM field is a string: "" is then only what
   * a missing (or null) field reads, so the test for "" is the None test.
   */
  protected isNone(l: Lit, field: Field, f: string, via: NoneVia): Out {
    const present = !l.neg;
    if (!field.mapped.fallback && this.res.mapper.nonEmpty?.(this.res.logType, field.path) && printedFieldType(f) === 'string') return text(`${f} ${present ? '!=' : '='} ""`);
    const msg = via === 'is' ? `${f} reads "" when absent; "is not None" is rendered as != ""` : `${f} reads "" when absent; a None test is rendered as a test for ""`;
    this.sink.add('target-missing-vs-empty', msg, present ? 'narrower' : 'wider');
    return text(`${f} ${present ? '!=' : '='} ""`);
  }

  /** UDM has no null: a present null reads as the zero value, like an absent field. */
  protected presentNull(): Out | null {
    return null;
  }

  /**
   * Strings: missing, null and "" are all falsy in Python and all read "" in UDM; a JSON false, 0,
   * [] or {} has no documented UDM reading. A boolean of a custom log type: the custom-parser
   * convention keeps it as the text `true` / `false` (mappings/README.md, "Custom log types"), and a
   * missing or null one reads "", so it is truthy exactly where it reads "true".
   */
  protected truthy(l: Lit, field: Field, f: string, kind: TruthKind): Out | null {
    if (kind === 'boolean' && field.mapped.convention) return text(`${f} ${l.neg ? '!=' : '='} "true"`);
    return kind === 'string' ? text(`${f} ${l.neg ? '=' : '!='} ""`) : null;
  }

  protected override has(l: Lit, a: AtomOf<'has'>, _field: Field, f: string): Out {
    if (typeof a.needle !== 'string') return this.unsupported('membership of a non-string value');
    this.sink.add('target-list-membership', 'an element-in-list test is rendered as an equality on a repeated UDM field (any element)');
    return text(this.eqStr(f, a.ci ? a.needle.toLowerCase() : a.needle, !!a.ci, l.neg));
  }

  protected cidr(l: Lit, a: AtomOf<'cidr'>, _field: Field, f: string): Out {
    const parts = a.ranges.map((r) => {
      const q = yaralString(r);
      return q ? text(`${l.neg ? 'not ' : ''}net.ip_in_range_cidr(${f}, ${q})`) : null;
    });
    if (parts.some((p) => p === null)) return this.unsupported('a CIDR range with control characters');
    return l.neg ? and(...(parts as Out[])) : or(...(parts as Out[]));
  }

  protected cmp(l: Lit, a: AtomOf<'cmp'>, field: Field, f: string): Out {
    const NEG: Record<string, string> = { eq: 'ne', ne: 'eq', lt: 'ge', le: 'gt', gt: 'le', ge: 'lt' };
    const SYM: Record<string, string> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
    const op = l.neg ? NEG[a.op]! : a.op;
    if (a.right.k !== 'lit') {
      const other = this.resolve(a.right);
      if (!other) return T;
      const g = this.udm(other);
      if (!g) return T;
      // two fields of the rule read from one UDM field (a leaf-keyed fallback: requestParameters.encrypted and
      // responseElements.encrypted both at additional.fields["encrypted"]): the comparison would read one value twice
      if (f === g && pathText(field.path) !== pathText(other.path)) return this.unsupported(`a comparison of ${pathText(field.path)} with ${pathText(other.path)}, which are read from the one UDM field ${f}`);
      // a missing UDM field reads its zero value ("" or 0), which Python's None is not: only a None beside a ""
      // (or 0) compares otherwise (None == None, and None against any other value, come out alike), so `==`
      // holds there where Python's does not (wider) and `!=` fails where Python's holds (narrower)
      this.sink.add('target-missing-vs-empty', `${f} and ${g} are compared with a missing field read as its zero value ("" or 0), where Python's None equals neither`, op === 'eq' ? 'wider' : op === 'ne' ? 'narrower' : undefined);
      return text(`${f} ${SYM[op]} ${g}${a.ci && (op === 'eq' || op === 'ne') ? ' nocase' : ''}`);
    }
    const v: Json = a.right.v;
    // a constant of another type than the UDM field is a compile error (a string field never equals a number)
    const ft = printedFieldType(f);
    if (typeof v === 'string' && ft !== null && ft !== 'string') return this.unsupported(`a comparison of the ${ft} UDM field ${f} with a string`);
    if (typeof v === 'number' && ft !== null && ft !== 'int' && ft !== 'float' && !f.includes('["')) return this.unsupported(`a comparison of the ${ft} UDM field ${f} with a number`);
    if (typeof v === 'boolean' && ft !== null && ft !== 'bool' && !f.includes('["')) return this.unsupported(`a comparison of the ${ft} UDM field ${f} with a boolean`);
    if (typeof v === 'string') {
      if (op !== 'eq' && op !== 'ne') {
        const q = yaralString(v);
        if (!q) return this.unsupported('an ordering comparison with a control character');
        return this.guarded(l, field, f, text(`${f} ${SYM[op]} ${q}`), zeroMissing(a, '', l.neg));
      }
      return this.guarded(l, field, f, text(this.eqStr(f, a.ci ? v.toLowerCase() : v, !!a.ci, op === 'ne')), zeroMissing(a, '', l.neg));
    }
    // map fields (additional.fields["k"], labels["k"]) hold strings: a number or boolean never equals them
    if ((typeof v === 'number' || typeof v === 'boolean') && f.includes('["')) return this.unsupported(`a comparison of the string map field ${f} with a ${typeof v}`);
    if (typeof v === 'number' && Number.isFinite(v)) return this.guarded(l, field, f, text(`${f} ${SYM[op]} ${num(v)}`), zeroMissing(a, 0, l.neg));
    if (typeof v === 'boolean' && (op === 'eq' || op === 'ne')) return this.guarded(l, field, f, text(`${f} ${SYM[op]} ${v}`), zeroMissing(a, false, l.neg));
    return this.unsupported('a comparison with a list or mapping');
  }

  protected inList(l: Lit, a: AtomOf<'in'>, field: Field, f: string, p: ListParts): Out {
    const strs = p.strs.map((s) => (a.ci ? s.toLowerCase() : s));
    const nums = p.nums;
    if (nums.length && f.includes('["')) return this.unsupported(`membership of the string map field ${f} in a list of numbers`);
    const ft = printedFieldType(f);
    if (nums.length && ft !== null && ft !== 'int' && ft !== 'float') return this.unsupported(`membership of the ${ft} UDM field ${f} in a list of numbers`);
    if (strs.length && ft !== null && ft !== 'string') return this.unsupported(`membership of the ${ft} UDM field ${f} in a list of strings`);
    const parts: Out[] = [];
    // a case-insensitive list's regex is read with the `nocase` its equalities carry ("You can use the
    // nocase modifier after strings to indicate that the search should ignore capitalization",
    // https://cloud.google.com/chronicle/docs/detection/yara-l-2-0-functions/re-regex), not `(?i)`:
    // `nocase` and RE2's (?i) may fold non-ASCII text differently (RE2's `s` matches U+017F, which
    // Python's lower() keeps), while one modifier folds the regex as it folds the equalities
    const set = `^(?:${strs.map(yaralReText).join('|')})$`;
    const asRe = (b = set) => this.re(f, b, l.neg, !!a.ci);
    const eqs = strs.map((s) => this.eqStr(f, s, !!a.ci, l.neg));
    // several exact values: one anchored regex where it is shorter than the equalities. Negated, `not`
    // of one regex is `!=` of each value, on a repeated field too: the events section is applied to each
    // element (https://cloud.google.com/chronicle/docs/yara-l/repeated-fields, "Unmodified expressions";
    // tidy.ts). tidy.ts then says the text the values share once (`factorAffixes`).
    const shorter = strs.length > 1 && asRe(factorAffixes(set)).length < eqs.join(l.neg ? ' and ' : ' or ').length + 2;
    if (strs.length > MAX_OR || shorter) parts.push(text(asRe()));
    else for (const e of eqs) parts.push(text(e));
    for (const n of nums) parts.push(text(`${f} ${l.neg ? '!=' : '='} ${num(n)}`));
    const body = l.neg ? and(...parts) : or(...parts);
    return this.guarded(l, field, f, body, zeroMissing(a, nums.length && !strs.length ? 0 : '', l.neg));
  }

  protected match(l: Lit, a: AtomOf<'match'>, field: Field, f: string): Out {
    // a glob or regex that only anchors a literal is that string test (common/shape.ts, as KQL writes it):
    // `*DeployRole` is `DeployRole$`, `^abc\Z` is `= "abc"`; case-sensitive ones only (fnmatch's and
    // re's case folding are not YARA-L's). The missing-field guard stays the atom's.
    const shape = a.ci ? null : a.kind === 'glob' ? globShape(a.pattern) : a.kind === 'regex' ? regexShape(a.pattern, a.flags, a.anchor) : null;
    if (shape?.op === 'eq') return this.guarded(l, field, f, text(this.eqStr(f, shape.text, false, l.neg)), zeroMissing(a, '', l.neg));
    const kind = shape ? shape.op : a.kind;
    const pattern = shape ? shape.text : a.pattern;
    let re: string;
    if (kind === 'contains') re = yaralReText(pattern);
    else if (kind === 'startswith') re = `^${yaralReText(pattern)}`;
    else if (kind === 'endswith') re = `${yaralReText(pattern)}$`;
    else if (a.kind === 'glob') re = globToRe2(a.pattern, '`');
    else {
      const r = pyToRe2(a.pattern, a.flags ?? '', { delims: '`', engine: 're2', ci: !!a.ci, dotAll: true });
      if (!r.ok) return this.unsupported(`the regular expression ${JSON.stringify(a.pattern)} (${r.why})`);
      re = anchorRe(r.re, a.anchor);
    }
    if (a.ci) re = `(?i)${re}`;
    return this.guarded(l, field, f, text(this.re(f, re, l.neg)), zeroMissing(a, '', l.neg));
  }
}
