/**
 * The evaluators' regex reader: reads a regular expression exactly as a target engine reads it and
 * runs it on test values, as a JavaScript `u` RegExp. Shared by the four target evaluators; shares no
 * code with the printers (src/targets/**).
 *
 * Dialects (which engines' readings a pattern must satisfy):
 *
 * - `re2`: Google RE2 (KQL `matches regex`, YARA-L `re.regex`). Syntax:
 *   https://github.com/google/re2/wiki/Syntax (mirrored as RE2's doc/syntax.txt,
 *   e.g. https://code.googlesource.com/re2/+/a73fbee2106a1d580d1f8e7cc30456dd8fa0825b/doc/syntax.txt,
 *   and Go's regexp/syntax, generated from it: https://go.googlesource.com/go/+/2f8798ed071072dbb6801c5dbc5a4368cb5984e9/src/regexp/syntax/doc.go).
 *   One reading: RE2's.
 * - `pcre`: a Sigma `|re` value. pySigma validates with Python's `re`
 *   (https://docs.python.org/3.11/library/re.html); backends hand the pattern to PCRE-like engines
 *   (https://www.pcre.org/current/doc/html/pcre2pattern.html). Syntax is Python 3.11's, minus every
 *   construct that PCRE2 reads differently or that Python rejects. Two readings: Python's and PCRE2's
 *   (UTF mode, default newline LF, no UCP).
 * - `portable`: CloudWatch Logs Insights `=~`, whose regex flavour is not documented
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html). Only constructs
 *   RE2, PCRE2, Java (java.util.regex) and Python read alike are accepted (JavaScript too, except that
 *   it has no inline flag groups: a leading `(?i)` is read as the `iu` flags). Five readings.
 *
 * Exactness. Where the readings of one dialect's engines can differ on some values only (`$` before a
 * final line terminator, `.` on `\r`, case folding of `ſ` / `K` / `İ`, Unicode vs ASCII `\d \w \s \b`),
 * the pattern is accepted, every reading is compiled, and `test` runs them all: if they disagree on
 * the value, `test` throws `Refusal` (the evaluator cannot decide what the target does with that
 * value). Constructs whose syntax an engine of the dialect rejects, or reads differently everywhere
 * (`\Z`, `\v`, `{,n}`, possessive quantifiers...), are refused at compile time.
 *
 * Case-insensitivity is never left to JavaScript (which has no scoped `(?i:...)` before ES2025): every
 * character set under `i` is expanded to the characters the engine folds it with:
 * - RE2, PCRE2 (UTF), JavaScript `iu`: Unicode simple case folding (CaseFolding.txt, statuses C and S),
 *   computed here from JavaScript's own `iu` matching, which is defined by the same table.
 * - Python: `lower(a) == lower(b)` (first code point of the full lowercase mapping) plus the extra
 *   equivalences of CPython 3.11 `Lib/re/_casefix.py`, following `sre_compile._optimize_charset`.
 * - Java `(?i)` without `u`: US-ASCII letters only.
 *
 * Known limits, not decidable from here: Unicode versions (Node's ICU tables stand in for the engines'
 * own tables: Python 3.11 uses Unicode 14); lone surrogates in values are not considered.
 */
import { Refusal } from './types.js';
import { unicodeTable } from '../unicodetables.js';

export type Dialect = 're2' | 'pcre' | 'portable';

/** A regex read back: `test` is an unanchored search (like `re.search`, RE2 partial match). */
export interface TargetRegex {
  /**
   * True when the pattern matches somewhere in `s`. Throws `Refusal` when the dialect's engines read
   * the pattern differently on this very value (e.g. Python's `\d` and PCRE's on "٣").
   */
  test(s: string): boolean;
}

type Engine = 're2' | 'python' | 'pcre' | 'java' | 'js';

const ENGINES: Record<Dialect, Engine[]> = {
  re2: ['re2'],
  pcre: ['python', 'pcre'],
  portable: ['re2', 'pcre', 'java', 'python', 'js'],
};
const ENGINE_NAME: Record<Engine, string> = { re2: 'RE2', python: 'Python re', pcre: 'PCRE2', java: 'Java', js: 'JavaScript' };
const DIALECT_NAME: Record<Dialect, string> = { re2: 'RE2', pcre: 'Sigma re (Python/PCRE)', portable: 'portable (Logs Insights)' };

// ---------------------------------------------------------------------------------------------
// Code point sets: sorted, merged, inclusive ranges

type Range = [number, number];
const MAX_CP = 0x10ffff;

function normalize(rs: Range[]): Range[] {
  const sorted = rs.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(rs: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of rs) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

const union = (...sets: Range[][]): Range[] => normalize(sets.flat().map(([a, b]): Range => [a, b]));
const cps = (...list: number[]): Range[] => normalize(list.map((c): Range => [c, c]));

function has(rs: Range[], cp: number): boolean {
  let lo = 0;
  let hi = rs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = rs[mid]!;
    if (cp < r[0]) hi = mid - 1;
    else if (cp > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

const hex = (c: number) => c.toString(16);
/** A set as a JavaScript `u` character class (every member spelled `\u{...}`, so nothing needs escaping). */
function jsClass(rs: Range[]): string {
  if (rs.length === 1 && rs[0]![0] === 0 && rs[0]![1] === MAX_CP) return '[\\s\\S]';
  return '[' + rs.map(([lo, hi]) => (lo === hi ? `\\u{${hex(lo)}}` : `\\u{${hex(lo)}}-\\u{${hex(hi)}}`)).join('') + ']';
}

// ---------------------------------------------------------------------------------------------
// Unicode tables, computed lazily from JavaScript's own Unicode support

let universeParts: string[] | undefined;
/** Every scalar value, as two strings (below and above the surrogates) so that runs stay contiguous. */
function universe(): string[] {
  if (universeParts) return universeParts;
  const part = (lo: number, hi: number) => {
    const chunks: string[] = [];
    for (let c = lo; c <= hi; c += 4096) {
      const arr: number[] = [];
      for (let d = c; d <= Math.min(hi, c + 4095); d++) arr.push(d);
      chunks.push(String.fromCodePoint(...arr));
    }
    return chunks.join('');
  };
  universeParts = [part(0, 0xd7ff), part(0xe000, MAX_CP)];
  return universeParts;
}

const classCache = new Map<string, Range[]>();
/** The members of a JavaScript `u` class body such as `\p{L}\p{N}_` (lone surrogates excluded). */
function rangesOf(body: string): Range[] {
  const hit = classCache.get(body);
  if (hit) return hit;
  const rs = (EMITTED_CLASSES.includes(body) ? emittedClasses()[body] : undefined) ?? scanClass(body);
  classCache.set(body, rs);
  return rs;
}

/** The Unicode classes the translators themselves write (`\p{L}`, `\p{N}`, `\p{Nd}`, `\p{Z}` in src/targets), as rangesOf reads them. */
const EMITTED_CLASSES = ['L', 'N', 'Nd', 'Z'].map((c) => `\\p{gc=${c}}`);
/** Their members, stored by the build (src/unicodetables.ts). */
const emittedClasses = unicodeTable('proof.classes', (): Record<string, Range[]> => Object.fromEntries(EMITTED_CLASSES.map((b) => [b, scanClass(b)])));

/** rangesOf by a scan of every code point. */
function scanClass(body: string): Range[] {
  const re = new RegExp(`[${body}]+`, 'gu');
  const out: Range[] = [];
  for (const part of universe()) {
    for (const m of part.matchAll(re)) {
      const s = m[0];
      const lo = s.codePointAt(0)!;
      // the universe holds no lone surrogate: a final low surrogate ends a pair
      const tail = s.charCodeAt(s.length - 1);
      const hi = s.codePointAt(s.length - (tail >= 0xdc00 && tail <= 0xdfff ? 2 : 1))!;
      out.push([lo, hi]);
    }
  }
  return normalize(out);
}

/** CPython 3.11 `Lib/re/_casefix.py` `_EXTRA_CASES`: lowercase → other lowercase code points it matches. */
const PY_EXTRA_CASES: Record<number, number[]> = {
  0x69: [0x131], 0x73: [0x17f], 0xb5: [0x3bc], 0x131: [0x69], 0x17f: [0x73], 0x345: [0x3b9, 0x1fbe],
  0x390: [0x1fd3], 0x3b0: [0x1fe3], 0x3b2: [0x3d0], 0x3b5: [0x3f5], 0x3b8: [0x3d1], 0x3b9: [0x345, 0x1fbe],
  0x3ba: [0x3f0], 0x3bc: [0xb5], 0x3c0: [0x3d6], 0x3c1: [0x3f1], 0x3c2: [0x3c3], 0x3c3: [0x3c2],
  0x3c6: [0x3d5], 0x3d0: [0x3b2], 0x3d1: [0x3b8], 0x3d5: [0x3c6], 0x3d6: [0x3c0], 0x3f0: [0x3ba],
  0x3f1: [0x3c1], 0x3f5: [0x3b5], 0x432: [0x1c80], 0x434: [0x1c81], 0x43e: [0x1c82], 0x441: [0x1c83],
  0x442: [0x1c84, 0x1c85], 0x44a: [0x1c86], 0x463: [0x1c87], 0x1c80: [0x432], 0x1c81: [0x434],
  0x1c82: [0x43e], 0x1c83: [0x441], 0x1c84: [0x442, 0x1c85], 0x1c85: [0x442, 0x1c84], 0x1c86: [0x44a],
  0x1c87: [0x463], 0x1c88: [0xa64b], 0x1e61: [0x1e9b], 0x1e9b: [0x1e61], 0x1fbe: [0x345, 0x3b9],
  0x1fd3: [0x390], 0x1fe3: [0x3b0], 0xa64b: [0x1c88], 0xfb05: [0xfb06], 0xfb06: [0xfb05],
};

const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
/** CPython's `_PyUnicode_ToLowercase`: the first code point of the full lowercase mapping. */
function pyLower(c: number): number {
  return isSurrogate(c) ? c : String.fromCodePoint(c).toLowerCase().codePointAt(0)!;
}
function pyUpper(c: number): number {
  return isSurrogate(c) ? c : String.fromCodePoint(c).toUpperCase().codePointAt(0)!;
}
/** CPython's `_sre.unicode_iscased`. */
const pyIsCased = (c: number) => pyLower(c) !== c || pyUpper(c) !== c;

/** Every code point that takes part in any case relation (all below U+20000); stored by the build. */
const cased = unicodeTable('proof.cased', computeCased);

function computeCased(): number[] {
  const set = new Set<number>();
  for (let c = 0; c < 0x20000; c++) {
    if (isSurrogate(c)) continue;
    const l = pyLower(c);
    const u = pyUpper(c);
    if (l !== c || u !== c) set.add(c).add(l).add(u);
  }
  for (const [k, v] of Object.entries(PY_EXTRA_CASES)) [Number(k), ...v].forEach((c) => set.add(c));
  return [...set].sort((a, b) => a - b);
}

/**
 * Orbits of Unicode simple case folding (what RE2, PCRE2 in UTF mode and JavaScript `iu` fold together),
 * read from JavaScript's `iu` matching: candidates are linked through their upper/lower mappings, then
 * split by testing each against the orbit representatives.
 */
const scf = unicodeTable('proof.scf', computeScf, {
  toJson: (m: Map<number, number[]>) => [...m],
  fromJson: (j: [number, number[]][]) => new Map(j),
});

function computeScf(): Map<number, number[]> {
  const parent = new Map<number, number>();
  const find = (c: number): number => {
    let r = c;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const link = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const c of cased()) {
    parent.set(c, parent.get(c) ?? c);
    link(c, pyLower(c));
    link(c, pyUpper(c));
  }
  const groups = new Map<number, number[]>();
  for (const c of cased()) {
    const r = find(c);
    const g = groups.get(r);
    if (g) g.push(c);
    else groups.set(r, [c]);
  }
  const scfOrbits = new Map<number, number[]>();
  for (const g of groups.values()) {
    const orbits: { re: RegExp; members: number[] }[] = [];
    for (const c of g) {
      const ch = String.fromCodePoint(c);
      const o = orbits.find((x) => x.re.test(ch));
      if (o) o.members.push(c);
      else orbits.push({ re: new RegExp(`^\\u{${hex(c)}}$`, 'iu'), members: [c] });
    }
    for (const o of orbits) if (o.members.length > 1) for (const c of o.members) scfOrbits.set(c, o.members);
  }
  return scfOrbits;
}

/** Up to this many code points, foldSet looks up the set's own members; above, it scans every cased code point. */
const FOLD_BY_MEMBERS = 4096;

/** How many code points a set holds, counted up to just past `limit`. */
function sizeUpTo(S: Range[], limit: number): number {
  let n = 0;
  for (const [lo, hi] of S) if ((n += hi - lo + 1) > limit) break;
  return n;
}

let casedSet: Set<number> | undefined;
let casedByLower: Map<number, number[]> | undefined;
/** The cased code points lowering to each code point (pyLower). */
function byLower(): Map<number, number[]> {
  if (casedByLower) return casedByLower;
  casedByLower = new Map();
  for (const c of cased()) {
    const l = pyLower(c);
    const g = casedByLower.get(l);
    if (g) g.push(c);
    else casedByLower.set(l, [c]);
  }
  return casedByLower;
}

/**
 * The characters matched by a set under case-insensitive matching, per engine (see the header). `how`
 * (for the test that holds both ways equal): `scan` tests every cased code point against the set, `members`
 * starts from the set's own code points (the same answer for a small set, without the scan).
 */
export function foldSet(S: Range[], engine: Engine, how: 'auto' | 'scan' | 'members' = 'auto'): Range[] {
  if (engine !== 'java' && (how === 'members' || (how === 'auto' && sizeUpTo(S, FOLD_BY_MEMBERS) <= FOLD_BY_MEMBERS))) return foldByMembers(S, engine);
  return foldByScan(S, engine);
}

/** Python's lowered set of a character class: the lowers of its cased members and their extra cases (sre _EXTRA_CASES). */
function pyLoweredSet(members: readonly number[]): Set<number> {
  const L = new Set<number>();
  for (const v of members) {
    const lo = pyLower(v);
    L.add(lo);
    for (const k of PY_EXTRA_CASES[lo] ?? []) L.add(k);
  }
  return L;
}

/**
 * foldByScan from the set's members: python's lowered set L holds the lowers of the cased members (and their
 * extra cases), and a cased code point outside the set is added when its lower is in L or is a member that
 * lowers to itself, so only the cased code points lowering to those (byLower) are candidates; an orbit
 * of simple case folding is one class, so a code point whose orbit meets the set is in a member's orbit.
 */
function foldByMembers(S: Range[], engine: Engine): Range[] {
  const extra: number[] = [];
  if (engine === 'python') {
    const isCased = (casedSet ??= new Set(cased()));
    const members: number[] = [];
    for (const [lo, hi] of S) for (let c = lo; c <= hi; c++) if (isCased.has(c)) members.push(c);
    if (!members.some(pyIsCased)) return S;
    const L = pyLoweredSet(members);
    const lowering = byLower();
    for (const l of L) for (const ch of lowering.get(l) ?? []) if (!has(S, ch)) extra.push(ch);
    for (const [lo, hi] of S) {
      for (let c = lo; c <= hi; c++) {
        if (pyLower(c) !== c) continue;
        for (const ch of lowering.get(c) ?? []) if (!has(S, ch)) extra.push(ch);
      }
    }
  } else {
    const orbits = scf();
    for (const [lo, hi] of S) for (let c = lo; c <= hi; c++) for (const ch of orbits.get(c) ?? []) if (!has(S, ch)) extra.push(ch);
  }
  return extra.length ? union(S, cps(...extra)) : S;
}

function foldByScan(S: Range[], engine: Engine): Range[] {
  if (engine === 'java') {
    const extra: number[] = [];
    for (const [lo, hi] of S) {
      for (let c = Math.max(lo, 0x41); c <= Math.min(hi, 0x7a); c++) if ((c >= 0x41 && c <= 0x5a) || c >= 0x61) extra.push(c ^ 0x20);
    }
    return union(S, cps(...extra));
  }
  const extra: number[] = [];
  if (engine === 'python') {
    // sre_compile._optimize_charset(fixup=lower, fixes=_EXTRA_CASES), then IN_UNI_IGNORE tests
    // lower(ch) against the lowered set (a set with no cased member is matched as is)
    const members = cased().filter((c) => has(S, c));
    if (!members.some(pyIsCased)) return S;
    const L = pyLoweredSet(members);
    for (const ch of cased()) {
      if (has(S, ch)) continue;
      const lo = pyLower(ch);
      if (L.has(lo) || (has(S, lo) && pyLower(lo) === lo)) extra.push(ch);
    }
  } else {
    const orbits = scf();
    for (const ch of cased()) {
      if (has(S, ch)) continue;
      if ((orbits.get(ch) ?? []).some((d) => has(S, d))) extra.push(ch);
    }
  }
  return extra.length ? union(S, cps(...extra)) : S;
}

// ---------------------------------------------------------------------------------------------
// Fixed sets

const r = (...pairs: [number, number][]): Range[] => normalize(pairs);
const ASCII_DIGIT = r([0x30, 0x39]);
const ASCII_WORD = r([0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]);
/** RE2 `\s`: `[\t\n\f\r ]` (no `\v`). */
const RE2_SPACE = r([0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]);
/** PCRE2 `\s` without UCP: HT, LF, VT, FF, CR, space (pcre2pattern, "Generic character types"). */
const PCRE_SPACE = r([0x09, 0x0d], [0x20, 0x20]);
/** Python `\s` on str: `str.isspace()` (Unicode bidi WS/B/S or category Zs). */
const PY_SPACE = r([0x09, 0x0d], [0x1c, 0x20], [0x85, 0x85], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000]);
/** Python `\w` on str: `str.isalnum()` or `_` (alpha = categories L*, numeric ⊆ N* and Lo). */
const pyWord = unicodeTable('proof.word', () => rangesOf('\\p{L}\\p{N}_'));
const pyDigit = unicodeTable('proof.nd', () => rangesOf('\\p{Nd}'));

/** RE2 POSIX classes (ASCII only), `[[:name:]]`. */
const POSIX: Record<string, Range[]> = {
  alnum: r([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]),
  alpha: r([0x41, 0x5a], [0x61, 0x7a]),
  ascii: r([0, 0x7f]),
  blank: r([0x09, 0x09], [0x20, 0x20]),
  cntrl: r([0, 0x1f], [0x7f, 0x7f]),
  digit: ASCII_DIGIT,
  graph: r([0x21, 0x7e]),
  lower: r([0x61, 0x7a]),
  print: r([0x20, 0x7e]),
  punct: r([0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]),
  space: r([0x09, 0x0d], [0x20, 0x20]),
  upper: r([0x41, 0x5a]),
  word: ASCII_WORD,
  xdigit: r([0x30, 0x39], [0x41, 0x46], [0x61, 0x66]),
};

/** RE2's general categories (one and two letters; no `Cn`, `LC`). */
const RE2_CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);
/** Script long names of four letters (other four-letter names are ISO 15924 aliases RE2 does not accept). */
const FOUR_LETTER_SCRIPTS = new Set(['Cham', 'Kawi', 'Lisu', 'Modi', 'Newa', 'Thai', 'Toto']);

// ---------------------------------------------------------------------------------------------
// Parse tree

type Perl = 'd' | 'w' | 's';
type Item =
  /** Literal characters and ranges: folded under `i` by every engine. */
  | { k: 'lit'; rs: Range[] }
  /** `\d \w \s` (neg: `\D \W \S`): the set depends on the engine. */
  | { k: 'perl'; c: Perl; neg: boolean }
  /** A fixed set (RE2 `\p{..}`, POSIX classes): folded under `i` (RE2 only). */
  | { k: 'fixed'; rs: Range[]; neg: boolean };

type Assert = 'bot' | 'eot' | 'dollar' | 'bol' | 'eol' | 'wordb' | 'nwordb';
type Node =
  /** `key`: the pattern text of the set and its flags, for the per-engine cache. */
  | { t: 'set'; items: Item[]; neg: boolean; i: boolean; key: string }
  | { t: 'dot'; s: boolean }
  | { t: 'assert'; k: Assert }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; body: Node }
  | { t: 'look'; behind: boolean; neg: boolean; body: Node }
  | { t: 'rep'; body: Node; min: number; max: number };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isAsciiAlnum = (c: string) => /^[0-9A-Za-z]$/.test(c);
const isAsciiPunct = (c: string) => /^[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(c);

class Parser {
  pos = 0;
  private depth = 0;
  private names = new Set<string>();
  /** Python: global flags are accepted only before the first item of the top-level first branch. */
  private globalOk = true;
  constructor(
    readonly p: string,
    readonly d: Dialect,
    public flags: Flags,
  ) {}

  fail(why: string, at = this.pos): never {
    throw new Refusal(`${DIALECT_NAME[this.d]} regex: ${why} (at offset ${at})`);
  }

  parse(): Node {
    const n = this.alt();
    if (this.pos < this.p.length) this.fail('unbalanced parenthesis');
    return n;
  }

  private alt(): Node {
    const alts = [this.seq()];
    while (this.p[this.pos] === '|') {
      this.pos++;
      this.globalOk = false;
      alts.push(this.seq());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.pos < this.p.length && this.p[this.pos] !== '|' && this.p[this.pos] !== ')') {
      const start = this.pos;
      const atoms = this.atom();
      if (atoms.length === 0) {
        if (this.quantAt(this.pos)) this.fail('repetition of nothing (a flag group or comment)', this.pos);
        continue;
      }
      this.globalOk = false;
      const last = atoms.pop()!;
      items.push(...atoms, this.quantified(last, start));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  /** Length of a counted quantifier `{n}`, `{n,}`, `{n,m}` at `at`, or 0. */
  private counted(at: number): { len: number; min: number; max: number } | null {
    const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.p.slice(at, at + 40));
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    return { len: m[0].length, min, max };
  }

  private quantAt(at: number): boolean {
    const c = this.p[at];
    return c === '*' || c === '+' || c === '?' || (c === '{' && this.counted(at) !== null);
  }

  private quantified(atom: Node, start: number): Node {
    let node = atom;
    let quantifiers = 0;
    while (this.quantAt(this.pos)) {
      const at = this.pos;
      if (quantifiers > 0) this.fail('multiple repeat (a quantifier applied to a quantifier)', at);
      if (node.t === 'assert' || node.t === 'look') this.fail('repetition of an assertion', at);
      const c = this.p[at]!;
      let min: number;
      let max: number;
      if (c === '{') {
        const q = this.counted(at)!;
        ({ min, max } = q);
        this.pos += q.len;
        if (max < min) this.fail('repetition with min greater than max', at);
        const limit = this.d === 'pcre' ? 65535 : 1000;
        if (min > limit || (max !== Infinity && max > limit)) {
          this.fail(this.d === 'pcre' ? 'repetition count above 65535 (PCRE2 rejects it)' : 'repetition count above 1000 (RE2 rejects it)', at);
        }
      } else {
        [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
        this.pos++;
      }
      // a lazy quantifier finds a match exactly when the greedy one does: only `test` is asked
      if (this.p[this.pos] === '?') this.pos++;
      else if (this.p[this.pos] === '+') this.fail('possessive quantifier (RE2 and Python before 3.11 reject it)', this.pos);
      quantifiers++;
      node = { t: 'rep', body: node, min, max };
    }
    if (quantifiers && this.d !== 'pcre') this.checkRepeatSize(node, start);
    return node;
  }

  /** RE2 rejects nested counted repetitions whose counts multiply beyond 1000 (RE2's RepetitionWalker). */
  private checkRepeatSize(n: Node, at: number) {
    const walk = (x: Node): number => {
      switch (x.t) {
        case 'rep': {
          const inner = walk(x.body);
          const counted = !((x.min === 0 || x.min === 1) && x.max === Infinity) && !(x.min === 0 && x.max === 1);
          return counted ? inner * (x.max === Infinity ? Math.max(x.min, 1) : Math.max(x.max, 1)) : inner;
        }
        case 'group':
        case 'look':
          return walk(x.body);
        case 'seq':
          return Math.max(1, ...x.items.map(walk));
        case 'alt':
          return Math.max(1, ...x.alts.map(walk));
        default:
          return 1;
      }
    };
    if (walk(n) > 1000) this.fail('nested repetition counts above 1000 (RE2 rejects it)', at);
  }

  private lit(cp: number): Node {
    return { t: 'set', items: [{ k: 'lit', rs: [[cp, cp]] }], neg: false, i: this.flags.i, key: `${this.flags.i}:${hex(cp)}` };
  }

  /** One atom (several for RE2's `\Q...\E`; none for a flag group or a comment). */
  private atom(): Node[] {
    const p = this.p;
    const c = p[this.pos]!;
    const at = this.pos;
    if (c === '(') return this.group();
    if (c === '[') return [this.cls()];
    if (c === '\\') return this.escape();
    if (this.quantAt(at)) this.fail('quantifier without anything to repeat');
    this.pos++;
    if (c === '.') return [{ t: 'dot', s: this.flags.s }];
    if (c === '^') return [{ t: 'assert', k: this.flags.m ? 'bol' : 'bot' }];
    if (c === '$') {
      if (this.flags.m) return [{ t: 'assert', k: 'eol' }];
      return [{ t: 'assert', k: this.d === 're2' ? 'eot' : 'dollar' }];
    }
    if (this.d === 'portable' && (c === '{' || c === '}' || c === ']')) {
      this.fail(`unescaped ${c} that is not part of a quantifier or class (Java and JavaScript reject it)`, at);
    }
    if (this.d === 'pcre' && c === '{' && /^\{[\d, ]/.test(p.slice(at))) {
      this.fail('`{` that is not a plain {n}, {n,} or {n,m} quantifier (Python and PCRE2 versions differ on `{,n}` and spaces)', at);
    }
    const cp = p.codePointAt(at)!;
    if (cp > 0xffff) this.pos++;
    return [this.lit(cp)];
  }

  private group(): Node[] {
    const p = this.p;
    const at = this.pos;
    this.pos++;
    if (p[this.pos] !== '?') {
      if (p[this.pos] === '*') this.fail('PCRE verb `(*...)`');
      return [this.groupBody(this.flags)];
    }
    const rest = p.slice(this.pos + 1, this.pos + 4);
    const d = this.d;
    if (rest.startsWith(':')) {
      this.pos += 2;
      return [this.groupBody(this.flags)];
    }
    if (rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<=') || rest.startsWith('<!')) {
      if (d === 're2') this.fail('lookaround is not RE2 syntax (RE2 rejects the pattern)', at);
      if (d === 'portable') this.fail('lookaround (RE2 rejects it)', at);
      const behind = rest[0] === '<';
      const neg = behind ? rest[1] === '!' : rest[0] === '!';
      this.pos += behind ? 3 : 2;
      const saved = this.flags;
      this.flags = { ...saved };
      this.depth++;
      const body = this.alt();
      this.depth--;
      this.flags = saved;
      if (p[this.pos] !== ')') this.fail('missing ), unterminated subpattern', at);
      this.pos++;
      if (behind && width(body) === null) this.fail('lookbehind that is not of fixed width (Python rejects it)', at);
      return [{ t: 'look', behind, neg, body }];
    }
    if (rest.startsWith('#')) {
      if (d !== 'pcre') this.fail(d === 're2' ? 'comment group (?#...) is not RE2 syntax' : 'comment group (?#...) (RE2 rejects it)', at);
      const end = p.indexOf(')', this.pos);
      if (end < 0) this.fail('unterminated comment', at);
      this.pos = end + 1;
      return [];
    }
    const named = /^\?P<([^>]*)>/.exec(p.slice(this.pos, this.pos + 200));
    if (named) {
      if (d === 'portable') this.fail('named group (?P<name>...) (Java rejects it)', at);
      const name = named[1]!;
      const ok = d === 're2' ? /^[A-Za-z0-9_]+$/.test(name) : /^[\p{L}\p{Nl}_][\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}]*$/u.test(name);
      if (!ok) this.fail(`bad group name ${JSON.stringify(name)}`, at);
      if (this.names.has(name)) this.fail(`duplicate group name ${JSON.stringify(name)}`, at);
      this.names.add(name);
      this.pos += named[0].length;
      return [this.groupBody(this.flags)];
    }
    if (rest.startsWith('<')) this.fail(d === 'pcre' ? 'named group (?<name>...) (Python 3.11 rejects it)' : 'named group (?<name>...) (not in every RE2 version)', at);
    if (rest.startsWith('P=') || rest.startsWith('P>')) this.fail('backreference or recursion (RE2 rejects it)', at);
    if (rest.startsWith('>')) this.fail('atomic group (RE2 and Python before 3.11 reject it)', at);
    if (rest.startsWith('(')) this.fail('conditional group (RE2 rejects it)', at);
    const fm = /^\?([A-Za-z]*)(?:(-)([A-Za-z]*))?([:)])/.exec(p.slice(this.pos, this.pos + 20));
    if (!fm) this.fail(`unsupported group syntax (?${rest}`, at);
    const on = fm[1]!;
    const neg = fm[2] !== undefined;
    const off = fm[3] ?? '';
    const scoped = fm[4] === ':';
    const allowed = d === 're2' ? 'imsU' : 'ims';
    for (const f of on + off) {
      if (!allowed.includes(f)) {
        const why: Record<string, string> = {
          x: 'verbose flag x (engines differ on what verbose mode ignores)',
          a: 'ASCII flag a (Python only)',
          L: 'locale flag L (Python bytes patterns only)',
          u: 'flag u (Python only)',
          U: 'flag U (RE2 only: it means ungreedy there)',
        };
        this.fail(`inline ${why[f] ?? `flag ${f} (not read alike by the engines)`}`, at);
      }
    }
    if ((on === '' && !neg) || (neg && off === '')) this.fail('empty flag group', at);
    if (!scoped) {
      if (d === 're2') {
        // sets flags until the end of the current group (through later alternatives too)
        this.pos += fm[0].length;
        this.flags = applyFlags(this.flags, on, off);
        return [];
      }
      const who = d === 'pcre' ? 'Python 3.11 rejects global flags elsewhere' : 'only leading global flags are read alike';
      if (!this.globalOk || this.depth > 0) this.fail(`inline flags not at the start of the pattern (${who})`, at);
      if (neg) this.fail('turning global flags off (Python rejects it)', at);
      this.pos += fm[0].length;
      this.flags = applyFlags(this.flags, on, off);
      return [];
    }
    this.pos += fm[0].length - 1; // groupBody expects to be just before the body
    this.pos++;
    return [this.groupBodyAfter(applyFlags(this.flags, on, off), at)];
  }

  private groupBody(flags: Flags): Node {
    return this.groupBodyAfter(flags, this.pos - 1);
  }

  private groupBodyAfter(flags: Flags, at: number): Node {
    const saved = this.flags;
    this.flags = { ...flags };
    this.depth++;
    this.globalOk = false;
    const body = this.alt();
    this.depth--;
    this.flags = saved;
    if (this.p[this.pos] !== ')') this.fail('missing ), unterminated subpattern', at);
    this.pos++;
    return { t: 'group', body };
  }

  /** A backslash escape outside a class. */
  private escape(): Node[] {
    const p = this.p;
    const at = this.pos;
    const c = p[this.pos + 1];
    const d = this.d;
    if (c === undefined) this.fail('trailing backslash', at);
    // assertions
    if (c === 'A') {
      if (d === 'portable') this.fail('\\A (JavaScript rejects it)', at);
      this.pos += 2;
      return [{ t: 'assert', k: 'bot' }];
    }
    if (c === 'z') {
      if (d === 'pcre') this.fail('\\z (Python before 3.14 rejects it)', at);
      if (d === 'portable') this.fail('\\z (Python before 3.14 and JavaScript reject it)', at);
      this.pos += 2;
      return [{ t: 'assert', k: 'eot' }];
    }
    if (c === 'Z') {
      this.fail(d === 're2' ? '\\Z is not RE2 syntax (RE2 rejects the pattern)' : '\\Z (PCRE also matches before a final newline, Python does not)', at);
    }
    if (c === 'b' || c === 'B') {
      if (d === 'portable') this.fail(`\\${c} (word characters are Unicode in Python, ASCII in RE2 and Java)`, at);
      this.pos += 2;
      return [{ t: 'assert', k: c === 'b' ? 'wordb' : 'nwordb' }];
    }
    if (c === 'Q' && d === 're2') {
      // \Q...\E: literal text up to \E (or the end)
      const end = p.indexOf('\\E', this.pos + 2);
      const text = p.slice(this.pos + 2, end < 0 ? p.length : end);
      this.pos = end < 0 ? p.length : end + 2;
      return [...text].map((ch) => this.lit(ch.codePointAt(0)!));
    }
    const item = this.escapeItem(false);
    return [{ t: 'set', items: [item], neg: false, i: this.flags.i, key: `${this.d}:${this.flags.i}:${p.slice(at, this.pos)}` }];
  }

  /**
   * An escape that stands for characters (inside or outside a class); `pos` is at the backslash.
   * `inClass`: Python and PCRE read `\b` as backspace there.
   */
  private escapeItem(inClass: boolean): Item {
    const p = this.p;
    const at = this.pos;
    const c = p[this.pos + 1]!;
    const d = this.d;
    const litItem = (cp: number, len: number): Item => {
      this.pos += len;
      return { k: 'lit', rs: [[cp, cp]] };
    };
    // Perl classes
    if ('dDwWsS'.includes(c)) {
      if (d === 'portable') this.fail(`\\${c} (Unicode in Python, ASCII in RE2, PCRE and Java)`, at);
      this.pos += 2;
      return { k: 'perl', c: c.toLowerCase() as Perl, neg: c !== c.toLowerCase() };
    }
    if (c === 'p' || c === 'P') {
      if (d !== 're2') this.fail(`\\${c}{...} Unicode class (Python rejects it)`, at);
      return this.unicodeClass();
    }
    if (c === 'x') {
      if (p[this.pos + 2] === '{') {
        if (d === 'pcre') this.fail('\\x{...} (Python rejects it)', at);
        if (d === 'portable') this.fail('\\x{...} (Python and JavaScript reject it)', at);
        const m = /^\\x\{([0-9A-Fa-f]{1,8})\}/.exec(p.slice(this.pos, this.pos + 12));
        if (!m) this.fail('bad \\x{...} escape', at);
        const cp = parseInt(m[1]!, 16);
        if (cp > MAX_CP) this.fail('\\x{...} beyond U+10FFFF', at);
        if (isSurrogate(cp)) this.fail('\\x{...} of a surrogate (not a character in UTF-8 text)', at);
        return litItem(cp, m[0].length);
      }
      if (!isHex(p[this.pos + 2]) || !isHex(p[this.pos + 3])) {
        this.fail(d === 're2' ? 'bad \\x escape' : '\\x without two hex digits (Python rejects it, PCRE reads fewer)', at);
      }
      return litItem(parseInt(p.slice(this.pos + 2, this.pos + 4), 16), 4);
    }
    const ctrl: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9 };
    if (c in ctrl) {
      if (c === 'a' && d === 'portable') this.fail('\\a (JavaScript and Java differ)', at);
      return litItem(ctrl[c]!, 2);
    }
    if (c === 'v') {
      if (d === 're2') return litItem(11, 2);
      this.fail('\\v (vertical tab in Python, any vertical space in PCRE2 and Java)', at);
    }
    if (c === 'b' && inClass) {
      if (d === 'pcre') return litItem(8, 2);
      this.fail(d === 're2' ? '\\b inside a class is not RE2 syntax' : '[\\b] (RE2 rejects it)', at);
    }
    if (isDigit(c)) {
      if (d === 'portable') this.fail('octal escape or backreference (engines differ)', at);
      const m = /^\\([0-7]{1,3})/.exec(p.slice(this.pos, this.pos + 5));
      if (c === '0') {
        const oct = /^\\0[0-7]{0,2}/.exec(p.slice(this.pos, this.pos + 4))![0];
        return litItem(parseInt(oct.slice(1), 8), oct.length);
      }
      if (d === 're2' && m && m[1]!.length >= 2) return litItem(parseInt(m[1]!, 8), m[0].length);
      this.fail(d === 're2' ? 'backreference (RE2 rejects it)' : 'backreference or octal escape \\1-\\9 (Python and PCRE2 read them differently)', at);
    }
    if (isAsciiAlnum(c)) {
      const known: Record<string, string> = {
        C: 'single byte \\C',
        G: '\\G',
        K: '\\K',
        R: '\\R',
        X: '\\X',
        h: '\\h',
        H: '\\H',
        N: '\\N',
        e: '\\e',
        u: '\\u',
        U: '\\U',
        g: '\\g backreference',
        k: '\\k backreference',
        c: '\\c control escape',
        o: '\\o{...} octal',
        E: '\\E',
        Q: '\\Q...\\E',
      };
      const which = known[c] ?? `\\${c}`;
      const reason =
        d === 're2'
          ? 'RE2 rejects it'
          : d === 'pcre'
            ? c === 'u' || c === 'U' || c === 'N'
              ? 'PCRE2 reads it differently'
              : 'Python rejects it'
            : 'not read alike by the engines';
      this.fail(`${which} (${reason})`, at);
    }
    // an escaped non-alphanumeric character is itself
    const cp = p.codePointAt(this.pos + 1)!;
    if (cp > 0x7f) this.fail('escaped non-ASCII character (engines differ)', at);
    if (d === 'portable' && (c === '<' || c === '>' || c === '`' || c === "'")) this.fail(`\\${c} (a GNU regex operator)`, at);
    return litItem(cp, 2);
  }

  /** RE2 `\pN`, `\p{Name}`, `\p{^Name}`, `\PN`, `\P{Name}`. */
  private unicodeClass(): Item {
    const p = this.p;
    const at = this.pos;
    let neg = p[this.pos + 1] === 'P';
    let name: string;
    if (p[this.pos + 2] === '{') {
      const end = p.indexOf('}', this.pos + 3);
      if (end < 0) this.fail('unterminated \\p{', at);
      name = p.slice(this.pos + 3, end);
      this.pos = end + 1;
    } else {
      name = p[this.pos + 2] ?? '';
      this.pos += 3;
    }
    if (name.startsWith('^')) {
      neg = !neg;
      name = name.slice(1);
    }
    let rs: Range[];
    if (name === 'Any') rs = [[0, MAX_CP]];
    else if (RE2_CATEGORIES.has(name)) rs = rangesOf(`\\p{gc=${name}}`);
    else {
      let ok = /^[A-Z][A-Za-z]*(?:_[A-Z][A-Za-z]*)*$/.test(name) && (name.length !== 4 || FOUR_LETTER_SCRIPTS.has(name));
      if (ok) {
        try {
          new RegExp(`\\p{Script=${name}}`, 'u');
        } catch {
          ok = false;
        }
      }
      if (!ok) this.fail(`unknown Unicode class name ${JSON.stringify(name)} (RE2 rejects it)`, at);
      rs = rangesOf(`\\p{Script=${name}}`);
    }
    return { k: 'fixed', rs, neg };
  }

  /** A bracketed class. */
  private cls(): Node {
    const p = this.p;
    const d = this.d;
    const at = this.pos;
    this.pos++;
    let neg = false;
    if (p[this.pos] === '^') {
      neg = true;
      this.pos++;
    }
    // `[\s\S]` (likewise `\d\D`, `\w\W`): a Perl class and its complement are every character, whatever
    // each engine's own `\s` is; the portable "any character" (the printers' `.` under DOTALL, glob `*`)
    const whole = d === 'portable' ? /^\\([dsw])\\([DSW])\]/.exec(p.slice(this.pos, this.pos + 5)) : null;
    if (whole && whole[1]!.toUpperCase() === whole[2]) {
      this.pos += whole[0].length;
      return { t: 'set', items: [{ k: 'fixed', rs: [[0, MAX_CP]], neg: false }], neg, i: this.flags.i, key: `${d}:${this.flags.i}:${p.slice(at, this.pos)}` };
    }
    const items: Item[] = [];
    const lits: Range[] = [];
    let first = true;
    let prevRange = false;
    for (;;) {
      if (this.pos >= p.length) this.fail('unterminated character class', at);
      const c = p[this.pos]!;
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      if (c === ']' && first && d === 'portable') this.fail('`]` first in a class (JavaScript reads an empty class)', this.pos);
      const wasFirst = first;
      first = false;
      if (c === '[') {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(this.pos, this.pos + 20));
        if (d === 're2' && posix) {
          const set = POSIX[posix[2]!];
          if (!set) this.fail(`unknown POSIX class [:${posix[2]}:]`, this.pos);
          items.push({ k: 'fixed', rs: set, neg: posix[1] === '^' });
          this.pos += posix[0].length;
          prevRange = false;
          continue;
        }
        if (d === 'portable') this.fail('unescaped [ inside a class (Java reads a nested class)', this.pos);
        if (d === 'pcre' && /^\[[:.=]/.test(p.slice(this.pos, this.pos + 2))) this.fail('POSIX class syntax (PCRE2 reads it, Python does not)', this.pos);
      }
      if (d !== 're2' && /^(&&|\|\||--|~~)/.test(p.slice(this.pos, this.pos + 2)) && !(c === '-' && p[this.pos + 2] === ']')) {
        this.fail(`${p.slice(this.pos, this.pos + 2)} inside a class (a set operation in Java, reserved in Python)`, this.pos);
      }
      // one member: a character or an escape
      let lo: number;
      const memberAt = this.pos;
      if (c === '\\') {
        const item = this.escapeItem(true);
        if (item.k !== 'lit') {
          if (p[this.pos] === '-' && p[this.pos + 1] !== ']') this.fail('range from a class escape', memberAt);
          items.push(item);
          prevRange = false;
          continue;
        }
        lo = item.rs[0]![0];
      } else {
        lo = p.codePointAt(this.pos)!;
        this.pos += lo > 0xffff ? 2 : 1;
        if (c === '-' && !wasFirst && p[this.pos] !== ']' && d !== 're2') {
          this.fail(prevRange ? '`-` right after a range (engines differ)' : 'unescaped `-` in the middle of a class', memberAt);
        }
      }
      // a range?
      if (p[this.pos] === '-' && p[this.pos + 1] !== ']' && p[this.pos + 1] !== undefined) {
        this.pos++;
        let hi: number;
        const hiAt = this.pos;
        if (p[this.pos] === '\\') {
          const item = this.escapeItem(true);
          if (item.k !== 'lit') this.fail('range to a class escape', hiAt);
          hi = item.rs[0]![0];
        } else {
          if (p[this.pos] === '[' && d !== 're2') this.fail('unescaped [ inside a class', hiAt);
          hi = p.codePointAt(this.pos)!;
          this.pos += hi > 0xffff ? 2 : 1;
        }
        if (hi < lo) this.fail('bad character range (end before start)', memberAt);
        lits.push([lo, hi]);
        prevRange = true;
      } else {
        lits.push([lo, lo]);
        prevRange = false;
      }
    }
    if (lits.length) items.unshift({ k: 'lit', rs: normalize(lits) });
    return { t: 'set', items, neg, i: this.flags.i, key: `${d}:${this.flags.i}:${p.slice(at, this.pos)}` };
  }
}

function applyFlags(f: Flags, on: string, off: string): Flags {
  const n = { ...f };
  for (const c of on) if (c === 'i' || c === 'm' || c === 's') n[c] = true;
  for (const c of off) if (c === 'i' || c === 'm' || c === 's') n[c] = false;
  return n;
}

/** Fixed match width of a node (null: variable). */
function width(n: Node): number | null {
  switch (n.t) {
    case 'set':
    case 'dot':
      return 1;
    case 'assert':
    case 'look':
      return 0;
    case 'group':
      return width(n.body);
    case 'seq': {
      let w = 0;
      for (const it of n.items) {
        const x = width(it);
        if (x === null) return null;
        w += x;
      }
      return w;
    }
    case 'alt': {
      const ws = n.alts.map(width);
      return ws.every((w) => w !== null && w === ws[0]) ? ws[0]! : null;
    }
    case 'rep': {
      const w = width(n.body);
      return w !== null && n.min === n.max ? w * n.min : null;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One engine's reading, as JavaScript source

/** Line terminators Java's `.` and `$` know (without UNIX_LINES). */
const JAVA_TERMINATORS = cps(0x0a, 0x0d, 0x85, 0x2028, 0x2029);
const JS_TERMINATORS = cps(0x0a, 0x0d, 0x2028, 0x2029);

/** Per engine: set key → JavaScript class (the printers repeat the same classes many times). */
const setCache = new Map<string, string>();

class Emitter {
  constructor(readonly engine: Engine) {}

  private perlSet(c: Perl): Range[] {
    switch (this.engine) {
      case 'python':
        return c === 'd' ? pyDigit() : c === 'w' ? pyWord() : PY_SPACE;
      case 'pcre':
        return c === 'd' ? ASCII_DIGIT : c === 'w' ? ASCII_WORD : PCRE_SPACE;
      default:
        return c === 'd' ? ASCII_DIGIT : c === 'w' ? ASCII_WORD : RE2_SPACE;
    }
  }

  /** The characters a class (or a literal, a Perl class...) matches in this engine. */
  set(n: Extract<Node, { t: 'set' }>): Range[] {
    const e = this.engine;
    let lits: Range[] = [];
    const others: Range[][] = [];
    for (const it of n.items) {
      if (it.k === 'lit') lits = union(lits, it.rs);
      else {
        const pos = it.k === 'perl' ? this.perlSet(it.c) : it.rs;
        if (e === 're2' && n.i) {
          // RE2 folds Perl, POSIX and Unicode groups too; a negated group under (?i) is the
          // complement of the folded positive group (parse.cc AddUGroup)
          const folded = foldSet(pos, e);
          others.push(it.neg ? complement(folded) : folded);
        } else others.push(it.neg ? complement(pos) : pos);
      }
    }
    if (n.i) lits = foldSet(lits, e);
    const all = union(lits, ...others);
    return n.neg ? complement(all) : all;
  }

  emit(n: Node): string {
    const e = this.engine;
    switch (n.t) {
      case 'set': {
        const key = `${e}:${n.key}`;
        let s = setCache.get(key);
        if (s === undefined) {
          s = jsClass(this.set(n));
          if (setCache.size > 5000) setCache.clear();
          setCache.set(key, s);
        }
        return s;
      }
      case 'dot':
        if (n.s) return '[\\s\\S]';
        return jsClass(complement(e === 'java' ? JAVA_TERMINATORS : e === 'js' ? JS_TERMINATORS : cps(0x0a)));
      case 'assert':
        return this.assertion(n.k);
      case 'seq':
        return n.items.map((x) => this.emit(x)).join('');
      case 'alt':
        return '(?:' + n.alts.map((x) => this.emit(x)).join('|') + ')';
      case 'group':
        return '(?:' + this.emit(n.body) + ')';
      case 'look':
        return `(?${n.behind ? '<' : ''}${n.neg ? '!' : '='}${this.emit(n.body)})`;
      case 'rep': {
        const q =
          n.min === 0 && n.max === Infinity
            ? '*'
            : n.min === 1 && n.max === Infinity
              ? '+'
              : n.min === 0 && n.max === 1
                ? '?'
                : n.max === Infinity
                  ? `{${n.min},}`
                  : n.min === n.max
                    ? `{${n.min}}`
                    : `{${n.min},${n.max}}`;
        return `(?:${this.emit(n.body)})${q}`;
      }
    }
  }

  private assertion(k: Assert): string {
    const e = this.engine;
    const pyWordClass = () => jsClass(pyWord());
    switch (k) {
      case 'bot':
        return '^';
      case 'eot':
        return '$';
      case 'dollar':
        // RE2 and JavaScript: end of text. Python, PCRE2: also before a final \n (pcre2pattern
        // "Circumflex and dollar"; docs.python.org/3/library/re.html `$`). Java: also before a final
        // line terminator (\r\n, \n, \r, \u0085, \u2028, \u2029), but not between \r and \n.
        if (e === 're2' || e === 'js') return '$';
        if (e === 'java') return '(?:$|(?=\\r\\n$)|(?<!\\r)(?=\\n$)|(?=[\\r\\u0085\\u2028\\u2029]$))';
        return '(?=\\n?$)';
      case 'bol':
        // RE2 and Python: at the start and after every \n (also a final one); PCRE2: not after a
        // newline that ends the subject (php.net/regexp.reference.anchors.php, PCRE_MULTILINE)
        if (e === 'pcre') return '(?:^|(?<=\\n)(?!$))';
        return '(?<=^|\\n)';
      case 'eol':
        return '(?=\\n|$)';
      case 'wordb':
      case 'nwordb': {
        if (e === 'python') {
          const w = pyWordClass();
          const b = `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
          // Python before 3.14: \B never matches an empty string (docs.python.org/3.11/library/re.html)
          return k === 'wordb' ? b : `(?!^$)(?!${b})`;
        }
        // RE2, PCRE2 without UCP: ASCII word characters, like JavaScript's \b without the i flag
        return k === 'wordb' ? '\\b' : '\\B';
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// API

/** A pattern quoted for a message. */
function describe(p: string): string {
  return p.length > 60 ? JSON.stringify(p.slice(0, 57) + '...') : JSON.stringify(p);
}

/**
 * Read `pattern` as the dialect's engines do. `flags` are the target's own modifiers (Sigma `|i`,
 * `|m`, `|s`; YARA-L `nocase` as `i`). Throws `Refusal` for anything it cannot read exactly.
 */
export function compileTargetRegex(pattern: string, dialect: Dialect, flags: { i?: boolean; m?: boolean; s?: boolean } = {}): TargetRegex {
  // read once per pattern, dialect and flags (the KQL and Sentinel artifacts hold the same regexes; a reading
  // holds no state: its RegExps have neither the g nor the y flag), a refusal too
  const key = `${dialect}\u0000${flags.i ? 'i' : ''}${flags.m ? 'm' : ''}${flags.s ? 's' : ''}\u0000${pattern}`;
  let hit = compiledRegexes.get(key);
  if (!hit) {
    try {
      hit = { re: compileOnce(pattern, dialect, flags) };
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      hit = { refused: e };
    }
    if (compiledRegexes.size > 10000) compiledRegexes.clear();
    compiledRegexes.set(key, hit);
  }
  if ('refused' in hit) throw new Refusal(hit.refused.what);
  return hit.re;
}

const compiledRegexes = new Map<string, { re: TargetRegex } | { refused: Refusal }>();

function compileOnce(pattern: string, dialect: Dialect, flags: { i?: boolean; m?: boolean; s?: boolean }): TargetRegex {
  const parser = new Parser(pattern, dialect, { i: !!flags.i, m: !!flags.m, s: !!flags.s });
  const tree = parser.parse();
  if (dialect === 'portable') checkPortable(tree, parser);
  const readings: { engines: Engine[]; re: RegExp }[] = [];
  for (const engine of ENGINES[dialect]) {
    const src = new Emitter(engine).emit(tree);
    const same = readings.find((x) => x.re.source === src);
    if (same) same.engines.push(engine);
    else {
      let re: RegExp;
      try {
        re = new RegExp(src, 'u');
      } catch (err) {
        throw new Refusal(`${DIALECT_NAME[dialect]} regex: cannot be run (${(err as Error).message})`);
      }
      readings.push({ engines: [engine], re });
    }
  }
  return {
    test(s: string): boolean {
      // one reading (every engine of the dialect reads the pattern alike, as for most patterns): its answer
      if (readings.length === 1) return (readings[0] as { re: RegExp }).re.test(s);
      const results = readings.map((x) => x.re.test(s));
      if (results.every((b) => b === results[0])) return results[0]!;
      const say = readings.map((x, k) => `${x.engines.map((e) => ENGINE_NAME[e]).join(', ')}: ${results[k]}`).join('; ');
      throw new Refusal(`${DIALECT_NAME[dialect]} regex ${describe(pattern)}: the engines read it differently on this value (${say})`);
    },
  };
}

/** Portable: refuse multi-line anchors (engines break lines at different characters). */
function checkPortable(n: Node, parser: Parser): void {
  const walk = (x: Node): void => {
    switch (x.t) {
      case 'assert':
        if (x.k === 'bol' || x.k === 'eol') parser.fail('multi-line ^ or $ (engines break lines at different characters)', 0);
        return;
      case 'seq':
        x.items.forEach(walk);
        return;
      case 'alt':
        x.alts.forEach(walk);
        return;
      case 'group':
      case 'look':
      case 'rep':
        walk(x.body);
        return;
      default:
        return;
    }
  };
  walk(n);
}
