/**
 * The one escaping module of the Sigma target, in two layers:
 * 1. Sigma string values: `*` and `?` are wildcards and `\` escapes them and itself
 *    (sigma-specification: `\*`, `\?`, `\\`; a `\` before any other character is literal).
 *    Every literal backslash is doubled, so decoding is unambiguous.
 * 2. YAML scalars (common/yaml.ts, shared with the Sentinel target): plain when unambiguous,
 *    single-quoted (`''`) for printable text, double-quoted with escapes when the text holds line
 *    breaks or non-printable characters.
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

export { yamlAtom, yamlStr } from '../common/yaml.js';

/** Field names cannot carry `|` (the modifier separator) in Sigma. */
export function sigmaFieldOk(name: string): boolean {
  return name.length > 0 && !name.includes('|') && !/[\x00-\x1f]/.test(name);
}
