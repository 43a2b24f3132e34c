/**
 * Microsoft's Kusto.Language parser (npm `@kusto/language-service-next`, a Bridge.NET build that
 * defines the global `Kusto`), loaded once by `kustoLanguage()` of `src/mapping/kusto.ts`, and the few
 * accessors the evaluator uses on its syntax tree. Only the parser is used (what `KustoCode.Parse` does, see `parseQuery`): the
 * evaluator reads the tree, never the text.
 */
import { kustoLanguage, saveKustoCodeCache } from '../../mapping/kusto.js';
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

type Diagnostics = { Count: number; getItem(i: number): { Message: string; Start: number; Severity: string } };
interface KustoGlobal {
  Language: {
    KustoCode: {
      Parse(text: string): { Syntax: KNode; GetDiagnostics(): Diagnostics };
      GetKind(text: string): string;
    };
    Editor: { CodeKinds: { Query: string } };
    ParseOptions: { Default: ParseOptions };
    ParserKind: { Default: number };
    Parsing: {
      TokenParser: { ParseTokens(text: string, options: ParseOptions): unknown };
      QueryParser: { ParseQuery(tokens: unknown, start: number, options: ParseOptions): KNode & { GetContainedDiagnostics(include: number): Diagnostics } };
    };
    Syntax: { SyntaxKind: Record<string, number>; SyntaxTree: new (root: KNode) => unknown };
  };
}
interface ParseOptions {
  ParserKind: number;
  WithAlwaysProduceEndTokens(on: boolean): ParseOptions;
}

let kusto: KustoGlobal | undefined;
let kindNames: Map<number, string> | undefined;
let parseOptions: ParseOptions | undefined;

function load(): KustoGlobal {
  if (kusto) return kusto;
  kusto = kustoLanguage<KustoGlobal>();
  kindNames = new Map();
  for (const [name, v] of Object.entries(kusto.Language.Syntax.SyntaxKind)) if (typeof v === 'number' && !kindNames.has(v)) kindNames.set(v, name);
  // KustoCode.Parse's options (GlobalState.Default's are ParseOptions.Default) with end tokens
  parseOptions = kusto.Language.ParseOptions.Default.WithAlwaysProduceEndTokens(true);
  return kusto;
}

/**
 * What `KustoCode.Parse(text)` does for a query, without what it also builds and the evaluator never
 * reads: the combinator grammar of the whole language (`QueryGrammar.From(globals)`, kept on the
 * `KustoCode` for completion; ~0.6 s on first use) and `GlobalState.Default` (every built-in function's
 * symbol). The same tokens, the same parser (`QueryParser`, the default `ParserKind`), the same
 * `SyntaxTree` and the same diagnostics (`KustoCode.GetDiagnostics` of an unanalysed code is
 * `Syntax.GetContainedDiagnostics(3)`). A control command (`.show ...`) or another parser kind takes
 * `KustoCode.Parse` itself.
 */
function parseQuery(k: KustoGlobal, text: string): { syntax: KNode; diags: Diagnostics } {
  const L = k.Language;
  const opts = parseOptions!;
  if (L.KustoCode.GetKind(text) !== L.Editor.CodeKinds.Query || opts.ParserKind !== L.ParserKind.Default) {
    const code = L.KustoCode.Parse(text);
    return { syntax: code.Syntax, diags: code.GetDiagnostics() };
  }
  const tokens = L.Parsing.TokenParser.ParseTokens(text, opts);
  const syntax = L.Parsing.QueryParser.ParseQuery(tokens, 0, opts);
  new L.Syntax.SyntaxTree(syntax);
  return { syntax, diags: syntax.GetContainedDiagnostics(3) };
}

/** Parse a query; throws `Refusal` on a syntax error (the artifact is not valid KQL). */
export function parseKql(text: string): KNode {
  const k = load();
  const { syntax, diags } = parseQuery(k, text);
  // the first parse compiled the parser's functions: keep them in V8's code cache for the next run
  saveKustoCodeCache();
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i);
    if (d.Severity === 'Error') throw new Refusal(`KQL syntax error at offset ${d.Start}: ${d.Message}`);
  }
  return syntax;
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
