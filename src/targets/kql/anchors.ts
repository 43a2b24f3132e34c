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
import { kqlString, readKqlString } from './escape.js';

/** The top-level pieces of `re` between `|` (outside groups, classes, escapes), or null when unreadable. */
function alternatives(re: string): string[] | null {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // a class: `]` right after `[` or `[^` is a literal
      let j = i + 1;
      if (re[j] === '^') j++;
      if (re[j] === ']') j++;
      for (; j < re.length && re[j] !== ']'; j++) if (re[j] === '\\') j++;
      if (j >= re.length) return null;
      i = j;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      if (--depth < 0) return null;
    } else if (c === '|' && depth === 0) {
      out.push(re.slice(from, i));
      from = i + 1;
    }
  }
  if (depth !== 0) return null;
  out.push(re.slice(from));
  return out;
}

/** X when `s` is `(?:X)` as a whole (X balanced), else null. */
function group(s: string): string | null {
  if (!s.startsWith('(?:') || !s.endsWith(')')) return null;
  const x = s.slice(3, -1);
  // balanced by itself: `(?:a)|(?:b)` is not one group
  const alts = alternatives(x);
  if (alts === null) return null;
  let depth = 0;
  for (let i = 0; i < x.length; i++) {
    const c = x[i]!;
    if (c === '\\') i++;
    else if (c === '[') {
      let j = i + 1;
      if (x[j] === '^') j++;
      if (x[j] === ']') j++;
      for (; j < x.length && x[j] !== ']'; j++) if (x[j] === '\\') j++;
      i = j;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return null;
  }
  return depth === 0 ? x : null;
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
