/**
 * `any(P(item) for item in L)` as Logs Insights' `unnest` (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/
 * CWL_QuerySyntax-Unnest.html): `fields jsonParse(@message) as jsonMessage | unnest jsonMessage.L into
 * item | filter P(item)`. Documented there: "Use unnest to flatten a list taken as input to produce
 * multiple records with a single record for each element in the list. Based on the number of items a field
 * contains, this command discards the current record and generates new records. Each record includes the
 * unnested_field, which represents an item. All other fields come from the original record"; "The input
 * for unnest is LIST, which comes from the jsonParse function"; "Any other types, such as MAP, String and
 * numbers, are treated as a list with one item"; the example `fields jsonParse(@message) as js | unnest
 * js.accounts into account | filter account.type = "internal"`. `@message` "contains the raw unparsed log
 * event" (CWL_AnalyzeLogData-discoverable-fields.html).
 *
 * So an event passes the filters on some record exactly when some element passes them: `any()` among the
 * conjuncts of the condition (the other conjuncts read the record's other fields, the event's own), in a
 * query that counts no records (no threshold: `stats count(*)` would count one per element). The query then
 * returns one row per matching element. Several any()s among the conjuncts are one `unnest` each: each
 * record then holds one element of every list (the commands are piped, each making its records from every
 * record the previous one made), and the event passes where every any() has a passing element; an any()
 * among the conjuncts of such an any()'s body, over a list of its element, is `unnest item.K into kItem`
 * after the enclosing command ("All other fields come from the original record", the enclosing item among
 * them), so a record holds an element and one of its list's elements (printer.ts `plan`). A list read from
 * the JSON document a string field holds is unnested from that document's `jsonParse()` structure. Written only where Python iterates the same elements: the rule's
 * tests (or the mapping) show a list at L, never a string or a mapping (Python iterates their characters or
 * keys, `unnest` reads them as one item), L is read without a default or with `[]`, and the log's key path
 * is the field name the mapping gives (no renaming: `@message` holds the log's own keys). Elements are read
 * as attributes of the item, as structures are (struct.ts).
 */
import type { Json, RuleTest, Val } from '../../ast/types.js';
import { evaluateValue } from '../../ast/evaluate.js';
import { fieldRef, type PathSeg } from '../../ast/view.js';
import type { Nnf } from '../common/nnf.js';
import { pyIn } from '../../python/semantics.js';
import { typeOf, type JsonType } from '../common/evidence.js';
import { pyTruthy } from '../common/missing.js';

/** The types the tests hold at L, the list quantified over (missing logs show nothing). */
export function listTypes(tests: readonly RuleTest[], list: Val): Set<JsonType> {
  const out = new Set<JsonType>();
  for (const t of tests) {
    const v = evaluateValue(list, t.log);
    if (v !== undefined) out.add(typeOf(v));
  }
  return out;
}

/**
 * The types the tests' elements of L hold at `keys`, and the keys found only in another casing (Panther
 * finds them, an attribute access, case-sensitive, does not).
 */
export function elemTypes(tests: readonly RuleTest[], list: Val, keys: readonly PathSeg[]): { types: Set<JsonType>; otherCase: string[] } {
  const items: Json[] = [];
  for (const t of tests) {
    const l = evaluateValue(list, t.log);
    if (Array.isArray(l)) items.push(...l);
  }
  return itemTypes(items, keys);
}

/** The types the items hold at `keys` (an item lacking them shows nothing), and the keys found only in another casing. */
export function itemTypes(items: readonly Json[], keys: readonly PathSeg[]): { types: Set<JsonType>; otherCase: string[] } {
  const types = new Set<JsonType>();
  const otherCase = new Set<string>();
  for (const e of items) {
    const r = valueAt(e, keys);
    if (r.otherCase !== undefined) otherCase.add(r.otherCase);
    if (r.v !== undefined) types.add(typeOf(r.v));
  }
  return { types, otherCase: [...otherCase] };
}

/**
 * The value an item holds at `keys` (undefined where a key is missing or a step meets no mapping), and the
 * key the item holds only in another casing, where that stopped the walk.
 */
export function valueAt(item: Json, keys: readonly PathSeg[]): { v?: Json; otherCase?: string } {
  let cur: Json = item;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || typeof k !== 'string') return {};
    if (Object.prototype.hasOwnProperty.call(cur, k)) {
      cur = cur[k]!;
      continue;
    }
    const other = Object.keys(cur).find((x) => x.toLowerCase() === k.toLowerCase());
    return other !== undefined ? { otherCase: other } : {};
  }
  return { v: cur };
}

/** The item's name: the list's last key (alphanumerics) and `Item`, apart from `taken` and the tests' top-level keys. */
export function itemName(lastKey: string, taken: ReadonlySet<string>, tests: readonly RuleTest[]): string {
  const word = lastKey.replace(/[^A-Za-z0-9]/g, '');
  const base = `${/^[A-Za-z]/.test(word) ? word[0]!.toLowerCase() + word.slice(1) : 'list'}Item`;
  const keys = new Set<string>();
  for (const t of tests) if (t.log && typeof t.log === 'object' && !Array.isArray(t.log)) for (const k of Object.keys(t.log)) keys.add(k.toLowerCase());
  const free = (n: string) => !taken.has(n) && !keys.has(n.toLowerCase());
  if (free(base)) return base;
  for (let i = 2; ; i++) if (free(`${base}${i}`)) return `${base}${i}`;
}

/**
 * Python's `s in L` (the lift's substring atom `match contains`) where L holds only a list (or null) of
 * strings (or nulls): list membership, `any(item == s for item in L)`, returned as that quantifier over L
 * read without its default (to be written with `unnest`). L is an event field (`depth` undefined; the
 * rule's tests show its values) or an attribute of the element of the any() at `depth` that is written
 * with `unnest` (`values` gives what L holds on each of that any()'s elements in the tests). Python's
 * answer where L is missing is the test on the default (`s in "default"` a substring test, `s in [...]` a
 * membership; None raises): kept only where it is false (or raises), as no item passes there. Null at an
 * element (or as an item) reads as absent, where `item = s` does not hold; a number element would be
 * compared with a string (undocumented), so the elements must be strings. Positive literals only
 * (`not (s in L)` is an all()).
 */
export function memberQuant(
  l: Extract<Nnf, { k: 'lit' }>,
  tests: readonly RuleTest[],
  within?: { depth: number; values: (keys: readonly PathSeg[]) => (Json | undefined)[] },
): Extract<Nnf, { k: 'quant' }> | null {
  const a = l.atom;
  if (l.neg || l.strGuard || a.k !== 'match' || a.kind !== 'contains' || a.ci) return null;
  const v = a.value;
  const ref = fieldRef(v);
  if (!ref || v.k !== 'get' || v.strict) return null;
  if (within ? ref.root !== 'elem' || ref.depth !== within.depth : ref.root !== 'event' || ref.path.length === 0) return null;
  const d = ref.default;
  if (d !== undefined && !(typeof d === 'string' || Array.isArray(d))) return null;
  if (d !== undefined && pyIn(a.pattern, d)) return null;
  const { default: _default, ...list } = v;
  const values = within ? within.values(ref.path) : tests.map((t) => evaluateValue(list, t.log));
  const types = new Set(values.filter((x) => x !== undefined).map((x) => typeOf(x!)));
  if (!types.has('list') || [...types].some((t) => t !== 'list' && t !== 'null')) return null;
  if (values.some((x) => Array.isArray(x) && x.some((e) => e !== null && typeof e !== 'string'))) return null;
  const span = a.span ? { span: a.span } : {};
  const depth = within ? within.depth + 1 : 0;
  return { k: 'quant', q: 'any', list, body: { k: 'lit', atom: { k: 'cmp', op: 'eq', left: { k: 'elem', depth }, right: { k: 'lit', v: a.pattern }, ...span }, neg: false }, ...span };
}

/**
 * The truthiness of a list L as the any() it is, `any(item is not None for item in L)`, to be written with
 * `unnest` (the item's presence, `ispresent(item)`: every record `unnest` makes includes the item,
 * CWL_QuerySyntax-Unnest.html "Each record includes the unnested_field, which represents an item"), where
 * the values `values` gives for L (the rule's tests, or the enclosing any()'s elements) are only lists (or
 * null, or nothing), their elements never null (a list of None is truthy; a null item reads as absent), and
 * Python's value where L is missing (its default) is falsy, as an absent list has no element. An event field
 * L only where some element is an object or a list (a list of scalars is `ispresent(L.0)`, printer.ts
 * `firstElement`). Positive literals only (a falsy list is an all()). `depth`: the new any()'s.
 */
export function truthQuant(l: Extract<Nnf, { k: 'lit' }>, values: (Json | undefined)[], depth: number, scalarsToo: boolean): Extract<Nnf, { k: 'quant' }> | null {
  const a = l.atom;
  if (l.neg || l.strGuard || a.k !== 'truthy') return null;
  const v = a.value;
  if (v.k !== 'get' || v.strict) return null;
  const d = v.default;
  if (d !== undefined && (d.k !== 'lit' || pyTruthy(d.v))) return null;
  const types = new Set(values.filter((x) => x !== undefined).map((x) => typeOf(x!)));
  if (!types.has('list') || [...types].some((t) => t !== 'list' && t !== 'null')) return null;
  const elems = values.flatMap((x) => (Array.isArray(x) ? x : []));
  if (elems.length === 0 || elems.some((e) => e === null)) return null;
  if (!scalarsToo && !elems.some((e) => typeof e === 'object')) return null;
  const { default: _default, ...list } = v;
  const span = a.span ? { span: a.span } : {};
  return { k: 'quant', q: 'any', list, body: { k: 'lit', atom: { k: 'exists', value: { k: 'elem', depth }, ...span }, neg: false }, ...span };
}
