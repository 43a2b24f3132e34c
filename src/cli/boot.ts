/**
 * How `bin/transpile.js` starts the CLI quickly. `npm run build` writes the whole CLI as one CommonJS file,
 * `dist/cli/main.cjs` (`scripts/bundle.mjs`); it is compiled with a V8 code cache kept beside Kusto.Language's
 * (`codeCacheDir`), which saves most of the start-up (compiling ~100 modules and their dependencies).
 * Without the bundle, or when it is older than the compiled modules (`tsc` run alone), the modules run
 * as they are (`run.ts`): the same code either way.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { codeCacheDir, runCommonJs, saveCodeCache, type CachedScript } from '../codecache.js';
import type { main as Main } from './main.js';
import type { start as Start } from './start.js';
import type { onFirstRule as OnFirstRule } from './firstrule.js';
import type { setParseCache as SetParseCache } from './parsecache.js';

const PREFIX = 'cli-';

/** The loaded bundle and its identity (`key`), which names its code cache and its parse cache's entries. */
export type LoadedBundle = CachedScript & { build: string };

function loadBundle(bundle: string, compiled: string): LoadedBundle | undefined {
  let st: fs.BigIntStats;
  try {
    st = fs.statSync(bundle, { bigint: true });
    if (fs.statSync(compiled, { bigint: true }).mtimeNs > st.mtimeNs) return undefined;
  } catch {
    return undefined;
  }
  // the bundle is ASCII (scripts/bundle.mjs writes it with charset 'ascii'): read as Latin-1 it is the same text,
  // a one-byte string made without UTF-8 decoding (3-4 ms of 1.5 MB)
  const bytes = fs.readFileSync(bundle);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const dir = codeCacheDir();
  // V8 checks a cache against the source's length only: the file is named by the bundle's identity, its
  // device, inode, size and modification time in nanoseconds (as Python's .pyc records the source's mtime and
  // size), which any rewrite of the bundle changes. Hashing the 2 MB source instead cost ~8 ms of every run.
  const key = [st.dev, st.ino, st.size, st.mtimeNs].map((n) => n.toString(16).padStart(16, '0')).join('');
  const cacheFile = dir ? path.join(dir, `${PREFIX}${key}-v8-${process.versions.v8}-${process.arch}.v8cache`.replace(/[^A-Za-z0-9._/\\:-]/g, '_')) : undefined;
  return { ...runCommonJs(bundle, source, cacheFile, createRequire(bundle)), build: key };
}

/**
 * The bundle's parse cache (`cli/parsecache.ts`): parsed Python modules kept beside the code cache, under
 * the bundle's identity, so an entry is read only by the build that wrote it. Off with the code cache.
 */
export function startParseCache(loaded: LoadedBundle): void {
  const dir = codeCacheDir();
  if (dir) (loaded.exports as { setParseCache: typeof SetParseCache }).setParseCache({ dir, build: loaded.build });
}

/**
 * Caches of other builds of the CLI are removed when a new one is written, all but the newest few: two installs
 * on one machine (a checkout and a global install) each keep theirs instead of evicting the other's on every
 * run (a run without its cache compiles the bundle again, ~50% more instructions).
 */
const KEEP_OTHER_CACHES = 3;

function pruneOld(keep: string): void {
  try {
    const dir = path.dirname(keep);
    const others = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith(PREFIX) && f.endsWith('.v8cache') && path.join(dir, f) !== keep)
      .map((f) => ({ f: path.join(dir, f), t: fs.statSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const o of others.slice(KEEP_OTHER_CACHES)) fs.rmSync(o.f, { force: true });
  } catch {
    /* only costs space */
  }
}

/** The bundle's exports, compiled with its code cache; undefined without a bundle newer than the modules. */
export function loadCliBundle(): LoadedBundle | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return loadBundle(path.join(here, 'main.cjs'), path.join(here, 'main.js'));
}

/**
 * V8 grows a heap after each full collection to a multiple of what survived it, up to 4x on a machine with
 * memory to spare (`--heap-growing-percent`, V8's flag, sets the multiple to 1 + percent/100). A batch's live
 * heap is small (~30 MB per thread: the rule in hand and the caches) beside the garbage each rule leaves, so the
 * 4x went to garbage waiting for a collection: 1.5x took a corpus run with one thread from ~225 to ~200 MB of
 * peak memory for a few more full collections (~0.3 s of 20 s CPU). Set before the CLI's code runs; it holds
 * for every thread of the process (the flag is read at each collection).
 */
const HEAP_GROWING_PERCENT = 50;

/**
 * V8's optimising compiler (TurboFan) runs on background threads, and on a batch it took as much CPU as the
 * CLI's own code: per-thread CPU from /proc over the corpus (`-t kql --jobs 1`, 876 rules) was ~9 s on the main
 * thread and ~7 s on V8's background threads, nearly all compilation (with `--no-concurrent-recompilation` it
 * moved to the main thread and the background threads fell to 0.5 s). The pipeline's functions see many shapes
 * of AST node, so optimised code is thrown away ("wrong map") and compiled again, each time with every callee
 * inlined: `normalize.simplify` was compiled 10 times, `projectKql` 11. Without inlining
 * (`--no-turbo-inlining`) each compilation is a fraction of the work, and with the counter that triggers it at
 * 300 KB of bytecode run instead of 132 KB (`--interrupt-budget`) fewer functions are compiled at all, only the
 * hot ones: the same corpus run took ~11 s of CPU instead of ~16 s (bg ~1.5-2 s), the main thread's own time
 * unchanged (8.8-9.7 s against 9.2 s: the inlined code was not faster). Process-wide flags: they hold for the
 * worker threads too.
 */
export const V8_FLAGS = ['--no-turbo-inlining', '--interrupt-budget=300000'];

/** Every V8 flag boot() sets (`npm run bench` starts its measuring processes with them too). */
export function bootFlags(): string[] {
  return [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`, ...V8_FLAGS];
}

export async function boot(): Promise<void> {
  for (const f of bootFlags()) v8.setFlagsFromString(f);
  const loaded = loadCliBundle();
  if (!loaded) {
    await import('./run.js');
    return;
  }
  const m = loaded.exports as { main: typeof Main; start: typeof Start; onFirstRule: typeof OnFirstRule };
  startParseCache(loaded);
  // the cache is written once the first rule is done (firstrule.ts): it then holds what one rule compiles,
  // whichever command writes it; a command that converts no rule in this thread writes none
  if (!loaded.cached && loaded.cacheFile) {
    const file = loaded.cacheFile;
    m.onFirstRule(() => {
      saveCodeCache(loaded);
      pruneOld(file);
    });
  }
  await m.start(m.main);
}
