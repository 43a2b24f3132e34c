/**
 * Tokenizer for the CloudWatch Logs Insights subset the reference evaluator reads.
 *
 * Documented (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html and
 * CWL_QuerySyntax-Filter.html):
 *   - commands are separated by `|`; comments are set off with `#`;
 *   - a field name holding characters other than `@`, `.` and alphanumerics must be back-quoted;
 *   - `like`/`=~` take a string in double or single quotes (substring) or a regex between slashes.
 *   - an attribute of a map holding special characters is back-quoted after the dot
 *     (`map.attributes.\`special.char\``, CWL_QuerySyntax-operations-functions.html "Structure types"):
 *     read as a `path` token of segments.
 * Not documented, hence refused: escape sequences inside quoted strings (a backslash), a `\/` inside a
 * regex literal, a back-quoted name after `@`, anything after a regex's closing slash (flags),
 * unquoted names holding `_`.
 */
import { Refusal } from '../types.js';

export type Tok =
  | { t: 'pipe' | ',' | '(' | ')' | '[' | ']' | '*'; at: number; end: number }
  | { t: 'op'; v: '=' | '!=' | '<' | '<=' | '>' | '>=' | '=~'; at: number; end: number }
  | { t: 'str'; v: string; at: number; end: number }
  | { t: 're'; v: string; at: number; end: number }
  | { t: 'num'; v: number; text: string; at: number; end: number }
  /** An unquoted word: a keyword, function name, field name or period (`30m`). */
  | { t: 'word'; v: string; at: number; end: number }
  /** A back-quoted field name. */
  | { t: 'qname'; v: string; at: number; end: number }
  /**
   * An access path into a structure with back-quoted attributes, `name.\`special.key\`.more`
   * (CWL_QuerySyntax-operations-functions.html, "Structure types": "If an attribute in a map contains
   * special characters, use backticks to enclose the attribute name (map.attributes.`special.char`)").
   */
  | { t: 'path'; segs: string[]; at: number; end: number };

const WORD = /[A-Za-z0-9@._]/;

/** Remove `#` comment lines (a `#` as the first non-blank character of a line). */
export function stripComments(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => (/^\s*#/.test(l) ? '' : l))
    .join('\n');
}

export function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '#') throw new Refusal('a `#` that does not start a comment line');
    if ('|,()[]*'.includes(c)) {
      toks.push({ t: c === '|' ? 'pipe' : (c as ',' | '(' | ')' | '[' | ']' | '*'), at, end: i + 1 });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '=~' || two === '!=' || two === '<=' || two === '>=') {
      toks.push({ t: 'op', v: two, at, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      toks.push({ t: 'op', v: c, at, end: i + 1 });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const j = src.indexOf(c, i + 1);
      if (j < 0) throw new Refusal('an unterminated string literal');
      const v = src.slice(i + 1, j);
      // no escape sequence is documented for Logs Insights string literals
      if (v.includes('\\')) throw new Refusal('a backslash inside a string literal (escapes are undocumented)');
      if (/[\x00-\x1f\x7f]/.test(v)) throw new Refusal('a control character inside a string literal');
      toks.push({ t: 'str', v, at, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === '/') {
      let j = i + 1;
      let body = '';
      for (;;) {
        if (j >= src.length) throw new Refusal('an unterminated regular expression literal');
        const d = src[j]!;
        if (d === '\n') throw new Refusal('a line break inside a regular expression literal');
        if (d === '\\') {
          const e = src[j + 1];
          if (e === undefined) throw new Refusal('an unterminated regular expression literal');
          if (e === '/') throw new Refusal('`\\/` inside a regular expression literal (how a slash is escaped is undocumented)');
          body += d + e;
          j += 2;
          continue;
        }
        if (d === '/') break;
        body += d;
        j++;
      }
      if (j + 1 < src.length && WORD.test(src[j + 1]!)) throw new Refusal('characters after a regular expression literal (flags are undocumented)');
      toks.push({ t: 're', v: body, at, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new Refusal('an unterminated back-quoted field name');
      toks.push({ t: 'qname', v: src.slice(i + 1, j), at, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === '-' && /[0-9]/.test(src[i + 1] ?? '')) {
      let j = i + 1;
      while (j < src.length && WORD.test(src[j]!)) j++;
      const text = src.slice(i, j);
      if (!/^-[0-9]+(\.[0-9]+)?$/.test(text)) throw new Refusal(`the token '${text}'`);
      toks.push({ t: 'num', v: Number(text), text, at, end: j });
      i = j;
      continue;
    }
    if (WORD.test(c)) {
      let j = i;
      while (j < src.length && WORD.test(src[j]!)) j++;
      const text = src.slice(i, j);
      if (src[j] === '`') {
        // `map.\`key\``: an attribute path (documented after a dot); `@\`name\`` and `a\`b\`` are not
        if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*\.$/.test(text)) throw new Refusal(`a back-quoted name right after '${text}' (e.g. @\`name\`: undocumented)`);
        const segs = text.slice(0, -1).split('.');
        let k = j; // at a backtick
        for (;;) {
          if (src[k] === '`') {
            const close = src.indexOf('`', k + 1);
            if (close < 0) throw new Refusal('an unterminated back-quoted attribute name');
            const seg = src.slice(k + 1, close);
            if (seg === '' || /[\x00-\x1f\x7f]/.test(seg)) throw new Refusal('an empty back-quoted attribute name, or one holding a control character');
            segs.push(seg);
            k = close + 1;
          } else {
            let e = k;
            while (e < src.length && /[A-Za-z0-9]/.test(src[e]!)) e++;
            if (e === k) throw new Refusal('a dot without an attribute after it');
            segs.push(src.slice(k, e));
            k = e;
          }
          if (src[k] !== '.') break;
          k++;
        }
        if (k < src.length && (src[k] === '`' || WORD.test(src[k]!))) throw new Refusal('a malformed attribute path');
        toks.push({ t: 'path', segs, at, end: k });
        i = k;
        continue;
      }
      if (/^[0-9]+(\.[0-9]+)?$/.test(text)) toks.push({ t: 'num', v: Number(text), text, at, end: j });
      else toks.push({ t: 'word', v: text, at, end: j });
      i = j;
      continue;
    }
    throw new Refusal(`the character '${c}' outside a literal`);
  }
  return toks;
}
