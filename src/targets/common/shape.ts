/**
 * The plain string test a pattern stands for, when it holds no pattern at all: an fnmatch glob or a
 * Python regular expression that only anchors a literal text (`abc*` is `startswith("abc")`, `*abc*`
 * is `"abc" in v`, `^abc\Z` is `v == "abc"`). A printer writes that test instead of a regex, which
 * reads better and is exact in every engine (no regex flavour, no end-anchor subtleties).
 *
 * The shape describes the match on a str value only: a printer keeps the guard the original atom needs
 * for other values (fnmatch and re raise on None, `==` does not).
 */
export type Shape = { op: 'eq' | 'startswith' | 'endswith' | 'contains'; text: string };

function shapeOf(start: boolean, end: boolean, text: string): Shape | null {
  if (text === '') return null; // `*`, `^`, `\A\Z`...: not worth a plain test (and `contains ""` reads oddly)
  if (start && end) return { op: 'eq', text };
  if (start) return { op: 'startswith', text };
  if (end) return { op: 'endswith', text };
  return { op: 'contains', text };
}

/**
 * fnmatch.fnmatchcase(value, glob) as a plain test: `*` only at the ends, no `?` and no `[...]`.
 * (fnmatch's `*` is `.*` under DOTALL: it matches any text, line breaks included.)
 */
export function globShape(glob: string): Shape | null {
  const m = /^(\**)([^*?[]*)(\**)$/.exec(glob);
  if (!m) return null;
  return shapeOf(m[1] === '', m[3] === '', m[2]!);
}

/** Python escapes that stand for one literal character. */
const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v', a: '\x07' };
const META = new Set([...'.^$*+?{}[]|()\\']);

/**
 * A Python regex (`re.search`, or `re.match`/`re.fullmatch` per `anchor`) that only anchors a literal:
 * `^` or `\A` at the start (without MULTILINE), `\Z` at the end (not `$`, which also matches before a
 * final line break), escaped punctuation and the escapes of one character. Flags other than DOTALL,
 * ASCII and UNICODE (no `.` is read) decline: IGNORECASE folds, VERBOSE drops spaces.
 */
export function regexShape(pattern: string, flags = '', anchor: 'search' | 'match' | 'fullmatch' = 'search'): Shape | null {
  if ([...flags].some((f) => !'sau'.includes(f))) return null;
  let p = pattern;
  let start = anchor !== 'search';
  let end = anchor === 'fullmatch';
  if (p.startsWith('\\A')) {
    p = p.slice(2);
    start = true;
  } else if (p.startsWith('^')) {
    p = p.slice(1);
    start = true;
  }
  let text = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const d = p[i + 1];
      if (d === undefined) return null;
      if (d === 'Z' && i + 2 === p.length) {
        end = true;
        break;
      }
      if (ESCAPES[d] !== undefined) text += ESCAPES[d];
      else if (/[A-Za-z0-9]/.test(d)) return null; // a class (\d, \w, \b...), a group reference, \x/\u escapes
      else text += d;
      i++;
      continue;
    }
    if (META.has(c)) return null;
    text += c;
  }
  return shapeOf(start, end, text);
}
