/**
 * The YARA-L events condition said once and no longer than it needs, after the printer and the common
 * tidying (out.ts), before the layout:
 *
 * 1. A reading of the printed texts (`YARAL_READING`) for the contextual pass (common/outctx.ts): a
 *    test is one predicate and `not` / `!=` / the flipped order its complement (UDM has no null: an
 *    absent field reads its zero value, so every test is true or false). On a repeated field too: "with
 *    unmodified expressions, each element in the repeated field is treated individually. If an event's
 *    repeated field contains n elements, then the query is applied on n copies of the event, where each
 *    copy has one of the elements of the repeated field" (https://cloud.google.com/chronicle/docs/yara-l/repeated-fields,
 *    "Unmodified expressions"; nested repeated fields unnest to the Cartesian product,
 *    https://cloud.google.com/chronicle/docs/detection/yara-l-issues). The whole events section is
 *    applied on each copy, and in one copy a repeated field holds one value: every test (the printer
 *    writes no `any`/`all`) is true or false there, `not` its complement, and an event matches when one
 *    copy satisfies the section. So every identity of two-valued logic over the section's tests holds
 *    copy by copy, and the event matches the rewritten section on the same copies
 *    (src/proof/yaral/eval.ts evaluates it so).
 * 2. Regexes on one field joined: `re.regex(f, A) or re.regex(f, B)` is `re.regex(f, A|B)` (a substring
 *    matches one or the other; the same subject, as the two carry the same flags, so the same first-line
 *    rule); `not re.regex(f, A) and not re.regex(f, B)` is `not re.regex(f, A|B)` (per copy, as above).
 *    Prefixes share their anchor: `^(?:Describe|Get)`.
 * 2b. A choice on one test, `(L and A) or (not L and B)`, is `(not L or A) and (L or B)` (an identity
 *    of two-valued logic, per copy as above), written so where that lets one of the two regexes of L
 *    join a regex of A or B on the same field (2.): `(re.regex(f, `x`) and C) or (not re.regex(f, `x`)
 *    and re.regex(f, `y`))` is `(not re.regex(f, `x`) or C) and re.regex(f, `x|y`)`, where L was
 *    written twice.
 * 3. The leading flag groups written as one (`(?s)(?i)` is `(?is)`), and `(?s)` only where it says something: "if the UDM field includes newline characters, the regexp
 *    only matches the first line of the UDM field. To enforce full UDM field matching, add a (?s)"
 *    (yara-l-2-0-functions/re-regex). A pattern anchored at the start (`^`, no `(?m)`), with no end
 *    anchor, that cannot match a newline, matches a value exactly when it matches the value's first
 *    line: every match starts at 0 and stops before the first newline. There `(?s)` is left out (and
 *    it changes nothing else: such a pattern has no `.`).
 * 3b. A set of literal values says the text they share once (`factorAffixes`); 3c. a whole-value
 *    pattern is the search it is (`globAnchors`). A regex read with `nocase` (a case-insensitive list,
 *    printer.ts `inList`) keeps it, joins only regexes and equalities that carry it too.
 */
import { isRepeatedUdm, parseUdmPath, udmType } from '../../mapping/project/yaral.js';
import { and, or, outTexts, type Out } from '../common/out.js';
import type { Lit, Parsed, Reading } from '../common/outctx.js';
import { yaralReText, yaralRegexLiteral } from './escape.js';
import { classEnd, innerFlags, joinBodies, matchesNonEmptyOnly, namedGroup, scanRe as scan, topLevelAlt } from '../common/rejoin.js';

const FIELD = String.raw`\$e\.[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\["[^"\\]*"\]|\[\d+\])*`;
const RE_CALL = new RegExp(`^(not )?re\\.regex\\((${FIELD}), \`([^\`]*)\`\\)( nocase)?$`);
const CMP = new RegExp(`^(${FIELD}) (=|!=|<|<=|>|>=) (.+)$`);
const FIELDS = new RegExp(FIELD, 'g');

/** The scalar type of a printed field (`$e.<udm path>`; a map value is a string), or null when it cannot be read. */
export function printedFieldType(f: string): ReturnType<typeof udmType> | null {
  try {
    const segs = parseUdmPath(f.slice(f.indexOf('.') + 1));
    const names = segs.flatMap((s) => (s.k === 'field' ? [s.name] : []));
    return udmType(names, segs[segs.length - 1]?.k === 'key');
  } catch {
    return null;
  }
}

/** Is the field (as written after `$e.`) free of repeated UDM fields? Unknown paths count as repeated. */
export function scalarField(f: string): boolean {
  try {
    const names: string[] = [];
    for (const s of parseUdmPath(f.slice(3))) {
      if (s.k !== 'field') continue;
      names.push(s.name);
      if (isRepeatedUdm(names)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Reading

const opaque = (s: string): Lit => ({ k: 'lit', key: s, neg: false, total: false, text: s });
/** Each comparison: its positive form and whether it is that form's negation. */
const FLIP: Record<string, [string, boolean]> = { '=': ['=', false], '!=': ['=', true], '<': ['<', false], '>=': ['<', true], '>': ['>', false], '<=': ['>', true] };

function parse(s: string): Parsed {
  const fields = s.match(FIELDS) ?? [];
  if (fields.length === 0) return opaque(s);
  if (s.startsWith('not ')) {
    const inner = parse(s.slice(4));
    return inner.k === 'lit' && inner.total ? { ...inner, neg: !inner.neg, text: s } : opaque(s);
  }
  if (/^(?:re\.regex|net\.ip_in_range_cidr)\(/.test(s)) return { k: 'lit', key: s, neg: false, total: true, text: s };
  const m = CMP.exec(s);
  if (!m || / (?:and|or) /.test(m[3]!.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return opaque(s);
  const [pos, neg] = FLIP[m[2]!]!;
  return { k: 'lit', key: `${m[1]} ${pos} ${m[3]}`, neg, total: true, text: s };
}

function not(s: string): string {
  if (s.startsWith('not ')) return s.slice(4);
  const m = CMP.exec(s);
  if (m) {
    const OPP: Record<string, string> = { '=': '!=', '!=': '=', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };
    return `${m[1]} ${OPP[m[2]!]} ${m[3]}`;
  }
  return `not ${s}`;
}

export const YARAL_READING: Reading = { parse, not, implied: () => [] };

/**
 * The reading of one condition, knowing its regex tests: a field (an element of a repeated one, per
 * copy: 1.) that reads `""` (UDM has no null: an unset field reads its zero value) matches none of the condition's regexes that
 * match no empty value (rejoin.ts `matchesNonEmptyOnly`), so `$e.f = ""` implies `not re.regex($e.f, R)`
 * for each; and a literal of an `or` that implies another operand is dropped (outctx.ts `absorb`):
 * `(not re.regex($e.f, R) and ...) or $e.f = ""` is the first operand alone.
 */
export function yaralReading(o: Out): Reading {
  const byField = new Map<string, string[]>();
  const visit = (x: Out): void => {
    if (x.k === 'and' || x.k === 'or') x.args.forEach(visit);
    if (x.k !== 'text') return;
    const r = readRe(x.s);
    if (!r || /m/.test(r.flags) || !matchesNonEmptyOnly(r.body)) return;
    const pos = r.neg ? x.s.slice(4) : x.s;
    const list = byField.get(r.field) ?? [];
    if (!list.includes(pos)) list.push(pos);
    byField.set(r.field, list);
  };
  visit(o);
  return {
    ...YARAL_READING,
    absorb: true,
    implied(l) {
      const m = l.neg ? null : CMP.exec(l.key);
      if (!m || m[2] !== '=' || m[3] !== '""') return [];
      return (byField.get(m[1]!) ?? []).map((key) => ({ key, neg: true }));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 2. and 3. Regexes

interface ReText {
  neg: boolean;
  field: string;
  /** The leading flag groups, e.g. `(?s)(?i)`. */
  flags: string;
  body: string;
  /** `nocase` after the regex (the printer's case-insensitive lists, printer.ts `inList`). */
  nocase: boolean;
}

function readRe(s: string): ReText | null {
  const m = RE_CALL.exec(s);
  if (!m) return null;
  const re = m[3]!;
  const f = /^(?:\(\?[a-zA-Z]+\))*/.exec(re)![0];
  return { neg: !!m[1], field: m[2]!, flags: f, body: re.slice(f.length), nocase: !!m[4] };
}

/**
 * Can the body match a newline? Conservative: only literal characters, escaped punctuation, `\d`, `\w`,
 * `\b`, `\B`, `\S`, groups and quantifiers, and classes that exclude `\n` (`[^\n...]`) or hold only
 * printable characters and those escapes, are known not to.
 */
function noNewline(body: string): boolean {
  return scan(body, (i) => {
    const c = body[i]!;
    if (c === '.' || c === '$' || c === '\n') return false;
    if (c === '\\') {
      const e = body[i + 1] ?? '';
      return /[dwbBS]/.test(e) || /[^A-Za-z0-9]/.test(e);
    }
    if (c === '[') {
      let j = i + 1;
      const negated = body[j] === '^';
      const end = classEnd(body, i);
      if (end < 0) return false;
      const inner = body.slice(negated ? j + 1 : j, end);
      if (negated) return /\\n/.test(inner.replace(/\\\\/g, ''));
      for (j = 0; j < inner.length; j++) {
        const d = inner[j]!;
        if (d === '\\') {
          const e = inner[j + 1] ?? '';
          if (!(/[dwS]/.test(e) || /[^A-Za-z0-9]/.test(e))) return false;
          j++;
        } else if (d.charCodeAt(0) < 0x20 || d.charCodeAt(0) === 0x7f) return false;
      }
      return true;
    }
    return true;
  });
}

/** `(?s)` dropped where the first-line rule cannot change the answer (see the module comment). */
export function firstLineSafe(flags: string, body: string): boolean {
  if (/m/.test(flags)) return false;
  if (!body.startsWith('^') || topLevelAlt(body) || innerFlags(body)) return false;
  return noNewline(body.slice(1));
}

/**
 * 3c. A whole-value pattern as the search it is: `\A(?:X)\z` (a glob's regex, common/regex.ts
 * `globToRe2`) is `^X$` (RE2 without the `m` flag: `^` "at beginning of text", `$` "at end of text (like
 * \z not \Z)", https://github.com/google/re2/wiki/Syntax), and under `(?s)`, where `.` matches every
 * character, a leading `^.*` and a trailing `.*$` say nothing more than a search does ("returns true if
 * the string contains a substring that matches", yara-l-2-0-functions/re-regex): `\A(?:.*Terraform.*)\z`
 * is `Terraform`.
 */
function globAnchors(letters: Set<string>, body: string): string {
  if (letters.has('m') || !body.startsWith('\\A(?:') || !body.endsWith(')\\z')) return body;
  let inner = body.slice(5, -3);
  let closes = -1;
  // the group opened after \A closes at the end (`\A(?:a)|\A(?:b)\z` is no such pattern)
  if (!scan(`(${inner})`, (i, d) => void (d === 1 && `(${inner})`[i] === ')' && closes < 0 ? (closes = i) : 0)) || closes !== inner.length + 1) return body;
  if (topLevelAlt(inner) || innerFlags(inner)) return body;
  let start = '^';
  let end = '$';
  if (letters.has('s')) {
    if (inner.startsWith('.*') && !/^\.\*[*+?{]/.test(inner)) {
      inner = inner.slice(2);
      start = '';
    }
    if (inner.endsWith('.*') && !inner.endsWith('\\.*') && inner.length > 0) {
      inner = inner.slice(0, -2);
      end = '';
    }
  }
  return inner === '' ? body : `${start}${inner}${end}`;
}

/** The top-level alternatives of a body (null when it cannot be read). */
function alternatives(body: string): string[] | null {
  const cuts: number[] = [];
  if (!scan(body, (i, d) => void (d === 0 && body[i] === '|' ? cuts.push(i) : 0))) return null;
  const out: string[] = [];
  let from = 0;
  for (const c of [...cuts, body.length]) {
    out.push(body.slice(from, c));
    from = c + 1;
  }
  return out;
}

/**
 * The `)` closing each group of the body, in one scan: open index -> close index (-1 when there is none
 * before the end, or before the point where the scanner stops reading). A group's `)` is the first one
 * after its `(` at the same depth (`scan` reports both at the group's depth).
 */
function groupEnds(body: string): Map<number, number> {
  const ends = new Map<number, number>();
  const pending = new Map<number, number[]>();
  scan(body, (i, d) => {
    const c = body[i];
    if (c === '(') {
      ends.set(i, -1);
      const list = pending.get(d);
      if (list) list.push(i);
      else pending.set(d, [i]);
    } else if (c === ')') {
      const list = pending.get(d);
      if (list && list.length) {
        for (const o of list) ends.set(o, i);
        list.length = 0;
      }
    }
  });
  return ends;
}

/**
 * A group that says nothing written without it: `(?:X)` with no `|` at X's top level and no quantifier
 * after it is X (concatenation is associative): `(?:[^/]*\/)(?:[^/]*\/)` is `[^/]*\/[^/]*\/`.
 */
export function plainGroups(body: string): string {
  for (;;) {
    let found = -1;
    let close = -1;
    // the groups in the order the scanner meets them (a Map keeps insertion order)
    for (const [i, end] of groupEnds(body)) {
      if (!body.startsWith('(?:', i)) continue;
      if (end < 0 || /[*+?{]/.test(body[end + 1] ?? '') || topLevelAlt(body.slice(i + 3, end))) continue;
      found = i;
      close = end;
      break;
    }
    if (found < 0) return body;
    body = body.slice(0, found) + body.slice(found + 3, close) + body.slice(close + 1);
  }
}

const PY_END = '(?:$|\\n\\z)';

/**
 * 3d. Anchors written once, in RE2 without the `m` flag, where `^` and `\A` are both "at beginning of
 * text" and `$` and `\z` both "at end of text (like \z not \Z)" (https://github.com/google/re2/wiki/Syntax):
 * Python's `$` (the end, or before a newline that ends the text; common/regex.ts writes it
 * `(?:$|\n\z)`) is `\n?$`; a group that says nothing is left out (`plainGroups`); and a top-level
 * alternative that starts with `\A` or `\A^` (re.match) starts with `^`, one that ends with `\z` ends
 * with `$`. The same strings, under any other flag.
 */
export function tidyAnchors(letters: Set<string>, body: string): string {
  if (letters.has('m')) return body;
  let out = body;
  for (let at = out.indexOf(PY_END); at >= 0; at = out.indexOf(PY_END, at + 1)) {
    const starts = new Set<number>();
    scan(out, (i) => void starts.add(i));
    const next = out[at + PY_END.length] ?? '';
    if (!starts.has(at) || /[*+?{]/.test(next)) continue;
    out = out.slice(0, at) + '\\n?$' + out.slice(at + PY_END.length);
  }
  out = plainGroups(out);
  const alts = alternatives(out);
  if (!alts) return out;
  return alts
    .map((a) => {
      // after plainGroups a group left here holds a `|` of its own
      let x = a.startsWith('\\A^') ? a.slice(2) : a.startsWith('\\A') && !/^[*+?{]/.test(a.slice(2)) ? `^${a.slice(2)}` : a;
      if (x.endsWith('\\z')) {
        const starts = new Set<number>();
        scan(x, (i) => void starts.add(i));
        if (starts.has(x.length - 2)) x = `${x.slice(0, -2)}$`;
      }
      return x;
    })
    .join('|');
}

/** The leading flag groups as one (`(?s)(?i)` is `(?is)`), without an `s` that says nothing. */
function writeRe(r: ReText): string {
  const letters = new Set(r.flags.replace(/[()?]/g, ''));
  const body = factorAffixes(tidyAnchors(letters, globAnchors(letters, r.body)));
  if (letters.has('s') && firstLineSafe(r.flags.replace(/s/g, ''), body)) letters.delete('s');
  const flags = letters.size ? `(?${[...letters].sort().join('')})` : '';
  return `${r.neg ? 'not ' : ''}re.regex(${r.field}, \`${flags}${body}\`)${r.nocase ? ' nocase' : ''}`;
}

/**
 * A word boundary of identifiers as people read them, between `a` and `b`: either is not a letter or
 * digit, or `b` starts a capitalised word after a lower-case letter or digit (`Get|AccountPassword`).
 */
function wordBoundary(a: string, b: string): boolean {
  if (!/[\p{L}\p{N}]/u.test(a) || !/[\p{L}\p{N}]/u.test(b)) return true;
  return /[\p{Ll}\p{N}]/u.test(a) && /\p{Lu}/u.test(b);
}

/**
 * 3b. A set of literal values (`^(?:a|b)$`, or the prefixes `^(?:a|b)`) with the text every value starts
 * and ends with said once, cut at a word boundary: `^(?:GetAccountPasswordPolicy|PutAccountPasswordPolicy)$`
 * is `^(?:Get|Put)AccountPasswordPolicy$`. The same strings (a concatenation distributes over an
 * alternation), so the same test under any flags and the first-line rule (3.); written only where shorter.
 */
export function factorAffixes(body: string): string {
  const end = body.endsWith('$') && !body.endsWith('\\$');
  const set = literalSet(body, end);
  if (!set || set.length < 2) return body;
  const chars = set.map((x) => [...x]);
  const first = chars[0]!;
  const shortest = Math.min(...chars.map((c) => c.length));
  const at = (c: string[], k: number) => c[c.length - 1 - k];
  // an affix that is a whole value (`GetParameter|GetParameters`) is not said apart: the parts left
  // would still share it (`Get(?:Parameter|Parameters)`)
  let p = 0;
  while (p < shortest && chars.every((c) => c[p] === first[p])) p++;
  if (p === shortest) p = 0;
  while (p > 0 && !chars.every((c) => wordBoundary(c[p - 1]!, c[p]!))) p--;
  let q = 0;
  while (q < shortest - p && chars.every((c) => at(c, q) === at(first, q))) q++;
  if (q === shortest - p) q = 0;
  while (q > 0 && !chars.every((c) => wordBoundary(c[c.length - q - 1]!, c[c.length - q]!))) q--;
  // a word at least (`microsoft.`, `AccountPasswordPolicy`), not a lone separator (`/`, `:`)
  if (p + q < 3) return body;
  const esc = (c: string[]) => yaralReText(c.join(''));
  const mids = chars.map((c) => esc(c.slice(p, c.length - q)));
  const out = `^${esc(first.slice(0, p))}(?:${mids.join('|')})${esc(first.slice(first.length - q))}${end ? '$' : ''}`;
  return out.length < body.length ? out : body;
}

/** The literal text of regex text made only of literal characters and escaped punctuation, or null. */
function literalOf(re: string): string | null {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      const d = re[i + 1];
      if (d === undefined || !/[!-/:-@[-`{-~]/.test(d)) return null;
      out += d;
      i++;
    } else if ('.^$*+?()[]{}|'.includes(c)) return null;
    else out += c;
  }
  return out;
}

/** The literal alternatives of `^(?:a|b)` / `^a` (`end`: followed by `$`), or null. */
function literalSet(body: string, end: boolean): string[] | null {
  if (!body.startsWith('^') || end !== body.endsWith('$')) return null;
  let inner = body.slice(1, end ? -1 : undefined);
  if (inner.startsWith('(?:') && inner.endsWith(')')) {
    let closes = -1;
    if (!scan(inner, (i, d) => void (inner[i] === ')' && d === 1 && closes < 0 ? (closes = i) : 0))) return null;
    if (closes === inner.length - 1) inner = inner.slice(3, -1);
  }
  const alts: string[] = [];
  let start = 0;
  if (!scan(inner, (i, d) => void (inner[i] === '|' && d === 0 ? (alts.push(inner.slice(start, i)), (start = i + 1)) : 0))) return null;
  alts.push(inner.slice(start));
  const lits = alts.map(literalOf);
  return lits.every((x): x is string => x !== null && x !== '') ? lits : null;
}

/**
 * 2c. Within one group of regexes joined on a field (2.), the exact values and the prefixes said once:
 * an equality on the field in the same junction (`f = "v"` in an `or`, `f != "v"` in an `and`) is one
 * more exact value of a regex of exact values there (`^(?:a|b)$`, the printer's list: `v` is `^v$` under
 * the same `(?s)`), and an exact value that starts with one of the group's literal prefixes (`^p`, no end
 * anchor) is left out, as the prefix matches it: `^(?:(?:aksService|masterclient)$|masterclient)` is
 * `^(?:aksService$|masterclient)`. The same language, so the same test (per copy: 1.). Returns the
 * bodies, or null when nothing changes.
 */
function exactAndPrefixes(res: ReText[], eqs: string[]): string[] | null {
  if (res.some((r) => r.flags !== '(?s)')) return null;
  const exact: string[] = [];
  const prefixes: string[] = [];
  const other: string[] = [];
  let sets = 0;
  for (const r of res) {
    const e = literalSet(r.body, true);
    const p = e ? null : literalSet(r.body, false);
    if (e) {
      sets++;
      exact.push(...e);
    } else if (p) prefixes.push(...p);
    else other.push(r.body);
  }
  if (sets === 0 || (eqs.length === 0 && prefixes.length === 0)) return null;
  const all = [...new Set([...exact, ...eqs])];
  const kept = all.filter((x) => !prefixes.some((p) => x.startsWith(p)));
  if (eqs.length === 0 && kept.length === exact.length) return null;
  const esc = (x: string) => yaralReText(x);
  const sorted = kept.sort();
  const bodies: string[] = [];
  if (sorted.length) bodies.push(sorted.length === 1 ? `^${esc(sorted[0]!)}$` : `^(?:${sorted.map(esc).join('|')})$`);
  // the prefixes, one body each (joinBodies writes them under one `^`)
  for (const p of [...new Set(prefixes)]) bodies.push(`^${esc(p)}`);
  return [...bodies, ...other];
}

/** Join the regexes of one junction that test one field with the same flags (positive ones in an `or`, negated ones in an `and`). */
function joinRegexes(op: 'and' | 'or', args: Out[]): Out[] {
  const groups = new Map<string, { at: number; res: ReText[] }>();
  const out: (Out | null)[] = [];
  // equalities of the junction's polarity with a plain quoted value (2c.), by field
  const eqs = new Map<string, { at: number; v: string }[]>();
  args.forEach((a, at) => {
    // (`nocase` ones with the regexes read `nocase`, the others with the others: keyed by both)
    const m = a.k === 'text' ? new RegExp(`^(${FIELD}) ${op === 'or' ? '=' : '!='} "([^"\\\\\\x00-\\x1f]+)"( nocase)?$`).exec(a.s) : null;
    const key = m ? `${m[1]}\u0000${!!m[3]}` : '';
    if (m) eqs.set(key, [...(eqs.get(key) ?? []), { at, v: m[2]! }]);
  });
  const absorbed = new Set<Out>();
  for (const a of args) {
    const r = a.k === 'text' ? readRe(a.s) : null;
    // a named group is left alone: two bodies naming the same group do not make one pattern
    const ok = r && (op === 'or' ? !r.neg : r.neg) && !namedGroup(r.body);
    if (!r || !ok) {
      out.push(a);
      continue;
    }
    const k = `${r.field}\u0000${r.flags}\u0000${r.nocase}`;
    const g = groups.get(k);
    if (g) g.res.push(r);
    else {
      groups.set(k, { at: out.length, res: [r] });
      out.push(null);
    }
  }
  for (const g of groups.values()) {
    const first = g.res[0]!;
    const fieldEqs = eqs.get(`${first.field}\u0000${first.nocase}`) ?? [];
    const merged = exactAndPrefixes(g.res, fieldEqs.map((e) => e.v));
    if (merged && fieldEqs.length) for (const e of fieldEqs) absorbed.add(args[e.at]!);
    const bodies = merged ?? g.res.map((x) => x.body);
    out[g.at] = { k: 'text', s: `${first.neg ? 'not ' : ''}re.regex(${first.field}, \`${first.flags}${joinBodies(bodies)}\`)${first.nocase ? ' nocase' : ''}` };
  }
  return (out as Out[]).filter((o) => !absorbed.has(o));
}

/** Regexes joined per field and written without a `(?s)` that says nothing. */
export function tidyRegexes(o: Out): Out {
  if (o.k === 'text') {
    const r = readRe(o.s);
    return r ? { k: 'text', s: writeRe(r) } : o;
  }
  if (o.k === 'const') return o;
  const args = joinRegexes(o.k, o.args).map(tidyRegexes);
  return args.length === 1 ? args[0]! : { k: o.k, args };
}

/**
 * 4. Each regex test written as YARA-L's regex comparison, after every step above has read the
 * `re.regex` form: `re.regex(f, `r`)` is `f = /r/` ("You can define regular expression matching in
 * YARA-L 2.0 using either of the following syntax: $e.field = /regex/ ... re.regex($e.field, `regex`)",
 * yara-l-2-0-functions/re-regex), and its negation `not (f = /r/)`, parenthesised: the precedence of
 * `not` over `=` is not documented.
 */
export function regexLiterals(o: Out): Out {
  if (o.k === 'text') {
    const r = readRe(o.s);
    if (!r) return o;
    const lit = `${r.field} = ${yaralRegexLiteral(r.flags + r.body)}${r.nocase ? ' nocase' : ''}`;
    return { k: 'text', s: r.neg ? `not (${lit})` : lit };
  }
  if (o.k === 'const') return o;
  return { k: o.k, args: o.args.map(regexLiterals) };
}

// ---------------------------------------------------------------------------------------------
// 2b. A choice on one test

const leaves = (o: Out): number => outTexts(o).length;

/** Are the two texts a test and its complement (the reading, 1.)? */
function complementary(a: string, b: string): boolean {
  const p = parse(a);
  const q = parse(b);
  return p.k === 'lit' && q.k === 'lit' && p.total && q.total && p.key === q.key && p.neg !== q.neg;
}

/** The operands of an `and` but one, as one term. */
function without(x: { args: Out[] }, drop: Out): Out {
  const rest = x.args.filter((a) => a !== drop);
  return rest.length === 1 ? rest[0]! : and(...rest);
}

/**
 * `(L and A) or (not L and B)` as `(not L or A) and (L or B)` where a regex L then joins a regex of A or
 * B (see the module comment, 2b.); L is the positive regex, so the form does not depend on the order of
 * the two operands. Bottom-up; an `or` is rewritten once per pass over its operands.
 */
export function joinChoices(o: Out): Out {
  if (o.k !== 'and' && o.k !== 'or') return o;
  const args = o.args.map(joinChoices);
  const changed = args.some((a, i) => a !== o.args[i]);
  const self: Out = changed ? (o.k === 'and' ? and : or)(...args) : o;
  if (self.k !== 'or') return self;
  const ops = self.args;
  for (let i = 0; i < ops.length; i++) {
    const x = ops[i]!;
    if (x.k !== 'and') continue;
    for (const l of x.args) {
      const r = l.k === 'text' ? readRe(l.s) : null;
      if (!r || r.neg) continue;
      for (let j = 0; j < ops.length; j++) {
        const y = ops[j]!;
        if (j === i || y.k !== 'and') continue;
        const nl = y.args.find((m) => m.k === 'text' && complementary((l as { s: string }).s, m.s));
        if (!nl) continue;
        const choice = and(or(nl, without(x, l)), or(l, without(y, nl)));
        if (leaves(tidyRegexes(choice)) >= leaves(tidyRegexes(or(x, y)))) continue;
        const at = Math.min(i, j);
        return or(...ops.flatMap((a, k) => (k === at ? [choice] : k === i || k === j ? [] : [a])));
      }
    }
  }
  return self;
}
