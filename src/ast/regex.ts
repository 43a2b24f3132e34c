/**
 * Python `re` and `fnmatch` patterns as JavaScript RegExps, for the evaluator only.
 * Targets translate patterns for their own engines; this module only has to agree with Python.
 */

const cache = new Map<string, RegExp>();

/** Python's str.isspace() characters (what `\s`, split() and strip() use for str patterns). */
export const PY_WS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);

function hex(c: string): string {
  const cp = c.codePointAt(0) as number;
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
}

/**
 * Python `re` (str patterns) in JavaScript's unicode mode: `\w`, `\d`, `\s` are Unicode-aware as in
 * Python, `.` excludes only `\n`, `$` also matches before a final newline, `\Z` is the very end.
 */
function translateUnicode(p: string, multiline: boolean, dotall: boolean): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\') {
      const d = p[i + 1];
      i++;
      if (d === undefined) throw new SyntaxError('bad escape (end of pattern)');
      const w = inClass ? '\\p{L}\\p{N}_' : '[\\p{L}\\p{N}_]';
      switch (d) {
        case 'A':
          out += inClass ? 'A' : '(?<![\\s\\S])';
          break;
        case 'Z':
          out += '$(?![\\s\\S])';
          break;
        case 'd':
          out += '\\p{Nd}';
          break;
        case 'D':
          out += '\\P{Nd}';
          break;
        case 'w':
          out += w;
          break;
        case 'W':
          if (inClass) throw new SyntaxError('\\W inside a class');
          out += '[^\\p{L}\\p{N}_]';
          break;
        case 's':
          out += inClass ? PY_WS : `[${PY_WS}]`;
          break;
        case 'S':
          if (inClass) throw new SyntaxError('\\S inside a class');
          out += `[^${PY_WS}]`;
          break;
        case 'b':
        case 'B': {
          if (inClass) {
            if (d === 'b') out += '\\x08';
            else throw new SyntaxError('\\B inside a class');
            break;
          }
          // Python's word boundary is Unicode-aware; JavaScript's \b is ASCII even with the u flag
          const W = '[\\p{L}\\p{N}_]';
          out += d === 'b' ? `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))` : `(?:(?<=${W})(?=${W})|(?<!${W})(?!${W}))`;
          break;
        }
        case 'n':
        case 't':
        case 'r':
        case 'f':
        case 'v':
        case 'x':
        case 'u':
        case 'U':
          if (d === 'U') {
            out += `\\u{${parseInt(p.slice(i + 1, i + 9), 16).toString(16)}}`;
            i += 8;
          } else out += `\\${d}`;
          break;
        default:
          if (/[0-9]/.test(d)) out += `\\${d}`;
          else if (/[A-Za-z]/.test(d)) throw new SyntaxError(`bad escape \\${d}`);
          else if (SYNTAX.has(d) || (inClass && d === '-')) out += `\\${d}`;
          else out += hex(d);
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[') {
        out += '\\[';
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '.' && !dotall) out += '[^\\n]';
    // anchors by lookaround, so that JavaScript's own line terminators (\r, U+2028...) never count:
    // Python's MULTILINE knows only \n
    else if (c === '^') out += multiline ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?<![\\s\\S])';
    else if (c === '$' && multiline) out += '(?=\\n|(?![\\s\\S]))';
    else if (c === '$' && !multiline) out += '(?=\\n?(?![\\s\\S]))';
    else if (c === '{' && /^\{,\d+\}/.test(p.slice(i))) out += '{0';
    else if (c === '(' && p.startsWith('?P<', i + 1)) {
      out += '(?<';
      i += 3;
    } else if (c === '(' && p.startsWith('?P=', i + 1)) {
      const j = p.indexOf(')', i);
      out += `\\k<${p.slice(i + 4, j)}>`;
      i = j;
    } else if (c === '{' && !/^\{\d*(,\d*)?\}/.test(p.slice(i))) out += '\\{';
    else if (c === '}' && !/\{\d*(,\d*)?$/.test(p.slice(0, i))) out += '\\}';
    else out += c;
  }
  return out;
}

/** Translate Python regex syntax to JavaScript and apply Python's anchoring for search/match/fullmatch. */
export function pyRegex(pattern: string, flags: string, anchor: 'search' | 'match' | 'fullmatch'): RegExp {
  const key = `${anchor}\u0000${flags}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let p = pattern;
  const m = /^\(\?([aiLmsux]+)\)/.exec(p);
  let fl = flags;
  if (m) {
    fl += m[1];
    p = p.slice(m[0].length);
  }
  if (fl.includes('x')) p = stripVerbose(p);
  let f = '';
  if (fl.includes('i')) f += 'i';
  if (fl.includes('s')) f += 's';
  const wrap = (body: string): string =>
    anchor === 'match' ? `(?<![\\s\\S])(?:${body})` : anchor === 'fullmatch' ? `(?<![\\s\\S])(?:${body})(?![\\s\\S])` : body;
  let re: RegExp;
  try {
    re = new RegExp(wrap(translateUnicode(p, fl.includes('m'), fl.includes('s'))), `${f}u`);
  } catch {
    // a pattern the unicode translation cannot take: plain JavaScript syntax, ASCII classes
    const plain = p
      .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
      .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
      .replace(/\\A/g, '^')
      .replace(/\\Z/g, '$');
    re = new RegExp(anchor === 'match' ? `^(?:${plain})` : anchor === 'fullmatch' ? `^(?:${plain})$` : plain, `${f}${fl.includes('m') ? 'm' : ''}`);
  }
  cache.set(key, re);
  return re;
}

/** Python's re.VERBOSE: drop unescaped whitespace and # comments outside character classes. */
export function stripVerbose(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') inClass = true;
    if (/\s/.test(c)) continue;
    if (c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
      continue;
    }
    out += c;
  }
  return out;
}

/** fnmatch.fnmatch on POSIX: case-sensitive unless asked, whole-string match. */
export function globRegex(pattern: string, ci: boolean): RegExp {
  const key = `glob\u0000${ci}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') {
      // fnmatch: `[!...]` negates; a `]` right after `[` or `[!` is a literal member
      let k = i + 1;
      if (pattern[k] === '!') k++;
      if (pattern[k] === ']') k++;
      const j = pattern.indexOf(']', k);
      if (j < 0) out += '\\[';
      else {
        let body = pattern.slice(i + 1, j);
        const neg = body.startsWith('!');
        if (neg) body = body.slice(1);
        body = body.replace(/\\/g, '\\\\').replace(/\^/g, '\\^').replace(/\]/g, '\\]').replace(/\[/g, '\\[');
        out += `[${neg ? '^' : ''}${body}]`;
        i = j;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const re = new RegExp(`^(?:${out})$`, ci ? 'is' : 's');
  cache.set(key, re);
  return re;
}
