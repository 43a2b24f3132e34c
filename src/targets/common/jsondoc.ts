/**
 * The JSON documents a rule reads with `json.loads()`, as the rule's tests hold them: a chain of get()/index
 * steps from `json(source)` (`jsonChain`), and the values (`jsonValues`) and JSON types (`jsonTypes`) the
 * tests hold at keys of such a document (each test's text parsed once). Used by the targets' printers
 * (Logs Insights' structures, cwl/struct.ts) and by the type facts of a condition (registry.ts `shownTypes`).
 */
import type { Json, RuleTest, Val } from '../../ast/types.js';
import { evaluateValue } from '../../ast/evaluate.js';
import { fieldRef, type FieldRef } from '../../ast/view.js';
import { typeOf, type JsonType } from './evidence.js';

/** `json(source).get(k1)...`: the source value, and the steps after json() as a reference into the document. */
export interface JsonChain {
  source: Val;
  /** The steps after json() read as a field reference (keys, numbers for list indices, the final default); null when a step is computed. */
  ref: FieldRef | null;
}

/** The json() root of a chain of get()/index steps, or null when `v` is not one. */
export function jsonChain(v: Val): JsonChain | null {
  const steps: Val[] = [];
  let cur = v;
  while (cur.k === 'get' || cur.k === 'index') {
    steps.push(cur);
    cur = cur.obj;
  }
  if (cur.k !== 'fn' || cur.fn !== 'json' || cur.args.length !== 1) return null;
  // the same steps over a stand-in root, so that fieldRef reads keys and defaults as for the event
  let rebuilt: Val = { k: 'event' };
  for (let i = steps.length - 1; i >= 0; i--) rebuilt = { ...(steps[i] as Extract<Val, { k: 'get' | 'index' }>), obj: rebuilt };
  return { source: cur.args[0]!, ref: fieldRef(rebuilt) };
}

/**
 * The JSON types the rule's tests hold at `keys` of the document `source` holds (keys matched exactly, as
 * in a dict json.loads makes); text that is not JSON, and a missing key, show nothing.
 */
export function jsonTypes(tests: readonly RuleTest[], source: Val, keys: readonly string[]): Set<JsonType> {
  return new Set(jsonValues(tests, source, keys).map(typeOf));
}

/** The values the rule's tests hold at `keys` of the JSON document `source` holds (as `jsonTypes`). */
export function jsonValues(tests: readonly RuleTest[], source: Val, keys: readonly string[]): Json[] {
  const out: Json[] = [];
  for (const t of tests) {
    let cur = parsedDoc(t, source);
    if (cur === undefined) continue;
    let found = true;
    for (const k of keys) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) {
        found = false;
        break;
      }
      cur = cur[k]!;
    }
    if (found) out.push(cur);
  }
  return out;
}

/** The document the test's value of `source` holds (undefined: not a string, or not JSON), parsed once per test and value (read only). */
function parsedDoc(t: RuleTest, source: Val): Json | undefined {
  let byVal = docs.get(t);
  if (!byVal) docs.set(t, (byVal = new WeakMap()));
  if (byVal.has(source)) return byVal.get(source);
  const text = evaluateValue(source, t.log);
  let doc: Json | undefined;
  if (typeof text === 'string') {
    try {
      doc = JSON.parse(text) as Json;
    } catch {
      doc = undefined;
    }
  }
  byVal.set(source, doc);
  return doc;
}
const docs = new WeakMap<RuleTest, WeakMap<Val, Json | undefined>>();
