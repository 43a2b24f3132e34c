/**
 * Tests on `x.rstrip(chars)` as regexes on `x`, for Logs Insights (the documented `=~ /re/`,
 * CWL_QuerySyntax-Filter.html; Logs Insights' own `rtrim(str, trimChars)` is not relied on) and Sigma
 * (`|re`; Sigma has no function).
 *
 * Python's `x.rstrip(C)` drops the longest run of characters of C that ends `x`. With `p` a text whose last
 * character is not in C, `x.rstrip(C)` ends with `p` exactly when `x` is `w + p + t` with `t` made of
 * characters of C (the run `rstrip` drops is then exactly `t`: it cannot reach into `p`): the regex
 * `p(?:c1|c2|...)*$` (`$`: the target's end of the value, `PieceSyntax.end`). Equality with `v` is `^v(?:...)*$` (`v` empty: `x` made of C only, `^(?:...)*$`). A
 * text whose last character is in C never ends a stripped value (`endswith`, `==`: false on every string).
 * Where `p` holds no character of C at all, a prefix or substring of the stripped value is one of `x`
 * (the dropped run cannot overlap `p`): `^p`, `p`. Where Python raises (a missing field, `None.rstrip`), the
 * rule errors (no alert) and the regex is false for a positive test, as common/split.ts says for pieces.
 */
import type { Val } from '../../ast/types.js';
import { atomValue, type Atom } from './nnf.js';
import type { PieceSyntax } from './split.js';

/** `rstrip(x, "chars")` with a non-empty literal set of characters: x and the characters. */
export function stripRead(v: Val): { src: Val; chars: string[] } | null {
  if (v.k !== 'fn' || v.fn !== 'rstrip' || v.args.length !== 2) return null;
  const c = v.args[1]!;
  if (c.k !== 'lit' || typeof c.v !== 'string' || c.v === '') return null;
  return { src: v.args[0]!, chars: [...new Set([...c.v])] };
}

/**
 * The regex (before the end-anchor handling of the printer) a test on the stripped value is, `false` when
 * the test fails on every string, or null when it is not read here.
 */
export function stripRegex(syn: PieceSyntax, a: Atom, chars: string[]): string | false | null {
  if ('ci' in a && a.ci) return null;
  const esc = syn.text;
  const E = syn.end;
  const run = `(?:${chars.map(esc).join('|')})*`;
  const inC = (t: string): boolean => [...t].some((ch) => chars.includes(ch));
  const lastInC = (t: string): boolean => t !== '' && chars.includes([...t].pop()!);
  if (a.k === 'cmp' && a.op === 'eq' && a.right.k === 'lit' && typeof a.right.v === 'string') {
    const t = a.right.v;
    return lastInC(t) ? false : `^${esc(t)}${run}${E}`;
  }
  if (a.k === 'in' && a.list.length > 0 && a.list.every((x) => typeof x === 'string')) {
    const ok = (a.list as string[]).filter((t) => !lastInC(t));
    return ok.length === 0 ? false : `^(?:${ok.map(esc).join('|')})${run}${E}`;
  }
  if (a.k !== 'match' || a.pattern === '') return null;
  if (a.kind === 'endswith') return lastInC(a.pattern) ? false : `${esc(a.pattern)}${run}${E}`;
  if (inC(a.pattern)) return null;
  if (a.kind === 'startswith') return `^${esc(a.pattern)}`;
  if (a.kind === 'contains') return esc(a.pattern);
  return null;
}

/** A test on `x.rstrip(chars)` that is a regex on `x` in the syntax `syn` (`re` false: no string passes it), or null. */
export function stripTested(syn: PieceSyntax, a: Atom): { src: Val; chars: string[]; re: string | false } | null {
  const st = stripRead(atomValue(a));
  if (!st) return null;
  const re = stripRegex(syn, a, st.chars);
  return re === null ? null : { ...st, re };
}
