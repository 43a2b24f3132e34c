/**
 * The one escaping module of the Sentinel analytic-rule target: YAML scalars (shared with Sigma,
 * common/yaml.ts), comments, length limits, custom-detail keys and timespans in the forms the
 * Azure-Sentinel template schema accepts. The embedded query is escaped by the KQL target's module.
 */
import { yamlBlock, yamlStr } from '../common/yaml.js';
import { kqlTimespan } from '../kql/escape.js';

export { yamlBlock, yamlStr };

/** At most `max` UTF-16 code units (the unit .NET's StringLength counts), never half a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = s.slice(0, max);
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  return out;
}

/** One line of printable characters (a `#` comment line, the rule's name). */
export function printableLine(s: string): string {
  return s
    .replace(/[\r\n\u0085\u2028\u2029\v\f]+/g, ' ')
    .replace(/[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]/g, '?')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?')
    .trim();
}

/** A column name an entity mapping or custom detail may name (`^[a-zA-Z_]+\w*$`, at most 500). */
export function isLaColumn(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name.length <= 500;
}

/** The schema's custom-detail key rule: `^[a-zA-Z]+\w*$`, at most 20 characters. */
export const CUSTOM_DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;

/**
 * A custom-detail key from a free-form name (an alert_context key, a column): ASCII letters, digits
 * and `_`, starting with a letter, at most 20 characters, not in `taken` (then `...2`, `...3`).
 */
export function customDetailKey(name: string, taken: ReadonlySet<string>): string {
  let base = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^[^A-Za-z]+/, '').replace(/_+$/, '');
  if (!base) base = 'Detail';
  base = base.slice(0, 20);
  let key = base;
  for (let i = 2; taken.has(key.toLowerCase()); i++) key = base.slice(0, 20 - String(i).length) + i;
  return key;
}

/** Minutes as the template's timespan form: `Nd`, `Nh` or `Nm` (the largest exact unit). */
export function timespan(minutes: number): string {
  return kqlTimespan(minutes);
}
