/**
 * Python's `a.startswith(b)` / `a.endswith(b)` between two computed strings (a `rel` atom) as Logs
 * Insights' string functions (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html,
 * "String functions"):
 *   - `startsWith(str, searchValue)` / `endsWith(str, searchValue)`: "Returns 1 if `str` starts (ends) with
 *     `searchValue` and 0 otherwise" (a number, compared with 1 or 0 in a filter; "Use string functions in
 *     the `fields` and `filter` commands and as arguments for other functions");
 *   - `concat(str, ...strings)`: "Concatenates the strings";
 *   - `regexReplace(fieldName, pattern, replacement)`: "Replaces all substrings matching the regular
 *     expression `pattern` with `replacement`. Uses RE2 regex syntax": the last piece of `x.split(c)` is
 *     `regexReplace(x, "(?s)^.*c", "")` (greedy `.*`, `(?s)` letting `.` match a newline: the text up to the
 *     last c goes; without a c, x itself, as Python's `[-1]`), the first `regexReplace(x, "(?s)c.*", "")`.
 * Python reads a missing field as its default (a missing one without a string default raises: no alert);
 * what the functions make of an absent field is not documented, so every field is read under
 * `ispresent()` and, where it is absent, the text Python reads there is put in its place (one case per
 * field of `b`, Shannon's expansion, and `a` under its own guard). Whether every string starts with ""
 * is not stated either: `b` empty makes the relation true (Python), and the function is read only where
 * `b` is not empty (`isempty(f)` for a field, and for a piece of x, x empty or x ending (starting) with c).
 */
export type BT = boolean | { t: string; not: string } | { k: 'and' | 'or'; args: BT[] };

/** An and/or of the operands, flattened, with the constants folded (the unit left out, the zero deciding). */
const junction =
  (k: 'and' | 'or') =>
  (...xs: BT[]): BT => {
    const unit = k === 'and';
    const args: BT[] = [];
    for (const x of xs) {
      if (x === !unit) return !unit;
      if (x === unit) continue;
      if (typeof x === 'object' && 'k' in x && x.k === k) args.push(...x.args);
      else args.push(x);
    }
    return args.length === 0 ? unit : args.length === 1 ? args[0]! : { k, args };
  };

export const bAnd = junction('and');
export const bOr = junction('or');

export const bNot = (x: BT): BT => {
  if (typeof x === 'boolean') return !x;
  if ('t' in x) return { t: x.not, not: x.t };
  return (x.k === 'and' ? bOr : bAnd)(...x.args.map(bNot));
};

/**
 * A piece of a string: literal text, a field's text, or the first or last piece of a field split on `sep`.
 * `dflt`: Python's text where the field is missing, null where Python raises there, or, with `none` (a
 * field compared as it is, `equalityTree`), where Python reads None.
 */
export type Part = { lit: string } | { field: string; dflt: string | null; piece?: { sep: string; which: 0 | -1 }; none?: true };

/** What the printer writes: a string literal (null where it cannot), a field name as it is. */
export interface RelSyntax {
  str(v: string): string | null;
}

type FieldPart = Extract<Part, { field: string }>;

/** Python's `s.split(sep)[which]`. */
const pieceOf = (s: string, p: NonNullable<FieldPart['piece']>): string => {
  const ps = s.split(p.sep);
  return p.which === 0 ? ps[0]! : ps[ps.length - 1]!;
};

/** A regexReplace() pattern for a piece; null where the separator needs an escape (none is documented in a string). */
function cutPattern(p: NonNullable<FieldPart['piece']>): string | null {
  const c = p.sep;
  if (c.length !== 1 || '\\"[]^'.includes(c)) return null;
  const lit = '.+*?()|{}$'.includes(c) ? `[${c}]` : c;
  return p.which === -1 ? `(?s)^.*${lit}` : `(?s)${lit}.*`;
}

const present = (f: string): BT => ({ t: `ispresent(${f})`, not: `not (ispresent(${f}))` });

/** Raised where a piece cannot be written (caught by equalityTree and relationTree, which then give null). */
class Unwritable extends Error {}
const UNWRITABLE = new Unwritable();

/** `f()`, or null where it met a piece that cannot be written. */
function writable(f: () => BT): BT | null {
  try {
    return f();
  } catch (e) {
    if (e === UNWRITABLE) return null;
    throw e;
  }
}

/** A string literal as the printer writes it (raises Unwritable where it cannot). */
function strText(v: string, syn: RelSyntax): string {
  const q = syn.str(v);
  if (q === null) throw UNWRITABLE;
  return q;
}

/** The text of parts that all are literals, else null. */
function litsText(parts: readonly Part[]): string | null {
  return parts.every((p) => 'lit' in p) ? parts.map((p) => (p as { lit: string }).lit).join('') : null;
}

/** The string expression of parts (one part, or their concat()). */
function partsText(parts: readonly Part[], syn: RelSyntax): string {
  const texts = parts.map((p) => ('lit' in p ? strText(p.lit, syn) : pieceText(p, syn)));
  return texts.length === 1 ? texts[0]! : `concat(${texts.join(', ')})`;
}

/**
 * Python's `a == b` (negated where `neg`) between two computed strings, or null where a piece cannot be
 * written: one case per field (Shannon's expansion) under `ispresent()`, a missing field read as Python's
 * text there (a raise: false either way), then `A = B` / `A != B` on present strings (comparison
 * operators "accept all data types as arguments", a function's value among them: the documentation's own
 * `filter toMillis(@timestamp) >= (now() * 1000 - 7200000)`), or Python's answer where both are literal.
 */
export function equalityTree(a: Part[], b: Part[], neg: boolean, syn: RelSyntax): BT | null {
  const fields = [...new Set([...a, ...b].filter((p): p is FieldPart => 'field' in p).map((p) => p.field))];
  if (fields.length > 3) return null;
  const side = (parts: Part[], absent: ReadonlySet<string>): { lit: string } | { text: string } | 'raise' | 'none' => {
    const out: Part[] = [];
    for (const p of parts) {
      if ('lit' in p || !absent.has(p.field)) out.push(p);
      else if (p.none && parts.length === 1) return 'none';
      else if (p.dflt === null) return 'raise';
      else out.push({ lit: p.piece ? pieceOf(p.dflt, p.piece) : p.dflt });
    }
    const merged = joinLiterals(out);
    const lits = litsText(merged);
    return lits !== null ? { lit: lits } : { text: partsText(merged, syn) };
  };
  const leaf = (absent: ReadonlySet<string>): BT => {
    const x = side(a, absent);
    const y = side(b, absent);
    if (x === 'raise' || y === 'raise') return false;
    // Python's None equals no string, and None
    if (x === 'none' || y === 'none') return (x === y) !== neg;
    if ('lit' in x && 'lit' in y) return (x.lit === y.lit) !== neg;
    // the computed side first, a literal after it
    const [u, v] = 'lit' in x ? [y, x] : [x, y];
    const tx = 'lit' in u ? strText(u.lit, syn) : u.text;
    const ty = 'lit' in v ? strText(v.lit, syn) : v.text;
    const t: BT = { t: `${tx} = ${ty}`, not: `${tx} != ${ty}` };
    return neg ? bNot(t) : t;
  };
  return writable(() => byPresence(fields, leaf));
}

/** The parts with adjacent literals joined and empty literals left out. */
function joinLiterals(parts: readonly Part[]): Part[] {
  const merged: Part[] = [];
  for (const p of parts) {
    const last = merged[merged.length - 1];
    if ('lit' in p && last && 'lit' in last) merged[merged.length - 1] = { lit: last.lit + p.lit };
    else if (!('lit' in p && p.lit === '')) merged.push(p);
  }
  return merged;
}

/**
 * One case per field (Shannon's expansion): `ispresent(f) and <f present> or not (ispresent(f)) and <f
 * absent>`, a field whose presence changes nothing left out; `leaf` decides once every field is known
 * present or absent (`absent` holds the absent ones).
 */
function byPresence(fields: readonly string[], leaf: (absent: ReadonlySet<string>) => BT): BT {
  const go = (i: number, absent: Set<string>): BT => {
    if (i === fields.length) return leaf(absent);
    const f = fields[i]!;
    const on = go(i + 1, absent);
    const off = go(i + 1, new Set([...absent, f]));
    if (JSON.stringify(on) === JSON.stringify(off)) return on;
    return bOr(bAnd(present(f), on), bAnd(bNot(present(f)), off));
  };
  return go(0, new Set());
}

/** The text of a present field part: the field, or its piece cut with regexReplace() (raises Unwritable where it cannot be written). */
function pieceText(p: FieldPart, syn: RelSyntax): string {
  if (!p.piece) return p.field;
  const pat = cutPattern(p.piece);
  if (pat === null) throw UNWRITABLE;
  return `regexReplace(${p.field}, ${strText(pat, syn)}, "")`;
}

/**
 * The relation `a.<rel>(b)` (negated where `neg`) as a condition, or null where a piece cannot be written.
 * `a` is one part (a field or a literal), `b` any parts.
 */
export function relationTree(rel: 'startswith' | 'endswith', a: Part, b: Part[], neg: boolean, syn: RelSyntax): BT | null {
  const fn = rel === 'startswith' ? 'startsWith' : 'endsWith';
  const lit = (v: string): string => strText(v, syn);
  const call = (s: string, t: string): BT => ({ t: `${fn}(${s}, ${t}) = 1`, not: `${fn}(${s}, ${t}) = 0` });
  const py = (s: string, t: string) => (rel === 'startswith' ? s.startsWith(t) : s.endsWith(t));
  const fieldsOfB = [...new Set(b.filter((p): p is FieldPart => 'field' in p).map((p) => p.field))];
  if (fieldsOfB.length > 3) return null;

  /** Where a present part is empty. */
  const emptyOf = (p: FieldPart): BT => {
    const e: BT = { t: `isempty(${p.field})`, not: `not (isempty(${p.field}))` };
    if (!p.piece) return e;
    const q = lit(p.piece.sep);
    const f = p.piece.which === -1 ? 'endsWith' : 'startsWith';
    return bOr(e, { t: `${f}(${p.field}, ${q}) = 1`, not: `${f}(${p.field}, ${q}) = 0` });
  };

  /**
   * The relation once every field of b is known present or absent (`absent`): Python raises, a condition, or
   * a's guard with the relation where a is present and where it is absent (its default, or a raise).
   */
  type Leaf = 'raise' | { bt: BT } | { a: BT; onPresent: BT; onAbsent: BT | 'raise' };
  const leaf = (absent: ReadonlySet<string>): Leaf => {
    const parts: Part[] = [];
    for (const p of b) {
      if ('lit' in p || !absent.has(p.field)) {
        parts.push(p);
        continue;
      }
      if (p.dflt === null) return 'raise';
      parts.push({ lit: p.piece ? pieceOf(p.dflt, p.piece) : p.dflt });
    }
    // b is empty exactly where every field part is
    const merged = joinLiterals(parts);
    const fieldParts = merged.filter((p): p is FieldPart => 'field' in p);
    const litText = litsText(merged);
    const empty: BT = merged.some((p) => 'lit' in p) ? false : bAnd(...fieldParts.map(emptyOf));
    const bText = litText === null ? partsText(merged, syn) : null;
    // a's side: a literal, or a field under its guard (absent: its default, or Python raises)
    if ('lit' in a) {
      if (litText !== null) return { bt: py(a.lit, litText) };
      if (a.lit === '') return { bt: empty };
      return { bt: bOr(empty, call(lit(a.lit), bText!)) };
    }
    if (a.piece) throw UNWRITABLE;
    let onPresent: BT;
    if (litText !== null) onPresent = litText === '' ? true : call(a.field, lit(litText));
    else onPresent = bOr(empty, call(a.field, bText!));
    let onAbsent: BT | 'raise';
    if (a.dflt === null) onAbsent = 'raise';
    else if (litText !== null) onAbsent = py(a.dflt, litText);
    else if (a.dflt === '') onAbsent = empty;
    else onAbsent = bOr(empty, call(lit(a.dflt), bText!));
    const p = present(a.field);
    // the common case, a's default "" with b not literal: b empty, or a present and b its prefix (suffix)
    if (onAbsent === empty && typeof empty !== 'boolean' && litText === null) return { bt: bOr(empty, bAnd(p, call(a.field, bText!))) };
    return { a: p, onPresent, onAbsent };
  };

  /**
   * A leaf's condition for the literal's polarity (a raise is false either way: no alert); `side` the part
   * where a is present or absent alone (a leaf without a's guard is the same on both sides).
   */
  const polar = (x: Leaf, side: 'both' | 'present' | 'absent'): BT => {
    if (x === 'raise') return false;
    if ('bt' in x) return neg ? bNot(x.bt) : x.bt;
    const pol = (v: BT | 'raise'): BT => (v === 'raise' ? false : neg ? bNot(v) : v);
    if (side === 'present') return pol(x.onPresent);
    if (side === 'absent') return pol(x.onAbsent);
    return bOr(bAnd(x.a, pol(x.onPresent)), bAnd(bNot(x.a), pol(x.onAbsent)));
  };

  const expand = (side: 'both' | 'present' | 'absent'): BT => byPresence(fieldsOfB, (absent) => polar(leaf(absent), side));
  // a's guard outside the cases of b where a's absence decides alike in every one (a's default "" and b
  // never empty: `"".endswith(b)` is false)
  return writable(() => {
    const onAbsent = 'field' in a ? expand('absent') : null;
    return 'field' in a && typeof onAbsent === 'boolean' ? bOr(bAnd(bNot(present(a.field)), onAbsent), bAnd(present(a.field), expand('present'))) : expand('both');
  });
}
