/**
 * The one escaping module of the YARA-L 2.0 target.
 *
 * - Double-quoted strings "use escape characters" (YARA-L 2.0 syntax, Literals): `\\`, `\"`, `\n`,
 *   `\r`, `\t`. No other escape is documented, so a value holding another control character is not
 *   written as a string: the printer matches it with a regex instead.
 * - Regexes are written as back-quoted raw strings for `re.regex()` ("interpret all characters
 *   literally"); the regex text itself never contains a backtick (it becomes `\x60`).
 * - Identifiers (rule name, outcome variables): letters, digits, underscore, not a keyword.
 */
import { sanitizeIdent as sanitize } from '../common/meta.js';
import { reEscape } from '../common/regex.js';

const KEYWORDS = new Set(
  [
    'rule', 'meta', 'match', 'over', 'events', 'condition', 'outcome', 'options', 'and', 'or', 'not', 'nocase', 'in',
    'regex', 'cidr', 'before', 'after', 'all', 'any', 'if', 'max', 'min', 'sum', 'array', 'array_distinct', 'count',
    'count_distinct', 'is', 'null', 'true', 'false', 'by', 'every', 'e',
  ],
);

/** A double-quoted string, or null when the value holds a character with no documented escape. */
export function yaralString(s: string): string | null {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || c === 0x85 || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) return null;
    else out += ch;
  }
  return out + '"';
}

/** A meta value: always a string; characters with no escape are replaced by a space. */
export function yaralMetaString(s: string): string {
  const clean = s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029]/g, ' ').replace(/[\ud800-\udfff]/g, (c, i: number, all: string) => {
    const code = c.charCodeAt(0);
    const next = all.charCodeAt(i + 1);
    const prev = all.charCodeAt(i - 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return c;
    if (code >= 0xdc00 && prev >= 0xd800 && prev <= 0xdbff) return c;
    return ' ';
  });
  return yaralString(clean)!;
}

/** A back-quoted regex for re.regex(); the text must come from reEscape/pyToRe2 with "`" as delimiter. */
export function yaralRegex(re: string): string {
  if (re.includes('`')) throw new Error('regex text holds a backtick');
  return '`' + re + '`';
}

/**
 * A regex as YARA-L's regex literal, `/regex/` ("$e.field = /regex/", yara-l-2-0-functions/re-regex,
 * the same test as `re.regex($e.field, `regex`)`): a `/` of the pattern is written `\/`, which RE2 reads
 * as `/` (an escaped punctuation character); a pattern holding a line break is refused (none is written:
 * reEscape and pyToRe2 escape them).
 */
export function yaralRegexLiteral(re: string): string {
  if (/[\n\r]/.test(re)) throw new Error('regex text holds a line break');
  let out = '/';
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      out += c + (re[i + 1] ?? '');
      i++;
    } else out += c === '/' ? '\\/' : c;
  }
  return out + '/';
}

/** Literal text as regex text safe inside back quotes. */
export function yaralReText(s: string): string {
  return reEscape(s, '`');
}

export function yaralIdent(s: string, prefix = 'r_'): string {
  return sanitize(s, KEYWORDS, prefix);
}

/** A UDM path as written after `$e.`: dotted names with optional `["key"]` map access. */
export function yaralUdmOk(path: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\["[^"\\\x00-\x1f]*"\]|\[\d+\])*$/.test(path);
}
