/**
 * The one printer base: the dispatch every target's expression printer shares (after pySigma's
 * TextQueryBackend). A target supplies its boolean algebra, how a field is written, what it cannot
 * express (as data, `Declared`), and one hook per construct it does express; the base owns the rest:
 *
 * - every literal is printed at the span of the Python that produced it (reasons name its file:line);
 * - the field is resolved (mapper, key casing, computed values) and written, or the literal is `true`;
 * - `x == None` / `x != None` are the `exists` test; `exists` on a `get(x, d)` with a default `d` is
 *   false only for a present JSON `null` (the target's `presentNull`, or declared `target-present-null`);
 * - truthiness is decided by the field's type (`res.truth`), a substring test on a field holding an
 *   object or a list (`res.container`) is no substring test, `in` lists are split by value type, an
 *   empty CIDR list is a constant, and what the target declares it lacks becomes its superset with a
 *   reason (`unsupported(what)`).
 */
import type { Json, Val } from '../../ast/types.js';
import type { TruthKind } from './evidence.js';
import type { ReasonSink } from './fidelity.js';
import type { Field, FieldResolver } from './fields.js';
import { atomValue, type Atom, type Nnf } from './nnf.js';
import { splitTested, type PieceSyntax, type SplitRead } from './split.js';
import { stripTested } from './strip.js';
import { floatRewrite, strRewrite } from './strval.js';
import { walkAsGet } from './walk.js';
import { textTest, type PyPattern, type TextTest } from './textnum.js';

export type Lit = Extract<Nnf, { k: 'lit' }>;
export type Quant = Extract<Nnf, { k: 'quant' }>;
export type AtomOf<K extends Atom['k']> = Extract<Atom, { k: K }>;

/** The boolean algebra of a target's output: constants and folding connectives. */
export interface Algebra<O> {
  T: O;
  F: O;
  and(...args: O[]): O;
  or(...args: O[]): O;
}

/**
 * Constructs a target may lack, with the words its reason uses. The base expresses neither `valid` (a
 * json.loads() validity test; KQL writes it itself, kql/json.ts) nor `rel` (a string relation between
 * two computed values).
 * - `quant`: `any()`/`all()` (a target that has them overrides `quant`);
 * - `container`: Python's `x in value` on a field holding an object or a list is membership, which a
 *   substring test is not (`res.container` decides from the mapping's type or the tests);
 * - `bool`/`null` in an `in` list (strings and finite numbers every target prints).
 */
export const CONSTRUCTS = {
  valid: 'a JSON validity test',
  rel: 'a string test between two fields',
  istype: 'an isinstance() test',
  has: 'an element-in-list test',
  quant: 'any()/all() over a list',
  container: 'a membership test on a container',
  bool: 'a boolean in a list',
  null: 'None in a list',
} as const;
export type Construct = keyof typeof CONSTRUCTS;

/**
 * What a target cannot express, as data (a token table: a construct listed in `lacks` is replaced by
 * its superset with a reason, the others are printed by the target's hooks).
 */
export interface Declared {
  /** The target's name in reasons ("cannot be expressed in <name>"). */
  name: string;
  lacks: readonly Construct[];
  /** How the reason names an `in` list holding what the target lacks (lists and mappings always). */
  badList: string;
}

/** An `in` list split by value type (`rest`: lists, mappings and non-finite numbers). */
export interface ListParts {
  strs: string[];
  nums: number[];
  bools: boolean[];
  /** How many `None` the list holds. */
  nulls: number;
  /** The values that are not strings, in list order (booleans, numbers, `None`, the rest). */
  nonStr: Json[];
  rest: Json[];
}

export function splitList(list: readonly Json[]): ListParts {
  const p: ListParts = { strs: [], nums: [], bools: [], nulls: 0, nonStr: [], rest: [] };
  for (const x of list) {
    if (typeof x === 'string') {
      p.strs.push(x);
      continue;
    }
    p.nonStr.push(x);
    if (typeof x === 'number' && Number.isFinite(x)) p.nums.push(x);
    else if (typeof x === 'boolean') p.bools.push(x);
    else if (x === null) p.nulls++;
    else p.rest.push(x);
  }
  return p;
}


/** How a target writes a test on a computed value on its field (`PrinterBase.computedLiteral`). */
export interface ComputedSyntax<O> {
  /** How the target writes a split piece's text and the end of the value. */
  pieces: PieceSyntax;
  /** A test on split pieces (or their number) as a test on the field. */
  split(s: SplitRead): O;
  /** A test on `x.rstrip(chars)` as a regex `re` on `x` (false: no string passes it). */
  strip(src: Val, chars: string[], re: string | false): O;
  /** Which str() readings the target writes (common/strval.ts `strRewrite`). */
  str?: { intOrStr?: boolean; textOfInt?: boolean };
  /** Whether `float(x)` of a field holding numbers is written as `x`. */
  float?: boolean;
  /**
   * A test on `len(x)` or `int(x)` of a field holding strings as regexes on `x` (common/textnum.ts):
   * `py` writes a Python pattern for the target's engine, `text` the tests.
   */
  text?: { py: PyPattern; write(t: TextTest): O };
}
/** How a `None` test was written in Python: `x is None` (also `isinstance(x, NoneType)`) or `x == None`. */
export type NoneVia = 'is' | 'eq';

export abstract class PrinterBase<O, H> {
  constructor(
    protected readonly res: FieldResolver,
    protected readonly sink: ReasonSink,
    protected readonly alg: Algebra<O>,
    protected readonly declared: Declared,
  ) {}

  /** The condition in the target's output (constants folded). */
  print(n: Nnf): O {
    switch (n.k) {
      case 'const':
        return n.v ? this.alg.T : this.alg.F;
      case 'lit':
        return this.literal(n);
      case 'quant':
        return this.at(n.span, () => this.quant(n));
      case 'and':
        return this.alg.and(...n.args.map((a) => this.print(a)));
      case 'or':
        return this.alg.or(...n.args.map((a) => this.print(a)));
    }
  }

  /** `any()`/`all()`: the superset, unless the target prints quantifiers. */
  protected quant(_q: Quant): O {
    this.sink.add('target-quantifier', `${CONSTRUCTS.quant} is not expressed in ${this.declared.name}; replaced by its superset`, 'wider');
    return this.alg.T;
  }

  /** A construct the target lacks: its superset, with the reason. */
  protected unsupported(what: string): O {
    this.sink.add('target-unsupported-construct', `${what} cannot be expressed in ${this.declared.name}; replaced by its superset`, 'wider');
    return this.alg.T;
  }

  /** Run `f` with reasons located at `span`; without one, where the enclosing construct is. */
  protected at<R>(span: Atom['span'], f: () => R): R {
    if (!span) return f();
    const prev = this.sink.at(span);
    try {
      return f();
    } finally {
      this.sink.at(prev);
    }
  }

  /**
   * The field an atom reads: `deep_walk` over a path with no list on it is that path, read as `deep_get`
   * reads it (common/walk.ts), on every target; then the target's own reading (`resolveField`).
   */
  protected resolve(v: Val): Field | null {
    return this.resolveField(walkAsGet(v, this.res) ?? v);
  }

  /** The field a value reads (override: quantifier elements, parsed documents, spellings). */
  protected resolveField(v: Val): Field | null {
    return this.res.field(v);
  }

  /** The field as the target writes it, or null (a reason recorded) when it cannot be written. */
  protected abstract handle(field: Field): H | null;
  /** The field's text, for reasons. */
  protected abstract label(h: H): string;
  /** A test the target refuses whatever the atom (e.g. a field holding values it cannot read). */
  protected refuse(_l: Lit, _field: Field, _h: H): O | null {
    return null;
  }

  protected literal(l: Lit): O {
    return this.plain(l);
  }

  /** The literal as the target writes its atom (what `literal` does unless a printer overrides it). */
  private plain(l: Lit): O {
    return this.at(l.atom.span, () => this.dispatch(l));
  }

  /**
   * A literal on a value computed from a field, written on the field itself (the Sigma, YARA-L and Logs
   * Insights printers): a test on split pieces or on `rstrip()` is the target's regex on the field
   * (`how.split`, `how.strip`; common/split.ts, strip.ts); a test on `str(x)` is a constant or the test on
   * `x` where the field's type makes them agree, or on `x` read as either of two values (`how.str`;
   * common/strval.ts); a test on `float(x)` of a field holding numbers is the test on `x` (`how.float`).
   * Anything else is the literal as it is.
   */
  protected computedLiteral(l: Lit, how: ComputedSyntax<O>): O {
    const s = splitTested(l.atom);
    if (s) return this.at(l.atom.span, () => how.split(s));
    const st = stripTested(how.pieces, l.atom);
    if (st) return this.at(l.atom.span, () => how.strip(st.src, st.chars, st.re));
    const tt = how.text && textTest(l, this.res, how.text.py);
    if (tt) return this.at(l.atom.span, () => how.text!.write(tt));
    const r = strRewrite(l, this.res, how.str);
    if (r) {
      if ('constant' in r) return r.constant ? this.alg.T : this.alg.F;
      if ('either' in r) {
        const each = r.either.map((x) => this.plain(x));
        return l.neg ? this.alg.and(...each) : this.alg.or(...each);
      }
      return this.plain(r.lit);
    }
    return this.plain((how.float && floatRewrite(l, this.res)) || l);
  }

  /**
   * An `in` list as the target reads it against this field (default: as it is). A target that reads a
   * field's JSON booleans as numbers writes the booleans as those (Logs Insights, cwl/printer.ts).
   */
  protected listOn(_field: Field, p: ListParts): ListParts {
    return p;
  }

  /**
   * Python's `"k" in x` on a field that holds only mappings (no string, no list: the mapping's type, else
   * the rule's tests) is key membership, which a target may write as the presence of `x.k` (be it null);
   * null: it cannot (the superset, with the container reason).
   */
  protected keyIn(_l: Lit, _a: AtomOf<'match'>, _field: Field): O | null {
    return null;
  }

  /** Does the target lack this construct? */
  protected lacks(c: Construct): boolean {
    return this.declared.lacks.includes(c);
  }

  private dispatch(l: Lit): O {
    const a = l.atom;
    const field = this.resolve(atomValue(a));
    if (!field) return this.alg.T;
    const h = this.handle(field);
    if (h === null) return this.alg.T;
    const refused = this.refuse(l, field, h);
    if (refused !== null) return refused;
    switch (a.k) {
      case 'exists':
        return this.exists(l, field, h, 'is');
      case 'truthy': {
        const t = this.res.truth(field);
        return this.truthy(l, field, h, t.kind) ?? this.unsupported(`the truthiness of ${this.label(h)} (${t.why})`);
      }
      case 'cmp':
        // Python: `x == None` is "x is None", `x != None` its negation
        if (a.right.k === 'lit' && a.right.v === null && (a.op === 'eq' || a.op === 'ne')) {
          const none: Lit = { k: 'lit', atom: { k: 'exists', value: a.left, ...(a.span ? { span: a.span } : {}) }, neg: (a.op === 'eq') !== l.neg };
          return this.exists(none, field, h, 'eq');
        }
        return this.cmp(l, a, field, h);
      case 'in': {
        const p = this.listOn(field, splitList(a.list));
        if (p.rest.length > 0 || (p.bools.length > 0 && this.lacks('bool')) || (p.nulls > 0 && this.lacks('null'))) return this.unsupported(this.declared.badList);
        return this.inList(l, a, field, h, p);
      }
      case 'match': {
        const box = a.kind === 'contains' && this.lacks('container') ? this.res.container(field) : null;
        if (box) return this.keyIn(l, a, field) ?? this.unsupported(`${CONSTRUCTS.container} (${box})`);
        return this.match(l, a, field, h);
      }
      case 'cidr':
        if (a.ranges.length === 0) return l.neg ? this.alg.T : this.alg.F;
        return this.cidr(l, a, field, h);
      case 'has':
        return this.lacks('has') ? this.unsupported(CONSTRUCTS.has) : this.has(l, a, field, h);
      case 'istype':
        return this.lacks('istype') ? this.unsupported(CONSTRUCTS.istype) : this.istype(l, a, field, h);
      case 'valid':
      case 'rel':
        return this.unsupported(CONSTRUCTS[a.k]);
    }
  }

  /**
   * `value is None` (negated: `is not None`). Without a default, the target's null test. With a
   * default `d` (never None: fieldRef drops a None default), `get(x, d)` reads `d` when x is absent:
   * it is None only where x is present and JSON null (Panther's deep_get reads `d` there too).
   */
  protected exists(l: Lit, field: Field, h: H, via: NoneVia): O {
    if (field.ref.default === undefined) return this.isNone(l, field, h, via);
    const v = atomValue(l.atom);
    if (v.k === 'get' && v.deep) return l.neg ? this.alg.F : this.alg.T;
    const test = this.presentNull(field, h, l.neg);
    if (test !== null) return test;
    this.sink.add(
      'target-present-null',
      `${this.label(h)} cannot tell a present null from a missing field, where get() with a default is None only for a present null; "is ${l.neg ? '' : 'not '}None" is rendered as ${l.neg ? 'false' : 'true'}`,
      l.neg ? 'narrower' : 'wider',
    );
    return l.neg ? this.alg.F : this.alg.T;
  }

  /** `value is None` (`l.neg`) or `is not None`, on a field read without a default. */
  protected abstract isNone(l: Lit, field: Field, h: H, via: NoneVia): O;
  /** The field is present and JSON null (`isNull`), or not; null when the target cannot tell a present null from a missing field. */
  protected abstract presentNull(field: Field, h: H, isNull: boolean): O | null;
  /** Truthiness for a field of this kind, or null: the superset, declared. */
  protected abstract truthy(l: Lit, field: Field, h: H, kind: TruthKind): O | null;
  protected abstract cmp(l: Lit, a: AtomOf<'cmp'>, field: Field, h: H): O;
  protected abstract inList(l: Lit, a: AtomOf<'in'>, field: Field, h: H, p: ListParts): O;
  protected abstract match(l: Lit, a: AtomOf<'match'>, field: Field, h: H): O;
  /** A non-empty list of networks. */
  protected abstract cidr(l: Lit, a: AtomOf<'cidr'>, field: Field, h: H): O;
  protected has(_l: Lit, _a: AtomOf<'has'>, _field: Field, _h: H): O {
    return this.unsupported(CONSTRUCTS.has);
  }
  protected istype(_l: Lit, _a: AtomOf<'istype'>, _field: Field, _h: H): O {
    return this.unsupported(CONSTRUCTS.istype);
  }
}
