/**
 * KQL expression printer: NNF literals → KQL predicates with Python's case and missing-field
 * semantics.
 *
 * Case: `==`, `in`, `contains_cs`, `startswith_cs`, `endswith_cs`, `matches regex` for Python's
 * case-sensitive operators; `=~`, `in~`, `contains`, `startswith`, `endswith`, `(?i)` when the lift
 * marked the predicate `ci`. Never `has` (term matching, not substring).
 *
 * Missing fields: a string column reads "" when the field is absent (it cannot tell absent from
 * empty); typed columns and dynamic members read null (`isnull` tells). When Python and KQL
 * disagree on a missing field, the literal gets an explicit presence guard; when no guard is
 * possible (string column), the difference is reported with its direction.
 */
import type { Json, Val } from '../../ast/types.js';
import { fieldRef, type PathSeg } from '../../ast/view.js';
import type { MappedField } from '../../mapping/types.js';
import { truthKind, type JsonType, type TruthKind } from '../common/evidence.js';
import type { ReasonSink } from '../common/fidelity.js';
import { describeVal, type Field, type FieldResolver } from '../common/fields.js';
import { guardFor, litMissing, zeroMissing, type Tri } from '../common/missing.js';
import { atomValue, mapLits, type Nnf } from '../common/nnf.js';
import { and, F, OUT, or, printOut, T, text, type Out } from '../common/out.js';
import { PrinterBase, type AtomOf, type Declared, type ListParts, type Lit, type Quant } from '../common/printer.js';
import { anchorRe, globToRe2, pyToRe2 } from '../common/regex.js';
import { globShape, regexShape } from '../common/shape.js';
import { computedKql, computedShape, sourceRefusal, type KComputed } from './computed.js';
import { kqlIdent, kqlNumber, kqlPath, kqlString } from './escape.js';
import { jsonOf, validJson } from './json.js';
import { joinRegexTests } from './regexjoin.js';
import { mergeLists, negateOut } from './lists.js';
import { compactRegexes } from './anchors.js';
import { holdsOnlyWhere, KQL_LEX, kqlReading, simplifyInContext, sortedJunctions, walk } from '../common/outctx.js';
import { mergeApplies, renderApply, type Apply } from './mvapply.js';
import { floatRewrite, strRewrite } from '../common/strval.js';
import { camel } from '../common/names.js';
import { pyFold } from '../../python/semantics.js';

/** How a mapped field reads in KQL. */
export interface KField {
  /** The value as stored: a column, or a dynamic member access. */
  raw: string;
  kind: 'string-column' | 'typed-column' | 'dynamic';
  type: string;
}

const NUMERIC = new Set(['int', 'long', 'real', 'double', 'decimal']);

export function kfield(m: MappedField): KField {
  const sub = m.sub ?? [];
  const access = m.access ?? (sub.length ? 'dynamic' : 'column');
  const col = kqlIdent(m.name);
  if (access === 'column' && sub.length === 0) {
    const t = (m.type ?? 'string').toLowerCase();
    if (t === 'string') return { raw: col, kind: 'string-column', type: 'string' };
    if (t === 'dynamic') return { raw: col, kind: 'dynamic', type: 'dynamic' };
    return { raw: col, kind: 'typed-column', type: t };
  }
  const base = access === 'json_string' ? `parse_json(${col})` : col;
  return { raw: base + kqlPath(sub), kind: 'dynamic', type: 'dynamic' };
}

/** The field as a string (dynamic null and typed null become ""). */
export function kstr(f: KField): string {
  return f.kind === 'string-column' ? f.raw : `tostring(${f.raw})`;
}

function knum(f: KField): string {
  return f.kind === 'typed-column' && NUMERIC.has(f.type) ? f.raw : `toreal(${f.raw})`;
}

function kbool(f: KField): string {
  return f.kind === 'typed-column' && f.type === 'bool' ? f.raw : `tobool(${f.raw})`;
}

type View = 'str' | 'num' | 'bool';

/** The Python type a (non-dynamic) column's values have. */
function columnPyType(f: KField): string {
  if (f.kind === 'string-column') return 'str';
  if (f.type === 'bool') return 'bool';
  if (NUMERIC.has(f.type)) return f.type === 'real' || f.type === 'double' || f.type === 'decimal' ? 'float' : 'int';
  return 'other';
}

/** Presence tests for a view, or null when the target cannot tell a missing field. */
function presence(f: KField, view: View): { present: string; missing: string } | null {
  if (f.kind === 'string-column') {
    // "" is what a missing field reads as; for numbers and booleans it parses to null anyway
    return view === 'str' ? null : { present: `isnotempty(${f.raw})`, missing: `isempty(${f.raw})` };
  }
  return { present: `isnotnull(${f.raw})`, missing: `isnull(${f.raw})` };
}

/** A JSON value KQL's dynamic() literal writes as JSON does: strings of letters, digits and a few marks only. */
function plainJson(v: Json): boolean {
  if (typeof v === 'string') return /^[A-Za-z0-9 _.@:\/-]*$/.test(v);
  if (v === null || typeof v !== 'object') return typeof v !== 'number' || Number.isFinite(v);
  return Array.isArray(v) ? v.every(plainJson) : Object.entries(v).every(([k, x]) => plainJson(k) && plainJson(x as Json));
}

function lit(v: Json): string | null {
  if (typeof v === 'string') return kqlString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? kqlNumber(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return null;
}

/** What KQL cannot express beyond what no target does (quantifiers are `mv-apply`, `isinstance` is `gettype()`). */
const DECLARED: Declared = { name: 'KQL', lacks: [], badList: 'membership in a list holding lists or mappings' };

/** The decimal digits Python's str() writes for an int (no sign on zero, no leading zeros; at most 18 digits: a long). */
const CANONICAL_INT = /^(0|-?[1-9][0-9]{0,17})$/;

/**
 * Is `s` a text Python's str() gives only for a str or an int? Not "None", "True", "False" (None, bools),
 * nor the repr of a float ("1.5", "1e+16", "inf", "nan", "-0.0"), a list or a mapping ("[", "{"), nor "".
 */
function strOfJsonText(s: string): boolean {
  if (s === '' || s === 'None' || s === 'True' || s === 'False' || s.startsWith('[') || s.startsWith('{')) return false;
  if (CANONICAL_INT.test(s)) return true;
  return !/^[-+]?(?:[0-9.]|inf|nan)/i.test(s);
}

/**
 * Python's truthiness of a dynamic value by its runtime type, declared once per query as a function
 * (learn.microsoft.com/kusto/query/functions/user-defined-functions; gettype-function) and called as
 * `truthy(x)` wherever a value's type is not known: a str non-empty, a bool itself, a list or a mapping
 * non-empty, None (gettype "null") false, and a number (what else a JSON value can be: "long", "int",
 * "real", "decimal") non-zero. The type is named once in the body (a let statement of the function
 * body, before its expression: user-defined-functions, let-statement). Every branch is a non-null bool
 * (`t != "null" and ...` is false, not null, on None), as `not(truthy(x))` needs.
 */
export const TRUTHY_FN = [
  'let truthy = (v: dynamic) {',
  '    let t = gettype(v);',
  '    case(t == "string", tostring(v) != "", t == "bool", tobool(v),',
  '        t == "array", array_length(v) > 0, t == "dictionary", array_length(bag_keys(v)) > 0,',
  '        t != "null" and toreal(v) != 0)',
  '};',
].join('\n');

/**
 * Python's `s in v` by the runtime type of a dynamic value (gettype-function): a substring of a str
 * (contains_cs), a key of a mapping (bag-has-key-function), an element of a list
 * (set-has-element-function); false for anything else. Declared once per query, called as
 * `py_contains(v, "s")`.
 */
export const PY_CONTAINS_FN = [
  'let py_contains = (v: dynamic, s: string) {',
  '    case(gettype(v) == "string", tostring(v) contains_cs s,',
  '        gettype(v) == "dictionary", bag_has_key(v, s),',
  '        gettype(v) == "array", set_has_element(v, s),',
  '        false)',
  '};',
].join('\n');

export class KqlPrinter extends PrinterBase<Out, KField> {
  constructor(res: FieldResolver, sink: ReasonSink) {
    super(res, sink, OUT, DECLARED);
  }

  /** Tabular steps the predicate needs before the `where` (one `mv-apply` per quantifier). */
  readonly stages: string[] = [];
  /** Declarations the predicate calls (`let` statements before the query), by the name they declare. */
  readonly lets = new Map<string, string>();
  /**
   * The columns holding the quantifier elements, while printing a body: index d holds the element of the
   * quantifier at nesting depth d (the AST's `elem` depth counts from the outermost quantifier).
   */
  private elemVars: string[] = [];
  /**
   * The event path of each open quantifier's list (parallel to elemVars; null where the list is in a
   * parsed document or read with a default), so the rule's tests can show what its elements hold.
   */
  private elemLists: (PathSeg[] | null)[] = [];
  /** The quantifier element each element field reads: its list's event path and the path below the element. */
  private readonly elemFields = new WeakMap<Field, { list: PathSeg[] | null; rel: PathSeg[] }>();
  /** The tabular steps of the quantifiers nested in the body being printed, one list per open quantifier. */
  private innerStages: Apply[][] = [];
  private quantCount = 0;
  /** The record of each top-level quantifier stage, by its text (mvapply.ts merges those over one array). */
  readonly applies = new Map<string, Apply>();
  /** The array each quantifier's count counts the elements of (`__qN_n` → A): a count above 0 says A is a non-empty array. */
  readonly counts = new Map<string, string>();
  /** The quantifiers printed at each level (the top's stages, or an open quantifier's inner list), by their text with their own element names left out. */
  private readonly printed = new WeakMap<object, Map<string, string>>();

  /** Is this KQL text a read of a quantifier element (`__qN` or a member of it)? */
  private readsElement(raw: string): boolean {
    return this.elemVars.some((v) => raw === v || raw.startsWith(`${v}.`) || raw.startsWith(`${v}[`));
  }

  /**
   * Fold the `isinstance` tests a column's fixed type decides (a string column is never a list), so
   * that a branch they make false is gone before its other literals are printed (and reported).
   */
  foldColumnTypes(n: Nnf): Nnf {
    return mapLits(n, (l) => {
      const a = l.atom;
      if (a.k !== 'istype' || a.type === 'none') return l;
      return this.columnExcludes(a.value, a.type) ? { k: 'const', v: l.neg } : l;
    });
  }

  /** Is `v` a typed column (not dynamic) of this log type's table whose type is not `type` (an int column also holds bools)? */
  columnExcludes(v: Val, type: string): boolean {
    if (type === 'none') return false;
    const ref = fieldRef(v);
    if (ref?.root !== 'event') return false;
    const m = this.res.mapper.resolve(this.res.logType, 'kql', ref.path);
    if ('unmapped' in m) return false;
    const f = kfield(m);
    if (f.kind === 'dynamic') return false;
    const colType = columnPyType(f);
    return !(type === colType || (type === 'int' && colType === 'bool'));
  }

  /**
   * any()/all() over a dynamic array: an `mv-apply` step counts, per row, the elements that satisfy
   * the body (any) or violate it (all); the predicate then tests the count, so it can sit anywhere
   * in the condition. A sentinel element (excluded by its index) keeps rows whose array is empty
   * or missing, which the expansion would otherwise drop (all([]) is True in Python). The body may
   * read event columns (the subquery sees the row).
   *
   * A quantifier nested in another's body (over a list of the event or of an enclosing element) is an
   * `mv-apply` inside the enclosing one's subquery, before its `summarize`: per element row of the
   * enclosing quantifier it adds the inner count, and the enclosing `countif` reads it. The subtables an
   * mv-apply's subquery runs on carry the record's other columns, and its output rows get them back
   * (learn.microsoft.com/kusto/query/mv-apply-operator: "expand each record in the input into
   * subtables" with mv-expand, which keeps the other columns; "adds ... the values of the source
   * columns that aren't expanded"), so the inner body reads the enclosing element as a column.
   */
  protected override quant(q: Quant): Out {
    const superset = (why: string): Out => {
      this.sink.add('target-quantifier', `${why}; replaced by its superset`, 'wider');
      return T;
    };
    const ref = fieldRef(q.list);
    const inDoc = ref ? null : jsonOf(q.list);
    const ofElement = ref?.root === 'elem' && ref.depth < this.elemVars.length;
    if (ref?.root !== 'event' && !ofElement && !inDoc) return superset('any()/all() over a computed list is not expressed in KQL');
    const list = inDoc ? this.jsonField(q.list) : this.resolve(q.list);
    if (!list) return T;
    const lf = this.handle(list);
    let arr: string;
    if (lf.kind === 'dynamic') arr = lf.raw;
    else if (lf.kind === 'string-column') arr = `parse_json(${lf.raw})`;
    else return superset(`any()/all() over the ${lf.type} column ${lf.raw}`);
    // a list read with a default (`event.get("participants", [{}])`): where it is missing Python iterates the
    // default, and a non-empty one has elements the body is tested on (a missing array counts none)
    const dflt = ref?.default;
    const defaulted = dflt !== undefined && dflt !== null && !(Array.isArray(dflt) && dflt.length === 0);
    if (defaulted) {
      if (!Array.isArray(dflt) || !plainJson(dflt)) return superset('any()/all() over a field read with a default that is not a list of plain values');
      arr = `coalesce(${arr}, dynamic(${JSON.stringify(dflt)}))`;
    }
    const base = ++this.quantCount;
    const v = `__q${base}`;
    this.elemVars.push(v);
    const outer = ofElement ? this.elemLists[ref.depth] : null;
    this.elemLists.push(defaulted || inDoc || !ref ? null : ref.root === 'event' ? list.path : outer ? [...outer, ...ref.path] : null);
    this.innerStages.push([]);
    let body: string;
    let inner: Apply[];
    // all(): the elements that violate the body; its negation written without not(...) where every
    // operand is itself a negation (lists.ts), else not(body)
    let negated = false;
    // the body knows what the counts of the quantifiers nested in it say (a count above 0: a non-empty array)
    const reading = kqlReading(new Map(), { counts: this.counts });
    try {
      const simple = simplifyInContext(joinRegexTests(this.print(q.body)), reading, { and, or });
      const neg = q.q === 'all' ? negateOut(simple) : null;
      negated = neg !== null;
      const shown = neg === null ? simple : simplifyInContext(neg, reading, { and, or });
      body = printOut(compactRegexes(mergeLists(shown)), { and: ' and ', or: ' or ', true: 'true', false: 'false' });
    } finally {
      this.elemVars.pop();
      this.elemLists.pop();
      inner = this.innerStages.pop()!;
    }
    // the body beside the index test: parenthesised when it holds a top-level `or` (`and` binds tighter)
    let topOr = false;
    walk(body, KQL_LEX, (i) => {
      if (body.startsWith(' or ', i)) topOr = true;
    });
    // the elements counted (beside the test of a real element's index: mvapply.ts)
    const plain = q.q === 'any' || negated;
    const elementTest = { test: plain ? body : `not(${body})`, or: plain && topOr };
    // a test that holds only on an element that is not null never counts the sentinel null (mvapply.ts `real`)
    const realOnly = holdsOnlyWhere(elementTest.test, kqlReading(new Map(), { counts: this.counts, held: true }), { key: `isnull(${v})`, neg: true });
    // an inner count no test reads any more (its literal folded away beside a constant) is left out
    const read = inner.filter((st, i) => [body, ...inner.slice(i + 1).map(renderApply)].some((t) => new RegExp(`\\b${st.v}_n\\b`).test(t)));
    const rec: Apply = { v, arr, inner: mergeApplies<Apply>(read, (x) => x) as Apply[], counts: [{ name: `${v}_n`, ...elementTest, ...(realOnly ? { real: true } : {}) }], ...(defaulted ? { defaulted } : {}) };
    const stage = renderApply(rec);
    const into = this.innerStages[this.innerStages.length - 1];
    const test = (n: string): Out => text(q.q === 'any' ? `${n}_n > 0` : `${n}_n == 0`);
    // the same quantity counted before at this level (its text the same but for the names of its own
    // elements, numbered from this one's, and the order of the operands of its tests' and/or): that count is
    // read again (a row's count of the same elements satisfying the same test is the same number)
    const key = renderApply({ ...rec, counts: rec.counts.map((c) => ({ ...c, test: sortedJunctions(c.test, KQL_LEX) })) }).replace(/\b__q([0-9]+)/g, (m, d: string) => (Number(d) >= base ? `__Q${Number(d) - base}` : m));
    const level = into ?? this.stages;
    const seen = this.printed.get(level) ?? new Map<string, string>();
    this.printed.set(level, seen);
    const again = seen.get(key);
    if (again !== undefined) {
      // the names this one took (its own and its nested quantifiers') are free again
      this.quantCount = base - 1;
      return test(again);
    }
    seen.set(key, v);
    this.counts.set(`${v}_n`, arr);
    if (into) into.push(rec);
    else {
      this.stages.push(stage);
      this.applies.set(stage, rec);
    }
    return test(v);
  }

  /** Resolve a literal's field: quantifier elements read the mv-apply column, the rest go through the mapper. */
  protected override resolveField(v: Val): Field | null {
    const ref = fieldRef(v);
    if (ref && ref.root === 'elem') {
      const name = this.elemVars[ref.depth];
      if (!name) {
        this.sink.add('target-quantifier', 'a quantifier element read outside its any()/all() is not expressed in KQL; replaced by its superset', 'wider');
        return null;
      }
      const field: Field = { ref, path: ref.path, strict: v.k === 'get' && !!v.strict, mapped: { name, sub: ref.path, access: 'dynamic', type: 'dynamic' } };
      this.elemFields.set(field, { list: this.elemLists[ref.depth] ?? null, rel: ref.path });
      return field;
    }
    if (!ref && computedShape(v)) return this.computedField(v);
    if (!ref && jsonOf(v)) return this.jsonField(v);
    if (!ref && v.k === 'fn' && (v.fn === 'concat' || v.fn === 'str')) {
      // an f-string, or str() of a field read with a string default: Python's text as KQL writes it
      const t = this.strText(v);
      if (t) {
        const field: Field = { ref: { root: 'event', depth: 0, path: [] }, path: [], strict: true, mapped: { name: t.expr } };
        this.computed.set(field, { expr: t.expr, py: 'str', guards: [], ...(t.nonEmpty ? { nonEmpty: true } : {}) });
        return field;
      }
    }
    return this.res.field(v);
  }

  /** The parsed-document reads (json.ts), by the field standing for each: the dynamic value `parse_json(s).path`. */
  private readonly docs = new WeakMap<Field, KField>();
  /** The column each parsed string is read into once (`extend LogJson = parse_json(log_s)`), by the string's text. */
  private readonly docColumns = new Map<string, string>();

  /**
   * The column holding `parse_json(text)`, added by an `extend` stage the first time (an extend keeps every
   * row; liveStages drops it when nothing reads it): named after the field's last key, `Json` appended.
   */
  private docColumn(textOf: string, fd: Field): string {
    const hit = this.docColumns.get(textOf);
    if (hit) return hit;
    const leaf = [...fd.path].reverse().find((x): x is string => typeof x === 'string') ?? 'Field';
    const base = `${camel(leaf.replace(/^[^A-Za-z]+/, '')) || 'Field'}Json`;
    const taken = new Set(this.docColumns.values());
    let name = base;
    for (let i = 2; taken.has(name) || this.stages.some((st) => st.includes(name)); i++) name = `${base}${i}`;
    this.docColumns.set(textOf, name);
    this.stages.push(`extend ${name} = parse_json(${textOf})`);
    return name;
  }

  /**
   * The string a `json.loads()` parses, as KQL text: a string column, or a dynamic member (which
   * `tostring()` reads; the validity test also asks that it be a JSON string). Null when the field
   * cannot be read (its reason recorded) or is a typed column (json.loads() of a number raises).
   */
  private jsonSource(src: Val): { text: string; dyn?: string; doc: string } | null {
    const fd = this.res.field(src);
    if (!fd) return null;
    const f = kfield(fd.mapped);
    if (f.kind === 'string-column') return { text: f.raw, doc: this.docColumn(f.raw, fd) };
    if (f.kind === 'dynamic') return { text: `tostring(${f.raw})`, dyn: f.raw, doc: this.docColumn(`tostring(${f.raw})`, fd) };
    this.sink.add('target-computed-value', `a computed value (json.loads() of the ${f.type} column ${f.raw}) cannot be written exactly in KQL; replaced by its superset`, 'wider');
    return null;
  }

  /**
   * A value inside a parsed JSON document (`json.loads(x)`, `.get(k)`, `[i]` below it): the dynamic
   * value `parse_json(s)` with the path, as a field the hooks print. Its key lookups are exact (a
   * parsed document is a plain dict), as KQL's dynamic member access is. The validity guards come
   * from the condition (json.ts, `jsonGuards`).
   */
  private jsonField(v: Val): Field | null {
    const j = jsonOf(v)!;
    const s = this.jsonSource(j.src);
    if (!s) return null;
    const srcRef = fieldRef(j.src)!;
    // a path the tests cannot show (they hold the string): no evidence of types or casing speaks of it
    const field: Field = { ref: j.ref, path: [...srcRef.path, '(json)', ...j.ref.path], strict: v.k === 'get' && !!v.strict, mapped: { name: 'parse_json' } };
    this.docs.set(field, { raw: `${s.doc}${kqlPath(j.ref.path)}`, kind: 'dynamic', type: 'dynamic' });
    return field;
  }

  /** Validity literals a mapping test beside them implies (json.ts `impliedValidity`), set before `print`. */
  impliedValid: WeakSet<Lit> = new WeakSet();

  /** The JSON validity test of a string (json.ts). */
  private valid(l: Lit): Out {
    const a = l.atom as AtomOf<'valid'>;
    return this.at(a.span, () => {
      const s = this.jsonSource(a.value);
      if (!s) return T;
      const implied = this.impliedValid.has(l);
      if (implied && !s.dyn) return l.neg ? F : T;
      const t = validJson(s.text, s.doc, s.dyn, implied);
      return text(l.neg ? `not(${t})` : t);
    });
  }

  /** The computed values (computed.ts) read by the literal being printed, by the field standing for each. */
  private readonly computed = new WeakMap<Field, KComputed>();
  /** Where Python does not raise on the computed values the literal being printed reads. */
  private computedGuards: string[] = [];

  /**
   * A computed value KQL writes exactly (a split, an element of it, its length), as a field the hooks
   * print; its guards go beside the literal. A computed value is never missing: the field is marked
   * strict, so that no presence guard is added for it.
   */
  private computedField(v: Val): Field | null {
    const c = computedKql(v, this.res, (src) => {
      const fd = this.resolve(src);
      return fd ? kfield(fd.mapped) : null;
    });
    if (c === null) return null;
    if (typeof c === 'string') {
      this.sink.add('target-computed-value', `a computed value (${describeVal(v)}) cannot be written exactly in KQL (${c}); replaced by its superset`, 'wider');
      return null;
    }
    const field: Field = { ref: { root: 'event', depth: 0, path: [] }, path: [], strict: true, mapped: { name: c.expr } };
    this.computed.set(field, c);
    for (const g of c.guards) if (!this.computedGuards.includes(g)) this.computedGuards.push(g);
    return field;
  }

  protected handle(field: Field): KField {
    const d = this.docs.get(field);
    if (d) return d;
    const c = this.computed.get(field);
    if (c) {
      if (c.py === 'str') return { raw: c.expr, kind: 'string-column', type: 'string' };
      if (c.py === 'int') return { raw: c.expr, kind: 'typed-column', type: 'long' };
      return { raw: c.expr, kind: 'dynamic', type: 'dynamic' };
    }
    return kfield(field.mapped);
  }

  /**
   * A literal on a computed value: its Python type is known (a str, a list of str, an int, never None),
   * so a None, type or truthiness test is decided here; a test the value's type does not have in KQL
   * (a substring test on a list, element membership in a str) is its superset, declared.
   */
  protected override refuse(l: Lit, field: Field, f: KField): Out | null {
    const c = this.computed.get(field);
    if (!c) return null;
    const a = l.atom;
    const pol = (holds: boolean): Out => (holds !== l.neg ? T : F);
    switch (a.k) {
      case 'exists':
        return pol(true);
      case 'istype':
        return pol(a.type === c.py);
      case 'truthy':
        // split() gives at least one piece
        if (c.py === 'list' || c.nonEmpty) return pol(true);
        if (c.py === 'int') return text(`${f.raw} ${l.neg ? '==' : '!='} 0`);
        return text(`${l.neg ? 'isempty' : 'isnotempty'}(${f.raw})`);
      case 'has':
        if (c.py === 'list' && typeof a.needle === 'string' && !a.ci) {
          const t = `set_has_element(${f.raw}, ${kqlString(a.needle)})`;
          return text(l.neg ? `not(${t})` : t);
        }
        return this.unsupported(`an element-in-list test on the computed ${c.py} ${f.raw}`);
      case 'cmp':
        // `x == None` is `x is None`: never, for a computed value
        if (a.right.k === 'lit' && a.right.v === null && (a.op === 'eq' || a.op === 'ne')) return pol(a.op === 'ne');
        if (c.py === 'list') return this.unsupported(`a comparison of the computed list ${f.raw}`);
        // against another value, the printer orders numbers (toreal), where Python orders two strs as strings
        if (a.right.k !== 'lit' && a.op !== 'eq' && a.op !== 'ne') return this.unsupported(`an ordering comparison of the computed ${c.py} ${f.raw} with another value`);
        return null;
      case 'in':
        return c.py === 'list' ? this.unsupported(`a comparison of the computed list ${f.raw}`) : null;
      case 'match':
        // Python's `"x" in parts` (the lift's case-sensitive contains on a list value) is element membership
        if (c.py === 'list' && a.kind === 'contains' && !a.ci) {
          const t = `set_has_element(${f.raw}, ${kqlString(a.pattern)})`;
          return text(l.neg ? `not(${t})` : t);
        }
        return c.py === 'str' ? null : this.unsupported(`a string test on the computed ${c.py} ${f.raw}`);
      case 'cidr':
        return c.py === 'str' ? null : this.unsupported(`a string test on the computed ${c.py} ${f.raw}`);
      default:
        return null;
    }
  }

  protected label(f: KField): string {
    return f.raw;
  }

  /** Wrap a rendered literal with the presence guard Python's semantics need. */
  private guarded(l: Lit, field: Field, f: KField, view: View, body: Out, target: Tri): Out {
    const py = litMissing(l, field);
    const g = guardFor(py, target);
    if (g === 'none') return body;
    const p = presence(f, view) ?? this.presentText(field, f);
    if (!p) {
      const dir = g === 'orMissing' ? 'narrower' : 'wider';
      this.sink.add(
        'target-missing-vs-empty',
        `${f.raw} cannot tell a missing field from an empty string; the translation of a test on it may be ${dir} when the field is absent`,
        dir,
      );
      return body;
    }
    return g === 'orMissing' ? or(text(p.missing), body) : and(text(p.present), body);
  }

  protected override istype(l: Lit, a: AtomOf<'istype'>, field: Field, f: KField): Out {
    if (f.kind === 'dynamic') {
      const G: Record<string, string> = {
        str: '"string"',
        int: '("long", "int", "bool")',
        float: '("real", "decimal")',
        bool: '"bool"',
        list: '"array"',
        dict: '"dictionary"',
      };
      if (a.type === 'none') return text(`${l.neg ? 'isnotnull' : 'isnull'}(${f.raw})`);
      const g = G[a.type]!;
      const test = g.startsWith('(') ? `gettype(${f.raw}) in ${g}` : `gettype(${f.raw}) == ${g}`;
      // a missing field reads as null (no type): where the rule reads it with a default (deep_get(...,
      // default=[])), Python tests the default's type there, so the presence guard says which
      return this.guarded(l, field, f, 'num', text(l.neg ? `not(${test})` : test), l.neg);
    }
    // a column's type is fixed: the test is whether the value is present and of that type
    const colType = columnPyType(f);
    const same = a.type === colType || (a.type === 'int' && colType === 'bool');
    if (a.type === 'none') return this.exists({ k: 'lit', atom: { k: 'exists', value: a.value }, neg: !l.neg }, field, f, 'is');
    if (!same) return l.neg ? T : F;
    if (f.kind === 'string-column') {
      // read with a str default, a field that holds strings (as the mapping or the tests say) is a str
      // whether present or not: the column's "" is no question then
      if (a.type === 'str' && typeof field.ref.default === 'string' && this.onlyStr(field)) return l.neg ? F : T;
      const p = this.presentText(field, f);
      if (a.type === 'str' && p && this.onlyStr(field)) return text(l.neg ? p.missing : p.present);
      // a number, boolean or list the tests show there is held as its text: a str to the column
      const other = [...this.res.evidence.types(field.path)].filter((t) => t !== 'string' && t !== 'null' && t !== 'dict');
      if (other.length && !this.onlyStr(field)) {
        this.sink.add('target-unsupported-construct', `${f.raw} is a string column, which holds the text of the ${other.sort().join(' and ')} values the tests show: isinstance(str) cannot be told there`, l.neg ? 'narrower' : 'wider');
      }
      this.sink.add('target-missing-vs-empty', `${f.raw} cannot tell a missing field from an empty string; isinstance(str) is rendered as isnotempty()`, l.neg ? 'wider' : 'narrower');
      return text(`${l.neg ? 'isempty' : 'isnotempty'}(${f.raw})`);
    }
    return text(`${l.neg ? 'isnull' : 'isnotnull'}(${f.raw})`);
  }

  /** A dynamic member and a typed column read null both for an absent field and for a JSON null. */
  protected presentNull(): Out | null {
    return null;
  }

  /**
   * A string column of a field never empty where present (the mapping's `nonEmpty: true`): "" is only
   * what a missing field reads, so emptiness tells presence.
   */
  private presentText(field: Field, f: KField): { present: string; missing: string } | null {
    if (f.kind !== 'string-column' || this.docs.has(field) || this.computed.has(field)) return null;
    if (!this.res.mapper.nonEmpty?.(this.res.logType, field.path)) return null;
    return { present: `isnotempty(${f.raw})`, missing: `isempty(${f.raw})` };
  }

  protected isNone(l: Lit, field: Field, f: KField): Out {
    const p = this.presentText(field, f);
    if (p) return text(l.neg ? p.missing : p.present);
    if (f.kind === 'string-column') {
      this.sink.add(
        'target-missing-vs-empty',
        `${f.raw} cannot tell a missing field from an empty string; "is not None" is rendered as isnotempty()`,
        l.neg ? 'wider' : 'narrower',
      );
      return text(`${l.neg ? 'isempty' : 'isnotempty'}(${f.raw})`);
    }
    return text(`${l.neg ? 'isnull' : 'isnotnull'}(${f.raw})`);
  }

  /**
   * By the column's type; a dynamic value's by the type the mapping states or the rule's tests show
   * (`isnotempty(tostring(x))` for strings, the boolean for booleans, the size or value of a mapping, a
   * list or a number); otherwise by its runtime type
   * (`gettype()`), through the `truthy()` function the query declares once (TRUTHY_FN).
   */
  protected truthy(l: Lit, field: Field, f: KField, kind: TruthKind): Out {
    let t: string;
    let falsy: string;
    // a quantifier element's kind is what the tests show for the elements of its list (the base printer's `kind` reads the event)
    const elemKind = this.elementKind(field);
    if (f.kind === 'string-column') {
      t = `isnotempty(${f.raw})`;
      falsy = `isempty(${f.raw})`;
      // a number, boolean or list the tests show there is held as its text, never empty: 0 and False are falsy in Python
      const other = [...this.res.evidence.types(field.path)].filter((x) => x === 'number' || x === 'boolean' || x === 'list');
      if (other.length && (kind === 'mixed' || kind === 'boolean')) {
        this.sink.add('target-unsupported-construct', `${f.raw} is a string column, which holds the text of the ${other.sort().join(' and ')} values the tests show: their truthiness cannot be told there`, l.neg ? 'narrower' : 'wider');
      }
    } else if (f.kind === 'typed-column') {
      if (f.type === 'bool') {
        t = `(isnotnull(${f.raw}) and ${f.raw})`;
        falsy = `(isnull(${f.raw}) or not(${f.raw}))`;
      } else if (NUMERIC.has(f.type)) {
        t = `(isnotnull(${f.raw}) and ${f.raw} != 0)`;
        falsy = `(isnull(${f.raw}) or ${f.raw} == 0)`;
      } else {
        t = `isnotnull(${f.raw})`;
        falsy = `isnull(${f.raw})`;
      }
    } else if (this.readsElement(f.raw) && !elemKind) {
      // a quantifier element whose type the tests do not show as one
      t = this.truthCall(f.raw);
      falsy = `not(${t})`;
    } else if ((elemKind ?? kind) === 'string') {
      // a JSON string or nothing: tostring() of a missing member is ""
      t = `isnotempty(tostring(${f.raw}))`;
      falsy = `isempty(tostring(${f.raw}))`;
    } else if ((elemKind ?? kind) === 'boolean') {
      t = `coalesce(tobool(${f.raw}), false)`;
      falsy = `not(coalesce(tobool(${f.raw}), false))`;
    } else if (this.oneType(field)) {
      // a mapping, a list or a number: non-empty, non-zero (null-safe: also read under not() in an mv-apply)
      const size = { dict: `coalesce(array_length(bag_keys(${f.raw})), 0)`, list: `coalesce(array_length(${f.raw}), 0)`, number: `coalesce(toreal(${f.raw}), 0.0)` }[this.oneType(field) as 'dict' | 'list' | 'number'];
      t = `${size} != 0`;
      falsy = `${size} == 0`;
    } else {
      t = this.truthCall(f.raw);
      falsy = `not(${t})`;
    }
    return text(l.neg ? falsy : t);
  }

  /**
   * The JSON types of a quantifier element's field (the elements of its list, or a path below them): the one
   * the mapping states for a path below the elements (`type:`, mappings/README.md), else those the rule's
   * tests show; null where neither can tell (not an element, a list in a parsed document or read with a
   * default, or a test holding the list as something else than a list).
   */
  private elementTypes(field: Field): Set<JsonType> | null {
    const e = this.elemFields.get(field);
    if (!e?.list) return null;
    if (!e.rel.length) return this.res.evidence.elementTypes(e.list);
    const stated = this.res.mapper.valueType?.(this.res.logType, [...e.list, ...e.rel]);
    if (stated) return new Set<JsonType>([stated === 'integer' ? 'number' : (stated as JsonType)]);
    return this.res.evidence.types([...e.list, ...e.rel]);
  }

  /** The truthiness of a quantifier element's field by the one type (a str or a bool) its tests show, else null. */
  private elementKind(field: Field): 'string' | 'boolean' | null {
    const seen = this.elementTypes(field);
    if (!seen) return null;
    const k = truthKind(undefined, seen);
    return k === 'string' || k === 'boolean' ? k : null;
  }

  /** The one JSON type (a mapping, a list or a number) the mapping states or the tests show for the field, if any. */
  private oneType(field: Field): 'dict' | 'list' | 'number' | null {
    const stated = this.res.mapper.valueType?.(this.res.logType, field.path);
    const types = [...(stated ? new Set([stated === 'integer' ? 'number' : stated]) : this.res.evidence.types(field.path))].filter((x) => x !== 'null');
    const one = types.length === 1 ? types[0] : null;
    return one === 'dict' || one === 'list' || one === 'number' ? one : null;
  }

  /** The truthiness of a dynamic value of unknown type: a call of the query's `truthy` function. */
  private truthCall(raw: string): string {
    this.lets.set('truthy', TRUTHY_FN);
    return `truthy(${raw})`;
  }

  protected override literal(l: Lit): Out {
    if (l.atom.k === 'valid') return this.valid(l);
    const outer = this.computedGuards;
    this.computedGuards = [];
    try {
      // a test on str(x) or float(x) of a field whose type makes it the same test on x, or a constant
      // (common/strval.ts; the variant guarded by isinstance(x, str) is not KQL's, whose tostring() reads any value)
      const sr = strRewrite(l, this.res);
      if (sr && 'constant' in sr) return sr.constant ? T : F;
      const onField = sr && 'lit' in sr && !sr.lit.strGuard ? sr.lit : this.floatOnColumn(l);
      const lf = this.lowerPiece(l) ?? onField ?? l;
      const out = this.strCompare(lf) ?? this.relation(lf) ?? super.literal(lf);
      // Python raises where a guard fails (an index out of range): the literal fails in both polarities
      return this.computedGuards.length ? and(...this.computedGuards.map((g) => text(g)), out) : out;
    } finally {
      this.computedGuards = outer;
    }
  }

  /**
   * `float(x) <op> n` as `x <op> n` (common/strval.ts `floatRewrite`), where x's column keeps the numbers
   * Python compares: a real or dynamic column, or an integer column of a field the mapping types `integer`
   * (a number with a fraction stored in an int column is no longer that number: src/mapping/project/kql.ts).
   */
  private floatOnColumn(l: Lit): Lit | null {
    const r = floatRewrite(l, this.res);
    if (!r) return null;
    const field = this.resolve(atomValue(r.atom));
    if (!field) return null;
    const f = this.handle(field);
    if (f.kind === 'typed-column' && (f.type === 'int' || f.type === 'long')) return this.res.mapper.valueType?.(this.res.logType, field.path) === 'integer' ? r : null;
    return f.kind === 'typed-column' || f.kind === 'dynamic' ? r : null;
  }

  /**
   * A test of a piece of `x.lower().split(sep)` (or of its length) as the case-insensitive test of the
   * piece of `x.split(sep)`, so that the piece is a split of a field KQL writes (computed.ts): lower()
   * maps each cased character to lowercase letters (and marks) alone, so with a separator of ASCII
   * characters that are no letters it neither makes nor removes a separator, and the pieces of the
   * lowered text are the lowered pieces (the length is the same). The test then compares lower(piece)
   * with literals lower() leaves as they are, which is the lift's case-insensitive test (`ci`, literals
   * in lowercase: ast/types.ts), printed as every lower() comparison is (`=~`, `in~`, `endswith`).
   * Null where the literal is not such a test.
   */
  private lowerPiece(l: Lit): Lit | null {
    const a = l.atom;
    const unlowered = (v: Val): Val | null => {
      const list = v.k === 'index' ? v.obj : v.k === 'fn' && v.fn === 'len' && v.args.length === 1 ? v.args[0]! : null;
      if (!list || list.k !== 'fn' || (list.fn !== 'split' && list.fn !== 'rsplit') || list.args.length < 2) return null;
      const [src, sep, ...rest] = list.args;
      if (src!.k !== 'fn' || src!.fn !== 'lower' || src!.args.length !== 1) return null;
      if (sep!.k !== 'lit' || typeof sep!.v !== 'string' || !/^[\x00-\x40\x5b-\x60\x7b-\x7f]+$/.test(sep!.v)) return null;
      const split: Val = { ...list, args: [src!.args[0]!, sep!, ...rest] };
      if (v.k === 'index') return { ...v, obj: split };
      return v.k === 'fn' ? { ...v, args: [split] } : null;
    };
    const lowered = (xs: readonly Json[]): boolean => xs.every((x) => typeof x === 'string' && pyFold(x) === x);
    if (a.k === 'cmp' && !a.ci && a.right.k === 'lit') {
      const left = unlowered(a.left);
      if (!left) return null;
      // the length of the split: the same with or without lower()
      if (a.left.k === 'fn') return { ...l, atom: { ...a, left } };
      if ((a.op === 'eq' || a.op === 'ne') && lowered([a.right.v])) return { ...l, atom: { ...a, left, ci: true } };
      return null;
    }
    if (a.k === 'in' && !a.ci && a.value.k === 'index' && lowered(a.list)) {
      const value = unlowered(a.value);
      return value ? { ...l, atom: { ...a, value, ci: true } } : null;
    }
    if (a.k === 'match' && !a.ci && a.value.k === 'index' && (a.kind === 'contains' || a.kind === 'startswith' || a.kind === 'endswith') && lowered([a.pattern])) {
      const value = unlowered(a.value);
      return value ? { ...l, atom: { ...a, value, ci: true } } : null;
    }
    return null;
  }

  /**
   * A piece of a threshold's dedup string (Aggregation.keyCases) as a KQL string expression whose values
   * split the events as Python's text of the piece does; null when it cannot be written so. What `strText`
   * writes, and an event field read without a default (bare or under `str()`, as an f-string prints it)
   * that holds strings (a string column; a dynamic member the mapping or the tests show to be one): a
   * dynamic member prints "None" where Python reads None (missing or JSON null),
   * `iff(isnull(x), "None", tostring(x))`; a string column reads "" where the field is missing, which
   * Python prints "None": the one difference the fields-based grouping has too (dedup.ts: a missing field
   * and a value are not told apart there); read with a string default d, `iff(isempty(x), d, x)` (a present
   * "" reads d too: the same difference). Pieces of an f-string: `strcat()`.
   */
  keyText(v: Val, present?: ReadonlySet<string>): string | null {
    if (v.k === 'fn' && v.fn === 'concat' && v.args.length > 0) {
      const parts = v.args.map((x) => this.keyText(x, present));
      if (parts.some((x) => x === null) || parts.length > 64) return null;
      return parts.length === 1 ? parts[0]! : `strcat(${parts.join(', ')})`;
    }
    const exact = this.strText(v);
    if (exact) return exact.expr;
    // a string column read with a string default: Python's default where the field is missing, which KQL
    // reads as "" (an empty value, Python's "", reads the default too: the difference above)
    const inner = v.k === 'fn' && v.fn === 'str' && v.args.length === 1 ? v.args[0]! : v;
    const ref = fieldRef(inner);
    if (ref?.root === 'event' && typeof ref.default === 'string') {
      const fd = this.resolve(inner);
      const f = fd ? this.handle(fd) : null;
      return f?.kind === 'string-column' ? `iff(isempty(${f.raw}), ${kqlString(ref.default)}, ${f.raw})` : null;
    }
    if (!ref || ref.root !== 'event' || ref.default !== undefined) return null;
    const fd = this.resolve(inner);
    if (!fd) return null;
    const f = this.handle(fd);
    if (f.kind === 'string-column') return f.raw;
    // a dynamic member: its type as sourceRefusal reads it (the mapping's, or the tests'), its default aside (it has none)
    if (f.kind !== 'dynamic' || sourceRefusal(this.res, { ...ref, default: '' }, true) !== null) return null;
    return present?.has(f.raw) ? `tostring(${f.raw})` : `iff(isnull(${f.raw}), "None", tostring(${f.raw}))`;
  }

  /**
   * The dynamic members a condition holds present wherever it is true: those of its top-level conjuncts
   * that test a field's truthiness or presence (a None is neither), by their KQL text.
   */
  presentUnder(n: Nnf): Set<string> {
    const out = new Set<string>();
    for (const c of n.k === 'and' ? n.args : [n]) {
      if (c.k !== 'lit' || c.neg || (c.atom.k !== 'truthy' && c.atom.k !== 'exists')) continue;
      const fd = this.resolve(atomValue(c.atom));
      const f = fd ? this.handle(fd) : null;
      if (f?.kind === 'dynamic') out.add(f.raw);
    }
    return out;
  }

  /**
   * Python's text of a value, as a KQL string expression, where it is one Python reads without raising
   * (null when not: the caller declares the superset):
   * - a string literal;
   * - a field (of the event or a quantifier element) read with a string default `d`, bare or under
   *   `str()`: a dynamic member reads null when missing (and when JSON null, where deep_get reads the
   *   default too), so `iff(isnull(x), d, tostring(x))`, or `tostring(x)` for `d` = "" (tostring of
   *   null is ""); a string column reads "" when missing, so only `d` = "" is its reading. Under
   *   `str()` the field must hold strings (the mapping says so, or the tests show only strings:
   *   computed.ts `sourceRefusal`), as str() of a number or a list is Python's own text of it;
   * - a computed str (a piece of a split, computed.ts), bare or under `str()`, its guards beside the literal;
   * - `concat(...)` of those (an f-string): `strcat()` of string arguments (strcat-function).
   * Bare (not under `str()`), a value Python finds to be no str makes Python raise, where KQL reads its
   * text: the target's own zero value, as for every string method (targets/README.md, missing fields).
   */
  private strText(v: Val): { expr: string; nonEmpty: boolean } | null {
    if (v.k === 'lit') return typeof v.v === 'string' ? { expr: kqlString(v.v), nonEmpty: v.v !== '' } : null;
    if (v.k === 'fn' && v.fn === 'concat' && v.args.length > 0) {
      const parts = v.args.map((x) => this.strText(x));
      if (parts.some((x) => x === null) || parts.length > 64) return null;
      const ps = parts as { expr: string; nonEmpty: boolean }[];
      return { expr: ps.length === 1 ? ps[0]!.expr : `strcat(${ps.map((x) => x.expr).join(', ')})`, nonEmpty: ps.some((x) => x.nonEmpty) };
    }
    const str = v.k === 'fn' && v.fn === 'str' && v.args.length === 1;
    const inner = str ? (v as Extract<Val, { k: 'fn' }>).args[0]! : v;
    const ref = fieldRef(inner);
    if (!ref) {
      if (!computedShape(inner)) return null;
      const fd = this.resolve(inner);
      const c = fd ? this.computed.get(fd) : undefined;
      return c?.py === 'str' ? { expr: c.expr, nonEmpty: false } : null;
    }
    const d = ref.default;
    if (typeof d !== 'string') return null;
    if (str && (ref.root !== 'event' || sourceRefusal(this.res, ref, true) !== null)) return null;
    const fd = this.resolve(inner);
    if (!fd) return null;
    const f = this.handle(fd);
    if (f.kind === 'string-column') return d === '' ? { expr: f.raw, nonEmpty: false } : null;
    if (f.kind !== 'dynamic') return null;
    return d === '' ? { expr: `tostring(${f.raw})`, nonEmpty: false } : { expr: `iff(isnull(${f.raw}), ${kqlString(d)}, tostring(${f.raw}))`, nonEmpty: false };
  }

  /**
   * `a.startswith(b)` / `a.endswith(b)` between two values (a `rel` atom), both Python strs KQL writes
   * (`strText`): `a startswith_cs b` / `a endswith_cs b`, case-sensitive with an expression on the right
   * (learn.microsoft.com/kusto/query/startswith-cs-operator, endswith-cs-operator: `col endswith_cs
   * (expression)`). Python's `s.endswith("")` is True for every s, which those pages do not state for an
   * empty right side: where `b` may be empty, `isempty(b)` decides it (isempty-function). Null (the base
   * declares the superset) for a case-insensitive relation, membership (`in`), or a value KQL does not write.
   */
  private relation(l: Lit): Out | null {
    const a = l.atom;
    if (a.k !== 'rel' || a.ci || (a.rel !== 'startswith' && a.rel !== 'endswith')) return null;
    return this.at(a.span, () => {
      // (a field either side reads records its own reasons, an unmapped field's, as any literal does)
      const s = this.strText(a.value);
      const o = s ? this.strText(a.other) : null;
      if (!s || !o) return null;
      const op = `${a.rel}_cs`;
      const t = o.nonEmpty ? `${s.expr} ${op} ${o.expr}` : `(isempty(${o.expr}) or ${s.expr} ${op} ${o.expr})`;
      return text(l.neg ? `not(${t})` : t);
    });
  }

  /**
   * `str(x) == "s"` (or `!=`, `in [...]`) on a field x read without a default: Python's str() of a JSON
   * value is the text itself for a str, the decimal digits for an int, and something else for the other
   * types ("None", "True", "1.5", "[...]", "{...}"). So for literals that are not one of those other
   * texts, the test holds exactly when x is a str equal to s, or an int whose digits are s:
   * `gettype(x) in ("string", "long", "int") and tostring(x) == "s"` (tostring of a long is its decimal
   * digits: learn.microsoft.com/kusto/query/tostring-function). Null when another printing applies.
   */
  private strCompare(l: Lit): Out | null {
    const a = l.atom;
    let value: Val;
    let list: string[];
    let neg = l.neg;
    if (a.k === 'cmp' && (a.op === 'eq' || a.op === 'ne') && !a.ci && a.right.k === 'lit' && typeof a.right.v === 'string') {
      value = a.left;
      list = [a.right.v];
      neg = l.neg !== (a.op === 'ne');
    } else if (a.k === 'in' && !a.ci && a.list.length > 0 && a.list.every((x) => typeof x === 'string')) {
      value = a.value;
      list = a.list as string[];
    } else return null;
    if (value.k !== 'fn' || value.fn !== 'str' || value.args.length !== 1) return null;
    const inner = value.args[0]!;
    const ref = fieldRef(inner);
    if (ref?.root !== 'event' || ref.default !== undefined || !list.every(strOfJsonText)) return null;
    const vals = [...new Set(list)].sort();
    const ints = vals.every((v) => CANONICAL_INT.test(v));
    const rhs = vals.length === 1 ? ` == ${kqlString(vals[0]!)}` : ` in (${vals.map(kqlString).join(', ')})`;
    return this.at(a.span, () => {
      const fd = this.resolve(inner);
      if (!fd) return T;
      const f = kfield(fd.mapped);
      const eq = (lhs: string, vs: string[]): string => (vs.length === 1 ? `${lhs} ${neg ? '!=' : '=='} ${vs[0]}` : `${lhs} ${neg ? '!in' : 'in'} (${vs.join(', ')})`);
      if (f.kind === 'string-column') {
        // a string column holds the text (of a number too): equal to a non-numeric s only for that str;
        // a missing value reads "" (Python: "None", equal to none of the literals)
        if (vals.some((v) => CANONICAL_INT.test(v))) return super.literal(l);
        return text(eq(f.raw, vals.map(kqlString)));
      }
      if (f.kind === 'typed-column') {
        if (!NUMERIC.has(f.type)) return super.literal(l);
        // a number column: only the digits of a whole number can be its str()
        if (!ints) return neg ? T : F;
        // (a field the mapping types `integer` never holds a float: its digits are its str())
        if (f.type !== 'long' && f.type !== 'int' && this.res.mapper.valueType?.(this.res.logType, fd.path) !== 'integer') {
          this.sink.add('target-number-text', `${f.raw} is a ${f.type} column: a JSON float with a whole value (5.0) reads "5.0" in Python's str(), but equals 5 here`, neg ? 'narrower' : 'wider');
        }
        // a missing number is null, whose str() "None" differs from every literal
        const t = eq(f.raw, vals.map((v) => kqlNumber(Number(v))));
        return text(neg ? `(isnull(${f.raw}) or ${t})` : t);
      }
      const test = `gettype(${f.raw}) in ("string", "long", "int") and tostring(${f.raw})${rhs}`;
      return text(neg ? `not(${test})` : test);
    });
  }

  /**
   * Two event fields read with the default "" (deep_get(..., default="")), which the rule's tests hold only
   * as strings, or only as booleans, on both sides (a JSON null reads as the default): compared as text they
   * compare as Python compares them. A missing field is "" to both (the default; KQL's tostring() of null),
   * two strings are equal as text exactly when they are equal, and so are two booleans ("true", "false").
   */
  private textComparable(a: Field, b: Field): boolean {
    const kinds = new Set<string>();
    for (const x of [a, b]) {
      if (x.ref.root !== 'event' || x.strict || x.ref.default !== '' || this.computed.get(x)) return false;
      for (const t of this.res.evidence.types(x.path)) if (t !== 'null') kinds.add(t);
    }
    return kinds.size === 1 && (kinds.has('string') || kinds.has('boolean'));
  }

  protected cmp(l: Lit, a: AtomOf<'cmp'>, field: Field, f: KField): Out {
    // effective operator after the literal's negation
    const NEG: Record<string, string> = { eq: 'ne', ne: 'eq', lt: 'ge', le: 'gt', gt: 'le', ge: 'lt' };
    const op = l.neg ? NEG[a.op]! : a.op;
    if (a.right.k !== 'lit') {
      const other = this.resolve(a.right);
      if (!other) return T;
      const g = this.handle(other);
      const oc = this.computed.get(other);
      // a computed value on the right: a list equals no str (tostring() of it could), and strs order as strings
      if (oc && (oc.py === 'list' || (op !== 'eq' && op !== 'ne'))) return this.unsupported(`a comparison with the computed ${oc.py} ${g.raw}`);
      // two number columns of fields the mapping types as numbers, read with one default that is no number:
      // Python's == is the numbers' where both are present, True where both read the default, False where
      // one does (a number never equals None or a str); Kusto's == of a null is null (null-values)
      const numeric = (x: Field, h: KField): boolean => h.kind === 'typed-column' && NUMERIC.has(h.type) && ['number', 'integer'].includes(this.res.mapper.valueType?.(this.res.logType, x.path) ?? '');
      const d1 = field.ref.default;
      const d2 = other.ref.default;
      if ((op === 'eq' || op === 'ne') && !a.ci && numeric(field, f) && numeric(other, g) && d1 === d2 && typeof d1 !== 'number' && typeof d1 !== 'boolean') {
        const same = `iff(isnull(${f.raw}) or isnull(${g.raw}), isnull(${f.raw}) and isnull(${g.raw}), ${f.raw} == ${g.raw})`;
        const differ = `iff(isnull(${f.raw}) or isnull(${g.raw}), not(isnull(${f.raw}) and isnull(${g.raw})), ${f.raw} != ${g.raw})`;
        return text(op === 'eq' ? same : differ);
      }
      // two booleans read with deep_get(..., default=b): Python reads the default where the path is missing or
      // None, as coalesce() does for KQL's null (tobool() of a dynamic bool is that bool)
      if ((op === 'eq' || op === 'ne') && !a.ci && this.dynBool(field, f, a.left) && this.dynBool(other, g, a.right)) {
        return text(`coalesce(tobool(${f.raw}), ${String(field.ref.default)}) ${op === 'eq' ? '==' : '!='} coalesce(tobool(${g.raw}), ${String(other.ref.default)})`);
      }
      // two dynamic values that are strs where present (null where missing or JSON null, as Python's None):
      // equal where their texts are equal and both or neither are null (tostring() of null is "")
      if ((op === 'eq' || op === 'ne') && !a.ci && this.dynStr(field, f) && this.dynStr(other, g)) {
        return op === 'eq'
          ? and(text(`tostring(${f.raw}) == tostring(${g.raw})`), text(`isnull(${f.raw}) == isnull(${g.raw})`))
          : or(text(`tostring(${f.raw}) != tostring(${g.raw})`), text(`isnull(${f.raw}) != isnull(${g.raw})`));
      }
      if (op === 'eq' || op === 'ne') {
        // as text, a missing field reads "" (and a number its digits): Python tells None from "" (and 5 from
        // "5"); two computed strs (pieces of a split: never None, always str) compare as Python compares them
        const str = (x: Field): boolean => this.computed.get(x)?.py === 'str';
        if (!(str(field) && str(other)) && !this.textComparable(field, other)) this.sink.add('target-missing-vs-empty', `${f.raw} and ${g.raw} are compared as text, where a missing field reads "" and a number its digits; Python tells None from "" and 5 from "5"`);
        const sym = a.ci ? (op === 'eq' ? '=~' : '!~') : op === 'eq' ? '==' : '!=';
        return text(`${kstr(f)} ${sym} ${kstr(g)}`);
      }
      const sym = { lt: '<', le: '<=', gt: '>', ge: '>=' }[op]!;
      return text(`${knum(f)} ${sym} ${knum(g)}`);
    }
    const v = a.right.v;
    // Python: a bool or a number never equals a str (when the raw value is one, as the mapping or the tests say)
    if (typeof v === 'string' && f.kind === 'typed-column' && (f.type === 'bool' || NUMERIC.has(f.type)) && (op === 'eq' || op === 'ne') && this.neverStr(field)) return op === 'eq' ? F : T;
    if (typeof v === 'string') {
      const s = kstr(f);
      const q = kqlString(a.ci ? v.toLowerCase() : v);
      let body: string;
      if (op === 'eq' || op === 'ne') body = `${s} ${a.ci ? (op === 'eq' ? '=~' : '!~') : op === 'eq' ? '==' : '!='} ${q}`;
      else body = `strcmp(${a.ci ? `tolower(${s})` : s}, ${q}) ${{ lt: '<', le: '<=', gt: '>', ge: '>=' }[op]} 0`;
      return this.guarded(l, field, f, 'str', text(body), zeroMissing(a, '', l.neg));
    }
    if (typeof v === 'number' || typeof v === 'boolean') {
      const view: View = typeof v === 'number' ? 'num' : 'bool';
      if (view === 'bool' && op !== 'eq' && op !== 'ne') return this.unsupported('an ordering comparison with a boolean');
      const sym = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' }[op]!;
      const lhs = view === 'num' ? knum(f) : kbool(f);
      // on a missing field the operand is null: `==` with a non-null value is false, `!=` true
      // (learn.microsoft.com/kusto/query/scalar-data-types/null-values, "Equality and inequality of null
      // values"), which is Python's None == v and None != v; an ordering of a null is null, which a
      // `where` (and a `countif`) does not keep: the printed condition holds no `not` above a comparison
      // (negation normal form, the operator flipped), so there a null reads as false (Kleene's and/or)
      return this.guarded(l, field, f, view, text(`${lhs} ${sym} ${lit(v)}`), sym === '!=');
    }
    return this.unsupported('a comparison with a list or mapping');
  }

  /**
   * A dynamic value (a member of a dynamic column, or a quantifier element's) read without a default, whose raw
   * value is a str where present. Missing or JSON null, it is null, where Python reads None.
   */
  private dynStr(field: Field, f: KField): boolean {
    if (f.kind !== 'dynamic' || this.computed.get(field) || field.strict) return false;
    return (field.ref.default === undefined || field.ref.default === null) && this.holdsOnly(field, 'string');
  }

  /**
   * A dynamic value read with `deep_get(..., default=b)`, b a bool (the default also where the value is None),
   * whose raw value is a bool where present.
   */
  private dynBool(field: Field, f: KField, v: Val): boolean {
    if (f.kind !== 'dynamic' || this.computed.get(field) || field.strict || this.elemFields.has(field)) return false;
    return v.k === 'get' && !!v.deep && typeof field.ref.default === 'boolean' && this.holdsOnly(field, 'boolean');
  }

  /**
   * The raw value is of JSON type `t` where present: the mapping types it so, or the tests (for a quantifier
   * element, its list's tests) hold it only as `t` or null, and as `t` at least once.
   */
  private holdsOnly(field: Field, t: 'string' | 'boolean'): boolean {
    const elem = this.elemFields.has(field);
    const stated = elem ? undefined : this.res.mapper.valueType?.(this.res.logType, field.path);
    if (stated) return stated === t;
    const seen = elem ? this.elementTypes(field) : this.res.evidence.types(field.path);
    return !!seen && seen.has(t) && [...seen].every((x) => x === t || x === 'null');
  }

  /** The raw value is a str where present: the mapping types it so, or the tests hold it, and only as a str. */
  private onlyStr(field: Field): boolean {
    const stated = this.res.mapper.valueType?.(this.res.logType, field.path);
    if (stated) return stated === 'string';
    const seen = [...this.res.evidence.types(field.path)];
    return seen.length > 0 && seen.every((t) => t === 'string');
  }

  /** The raw value is never a str: the mapping types it otherwise, or the tests hold it and never as a str. */
  private neverStr(field: Field): boolean {
    const stated = this.res.mapper.valueType?.(this.res.logType, field.path);
    if (stated) return stated !== 'string';
    const seen = [...this.res.evidence.types(field.path)].filter((t) => t !== 'null');
    return seen.length > 0 && !seen.includes('string');
  }

  protected inList(l: Lit, a: AtomOf<'in'>, field: Field, f: KField, p: ListParts): Out {
    const { strs, nums, bools } = p;
    if (p.nulls > 1) return this.unsupported(DECLARED.badList);
    const parts: Out[] = [];
    if (strs.length) {
      const vals = strs.map((s) => kqlString(a.ci ? s.toLowerCase() : s)).join(', ');
      const opx = a.ci ? (l.neg ? '!in~' : 'in~') : l.neg ? '!in' : 'in';
      parts.push(this.guarded(l, field, f, 'str', text(`${kstr(f)} ${opx} (${vals})`), zeroMissing({ ...a, list: strs }, '', l.neg)));
    }
    if (nums.length) {
      // a null is in no list (learn.microsoft.com/kusto/query/in-operator: equality with one of the values, null-values)
      parts.push(this.guarded(l, field, f, 'num', text(`${knum(f)} ${l.neg ? '!in' : 'in'} (${nums.map(kqlNumber).join(', ')})`), l.neg));
    }
    if (bools.length) {
      const vals = [...new Set(bools)].map((b) => `${kbool(f)} ${l.neg ? '!=' : '=='} ${b}`);
      parts.push(this.guarded(l, field, f, 'bool', text(vals.length > 1 ? `(${vals.join(l.neg ? ' and ' : ' or ')})` : vals[0]!), l.neg));
    }
    if (p.nulls) parts.push(this.exists({ k: 'lit', atom: { k: 'exists', value: a.value }, neg: !l.neg }, field, f, 'is'));
    if (parts.length === 0) return l.neg ? T : F;
    return l.neg ? and(...parts) : or(...parts);
  }

  protected match(l: Lit, a: AtomOf<'match'>, field: Field, f: KField): Out {
    // Python's `s in v` on a value that may be a container (of a parsed document, a quantifier's element,
    // a field the mapping or the tests show holding an object or a list): a substring of a str, a key of
    // a mapping, an element of a list (by the runtime type, gettype-function); None raises (both
    // polarities fail). Elsewhere the value is a str or nothing, and the substring test is it.
    // an element the tests show holding only strings (or None, which raises either way) is a str
    const seen = this.elementTypes(field);
    const element = this.readsElement(f.raw) && !(seen && seen.size && [...seen].every((t) => t === 'string' || t === 'null'));
    if (f.kind === 'dynamic' && a.kind === 'contains' && !a.ci && (this.docs.has(field) || element || (!this.elemFields.has(field) && this.res.container(field)))) {
      // a field the mapping types as a list (or a mapping): element (key) membership, false on a missing value
      // as py_contains() is (learn.microsoft.com/kusto/query/set-has-element-function, bag-has-key-function);
      // elsewhere by the runtime type. Not by the tests alone: a value they show as a list may be a str in the
      // vendor's data (Okta's debugData.behaviors), where set_has_element() would never hold
      const stated = this.docs.has(field) || this.elemFields.has(field) ? undefined : this.res.mapper.valueType?.(this.res.logType, field.path);
      const one = stated === 'list' || stated === 'dict' ? stated : null;
      const needle = kqlString(a.pattern);
      let t: string;
      if (one === 'list') t = `set_has_element(coalesce(${f.raw}, dynamic([])), ${needle})`;
      else if (one === 'dict') t = `bag_has_key(${f.raw}, ${needle})`;
      else {
        this.lets.set('py_contains', PY_CONTAINS_FN);
        t = `py_contains(${f.raw}, ${needle})`;
      }
      // py_contains(null) is false. A field read with a default (`event.get("argv", [])`) tests the default where
      // it is missing, and the presence guard says so; read without one, None raises (both polarities fail)
      if (typeof litMissing(l, field) !== 'boolean') return text(l.neg ? `isnotnull(${f.raw}) and not(${t})` : t);
      return this.guarded(l, field, f, 'num', text(l.neg ? `not(${t})` : t), l.neg);
    }
    const s = kstr(f);
    const pat = a.ci ? a.pattern.toLowerCase() : a.pattern;
    let body: string;
    // a glob or regex that only anchors a literal is that string test (the guard stays the atom's)
    const shape = a.kind === 'glob' ? globShape(a.pattern) : a.kind === 'regex' && !a.ci ? regexShape(a.pattern, a.flags, a.anchor) : null;
    const lit = shape ? (a.ci ? shape.text.toLowerCase() : shape.text) : pat;
    if (shape?.op === 'eq') {
      body = `${s} ${a.ci ? (l.neg ? '!~' : '=~') : l.neg ? '!=' : '=='} ${kqlString(lit)}`;
    } else if (shape || a.kind === 'contains' || a.kind === 'startswith' || a.kind === 'endswith') {
      const kind = shape ? shape.op : a.kind;
      const opx = a.ci ? kind : `${kind}_cs`;
      body = `${s} ${l.neg ? '!' : ''}${opx} ${kqlString(lit)}`;
    } else {
      let re: string;
      if (a.kind === 'glob') re = globToRe2(a.pattern);
      else {
        const r = pyToRe2(a.pattern, a.flags ?? '', { engine: 're2', ci: !!a.ci });
        if (!r.ok) return this.unsupported(`the regular expression ${JSON.stringify(a.pattern)} (${r.why})`);
        re = anchorRe(r.re, a.anchor);
      }
      if (a.ci) re = `(?i)${re}`;
      const m = `${s} matches regex ${kqlString(re)}`;
      body = l.neg ? `not(${m})` : m;
    }
    return this.guarded(l, field, f, 'str', text(body), zeroMissing(a, '', l.neg));
  }

  protected override has(l: Lit, a: AtomOf<'has'>, _field: Field, f: KField): Out {
    if (a.ci) return this.unsupported('a case-insensitive membership test on a list');
    const n = lit(a.needle);
    if (n === null) return this.unsupported('membership of a list or mapping');
    const d = f.kind === 'dynamic' ? f.raw : `parse_json(${kstr(f)})`;
    const test = typeof a.needle === 'string' ? `(set_has_element(${d}, ${n}) or bag_has_key(${d}, ${n}))` : `set_has_element(${d}, ${n})`;
    // missing: Python raises; KQL null → false; both polarities follow the KQL value
    return text(l.neg ? `not(${test})` : test);
  }

  protected cidr(l: Lit, a: AtomOf<'cidr'>, _field: Field, f: KField): Out {
    const v4 = a.ranges.filter((r) => !r.includes(':'));
    const v6 = a.ranges.filter((r) => r.includes(':'));
    const s = kstr(f);
    const parts: string[] = [];
    if (v4.length) {
      const in4 = `ipv4_is_in_any_range(${s}, ${v4.map(kqlString).join(', ')})`;
      // an IPv6 address is in no IPv4 network in Python, while ipv4_is_in_any_range gives null for it
      // (learn.microsoft.com/kusto/query/ipv4-is-in-any-range-function): negated, null would drop the
      // row, so a valid IPv6 address reads false; an invalid address stays null (Python raises)
      parts.push(l.neg ? `coalesce(${in4}, iff(ipv6_is_in_any_range(${s}, "::/0"), false, bool(null)))` : in4);
    }
    if (v6.length) parts.push(`ipv6_is_in_any_range(${s}, ${v6.map(kqlString).join(', ')})`);
    if (parts.length === 0) return l.neg ? T : F;
    const test = parts.length > 1 ? `(${parts.join(' or ')})` : parts[0]!;
    // not(null) stays null in KQL: an invalid or missing address matches neither polarity, as in Python
    return text(l.neg ? `not(${test})` : test);
  }
}
