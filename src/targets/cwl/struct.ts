/**
 * Logs Insights structure types: a value read from the JSON document a string field holds,
 * `json.loads(F).get(k1)...get(kn)`, written `name.k1...kn` after `fields jsonParse(F) as name`.
 *
 * Documented (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html,
 * "Structure types" and "JSON functions"):
 *   - `jsonParse(fieldName: string)` "Returns a map or list when the input is a string representation of
 *     JSON object or a JSON array. Returns an empty value, if the input is not one of the representation";
 *     `fields jsonParse(@message) as json_message` makes the structure a later command reads;
 *   - "Use the dot access operator (map.attribute) to access items in a map"; an attribute holding special
 *     characters is back-quoted (`map.attributes.\`special.char\``);
 *   - "Maps and lists are treated as null for string, number, and datetime functions"; "Comparing map and
 *     list to any other fields result in false".
 *   - CWL_AnalyzeLogData-discoverable-fields.html, "Dot notation and JSON-encoded string fields": dot
 *     notation does not enter a field whose value is a JSON-encoded string ("treats it as an opaque leaf
 *     value"); "To access sub-fields within a JSON-encoded string, use jsonParse to convert the string
 *     into a traversable map" (`fields jsonParse(api.request.data).startTime as startTime`).
 * Not documented, hence not written: list indexing (`list[index]`: the docs' example does not say whether
 * the first element is 0 or 1), a test on the parsed value itself (a map, a list or the empty value), an
 * attribute holding a map, a list or a boolean (as for the log's own fields: printer.ts `refuse`).
 * Read as a field missing from the log (the reading every positive comparison of this target assumes: it
 * does not match): an attribute the map lacks, an attribute of the empty value (text that is not a JSON
 * object), a JSON null. The reference evaluator (src/proof/cwl/) reads structures the same way.
 *
 * Python's `json.loads(F)` raises on text that is not JSON (a rule error: no alert), so where a rule
 * catches it the lift states the validity test `valid(F)`; jsonParse() has no documented validity test,
 * but beside a test on an attribute of the same document that fails where the attribute is missing, the
 * validity test is implied for the documents the rule reads (`impliedValid`).
 */
import type { RuleTest, Val } from '../../ast/types.js';
import type { FieldRef } from '../../ast/view.js';
import { jsonChain } from '../common/jsondoc.js';

/** An attribute step: plain when alphanumeric (a letter first), else back-quoted; null when it cannot be written. */
export function attrStep(key: string): string | null {
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(key)) return `.${key}`;
  if (key === '' || key.includes('`') || /[\x00-\x1f\x7f\u0085\u2028\u2029]/.test(key)) return null;
  return `.\`${key}\``;
}

/**
 * A name for the structure made from the field written `source`: `json` and the source's last name part
 * (`properties.log` → `jsonLog`), with a number when another structure, or a top-level key of a test
 * log (whatever its case), already has it.
 */
export function structName(source: string, taken: ReadonlySet<string>, tests: readonly RuleTest[]): string {
  const last = source.replace(/`/g, '').split('.').pop() ?? '';
  const word = last.replace(/[^A-Za-z0-9]/g, '');
  const base = `json${word ? word[0]!.toUpperCase() + word.slice(1) : 'Doc'}`;
  const keys = new Set<string>();
  for (const t of tests) if (t.log && typeof t.log === 'object' && !Array.isArray(t.log)) for (const k of Object.keys(t.log)) keys.add(k.toLowerCase());
  const free = (n: string) => !taken.has(n) && !keys.has(n.toLowerCase());
  if (free(base)) return base;
  for (let i = 2; ; i++) if (free(`${base}${i}`)) return `${base}${i}`;
}

/**
 * A value read from the JSON document a field holds as a path under that document (common/implied.ts
 * `docRef`): the document is named by its source value, the reference is the steps after json(). Null
 * for anything else, or steps that are computed.
 */
export function docRef(v: Val): { root: string; ref: FieldRef } | null {
  const c = jsonChain(v);
  if (!c || !c.ref) return null;
  return { root: `json:${JSON.stringify(c.source)}`, ref: c.ref };
}
