/**
 * Microsoft's Kusto.Language parser (npm `@kusto/language-service-next`, a Bridge.NET build that
 * defines the global `Kusto`), loaded once by `kustoLanguage()` of `src/mapping/kusto.ts`, and the few
 * accessors the evaluator uses on its syntax tree. Only the parser is used (`KustoCode.Parse`): the
 * evaluator reads the tree, never the text.
 */
import { kustoLanguage } from '../../mapping/kusto.js';
import { Refusal } from '../types.js';

/** A node of the Kusto syntax tree (Bridge.NET object; only the members used here are typed). */
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

interface KustoGlobal {
  Language: {
    KustoCode: { Parse(text: string): { Syntax: KNode; GetDiagnostics(): { Count: number; getItem(i: number): { Message: string; Start: number; Severity: string } } } };
    Syntax: { SyntaxKind: Record<string, number> };
  };
}

let kusto: KustoGlobal | undefined;
let kindNames: Map<number, string> | undefined;

function load(): KustoGlobal {
  if (kusto) return kusto;
  kusto = kustoLanguage<KustoGlobal>();
  kindNames = new Map();
  for (const [name, v] of Object.entries(kusto.Language.Syntax.SyntaxKind)) if (typeof v === 'number' && !kindNames.has(v)) kindNames.set(v, name);
  return kusto;
}

/** Parse a query; throws `Refusal` on a syntax error (the artifact is not valid KQL). */
export function parseKql(text: string): KNode {
  const k = load();
  const code = k.Language.KustoCode.Parse(text);
  const diags = code.GetDiagnostics();
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i);
    if (d.Severity === 'Error') throw new Refusal(`KQL syntax error at offset ${d.Start}: ${d.Message}`);
  }
  return code.Syntax;
}

/** The SyntaxKind name of a node (`EqualExpression`, `FilterOperator`, ...). */
export function kind(n: KNode): string {
  load();
  return kindNames!.get(n.Kind) ?? String(n.Kind);
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
