/**
 * V8 code caches for the large scripts the project runs: its own CLI bundle (`dist/cli/main.cjs`, see
 * `cli/boot.ts`) and Kusto.Language's bundle (the suite's KQL checker, `mapping/kusto.ts`). A script is
 * compiled through `vm.Script` as CommonJS would compile it, with the cached code when there is one; the
 * cache is written after the first use, so the functions that use compiled lazily are in it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * Where V8 code caches are kept: `$TRANSPILE_CACHE_DIR`, else the OS cache folder (`$XDG_CACHE_HOME` or
 * `~/.cache`; `~/Library/Caches` on macOS; `%LOCALAPPDATA%` on Windows) under `panther-transpile/`.
 * `TRANSPILE_CACHE_DIR=off` (or `TRANSPILE_NO_CACHE`) disables the cache.
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

export interface CachedScript {
  script: vm.Script;
  cacheFile?: string;
  /** The V8 code cache was read and accepted. */
  cached: boolean;
  /** What the script put in `module.exports`. */
  exports: unknown;
}

/**
 * Run `source` (the text of `file`) as CommonJS does (the same wrapper, `this` = `module.exports`),
 * compiled through `vm.Script` with the code cache in `cacheFile` when it is there and V8 accepts it.
 * V8 checks a cache against its own version and the source's length only: `cacheFile` must name the
 * source (a version or a hash of it), never just its path.
 */
export function runCommonJs(file: string, source: string, cacheFile: string | undefined, req: NodeJS.Require): CachedScript {
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
  return { script, cacheFile, cached: cachedData !== undefined && !script.cachedDataRejected, exports: module.exports };
}

/**
 * Write the code cache of a script that ran without one; silently does nothing when the cache folder
 * cannot be written (it only costs time). Written whole (temporary file, then rename): concurrent runs
 * and worker threads never read half a file.
 */
export function saveCodeCache(s: CachedScript): void {
  if (s.cached || !s.cacheFile) return;
  const tmp = `${s.cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.mkdirSync(path.dirname(s.cacheFile), { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, s.script.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, s.cacheFile);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing to clean */
    }
  }
}
