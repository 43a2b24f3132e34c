/**
 * CloudWatch Logs Insights filter printer.
 *
 * Case: `=`, `in [...]`, `like` and regexes are case-sensitive; predicates the lift marked `ci`
 * become `=~ /(?i)^...$/` (equality) or regexes with `(?i)`, their letters spelled as Python folds
 * them (common/ci.ts). A final `$` is made exact where it can be (`re`, `portableEnd` in common/regex.ts).
 * Missing fields: a positive comparison on an absent field does not match; what a negated one does
 * is not documented, so wherever Python's answer on a missing field is known, the literal states it
 * with `ispresent()` (`(not ispresent(x) or x != "v")`).
 */
import type { Fold, Json, Val } from '../../ast/types.js';
import { truthKind, typeOf, type TruthKind } from '../common/evidence.js';
import type { ReasonSink } from '../common/fidelity.js';
import type { Field, FieldResolver } from '../common/fields.js';
import { evalAtomOn, guardFor, litMissing, type Tri } from '../common/missing.js';
import { and, F, OUT, or, T, text, type Out } from '../common/out.js';
import { PrinterBase, type AtomOf, type Declared, type ListParts, type Lit } from '../common/printer.js';
import { anchorRe, globToRe2, portableEnd, pyToRe2 } from '../common/regex.js';
import { ciLiteral } from '../common/ci.js';
import { cwlField, cwlReText, cwlRegex, cwlString } from './escape.js';
import { attrStep, structName } from './struct.js';
import { jsonChain, jsonTypes, jsonValues, type JsonChain } from '../common/jsondoc.js';
import type { TextTest } from '../common/textnum.js';
import { pySpace, splitPlan, splitWhat, treeOnMissing, type PieceSyntax, type RegexTree, type SplitRead } from '../common/split.js';
import { pyTruthy } from '../common/missing.js';
import { itemName, itemTypes, listTypes, memberQuant, truthQuant, valueAt } from './unnest.js';
import { walkLists } from '../common/walk.js';
import { pyEq, pyIn, pyStr } from '../../python/semantics.js';
import { fieldRef, type FieldRef, type PathSeg } from '../../ast/view.js';
import { evaluateValue } from '../../ast/evaluate.js';
import type { Quant } from '../common/printer.js';
import type { Nnf } from '../common/nnf.js';
import { atomValue } from '../common/nnf.js';
import { caseAlternative, groupSpellings, nullBesideOther, Spellings, type Alternative } from '../common/casealt.js';
import { splitRead } from '../common/split.js';
import { equalityTree, relationTree, type BT, type Part } from './relation.js';

/** A case-insensitive predicate's folding (lower() unless the lift says otherwise), or false. */
type Ci = { fold: Fold | undefined } | false;
const ciOf = (a: { ci?: boolean; fold?: Fold }): Ci => (a.ci ? { fold: a.fold } : false);
const CLOSED = { left: false, right: false };
/** What a Logs Insights query string holds (index.ts MAX_QUERY), for reasons. */
const MAX_QUERY_TEXT = '10,000';
/** A Python pattern as Logs Insights' regex (common/regex.ts `portable`), or null where it has no exact spelling. */
const CWL_PATTERN = (p: string): string | null => {
  const r = pyToRe2(p, '', { delims: '/', engine: 'portable' });
  return r.ok ? r.re : null;
};
/** Pieces of a split as regexes (common/split.ts): the final `$` is made portable by `re` below. */
const CWL_PIECES: PieceSyntax = { text: cwlReText, end: '$', space: pySpace({ delims: '/', engine: 'portable' }) };

function numLit(v: number): string {
  return String(v);
}

/** What Logs Insights cannot express (objects and lists are flattened: `refuse` below). */
const DECLARED: Declared = { name: 'Logs Insights', lacks: ['has', 'quant', 'bool', 'null'], badList: 'membership in a list holding booleans, nulls, lists or mappings' };

/**
 * A field read from a structure: the JSON document a string field holds (struct.ts: the source field and
 * the keys), or the item `unnest` makes of a list's element (unnest.ts).
 */
type InStruct = { kind: 'json'; source: Field; sourceVal: Val; keys: string[] } | { kind: 'elem'; u: Unnest; keys: string[] };

/**
 * An any() written with `unnest`: the list's text, the item's name, the elements the rule's tests hold in
 * that list (of every test, or of every element of the enclosing any()'s list), and the any() whose
 * element holds the list (null for an event field) with the keys under that element.
 */
interface Unnest {
  q: Quant;
  text: string;
  item: string;
  items: Json[];
  parent: Unnest | null;
  /** The list's path: under the event (parent null), under the parent's element, or under the JSON document `doc`. */
  path: string[];
  /** The JSON document a string field holds that the list is read from (its source value, as text), or null. */
  doc: string | null;
}

export class CwlPrinter extends PrinterBase<Out, string> {
  /** The structures the condition reads: the source field's text → the structure's name (struct.ts). */
  private readonly structs = new Map<string, string>();
  private readonly inStruct = new WeakMap<Field, InStruct>();
  /** The any()s written with `unnest`, in the order of their commands (an enclosing one first). */
  private readonly unnests: Unnest[] = [];
  /** The any()s written with `unnest` whose bodies are being printed, outermost first (an element at depth d reads the d-th's item). */
  private readonly stack: Unnest[] = [];

  /**
   * `maxRegex`: a rule regex whose Logs Insights spelling is longer is replaced by its superset (declared),
   * for a query that would otherwise exceed what a query string holds (index.ts renders once more so).
   */
  constructor(
    res: FieldResolver,
    sink: ReasonSink,
    private readonly opts: { maxRegex?: number } = {},
  ) {
    super(res, sink, OUT, DECLARED);
  }

  /**
   * The condition, with its any()s written with `unnest` where `allowUnnest` (the query counts no records):
   * every any() among the condition's conjuncts whose list qualifies (unnest.ts), and inside the body of
   * one so written, every any() among the body's conjuncts over a list of its element (and `s in L`, L a
   * list of strings, as the any() it is). `unnest` makes one record per element, the other fields from the
   * record it reads (CWL_QuerySyntax-Unnest.html: "this command discards the current record and generates
   * new records. Each record includes the unnested_field, which represents an item. All other fields come
   * from the original record"), so after the commands each record holds one element of every such list
   * (for a nested one, an element of the list its enclosing element holds): an event passes the filters
   * on some record exactly when the any()s hold, each being a conjunct (an empty list makes no record, and
   * any() over it is false).
   */
  printQuery(n: Nnf, allowUnnest: boolean): Out {
    if (allowUnnest) {
      n = walkLists(n, this.res);
      const tests = this.sink.rule.tests;
      const args = (n.k === 'and' ? n.args : [n])
        .map((a) => {
          const q = a.k === 'quant' && a.q === 'any' ? a : a.k === 'lit' ? memberQuant(a, tests) : null;
          return (q && this.plan(q, null)) ?? a;
        })
        .map((a) => this.truthPlan(a, null) ?? a);
      n = n.k === 'and' ? { k: 'and', args } : args[0]!;
    }
    return this.print(n);
  }

  /** The commands between `fields` and the filters: `unnest <list> into <item>`, an enclosing list first. */
  commands(): string[] {
    return this.unnests.map((u) => `unnest ${u.text} into ${u.item}`);
  }

  /**
   * The any() `q` written with `unnest` (registered), its body's qualifying any()s nested in it; `parent`
   * the any() whose element holds q's list (null for an event field). Null where q's list does not qualify.
   */
  private plan(q: Quant, parent: Unnest | null): Quant | null {
    const u = parent ? this.nestedOf(q, parent) : this.unnestOf(q);
    if (!u) return null;
    this.unnests.push(u);
    const depth = this.depthOf(u);
    const within = { depth, values: (keys: readonly PathSeg[]) => u.items.map((e) => valueAt(e, keys).v) };
    const tests = this.sink.rule.tests;
    const body = q.body.k === 'and' ? q.body.args : [q.body];
    const args = body
      .map((a) => {
        const inner = a.k === 'quant' && a.q === 'any' ? a : a.k === 'lit' ? memberQuant(a, tests, within) : null;
        return (inner && this.plan(inner, u)) ?? a;
      })
      .map((a) => this.truthPlan(a, u) ?? a);
    u.q = { ...q, body: q.body.k === 'and' ? { k: 'and', args } : args[0]! };
    return u.q;
  }

  /**
   * The truthiness of a list among the conjuncts (of the condition, `parent` null, or of the body of the any()
   * `parent` written with `unnest`, over a list its element holds) as the any() it is (unnest.ts
   * `truthQuant`), written with `unnest`; null where the literal is no such truthiness, an unnested list
   * already implies it (`impliedByUnnest`), or the list does not qualify.
   */
  private truthPlan(a: Nnf, parent: Unnest | null): Quant | null {
    if (a.k !== 'lit' || a.atom.k !== 'truthy') return null;
    const v = a.atom.value;
    const chain = jsonChain(v);
    const ref = chain ? chain.ref : fieldRef(v);
    if (!ref || ref.path.length === 0 || ref.path.some((s) => typeof s !== 'string')) return null;
    const doc = chain ? JSON.stringify(chain.source) : null;
    if (this.unnests.some((u) => u.parent === parent && u.doc === doc && ref.path.length <= u.path.length && ref.path.every((seg, i) => seg === u.path[i]))) return null;
    const tests = this.sink.rule.tests;
    let values: (Json | undefined)[];
    if (parent) {
      if (chain || ref.root !== 'elem' || ref.depth !== this.depthOf(parent)) return null;
      values = parent.items.map((e) => valueAt(e, ref.path).v);
    } else if (chain) values = jsonValues(tests, chain.source, ref.path as string[]);
    else {
      if (ref.root !== 'event' || v.k !== 'get') return null;
      const { default: _d, ...list } = v;
      values = tests.map((t) => evaluateValue(list, t.log));
    }
    const q = truthQuant(a, values, parent ? this.depthOf(parent) + 1 : 0, parent !== null || chain !== null);
    return q ? this.plan(q, parent) : null;
  }

  private depthOf(u: Unnest): number {
    let d = 0;
    for (let p = u.parent; p; p = p.parent) d++;
    return d;
  }

  /** The names the query's structures and items already take. */
  private taken(): Set<string> {
    return new Set([...this.structs.values(), ...this.unnests.map((u) => u.item)]);
  }

  /** The name of the structure `jsonParse(src)` makes: the one the query has, else a new one (not yet declared). */
  private structOf(src: string): string {
    return this.structs.get(src) ?? structName(src, this.taken(), this.sink.rule.tests);
  }

  /** The structure of `src`, declared in the query (`jsonParse(src) as name` once it is printed). */
  private useStruct(src: string): string {
    const name = this.structOf(src);
    this.structs.set(src, name);
    return name;
  }

  private unnestOf(q: Quant): Unnest | null {
    const chain = jsonChain(q.list);
    if (chain) return this.docUnnestOf(q, chain);
    const ref = fieldRef(q.list);
    if (!ref || ref.root !== 'event' || ref.path.length === 0 || ref.path.some((s) => typeof s !== 'string')) return null;
    // Python iterates a string's characters and a mapping's keys; a default other than [] is iterated when L is missing
    if (ref.default !== undefined && !(Array.isArray(ref.default) && ref.default.length === 0)) return null;
    const stated = this.res.mapper.valueType?.(this.res.logType, ref.path);
    const types = stated ? new Set([stated]) : listTypes(this.sink.rule.tests, q.list);
    if (![...types].some((t) => t === 'list') || [...types].some((t) => t !== 'list' && t !== 'null')) return null;
    if (!this.ownKeys(ref.path)) return null;
    const steps = (ref.path as string[]).map(attrStep);
    if (steps.some((x) => x === null)) return null;
    const msg = this.useStruct('@message');
    const item = itemName(String(ref.path[ref.path.length - 1]), this.taken(), this.sink.rule.tests);
    const items = this.sink.rule.tests.flatMap((t) => {
      const l = evaluateValue(q.list, t.log);
      return Array.isArray(l) ? l : [];
    });
    return { q, text: msg + steps.join(''), item, items, parent: null, path: ref.path as string[], doc: null };
  }

  /**
   * An any() over a list read from the JSON document a string field holds (`json.loads(F).get("k")...`):
   * `unnest jsonF.k into kItem` on the structure `jsonParse(F)` makes (struct.ts; "The input for unnest is
   * LIST, which comes from the jsonParse function", CWL_QuerySyntax-Unnest.html). Where the rule's tests'
   * documents hold only lists (or null, or nothing) there, and no test's document is itself a JSON array
   * (what an attribute of a list reads is undocumented). Python's json.loads() makes plain dicts, whose keys
   * are matched exactly, as attributes are.
   */
  private docUnnestOf(q: Quant, chain: JsonChain): Unnest | null {
    const ref = chain.ref;
    if (!ref || ref.path.length === 0 || ref.path.some((s) => typeof s !== 'string')) return null;
    if (ref.default !== undefined && !(Array.isArray(ref.default) && ref.default.length === 0)) return null;
    const keys = ref.path as string[];
    const tests = this.sink.rule.tests;
    const types = jsonTypes(tests, chain.source, keys);
    if (!types.has('list') || [...types].some((t) => t !== 'list' && t !== 'null')) return null;
    if (jsonTypes(tests, chain.source, []).has('list')) return null;
    const source = this.res.field(chain.source);
    const src = source ? this.name(source) : null;
    const steps = keys.map(attrStep);
    if (!src || steps.some((x) => x === null)) return null;
    const name = this.useStruct(src);
    const item = itemName(keys[keys.length - 1]!, this.taken(), tests);
    const items = jsonValues(tests, chain.source, keys).flatMap((l) => (Array.isArray(l) ? l : []));
    return { q, text: name + steps.join(''), item, items, parent: null, path: keys, doc: JSON.stringify(chain.source) };
  }

  /**
   * An any() over a list its enclosing any()'s element holds (`item.get("k")`, read without a default or with
   * `[]`): `unnest parentItem.k into kItem`, where the rule's tests hold only lists (or null, or nothing) at
   * that key of the enclosing list's elements, never a string or a mapping (Python iterates their characters
   * or keys, `unnest` reads them as one item), nor the key only in another casing (an attribute is read
   * case-sensitively).
   */
  private nestedOf(q: Quant, parent: Unnest): Unnest | null {
    const ref = fieldRef(q.list);
    if (!ref || ref.root !== 'elem' || ref.depth !== this.depthOf(parent) || ref.path.length === 0 || ref.path.some((s) => typeof s !== 'string')) return null;
    if (ref.default !== undefined && !(Array.isArray(ref.default) && ref.default.length === 0)) return null;
    const keys = ref.path as string[];
    const seen = itemTypes(parent.items, keys);
    if (seen.otherCase.length > 0 || !seen.types.has('list') || [...seen.types].some((t) => t !== 'list' && t !== 'null')) return null;
    const steps = keys.map(attrStep);
    if (steps.some((x) => x === null)) return null;
    const item = itemName(keys[keys.length - 1]!, this.taken(), this.sink.rule.tests);
    const items = parent.items.flatMap((e) => {
      const l = valueAt(e, keys).v;
      return Array.isArray(l) ? l : [];
    });
    return { q, text: parent.item + steps.join(''), item, items, parent, path: keys, doc: null };
  }

  /** any() written with `unnest`: its body, on the item; any other quantifier, the superset (declared). */
  protected override quant(q: Quant): Out {
    const u = this.unnests.find((x) => x.q === q);
    if (!u || this.stack.length !== this.depthOf(u) || (u.parent !== null && this.stack[this.stack.length - 1] !== u.parent)) return super.quant(q);
    this.stack.push(u);
    try {
      return this.print(q.body);
    } finally {
      this.stack.pop();
    }
  }

  /** An element read inside an any() written with `unnest`: an attribute of its item. */
  private elemField(v: Val, ref: FieldRef, u: Unnest): Field | null {
    if (ref.path.some((s) => typeof s !== 'string')) {
      this.unsupported('an index into a list of an element (whether Logs Insights lists count from 0 or 1 is undocumented)');
      return null;
    }
    const keys = ref.path as string[];
    const seen = itemTypes(u.items, keys);
    if (seen.otherCase.length) {
      this.sink.add('target-key-case', `the query reads ${[u.item, ...keys].join('.')}, while the rule's tests also hold ${seen.otherCase.join(', ')} in another casing, which Panther finds and Logs Insights attributes do not`, 'narrower');
    }
    const full: PathSeg[] = [];
    for (let p: Unnest | null = u; p; p = p.parent) full.unshift(...p.path);
    const field: Field = { ref, strict: v.k === 'get' && !!v.strict, path: [...full, ...keys], mapped: { name: u.item, sub: keys } };
    this.inStruct.set(field, { kind: 'elem', u, keys });
    return field;
  }

  /** What the query's `fields` command makes for the condition: `jsonParse(source) as name`, in order of first use. */
  structures(): string[] {
    return [...this.structs].map(([src, name]) => `jsonParse(${src}) as ${name}`);
  }

  /**
   * A validity test of the JSON a field holds (`valid(F)`, from a try/except around json.loads) beside a
   * test on an attribute of the same document that is false where the attribute is missing: Logs
   * Insights reads an attribute of jsonParse()'s empty value (text that is no JSON object) as missing
   * (struct.ts), so that test already fails on every text the validity test rejects, and the validity
   * test adds nothing to the conjunction. The literals of a junction that read one field spelled two
   * ways are read together under one presence test (common/casealt.ts `groupSpellings`).
   */
  override print(n: Nnf): Out {
    if (n.k !== 'and' && n.k !== 'or') return super.print(n);
    const J = n.k === 'and' ? and : or;
    const implied = (a: Nnf): boolean | null => {
      const ty = this.impliedBoolType(a, n.args, n.k === 'and');
      if (ty !== null) return ty;
      if (n.k !== 'and') return null;
      if (this.impliedValid(a, n.args) || this.impliedStr(a, n.args) || this.impliedDoc(a, n.args) || this.impliedByMember(a, n.args)) return true;
      return this.impliedKey(a, n.args);
    };
    const slots = groupSpellings(n.args, (l) => (implied(l) === null ? this.caseAlternative(l) : null));
    const slot = (x: (typeof slots)[number]): Out => {
      if (x.k === 'alt') return this.spellings(x.alt, () => J(...x.lits.map((l) => this.literalOne(l))));
      const key = implied(x.n);
      return key === null ? this.print(x.n) : key ? T : F;
    };
    const mark = this.sink.mark();
    const structs = new Set(this.structs.keys());
    const exact: boolean[] = [];
    const outs = slots.map((x) => {
      const adds = this.sink.adds;
      const o = slot(x);
      exact.push(this.sink.adds === adds);
      return o;
    });
    // a piece that is exactly the constant deciding the junction (false in an `and`, true in an `or`: it
    // recorded no reason) decides it whatever the others are: the reasons (and structures) the others'
    // printing recorded describe nothing the query holds, so they go
    const decisive = n.k === 'and' ? F : T;
    const at = outs.findIndex((o, i) => exact[i] && (o === decisive || (o.k === 'const' && decisive.k === 'const' && o.v === decisive.v)));
    if (at >= 0 && this.sink.mark() > mark) {
      this.sink.rollback(mark);
      for (const k of [...this.structs.keys()]) if (!structs.has(k)) this.structs.delete(k);
      return decisive;
    }
    return J(...outs);
  }

  /** Reads a literal's field at one spelling of its keys (common/casealt.ts). */
  private readonly spelled = new Spellings();

  /**
   * The two spellings of a literal's field (common/casealt.ts), read as Panther's lookup does:
   * `(ispresent(W) and S(W)) or (not (ispresent(W)) and S(O))` ("ispresent: Returns true if the field
   * exists", CWL_QuerySyntax-operations-functions.html; field names are case-sensitive,
   * CloudWatchLogs-Field-Indexing-Syntax, so `W` and `O` are two fields). Only where the spellings differ
   * in the last key (a JSON object is no field of its own: whether `ispresent()` reads one is
   * undocumented, src/mapping/project/cwl.ts), both names can be written, neither the mapping nor the
   * tests show an object or a list there, and no test holds the rule's spelling as JSON null beside the
   * other (Panther reads None there; Logs Insights' reading of a null is undocumented, and the projection
   * reads it as an absent field, under which the query would read the other spelling). Not inside the
   * any() written with `unnest` nor on a parsed JSON document (their keys are read as struct.ts and
   * unnest.ts say).
   */
  private caseAlternative(l: Lit): Alternative | null {
    if (this.stack.length > 0) return null;
    return caseAlternative(this.res, l, (a) => {
      if (a.at !== a.written.length - 1 || !cwlField(a.written.join('.')) || !cwlField(a.other.join('.'))) return false;
      for (const p of [a.written, a.other]) {
        const stated = this.res.mapper.valueType?.(this.res.logType, p);
        const types: Set<string> = stated ? new Set([stated]) : this.res.evidence.types(p);
        if (types.has('dict') || types.has('list')) return false;
      }
      return !nullBesideOther(this.sink.rule.tests.map((t) => t.log), a);
    });
  }

  private spellings(alt: Alternative, body: () => Out): Out {
    const w = cwlField(alt.written.join('.'))!;
    return this.spelled.both(OUT, alt, text(`ispresent(${w})`), text(this.not(`ispresent(${w})`)), body);
  }

  /**
   * A key membership test `"k" in D` (D an event field, or a value read from a parsed JSON document) beside
   * a test on `D.get("k")` (or `D["k"]`) that is false where that value is missing: wherever the sibling
   * holds without Python raising, D is a mapping holding the key (`.get` reads None, and `deep_get` its
   * default, from anything else), so the membership is true there (negated: false), whatever else the
   * conjunction says. Null for any other literal. (Logs Insights has no test of a key itself: flattened
   * objects are no fields, and a parsed document is a map no function reads, struct.ts.)
   */
  private impliedKey(a: Nnf, siblings: Nnf[]): boolean | null {
    if (a.k !== 'lit' || a.strGuard) return null;
    const at = a.atom;
    const key = at.k === 'match' && at.kind === 'contains' && !at.ci ? at.pattern : at.k === 'has' && !at.ci && typeof at.needle === 'string' ? at.needle : null;
    if (key === null) return null;
    const v = atomValue(at);
    const chain = jsonChain(v);
    const base = chain ? chain.ref : fieldRef(v);
    if (!base || (!chain && base.root !== 'event')) return null;
    const src = chain ? JSON.stringify(chain.source) : null;
    const holds = siblings.some((b) => {
      if (b === a || b.k !== 'lit') return false;
      const bv = atomValue(b.atom);
      const bc = jsonChain(bv);
      const ref = bc ? bc.ref : fieldRef(bv);
      if (!ref || (bc ? JSON.stringify(bc.source) !== src : src !== null || ref.root !== 'event')) return false;
      if (ref.path.length !== base.path.length + 1 || ref.path[base.path.length] !== key || !base.path.every((seg, i) => seg === ref.path[i])) return false;
      return litMissing(b, { ref, strict: bv.k === 'get' && !!bv.strict }) === false;
    });
    return holds ? !a.neg : null;
  }

  /**
   * `isinstance(x, bool)` (or `int`, which a bool is in Python) on a field read as 1/0 (`boolField`): where
   * x holds a value it is a boolean, so the type test holds exactly where x is present and not null. In an
   * `and`, beside a test on x that is false where x is missing or null, it adds nothing to the conjunction
   * (true); negated in an `or`, beside a test on x that is true there, nothing to the disjunction (false):
   * `x is True` (`isinstance(x, bool) and x == True`) is `x = 1`. Null for any other literal.
   */
  private impliedBoolType(a: Nnf, siblings: Nnf[], isAnd: boolean): boolean | null {
    if (a.k !== 'lit' || a.strGuard || a.neg === isAnd || a.atom.k !== 'istype' || (a.atom.type !== 'bool' && a.atom.type !== 'int')) return null;
    const ref = fieldRef(a.atom.value);
    if (!ref || ref.root !== 'event' || ref.path.length === 0) return null;
    const field = this.res.field(a.atom.value);
    if (!field || !this.boolField(field)) return null;
    const key = JSON.stringify(ref.path);
    const decides = siblings.some((b) => {
      if (b === a || b.k !== 'lit') return false;
      const bv = atomValue(b.atom);
      const bref = fieldRef(bv);
      if (!bref || bref.root !== 'event' || JSON.stringify(bref.path) !== key) return false;
      // Python's value of the sibling where x is missing (its default) and where x is null
      const onNull = evalAtomOn(b.atom, null, true);
      return litMissing(b, { ref: bref, strict: bv.k === 'get' && !!bv.strict }) === !isAnd && typeof onNull === 'boolean' && onNull !== b.neg === !isAnd;
    });
    return decides ? isAnd : null;
  }

  /**
   * `isinstance(F, str)` beside a test on an attribute of the JSON document F holds that is false where the
   * attribute is missing (as `impliedValid`): where F is no string, Python's conjunction is false; Logs
   * Insights' jsonParse() "Returns an empty value, if the input is not one of the representation"
   * (CWL_QuerySyntax-operations-functions.html, "JSON functions"), whose attributes read as missing
   * (struct.ts), so the sibling is false there too (a number, a boolean, a missing F), and the type test adds
   * nothing to the conjunction. Only where neither the mapping nor the rule's tests show F holding a JSON
   * object or list (a container is no field of its own in Logs Insights: what jsonParse() reads of one is
   * undocumented).
   */
  private impliedStr(a: Nnf, siblings: Nnf[]): boolean {
    if (a.k !== 'lit' || a.neg || a.atom.k !== 'istype' || a.atom.type !== 'str') return false;
    const ref = fieldRef(a.atom.value);
    if (!ref || ref.root !== 'event' || this.res.container({ ref, strict: false, path: ref.path, mapped: { name: '' } }) !== null) return false;
    return this.impliedValid({ ...a, atom: { k: 'valid', value: a.atom.value, format: 'json' } }, siblings);
  }

  /**
   * `isinstance(D, dict)` or the truthiness of D, D = json.loads(F) the parsed document itself, beside a test
   * on an attribute of D that is false where the attribute is missing (as `impliedValid`): wherever the
   * sibling holds D is a mapping holding that attribute (`.get` raises on anything else), so D is a dict
   * and not empty, and the test adds nothing to the conjunction. Where D is no mapping Python's
   * conjunction is false (or raises: no alert), and Logs Insights' jsonParse() gives the empty value for
   * text that is no JSON object or array, whose attributes read as missing (struct.ts). Only where no test
   * holds a JSON array as the document (what an attribute of a list reads is undocumented).
   */
  private impliedDoc(a: Nnf, siblings: Nnf[]): boolean {
    if (a.k !== 'lit' || a.neg || a.strGuard || !((a.atom.k === 'istype' && a.atom.type === 'dict') || a.atom.k === 'truthy')) return false;
    const chain = jsonChain(a.atom.value);
    if (!chain || !chain.ref || chain.ref.path.length !== 0 || chain.ref.default !== undefined) return false;
    if (jsonTypes(this.sink.rule.tests, chain.source, []).has('list')) return false;
    return this.impliedValid({ ...a, atom: { k: 'valid', value: chain.source, format: 'json' } }, siblings);
  }

  /**
   * The truthiness of a list L beside `s in L` written with jsonArrayContains (`membership`): wherever the
   * sibling holds, L holds s, so it is not empty; the truthiness adds nothing to the conjunction.
   */
  private impliedByMember(a: Nnf, siblings: Nnf[]): boolean {
    if (a.k !== 'lit' || a.neg || a.strGuard || a.atom.k !== 'truthy') return false;
    const key = (v: Val): string | null => {
      const c = jsonChain(v);
      const r = c ? c.ref : fieldRef(v);
      return r ? JSON.stringify([c ? c.source : null, r.root, r.root === 'elem' ? r.depth : null, r.path]) : null;
    };
    const k = key(a.atom.value);
    if (k === null) return false;
    return siblings.some((b) => {
      if (b === a || b.k !== 'lit' || b.neg || b.atom.k !== 'match' || key(b.atom.value) !== k) return false;
      const mark = this.sink.mark();
      const structs = new Map(this.structs);
      const ok = this.membership(b) !== null;
      this.sink.rollback(mark);
      this.structs.clear();
      for (const [x, y] of structs) this.structs.set(x, y);
      return ok;
    });
  }

  private impliedValid(a: Nnf, siblings: Nnf[]): boolean {
    if (a.k !== 'lit' || a.neg || a.atom.k !== 'valid') return false;
    const src = JSON.stringify(a.atom.value);
    return siblings.some((b) => {
      if (b === a || b.k !== 'lit') return false;
      const chain = jsonChain(atomValue(b.atom));
      if (!chain || !chain.ref || chain.ref.path.length === 0 || JSON.stringify(chain.source) !== src) return false;
      const v = atomValue(b.atom);
      return litMissing(b, { ref: chain.ref, strict: v.k === 'get' && !!v.strict }) === false;
    });
  }

  /**
   * The truthiness of a list an any() written with `unnest` iterates, or of a mapping on its path (the
   * enclosing element itself, for a nested one): on every record the commands make, that list held the
   * record's element and each mapping on its path the next key, so none is empty, and the literal is true
   * there (negated: false), whatever else the condition says. Null for any other literal.
   */
  private impliedByUnnest(l: Lit): boolean | null {
    if (this.unnests.length === 0 || l.atom.k !== 'truthy' || l.strGuard) return null;
    const chain = jsonChain(l.atom.value);
    const doc = chain ? JSON.stringify(chain.source) : null;
    const ref = chain ? chain.ref : fieldRef(l.atom.value);
    if (!ref || ref.path.some((s) => typeof s !== 'string')) return null;
    const holds = this.unnests.some((u) => {
      if (u.doc !== doc) return false;
      if (ref.root === 'event' ? u.parent !== null || (ref.path.length === 0 && !doc) : u.parent === null || this.stack[ref.depth] !== u.parent) return false;
      return ref.path.length <= u.path.length && ref.path.every((seg, i) => seg === u.path[i]);
    });
    return holds ? !l.neg : null;
  }

  /** A literal read at each spelling of its field's keys (`caseAlternative`), or as it is. */
  protected override literal(l: Lit): Out {
    const alt = this.caseAlternative(l);
    return alt ? this.spellings(alt, () => this.literalOne(l)) : this.literalOne(l);
  }

  /** A test on a piece of `x.split(sep)`, or on their number, is a regex on `x` (common/split.ts). */
  private literalOne(l: Lit): Out {
    const implied = this.impliedByUnnest(l);
    if (implied !== null) return implied ? T : F;
    const rel = this.relation(l) ?? this.membership(l) ?? this.containerEq(l);
    if (rel) return rel;
    // a test on str() of a field whose type makes it the same test on the field (common/strval.ts)
    // a comparison of float(x) with a number, x holding numbers, is the comparison of x (common/strval.ts)
    return this.computedLiteral(l, {
      pieces: CWL_PIECES,
      split: (s) => this.splitLit(l, s),
      strip: (src, _chars, re) => this.stripLit(l, src, re),
      float: true,
      text: { py: CWL_PATTERN, write: (t) => this.textLit(t) },
    });
  }

  /**
   * `a.startswith(b)` / `a.endswith(b)` between computed strings (a `rel` atom) with Logs Insights' string
   * functions (relation.ts): `a` a field (or literal), `b` literals, fields and the first or last piece of a
   * field split on one character, joined by `+`. Each field holds only strings in the rule's tests (no null:
   * Python reads a present null as None, where `.get()` with a default raises, the projection an absent
   * field) and, where the mapping types it, is typed a string. Null (the base declares the superset) for
   * a case-insensitive relation, membership (`in`), or a value it does not write.
   */
  private relation(l: Lit): Out | null {
    const a = l.atom;
    if (a.k === 'cmp') return this.equality(l);
    if (a.k !== 'rel' || a.ci || (a.rel !== 'startswith' && a.rel !== 'endswith')) return null;
    const rel = a.rel;
    return this.attempt(() =>
      this.at(a.span, () => {
        const left = this.relParts(a.value);
        const right = left && left.length === 1 ? this.relParts(a.other) : null;
        if (!left || !right) return null;
        const t = relationTree(rel, left[0]!, right, l.neg, { str: cwlString });
        return t === null ? null : btOut(t);
      }),
    );
  }

  /** `f()`, the reasons it recorded taken back where it writes nothing (null). */
  private attempt<R>(f: () => R | null): R | null {
    const mark = this.sink.mark();
    const out = f();
    if (out === null) this.sink.rollback(mark);
    return out;
  }

  /** The field `v` reads, resolved for what it holds only: the reasons resolving records belong to its printing. */
  private fieldQuietly(v: Val): Field | null {
    const mark = this.sink.mark();
    const field = this.res.field(v);
    this.sink.rollback(mark);
    return field;
  }

  /**
   * Does `@message` hold the field under the log's own key path? The field the mapping names is that path,
   * and the rule's tests hold it in no other casing (Panther finds one; `@message` is read case-sensitively).
   */
  private ownKeys(keys: readonly PathSeg[]): boolean {
    if (this.res.evidence.otherCasings([...keys]).length > 0) return false;
    const m = this.res.mapper.resolve(this.res.logType, 'cwl', [...keys]);
    return !('unmapped' in m) && [m.name, ...(m.sub ?? []).map(String)].join('.') === keys.join('.');
  }

  /**
   * `x == v` (or `x in [v, ...]`), v a string or number, on an event field the rule's tests (or the mapping)
   * also show holding a JSON object or list: Python's container equals no string or number, and read from
   * `jsonParse(@message)` so does the structure's ("Comparing map and list to any other fields result in
   * false", CWL_QuerySyntax-operations-functions.html, "Structure types"), while a discovered field is no
   * container (whether Logs Insights exposes one is undocumented). Positive only (what `!=` does on a map is
   * not stated), where Python's value on a missing field is false (an absent attribute does not match), the
   * tests hold no boolean there (what jsonParse() makes of one is not stated) and the log's key path is the
   * field the mapping names, in no other casing in the tests.
   */
  private containerEq(l: Lit): Out | null {
    const a = l.atom;
    let vals: Json[];
    if (a.k === 'cmp' && a.right.k === 'lit' && !a.ci && (a.op === 'eq') !== l.neg && (a.op === 'eq' || a.op === 'ne')) vals = [a.right.v];
    else if (a.k === 'in' && !a.ci && !l.neg && a.list.length > 0) vals = a.list;
    else return null;
    if (vals.some((x) => !(typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))))) return null;
    const v = a.k === 'cmp' ? a.left : a.value;
    const ref = fieldRef(v);
    if (!ref || ref.root !== 'event' || ref.path.length === 0 || ref.path.some((x) => typeof x !== 'string') || jsonChain(v)) return null;
    const keys = ref.path as string[];
    const field = this.fieldQuietly(v);
    if (!field || this.inStruct.has(field) || this.spelled.field(v)) return null;
    const stated = this.res.mapper.valueType?.(this.res.logType, keys);
    const types: Set<string> = stated ? new Set([stated]) : this.res.evidence.types(keys);
    if (!types.has('dict') && !types.has('list')) return null;
    if (types.has('boolean') || this.res.evidence.types(keys).has('boolean')) return null;
    if (litMissing({ ...l, neg: false, atom: a.k === 'cmp' ? { ...a, op: 'eq' } : a }, field) !== false) return null;
    if (!this.ownKeys(keys)) return null;
    const steps = keys.map(attrStep);
    const lits = vals.map((x) => (typeof x === 'string' ? cwlString(x) : numLit(x as number)));
    if (steps.some((x) => x === null) || lits.some((x) => x === null)) return null;
    const f = this.useStruct('@message') + steps.join('');
    return this.at(a.span, () => or(...[...new Set(lits)].map((x) => text(`${f} = ${x}`))));
  }

  /**
   * `s in L`, L a list of strings (an event field read from `jsonParse(@message)`, an attribute of an
   * `unnest` item, or a list of the JSON document a string field holds), as
   * `jsonArrayContains(jsonStringify(L), "s")` (CWL_QuerySyntax-operations-functions.html, "JSON functions":
   * jsonStringify "Returns a JSON string from a map or list data"; jsonArrayContains "Returns true (1) if the
   * JSON array in the field contains the specified value. Returns false (0) for invalid JSON, non-array, or
   * empty array. Uses case-sensitive comparison"; JSON functions are used "as arguments for other
   * functions"). Where L is missing no data is there: no JSON array holds s, as Python's default does not
   * (a default holding s, or another than a list or a string, is not written; no default: positive only,
   * Python raises there). Where the rule's tests hold L only as lists of strings (null too for a positive
   * literal: Python raises on it, and the function is false there) and, for an event field, the log's own
   * key path is the field the mapping names, in no other casing in the tests.
   */
  private membership(l: Lit): Out | null {
    const a = l.atom;
    if (a.k !== 'match' || a.kind !== 'contains' || a.ci || l.strGuard) return null;
    const v = a.value;
    if (v.k !== 'get' || v.strict) return null;
    const chain = jsonChain(v);
    const ref = chain ? chain.ref : fieldRef(v);
    if (!ref || ref.path.length === 0 || ref.path.some((x) => typeof x !== 'string')) return null;
    const keys = ref.path as string[];
    const d = ref.default;
    if (d === undefined ? l.neg : !(Array.isArray(d) || typeof d === 'string') || pyIn(a.pattern, d)) return null;
    const q = cwlString(a.pattern);
    const steps = keys.map(attrStep);
    if (q === null || steps.some((x) => x === null)) return null;
    const tests = this.sink.rule.tests;
    let values: (Json | undefined)[];
    let base: string;
    /** The source of the structure the list is read from (registered once the literal is written). */
    let struct: string | null = null;
    if (chain) {
      if (jsonTypes(tests, chain.source, []).has('list')) return null;
      const source = this.res.field(chain.source);
      const src = source ? this.name(source) : null;
      if (!src) return null;
      values = jsonValues(tests, chain.source, keys);
      base = this.structOf(src);
      struct = src;
    } else if (ref.root === 'elem') {
      const u = this.stack[ref.depth];
      if (!u || ref.depth !== this.stack.length - 1 || itemTypes(u.items, keys).otherCase.length > 0) return null;
      values = u.items.map((e) => valueAt(e, keys).v);
      base = u.item;
    } else {
      if (ref.root !== 'event' || !this.ownKeys(keys)) return null;
      const stated = this.res.mapper.valueType?.(this.res.logType, keys);
      if (stated !== undefined && stated !== 'list') return null;
      // the log's own values (a key missing on the way reads nothing; a JSON null is null)
      values = tests.map((t) => valueAt(t.log, keys).v);
      base = this.structOf('@message');
      struct = '@message';
    }
    const seen = values.filter((x) => x !== undefined);
    if (!seen.some((x) => Array.isArray(x)) || seen.some((x) => x !== null && !Array.isArray(x)) || (l.neg && seen.includes(null))) return null;
    if (seen.some((x) => Array.isArray(x) && x.some((e) => typeof e !== 'string'))) return null;
    if (struct !== null) this.structs.set(struct, base);
    const call = `jsonArrayContains(jsonStringify(${base}${steps.join('')}), ${q})`;
    return text(l.neg ? this.not(call) : call);
  }

  /**
   * `a == b` / `a != b` where a side is a computed string (a piece of a split, an f-string) that `relParts`
   * reads: the comparison of the two strings, each field under `ispresent()` (relation.ts `equalityTree`).
   */
  private equality(l: Lit): Out | null {
    const a = l.atom;
    if (a.k !== 'cmp' || a.ci || (a.op !== 'eq' && a.op !== 'ne') || a.right.k === 'lit') return null;
    const computed = (v: Val) => splitRead(v) !== null || (v.k === 'fn' && (v.fn === 'concat' || v.fn === 'str'));
    if (!computed(a.left) && !computed(a.right)) return null;
    const right = a.right;
    return this.attempt(() =>
      this.at(a.span, () => {
        // a field compared as it is reads None where it is missing without a default
        const side = (v: Val): Part[] | null => {
          const p = fieldRef(v) && v.k === 'get' && !v.strict && fieldRef(v)!.default === undefined ? this.relField(v) : null;
          return p ? [{ ...p, none: true }] : this.relParts(v);
        };
        const x = side(a.left);
        const y = x ? side(right) : null;
        if (!x || !y) return null;
        const t = equalityTree(x, y, (a.op === 'ne') !== l.neg, { str: cwlString });
        return t === null ? null : btOut(t);
      }),
    );
  }

  /**
   * The parts of a string `relation` reads, or null. `str(x)` (an f-string's piece) of a value holding only
   * strings is that value, and Python's text of a missing field read without a default is "None".
   */
  private relParts(v: Val): Part[] | null {
    if (v.k === 'lit') return typeof v.v === 'string' ? [{ lit: v.v }] : null;
    if (v.k === 'fn' && v.fn === 'str' && v.args.length === 1) {
      const inner = v.args[0]!;
      if (splitRead(inner)) return this.relParts(inner);
      const p = this.relField(inner, true);
      return p && [p];
    }
    if (v.k === 'fn' && v.fn === 'concat' && v.args.length > 0) {
      const ps = v.args.map((x) => this.relParts(x));
      return ps.some((x) => x === null) ? null : (ps as Part[][]).flat();
    }
    const s = splitRead(v);
    if (s) {
      if ((s.which !== 0 && s.which !== -1) || s.lower || s.strip || s.from) return null;
      const p = this.relField(s.src);
      return p && [{ ...p, piece: { sep: s.sep, which: s.which } }];
    }
    const p = this.relField(v);
    return p && [p];
  }

  /** A field `relation` reads: its name and Python's text where it is missing (null: Python raises there). */
  private relField(v: Val, strOf = false): { field: string; dflt: string | null } | null {
    const ref = fieldRef(v);
    if (!ref) return null;
    const d = strOf && ref.default === undefined ? 'None' : ref.default;
    if (d !== undefined && typeof d !== 'string') return null;
    const field = this.resolve(v);
    if (!field || !this.onlyStrings(field)) return null;
    const f = this.handle(field);
    return f === null ? null : { field: f, dflt: field.strict || d === undefined ? null : d };
  }

  /** Whether a field holds only strings: in the rule's tests (some, none null), and by the mapping's type where it states one. */
  private onlyStrings(field: Field): boolean {
    const st = this.inStruct.get(field);
    let types: Set<string>;
    if (st?.kind === 'elem') types = itemTypes(st.u.items, st.keys).types;
    else if (st?.kind === 'json') types = jsonTypes(this.sink.rule.tests, st.sourceVal, st.keys);
    else {
      const stated = this.res.mapper.valueType?.(this.res.logType, field.path);
      if (stated !== undefined && stated !== 'string') return false;
      types = this.res.evidence.types(field.path);
    }
    return types.size > 0 && [...types].every((t) => t === 'string');
  }

  /**
   * The field a split or rstrip() reads, with Python's reading where it is missing: `str(x)` of a field
   * holding only strings (the mapping types it a string, or the tests hold it only so) is `x`, whose missing
   * value Python reads as the text "None" (`str(None)`, or str() of the default).
   */
  private computedSource(src: Val): { field: Field; py: { ref: { default?: Json }; strict: boolean } } | null {
    const strOf = src.k === 'fn' && src.fn === 'str' && src.args.length === 1;
    const inner = strOf ? src.args[0]! : src;
    const field = this.spelled.field(inner) ?? this.res.field(inner);
    if (!field) return null;
    if (!strOf) return { field, py: field };
    if (this.knownType(field) !== 'string') {
      this.unsupported(`str() of ${field.path.map(String).join('.')}, which may hold other values than strings`);
      return null;
    }
    const d = field.ref.default;
    return { field, py: field.strict ? { ref: {}, strict: true } : { ref: { default: pyStr(d === undefined ? null : d) }, strict: false } };
  }

  private splitLit(l: Lit, s: SplitRead): Out {
    // a piece is a str: truthy where it is not "" (an index past the pieces raises either way)
    if (l.atom.k === 'truthy' && typeof s.which === 'number') l = { ...l, atom: { k: 'cmp', op: 'ne', left: l.atom.value, right: { k: 'lit', v: '' }, ...(l.atom.span ? { span: l.atom.span } : {}) } };
    const src = this.computedSource(s.src);
    if (!src) return T;
    const field = src.field;
    const f = this.name(field);
    if (!f) return T;
    const bad = this.nonScalar(field);
    if (bad) return this.unsupported(`a test on ${bad}`);
    const what = splitWhat(s, f);
    const plan = splitPlan(l, s, src.py, CWL_PIECES, what);
    if (!plan.ok) return this.unsupported(plan.why);
    return this.regexTree(f, plan.tree, plan.ci, plan.py);
  }

  /** Regex tests on `f` (under `(?i)` when `ci`), guarded where Python's value on a missing field (`py`) needs it. */
  private regexTree(f: string, tree: RegexTree, ci: boolean, py: Tri): Out {
    const out = (t: RegexTree): Out => {
      if (typeof t === 'boolean') return t ? T : F;
      if ('k' in t) return (t.k === 'and' ? and : or)(...t.args.map(out));
      return this.re(f, ci ? `(?i)${t.re}` : t.re, t.neg);
    };
    const body = out(tree);
    // what a negated regex does on an absent field is not documented
    const g = guardFor(py, treeOnMissing(tree, 'unknown'));
    if (g === 'none') return body;
    return g === 'orMissing' ? or(text(this.not(`ispresent(${f})`)), body) : and(text(`ispresent(${f})`), body);
  }

  /** A test on `len(x)` or `int(x)` of a field holding strings, as regexes on `x` (common/textnum.ts). */
  private textLit(t: TextTest): Out {
    const field = this.spelled.field(t.src) ?? this.res.field(t.src);
    if (!field) return T;
    const f = this.name(field);
    if (!f) return T;
    const bad = this.nonScalar(field);
    if (bad) return this.unsupported(`a test on ${bad}`);
    return this.regexTree(f, t.tree, false, t.py);
  }

  /**
   * A test on `x.rstrip(chars)` as a regex on `x` (common/strip.ts); `re` false: no string passes it. Python raises
   * where `x` is missing (no guard: the regex is false there, as for a piece of a split).
   */
  private stripLit(l: Lit, src: Val, re: string | false): Out {
    const field = this.spelled.field(src) ?? this.res.field(src);
    if (!field) return T;
    const f = this.name(field);
    if (!f) return T;
    const bad = this.nonScalar(field);
    if (bad) return this.unsupported(`a test on ${bad}`);
    if (re === false) return l.neg ? T : F;
    return this.re(f, re, l.neg);
  }

  /** A value read from a JSON document a field holds becomes a field of its structure (struct.ts). */
  protected override resolveField(v: Val): Field | null {
    const spelled = this.spelled.field(v);
    if (spelled) return spelled;
    const ref = fieldRef(v);
    if (ref?.root === 'elem' && ref.depth < this.stack.length) return this.elemField(v, ref, this.stack[ref.depth]!);
    const chain = jsonChain(v);
    return chain ? this.structField(v, chain) : super.resolveField(v);
  }

  private structField(v: Val, chain: JsonChain): Field | null {
    const source = this.res.field(chain.source);
    if (!source) return null;
    const ref = chain.ref;
    if (!ref) {
      this.res.ref(v);
      return null;
    }
    if (ref.path.some((s) => typeof s === 'number')) {
      this.unsupported('an index into a list of a parsed JSON document (whether Logs Insights lists count from 0 or 1 is undocumented)');
      return null;
    }
    if (ref.path.length === 0) {
      this.unsupported('a test on a parsed JSON document itself (a map, a list or an empty value in Logs Insights)');
      return null;
    }
    const keys = ref.path as string[];
    // a path no mapping or test log holds: evidence and the mapping's types say nothing of it
    const field: Field = { ref, strict: v.k === 'get' && !!v.strict, path: ['\u0000jsonParse', ...source.path, ...keys], mapped: { name: source.mapped.name, sub: [...(source.mapped.sub ?? []), ...keys] } };
    this.inStruct.set(field, { kind: 'json', source, sourceVal: chain.source, keys });
    return field;
  }

  name(field: Field): string | null {
    const sub = field.mapped.sub ?? [];
    const full = [field.mapped.name, ...sub.map(String)].join('.');
    const f = cwlField(full);
    if (!f) this.sink.add('target-unsupported-construct', `field name ${JSON.stringify(full)} cannot be written in Logs Insights; replaced by its superset`, 'wider');
    return f;
  }

  protected handle(field: Field): string | null {
    const st = this.inStruct.get(field);
    if (!st) return this.name(field);
    if (st.kind === 'elem') {
      const steps = st.keys.map(attrStep);
      if (steps.some((x) => x === null)) {
        this.unsupported(`an attribute of a list element named ${JSON.stringify(st.keys.find((k) => attrStep(k) === null))}`);
        return null;
      }
      return st.u.item + steps.join('');
    }
    const src = this.name(st.source);
    if (!src) return null;
    const steps = st.keys.map(attrStep);
    if (steps.some((x) => x === null)) {
      this.unsupported(`an attribute of a parsed JSON document named ${JSON.stringify(st.keys.find((k) => attrStep(k) === null))}`);
      return null;
    }
    return this.useStruct(src) + steps.join('');
  }

  protected label(f: string): string {
    return f;
  }

  /** What makes a field's values unreadable here (an object, a list, a boolean), from the mapping or the tests. */
  private nonScalar(field: Field): string | null {
    const st = this.inStruct.get(field);
    const stated = st ? undefined : this.res.mapper.valueType?.(this.res.logType, field.path);
    const types: Set<string> =
      st?.kind === 'json' ? jsonTypes(this.sink.rule.tests, st.sourceVal, st.keys) : stated ? new Set([stated]) : st ? itemTypes(st.u.items, st.keys).types : this.res.evidence.types(field.path);
    const bad = ['dict', 'list', 'boolean'].filter((t) => types.has(t as never));
    if (bad.length === 0) return null;
    const what = bad.map((t) => (t === 'dict' ? 'a JSON object' : t === 'list' ? 'a list' : 'a boolean'));
    const label = st?.kind === 'json' ? `${st.keys.join('.')} of the JSON document in ${st.source.path.map(String).join('.')}` : st ? `${[st.u.item, ...st.keys].join('.')}` : field.path.map(String).join('.');
    return `${label} (${what.join(' or ')} in ${stated ? 'the mapping' : "the rule's tests"})`;
  }

  private nonScalarVal(v: Val): string | null {
    const other = this.res.field(v);
    return other ? this.nonScalar(other) : null;
  }

  /**
   * A discovered field holding JSON booleans: the mapping types it `boolean`, or the rule's tests hold it
   * only as a boolean (null aside), and no test holds it otherwise. Logs Insights discovers a JSON boolean
   * as the number 1 (true) or 0 (false), and a filter compares it with 1/0 (not documented; observed by
   * users: aws-powertools/powertools-lambda-dotnet#667, closed as not-a-bug, "CloudWatch Insights filters
   * must use 1/0 for the bool value"; gist.github.com/skyzyx/6c47ab78adcb4802a67a66c1a2c0f6a3, "BOOL fields
   * are converted to 1 for true, and 0 for false"). Python's bool is an int (True == 1, False == 0, and
   * they order as 1 and 0), so on such a field a comparison with a boolean or a number is the comparison
   * with 1/0, and its truthiness is `= 1`. Not a value read through jsonParse() or an `unnest` item (what
   * those make of a JSON boolean is not stated), nor a field that may hold a string ("true" is no True)
   * or a number (2 is truthy and no True).
   */
  private boolField(field: Field): boolean {
    return this.knownType(field) === 'boolean';
  }

  /**
   * The one JSON type a discovered field holds, where it is a boolean or a string: the mapping states it and
   * the rule's tests hold the field only so (null aside), or no mapping type and the tests hold it only so.
   * Not for a value read through jsonParse() or an `unnest` item.
   */
  private knownType(field: Field): 'boolean' | 'string' | 'integer' | null {
    const st = this.inStruct.get(field);
    if (st?.kind === 'elem') return null;
    // a value read from a parsed JSON document: as its tests hold it (a string or an integral number; what
    // jsonParse() makes of a JSON boolean is not stated)
    const stated = st ? undefined : this.res.mapper.valueType?.(this.res.logType, field.path);
    const values = st ? jsonValues(this.sink.rule.tests, st.sourceVal, st.keys) : this.res.evidence.values(field.path);
    const seen = new Set(st ? values.map(typeOf).filter((t) => t !== 'null') : [...this.res.evidence.types(field.path)].filter((t) => t !== 'null'));
    // integers: the mapping types the field `integer`, or the tests hold it only as integral numbers (an
    // integral JSON number is an int, as src/python/semantics.ts reads it)
    if (stated === 'integer' || (stated === undefined && seen.size === 1 && seen.has('number'))) {
      const ints = values.every((v) => v === null || (typeof v === 'number' && Number.isInteger(v)));
      return [...seen].every((t) => t === 'number') && ints ? 'integer' : null;
    }
    if (st && seen.has('boolean')) return null;
    const one = stated ?? (seen.size === 1 ? [...seen][0] : undefined);
    if ((one !== 'boolean' && one !== 'string') || [...seen].some((t) => t !== one)) return null;
    return one;
  }

  /**
   * `isinstance(x, T)` of a discovered field whose type is known (`knownType`): where x holds a value, that
   * type decides the test (Python: a bool is an int); where x is missing, Python tests its default (and
   * None where a test holds null: `nullAsMissing`), so the test is x's presence, a constant, or, where the
   * default's answer differs from a null's, the superset (declared). Otherwise the superset (declared).
   */
  protected override istype(l: Lit, a: AtomOf<'istype'>, field: Field, f: string): Out {
    const k = this.knownType(field);
    const missing = litMissing(l, field);
    if (!k || typeof missing !== 'boolean' || !this.nullAsMissing(l, field)) return super.istype(l, a, field, f);
    const holds = k === 'boolean' ? a.type === 'bool' || a.type === 'int' : k === 'integer' ? a.type === 'int' : a.type === 'str';
    const present = holds !== l.neg;
    if (missing === present) return present ? T : F;
    return text(present ? `ispresent(${f})` : this.not(`ispresent(${f})`));
  }

  /**
   * `x in L` on a field read as 1/0 (`boolField`): Python's True is 1 and False 0, and no string equals a
   * boolean, so the booleans are the numbers 1/0 and the strings drop out (None and containers stay, refused).
   */
  protected override listOn(field: Field, p: ListParts): ListParts {
    if ((p.bools.length === 0 && p.strs.length === 0) || !this.boolField(field)) return p;
    const nums = [...new Set([...p.nums, ...p.bools.map(Number)])];
    return { ...p, strs: [], bools: [], nums, nonStr: p.nonStr.map((x) => (typeof x === 'boolean' ? Number(x) : x)) };
  }

  /**
   * Whether the literal's Python value where the field is missing (its default) is also its value on a JSON
   * null the rule's tests hold there (which the projection, as Logs Insights' reading of null is undocumented,
   * reads as an absent field): Python reads the null itself, not the default.
   */
  private nullAsMissing(l: Lit, field: Field): boolean {
    const st = this.inStruct.get(field);
    const types = st?.kind === 'json' ? jsonTypes(this.sink.rule.tests, st.sourceVal, st.keys) : this.res.evidence.types(field.path);
    if (field.ref.default === undefined || !types.has('null')) return true;
    const onNull = evalAtomOn(l.atom, null, true);
    return typeof onNull === 'boolean' && (onNull !== l.neg) === litMissing(l, field);
  }

  /**
   * A test a field read as 1/0 answers as Python does on the boolean (`boolField`): presence, truthiness, a
   * comparison with a boolean or a number, and `==`/`!=` with another field read as 1/0 (Python's booleans
   * are equal exactly where their numbers are).
   */
  private boolReadable(a: Lit['atom']): boolean {
    if (a.k === 'exists' || a.k === 'truthy' || a.k === 'istype') return true;
    if (a.k === 'in') return !a.ci && a.list.every((x) => typeof x === 'boolean' || typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)));
    if (a.k === 'cmp' && a.right.k !== 'lit' && !a.ci && (a.op === 'eq' || a.op === 'ne')) {
      const other = this.fieldQuietly(a.right);
      return other !== null && !this.inStruct.has(other) && this.boolField(other);
    }
    if (a.k !== 'cmp' || a.right.k !== 'lit' || a.ci) return false;
    const v = a.right.v;
    return typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && (a.op === 'eq' || a.op === 'ne'));
  }

  /**
   * Logs Insights flattens a JSON object or list into its members (the container itself is no
   * field); a JSON boolean reads as 1/0 (`boolField`), tested only where that is Python's answer.
   */
  protected override refuse(l: Lit, field: Field): Out | null {
    const a = l.atom;
    if (a.k === 'truthy' && this.firstElement(field) !== null) return null;
    // an `unnest` item's presence: the item is a field of every record unnest makes (truthQuant)
    const st = this.inStruct.get(field);
    if (a.k === 'exists' && st?.kind === 'elem' && st.keys.length === 0) return null;
    if (this.boolReadable(a) && this.boolField(field)) {
      if (this.nullAsMissing(l, field)) return null;
      return this.unsupported(`a test on ${field.path.map(String).join('.')} (a boolean read with a default, which the rule's tests also hold as null: how Logs Insights reads a JSON null is undocumented)`);
    }
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

  /**
   * Regex test `f =~ /re/` (negated: `not (f =~ /re/)`). A final `$` is read alike by every engine on
   * values that do not end in a line-end character (`portableEnd`): where the pattern's own reading
   * of those values is known, the test states it, `(f =~ /re/ and not (f =~ /[\n...]$/))` (negated
   * by De Morgan); otherwise the `$` is reported (wider on values ending in a line break).
   */
  private re(f: string, re: string, neg: boolean): Out {
    const test = (r: string) => `${f} =~ ${cwlRegex(r)}`;
    const end = portableEnd(re);
    if (end === null || !end.ok) {
      if (end) this.sink.add('target-regex-end-anchor', end.note, 'wider');
      return text(neg ? this.not(test(re)) : test(re));
    }
    if (!neg) return or(...end.alts.map((a) => and(text(test(a.re)), text(this.not(test(a.not))))));
    return and(...end.alts.map((a) => or(text(this.not(test(a.re))), text(test(a.not)))));
  }

  /**
   * Literal text as regex text: escaped, or, case-insensitive, every character as the class of those
   * Python folds to it (common/ci.ts; the caller puts `(?i)` first). `open`: the text may go on before / after
   * it. null (and the reason) when the folding cannot be written exactly.
   */
  private litRe(v: string, ci: Ci, open: { left: boolean; right: boolean }): string | null {
    if (!ci) return cwlReText(v);
    const r = ciLiteral(v, ci.fold, open);
    if (r.ok) return r.re;
    this.unsupported(`a case-insensitive comparison with ${JSON.stringify(v)} (${r.why})`);
    return null;
  }

  /** `f = "v"`, or an anchored regex (ci, or a value no quote can hold); T when it cannot be written. */
  private eqStr(f: string, v: string, ci: Ci, neg: boolean): Out {
    const q = ci ? null : cwlString(v);
    if (q !== null) return text(`${f} ${neg ? '!=' : '='} ${q}`);
    const body = this.litRe(v, ci, CLOSED);
    return body === null ? T : this.re(f, `${ci ? '(?i)' : ''}^${body}$`, neg);
  }

  protected isNone(l: Lit, _field: Field, f: string): Out {
    return text(l.neg ? this.not(`ispresent(${f})`) : `ispresent(${f})`);
  }

  /** A JSON null reads as an absent field (not documented otherwise). */
  protected presentNull(): Out | null {
    return null;
  }

  /** isempty: missing or "": Python's truthiness only for string values (a JSON boolean reads as 1/0, `boolField`; how a flattened JSON 0, [] or {} reads is not documented). */
  protected truthy(l: Lit, field: Field, f: string, kind: TruthKind): Out | null {
    // a list element's or a parsed document's value: the kind its own values in the tests show (the
    // resolver's evidence reads the log's fields, where the list itself or the source text sits)
    const st = this.inStruct.get(field);
    // a boolean read as 1/0 (`boolField`): true is `= 1`, false `= 0`; where the field is missing Python reads
    // its default (None: falsy), and a comparison on an absent field is false (the guard states the rest)
    if (kind === 'boolean' && this.boolField(field)) return this.guarded(l, field, f, text(`${f} = ${l.neg ? 0 : 1}`), false);
    if (st) kind = truthKind(undefined, st.kind === 'elem' ? itemTypes(st.u.items, st.keys).types : jsonTypes(this.sink.rule.tests, st.sourceVal, st.keys));
    // an int (`knownType`): truthy where it is not 0, a number comparison (CWL_QuerySyntax-Filter.html
    // compares numbers, `range>3000`); missing or null (read alike, `nullAsMissing`) Python reads the default
    if (kind !== 'string' && this.knownType(field) === 'integer' && this.nullAsMissing(l, field)) {
      return this.guarded(l, field, f, text(`${f} ${l.neg ? '=' : '!='} 0`), !l.neg);
    }
    if (kind !== 'string') {
      const first = this.firstElement(field);
      return first === null ? null : text(l.neg ? this.not(`ispresent(${first})`) : `ispresent(${first})`);
    }
    return text(l.neg ? `isempty(${f})` : this.not(`isempty(${f})`));
  }

  /**
   * The first element's field of a list field, by which its truthiness is written, or null. Python's list
   * is truthy when it has an element; Logs Insights flattens a JSON array into one field per element,
   * named by its index from 0 (CWL_AnalyzeLogData-discoverable-fields.html: "JSON arrays are flattened
   * into a list of field names and values", `requestParameters.instancesSet.items.0.instanceId`), so the
   * list has an element exactly when `f.0` exists (`ispresent(f)`: "Returns true if the field exists",
   * CWL_QuerySyntax-operations-functions.html). Only where the tests hold the field only as a list (or
   * null) and its elements only as strings, numbers or booleans (an element that is an object or a list is
   * no field itself; a null one reads as absent; a mapping may type it a list, no other type), and Python's
   * value on a missing field (its default) is false, as `ispresent` is there.
   */
  private firstElement(field: Field): string | null {
    // a type the mapping states other than a list; a list's elements are still what the tests show
    const stated = this.res.mapper.valueType?.(this.res.logType, field.path);
    if (this.inStruct.has(field) || (stated !== undefined && stated !== 'list')) return null;
    const types = this.res.evidence.types(field.path);
    if (!types.has('list') || [...types].some((t) => t !== 'list' && t !== 'null')) return null;
    const elems = this.res.evidence.values(field.path).flatMap((v) => (Array.isArray(v) ? v : []));
    if (elems.length === 0 || elems.some((e) => e === null || typeof e === 'object')) return null;
    if (!field.strict && pyTruthy(field.ref.default)) return null;
    return this.name({ ...field, mapped: { ...field.mapped, sub: [...(field.mapped.sub ?? []), 0] } });
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
      if ((a.op === 'eq' || a.op === 'ne') && this.boolField(field) && this.boolField(other)) return this.boolPair(l, a.op, field, f, other, g);
      const s = `${f} ${SYM[a.op]} ${g}`;
      return text(l.neg ? this.not(s) : s);
    }
    // a boolean on a field read as 1/0 (`boolField`, which `refuse` required for a boolean field): Python's True is 1, False 0
    const v: Json = typeof a.right.v === 'boolean' && this.boolField(field) ? Number(a.right.v) : a.right.v;
    if (typeof v === 'string' && (a.op === 'eq' || a.op === 'ne') && this.boolField(field)) {
      // no boolean equals a string: the literal's value where the field holds one, else where it is missing
      const present = (a.op === 'ne') !== l.neg;
      const missing = litMissing(l, field);
      if (missing === present) return present ? T : F;
      if (typeof missing !== 'boolean') return this.unsupported(`a comparison of ${f} (a boolean) with a string`);
      return text(present ? `ispresent(${f})` : this.not(`ispresent(${f})`));
    }
    if (typeof v === 'boolean' && (a.op === 'eq' || a.op === 'ne') && this.knownType(field) === 'string' && this.nullAsMissing(l, field)) {
      // a field holding strings (`knownType`): no str equals a bool in Python, so the literal's value where the
      // field holds one, else where it is missing (its default; a null in the tests reads alike, `nullAsMissing`)
      const present = (a.op === 'ne') !== l.neg;
      const missing = litMissing(l, field);
      if (missing === present) return present ? T : F;
      if (typeof missing !== 'boolean') return this.unsupported(`a comparison of ${f} (a string) with a boolean`);
      return text(present ? `ispresent(${f})` : this.not(`ispresent(${f})`));
    }
    if (typeof v === 'string') {
      if (a.op === 'eq' || a.op === 'ne') {
        const neg = (a.op === 'ne') !== l.neg;
        const body = this.eqStr(f, v, ciOf(a), neg);
        return body === T ? T : this.guarded(l, field, f, body, neg);
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

  /**
   * `x == y` / `x != y` between two fields read as 1/0 (`boolField`): where both hold a boolean, Python's
   * booleans are equal exactly where their numbers are (`x = y`, a number comparison); where one is missing
   * Python compares its default with the other's boolean, and where both are, the two defaults, so each
   * case is written under `ispresent()` (what a comparison on an absent field does is undocumented). A
   * field read with `[]` raises where missing (no alert); a JSON null in the tests beside a default is
   * refused (`refuse`, `nullAsMissing`; for y here).
   */
  private boolPair(l: Lit, op: 'eq' | 'ne', x: Field, f: string, y: Field, g: string): Out {
    if (y.ref.default !== undefined && this.res.evidence.types(y.path).has('null')) return this.unsupported(`a comparison of ${f} with ${g} (a boolean read with a default, which the rule's tests also hold as null)`);
    const differ = (op === 'ne') !== l.neg;
    const missing = (fl: Field): Json | 'raise' => (fl.strict ? 'raise' : fl.ref.default === undefined ? null : (fl.ref.default as Json));
    const holds = (u: Json | 'raise', v: Json | 'raise'): boolean => u !== 'raise' && v !== 'raise' && pyEq(u, v) !== differ;
    /** The literal where one field is missing (its default `d`) and the other, written `h`, holds a boolean. */
    const oneMissing = (d: Json | 'raise', h: string): Out => {
      const t = holds(d, true);
      const fa = holds(d, false);
      return t === fa ? (t ? T : F) : text(`${h} = ${t ? 1 : 0}`);
    };
    const pf = text(`ispresent(${f})`);
    const pg = text(`ispresent(${g})`);
    const nf = text(this.not(`ispresent(${f})`));
    const ng = text(this.not(`ispresent(${g})`));
    const both = text(differ ? this.not(`${f} = ${g}`) : `${f} = ${g}`);
    return or(
      and(pf, pg, both),
      and(pf, ng, oneMissing(missing(y), f)),
      and(nf, pg, oneMissing(missing(x), g)),
      and(nf, ng, holds(missing(x), missing(y)) ? T : F),
    );
  }

  protected inList(l: Lit, a: AtomOf<'in'>, field: Field, f: string, p: ListParts): Out {
    const strs = p.strs;
    const nums = p.nums;
    const parts: Out[] = [];
    const quoted = a.ci ? [] : strs.map(cwlString);
    const plain = quoted.filter((q): q is string => q !== null);
    const viaRe = a.ci ? strs : strs.filter((_, i) => quoted[i] === null);
    const members = [...plain, ...nums.map(numLit)];
    if (members.length === 1) parts.push(text(`${f} ${l.neg ? '!=' : '='} ${members[0]}`));
    else if (members.length) {
      const s = `${f} in [${members.join(', ')}]`;
      parts.push(text(l.neg ? this.not(s) : s));
    }
    if (viaRe.length) {
      const bodies = viaRe.map((v) => this.litRe(v, ciOf(a), CLOSED));
      if (bodies.some((b) => b === null)) return T;
      parts.push(this.re(f, `${a.ci ? '(?i)' : ''}^(?:${bodies.join('|')})$`, l.neg));
    }
    if (parts.length === 0) return l.neg ? T : F;
    return this.guarded(l, field, f, l.neg ? and(...parts) : or(...parts));
  }

  protected match(l: Lit, a: AtomOf<'match'>, field: Field, f: string): Out {
    // (a case-insensitive glob: how its classes and wildcards meet the folding is not read here)
    if (a.ci && a.kind === 'glob') return this.unsupported(`the case-insensitive glob ${JSON.stringify(a.pattern)}`);
    // a glob of literal text and `*` only at its ends is an equality, prefix, suffix or substring test
    const shape = a.kind === 'glob' ? globShape(a.pattern) : null;
    const kind = shape?.kind ?? a.kind;
    const pattern = shape?.text ?? a.pattern;
    if (kind === 'eq') {
      const body = this.eqStr(f, pattern, ciOf(a), l.neg);
      return body === T ? T : this.guarded(l, field, f, body);
    }
    if (kind === 'contains' && !a.ci && cwlString(pattern) !== null) {
      const s = `${f} like ${cwlString(pattern)}`;
      return this.guarded(l, field, f, text(l.neg ? this.not(s) : s));
    }
    let re: string;
    if (kind === 'contains' || kind === 'startswith' || kind === 'endswith') {
      const body = this.litRe(pattern, ciOf(a), { left: kind !== 'startswith', right: kind !== 'endswith' });
      if (body === null) return T;
      re = kind === 'startswith' ? `^${body}` : kind === 'endswith' ? `${body}$` : body;
    } else if (kind === 'glob') re = globToRe2(pattern, '/', 'portable');
    else {
      // the Logs Insights regex flavour is not documented: only constructs every engine reads alike
      const r = pyToRe2(pattern, a.flags ?? '', { delims: '/', engine: 'portable', ci: !!a.ci });
      if (!r.ok) return this.unsupported(`the regular expression ${JSON.stringify(pattern)} (${r.why})`);
      re = anchorRe(r.re, a.anchor, 'portable');
    }
    if (a.ci) re = `(?i)${re}`;
    if (this.opts.maxRegex !== undefined && re.length > this.opts.maxRegex) {
      return this.unsupported(`the regular expression ${JSON.stringify(pattern)} (its Logs Insights spelling, ${re.length} characters, takes the query past the ${MAX_QUERY_TEXT} characters a query string holds)`);
    }
    return this.guarded(l, field, f, this.re(f, re, l.neg));
  }
}

/** relation.ts's condition as printed text. */
function btOut(t: BT): Out {
  if (typeof t === 'boolean') return t ? T : F;
  if ('t' in t) return text(t.t);
  return (t.k === 'and' ? and : or)(...t.args.map(btOut));
}

/**
 * fnmatchcase with a glob of literal text and `*` at one or both ends only (no `?`, no `[`): the
 * equality, prefix, suffix or substring test it is. null for any other glob.
 */
function globShape(glob: string): { kind: 'eq' | 'startswith' | 'endswith' | 'contains'; text: string } | null {
  if (/[?[]/.test(glob)) return null;
  const parts = glob.split(/\*+/);
  if (parts.length === 1) return { kind: 'eq', text: glob };
  if (parts.length === 2 && parts[0] === '' && parts[1] !== '') return { kind: 'endswith', text: parts[1]! };
  if (parts.length === 2 && parts[0] !== '' && parts[1] === '') return { kind: 'startswith', text: parts[0]! };
  if (parts.length === 3 && parts[0] === '' && parts[2] === '' && parts[1] !== '') return { kind: 'contains', text: parts[1]! };
  return null;
}
