/**
 * YAML scalars for the YAML targets (Sigma, Sentinel analytic rules): plain when unambiguous
 * (never a YAML 1.1 boolean/null word), single-quoted (`''`) for printable text, double-quoted with
 * escapes when the text holds line breaks or characters YAML does not allow raw; literal block
 * scalars (`|`) for multi-line text that YAML can hold verbatim.
 */

const RESERVED = /^(?:~|null|true|false|yes|no|on|off|y|n)$/i;
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./|-]*$/;

/** Text YAML cannot hold raw (C0/C1 controls, NEL, line/paragraph separators, BOM, non-characters, lone surrogates). */
export function needsDouble(s: string): boolean {
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

/** Plain text some YAML 1.1 resolvers read as a number (`e0`, `_1`: digits, `_`, `.`, an exponent). */
const NUMBERISH = /^[-+]?[0-9_.]*(?:[eE][-+]?[0-9_]*)?$/;

/** A YAML scalar holding exactly `s`. */
export function yamlStr(s: string): string {
  if (PLAIN.test(s) && !RESERVED.test(s) && !NUMBERISH.test(s)) return s;
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

/**
 * A literal block scalar (`|`, lines indented by `indent` spaces) holding exactly `s` when YAML can
 * hold it verbatim: no character that needs escaping, no `\r`, no tab or space leading the first
 * non-empty line (the indentation would be ambiguous), no whitespace-only line, some text, and
 * exactly one final line break. Otherwise a double- or single-quoted scalar (`yamlStr`).
 */
export function yamlBlock(s: string, indent = 2): string {
  const lines = s.split('\n');
  const blockable =
    s.endsWith('\n') &&
    !s.endsWith('\n\n') &&
    s.trim() !== '' &&
    !needsDouble(s.replace(/\n/g, '')) &&
    !s.includes('\r') &&
    !/^[ \t]/.test(lines.find((l) => l !== '') ?? '') &&
    !lines.some((l) => /^[ \t]*$/.test(l) && l.length > 0);
  if (!blockable) return yamlStr(s);
  const pad = ' '.repeat(indent);
  return '|\n' + lines.slice(0, -1).map((l) => (l === '' ? '' : pad + l)).join('\n');
}
