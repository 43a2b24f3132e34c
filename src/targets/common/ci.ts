/**
 * Case-insensitive literal text for regexes (Logs Insights `=~`, Sigma `|re|i`), with Python's meaning: a predicate the lift
 * marked `ci` compares `fold(x)` with `fold(literal)`, where fold is `str.lower()` (or `upper()`,
 * `casefold()`: `Fold` in src/ast/types.ts). A regex's own case folding is not that: engines fold `s`
 * with `ſ` and `k` with the Kelvin sign K (RE2, PCRE2, JavaScript `iu`, Python `re`) or only ASCII
 * letters (Java `(?i)`), while `"ſ".lower()` is `ſ` and `"K".lower()` is `k`; and a character whose fold
 * is several characters (`"İ".lower()` is `i̇`, `"ß".upper()` is `SS`, `"ﬆ".upper()` is `ST`) matches a
 * run of the literal. So each character of `fold(literal)` is written as the class of the characters
 * whose fold it is, pinned with `(?-i:...)` wherever an engine's folding would read it otherwise (only
 * ASCII letters other than i, k, s are left to `(?i)`: every engine folds them with their other case
 * alone), and a run that a multi-character fold spells becomes an alternation `(?:[Ss][Ss]|ß)`.
 * At an open end of the text (a prefix, a suffix, a substring test) such a character may also stand
 * for the part of its fold the literal holds there (`"api" in "APİ".lower()`: the class of the last
 * `i` holds `İ`). Refused (with the reason): runs of such folds that overlap, a Greek sigma under
 * lower() (which depends on the letters around it), characters with no portable spelling.
 * The fold tables come from the JavaScript engine's own case mappings, as src/python/semantics.ts reads
 * them (Unicode versions may differ from CPython's).
 */
import type { Fold } from '../../ast/types.js';
import { pyFold } from '../../python/semantics.js';
import { pyCaseClass, reEscape } from './regex.js';
import { unicodeTable } from '../../unicodetables.js';

interface FoldTable {
  /** A single-character fold → the code points folding to it (ascending). */
  single(ch: string): number[];
  /** Code points whose fold is several characters. */
  multi: { cp: number; e: string[] }[];
}

/** Every case mapping lies below U+20000. */
const LAST_CASED = 0x1ffff;

/**
 * The code points whose fold is not themselves (as JSON: `moved` [code point, its one-character fold],
 * `multi` those folding to several characters), from a scan of U+0000..U+1FFFF without the surrogates;
 * every other code point there folds to itself alone.
 */
interface FoldScan {
  moved: [number, number][];
  multi: { cp: number; e: string[] }[];
}

function scan(fold: Fold | undefined): FoldScan {
  const out: FoldScan = { moved: [], multi: [] };
  for (let cp = 0; cp <= LAST_CASED; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const f = [...pyFold(String.fromCodePoint(cp), fold)];
    if (f.length === 1) {
      const to = f[0]!.codePointAt(0)!;
      if (to !== cp) out.moved.push([cp, to]);
    } else out.multi.push({ cp, e: f });
  }
  return out;
}

/** The scans per fold, stored by the build (src/unicodetables.ts). */
const scans: Record<Fold | 'lower', () => FoldScan> = {
  lower: unicodeTable('ci.fold.lower', () => scan(undefined)),
  upper: unicodeTable('ci.fold.upper', () => scan('upper')),
  casefold: unicodeTable('ci.fold.casefold', () => scan('casefold')),
};

const tables = new Map<string, FoldTable>();

function table(fold: Fold | undefined): FoldTable {
  const key = fold ?? 'lower';
  let t = tables.get(key);
  if (t) return t;
  const { moved, multi } = scans[key]();
  const notSelf = new Set<number>(multi.map((m) => m.cp));
  const into = new Map<number, number[]>();
  for (const [cp, to] of moved) {
    notSelf.add(cp);
    const list = into.get(to);
    if (list) list.push(cp);
    else into.set(to, [cp]);
  }
  const memo = new Map<string, number[]>();
  const single = (ch: string): number[] => {
    let r = memo.get(ch);
    if (r) return r;
    const cp = ch.codePointAt(0)!;
    const self = cp <= LAST_CASED && !(cp >= 0xd800 && cp <= 0xdfff) && !notSelf.has(cp);
    r = [...(self ? [cp] : []), ...(into.get(cp) ?? [])].sort((a, b) => a - b);
    memo.set(ch, r);
    return r;
  };
  t = { single, multi };
  tables.set(key, t);
  return t;
}

const isAsciiLetter = (cp: number) => (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);

/** A code point inside a class (portable: every engine reads it alike), or null when it has no spelling. */
function classMember(cp: number): string | null {
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0x2028 || cp === 0x2029) return null;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xad || cp === 0x2f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  const ch = String.fromCodePoint(cp);
  return '\\]^-[&~|'.includes(ch) ? '\\' + ch : ch;
}

/** One character of the folded literal, under `(?i)`. */
function charRe(ch: string, t: FoldTable): string | null {
  const cp = ch.codePointAt(0)!;
  const set = t.single(ch);
  if (set.length === 1 && set[0] === cp && pyCaseClass(cp).length === 1) return text(ch);
  if (isAsciiLetter(cp) && ![0x69, 0x6b, 0x73].includes(cp | 0x20)) {
    const pair = [cp | 0x20, cp & ~0x20];
    if (set.length === 2 && pair.every((c) => set.includes(c))) return ch;
  }
  const members = set.map(classMember);
  if (members.some((m) => m === null)) return null;
  return `(?-i:[${members.length ? members.join('') : '^\\s\\S'}])`;
}

function text(s: string): string | null {
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0x2028 || cp === 0x2029) return null;
  }
  return reEscape(s, '/');
}

export type CiLiteral = { ok: true; re: string } | { ok: false; why: string };

/**
 * Regex text (to run under a leading `(?i)`, delimiter `/`) matching the strings `s` with
 * `fold(s)` = `fold(literal)` at the place the caller anchors: `open.left` / `open.right` when the
 * text may go on before / after it (a suffix, a prefix, a substring test).
 */
export function ciLiteral(literal: string, fold: Fold | undefined, open: { left: boolean; right: boolean }): CiLiteral {
  const t = table(fold);
  const u = [...pyFold(literal, fold)];
  const n = u.length;
  if ((fold ?? 'lower') === 'lower' && (u.includes('σ') || u.includes('ς'))) {
    return { ok: false, why: 'a Greek sigma, which lower() folds by the letters around it' };
  }
  // where a multi-character fold spells a run of the literal: inside it, or (an open end) across its end,
  // where the character stands for the part of its fold that the literal holds
  const runs = new Map<string, { at: number; len: number; cps: number[] }>();
  for (const m of t.multi) {
    const k = m.e.length;
    for (let o = -(k - 1); o < n; o++) {
      if ((o < 0 && !open.left) || (o + k > n && !open.right)) continue;
      const lo = Math.max(0, o);
      const hi = Math.min(n, o + k);
      let same = true;
      for (let i = lo; i < hi && same; i++) same = u[i] === m.e[i - o];
      if (!same) continue;
      const key = `${lo}:${hi - lo}`;
      const r = runs.get(key);
      if (r) {
        if (!r.cps.includes(m.cp)) r.cps.push(m.cp);
      }
      else runs.set(key, { at: lo, len: hi - lo, cps: [m.cp] });
    }
  }
  const spans = [...runs.values()].sort((a, b) => a.at - b.at);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]!.at < spans[i - 1]!.at + spans[i - 1]!.len) return { ok: false, why: 'characters whose folds spell overlapping runs of the text' };
  }
  let out = '';
  let j = 0;
  for (const s of spans) {
    for (; j < s.at; j++) {
      const c = charRe(u[j]!, t);
      if (c === null) return { ok: false, why: 'a character with no spelling every regex engine reads alike' };
      out += c;
    }
    const alts = s.cps.map((cp) => classMember(cp));
    if (alts.some((a) => a === null)) return { ok: false, why: 'a character with no spelling every regex engine reads alike' };
    if (s.len === 1) {
      // one character of the literal: the class of those folding to it, and those whose fold holds it there
      const members = t.single(u[j]!).map(classMember);
      if (members.some((m) => m === null)) return { ok: false, why: 'a character with no spelling every regex engine reads alike' };
      out += `(?-i:[${[...members, ...alts].join('')}])`;
      j++;
      continue;
    }
    let seq = '';
    for (; j < s.at + s.len; j++) {
      const c = charRe(u[j]!, t);
      if (c === null) return { ok: false, why: 'a character with no spelling every regex engine reads alike' };
      seq += c;
    }
    out += `(?:${seq}|(?-i:[${alts.join('')}]))`;
  }
  for (; j < n; j++) {
    const c = charRe(u[j]!, t);
    if (c === null) return { ok: false, why: 'a character with no spelling every regex engine reads alike' };
    out += c;
  }
  return { ok: true, re: out };
}
