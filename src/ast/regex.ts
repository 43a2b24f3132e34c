/**
 * Python `re` and `fnmatch` patterns as JavaScript RegExps, for the evaluator only.
 * Targets translate patterns for their own engines; this module only has to agree with Python.
 */

const cache = new Map<string, RegExp>();

/** Translate Python regex syntax to JavaScript and apply Python's anchoring for search/match/fullmatch. */
export function pyRegex(pattern: string, flags: string, anchor: 'search' | 'match' | 'fullmatch'): RegExp {
  const key = `${anchor}\u0000${flags}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let p = pattern;
  let f = '';
  // leading inline flags (?aiLmsux)
  const m = /^\(\?([aiLmsux]+)\)/.exec(p);
  let fl = flags;
  if (m) {
    fl += m[1];
    p = p.slice(m[0].length);
  }
  if (fl.includes('x')) p = stripVerbose(p);
  p = p
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  if (fl.includes('i')) f += 'i';
  if (fl.includes('m')) f += 'm';
  if (fl.includes('s')) f += 's';
  if (anchor === 'match') p = `^(?:${p})`;
  else if (anchor === 'fullmatch') p = `^(?:${p})$`;
  const re = new RegExp(p, f);
  cache.set(key, re);
  return re;
}

function stripVerbose(p: string): string {
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
      const j = pattern.indexOf(']', i + 2);
      if (j < 0) out += '\\[';
      else {
        let body = pattern.slice(i + 1, j);
        const neg = body.startsWith('!');
        if (neg) body = body.slice(1);
        body = body.replace(/\\/g, '\\\\').replace(/\^/g, '\\^');
        out += `[${neg ? '^' : ''}${body}]`;
        i = j;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const re = new RegExp(`^(?:${out})$`, ci ? 'is' : 's');
  cache.set(key, re);
  return re;
}
