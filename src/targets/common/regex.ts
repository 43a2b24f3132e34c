/**
 * Regular expressions shared by the targets: Python `re` patterns translated to the RE2 dialect
 * (KQL, YARA-L, Logs Insights; also valid for Sigma's PCRE subset), fnmatch globs, and literal text
 * escaped for use inside a regex. The output never contains a raw control character (they become
 * `\xhh`), so a target only has to deal with its own delimiter (`/`, a backtick, a quote).
 */

export type ReResult = { ok: true; re: string } | { ok: false; why: string };

const META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$']);

function hex2(c: number): string {
  return c.toString(16).padStart(2, '0');
}

/** A code point as RE2/PCRE text outside a character class. */
function escCodePoint(cp: number): string {
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex2(cp)}`;
  if (cp === 0x85 || cp === 0x2028 || cp === 0x2029 || (cp >= 0xd800 && cp <= 0xdfff)) return `\\x{${cp.toString(16)}}`;
  return String.fromCodePoint(cp);
}

/**
 * Escape literal text for RE2/PCRE: every metacharacter and every character in `extra` (a target's
 * delimiter, e.g. "/" or "`") gets a backslash or a hex escape, controls become \xhh.
 */
export function reEscape(text: string, extra = ''): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (META.has(ch)) out += '\\' + ch;
    else if (extra.includes(ch)) out += cp < 0x100 ? `\\x${hex2(cp)}` : `\\x{${cp.toString(16)}}`;
    else out += escCodePoint(cp);
  }
  return out;
}

/**
 * Translate a Python `re` pattern to RE2. Refuses what RE2 lacks (lookaround, backreferences,
 * conditionals, atomic groups, possessive quantifiers, verbose mode, \N{...}).
 * `delims` lists characters that must not appear raw in the output (they become \xhh).
 */
export function pyToRe2(pattern: string, flags = '', delims = ''): ReResult {
  let out = '';
  let i = 0;
  let inClass = false;
  const n = pattern.length;
  const fl = new Set(flags.toLowerCase().split(''));
  if (fl.has('x')) return { ok: false, why: 'verbose (re.X) patterns are not supported' };
  const emitChar = (ch: string): string => {
    const cp = ch.codePointAt(0)!;
    if (delims.includes(ch)) return `\\x${hex2(cp)}`;
    return escCodePoint(cp);
  };
  while (i < n) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const nx = pattern[i + 1];
      if (nx === undefined) return { ok: false, why: 'trailing backslash' };
      if (/[1-9]/.test(nx) && !inClass) return { ok: false, why: 'backreferences are not supported by RE2' };
      if (nx === 'Z') {
        out += '\\z';
        i += 2;
        continue;
      }
      if (nx === 'N') return { ok: false, why: '\\N{...} escapes are not supported' };
      if (nx === 'u' || nx === 'U') {
        const len = nx === 'u' ? 4 : 8;
        const hex = pattern.slice(i + 2, i + 2 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return { ok: false, why: 'bad \\u escape' };
        out += `\\x{${parseInt(hex, 16).toString(16)}}`;
        i += 2 + len;
        continue;
      }
      if (nx === '0') {
        // octal: \0, \0o, \0oo
        let j = i + 2;
        let oct = '0';
        while (j < n && j < i + 4 && /[0-7]/.test(pattern[j]!)) oct += pattern[j++];
        out += `\\x{${parseInt(oct, 8).toString(16)}}`;
        i = j;
        continue;
      }
      if (nx === 'x') {
        const hex = pattern.slice(i + 2, i + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return { ok: false, why: 'bad \\x escape' };
        out += `\\x${hex}`;
        i += 4;
        continue;
      }
      const cp = nx.codePointAt(0)!;
      if (cp < 0x20 || cp === 0x7f || delims.includes(nx)) {
        // an escaped control or delimiter character is just that character
        out += `\\x${hex2(cp)}`;
        i += 2;
        continue;
      }
      if (/[A-Za-z]/.test(nx) && !'AbBdDsSwWntrfvaz'.includes(nx)) {
        return { ok: false, why: `escape \\${nx} has no RE2 equivalent` };
      }
      const CTRL: Record<string, number> = { a: 7, t: 9, n: 10, v: 11, f: 12, r: 13 };
      if (nx in CTRL) {
        out += `\\x${hex2(CTRL[nx]!)}`;
        i += 2;
        continue;
      }
      out += '\\' + nx;
      i += 2;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch === ']' ? ch : emitChar(ch);
      i++;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += '[';
      i++;
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (ch === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (/^(=|!|<=|<!)/.test(rest)) return { ok: false, why: 'lookaround is not supported by RE2' };
      if (rest.startsWith('P=')) return { ok: false, why: 'backreferences are not supported by RE2' };
      if (rest.startsWith('(')) return { ok: false, why: 'conditional groups are not supported by RE2' };
      if (rest.startsWith('>')) return { ok: false, why: 'atomic groups are not supported by RE2' };
      if (rest.startsWith('#')) {
        const end = pattern.indexOf(')', i);
        if (end < 0) return { ok: false, why: 'unterminated comment group' };
        i = end + 1;
        continue;
      }
      if (rest.startsWith('<')) {
        // (?<name>...) → (?P<name>...)
        out += '(?P<';
        i += 3;
        continue;
      }
      const m = /^([aiLmsux]*)(?:-([imsx]*))?([:)])/.exec(rest);
      if (m) {
        const on = m[1]!.replace(/[aLu]/g, '');
        if (on.includes('x') || (m[2] ?? '').includes('x')) return { ok: false, why: 'verbose (re.X) patterns are not supported' };
        const off = m[2] ?? '';
        if (m[3] === ')' && on === '' && off === '') {
          i += 2 + m[0].length;
          continue;
        }
        out += `(?${on}${off ? '-' + off : ''}${m[3]}`;
        i += 2 + m[0].length;
        continue;
      }
      if (rest.startsWith('P<')) {
        out += '(?P<';
        i += 4;
        continue;
      }
      return { ok: false, why: 'unsupported group syntax' };
    }
    if ((ch === '+' || ch === '*' || ch === '?' || ch === '}') && pattern[i + 1] === '+') {
      return { ok: false, why: 'possessive quantifiers are not supported by RE2' };
    }
    out += emitChar(ch);
    i++;
  }
  if (inClass) return { ok: false, why: 'unterminated character class' };
  const inline = ['i', 'm', 's'].filter((f) => fl.has(f)).join('');
  return { ok: true, re: (inline ? `(?${inline})` : '') + out };
}

/** Apply Python's match mode: `search` (substring), `match` (anchored at start), `fullmatch`. */
export function anchorRe(re: string, anchor: 'search' | 'match' | 'fullmatch' | undefined): string {
  if (!anchor || anchor === 'search') return re;
  // leading inline flags must stay first
  const m = /^\(\?[ims]+\)/.exec(re);
  const head = m ? m[0] : '';
  const body = re.slice(head.length);
  return anchor === 'match' ? `${head}\\A(?:${body})` : `${head}\\A(?:${body})\\z`;
}

/** Python fnmatch.fnmatchcase as an anchored RE2 pattern (DOTALL, like fnmatch.translate). */
export function globToRe2(glob: string, delims = ''): string {
  let out = '';
  let i = 0;
  const n = glob.length;
  while (i < n) {
    const c = glob[i]!;
    i++;
    if (c === '*') {
      while (glob[i] === '*') i++;
      out += '.*';
    } else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < n && glob[j] !== ']') j++;
      if (j >= n) out += '\\[';
      else {
        let stuff = glob.slice(i, j);
        i = j + 1;
        let neg = false;
        if (stuff.startsWith('!')) {
          neg = true;
          stuff = stuff.slice(1);
        }
        const body = [...stuff]
          .map((ch) => (ch === '\\' || ch === ']' || ch === '[' || ch === '^' ? '\\' + ch : delims.includes(ch) ? `\\x${hex2(ch.codePointAt(0)!)}` : escCodePoint(ch.codePointAt(0)!)))
          .join('');
        out += stuff === '' ? (neg ? '.' : '[^\\x00-\\x{10ffff}]') : `[${neg ? '^' : ''}${body}]`;
      }
    } else out += reEscape(c, delims);
  }
  return `(?s)\\A(?:${out})\\z`;
}

/** True when a glob uses only `*` and `?` (no character classes). */
export function globIsSimple(glob: string): boolean {
  return !glob.includes('[');
}
