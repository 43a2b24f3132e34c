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
import type { KqlQuery } from './index.js';

/** One branch of the union: its query, and the columns (name → Kusto type) of each table it reads (undefined: not known). */
export interface UnionPart {
  query: KqlQuery;
  tables: (Record<string, string> | undefined)[];
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
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
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

/**
 * The union factored: each branch's query without what moved, and the conjuncts and tail that run once
 * after the union. `countsAfter`: the branches have no tail of their own (a threshold counts over the union).
 */
export function hoistUnion(parts: UnionPart[], countsAfter: boolean): { branches: KqlQuery[]; where: string[]; tail: string[] } {
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
