/**
 * The syntax tree the KQL evaluator reads: built by `parser.ts` (the subset the targets emit, with
 * the node kinds and member names of Microsoft's Kusto.Language), and the few accessors the evaluator
 * uses on it. `kusto-tree.ts` builds the same tree with Kusto.Language itself; a test holds the two
 * equal on every emitted query.
 */
import { Refusal } from '../types.js';
import { KqlNode, parseKqlText } from './parser.js';

/** A node of the tree (Kusto.Language's nodes have the same shape: only the members used here are typed). */
export interface KNode {
  Kind: number;
  ChildCount: number;
  GetChild(i: number): KNode | null;
  IsToken: boolean;
  Text: string;
  ToString(): string;
  LiteralValue: unknown;
  [member: string]: unknown;
}

/** Parse a query; throws `Refusal` on a syntax error or on text outside the subset the evaluator reads. */
export function parseKql(text: string): KNode {
  return parseKqlText(text) as unknown as KNode;
}

/** The kind name of a node (`EqualExpression`, `FilterOperator`, ...). */
export function kind(n: KNode): string {
  return n instanceof KqlNode ? n.kindName : String(n.Kind);
}

/** A named member of a node (a child node, a token or a list), as the Kusto.Language API names it. */
export function member(n: KNode, name: string): KNode | null {
  const v = n[name];
  return (v ?? null) as KNode | null;
}

export function must(n: KNode, name: string): KNode {
  const v = member(n, name);
  if (!v) throw new Refusal(`KQL ${kind(n)} without ${name}`);
  return v;
}

/** The elements of a SyntaxList (of SeparatedElements or plain nodes). */
export function elements(list: KNode | null): KNode[] {
  if (!list) return [];
  const out: KNode[] = [];
  for (let i = 0; i < list.ChildCount; i++) {
    const c = list.GetChild(i);
    if (!c) continue;
    if (kind(c) === 'SeparatedElement') {
      const e = member(c, 'Element');
      if (e) out.push(e);
    } else out.push(c);
  }
  return out;
}

/** The text of a name (NameReference, NameDeclaration, BracketedName, TokenName). */
export function nameText(n: KNode): string {
  const s = n['SimpleName'];
  if (typeof s === 'string') return s;
  throw new Refusal(`KQL name ${kind(n)}`);
}

/** A short excerpt of a node's text for messages. */
export function excerpt(n: KNode): string {
  const t = n.ToString().trim().replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}
