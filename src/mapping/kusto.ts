/**
 * KQL checker: Microsoft's Kusto.Language parser and semantic analyser (npm
 * `@kusto/language-service-next`), run against every table in `schemas/sentinel-tables.json`.
 * Unknown column → KS142, unknown table → KS204, syntax errors → KS0xx.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { codeCacheDir, runCommonJs, saveCodeCache, type CachedScript } from '../codecache.js';
import { sentinelTables } from './schemas.js';

export { codeCacheDir } from '../codecache.js';

export interface KqlDiagnostic {
  code: string;
  /** 'Error', 'Warning' or 'Suggestion'. */
  severity: string;
  message: string;
  /** Offset of the diagnostic in the query text. */
  start: number;
}

/* The Bridge.NET build defines globals; only the few members used here are typed. */
interface DotNetList<T> {
  Count: number;
  getItem(i: number): T;
}
interface KustoDiagnostic {
  Severity: string;
  Code: string;
  Message: string;
  Start: number;
}
interface KustoApi {
  Language: {
    Symbols: {
      TableSymbol: { From(schema: string): { WithName(name: string): unknown } };
      DatabaseSymbol: { ctor: new (name: string, tables: unknown[]) => unknown };
    };
    GlobalState: { Default: { WithDatabase(db: unknown): unknown } };
    KustoCode: { ParseAndAnalyze(text: string, globals: unknown): { GetDiagnostics(): DotNetList<KustoDiagnostic> } };
    KustoFacts: { BracketNameIfNecessary(name: string): string };
  };
}

let globals: unknown;
let tableSymbols: unknown[] = [];
let kusto: KustoApi;
let kustoGlobal: unknown;

/** The two scripts of the bundle, in load order (Bridge.NET's runtime, then Kusto.Language). */
const BUNDLE = ['bridge.min.js', 'Kusto.Language.Bridge.min.js'];

let loadedScripts: CachedScript[] = [];
let cacheSaved = false;

/**
 * The global `Kusto` that the Bridge.NET build of Kusto.Language defines, loaded once (shared with the
 * KQL reference evaluator, `src/proof/kql/syntax.ts`). The caller names the type of the few members it uses.
 * The bundle is compiled with V8's code cache when one is available (see `codeCacheDir`); any failure to
 * use the cache falls back silently to compiling the source.
 */
export function kustoLanguage<T>(): T {
  if (kustoGlobal === undefined) {
    const require = createRequire(import.meta.url);
    const pkgFile = require.resolve('@kusto/language-service-next/package.json');
    const dir = path.dirname(pkgFile);
    let version = 'unknown';
    try {
      version = (JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { version?: string }).version ?? version;
    } catch {
      /* the key only names the cache file */
    }
    // V8 rejects a cache made by another V8 version or for another source; the key keeps them apart
    const key = `kusto-${version}-v8-${process.versions.v8}-${process.arch}`.replace(/[^A-Za-z0-9._-]/g, '_');
    const cacheDir = codeCacheDir();
    loadedScripts = BUNDLE.map((f) => {
      const file = path.join(dir, f);
      return runCommonJs(file, fs.readFileSync(file, 'utf8'), cacheDir ? path.join(cacheDir, `${key}-${f}.v8cache`) : undefined, require);
    });
    kustoGlobal = (globalThis as unknown as { Kusto: unknown }).Kusto;
  }
  return kustoGlobal as T;
}

/**
 * Write the V8 code cache of the bundle when it was compiled without one. Called after the first use
 * (so that the functions compiled lazily by that use are in the cache); silently does nothing when the
 * cache folder cannot be written.
 */
export function saveKustoCodeCache(): void {
  if (cacheSaved) return;
  cacheSaved = true;
  for (const s of loadedScripts) saveCodeCache(s);
}

/** `Name` or `['odd-name']` (names other than plain identifiers, and keywords such as `time`, must be quoted). */
function quoteName(name: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && kusto.Language.KustoFacts.BracketNameIfNecessary(name) === name;
  return plain ? name : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

function tableSymbol(name: string, columns: Record<string, string>): unknown {
  const schema = Object.entries(columns)
    .map(([c, t]) => `${quoteName(c)}:${t}`)
    .join(', ');
  return kusto.Language.Symbols.TableSymbol.From(`(${schema})`).WithName(name);
}

function load(): unknown {
  if (globals) return globals;
  kusto = kustoLanguage<KustoApi>();
  tableSymbols = Object.entries(sentinelTables()).map(([name, columns]) => tableSymbol(name, columns));
  const db = new kusto.Language.Symbols.DatabaseSymbol.ctor('SecurityInsights', tableSymbols);
  globals = kusto.Language.GlobalState.Default.WithDatabase(db);
  return globals;
}

/** The analyser's globals with `tables` (custom-log tables declared by a rule) beside the Sentinel schemas. */
function withTables(tables: Record<string, Record<string, string>>): unknown {
  const base = load();
  const extra = Object.entries(tables).filter(([name]) => !(name in sentinelTables()));
  if (extra.length === 0) return base;
  const db = new kusto.Language.Symbols.DatabaseSymbol.ctor('SecurityInsights', [...tableSymbols, ...extra.map(([n, c]) => tableSymbol(n, c))]);
  return kusto.Language.GlobalState.Default.WithDatabase(db);
}

/**
 * Parse and analyse a KQL query against the Sentinel schemas. Returns errors only, or every
 * diagnostic (warnings, suggestions) with `{ all: true }`. The first call loads the analyser (~0.2-0.5 s).
 * `tables`: more tables (name → column → type), e.g. the custom-log table a rule declares
 * (`customKqlTables` in mapping/custom.ts); a table the schemas know keeps its schema.
 */
export function checkKql(query: string, opts: { all?: boolean; tables?: Record<string, Record<string, string>> } = {}): KqlDiagnostic[] {
  const g = opts.tables ? withTables(opts.tables) : load();
  const list = kusto.Language.KustoCode.ParseAndAnalyze(query, g).GetDiagnostics();
  saveKustoCodeCache();
  const out: KqlDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    if (!opts.all && d.Severity !== 'Error') continue;
    out.push({ code: d.Code, severity: d.Severity, message: d.Message, start: d.Start });
  }
  return out;
}
