/**
 * Shorter anchors in the regexes KQL writes: `\A(?:X)\z` → `^X$` (`^(?:X)$` when X holds a top-level `|`),
 * `\A(?:X)` → `^X`, per alternative of the pattern; and a pattern whose every alternative is anchored at
 * both ends as one group, `^(?:X1|X2|...)$`, where that is shorter.
 *
 * Exact: in RE2 (learn.microsoft.com/kusto/query/re2 → github.com/google/re2/wiki/Syntax) `^` is "at
 * beginning of text" and `$` "at end of text (like \z not \Z)" unless the m flag is set, i.e. `\A` and `\z`.
 * So a pattern with an `m` flag anywhere (a leading `(?m)`, an inline `(?m)` or `(?m:...)`) is left as it
 * is. `(?:X)` with no top-level alternation groups nothing that concatenation does not. Patterns holding
 * a POSIX class (`[[:alpha:]]`) are left as they are (the scanner below does not read them).
 */

import type { Out } from '../common/out.js';
import { scanRe } from '../common/rejoin.js';
import { kqlString, readKqlString } from './escape.js';

/** The top-level pieces of `re` between `|` (outside groups, classes, escapes), or null when unreadable. */
function alternatives(re: string): string[] | null {
  const cuts: number[] = [];
  const ok = scanRe(re, (i, depth) => {
    if (depth < 0) return false;
    if (re[i] === '|' && depth === 0) cuts.push(i);
  });
  if (!ok) return null;
  return [-1, ...cuts].map((c, k) => re.slice(c + 1, cuts[k] ?? re.length));
}

/** X when `s` is `(?:X)` as a whole (X balanced by itself: `(?:a)|(?:b)` is not one group), else null. */
function group(s: string): string | null {
  if (!s.startsWith('(?:') || !s.endsWith(')')) return null;
  const x = s.slice(3, -1);
  return scanRe(x, (_, depth) => depth >= 0) ? x : null;
}

/** `re` (a KQL `matches regex` pattern, RE2) with its text anchors written `^`/`$` (see the file comment). */
export function compactAnchors(re: string): string {
  if (re.includes('[:')) return re;
  // any inline flag group that sets m
  if (/\(\?[a-zA-Z]*m[a-zA-Z]*(?:-[a-zA-Z]*)?[:)]/.test(re)) return re;
  const head = /^(?:\(\?[a-zA-Z]+\))*/.exec(re)![0];
  const alts = alternatives(re.slice(head.length));
  if (!alts) return re;
  const both: string[] = [];
  const each = alts.map((a) => {
    let x: string | null;
    if (a.startsWith('\\A') && a.endsWith('\\z') && (x = group(a.slice(2, -2))) !== null) {
      both.push(x);
      return `^${alternatives(x)!.length > 1 ? `(?:${x})` : x}$`;
    }
    if (a.startsWith('\\A') && (x = group(a.slice(2))) !== null) return `^${alternatives(x)!.length > 1 ? `(?:${x})` : x}`;
    return a;
  });
  const per = head + each.join('|');
  const grouped = both.length === alts.length && alts.length > 1 ? `${head}^(?:${both.join('|')})$` : null;
  return grouped !== null && grouped.length < per.length ? grouped : per;
}

/** Each `matches regex "<pattern>"` of a printed text with its pattern's anchors compacted. */
export function compactRegexText(s: string): string {
  return s.replace(/ matches regex ("(?:[^"\\]|\\.)*")/g, (all, lit: string) => {
    const re = readKqlString(lit);
    if (re === null) return all;
    const c = compactAnchors(re);
    return c === re ? all : ` matches regex ${kqlString(c)}`;
  });
}

/** The condition with every regex test's anchors compacted (`compactRegexText`). */
export function compactRegexes(o: Out): Out {
  if (o.k === 'text') {
    const s = compactRegexText(o.s);
    return s === o.s ? o : { k: 'text', s };
  }
  if (o.k === 'const') return o;
  const args = o.args.map(compactRegexes);
  return args.every((a, i) => a === o.args[i]) ? o : { k: o.k, args };
}
