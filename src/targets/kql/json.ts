/**
 * `json.loads(s)` in KQL: the document a JSON string holds, read with `parse_json()`, and the JSON
 * validity test (the lift's `valid` atom, from a `try: json.loads(...) except ...`).
 *
 * Kusto facts relied on (learn.microsoft.com/kusto/query/parse-json-function): `parse_json(s)` of a
 * string that is properly formatted JSON is the value it holds; of a string that is not, a dynamic
 * value holding the original string. learn.microsoft.com/kusto/query/gettype-function:
 * `gettype(parse_json(''))` is "null". So `s` is valid JSON exactly when it is not empty and
 * `parse_json(s)` is not that same string: a JSON string literal parses to its content, which is
 * shorter than the literal (it loses its quotes), and every other JSON value is no string at all.
 *
 * Python raises where `json.loads(s)` meets text that is not JSON (or a value that is not a str), and
 * where `.get()` is called on a parsed value that is not a mapping; a rule that raises does not alert.
 * Every literal that reads a parsed document is therefore guarded by the validity test of its string
 * (and, when its first step is `.get()`, by the document being a mapping), so that it fails in both
 * polarities where Python raises, as the guards of a split's pieces do (computed.ts). The guards are
 * literals of the condition itself (`jsonGuards`), so that a guard the rule already states (its own
 * `try`/`except`) is written once.
 */
import type { Val } from '../../ast/types.js';
import { valId } from '../../ast/normalize.js';
import { fieldRef, type FieldRef } from '../../ast/view.js';
import { atomValue, simplify, type Nnf } from '../common/nnf.js';

type Lit = Extract<Nnf, { k: 'lit' }>;

/** A value read inside a parsed JSON document: the string parsed, the `json()` node, the path inside it. */
export interface JsonRef {
  /** The value `json.loads()` parses (a field of the event). */
  src: Val;
  /** The `json(src)` node itself. */
  root: Val;
  /** The path inside the document (and the default of the outermost `.get()`), as `fieldRef` reads it. */
  ref: FieldRef;
  /** The first step into the document is `.get()` (or `[key]`), which raises on a value that is not a mapping. */
  getFirst: boolean;
}

/** The parsed-document reference of a value (`json(x)`, `json(x).get(k)...`, `json(x)[i]`), or null. */
export function jsonOf(v: Val): JsonRef | null {
  const steps: Extract<Val, { k: 'get' | 'index' }>[] = [];
  let cur: Val = v;
  while (cur.k === 'get' || cur.k === 'index') {
    // a negative element accessor is not documented for dynamic arrays
    if (cur.k === 'index' && cur.index < 0) return null;
    steps.push(cur);
    cur = cur.obj;
  }
  if (cur.k !== 'fn' || cur.fn !== 'json' || cur.args.length !== 1) return null;
  const src = cur.args[0]!;
  if (fieldRef(src)?.root !== 'event') return null;
  // the chain with the event in place of the document: fieldRef reads its path and default
  let rebuilt: Val = { k: 'event' };
  for (let i = steps.length - 1; i >= 0; i--) rebuilt = { ...steps[i]!, obj: rebuilt } as Val;
  const ref = fieldRef(rebuilt);
  if (!ref) return null;
  const first = steps[steps.length - 1];
  return { src, root: cur, ref, getFirst: first?.k === 'get' && !first.safe && !first.deep };
}

/** The parsed-document references an atom reads. */
function jsonReads(l: Lit): JsonRef[] {
  const a = l.atom;
  const vals: Val[] = [atomValue(a)];
  if (a.k === 'cmp') vals.push(a.right);
  if (a.k === 'rel') vals.push(a.other);
  return vals.map(jsonOf).filter((j): j is JsonRef => j !== null);
}

/** The guards of the parsed-document reads: the string is valid JSON (and the document a mapping). */
function guardsOf(reads: JsonRef[], span: Lit['atom']['span']): Lit[] {
  const out: Lit[] = [];
  for (const j of reads) {
    const at = span ? { span } : {};
    out.push({ k: 'lit', atom: { k: 'valid', value: j.src, format: 'json', ...at }, neg: false });
    if (j.getFirst) out.push({ k: 'lit', atom: { k: 'istype', value: j.root, type: 'dict', ...at }, neg: false });
  }
  return out;
}

/**
 * The condition with each literal (and quantifier) that reads a parsed document AND-ed with the
 * guards of its reads (see the file comment); the same object when nothing reads one.
 */
export function jsonGuards(n: Nnf): Nnf {
  let changed = false;
  const walk = (x: Nnf): Nnf => {
    switch (x.k) {
      case 'lit': {
        if (x.atom.k === 'valid') return x;
        const reads = jsonReads(x);
        if (reads.length === 0) return x;
        // the mapping guard is a read of the document too: only its validity guards it
        if (x.atom.k === 'istype' && x.atom.type === 'dict' && !x.neg && reads.every((j) => j.ref.path.length === 0)) {
          changed = true;
          return { k: 'and', args: [...guardsOf(reads, x.atom.span).filter((g) => g.atom.k === 'valid'), x] };
        }
        changed = true;
        return { k: 'and', args: [...guardsOf(reads, x.atom.span), x] };
      }
      case 'and':
      case 'or':
        return { k: x.k, args: x.args.map(walk) };
      case 'quant': {
        const j = jsonOf(x.list);
        const body = walk(x.body);
        const q = body === x.body ? x : { ...x, body };
        if (!j) return q;
        changed = true;
        return { k: 'and', args: [...guardsOf([j], x.span), q] };
      }
      default:
        return x;
    }
  };
  const out = walk(n);
  return changed ? simplify(out) : n;
}

/**
 * The validity literals a mapping test decides: inside a conjunction holding
 * `isinstance(json.loads(s), dict)` (positive), `gettype(parse_json(s)) == "dictionary"` already says
 * that `s` is not empty (`parse_json('')` is null) and that `parse_json(s)` is no string (the value a
 * text that is not JSON parses to), so there the validity test of `s` (anywhere below that conjunction,
 * either polarity) is only whether a dynamic member is a string, and true for a string column
 * (learn.microsoft.com/kusto/query/parse-json-function, learn.microsoft.com/kusto/query/gettype-function;
 * both tests are never null, so a row the conjunction keeps reads the same either way). The printer
 * writes such a literal as that type test alone (`validJson(..., implied)`).
 */
export function impliedValidity(n: Nnf): WeakSet<Lit> {
  const marked: Lit[] = [];
  // a validity test left whole in its negation: the printed layout (common/outctx.ts) decides it by
  // the text of a positive one beside it, which is then kept whole too
  const whole = new Set<number>();
  const walk = (x: Nnf, known: ReadonlySet<number>): void => {
    if (x.k === 'lit') {
      if (x.atom.k !== 'valid') return;
      if (known.has(valId(x.atom.value))) marked.push(x);
      else if (x.neg) whole.add(valId(x.atom.value));
      return;
    }
    // a quantifier's body is read per element (a subquery): only what it states itself
    if (x.k === 'quant') return walk(x.body, new Set());
    if (x.k !== 'and' && x.k !== 'or') return;
    let inner = known;
    if (x.k === 'and') {
      const dicts = new Set(known);
      for (const a of x.args) {
        if (a.k !== 'lit' || a.neg || a.atom.k !== 'istype' || a.atom.type !== 'dict') continue;
        const j = jsonOf(a.atom.value);
        if (j && j.ref.path.length === 0 && j.root === a.atom.value) dicts.add(valId(j.src));
      }
      inner = dicts;
    }
    for (const a of x.args) walk(a, inner);
  };
  walk(n, new Set());
  const out = new WeakSet<Lit>();
  for (const l of marked) if (l.neg || !whole.has(valId(atomValue(l.atom)))) out.add(l);
  return out;
}

/**
 * KQL for "the string `s` is valid JSON" (see the file comment); `s` is a string expression, `p` the
 * column holding `parse_json(s)`, and `dyn`, when the value is a dynamic member, the member itself
 * (which must hold a JSON string: Python's json.loads() raises on any other type).
 */
export function validJson(s: string, p: string, dyn?: string, implied = false): string {
  // implied: only what `gettype(p) == "dictionary"` beside it does not say (impliedValidity)
  if (implied) return dyn ? `gettype(${dyn}) == "string"` : 'true';
  const test = `isnotempty(${s}) and not(gettype(${p}) == "string" and tostring(${p}) == ${s})`;
  return dyn ? `gettype(${dyn}) == "string" and ${test}` : test;
}
