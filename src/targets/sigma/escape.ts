/**
 * The one escaping module of the Sigma target, in two layers:
 * 1. Sigma string values: `*` and `?` are wildcards and `\` escapes them and itself
 *    (sigma-specification: `\*`, `\?`, `\\`; a `\` before any other character is literal).
 *    Every literal backslash is doubled, so decoding is unambiguous.
 * 2. YAML scalars: plain when unambiguous, single-quoted (`''`) for printable text, double-quoted
 *    with escapes when the text holds line breaks or non-printable characters.
 */

/** Literal text as a Sigma string value (no wildcard semantics left). */
export function sigmaLiteral(s: string): string {
  return s.replace(/[\\*?]/g, (c) => '\\' + c);
}

/** A fnmatch glob using only `*` and `?` as a Sigma wildcard value (same meaning). */
export function sigmaGlob(glob: string): string {
  return glob.replace(/\\/g, '\\\\').replace(/\*+/g, '*');
}

/** Undo Sigma value escaping (for tests and for readers): `\*`→`*`, `\?`→`?`, `\\`→`\`. */
export function sigmaUnescape(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    const n = v[i + 1];
    if (c === '\\' && (n === '*' || n === '?' || n === '\\')) {
      out += n;
      i++;
    } else out += c;
  }
  return out;
}

const RESERVED = /^(?:~|null|true|false|yes|no|on|off|y|n)$/i;
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./|-]*$/;

function needsDouble(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x09) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0xfffe || c === 0xffff) return true;
    if (c >= 0xd800 && c <= 0xdfff) {
      const hi = c <= 0xdbff;
      const d = s.charCodeAt(i + 1);
      if (hi && d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      return true;
    }
  }
  return false;
}

/** A YAML scalar holding exactly `s`. */
export function yamlStr(s: string): string {
  if (PLAIN.test(s) && !RESERVED.test(s)) return s;
  if (!needsDouble(s)) return `'${s.replace(/'/g, "''")}'`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0xfffe || c === 0xffff) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        out += ch + s[i + 1];
        i++;
      } else out += '\\u' + c.toString(16);
    } else out += ch;
  }
  return out + '"';
}

/** A YAML scalar for a number, boolean or null. */
export function yamlAtom(v: number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (!Number.isFinite(v)) throw new Error(`non-finite number ${v}`);
  return String(v);
}

/** Field names cannot carry `|` (the modifier separator) in Sigma. */
export function sigmaFieldOk(name: string): boolean {
  return name.length > 0 && !name.includes('|') && !/[\x00-\x1f]/.test(name);
}
