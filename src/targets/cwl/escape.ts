/**
 * The one escaping module of the CloudWatch Logs Insights target.
 *
 * Logs Insights documents no escape sequence inside quoted strings, so a string literal is only
 * written when it needs none: `"..."` when the value holds no `"`, `\` or control character, else
 * `'...'` when it holds no `'`, `\` or control character. Any other value is matched with a regex
 * literal `/.../` whose text escapes every metacharacter and writes `/` and controls as `\xhh`
 * (so the literal cannot end early). Field names with characters other than letters, digits, `@`
 * and `.` are back-quoted (a name holding a backtick cannot be written).
 */
import { reEscape } from '../common/regex.js';

/** Control and line-break characters, and lone surrogates (a valid pair is one code point under `u`). */
const CONTROL = /[\x00-\x1f\x7f\u0085\u2028\u2029\ud800-\udfff]/u;

/** A quoted string needing no escapes, or null. */
export function cwlString(s: string): string | null {
  if (CONTROL.test(s) || s.includes('\\')) return null;
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return null;
}

/** Literal text as regex text for a `/.../` literal. */
export function cwlReText(s: string): string {
  return reEscape(s, '/');
}

/** A regex literal; the text must come from cwlReText or pyToRe2 with "/" as delimiter. */
export function cwlRegex(re: string): string {
  if (re.includes('/') || CONTROL.test(re)) throw new Error('regex text holds a delimiter or control character');
  return `/${re}/`;
}

/** A field name, back-quoted when needed; null when it cannot be written. */
export function cwlField(name: string): string | null {
  if (/^@?[A-Za-z0-9.]+$/.test(name) && !/^\.|\.$|\.\./.test(name)) return name;
  if (name.includes('`') || CONTROL.test(name) || name === '') return null;
  return name.startsWith('@') ? `@\`${name.slice(1)}\`` : `\`${name}\``;
}

/** Text for a `#` comment line. */
export function cwlComment(s: string): string {
  return s.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ');
}
