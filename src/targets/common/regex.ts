/**
 * Regular expressions shared by the targets: Python `re` patterns translated for the targets' regex
 * engines, fnmatch globs, and literal text escaped for use inside a regex. The output never contains
 * a raw control character (they become `\xhh`), so a target only has to deal with its own delimiter
 * (`/`, a backtick, a quote).
 *
 * The translation parses the Python pattern and re-emits it with Python's meaning (str patterns):
 *
 * | Python | re2 (KQL `matches regex`, YARA-L) | pcre (Sigma `re`: read by pySigma with Python's `re` and by PCRE backends) | portable (Logs Insights: flavour undocumented) |
 * |---|---|---|---|
 * | `\d` `\D` (Unicode decimal digits) | `\p{Nd}` `\P{Nd}` | the explicit ranges of Nd, `[0-9٠-٩...]` and its complement | same as pcre |
 * | `\w` `\W` (str.isalnum() or `_`) | `[\p{L}\p{N}_]` `[^\p{L}\p{N}_]` (`(?-i:...)` under case folding) | the explicit ranges of L, N and `_`, and their complement | same as pcre |
 * | `\s` `\S` (str.isspace()) | the explicit set `[\x09-\x0d\x1c-\x20\x85\xa0\x{1680}...]` | the same set with literal characters | the same set, U+2028 and U+2029 (which have no spelling of their own every engine reads alike) as `[^\x00-‧<U+202A>-<U+10FFFF>]` beside it: `(?:[...]\|[^...])` |
 * | `\b` `\B` (Unicode word boundary) | refused (RE2's `\b` is ASCII only); with `re.A`: `\b` | refused | refused |
 * | `.` (all but `\n`) | `.` (RE2 and PCRE exclude only `\n` too); `[^\n]` for YARA-L, whose regexes run under `(?s)` (option `dotAll`) | `.` | `[^\n]`, `[\s\S]` under DOTALL |
 * | `$` (end, or before a final `\n`) | at the pattern's end `(?:$|\n\z)` (right in either multi-line mode), nothing for fullmatch | `$` (PCRE's `$` without the D flag means the same) | at the pattern's end `\n?$`, nothing for fullmatch; wider where `$` also matches before a final line break (see `portableEndNote`) |
 * | `^`, `$` under MULTILINE (`\n` only) | `^`, `$` | `^` (refused when the rest may match empty at the end), `$` | refused (Java-style engines also break lines at `\r`, `\u2028`...) |
 * | `\A` | `\A` | `\A` | `^` (the `m` flag is dropped: only `^`/`$` read it, and those are refused under it) |
 * | `\Z` (end of text), re.fullmatch's end | `\z` | `(?![\s\S])` (Python before 3.14 has no `\z`) | `$` (wider, as above) |
 * | a character outside ASCII | itself, `\x{...}` for line separators and hex-escaped ones | itself; `\xhh` for controls up to U+00FF | itself; `\xhh` for controls up to U+00FF; U+2028/U+2029 refused |
 * | IGNORECASE (Python: `lower()` equality plus `re._casefix`) | engine folding (Unicode simple case folding), except that `i`, `I`, `ı`, `İ` are spelled `[iIıİ]` (Python folds the four together, simple case folding does not) | same as re2 | every cased character other than an ASCII letter spelled as its Python class, `(?-i:[...])` |
 * | `{,n}`, a `{` that is no repeat | `{0,n}`, `\{` | same | same |
 * | counts above 1000 | refused (RE2's limit) | same | same |
 *
 * pcre output uses only what Python's `re` (3.11, which pySigma compiles Sigma regexes with) and PCRE
 * read alike: no `\x{...}`, `\p{...}`, `\z`, `\u`. portable output uses no `\x{...}`, `\p{...}`, `\A`,
 * `\z` and no lookaround (RE2 has none); its one ambiguity, `$` before a final line break, is reported.
 *
 * Lookaround, backreferences, conditionals, atomic groups, possessive quantifiers, verbose mode and
 * `\N{...}` are refused. Refusals say why; the printers replace the regex by its superset
 * and report it (`ok: false`).
 *
 * The default engine is `re2`. `$` and the word
 * boundaries depend on the match mode (search, match, fullmatch): `pyToRe2` translates for every
 * mode and `anchorRe` picks the right one for the text `pyToRe2` returned.
 */
import { unicodeTable } from '../../unicodetables.js';

export type ReResult = { ok: true; re: string } | { ok: false; why: string };

/**
 * re2: RE2 (KQL, YARA-L). pcre: PCRE (Sigma's `re`; flags may come as modifiers). portable: only
 * constructs whose meaning is the same in RE2, PCRE and Java-style engines (`.`, anchors and
 * case folding spelled out).
 */
export type ReEngine = 're2' | 'pcre' | 'portable';

export interface ReOptions {
  /** Characters that must not appear raw in the output (they become `\xhh`). */
  delims?: string;
  engine?: ReEngine;
  /** The caller applies case-insensitive matching to the result (e.g. prefixes `(?i)`); translate for it. */
  ci?: boolean;
  /**
   * re2 only: the caller runs the result under `(?s)` (YARA-L, whose `re.regex` otherwise searches the
   * first line of a multi-line value only), so Python's `.` without DOTALL is written `[^\n]`.
   */
  dotAll?: boolean;
}

const META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$']);

function hex2(c: number): string {
  return c.toString(16).padStart(2, '0');
}

/** Latin-1 characters written as `\xhh` by every engine: C0 and C1 controls, DEL, no-break space, soft hyphen. */
const isHexLatin1 = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xad;

/** A code point as RE2/PCRE text outside a character class. */
function escCodePoint(cp: number): string {
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex2(cp)}`;
  if (cp === 0x85) return '\\x85';
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

// ---------------------------------------------------------------------------------------------
// Python's character sets and case folding

/** Python's str.isspace() (what `\s` matches in a str pattern), as code point ranges. */
const PY_SPACE: [number, number][] = [
  [0x09, 0x0d],
  [0x1c, 0x20],
  [0x85, 0x85],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];
/**
 * PY_SPACE as RE2 class members: U+0009-000D, U+001C-001F, U+0085 and the separators \p{Z} (U+0020, U+00A0,
 * U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000): the same set (test/regex.test.ts holds them equal).
 */
export const RE2_PY_SPACE = '\\x09-\\x0d\\x1c-\\x1f\\x85\\p{Z}';
/** `\s` with re.ASCII: [ \t\n\r\f\v]. */
const ASCII_SPACE: [number, number][] = [
  [0x09, 0x0d],
  [0x20, 0x20],
];
const ASCII_WORD: [number, number][] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
const ASCII_DIGIT: [number, number][] = [[0x30, 0x39]];
const MAX_CP = 0x10ffff;

/** The code point ranges a JavaScript `u` regex matches (lone surrogates left out). */
function rangesOf(re: RegExp): [number, number][] {
  const out: [number, number][] = [];
  for (let cp = 0; cp <= MAX_CP; cp++) {
    if (cp === 0xd800) cp = 0xe000;
    if (!re.test(String.fromCodePoint(cp))) continue;
    const last = out[out.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else out.push([cp, cp]);
  }
  return out;
}

/*
 * Python's Unicode `\d` (category Nd) and `\w` (str.isalnum() or `_`: categories L and N) as explicit
 * ranges, for the engines that read neither `\p{...}` nor a Unicode `\d`/`\w` like Python (pcre,
 * portable). Computed once from the JavaScript engine's own Unicode tables, which are also what the
 * evaluator (src/ast/regex.ts) and RE2's `\p{Nd}` stand for.
 * Unicode versions: CPython 3.11 has Unicode 14.0; Node 20 here has 17.0. The sets compared on every
 * code point: Node's are strict supersets. Nd adds 10 digit blocks assigned in Unicode 15-17
 * (U+10D40-10D49, U+116D0-116E3, U+11BF0-11BF9, U+11DE0-11DE9, U+11F50-11F59, U+16130-16139,
 * U+16D70-16D79, U+1CCF0-1CCF9, U+1E4F0-1E4F9, U+1E5F1-1E5FA); `\w` adds 14049 code points (those and
 * the letters assigned since, e.g. U+31350-33479). CPython 3.11 reads them as unassigned (not `\d`/`\w`),
 * so on text holding them the translation is wider for `\d`/`\w` and narrower for `\D`/`\W` than
 * CPython 3.11, and equal to a CPython built on the same Unicode version.
 */
const pyDigitRanges = unicodeTable('regex.nd', () => rangesOf(/\p{Nd}/u));
const pyWordRanges = unicodeTable('regex.word', () => rangesOf(/[\p{L}\p{N}_]/u));

/** Code point ranges sorted and merged (as `complement` reads them). */
function normalizeRanges(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

/**
 * Python's extra case equivalences (`re._casefix._EXTRA_CASES`, CPython 3.11): lowercase code point →
 * other lowercase code points that match it under IGNORECASE.
 */
const PY_EXTRA_CASES: Record<number, number[]> = {
  0x69: [0x131], 0x73: [0x17f], 0xb5: [0x3bc], 0x131: [0x69], 0x17f: [0x73], 0x345: [0x3b9, 0x1fbe],
  0x390: [0x1fd3], 0x3b0: [0x1fe3], 0x3b2: [0x3d0], 0x3b5: [0x3f5], 0x3b8: [0x3d1], 0x3b9: [0x345, 0x1fbe],
  0x3ba: [0x3f0], 0x3bc: [0xb5], 0x3c0: [0x3d6], 0x3c1: [0x3f1], 0x3c2: [0x3c3], 0x3c3: [0x3c2], 0x3c6: [0x3d5],
  0x3d0: [0x3b2], 0x3d1: [0x3b8], 0x3d5: [0x3c6], 0x3d6: [0x3c0], 0x3f0: [0x3ba], 0x3f1: [0x3c1], 0x3f5: [0x3b5],
  0x432: [0x1c80], 0x434: [0x1c81], 0x43e: [0x1c82], 0x441: [0x1c83], 0x442: [0x1c84, 0x1c85], 0x44a: [0x1c86],
  0x463: [0x1c87], 0x1c80: [0x432], 0x1c81: [0x434], 0x1c82: [0x43e], 0x1c83: [0x441], 0x1c84: [0x442, 0x1c85],
  0x1c85: [0x442, 0x1c84], 0x1c86: [0x44a], 0x1c87: [0x463], 0x1c88: [0xa64b], 0x1e61: [0x1e9b], 0x1e9b: [0x1e61],
  0x1fbe: [0x345, 0x3b9], 0x1fd3: [0x390], 0x1fe3: [0x3b0], 0xa64b: [0x1c88], 0xfb05: [0xfb06], 0xfb06: [0xfb05],
};

/** Python's `_sre.unicode_tolower`: the first code point of the full lowercase mapping. */
function pyLower(cp: number): number {
  if (cp >= 0xd800 && cp <= 0xdfff) return cp;
  return String.fromCodePoint(cp).toLowerCase().codePointAt(0)!;
}

/** Code point → every code point Python's IGNORECASE matches it with (only for cased ones); stored by the build. */
const pyCaseClasses = unicodeTable('regex.pyCaseClasses', computeCaseClasses, {
  toJson: (m: Map<number, number[]>) => [...m],
  fromJson: (j: [number, number[]][]) => new Map(j),
});

function computeCaseClasses(): Map<number, number[]> {
  // the code points lowering to each code point, kept only where one lowers to another: every other code point
  // lowers to itself alone, its class is itself (not kept). (A table of all 128 Ki code points with a class per
  // code point cost ~65 MB of allocation and ~0.25 s of every thread that met a case-insensitive regex.)
  const lower = new Int32Array(0x20000);
  const byLower = new Map<number, number[]>();
  for (let cp = 0; cp < 0x20000; cp++) {
    const l = pyLower(cp);
    lower[cp] = l;
    if (l === cp) continue;
    let g = byLower.get(l);
    if (!g) byLower.set(l, (g = []));
    g.push(cp);
  }
  // the code points lowering to k, in order (k itself when it lowers to itself)
  const group = (k: number): number[] => {
    const g = byLower.get(k);
    const self = k < 0x20000 && lower[k] === k;
    if (!g) return [k];
    return self ? [k, ...g].sort((a, b) => a - b) : g;
  };
  const caseClasses = new Map<number, number[]>();
  for (let cp = 0; cp < 0x20000; cp++) {
    const l = lower[cp]!;
    // alone: lowers to itself, nothing else lowers to it, no extra Python case
    if (l === cp && !byLower.has(l) && PY_EXTRA_CASES[l] === undefined) continue;
    const members = [l, ...(PY_EXTRA_CASES[l] ?? [])].flatMap(group);
    const uniq = [...new Set(members)].sort((a, b) => a - b);
    if (uniq.length > 1) caseClasses.set(cp, uniq);
  }
  return caseClasses;
}

let caseIdx: { cps: Int32Array; classes: number[][] } | undefined;
/** pyCaseClasses as two lists by code point, ascending. */
function caseIndex(): { cps: Int32Array; classes: number[][] } {
  if (caseIdx) return caseIdx;
  const m = pyCaseClasses();
  const cps = Int32Array.from(m.keys()).sort();
  return (caseIdx = { cps, classes: Array.from(cps, (cp) => m.get(cp) as number[]) });
}

/** Every code point Python's IGNORECASE (str pattern, not re.ASCII) matches `cp` with. */
export function pyCaseClass(cp: number): number[] {
  return pyCaseClasses().get(cp) ?? [cp];
}

/** The four code points Python folds together and Unicode simple case folding (RE2, PCRE) does not. */
const I_FAMILY = [0x49, 0x69, 0x130, 0x131];

const isAsciiLetter = (cp: number) => (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);

// ---------------------------------------------------------------------------------------------
// The parse tree

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  a: boolean;
  x: boolean;
}

type Perl = 'd' | 'D' | 'w' | 'W' | 's' | 'S';
type ClassItem = { t: 'range'; lo: number; hi: number; hex?: boolean } | { t: 'perl'; k: Perl };

type Node =
  | { t: 'char'; cp: number; hex: boolean; f: Flags }
  | { t: 'any'; f: Flags }
  | { t: 'class'; neg: boolean; items: ClassItem[]; f: Flags }
  | { t: 'perl'; k: Perl; f: Flags }
  | { t: 'bol'; f: Flags }
  | { t: 'eol'; f: Flags }
  | { t: 'bot' }
  | { t: 'eot' }
  | { t: 'wordb'; neg: boolean; f: Flags }
  | { t: 'group'; cap: boolean; name?: string; flags?: { on: string; off: string }; body: Node }
  | { t: 'alt'; alts: Node[] }
  | { t: 'seq'; items: Node[] }
  | { t: 'rep'; body: Node; min: number; max: number; lazy: boolean };

class Refuse extends Error {}
const refuse = (why: string): never => {
  throw new Refuse(why);
};

const REPEAT = /^\{(\d*)(?:(,)(\d*))?\}/;

class Parser {
  i = 0;
  /** Something other than global flags has been read (Python takes global flags only at the start). */
  started = false;
  constructor(
    readonly p: string,
    public flags: Flags,
  ) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.p.length) refuse(this.p[this.i] === ')' ? 'unbalanced parenthesis' : `unexpected ${this.p[this.i]}`);
    return n;
  }

  private alt(): Node {
    const alts = [this.seq()];
    while (this.p[this.i] === '|') {
      this.i++;
      alts.push(this.seq());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      if (this.flags.x && this.skipVerbose()) continue;
      const atom = this.atom();
      if (atom === null) continue;
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  /** Verbose mode: skip whitespace and `#` comments outside classes. */
  private skipVerbose(): boolean {
    const c = this.p[this.i]!;
    if (/\s/.test(c)) {
      this.i++;
      return true;
    }
    if (c === '#') {
      while (this.i < this.p.length && this.p[this.i] !== '\n') this.i++;
      return true;
    }
    return false;
  }

  private quantified(atom: Node): Node {
    if (this.flags.x) while (this.i < this.p.length && this.skipVerbose());
    const c = this.p[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = REPEAT.exec(this.p.slice(this.i));
      if (!m || (m[1] === '' && m[2] === undefined)) return atom; // a literal `{` (read by atom())
      min = m[1] === '' ? 0 : Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) refuse('min repeat greater than max repeat');
      if (min > 1000 || (max !== Infinity && max > 1000)) refuse('repetition counts above 1000 are not supported by RE2');
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (atom.t === 'bol' || atom.t === 'eol' || atom.t === 'bot' || atom.t === 'eot' || atom.t === 'wordb') refuse('nothing to repeat');
    let lazy = false;
    if (this.p[this.i] === '?') {
      lazy = true;
      this.i++;
    } else if (this.p[this.i] === '+') refuse('possessive quantifiers are not supported by RE2');
    if (this.flags.x) while (this.i < this.p.length && this.skipVerbose());
    const nx = this.p[this.i];
    if (nx === '*' || nx === '+' || nx === '?' || (nx === '{' && this.validRepeat(this.i))) refuse('multiple repeat');
    return { t: 'rep', body: atom, min, max, lazy };
  }

  private validRepeat(at: number): boolean {
    const m = REPEAT.exec(this.p.slice(at));
    return !!m && !(m[1] === '' && m[2] === undefined);
  }

  private f(): Flags {
    return { ...this.flags };
  }

  private atom(): Node | null {
    const p = this.p;
    const c = p[this.i]!;
    if (c === '(') return this.group();
    this.started = true;
    if (c === '[') return this.cls();
    if (c === '\\') return this.escape();
    this.i++;
    this.started = true;
    if (c === '.') return { t: 'any', f: this.f() };
    if (c === '^') return { t: 'bol', f: this.f() };
    if (c === '$') return { t: 'eol', f: this.f() };
    if (c === '*' || c === '+' || c === '?') refuse('nothing to repeat');
    if (c === '{' && this.validRepeat(this.i - 1)) refuse('nothing to repeat');
    this.started = true;
    const cp = p.codePointAt(this.i - 1)!;
    if (cp > 0xffff) this.i++;
    return { t: 'char', cp, hex: false, f: this.f() };
  }

  private group(): Node | null {
    const p = this.p;
    const wasStarted = this.started;
    this.i++; // (
    this.started = true;
    if (p[this.i] !== '?') return this.groupBody({ cap: true });
    const rest = p.slice(this.i + 1);
    if (/^(=|!|<=|<!)/.test(rest)) refuse('lookaround is not supported by RE2');
    if (rest.startsWith('P=')) refuse('backreferences are not supported by RE2');
    if (rest.startsWith('(')) refuse('conditional groups are not supported by RE2');
    if (rest.startsWith('>')) refuse('atomic groups are not supported by RE2');
    if (rest.startsWith('#')) {
      const end = p.indexOf(')', this.i);
      if (end < 0) refuse('unterminated comment group');
      this.i = end + 1;
      this.started = wasStarted;
      return null;
    }
    const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named) {
      this.i += 1 + named[0].length;
      return this.groupBody({ cap: true, name: named[1] });
    }
    if (rest.startsWith(':')) {
      this.i += 2;
      return this.groupBody({ cap: false });
    }
    const m = /^([aiLmsux]*)(?:-([imsx]*))?([:)])/.exec(rest);
    if (!m || (m[1] === '' && m[2] === undefined)) refuse('unsupported group syntax');
    const on = m![1]!;
    const off = m![2] ?? '';
    if (on.includes('L')) refuse('re.LOCALE applies to bytes patterns only');
    this.i += 1 + m![0].length;
    if (m![3] === ')') {
      this.started = wasStarted;
      // global flags: Python only accepts them at the start of the pattern
      if (off) refuse('global flags cannot be turned off');
      if (this.started) refuse('global flags not at the start of the expression');
      if (on.includes('x')) refuse('verbose (re.X) patterns are not supported');
      for (const fl of on) if (fl in this.flags) this.flags[fl as keyof Flags] = true;
      return null;
    }
    const saved = this.flags;
    this.flags = { ...saved };
    if (on.includes('x') || off.includes('x')) refuse('verbose (re.X) patterns are not supported');
    for (const fl of on) if (fl in this.flags) this.flags[fl as keyof Flags] = true;
    for (const fl of off) if (fl in this.flags) this.flags[fl as keyof Flags] = false;
    const keep = (s: string) => s.replace(/[^ims]/g, '');
    const body = this.alt();
    this.flags = saved;
    if (p[this.i] !== ')') refuse('missing ), unterminated subpattern');
    this.i++;
    return { t: 'group', cap: false, flags: { on: keep(on), off: keep(off) }, body };
  }

  private groupBody(g: { cap: boolean; name?: string }): Node {
    const saved = this.flags;
    this.flags = { ...saved };
    const body = this.alt();
    this.flags = saved;
    if (this.p[this.i] !== ')') refuse('missing ), unterminated subpattern');
    this.i++;
    return { t: 'group', ...g, body };
  }

  /** An escape outside a class. */
  private escape(): Node {
    const e = this.escapeAny(false);
    if (e.t === 'char') return { t: 'char', cp: e.cp, hex: e.hex, f: this.f() };
    if (e.t === 'perl') return { t: 'perl', k: e.k, f: this.f() };
    if (e.k === 'A') return { t: 'bot' };
    if (e.k === 'Z') return { t: 'eot' };
    return { t: 'wordb', neg: e.k === 'B', f: this.f() };
  }

  /** Read one escape at `this.i` (a backslash). */
  private escapeAny(inClass: boolean): { t: 'char'; cp: number; hex: boolean } | { t: 'perl'; k: Perl } | { t: 'assert'; k: 'A' | 'Z' | 'b' | 'B' } {
    const p = this.p;
    const nx = p[this.i + 1];
    if (nx === undefined) refuse('trailing backslash');
    const start = this.i;
    this.i += 2;
    const hexChar = (digits: string, len: number) => {
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) refuse(`bad escape ${p.slice(start, start + 2)}`);
      this.i += len;
      const cp = parseInt(digits, 16);
      if (cp > MAX_CP) refuse('bad escape (code point out of range)');
      return { t: 'char' as const, cp, hex: true };
    };
    switch (nx) {
      case 'x':
        return hexChar(p.slice(this.i, this.i + 2), 2);
      case 'u':
        return hexChar(p.slice(this.i, this.i + 4), 4);
      case 'U':
        return hexChar(p.slice(this.i, this.i + 8), 8);
      case 'N':
        return refuse('\\N{...} escapes are not supported');
      case 'a':
        return { t: 'char', cp: 7, hex: true };
      case 'f':
        return { t: 'char', cp: 12, hex: true };
      case 'n':
        return { t: 'char', cp: 10, hex: true };
      case 'r':
        return { t: 'char', cp: 13, hex: true };
      case 't':
        return { t: 'char', cp: 9, hex: true };
      case 'v':
        return { t: 'char', cp: 11, hex: true };
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
        return { t: 'perl', k: nx };
      case 'b':
        if (inClass) return { t: 'char', cp: 8, hex: true };
        return { t: 'assert', k: 'b' };
      case 'A':
      case 'Z':
      case 'B':
        if (inClass) refuse(`bad escape \\${nx} in a character class`);
        return { t: 'assert', k: nx };
    }
    if (/[0-7]/.test(nx)) {
      // octal: \0, \0o, \0oo, or three octal digits; otherwise a backreference
      const m = /^[0-7]{1,3}/.exec(p.slice(start + 1))![0];
      if (nx === '0' || m.length === 3 || inClass) {
        const oct = nx === '0' ? /^0[0-7]{0,2}/.exec(p.slice(start + 1))![0] : m;
        const cp = parseInt(oct, 8);
        if (cp > 0o377) refuse('octal escape value outside of range 0-0o377');
        this.i = start + 1 + oct.length;
        return { t: 'char', cp, hex: true };
      }
      return refuse('backreferences are not supported by RE2');
    }
    if (/[89]/.test(nx)) return refuse(inClass ? `bad escape \\${nx}` : 'backreferences are not supported by RE2');
    if (/[A-Za-z]/.test(nx)) return refuse(`bad escape \\${nx}`);
    const cp = p.codePointAt(start + 1)!;
    if (cp > 0xffff) this.i++;
    return { t: 'char', cp, hex: false };
  }

  private cls(): Node {
    const p = this.p;
    const f = this.f();
    this.i++; // [
    let neg = false;
    if (p[this.i] === '^') {
      neg = true;
      this.i++;
    }
    const items: ClassItem[] = [];
    let first = true;
    const one = (): ClassItem => {
      if (p[this.i] === '\\') {
        const e = this.escapeAny(true);
        if (e.t === 'perl') return e;
        if (e.t === 'assert') return refuse('bad escape in a character class');
        return { t: 'range', lo: e.cp, hi: e.cp, hex: e.hex };
      }
      const cp = p.codePointAt(this.i)!;
      this.i += cp > 0xffff ? 2 : 1;
      return { t: 'range', lo: cp, hi: cp };
    };
    for (;;) {
      if (this.i >= p.length) refuse('unterminated character set');
      if (p[this.i] === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      const lo = one();
      if (p[this.i] === '-' && p[this.i + 1] !== ']' && this.i + 1 < p.length) {
        this.i++;
        const hi = one();
        if (lo.t !== 'range' || hi.t !== 'range') refuse('bad character range');
        const [l, h] = [lo as Extract<ClassItem, { t: 'range' }>, hi as Extract<ClassItem, { t: 'range' }>];
        if (h.lo < l.lo) refuse('bad character range');
        items.push({ t: 'range', lo: l.lo, hi: h.lo, hex: l.hex || h.hex });
      } else items.push(lo);
    }
    return { t: 'class', neg, items, f };
  }
}

// ---------------------------------------------------------------------------------------------
// Emitting

type Anchor = 'search' | 'match' | 'fullmatch';

interface Ctx {
  engine: ReEngine;
  delims: string;
  anchor: Anchor;
  /** re2: the result runs under `(?s)` (ReOptions.dotAll). */
  dotAll?: boolean;
}

const nullable = (n: Node): boolean => {
  switch (n.t) {
    case 'char':
    case 'any':
    case 'class':
    case 'perl':
      return false;
    case 'group':
      return nullable(n.body);
    case 'alt':
      return n.alts.some(nullable);
    case 'seq':
      return n.items.every(nullable);
    case 'rep':
      return n.min === 0 || nullable(n.body);
    default:
      return true;
  }
};

class Emitter {
  constructor(readonly ctx: Ctx) {}

  /**
   * pcre and portable: a code point neither writes as itself nor as `\xhh` (no `\x{...}` there).
   * Lone surrogates cannot be in UTF-8 text; U+2028/U+2029 must not be raw in a Logs Insights query.
   */
  private unwritable(cp: number): void {
    if (this.ctx.engine === 're2') return;
    if (cp >= 0xd800 && cp <= 0xdfff) refuse(`a lone surrogate (U+${cp.toString(16).toUpperCase()}) cannot be written for this engine`);
    if (this.ctx.engine === 'portable' && (cp === 0x2028 || cp === 0x2029))
      refuse(`U+${cp.toString(16).toUpperCase()} has no spelling every regex engine reads alike (no \\x{...}, and it cannot be raw in the query)`);
  }

  /** A code point inside a class. */
  private classCp(cp: number): string {
    const ch = String.fromCodePoint(cp);
    const re2 = this.ctx.engine === 're2';
    if (this.ctx.delims.includes(ch)) return cp < 0x100 ? `\\x${hex2(cp)}` : `\\x{${cp.toString(16)}}`;
    if (cp < 0x20 || cp === 0x7f) return `\\x${hex2(cp)}`;
    if (!re2) {
      this.unwritable(cp);
      if (isHexLatin1(cp)) return `\\x${hex2(cp)}`;
      // `&&`, `~~`, `||` in a class make Python warn of future set operations
      return '\\]^-[&~|'.includes(ch) ? '\\' + ch : ch;
    }
    if (cp === 0x85 || cp === 0x2028 || cp === 0x2029 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0xffff) return `\\x{${cp.toString(16)}}`;
    if ('\\]^-['.includes(ch)) return '\\' + ch;
    return ch;
  }

  /** Class members; `gen`: a generated set (not the pattern's own characters), written in hex beyond ASCII (re2). */
  private classRanges(ranges: [number, number][], gen = false): string {
    if (this.ctx.engine !== 're2') {
      // lone surrogates cannot be written (nor occur in UTF-8 text): left out of generated sets
      const split: [number, number][] = [];
      for (const [lo, hi] of ranges) {
        if (!gen || hi < 0xd800 || lo > 0xdfff) split.push([lo, hi]);
        else {
          if (lo < 0xd800) split.push([lo, 0xd7ff]);
          if (hi > 0xdfff) split.push([0xe000, hi]);
        }
      }
      const one = (cp: number) => (gen && cp <= 0x20 ? `\\x${hex2(cp)}` : this.classCp(cp));
      return split.map(([lo, hi]) => (lo === hi ? one(lo) : `${one(lo)}-${one(hi)}`)).join('');
    }
    const one = (cp: number) => (gen && (cp <= 0x20 || cp > 0x7e) ? (cp <= 0xff ? `\\x${hex2(cp)}` : `\\x{${cp.toString(16)}}`) : this.classCp(cp));
    return ranges.map(([lo, hi]) => (lo === hi ? one(lo) : `${one(lo)}-${one(hi)}`)).join('');
  }

  /** A literal code point outside a class (`hex`: the pattern wrote it as an escape). */
  private litCp(cp: number, hex: boolean): string {
    const ch = String.fromCodePoint(cp);
    if (this.ctx.delims.includes(ch)) return cp < 0x100 ? `\\x${hex2(cp)}` : `\\x{${cp.toString(16)}}`;
    if (META.has(ch)) return '\\' + ch;
    if (this.ctx.engine !== 're2') {
      this.unwritable(cp);
      return isHexLatin1(cp) ? `\\x${hex2(cp)}` : ch;
    }
    if (hex && cp > 0x7f) return `\\x{${cp.toString(16)}}`;
    return escCodePoint(cp);
  }

  /** Ranges of a Perl class as Python means it (Unicode, or ASCII with re.ASCII). */
  private perlRanges(k: Perl, ascii: boolean): [number, number][] | null {
    // re2 reads \p{Nd}, \p{L}, \p{N}; the other engines get the sets spelled out
    const uni = this.ctx.engine !== 're2';
    switch (k) {
      case 's':
        return ascii ? ASCII_SPACE : PY_SPACE;
      case 'S':
        return complement(ascii ? ASCII_SPACE : PY_SPACE);
      case 'd':
        return ascii ? ASCII_DIGIT : uni ? pyDigitRanges() : null;
      case 'D':
        return ascii ? complement(ASCII_DIGIT) : uni ? complement(pyDigitRanges()) : null;
      case 'w':
        return ascii ? ASCII_WORD : uni ? pyWordRanges() : null;
      case 'W':
        return ascii ? complement(ASCII_WORD) : uni ? complement(pyWordRanges()) : null;
    }
  }

  /** A Perl class as the members of a class (null: not expressible inside a class: Unicode \W). */
  private perlInClass(k: Perl, ascii: boolean): string | null {
    // re2: Python's \s is the separators (\p{Z}: Zs, Zl, Zp) and the ASCII and C1 controls isspace() adds
    if (k === 's' && !ascii && this.ctx.engine === 're2') return RE2_PY_SPACE;
    const r = this.perlRanges(k, ascii);
    if (r) return this.classRanges(r, true);
    if (k === 'd') return '\\p{Nd}';
    if (k === 'D') return '\\P{Nd}';
    if (k === 'w') return '\\p{L}\\p{N}_';
    return null;
  }

  private perl(n: Extract<Node, { t: 'perl' }>): string {
    const ascii = n.f.a;
    let out: string;
    const re2 = this.ctx.engine === 're2';
    if (re2 && !ascii && n.k === 'd') return '\\p{Nd}';
    if (re2 && !ascii && n.k === 'D') return '\\P{Nd}';
    if (re2 && !ascii && n.k === 'W') out = '[^\\p{L}\\p{N}_]';
    else if (re2 && !ascii && n.k === 'S') out = `[^${RE2_PY_SPACE}]`;
    else out = (this.ctx.engine === 'portable' ? this.lineSepSet(this.perlRanges(n.k, ascii) ?? [], false) : null) ?? `[${this.perlInClass(n.k, ascii)}]`;
    // under case folding the engine would add fold partners (RE2: U+0345 to \p{L}; K and ſ to [A-Za-z])
    if (n.f.i && (n.k === 'w' || n.k === 'W')) out = `(?-i:${out})`;
    return out;
  }

  /**
   * portable: a set (`neg`: its complement) with U+2028 or U+2029 as a range end, which no class can
   * write (`unwritable`); null for any other set (written as usual). Where the set holds both, they are
   * matched by the class of every code point but U+0000-U+2027 and U+202A-U+10FFFF, whose range ends
   * are written raw (as the complements of `\S`, `\D`, `\W` already are), beside the class of the
   * rest: `(?:[rest]|[^\x00-‧<U+202A>-<U+10FFFF>])`. A negated set holding neither is written as the
   * positive class of its complement. A set holding one of them only is refused (`unwritable`).
   */
  private lineSepSet(ranges: [number, number][], neg: boolean): string | null {
    const isSep = (cp: number) => cp === 0x2028 || cp === 0x2029;
    if (!ranges.some(([lo, hi]) => isSep(lo) || isSep(hi))) return null;
    const all = normalizeRanges(ranges);
    const set = neg ? complement(all) : all;
    const has = (cp: number) => set.some(([lo, hi]) => lo <= cp && cp <= hi);
    if (has(0x2028) !== has(0x2029)) this.unwritable(has(0x2028) ? 0x2028 : 0x2029);
    if (!has(0x2028)) return `[${this.classRanges(set, true)}]`;
    const rest = complement(normalizeRanges([...complement(set), [0x2028, 0x2029]]));
    const seps = `[^${this.classRanges([[0, 0x2027], [0x202a, MAX_CP]], true)}]`;
    return rest.length === 0 ? seps : `(?:[${this.classRanges(rest, true)}]|${seps})`;
  }

  /** Under IGNORECASE: a literal the engine's own folding does not treat as Python does, spelled out. */
  private ciChar(cp: number, f: Flags): string | null {
    if (f.a) {
      // Python folds ASCII letters only; engines fold k with K and s with ſ, and non-ASCII letters
      if (isAsciiLetter(cp)) {
        const lower = cp | 0x20;
        if (lower !== 0x6b && lower !== 0x73) return null;
        return `(?-i:[${this.classCp(cp & ~0x20)}${this.classCp(lower)}])`;
      }
      return pyCaseClass(cp).length > 1 ? `(?-i:${this.litCp(cp, false)})` : null;
    }
    if (this.ctx.engine === 'portable') {
      if (isAsciiLetter(cp) && ![0x69, 0x6b, 0x73].includes(cp | 0x20)) return null;
      const cls = pyCaseClass(cp);
      return cls.length > 1 ? `(?-i:[${cls.map((c) => this.classCp(c)).join('')}])` : null;
    }
    if (I_FAMILY.includes(cp)) return `[${I_FAMILY.map((c) => this.classCp(c)).join('')}]`;
    return null;
  }

  private cls(n: Extract<Node, { t: 'class' }>): string {
    const f = n.f;
    const ranges: [number, number][] = [];
    const perls: Perl[] = [];
    for (const it of n.items) {
      if (it.t === 'range') ranges.push([it.lo, it.hi]);
      else perls.push(it.k);
    }
    // Unicode \W has no RE2 class-member form: a positive class becomes an alternation
    const hasUniW = this.ctx.engine === 're2' && !f.a && perls.includes('W');
    if (hasUniW && n.neg) refuse('\\W inside a negated character class has no RE2 equivalent');
    let pin = false;
    let lits = ranges;
    if (f.i) {
      const wordy = perls.some((k) => k === 'w' || k === 'W');
      const full = f.a || this.ctx.engine === 'portable' || wordy;
      if (full) {
        // spell out every case partner Python accepts, and keep the engine from folding
        lits = expandCase(ranges, f.a);
        pin = true;
      } else {
        // RE2/PCRE fold like Python except for i, I, ı, İ
        if (I_FAMILY.some((c) => ranges.some(([lo, hi]) => c >= lo && c <= hi))) lits = [...ranges, ...I_FAMILY.map((c): [number, number] => [c, c])];
      }
    }
    const sep = this.ctx.engine === 'portable' ? this.lineSepSet([...lits, ...perls.flatMap((k) => this.perlRanges(k, f.a) ?? [])], n.neg) : null;
    const members = sep !== null ? '' : [this.classRanges(lits), ...perls.filter((k) => !(k === 'W' && hasUniW)).map((k) => this.perlInClass(k, f.a)!)].join('');
    let out: string;
    if (sep !== null) out = sep;
    else if (hasUniW) {
      const w = '[^\\p{L}\\p{N}_]';
      out = members ? `(?:${w}|[${members}])` : w;
    } else if (members === '') {
      if (this.ctx.engine === 're2') out = n.neg ? '[\\x{0}-\\x{10ffff}]' : '[^\\x{0}-\\x{10ffff}]';
      else out = n.neg ? '[\\s\\S]' : '[^\\s\\S]';
    }
    else out = `[${n.neg ? '^' : ''}${members}]`;
    return pin ? `(?-i:${out})` : out;
  }

  emit(n: Node, tail: boolean, next: Node[] = []): string {
    const { engine, anchor } = this.ctx;
    switch (n.t) {
      case 'char':
        return (n.f.i ? this.ciChar(n.cp, n.f) : null) ?? this.litCp(n.cp, n.hex);
      case 'any':
        if (engine === 'portable') return n.f.s ? '[\\s\\S]' : '[^\\n]';
        // YARA-L runs the regex under (?s): Python's `.` without DOTALL still stops at \n
        if (this.ctx.dotAll && !n.f.s) return '[^\\n]';
        return '.';
      case 'class':
        return this.cls(n);
      case 'perl':
        return this.perl(n);
      case 'bot':
        // portable: `^` is the start of the text wherever no m flag is on (the m flag is never emitted)
        return engine === 'portable' ? '^' : '\\A';
      case 'eot':
        // Python's \Z is the very end; Python before 3.14 has no \z, and RE2 no lookaround
        if (engine === 'pcre') return '(?![\\s\\S])';
        if (engine === 'portable') return '$';
        return '\\z';
      case 'bol':
        if (!n.f.m) return '^';
        if (engine === 'portable') refuse('multi-line ^ (Python breaks lines at \\n only; the engine may also at \\r, \\u2028...)');
        if (engine === 'pcre' && next.every(nullable)) refuse('multi-line ^ followed by what may match nothing (PCRE does not match after a final \\n)');
        return '^';
      case 'eol':
        if (n.f.m) {
          if (engine === 'portable') refuse('multi-line $ (Python breaks lines at \\n only; the engine may also at \\r, \\u2028...)');
          return '$';
        }
        if (tail && anchor === 'fullmatch') return '';
        // PCRE's $ without the D flag is Python's: the end, or before a final \n
        if (engine === 'pcre') return '$';
        if (!tail) refuse('$ followed by more of the pattern (Python also matches $ before a final newline)');
        return engine === 'portable' ? '\\n?$' : '(?:$|\\n\\z)';
      case 'wordb':
        if (n.f.a && engine === 're2') return n.neg ? '\\B' : '\\b';
        return refuse(
          n.f.a
            ? `\\${n.neg ? 'B' : 'b'} (re.ASCII word boundary) is not certain to be ASCII in this engine`
            : `\\${n.neg ? 'B' : 'b'} is a Unicode word boundary in Python but an ASCII one in RE2 (they differ next to non-ASCII letters and digits)`,
        );
      case 'group': {
        const body = this.emit(n.body, tail);
        // portable: m is never emitted (multi-line ^ and $ are refused, and \A is written ^)
        const fl = n.flags && engine === 'portable' ? { on: n.flags.on.replace('m', ''), off: n.flags.off.replace('m', '') } : n.flags;
        if (fl && (fl.on || fl.off)) return `(?${fl.on}${fl.off ? '-' + fl.off : ''}:${body})`;
        if (n.cap) return n.name && engine !== 'portable' ? `(?P<${n.name}>${body})` : `(${body})`;
        return `(?:${body})`;
      }
      case 'alt':
        return n.alts.map((a) => this.emit(a, tail)).join('|');
      case 'seq': {
        let out = '';
        n.items.forEach((it, k) => {
          const rest = n.items.slice(k + 1);
          const itTail = tail && rest.every((r) => r.t === 'eol' || r.t === 'eot');
          out += this.emit(it, itTail, rest);
        });
        return out;
      }
      case 'rep': {
        let body = this.emit(n.body, tail && n.max <= 1);
        if (!isAtom(body)) body = `(?:${body})`;
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
        return body + q + (n.lazy ? '?' : '');
      }
    }
  }
}

/** True when `re` is one atom a quantifier applies to as a whole. */
function isAtom(re: string): boolean {
  if (re === '') return false;
  if (/^\\(x\{[0-9a-f]+\}|x[0-9a-f]{2}|[pP]\{[A-Za-z]+\}|.)$/u.test(re)) return true;
  if ([...re].length === 1) return true;
  // one bracketed group or class spanning the whole text
  const open = re[0];
  if (open !== '(' && open !== '[') return false;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        if (depth === 0) return i === re.length - 1;
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (i === 0) continue;
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i === re.length - 1;
    }
  }
  return false;
}

/** Ranges plus every case partner Python's IGNORECASE accepts for their members. */
function expandCase(ranges: [number, number][], ascii: boolean): [number, number][] {
  const extra: number[] = [];
  if (ascii) {
    for (const [lo, hi] of ranges) {
      for (let c = Math.max(lo, 0x41); c <= Math.min(hi, 0x7a); c++) if (isAsciiLetter(c)) extra.push(c ^ 0x20);
    }
  } else {
    // the cased code points in each range, found by binary search in their sorted list (a scan of every
    // class per range, with a closure and an entry per class, was the largest allocation of a corpus `test`);
    // a code point in two ranges adds its class twice, which mergeRanges merges away
    const { cps, classes } = caseIndex();
    for (const r of ranges) {
      const lo = r[0];
      const hi = r[1];
      let a = 0;
      let b = cps.length;
      while (a < b) {
        const m = (a + b) >>> 1;
        if ((cps[m] as number) < lo) a = m + 1;
        else b = m;
      }
      for (let i = a; i < cps.length && (cps[i] as number) <= hi; i++) for (const c of classes[i] as number[]) extra.push(c);
    }
  }
  return mergeRanges([...ranges, ...extra.map((c): [number, number] => [c, c])]);
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// API

/** Per engine and translated text: the texts for match and fullmatch when they differ from search's. */
const variants = new Map<string, Partial<Record<Anchor, string>>>();

function translate(pattern: string, flags: string, opts: ReOptions, anchor: Anchor): string {
  const fl = new Set(flags.toLowerCase().split(''));
  if (fl.has('x')) refuse('verbose (re.X) patterns are not supported');
  const init: Flags = { i: fl.has('i') || !!opts.ci, m: fl.has('m'), s: fl.has('s'), a: fl.has('a'), x: fl.has('x') };
  const parser = new Parser(pattern, init);
  const tree = parser.parse();
  const g = parser.flags; // global flags, including the pattern's own leading (?aimsx)
  const engine = opts.engine ?? 're2';
  const body = new Emitter({ engine, delims: opts.delims ?? '', anchor, dotAll: engine === 're2' && !!opts.dotAll }).emit(tree, true);
  // the caller's own case-insensitivity (opts.ci) is its to apply; portable never needs m (see 'bot')
  const inline = [g.i && !(opts.ci && !fl.has('i')) ? 'i' : '', g.m && engine !== 'portable' ? 'm' : '', g.s ? 's' : ''].join('');
  return (inline ? `(?${inline})` : '') + body;
}

/**
 * Translate a Python `re` pattern (str semantics) for a target's regex engine (see the table at the
 * top). `flags`: Python flags as letters (`i`, `m`, `s`, `a`, `x`). The third argument is the
 * characters that must not appear raw in the output (they become \xhh), or the options.
 * The result is for `re.search`; `anchorRe` turns it into `re.match` / `re.fullmatch`.
 */
export function pyToRe2(pattern: string, flags = '', delims: string | ReOptions = ''): ReResult {
  const opts: ReOptions = typeof delims === 'string' ? { delims } : delims;
  // every target translates the rule's patterns, some more than once: each translation once (it depends on these alone)
  const key = `${pattern}\u0000${flags}\u0000${opts.delims ?? ''}\u0000${opts.engine ?? 're2'}\u0000${opts.ci ? 1 : 0}${opts.dotAll ? 1 : 0}`;
  let hit = translated.get(key);
  if (!hit) {
    hit = translateAll(pattern, flags, opts);
    if (translated.size > 10000) translated.clear();
    translated.set(key, hit);
  }
  if (hit.ok && hit.other) {
    if (variants.size > 10000) variants.clear();
    variants.set(`${opts.engine ?? 're2'}\u0000${hit.re}`, hit.other);
  }
  return hit.ok ? { ok: true, re: hit.re } : { ok: false, why: hit.why };
}

const translated = new Map<string, { ok: true; re: string; other?: Partial<Record<Anchor, string>> } | { ok: false; why: string }>();

function translateAll(pattern: string, flags: string, opts: ReOptions): { ok: true; re: string; other?: Partial<Record<Anchor, string>> } | { ok: false; why: string } {
  try {
    const search = translate(pattern, flags, opts, 'search');
    const other: Partial<Record<Anchor, string>> = {};
    for (const a of ['match', 'fullmatch'] as const) {
      const t = translate(pattern, flags, opts, a);
      if (t !== search) other[a] = t;
    }
    return Object.keys(other).length ? { ok: true, re: search, other } : { ok: true, re: search };
  } catch (e) {
    if (e instanceof Refuse) return { ok: false, why: e.message };
    throw e;
  }
}

/**
 * Apply Python's match mode: `search` (substring), `match` (anchored at start), `fullmatch`.
 * `re` is a `pyToRe2` result for `engine` (or any text of that engine); a pattern whose translation
 * depends on the mode (a final `$`) gets the mode's own translation.
 */
export function anchorRe(re: string, anchor: 'search' | 'match' | 'fullmatch' | undefined, engine: ReEngine = 're2'): string {
  if (!anchor || anchor === 'search') return re;
  const text = variants.get(`${engine}\u0000${re}`)?.[anchor] ?? re;
  // leading inline flags must stay first
  const m = /^\(\?[ims]+\)/.exec(text);
  const head = m ? m[0] : '';
  const body = text.slice(head.length);
  const [start, end] = ANCHORS[engine];
  return anchor === 'match' ? `${head}${start}(?:${body})` : `${head}${start}(?:${body})${end}`;
}

/** Start and end of the text per engine (portable's `$` is reported by `portableEndNote`; its `^` needs no m flag, which portable never emits). */
const ANCHORS: Record<ReEngine, [string, string]> = { re2: ['\\A', '\\z'], pcre: ['\\A', '(?![\\s\\S])'], portable: ['^', '$'] };

/**
 * portable: why a regex text is not exact in every engine, or null. Its `$` (no m flag) is the end of
 * the text in RE2 and JavaScript but also matches before a final `\n` in PCRE and Python, and before a
 * final line terminator (`\n`, `\r\n`, `\r`, U+0085, U+2028, U+2029) in Java; no construct every engine
 * reads as the very end exists (`\z` is unknown to JavaScript and to Python before 3.14, lookaround to
 * RE2). So a `$` makes the match wider on values ending in a line break.
 */
export function portableEndNote(re: string): string | null {
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') {
      inClass = true;
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++;
    } else if (c === '$')
      return 'the end anchor $ of a regex also matches before a final line break in some regex engines (the Logs Insights flavour is not documented); the match may be wider on values ending in a line break';
  }
  return null;
}

/**
 * portable: the characters before which, ending the text, some engine's `$` (no m flag) also matches:
 * `\n` (PCRE2, Python), `\r`, U+0085, U+2028, U+2029 (Java), `\v`, `\f` (PCRE2 built with NEWLINE=ANY,
 * ICU), spelled as one class every engine reads alike. U+2028 and U+2029 have no such spelling of
 * their own (see `unwritable`), so they are taken inside the range U+2027 (‧) - U+2030 (‰), whose ends
 * are written raw: the class holds U+2027 and U+202A-U+2030 as well.
 */
const LINE_END_SET: [number, number][] = [
  [0x0a, 0x0d],
  [0x85, 0x85],
  [0x2027, 0x2030],
];
const LINE_END_CLASS = '[\\x0a-\\x0d\\x85\u2027-\u2030]';

/**
 * portable: a regex text ending in `$` as alternatives that every engine reads alike. Each alternative
 * holds where `re` matches and `not` does not: `{ re, not: '[L]$' }` (L: LINE_END_SET) keeps the
 * values that do not end in a line-end character, on which `$` is the end of the text in every
 * engine; it is the whole reading when no match of the pattern can end in such a character (the
 * pattern's last character never is one, and it cannot match the empty string at the end of a
 * non-empty text), for then Python is false on every value ending in one. A Python `$` (written
 * `\n?$`) also matches before a final `\n`: a second alternative `{ re: <pattern>\n$, not: '[L][L]$' }`
 * decides the values ending in a line-end character, which Python matches only as `<pattern>\n`,
 * with a last character of the pattern that is none (see the proof in test/regex.test.ts).
 * null when the text holds no `$`, or when every `$` ends it right after an unbounded repeat that takes
 * every line-end character (`absorbedEnds`: the engines' readings then agree); `ok: false` with the
 * reason when it cannot be read so.
 */
export type PortableEnd = { ok: true; alts: { re: string; not: string }[] } | { ok: false; note: string } | null;

export function portableEnd(re: string): PortableEnd {
  const note = portableEndNote(re);
  if (!note) return null;
  let tree: Node;
  try {
    tree = new Parser(re, { i: false, m: false, s: false, a: false, x: false }).parse();
  } catch (e) {
    if (e instanceof Refuse) return { ok: false, note };
    throw e;
  }
  // every `$` right after an unbounded repeat that takes every line-end character: the engines agree
  if (absorbedEnds(tree, true)) return null;
  // the `$` ends the pattern, possibly inside groups that end it (`^(?:a\n?$)`, from anchorRe)
  let items = tree.t === 'seq' ? tree.items : [tree];
  let closers = 0;
  for (;;) {
    const last = items[items.length - 1];
    if (last?.t !== 'group' || last.body.t === 'alt') break;
    items = [...items.slice(0, -1), ...(last.body.t === 'seq' ? last.body.items : [last.body])];
    closers++;
  }
  const last = items[items.length - 1];
  const head = re.slice(0, re.length - closers);
  if (last?.t !== 'eol' || last.f.m || !head.endsWith('$') || !/^\)*$/.test(re.slice(head.length))) return { ok: false, note };
  const pyDollar = head.endsWith('\\n?$') && items.length >= 2 && isNewlineOpt(items[items.length - 2]!);
  const body = endInfo(items.slice(0, items.length - (pyDollar ? 2 : 1)));
  if (!body || body.g || body.emptyInside) return { ok: false, note };
  const alts = [{ re, not: `${LINE_END_CLASS}$` }];
  if (pyDollar) alts.push({ re: `${head.slice(0, -4)}\\n$${re.slice(head.length)}`, not: `${LINE_END_CLASS}${LINE_END_CLASS}$` });
  return { ok: true, alts };
}

/**
 * The characters before which, ending the text, some engine's `$` also matches (see LINE_END_SET; here
 * U+2028 and U+2029 themselves).
 */
const LINE_ENDS = [0x0a, 0x0b, 0x0c, 0x0d, 0x85, 0x2028, 0x2029];

/** Does the one-character node `n` match the code point `cp`? (false for what is not read here) */
function takes(n: Node, cp: number): boolean {
  const perl = (k: Perl): boolean => k === 's' || k === 'W' || k === 'D';
  switch (n.t) {
    case 'char':
      return n.cp === cp;
    case 'perl':
      return perl(n.k);
    case 'class': {
      const inside = n.items.some((x) => (x.t === 'range' ? x.lo <= cp && cp <= x.hi : perl(x.k)));
      return inside !== n.neg;
    }
    case 'group':
      return takes(n.body, cp);
    case 'alt':
      return n.alts.some((a) => takes(a, cp));
    default:
      return false;
  }
}

/**
 * Is every `$` of `n` read alike by the engines? It is where it ends the pattern (`tail`) right after an
 * unbounded repeat of a set that takes every line-end character (`\s*$`): a value `y` + a final line
 * break that the lenient `$` accepts after `y` is then accepted whole by the repeat, so the readings
 * match the same values.
 */
function absorbedEnds(n: Node, tail: boolean): boolean {
  switch (n.t) {
    case 'eol':
      return false;
    case 'seq':
      return n.items.every((x, i) => {
        const last = i === n.items.length - 1;
        if (x.t !== 'eol') return absorbedEnds(x, tail && last);
        const before = n.items[i - 1];
        return tail && last && !x.f.m && before?.t === 'rep' && before.max === Infinity && LINE_ENDS.every((cp) => takes(before.body, cp));
      });
    case 'alt':
      return n.alts.every((a) => absorbedEnds(a, tail));
    case 'group':
      return absorbedEnds(n.body, tail);
    case 'rep':
      return absorbedEnds(n.body, false);
    default:
      return true;
  }
}

const isNewlineOpt = (n: Node) => n.t === 'rep' && n.min === 0 && n.max === 1 && n.body.t === 'char' && n.body.cp === 0x0a;

const inLineEnd = (lo: number, hi: number) => LINE_END_SET.some(([a, b]) => lo <= b && hi >= a);

/**
 * How a sequence of nodes ends: `g` some non-empty match can end in a LINE_END_SET character;
 * `nullable` it can match the empty string; `emptyInside` it can do so elsewhere than at the start
 * of the text. null for what is not read here (`$`, `\Z`, `\b`, multi-line `^`). Case folding adds
 * no line-end character (none is cased), so flags are ignored.
 */
interface EndInfo {
  g: boolean;
  nullable: boolean;
  emptyInside: boolean;
}
function endInfo(seq: Node[]): EndInfo | null {
  const infos: EndInfo[] = [];
  for (const n of seq) {
    const i = nodeEnd(n);
    if (!i) return null;
    infos.push(i);
  }
  let g = false;
  for (let k = infos.length - 1; k >= 0; k--) {
    g ||= infos[k]!.g;
    if (!infos[k]!.nullable) break;
  }
  return { g, nullable: infos.every((i) => i.nullable), emptyInside: infos.every((i) => i.emptyInside) };
}
function nodeEnd(n: Node): EndInfo | null {
  const one = (g: boolean): EndInfo => ({ g, nullable: false, emptyInside: false });
  switch (n.t) {
    case 'char':
      return one(inLineEnd(n.cp, n.cp));
    case 'any':
      return one(true);
    case 'perl':
      return one(n.k !== 'd' && n.k !== 'w');
    case 'class': {
      const ranges = n.items.filter((x): x is Extract<ClassItem, { t: 'range' }> => x.t === 'range');
      const perls = n.items.filter((x) => x.t === 'perl');
      if (!n.neg) return one(perls.some((p) => p.k !== 'd' && p.k !== 'w') || ranges.some((r) => inLineEnd(r.lo, r.hi)));
      // a negated class holds a line-end character unless its items cover every one
      const covered = LINE_END_SET.every(([a, b]) => {
        for (let c = a; c <= b; c++) if (!ranges.some((r) => r.lo <= c && c <= r.hi)) return false;
        return true;
      });
      return one(!covered);
    }
    case 'bol':
    case 'bot':
      return n.t === 'bol' && n.f.m ? null : { g: false, nullable: true, emptyInside: false };
    case 'group':
      return endInfo([n.body]);
    case 'seq':
      return endInfo(n.items);
    case 'alt': {
      const is = n.alts.map((a) => endInfo([a]));
      if (is.some((i) => !i)) return null;
      return { g: is.some((i) => i!.g), nullable: is.some((i) => i!.nullable), emptyInside: is.some((i) => i!.emptyInside) };
    }
    case 'rep': {
      const b = endInfo([n.body]);
      if (!b) return null;
      if (n.max === 0) return { g: false, nullable: true, emptyInside: true };
      return { g: b.g, nullable: n.min === 0 || b.nullable, emptyInside: n.min === 0 || b.emptyInside };
    }
    default:
      return null;
  }
}

/**
 * Python fnmatch.fnmatchcase as an anchored pattern (DOTALL, like fnmatch.translate) for `engine`.
 * (A lone surrogate, or U+2028/U+2029 for portable, is still written `\x{...}`: no glob holds one.)
 */
export function globToRe2(glob: string, delims = '', engine: ReEngine = 're2'): string {
  const any = engine === 'portable' ? '[\\s\\S]' : '.';
  const cp1 = (ch: string) => {
    const cp = ch.codePointAt(0)!;
    if (engine === 're2' || (cp >= 0xd800 && cp <= 0xdfff) || (engine === 'portable' && (cp === 0x2028 || cp === 0x2029))) return escCodePoint(cp);
    return isHexLatin1(cp) ? `\\x${hex2(cp)}` : ch;
  };
  const lit = (ch: string) => (engine === 're2' ? reEscape(ch, delims) : META.has(ch) ? '\\' + ch : delims.includes(ch) ? `\\x${hex2(ch.codePointAt(0)!)}` : cp1(ch));
  let out = '';
  let i = 0;
  const n = glob.length;
  /** The output before the last `*` when the glob ends in one (portable: no `$` needed). */
  let beforeStar: string | null = null;
  while (i < n) {
    const c = glob[i]!;
    i++;
    beforeStar = null;
    if (c === '*') {
      while (glob[i] === '*') i++;
      beforeStar = out;
      out += any + '*';
    } else if (c === '?') out += any;
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
          .map((ch) =>
            ch === '\\' || ch === ']' || ch === '[' || ch === '^' || (engine !== 're2' && '&~|'.includes(ch))
              ? '\\' + ch
              : delims.includes(ch)
                ? `\\x${hex2(ch.codePointAt(0)!)}`
                : cp1(ch),
          )
          .join('');
        out += stuff === '' ? (neg ? any : engine === 're2' ? '[^\\x00-\\x{10ffff}]' : '[^\\s\\S]') : `[${neg ? '^' : ''}${body}]`;
      }
    } else out += lit(c);
  }
  // portable: a final `*` matches whatever ends the text, so the pattern is a prefix test, without the
  // `$` whose reading differs between engines on a final line break
  if (engine === 'portable') return beforeStar !== null ? `^(?:${beforeStar})` : `^(?:${out})$`;
  return engine === 'pcre' ? `(?s)\\A(?:${out})(?![\\s\\S])` : `(?s)\\A(?:${out})\\z`;
}

/** True when a glob uses only `*` and `?` (no character classes). */
export function globIsSimple(glob: string): boolean {
  return !glob.includes('[');
}
