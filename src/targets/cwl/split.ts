/**
 * Tests on the pieces of `x.split(sep)` as regexes on `x` itself, for Logs Insights.
 *
 * Logs Insights documents `split(str, delimiter)` returning an array (CWL_QuerySyntax-operations-functions.html,
 * "String functions"), but not which index its list access (`list[index]`) gives the first element, so
 * the pieces are not read through it. A test on one piece of a split on a single character `d` is a
 * regex on the field instead (the documented `=~ /re/`, CWL_QuerySyntax-Filter.html): with `N` = `[^d]`,
 * piece `i` (from 0) is the text after `i` runs of `N*d` from the start, and ends at the next `d` or at the
 * end of the value; the last piece (`[-1]`) is the text after the last `d` (the whole value when it holds
 * none); `len(x.split(d))` is one more than the number of `d`s; `t in x.split(d)` (some piece is `t`, a text
 * without `d`) is `t` starting the value or following a `d`, and ending it or followed by a `d`. Python's `rsplit(d)` without a maximum
 * gives the same pieces. Only a separator that is one ASCII character, neither a letter nor a digit, is
 * read so: under `lower()` (`x.lower().split(d)`) no character folds to it or from it, so the pieces of the
 * lowered value are the lowered pieces.
 *
 * Where Python raises (an index past the last piece, `split` of a missing field) the rule errors (no
 * alert); the regex is false there for a positive test, as the README's "targets evaluate their own
 * operator instead" says.
 */
import type { Fold, Val } from '../../ast/types.js';
import { cwlReText } from './escape.js';

/** `split(x, sep)[i]`, `split(x, sep)[-1]` or `len(split(x, sep))`, with `lower` when x was lowered first. */
export interface SplitRead {
  src: Val;
  sep: string;
  lower: boolean;
  /** A piece's index (>= 0, or -1 for the last), the number of pieces, or any piece (`t in x.split(d)`). */
  which: number | 'len' | 'any';
}

/** One ASCII character that is neither a letter nor a digit (nor a control). */
const SEP = /^[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/;

function splitCall(v: Val): { src: Val; sep: string; lower: boolean } | null {
  if (v.k !== 'fn' || (v.fn !== 'split' && v.fn !== 'rsplit') || v.args.length !== 2) return null;
  const [x, s] = v.args as [Val, Val];
  if (s.k !== 'lit' || typeof s.v !== 'string' || !SEP.test(s.v)) return null;
  if (x.k === 'fn' && x.fn === 'lower' && x.args.length === 1) return { src: x.args[0]!, sep: s.v, lower: true };
  return { src: x, sep: s.v, lower: false };
}

/** The split read `v` is, or null. */
export function splitRead(v: Val): SplitRead | null {
  if (v.k === 'index' && (v.index >= 0 || v.index === -1)) {
    const c = splitCall(v.obj);
    return c && { ...c, which: v.index };
  }
  if (v.k === 'fn' && v.fn === 'len' && v.args.length === 1) {
    const c = splitCall(v.args[0]!);
    return c && { ...c, which: 'len' };
  }
  const c = splitCall(v);
  return c && { ...c, which: 'any' };
}

/** How a piece is tested: equal to, starting with, holding, ending with a text. */
export type PieceTest = 'eq' | 'startswith' | 'contains' | 'endswith';

/**
 * The regexes (any of which matching is the test holding) for a test on a piece against any of `texts`,
 * or null when no value passes it (every text holds the separator, which no piece does). `lit` writes a
 * text: escaped, or case-insensitively (then the caller puts `(?i)` first; the separator's class is the
 * same under it). A regex's final `$` is the end of the value (the printer's `re` makes it portable).
 */
export function pieceRegexes(sep: string, index: number | 'any', test: PieceTest, texts: string[], lit: (text: string, open: { left: boolean; right: boolean }) => string | null): string[] | null | 'unwritable' {
  const D = cwlReText(sep);
  const N = `[^${classChar(sep)}]`;
  const open = { left: test === 'contains' || test === 'endswith', right: test === 'contains' || test === 'startswith' };
  const bodies: string[] = [];
  for (const t of texts) {
    if (t.includes(sep)) continue;
    const b = lit(t, open);
    if (b === null) return 'unwritable';
    bodies.push(b);
  }
  if (bodies.length === 0) return null;
  const V = bodies.length === 1 ? bodies[0]! : `(?:${bodies.join('|')})`;
  if (index === 'any') {
    // some piece equal to the text: it starts the value or follows a separator, and ends it or precedes one
    if (test !== 'eq') return 'unwritable';
    return [`(?:^|${D})${V}${D}`, `(?:^|${D})${V}$`];
  }
  if (index >= 0) {
    const P = `^${`(?:${N}*${D})`.repeat(index)}`;
    switch (test) {
      case 'eq':
        return [`${P}${V}${D}`, `${P}${V}$`];
      case 'startswith':
        return [`${P}${V}`];
      case 'contains':
        return [`${P}${N}*${V}`];
      case 'endswith':
        return [`${P}${N}*${V}${D}`, `${P}${N}*${V}$`];
    }
  }
  switch (test) {
    case 'eq':
      return [`^${V}$`, `${D}${V}$`];
    case 'startswith':
      return [`^${V}${N}*$`, `${D}${V}${N}*$`];
    case 'contains':
      return [`${V}${N}*$`];
    case 'endswith':
      return [`${V}$`];
  }
}

/** The most separators a count regex spells out. */
export const MAX_COUNT = 32;

/** A regex for "the value holds at least `k` separators" (k >= 1); an exact count is at least k and not at least k + 1. */
export function atLeastRegex(sep: string, k: number): string {
  const D = cwlReText(sep);
  const N = `[^${classChar(sep)}]`;
  return `^${`${N}*${D}`.repeat(k)}`;
}

/** The separator inside a class: `/` as `\x2f` (the query's regex delimiter), class metacharacters escaped. */
function classChar(c: string): string {
  if (c === '/') return '\\x2f';
  return '\\]^-[&~|'.includes(c) ? `\\${c}` : c;
}

/** The folding a test on a piece of `lower(x).split(d)` compares with (the literal must already be lower-case). */
export function pieceFold(atomFold: { ci?: boolean; fold?: Fold }, lower: boolean): { fold: Fold | undefined } | false {
  if (atomFold.ci) return { fold: atomFold.fold };
  return lower ? { fold: undefined } : false;
}
