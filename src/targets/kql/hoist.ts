/**
 * A union of one query per log type, factored: what every branch does alike is written once, after the
 * union, instead of once per branch (`union isfuzzy=true (A | where x | project TimeGenerated), (B | where
 * x | project TimeGenerated)` reads `union isfuzzy=true A, B | where x | project TimeGenerated`).
 *
 * Exact: a `where` filters row by row and a `project` maps row by row, so each commutes with a union
 * (learn.microsoft.com/kusto/query/union-operator: the union's rows are the rows of each branch) provided
 * the operator reads the same values after the union as in the branch. A union's result has every
 * column of its branches, and "columns of the same name and different types" are renamed per type
 * (`x_string`, `x_long`: union-operator, "Returns"): so an operator is moved only when every column it
 * reads is a column of every table of every branch, of one type in all of them, and no branch defines a
 * column of that name itself (an `extend` or `mv-apply` before it). A column the text reads that is not
 * known (a table the schemas do not describe, a bracketed name) keeps the operator in its branches.
 *
 * Conjuncts are moved when every branch has them (the same text; the branches' `where` conjuncts are each
 * one test of a conjunction, in any order); the tail (`project ...`) when every branch has the same one and
 * it names plain columns only. Conjuncts move only together with the tail, or when the branches have no
 * tail (a threshold counts after the union): a branch's `project` drops the columns a test reads.
 */
import { KQL_LEX } from '../common/outctx.js';
import type { KqlQuery } from './index.js';

/** One branch of the union: its query, and the columns (name → Kusto type) of each table it reads (undefined: not known). */
export interface UnionPart {
  query: KqlQuery;
  tables: (Record<string, string> | undefined)[];
  /** Columns made strings before the branch's stages (`retyped`); `tables` gives them as strings. */
  retype?: string[];
}

/** The words of a KQL condition or `project` that are not column names (operators, literals). */
const OPERATOR_WORDS = new Set([
  'and', 'or', 'in', 'has', 'has_cs', 'hasprefix', 'hasprefix_cs', 'hassuffix', 'hassuffix_cs', 'contains', 'contains_cs',
  'startswith', 'startswith_cs', 'endswith', 'endswith_cs', 'matches', 'regex', 'between', 'has_any', 'has_all',
  'true', 'false',
]);

/**
 * The column names a condition text reads: its bare identifiers outside string literals, not a
 * function's name (followed by `(`), not a member (after `.`), not an operator word. Null when the text
 * holds what this reading does not follow (a bracketed name or index, a verbatim or single-quoted string).
 */
export function columnsRead(text: string): string[] | null {
  const out = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = KQL_LEX.quoted(text, i);
      if (end < 0) return null;
      i = end - 1;
      continue;
    }
    if (c === "'" || c === '@' || c === '[' || c === '`') return null;
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      const word = text.slice(i, j);
      const before = text.slice(0, i).trimEnd();
      const member = before.endsWith('.');
      const call = /^\s*\(/.test(text.slice(j));
      // a word right after a number is a unit or exponent (10m, 1e5)
      const unit = /[0-9]$/.test(text.slice(0, i));
      if (!member && !call && !unit && !OPERATOR_WORDS.has(word)) out.add(word);
      i = j - 1;
    }
  }
  return [...out];
}

/** The names the branch's stages define or mention (an operator reading one of them stays in the branch). */
function stageWords(q: KqlQuery): Set<string> {
  const out = new Set<string>();
  for (const s of q.stages) for (const m of s.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) out.add(m[0]);
  return out;
}

/** Does `text` read only columns every table of every branch has, of one type, that no branch's stages define? */
function movable(text: string, parts: UnionPart[], defined: Set<string>): boolean {
  const cols = columnsRead(text);
  if (!cols) return false;
  return cols.every((c) => {
    if (defined.has(c)) return false;
    let type: string | undefined;
    for (const p of parts) {
      if (p.tables.length === 0) return false;
      for (const t of p.tables) {
        const ty = t?.[c];
        if (!ty || (type !== undefined && ty !== type)) return false;
        type = ty;
      }
    }
    return true;
  });
}

/** `text` with `fn` applied to its pieces outside double-quoted string literals. */
function outsideStrings(text: string, fn: (s: string) => string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '"') continue;
    out += fn(text.slice(start, i));
    const end = KQL_LEX.quoted(text, i);
    start = end < 0 ? text.length : end;
    out += text.slice(i, start);
    i = start - 1;
  }
  return out + fn(text.slice(start));
}

/**
 * A column that is a string in some branches' tables and dynamic in others (a log type whose custom table
 * holds it as a JSON value): a dynamic branch that reads it only as `tostring(C)` (and projects it) reads it
 * the same after `extend C = tostring(C)` (learn.microsoft.com/kusto/query/extend-operator: a column the
 * extend names that exists is replaced by the new value), with `C` for each `tostring(C)`; the column is
 * then a string in every branch, and the branches' tests on it read alike. The branches so rewritten, or
 * null when no column is read that way.
 */
function retyped(parts: UnionPart[]): UnionPart[] | null {
  const texts = (q: KqlQuery) => [...q.where, ...q.tail];
  const names = new Set(parts.flatMap((p) => texts(p.query).flatMap((t) => columnsRead(t) ?? [])));
  const defined = new Set(parts.flatMap((p) => [...stageWords(p.query)]));
  let out = parts;
  let changed = false;
  for (const c of names) {
    if (defined.has(c) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c)) continue;
    const types = out.map((p) => new Set(p.tables.map((t) => t?.[c])));
    if (!types.some((t) => t.size === 1 && t.has('string')) || !types.some((t) => t.has('dynamic'))) continue;
    // every branch: all its tables string, or all dynamic
    if (types.some((t) => t.size !== 1 || !(t.has('string') || t.has('dynamic')))) continue;
    const call = new RegExp(`\\btostring\\(${c}\\)`, 'g');
    const bare = new RegExp(`(?<![.\\w])${c}\\b(?!\\s*\\()`);
    const next: UnionPart[] = [];
    let ok = true;
    for (const [i, p] of out.entries()) {
      if (!types[i]!.has('dynamic')) {
        next.push(p);
        continue;
      }
      const where = p.query.where.map((w) => outsideStrings(w, (s) => s.replace(call, c)));
      // a test that reads the dynamic value otherwise (a member, its type, its truthiness) keeps the branch as it is
      let other = false;
      for (const w of p.query.where) outsideStrings(w, (s) => ((other ||= bare.test(s.replace(call, ''))), s));
      if (other) ok = false;
      if (p.query.tail.some((t) => !/^project /.test(t))) ok = false;
      if (!ok) break;
      next.push({
        query: { ...p.query, where, columns: p.query.columns.map((col) => (col.name === c ? { ...col, kind: 'string' } : col)) },
        tables: p.tables.map((t) => (t ? { ...t, [c]: 'string' } : t)),
        retype: [...(p.retype ?? []), c],
      });
    }
    if (!ok) continue;
    out = next;
    changed = true;
  }
  return changed ? out : null;
}

/**
 * The union factored: each branch's query without what moved, and the conjuncts and tail that run once
 * after the union. `countsAfter`: the branches have no tail of their own (a threshold counts over the union).
 * A column read as a string in some branches and as `tostring()` of a dynamic one in others is first made
 * a string in every branch (`retyped`), when that lets something move.
 */
export function hoistUnion(parts: UnionPart[], countsAfter: boolean): { branches: KqlQuery[]; where: string[]; tail: string[] } {
  const plain = hoistParts(parts, countsAfter);
  const re = retyped(parts);
  if (!re) return plain;
  const h = hoistParts(re, countsAfter);
  // the retyping first, before the branch's own stages: of the columns the branch still reads, or the
  // union's operators read (a column neither reads keeps its type)
  const after = new Set([...h.where, ...h.tail].flatMap((t) => columnsRead(t) ?? []));
  const out = {
    ...h,
    branches: h.branches.map((b, i) => {
      const own = new Set([...b.where, ...b.tail].flatMap((t) => columnsRead(t) ?? []));
      const cols = (re[i]!.retype ?? []).filter((c) => after.has(c) || own.has(c));
      return { ...b, stages: [...(cols.length ? [`extend ${cols.map((c) => `${c} = tostring(${c})`).join(', ')}`] : []), ...b.stages] };
    }),
  };
  // only when the query is the shorter for it (one conjunct moved may cost more than the retyping saves)
  return size(out) < size(plain) ? out : plain;
}

/** The characters of a factored union's operators (its branches' and its own). */
function size(h: { branches: KqlQuery[]; where: string[]; tail: string[] }): number {
  return [...h.branches.flatMap((b) => [...b.stages, ...b.where, ...b.tail]), ...h.where, ...h.tail].reduce((n, t) => n + t.length + 3, 0);
}

function hoistParts(parts: UnionPart[], countsAfter: boolean): { branches: KqlQuery[]; where: string[]; tail: string[] } {
  const same = { branches: parts.map((p) => p.query), where: [] as string[], tail: [] as string[] };
  if (parts.length < 2) return same;
  const defined = new Set(parts.flatMap((p) => [...stageWords(p.query)]));
  const first = parts[0]!.query;
  // the tail: the same `project` of plain columns in every branch
  let tail: string[] = [];
  // a branch that projects its own columns before the count (unionThreshold) keeps its tests
  if (countsAfter && parts.some((p) => p.query.tail.length > 0)) return same;
  if (!countsAfter) {
    const text = first.tail.join('\n');
    const plain = first.tail.length === 1 && /^project [A-Za-z_][A-Za-z0-9_]*(, [A-Za-z_][A-Za-z0-9_]*)*$/.test(first.tail[0]!);
    if (!plain || parts.some((p) => p.query.tail.join('\n') !== text) || !movable(first.tail[0]!.slice('project '.length), parts, defined)) return same;
    tail = first.tail;
  }
  // the conjuncts every branch has
  const where = first.where.filter((w) => parts.every((p) => p.query.where.includes(w)) && movable(w, parts, defined));
  const moved = new Set(where);
  return {
    branches: parts.map((p) => ({ ...p.query, where: p.query.where.filter((w) => !moved.has(w)), tail: countsAfter ? p.query.tail : [] })),
    where,
    tail,
  };
}
