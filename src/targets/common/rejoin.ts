/**
 * Several regex tests on one value written as one: `A or B` is the alternation `A|B` (a search finds a
 * match of `A|B` exactly where it finds one of A or of B; the same subject, the same leading flags), in
 * every engine the targets use (RE2, PCRE, Java-style). Used by the YARA-L and Logs Insights tidying
 * (yaral/tidy.ts, cwl/tidy.ts) on the texts their printers wrote.
 *
 * What could make the alternation mean something else is kept apart or fenced: a flag group inside a
 * body that is not scoped (`x(?i)y`: in every engine it reaches to the end of its group, so into the
 * next alternative) is put in a group of its own, `(?:x(?i)y)` (a scoped one, `(?-i:[Ii])`, ends with
 * its group); bodies with named groups are not joined (two bodies naming
 * the same group make no pattern); bodies the scanner cannot read are taken as holding an alternation.
 */

/** The index of the `]` that closes the class `s[open]` opens (a `]` first is literal; escapes inside), or -1. */
export function classEnd(s: string, open: number): number {
  let j = open + 1;
  if (s[j] === '^') j++;
  if (s[j] === ']') j++;
  for (; j < s.length && s[j] !== ']'; j++) if (s[j] === '\\') j++;
  return j < s.length ? j : -1;
}

/** Scan a regex body at top level: `at(i, depth)` for every character outside classes and escapes; false when it cannot be read. */
export function scanRe(body: string, at: (i: number, depth: number) => boolean | void): boolean {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      if (at(i, depth) === false) return false;
      i++;
      continue;
    }
    if (c === '[') {
      if (at(i, depth) === false) return false;
      const j = classEnd(body, i);
      if (j < 0) return false;
      i = j;
      continue;
    }
    if (c === '(') depth++;
    if (at(i, depth) === false) return false;
    if (c === ')') depth--;
  }
  return depth === 0;
}

/** Does the body hold a `|` at its top level (or can it not be read)? */
export function topLevelAlt(body: string): boolean {
  let alt = false;
  const ok = scanRe(body, (i, d) => {
    if (body[i] === '|' && d === 0) alt = true;
  });
  return !ok || alt;
}

/** Does the body hold a flag group (`(?i)`, `(?s:...)`) past its start? */
export const innerFlags = (body: string): boolean => /\(\?[a-zA-Z-]/.test(body);

/**
 * Does the body hold a flag group that is not scoped (`(?i)`, not `(?-i:...)`)? It reaches to the end of
 * its group, so, joined, into the next alternative. (Read on the text: an escaped `\(` that looks like
 * one only fences a body that needed none.)
 */
const unscopedFlags = (body: string): boolean => /\(\?[a-zA-Z-]+\)/.test(body);

/** A body with a named group: not joined with another. */
export const namedGroup = (body: string): boolean => /\(\?P?</.test(body);

/**
 * One body for several (their leading flags already taken off, the same for all): prefixes under one
 * `^` (`^(?:Describe|Get)`), else an alternation; a body with flags of its own in a group.
 */
export function joinBodies(bodies: string[]): string {
  const uniq = [...new Set(bodies)];
  if (uniq.length === 1) return uniq[0]!;
  const fence = (b: string) => (unscopedFlags(b) ? `(?:${b})` : b);
  if (uniq.every((b) => b.startsWith('^') && !topLevelAlt(b))) return `^(?:${uniq.map((b) => fence(b.slice(1))).join('|')})`;
  return uniq.map(fence).join('|');
}

/**
 * Does every match of the body hold at least one character (so it matches no empty value)?
 * Conservative: true only when each top-level alternative starts, after an optional `^`, with an atom
 * that matches one character (a literal, an escaped punctuation character, `\d` `\D` `\w` `\W` `\s`
 * `\S`, a class, `.`) or with a group of which every alternative does so, that atom not being optional
 * (`?`, `*`, `{0,...}`, `{,...}` after it).
 */
export function matchesNonEmptyOnly(body: string): boolean {
  const alts: string[] = [];
  let from = 0;
  if (!scanRe(body, (i, d) => {
    if (body[i] === '|' && d === 0) {
      alts.push(body.slice(from, i));
      from = i + 1;
    }
  })) return false;
  alts.push(body.slice(from));
  return alts.every((alt) => {
    const a = alt.startsWith('^') ? alt.slice(1) : alt;
    let end: number;
    const c = a[0];
    if (c === undefined) return false;
    if (c === '\\') {
      const e = a[1] ?? '';
      if (!(/[^A-Za-z0-9]/.test(e) || /[dDwWsS]/.test(e)) || e === '') return false;
      end = 2;
    } else if (c === '[') {
      // a class: one character
      const j = classEnd(a, 0);
      if (j < 0) return false;
      end = j + 1;
    } else if (c === '(') {
      // a group: its closing parenthesis, then every alternative inside must need a character
      let close = -1;
      const ok = scanRe(a, (i, d) => {
        if (close < 0 && a[i] === ')' && d === 1) close = i;
      });
      if (!ok || close < 0) return false;
      let inner = a.slice(1, close);
      if (inner.startsWith('?:')) inner = inner.slice(2);
      else if (/^\?[a-zA-Z-]+:/.test(inner)) inner = inner.slice(inner.indexOf(':') + 1);
      else if (inner.startsWith('?')) return false; // lookaround, flags, named groups: not read here
      if (!matchesNonEmptyOnly(inner)) return false;
      end = close + 1;
    } else if ('^$|)*+?{}'.includes(c)) return false;
    else end = 1; // a literal character, or `.`
    const q = a[end];
    return !(q === '?' || q === '*' || (q === '{' && /^\{(?:0|,)/.test(a.slice(end))));
  });
}
