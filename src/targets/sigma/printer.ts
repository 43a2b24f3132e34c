/**
 * Sigma detection builder: NNF literals → search identifiers (selections) and a condition.
 *
 * Python's string operators are case-sensitive, Sigma's are not: every case-sensitive string
 * match carries `|cased`; predicates the lift marked `ci` are left plain. Regexes use `|re`
 * (case-sensitive, `|re|i` for ci). A selection on a missing field is false and `not selection`
 * true; where Python differs, a `field: null` selection guards the literal.
 */
import type { Json, Val } from '../../ast/types.js';
import { spanlessKey, type PathSeg } from '../../ast/view.js';
import type { TruthKind } from '../common/evidence.js';
import type { ReasonSink } from '../common/fidelity.js';
import type { Field, FieldResolver } from '../common/fields.js';
import { foldJunction } from '../common/fold.js';
import type { Out } from '../common/out.js';
import { simplifyInContext, type Reading } from '../common/outctx.js';
import { evalAtomOn, guardFor, litMissing, type Tri } from '../common/missing.js';
import { CONSTRUCTS, PrinterBase, type Algebra, type AtomOf, type Declared, type ListParts, type Lit, type Quant } from '../common/printer.js';
import { anchorRe, globIsSimple, globToRe2, pyToRe2, reEscape } from '../common/regex.js';
import type { TextTest } from '../common/textnum.js';
import { pySpace, splitPlan, splitWhat, treeOnMissing, type PieceSyntax, type RegexTree, type SplitRead } from '../common/split.js';
import { pySplit, pyStrip } from '../../python/semantics.js';
import { atomValue, type Nnf } from '../common/nnf.js';
import { caseAlternative, groupSpellings, Spellings, type Alternative } from '../common/casealt.js';
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

/**
 * Pieces of a split as `|re` values (common/split.ts): Python's `re` and PCRE read the same escapes; the
 * end of the value is `(?![\s\S])`, as `anchorRe` writes `\Z` for pcre (their `$` also matches before a
 * final line feed).
 */
/** What one side of a field-to-field comparison reads where its field is absent, and where it is null (None or a text). */
interface Nullish {
  absent: string | null;
  nul: string | null;
}

/** A Python pattern as a Sigma `|re` value (common/regex.ts `pcre`), or null where it has no exact spelling. */
const SIGMA_PATTERN = (p: string): string | null => {
  const r = pyToRe2(p, '', { engine: 'pcre' });
  return r.ok ? r.re : null;
};
const SIGMA_PIECES: PieceSyntax = { text: (s) => reEscape(s), end: '(?![\\s\\S])', space: pySpace({ engine: 'pcre' }) };

function scalar(v: Json): SVal | null {
  if (typeof v === 'string') return yamlStr(sigmaLiteral(v));
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return Number.isFinite(v as number) || typeof v !== 'number' ? yamlAtom(v as number | boolean | null) : null;
  return null;
}

/** What Sigma cannot express (any() is a condition on the list field; all() is refused in `quant`). */
const DECLARED: Declared = { name: 'Sigma', lacks: ['container'], badList: 'membership in a list holding lists or mappings' };

/**
 * `isinstance(x, bool)` beside `x == True` (or `False`) in an `and`: Sigma's `x: true` already matches a
 * JSON boolean only (the `istype` hook), so the type test says nothing more there.
 */
function boolTyped(a: Nnf, siblings: Nnf[]): boolean {
  if (a.k !== 'lit' || a.neg || a.atom.k !== 'istype' || a.atom.type !== 'bool') return false;
  const v = spanlessKey(a.atom.value);
  return siblings.some((b) => b.k === 'lit' && !b.neg && b.atom.k === 'cmp' && b.atom.op === 'eq' && b.atom.right.k === 'lit' && typeof b.atom.right.v === 'boolean' && spanlessKey(b.atom.left) === v);
}


/**
 * A regex test on a last piece written on its field: the run of cuts, then `lead` (a search's run of any
 * characters), the pattern (`inner`) under its flags (`(?flags:inner)`), `tail` (a fullmatch's end of the
 * value); `py`, Python's value where the field is missing.
 */
interface LastPieceRe {
  name: string;
  cuts: string;
  lead: string;
  flags: string;
  inner: string;
  tail: string;
  pattern: string;
  py: Tri;
}

/** A regex test on the last piece of `x.split(s)` (s a non-empty text), as `SigmaBuilder.lastPieceRegex` reads it. */
interface LastPiece {
  a: AtomOf<'match'>;
  src: Val;
  sep: string;
  neg: boolean;
}

function lastPieceOf(l: Lit): LastPiece | null {
  const a = l.atom;
  if (a.k !== 'match' || a.kind !== 'regex' || a.ci || a.fold) return null;
  const v = a.value;
  if (v.k !== 'index' || v.index !== -1 || v.obj.k !== 'fn' || v.obj.fn !== 'split' || v.obj.args.length !== 2) return null;
  const [src, sepV] = v.obj.args as [Val, Val];
  if (sepV.k !== 'lit' || typeof sepV.v !== 'string' || sepV.v === '') return null;
  return { a, src, sep: sepV.v, neg: l.neg };
}

/**
 * Does a Python pattern anchor at the start of the text (`^`, `\A` outside a class)? Conservative: any
 * such character outside a class counts, whatever the flags.
 */
function startAnchored(p: string): boolean {
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      if (!inClass && p[i + 1] === 'A') return true;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      // `[]...]` and `[^]...]`: a first `]` is a member
      if (p[i + 1] === '^') i++;
      if (p[i + 1] === ']') i++;
    } else if (c === '^') return true;
  }
  return false;
}

/** Whether a quantifier's body holds a negated literal (nested quantifiers' bodies included). */
function hasNegation(n: Nnf): boolean {
  if (n.k === 'lit') return n.neg;
  if (n.k === 'and' || n.k === 'or') return n.args.some(hasNegation);
  if (n.k === 'quant') return n.q === 'all' || hasNegation(n.body);
  return false;
}

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
    // element-wise, `not x: v` says no element has x = v, not that one lacks it: a body with a negation
    // (any(not p.x.endswith(...))) has no element-wise reading; the superset stands for it
    if (hasNegation(n.body)) {
      this.sink.add('target-quantifier', 'any() over a list with a negated test in its body is not expressible in Sigma; replaced by its superset', 'wider');
      return T;
    }
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

  protected override resolveField(v: Val): Field | null {
    return this.spelled.field(v) ?? this.res.field(v, this.elemBases);
  }

  /** Reads a literal's field at one spelling of its keys (common/casealt.ts). */
  private readonly spelled = new Spellings();

  /**
   * Where the keys of an event field are spelled two ways (common/casealt.ts), the literal is read at
   * each under `W|exists: true`: the `exists` modifier "only verifies the presence of a field, not its
   * value, be it empty or null" (sigma-appendix-modifiers.md), as Panther's lookup finds a key holding
   * null. Only where the Sigma mapping names the field by its raw dotted path (src/mapping/project/sigma.ts)
   * and no test holds a list on the path, or renames it (read at its Sigma name where present: the
   * `renamed` option), or where a test spells only the leading keys otherwise (the `prefix` option);
   * outside a quantifier.
   */
  private caseAlternative(l: Lit): Alternative | null {
    if (this.elemBases.length > 0) return null;
    return caseAlternative(this.res, l, (a) => sigmaFieldOk(a.name) && sigmaFieldOk(a.other.join('.')), { prefix: true, renamed: true });
  }

  /** A literal read at each spelling of its field's keys (`caseAlternative`), or as it is. */
  protected override literal(l: Lit): SCond {
    const alt = this.caseAlternative(l);
    return alt ? this.spellings(alt, () => this.literalOne(l)) : this.literalOne(l);
  }

  /**
   * The literals of a junction that read the same field spelled two ways are read together under one
   * presence test (common/casealt.ts `groupSpellings`).
   */
  override print(n: Nnf): SCond {
    if (n.k !== 'and' && n.k !== 'or') return super.print(n);
    const J = n.k === 'and' ? and : or;
    const all = n.k === 'and' ? n.args.filter((a) => !boolTyped(a, n.args)) : n.args;
    const { rest: args, joined } = n.k === 'or' ? this.lastPieceJoined(all) : { rest: all, joined: [] };
    return J(...joined, ...groupSpellings(args, (l) => this.caseAlternative(l)).map((x) => (x.k === 'node' ? this.print(x.n) : this.spellings(x.alt, () => J(...x.lits.map((l) => this.literalOne(l)))))));
  }

  private spellings(alt: Alternative, body: () => SCond): SCond {
    const present = sel(`${alt.present}|exists`, ['true'], alt.present);
    return this.spelled.both(SIGMA, alt, present, not(present), body);
  }

  private literalOne(l: Lit): SCond {
    const last = this.lastPieceRegex(l);
    if (last) return last;
    // a field typed integer that the tests also hold as text is read as either (`x|cased: '6'` or `x: 6`)
    return this.computedLiteral(l, {
      pieces: SIGMA_PIECES,
      split: (s) => this.splitLit(l, s),
      strip: (src, chars, re) => this.stripLit(l, src, chars, re),
      str: { intOrStr: true },
      float: true,
      text: { py: SIGMA_PATTERN, write: (t) => this.textLit(t) },
    });
  }

  /**
   * A regex test on the last piece of a split of a field (`re.match(p, x.split(s)[-1])`, `re.search`,
   * `re.fullmatch`; `s` any non-empty text) as one `|re` on x: Python's `split(s)` scans from the left and
   * cuts at each occurrence of `s` it finds, resuming after it, so the last piece is what follows the last
   * cut, where no occurrence of `s` starts. `^(?:(?:(?!S)[\s\S])*S)*` is exactly that run of cuts (each
   * repetition reaches the first occurrence from where it stands, and `(?![\s\S]*S)` after it holds only
   * after the last one), then the pattern, its flags scoped to it (`(?i:...)`, the separator matched as
   * written), and the end of the value where Python's end of the piece is. The `re` modifier's flavour is
   * PCRE (sigma-appendix-modifiers.md, "Regular Expression"; its v2.1 list of metacharacters names no
   * lookahead, which this printer already writes for the end of the value, `(?![\s\S])`, as pySigma passes
   * a `re` value to the backend as written), and the evaluator compiles these with PCRE's reading
   * (src/proof/regex.ts). Not for a pattern that anchors at the start of the piece (`^`, `\A`), which is
   * no position of the field's value, nor a case-insensitive atom (`x.lower()`) or a field holding a list or
   * mapping (split() raises there; backends read a list element-wise). Where x is missing, Python splits
   * the default (a string) or raises.
   */
  private lastPieceRegex(l: Lit): SCond | null {
    const plan = lastPieceOf(l);
    if (!plan) return null;
    return this.at(l.atom.span, () => {
      const w = this.lastPieceWrite(plan);
      if ('k' in w) return w;
      const c = sel(`${w.name}|re`, [yamlStr(`${w.cuts}${w.pattern}`)], w.name);
      const out = l.neg ? not(c) : c;
      // a selection on a missing field is false, `not selection` true
      const g = guardFor(w.py, l.neg);
      if (g === 'none') return out;
      const missing = sel(w.name, ['null'], `${w.name}_missing`);
      return g === 'orMissing' ? or(missing, out) : and(not(missing), out);
    });
  }

  /** The field, the run of cuts and the pattern (with its end) of a regex test on a last piece, or its superset with the reason. */
  private lastPieceWrite(plan: LastPiece): LastPieceRe | SCond {
    const { a, src, sep } = plan;
    const field = this.resolve(src);
    if (!field) return T;
    const name = this.fieldName(field);
    if (!name) return T;
    const box = this.res.container(field);
    if (box) return this.unsupported(`a split of a container (${box})`);
    const what = `a regex test on the last piece of ${name} split on ${JSON.stringify(sep)}`;
    if (startAnchored(a.pattern)) return this.unsupported(`${what} (a pattern anchored at the start of the piece)`);
    const r = pyToRe2(a.pattern, a.flags ?? '', { engine: 'pcre' });
    if (!r.ok) return this.unsupported(`${what} (${r.why})`);
    const m = /^\(\?([ims]+)\)/.exec(r.re);
    const flags = m ? m[1]! : '';
    const inner = m ? r.re.slice(m[0].length) : r.re;
    const S = reEscape(sep);
    const cuts = `^(?:(?:(?!${S})[\\s\\S])*${S})*(?![\\s\\S]*${S})`;
    const lead = a.anchor === 'match' || a.anchor === 'fullmatch' ? '' : '[\\s\\S]*?';
    const tail = a.anchor === 'fullmatch' ? '(?![\\s\\S])' : '';
    const d = field.ref.default;
    let py: Tri = 'error';
    if (!field.strict && typeof d === 'string') {
      const r2 = evalAtomOn(a, pySplit(d, sep).at(-1)!, true);
      py = typeof r2 === 'boolean' ? r2 !== plan.neg : r2;
    }
    return { name, cuts, lead, flags, inner, tail, py, pattern: `${lead}(?${flags}:${inner})${tail}` };
  }

  /**
   * An `or` of positive regex tests on the last piece of one split (the same field and separator), none
   * of them true where the field is missing: one `|re`, the run of cuts once and the patterns as one
   * alternation (a search as a search, a match as a match: each keeps its own end).
   */
  private lastPieceJoined(args: Nnf[]): { rest: Nnf[]; joined: SCond[] } {
    const groups = new Map<string, { lits: Lit[]; plans: LastPiece[] }>();
    const rest: Nnf[] = [];
    for (const x of args) {
      const plan = x.k === 'lit' && !x.neg ? lastPieceOf(x) : null;
      if (!plan) {
        rest.push(x);
        continue;
      }
      const key = JSON.stringify([spanlessKey(plan.src), plan.sep]);
      const g = groups.get(key) ?? { lits: [], plans: [] };
      g.lits.push(x as Lit);
      g.plans.push(plan);
      groups.set(key, g);
    }
    const joined: SCond[] = [];
    for (const g of groups.values()) {
      if (g.lits.length < 2) {
        rest.push(...g.lits);
        continue;
      }
      const mark = this.sink.mark();
      const ws = g.plans.map((p, i) => this.at(g.lits[i]!.atom.span, () => this.lastPieceWrite(p)));
      if (ws.some((w) => 'k' in w || (w.py !== false && w.py !== 'error')) || this.sink.mark() !== mark) {
        // printed one by one, as literals
        this.sink.rollback(mark);
        rest.push(...g.lits);
        continue;
      }
      const ok = ws as LastPieceRe[];
      // the same start, flags and end: one group of the patterns' alternation; else the patterns' alternation
      const w0 = ok[0]!;
      const alike = ok.every((w) => w.lead === w0.lead && w.flags === w0.flags && w.tail === w0.tail);
      const alts = (xs: string[]) => [...new Set(xs)].sort().join('|');
      const pattern = alike ? `${w0.lead}(?${w0.flags}:${alts(ok.map((w) => w.inner))})${w0.tail}` : `(?:${alts(ok.map((w) => w.pattern))})`;
      joined.push(this.at(g.lits[0]!.atom.span, () => sel(`${w0.name}|re`, [yamlStr(`${w0.cuts}${pattern}`)], w0.name)));
    }
    return { rest, joined };
  }

  /**
   * A test on `x.rstrip(chars)` as a regex on `x` (common/strip.ts); `re` false: no string passes it. Where
   * `x` is missing Python strips the default (a string), or raises (None).
   */
  private stripLit(l: Lit, src: Val, chars: string[], re: string | false): SCond {
    const field = this.resolve(src);
    if (!field) return T;
    const name = this.fieldName(field);
    if (!name) return T;
    const box = this.res.container(field);
    if (box) return this.unsupported(`an rstrip() of a container (${box})`);
    const body = re === false ? F : sel(`${name}|re`, [yamlStr(re)], name);
    const d = field.ref.default;
    let py: Tri = 'error';
    if (!field.strict && typeof d === 'string') {
      const r = evalAtomOn(l.atom, pyStrip(d, chars.join(''), 'right'), true);
      py = typeof r === 'boolean' ? r !== l.neg : r;
    }
    const out = l.neg ? not(body) : body;
    const g = guardFor(py, out.k === 'const' ? out.v : l.neg);
    if (g === 'none') return out;
    const missing = sel(name, ['null'], `${name}_missing`);
    return g === 'orMissing' ? or(missing, out) : and(not(missing), out);
  }

  private splitLit(l: Lit, s: SplitRead): SCond {
    const field = this.resolve(s.src);
    if (!field) return T;
    const name = this.fieldName(field);
    if (!name) return T;
    // Python raises on split() of a list or mapping, which Sigma backends would match element-wise
    const box = this.res.container(field);
    if (box) return this.unsupported(`a split of a container (${box})`);
    const what = splitWhat(s, name);
    const plan = splitPlan(l, s, field, SIGMA_PIECES, what);
    if (!plan.ok) return this.unsupported(plan.why);
    return this.regexTree(name, plan.tree, plan.ci, plan.py);
  }

  /** `|re` selections on `name` (`|re|i` when `ci`), guarded where Python's value on a missing field (`py`) needs it. */
  private regexTree(name: string, tree: RegexTree, ci: boolean, py: Tri): SCond {
    const key = `${name}|re${ci ? '|i' : ''}`;
    const out = (t: RegexTree): SCond => {
      if (typeof t === 'boolean') return t ? T : F;
      if ('k' in t) return (t.k === 'and' ? and : or)(...t.args.map(out));
      const c = sel(key, [yamlStr(t.re)], name);
      return t.neg ? not(c) : c;
    };
    const body = out(tree);
    // a selection on a missing field is false, `not selection` true
    const g = guardFor(py, treeOnMissing(tree, true));
    if (g === 'none') return body;
    const missing = sel(name, ['null'], `${name}_missing`);
    return g === 'orMissing' ? or(missing, body) : and(not(missing), body);
  }

  /** A test on `len(x)` or `int(x)` of a field holding strings, as `|re` selections on `x` (common/textnum.ts). */
  private textLit(t: TextTest): SCond {
    const field = this.resolve(t.src);
    if (!field) return T;
    const name = this.fieldName(field);
    if (!name) return T;
    const box = this.res.container(field);
    if (box) return this.unsupported(`a test on a container (${box})`);
    return this.regexTree(name, t.tree, false, t.py);
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
  protected truthy(l: Lit, field: Field, name: string, kind: TruthKind): SCond | null {
    if (kind === 'boolean') {
      const isTrue = sel(name, ['true'], name);
      return l.neg ? not(isTrue) : isTrue;
    }
    if (kind !== 'string' && this.intField(field) && field.ref.default === undefined) {
      // an int: falsy when missing or null (`field: null`, Python's None) or 0 (a number compared as a
      // number, "Special Field Values" and numeric values, sigma-rules-specification.md)
      const falsy: SCond = { k: 'sel', sel: { kind: 'list', maps: [[{ key: name, values: ['null'] }], [{ key: name, values: ['0'] }]] }, hint: `${name}_zero` };
      return l.neg ? falsy : not(falsy);
    }
    if (kind !== 'string') return null;
    const falsy: SCond = { k: 'sel', sel: { kind: 'list', maps: [[{ key: name, values: ['null'] }], [{ key: name, values: ["''"] }]] }, hint: `${name}_empty` };
    return l.neg ? falsy : not(falsy);
  }

  /**
   * A field holding ints: the mapping types it `integer` and the rule's tests hold it only as integral
   * numbers (null aside), or, typing nothing, the tests hold it so (at least once).
   */
  private intField(field: Field): boolean {
    const stated = this.res.mapper.valueType?.(this.res.logType, field.path);
    const values = this.res.evidence.values(field.path).filter((v) => v !== null);
    if (stated !== 'integer' && (stated !== undefined || values.length === 0)) return false;
    return values.every((v) => typeof v === 'number' && Number.isInteger(v));
  }

  protected cmp(l: Lit, a: AtomOf<'cmp'>, field: Field, name: string): SCond {
    if (a.right.k !== 'lit') {
      if (a.op !== 'eq' && a.op !== 'ne') return this.unsupported('an ordering comparison between two fields');
      const other = this.res.field(a.right);
      if (!other) return T;
      const on = this.fieldName(other);
      if (!on) return T;
      const c = sel(`${name}|fieldref`, [yamlStr(on)], name);
      const eq = (a.op === 'eq') !== l.neg;
      const exact = this.caselessRef(a.left, field, a.right, other);
      if (!exact) {
        this.sink.add('target-fieldref-case', 'a field-to-field comparison uses |fieldref, whose case sensitivity is backend-defined', 'wider');
        return eq ? c : not(c);
      }
      // both absent or null: Python compares the two defaults; Sigma's fieldref is backend-defined there
      const last = [...new Set([name, on].map((n) => n.split('.').pop()!))].join('_');
      const bothNull: SCond = { k: 'sel', sel: { kind: 'map', items: [{ key: name, values: ['null'] }, { key: on, values: ['null'] }] }, hint: `${last}_missing` };
      const { x, y } = exact;
      if (x.absent === x.nul && y.absent === y.nul) {
        const py = (x.absent === y.absent) === eq;
        return py ? or(bothNull, eq ? c : not(c)) : and(not(bothNull), eq ? c : not(c));
      }
      // a side reads one text where its field is absent (get()'s default) and None where it is null: each
      // case stated apart, `|exists` telling a present null from an absent field (sigma-appendix-modifiers.md)
      const state = (n: string, absent: boolean): SCond => {
        const present = sel(`${n}|exists`, ['true'], n);
        return absent ? not(present) : and(present, sel(n, ['null'], `${n}_null`));
      };
      const same: SCond[] = [];
      for (const ax of [true, false]) for (const ay of [true, false]) if ((ax ? x.absent : x.nul) === (ay ? y.absent : y.nul)) same.push(and(state(name, ax), state(on, ay)));
      const equal = or(...same);
      return eq ? or(equal, and(not(bothNull), c)) : or(and(bothNull, not(equal)), and(not(bothNull), not(c)));
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
    // either modifier is false on a missing field, where a default may make Python's comparison hold
    return this.guarded(l, field, name, sel(`${name}|${mod}`, [yamlAtom(v)], name), false);
  }

  /**
   * `x == y` between two fields written exactly with `|fieldref`: where both hold one JSON kind that is no
   * string, booleans or numbers (the mapping's type, else the only kind the rule's tests show), the
   * backend-defined case sensitivity of `|fieldref` says nothing. Each side reads None or a string where its
   * field is absent or null (no default; deep_get's text, which also replaces a null; get()'s text where the
   * field is absent, None where it is null): that equals no value the other side holds, and only the cases
   * where both are absent or null are left, where Python compares those (`Nullish`) and Sigma's `|fieldref`
   * is backend-defined, so the printer decides them with `x: null` selections (sigma-rules-specification.md:
   * `null` matches an empty or missing field), and `x|exists` where a side reads a null otherwise than an
   * absent field. Null otherwise.
   */
  private caselessRef(lv: Val, lf: Field, rv: Val, rf: Field): { x: Nullish; y: Nullish } | null {
    if (this.elemBases.length > 0) return null;
    const kind = (f: Field): 'boolean' | 'number' | null => {
      const stated = this.res.mapper.valueType?.(this.res.logType, f.path);
      if (stated) return stated === 'boolean' ? 'boolean' : stated === 'integer' || stated === 'number' ? 'number' : null;
      const seen = [...this.res.evidence.types(f.path)].filter((t) => t !== 'null');
      return seen.length === 1 && (seen[0] === 'boolean' || seen[0] === 'number') ? seen[0] : null;
    };
    const nullish = (v: Val, f: Field): Nullish | null => {
      if (f.strict || f.ref.root !== 'event') return null;
      const d = f.ref.default;
      if (d === undefined || d === null) return { absent: null, nul: null };
      // get(x, "d") reads "d" where x is absent and None where it is null; deep_get reads "d" for both
      return typeof d === 'string' && v.k === 'get' ? { absent: d, nul: v.deep ? d : null } : null;
    };
    const k = kind(lf);
    if (!k || kind(rf) !== k) return null;
    const x = nullish(lv, lf);
    const y = nullish(rv, rf);
    return x && y ? { x, y } : null;
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

  /**
   * `"k" in x` where x holds only mappings: `x.k|exists: true`, the key's presence "be it empty or null"
   * (sigma-appendix-modifiers.md, `exists`), as Python's key membership is. Where x is missing, Python reads
   * `{}` (a `get()` default: false) or raises (None is not iterable: the rule errors), and the selection is
   * false. Not for a case-insensitive test, an empty key or one holding a dot (a nested path in Sigma), nor
   * another default.
   */
  protected override keyIn(l: Lit, a: AtomOf<'match'>, field: Field): SCond | null {
    const d = field.ref.default;
    const emptyMap = d !== undefined && d !== null && typeof d === 'object' && !Array.isArray(d) && Object.keys(d).length === 0;
    if (a.ci || a.pattern === '' || a.pattern.includes('.') || (d !== undefined && !emptyMap)) return null;
    if (this.res.onlyContainer(field.path) === null || [...this.res.evidence.types(field.path)].some((t) => t === 'list') || this.res.mapper.valueType?.(this.res.logType, field.path) === 'list') return null;
    const sub = this.resolve({ k: 'get', obj: atomValue(a), key: a.pattern, deep: true });
    if (!sub) return null;
    const name = this.fieldName(sub);
    if (!name) return T;
    const c = sel(`${name}|exists`, ['true'], name);
    return l.neg ? not(c) : c;
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

  /**
   * `isinstance(x, bool)`: `x: [true, false]`, Sigma's boolean values, which match a JSON boolean (a
   * number is no boolean: Python's `isinstance(1, bool)` is false too; a string "true" is read as one or
   * not by the backend, which the evaluator refuses to decide); `isinstance(x, NoneType)` is `x is None`.
   * Sigma has no test of any other type (a string, a number, a mapping or a list as such).
   */
  protected override istype(l: Lit, a: AtomOf<'istype'>, field: Field, name: string): SCond {
    if (a.type === 'none') return this.exists({ k: 'lit', atom: { k: 'exists', value: a.value, ...(a.span ? { span: a.span } : {}) }, neg: !l.neg }, field, name, 'is');
    if (a.type !== 'bool') return this.unsupported(CONSTRUCTS.istype);
    const c = sel(name, ['true', 'false'], name);
    return this.guarded(l, field, name, l.neg ? not(c) : c);
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

/** The one item of a single-item map selection (values without null, no modifier in `bar` on its key), else null. */
function singleItem(c: SCond, bar: RegExp): Item | null {
  if (c.k !== 'sel' || c.sel.kind !== 'map' || c.sel.items.length !== 1) return null;
  const it = c.sel.items[0]!;
  return it.values.every((v) => v !== 'null') && !bar.test(it.key) ? it : null;
}

/**
 * The selections `pick` takes (a single item and its hint) merged by key into one list of values, at the place of
 * the first (`wrap` writes the merged selection back as `pick` found it); the rest as they are.
 */
function mergeByKey(args: SCond[], pick: (a: SCond) => { item: Item; hint: string } | null, wrap: (sel: SCond) => SCond): SCond[] {
  const out: SCond[] = [];
  const byKey = new Map<string, Item>();
  for (const a of args) {
    const p = pick(a);
    if (!p) {
      out.push(a);
      continue;
    }
    const prev = byKey.get(p.item.key);
    if (prev) {
      for (const v of p.item.values) if (!prev.values.includes(v)) prev.values.push(v);
      continue;
    }
    const copy: Item = { key: p.item.key, values: [...p.item.values] };
    byKey.set(copy.key, copy);
    out.push(wrap({ k: 'sel', sel: { kind: 'map', items: [copy] }, hint: p.hint }));
  }
  return out;
}

/**
 * `not s1 and not s2` where s1 and s2 test one item of the same key is `not s` of one list of values: a
 * list of values is the `or` of its values (sigma-rules-specification.md, "Lists"), so `not (x: [a, b])`
 * is `not x: a and not x: b`, also where a backend matches a list field element-wise. An item the condition
 * also names elsewhere stays one selection, named (and decided) as one.
 */
function mergeNotAnd(args: SCond[], once: (it: Item) => boolean): SCond[] {
  return mergeByKey(
    args,
    (a) => {
      const one = a.k === 'not' ? singleItem(a.arg, /\|(exists|fieldref|all)\b/) : null;
      return a.k === 'not' && a.arg.k === 'sel' && one && once(one) ? { item: one, hint: a.arg.hint } : null;
    },
    (sel) => ({ k: 'not', arg: sel }),
  );
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
  return mergeByKey(
    args,
    (a) => {
      const one = singleItem(a, /\|(exists|fieldref)\b/);
      return one && a.k === 'sel' ? { item: one, hint: a.hint } : null;
    },
    (sel) => sel,
  );
}

/** The selections' merges (fields of one `and` into one map, values of one field in an `or` into one list), applied once over the tree. */
function merged(root: SCond): SCond {
  // how often each item occurs in the condition
  const counts = new Map<string, number>();
  const count = (c: SCond): void => {
    if (c.k === 'sel') for (const m of c.sel.kind === 'map' ? [c.sel.items] : c.sel.maps) for (const it of m) counts.set(itemKey(it), (counts.get(itemKey(it)) ?? 0) + 1);
    else if (c.k === 'not') count(c.arg);
    else if (c.k === 'and' || c.k === 'or') c.args.forEach(count);
  };
  count(root);
  return mergedWith(root, (it) => counts.get(itemKey(it)) === 1);
}

function mergedWith(c: SCond, once: (it: Item) => boolean): SCond {
  switch (c.k) {
    case 'const':
    case 'sel':
      return c;
    case 'not':
      return { k: 'not', arg: mergedWith(c.arg, once) };
    case 'and':
    case 'or': {
      const args = (c.k === 'and' ? mergeAnd(mergeNotAnd(c.args, once)) : mergeOr(c.args)).map((a) => mergedWith(a, once));
      return args.length === 1 ? args[0]! : { k: c.k, args };
    }
  }
}

const itemKey = (it: Item): string => `${it.key}\u0000${[...it.values].sort().join('\u0001')}`;
const mapKey = (items: Item[]): string => items.map(itemKey).sort().join('\u0002');

/** A selection's identity: the same items (and, for a list, the same maps) in any order. */
function selKey(s: Selection): string {
  return s.kind === 'map' ? `m${mapKey(s.items)}` : `l${s.maps.map(mapKey).sort().join('\u0003')}`;
}

/** A selection of one item, named after its field (`_missing` for `field: null`, `_blank` for `field: ''`). */
function itemSel(it: Item): SCond {
  const field = it.key.split('|')[0]!;
  const v = it.values.length === 1 ? it.values[0] : undefined;
  return { k: 'sel', sel: { kind: 'map', items: [it] }, hint: v === 'null' ? `${field}_missing` : v === "''" ? `${field}_blank` : field };
}

/**
 * Every item written once: an item that two different selections hold becomes a selection of its own,
 * which the condition names wherever the item was (a map is the `and` of its items, a list the `or` of
 * its maps, so `{a, b}` reads as `sel_a and sel_b` and `[{a}, {b}]` as `sel_a or sel_b`).
 */
function shareItems(root: SCond): SCond {
  const sels: Selection[] = [];
  const collect = (c: SCond): void => {
    if (c.k === 'sel') sels.push(c.sel);
    else if (c.k === 'not') collect(c.arg);
    else if (c.k === 'and' || c.k === 'or') c.args.forEach(collect);
  };
  collect(root);
  const holders = new Map<string, Set<string>>();
  for (const s of sels) {
    const sk = selKey(s);
    for (const m of s.kind === 'map' ? [s.items] : s.maps) for (const it of m) {
      const ik = itemKey(it);
      if (!holders.has(ik)) holders.set(ik, new Set());
      holders.get(ik)!.add(sk);
    }
  }
  const shared = (it: Item): boolean => holders.get(itemKey(it))!.size > 1;
  /** A map with its shared items apart: each its own selection, the others one selection where the first of them was. */
  const splitMap = (items: Item[], hint: string): SCond[] => {
    const out: SCond[] = [];
    const rest: Item[] = [];
    for (const it of items) {
      if (shared(it)) out.push(itemSel(it));
      else {
        if (rest.length === 0) out.push({ k: 'const', v: true }); // where the rest goes
        rest.push(it);
      }
    }
    if (rest.length === 0) return out;
    const restHint = rest.length === items.length ? hint : rest.map((it) => it.key.split('|')[0]!).join('+');
    return out.map((o) => (o.k === 'const' ? { k: 'sel', sel: { kind: 'map', items: rest }, hint: restHint } : o));
  };
  const visit = (c: SCond): SCond => {
    switch (c.k) {
      case 'const':
        return c;
      case 'not': {
        // a split selection under `not` reads as its parts negated (`not (a or b)`: `not a and not b`)
        const a = visit(c.arg);
        return c.arg.k === 'sel' && a.k !== 'sel' ? negated(a) : { k: 'not', arg: a };
      }
      case 'and':
      case 'or':
        return { k: c.k, args: c.args.map(visit) };
      case 'sel': {
        const s = c.sel;
        if (s.kind === 'map') {
          if (s.items.length < 2 || !s.items.some(shared)) return c;
          return { k: 'and', args: splitMap(s.items, c.hint) };
        }
        if (!s.maps.some((m) => m.some(shared))) return c;
        // maps without a shared item stay one list (or map) selection, where the first of them was
        const out: SCond[] = [];
        const keep: Item[][] = [];
        for (const m of s.maps) {
          if (m.some(shared)) {
            const parts = splitMap(m, c.hint);
            out.push(parts.length === 1 ? parts[0]! : { k: 'and', args: parts });
          } else {
            if (keep.length === 0) out.push({ k: 'const', v: false });
            keep.push(m);
          }
        }
        const kept: SCond = keep.length === 1 ? (keep[0]!.length === 1 ? itemSel(keep[0]![0]!) : { k: 'sel', sel: { kind: 'map', items: keep[0]! }, hint: c.hint }) : { k: 'sel', sel: { kind: 'list', maps: keep }, hint: c.hint };
        return { k: 'or', args: out.map((o) => (o.k === 'const' ? kept : o)) };
      }
    }
  };
  return visit(root);
}


/**
 * A Sigma condition reads its search identifiers as literals: each is true or false on an event (a
 * selection on a missing field is false), `not s` its complement. Named once per selection, the same
 * selection in two places is the same literal, so `s or not s` and `s and (not s or t)` are decided
 * (common/outctx.ts), which the layout would otherwise print as written.
 */
const SIGMA_READING: Reading = {
  parse: (s) =>
    s.startsWith('not s:') ? { k: 'lit', key: s.slice(4), neg: true, total: true, text: s } : { k: 'lit', key: s, neg: false, total: s.startsWith('s:'), text: s },
  not: (s) => (s.startsWith('not ') ? s.slice(4) : `not ${s}`),
  implied: () => [],
};

function decided(root: SCond): SCond {
  const texts = new Map<string, SCond>();
  const toOut = (c: SCond): Out => {
    switch (c.k) {
      case 'const':
        return c;
      case 'sel': {
        const k = `s:${selKey(c.sel)}`;
        if (!texts.has(k)) texts.set(k, c);
        return { k: 'text', s: k };
      }
      case 'not': {
        if (c.arg.k === 'sel') return { k: 'text', s: `not ${(toOut(c.arg) as { s: string }).s}` };
        // a negated junction: one opaque literal
        const k = `x:${texts.size}`;
        texts.set(k, c);
        return { k: 'text', s: k };
      }
      case 'and':
      case 'or':
        return { k: c.k, args: c.args.map(toOut) };
    }
  };
  const back = (o: Out): SCond => {
    if (o.k === 'const') return o;
    if (o.k === 'text') return o.s.startsWith('not s:') ? { k: 'not', arg: texts.get(o.s.slice(4))! } : texts.get(o.s)!;
    return { k: o.k, args: o.args.map(back) };
  };
  const fold = { and: (...a: Out[]): Out => foldJunction('and', a), or: (...a: Out[]): Out => foldJunction('or', a) };
  return simplify(back(simplifyInContext(toOut(root), SIGMA_READING, fold)));
}

/** The first selection the condition names (depth first), or null. */
function firstSelection(c: SCond): Extract<SCond, { k: 'sel' }> | null {
  switch (c.k) {
    case 'const':
      return null;
    case 'sel':
      return c;
    case 'not':
      return firstSelection(c.arg);
    case 'and':
    case 'or':
      for (const a of c.args) {
        const f = firstSelection(a);
        if (f) return f;
      }
      return null;
  }
}

/** The negation of a condition, `not` moved down to its selections (De Morgan). */
function negated(c: SCond): SCond {
  switch (c.k) {
    case 'const':
      return { k: 'const', v: !c.v };
    case 'sel':
      return { k: 'not', arg: c };
    case 'not':
      return c.arg;
    case 'and':
    case 'or':
      return { k: c.k === 'and' ? 'or' : 'and', args: c.args.map(negated) };
  }
}

export function layout(root: SCond): Detection {
  const named: Named[] = [];
  const names = new Map<string, string>();
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
  /** The selection's name: one per distinct selection, however often the condition names it. */
  const ref = (c: Extract<SCond, { k: 'sel' }>, negated: boolean): string => {
    const k = selKey(c.sel);
    let name = names.get(k);
    if (name === undefined) {
      name = nameFor(c.hint, negated);
      names.set(k, name);
      named.push({ name, sel: c.sel });
    }
    return name;
  };
  const print = (c: SCond, ctx: 'top' | 'and' | 'or' | 'not'): string => {
    switch (c.k) {
      case 'const':
        throw new Error('constant inside a Sigma condition');
      case 'sel':
        return ref(c, ctx === 'not');
      case 'not':
        return `not ${print(c.arg, 'not')}`;
      case 'and':
      case 'or': {
        // the same operand twice (a selection split into shared items next to one of them) is said once
        const parts = [...new Set(c.args.map((a) => print(a, c.k as 'and' | 'or')))];
        if (parts.length === 1) return print(c.args[0]!, ctx);
        const s = parts.join(` ${c.k} `);
        const paren = c.k === 'and' ? ctx === 'not' : ctx === 'and' || ctx === 'not';
        return paren ? `(${s})` : s;
      }
    }
  };
  const shared = simplify(shareItems(merged(root)));
  // a condition the selections decide whole (`s or not s or t`) is said by its first selection alone,
  // `s or not s` (`s and not s`): Sigma has no `true`, and the other selections say nothing
  const d = decided(shared);
  const first = d.k === 'const' ? firstSelection(shared) : null;
  const condition = first && d.k === 'const' ? print({ k: d.v ? 'or' : 'and', args: [first, { k: 'not', arg: first }] }, 'top') : print(d.k === 'const' ? shared : d, 'top');
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
