/**
 * KQL checker: Microsoft's Kusto.Language parser and semantic analyser (npm
 * `@kusto/language-service-next`), run against every table in `schemas/sentinel-tables.json`.
 * Unknown column → KS142, unknown table → KS204, syntax errors → KS0xx.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { sentinelTables } from './schemas.js';

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
  };
}

let globals: unknown;
let kusto: KustoApi;
let kustoGlobal: unknown;

/** The two scripts of the bundle, in load order (Bridge.NET's runtime, then Kusto.Language). */
const BUNDLE = ['bridge.min.js', 'Kusto.Language.Bridge.min.js'];

interface LoadedScript {
  script: vm.Script;
  cacheFile?: string;
  /** The V8 code cache was read and accepted. */
  cached: boolean;
}
let loadedScripts: LoadedScript[] = [];
let cacheSaved = false;

/**
 * Where V8 code caches of the bundle are kept: `$TRANSPILE_CACHE_DIR`, else the OS cache folder
 * (`$XDG_CACHE_HOME` or `~/.cache`; `~/Library/Caches` on macOS; `%LOCALAPPDATA%` on Windows) under
 * `panther-transpile/`. `TRANSPILE_CACHE_DIR=off` (or `TRANSPILE_NO_CACHE`) disables the cache.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TRANSPILE_NO_CACHE) return undefined;
  if (env.TRANSPILE_CACHE_DIR) return env.TRANSPILE_CACHE_DIR === 'off' ? undefined : env.TRANSPILE_CACHE_DIR;
  const home = os.homedir();
  let base: string | undefined;
  if (process.platform === 'win32') base = env.LOCALAPPDATA;
  else if (process.platform === 'darwin') base = home ? path.join(home, 'Library', 'Caches') : undefined;
  else base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : home ? path.join(home, '.cache') : undefined;
  return base ? path.join(base, 'panther-transpile') : undefined;
}

/** A cache file is only trusted when it is a regular file of this user (never one planted by another). */
function readCache(file: string): Buffer | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || (typeof process.getuid === 'function' && st.uid !== process.getuid())) return undefined;
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Run one script of the bundle as CommonJS does (the same wrapper, `this` = `module.exports`), compiled
 * through `vm.Script` so that V8's code cache can be read from and written to `cacheDir`.
 */
function runBundleScript(file: string, cacheDir: string | undefined, key: string, req: NodeJS.Require): LoadedScript {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = cacheDir ? path.join(cacheDir, `${key}-${path.basename(file)}.v8cache`) : undefined;
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  let script: vm.Script;
  try {
    script = new vm.Script(wrapped, { filename: file, cachedData });
  } catch (e) {
    if (!cachedData) throw e;
    script = new vm.Script(wrapped, { filename: file });
  }
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, req, module, file, path.dirname(file));
  return { script, cacheFile, cached: cachedData !== undefined && !script.cachedDataRejected };
}

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
    loadedScripts = BUNDLE.map((f) => runBundleScript(path.join(dir, f), cacheDir, key, require));
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
  for (const s of loadedScripts) {
    if (s.cached || !s.cacheFile) continue;
    // written whole (temporary file, then rename): concurrent runs and worker threads never read half a file
    const tmp = `${s.cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.mkdirSync(path.dirname(s.cacheFile), { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, s.script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, s.cacheFile);
    } catch {
      // an unwritable cache folder only costs time
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        /* nothing to clean */
      }
    }
  }
}

/** `Name` or `['odd-name']` (names other than plain identifiers must be quoted). */
function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

function load(): unknown {
  if (globals) return globals;
  kusto = kustoLanguage<KustoApi>();
  const S = kusto.Language.Symbols;
  const tables = Object.entries(sentinelTables()).map(([name, columns]) => {
    const schema = Object.entries(columns)
      .map(([c, t]) => `${quoteName(c)}:${t}`)
      .join(', ');
    return S.TableSymbol.From(`(${schema})`).WithName(name);
  });
  const db = new S.DatabaseSymbol.ctor('SecurityInsights', tables);
  globals = kusto.Language.GlobalState.Default.WithDatabase(db);
  return globals;
}

/**
 * Parse and analyse a KQL query against the Sentinel schemas. Returns errors only, or every
 * diagnostic (warnings, suggestions) with `{ all: true }`. The first call loads the analyser (~0.2-0.5 s).
 */
export function checkKql(query: string, opts: { all?: boolean } = {}): KqlDiagnostic[] {
  const g = load();
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
