/**
 * The syntax tree of a query as Microsoft's Kusto.Language parser builds it (npm
 * `@kusto/language-service-next`, loaded by `kustoLanguage()` of `src/mapping/kusto.ts`): what
 * `KustoCode.Parse` does for a query, without the grammar and symbol tables it also builds. Not used to
 * evaluate (that is `parser.ts`, ~0.5 s faster per process); the test suite holds the two trees equal.
 */
import { kustoLanguage, saveKustoCodeCache } from '../../mapping/kusto.js';
import type { KNode } from './syntax.js';

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
  parseOptions = kusto.Language.ParseOptions.Default.WithAlwaysProduceEndTokens(true);
  return kusto;
}

/** Kusto.Language's tree of `text` and its error messages (empty when it parses). */
export function parseWithKusto(text: string): { syntax: KNode; errors: string[] } {
  const k = load();
  const L = k.Language;
  const opts = parseOptions!;
  let syntax: KNode;
  let diags: Diagnostics;
  if (L.KustoCode.GetKind(text) !== L.Editor.CodeKinds.Query || opts.ParserKind !== L.ParserKind.Default) {
    const code = L.KustoCode.Parse(text);
    syntax = code.Syntax;
    diags = code.GetDiagnostics();
  } else {
    const tokens = L.Parsing.TokenParser.ParseTokens(text, opts);
    const root = L.Parsing.QueryParser.ParseQuery(tokens, 0, opts);
    new L.Syntax.SyntaxTree(root);
    syntax = root;
    diags = root.GetContainedDiagnostics(3);
  }
  saveKustoCodeCache();
  const errors: string[] = [];
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i);
    if (d.Severity === 'Error') errors.push(`KQL syntax error at offset ${d.Start}: ${d.Message}`);
  }
  return { syntax, errors };
}

/** The SyntaxKind name of a node of Kusto.Language's tree. */
export function kustoKind(n: KNode): string {
  load();
  return kindNames!.get(n.Kind) ?? String(n.Kind);
}
