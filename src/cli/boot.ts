/**
 * How `bin/transpile.js` starts the CLI quickly. `npm run build` writes the whole CLI as one CommonJS file,
 * `dist/cli/main.cjs` (`scripts/bundle.mjs`); it is compiled with a V8 code cache kept beside Kusto.Language's
 * (`codeCacheDir`), which saves most of the start-up (compiling ~100 modules and their dependencies).
 * Without the bundle, or when it is older than the compiled modules (`tsc` run alone), the modules run
 * as they are (`run.ts`): the same code either way.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeCacheDir, runCommonJs, saveCodeCache, type CachedScript } from '../codecache.js';
import type { main as Main } from './main.js';
import type { start as Start } from './start.js';

const PREFIX = 'cli-';

function loadBundle(bundle: string, compiled: string): CachedScript | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(bundle);
    if (fs.statSync(compiled).mtimeMs > st.mtimeMs) return undefined;
  } catch {
    return undefined;
  }
  const source = fs.readFileSync(bundle, 'utf8');
  const dir = codeCacheDir();
  // V8 checks a cache against the source's length only: the file is named by a hash of the source
  const key = crypto.createHash('sha256').update(source).digest('hex').slice(0, 32);
  const cacheFile = dir ? path.join(dir, `${PREFIX}${key}-v8-${process.versions.v8}-${process.arch}.v8cache`.replace(/[^A-Za-z0-9._/\\:-]/g, '_')) : undefined;
  return runCommonJs(bundle, source, cacheFile, createRequire(bundle));
}

/** Caches of earlier builds of the CLI are removed when a new one is written. */
function pruneOld(keep: string): void {
  try {
    const dir = path.dirname(keep);
    for (const f of fs.readdirSync(dir)) if (f.startsWith(PREFIX) && f.endsWith('.v8cache') && path.join(dir, f) !== keep) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    /* only costs space */
  }
}

export async function boot(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const loaded = loadBundle(path.join(here, 'main.cjs'), path.join(here, 'main.js'));
  if (!loaded) {
    await import('./run.js');
    return;
  }
  const m = loaded.exports as { main: typeof Main; start: typeof Start };
  await m.start(m.main);
  if (!loaded.cached && loaded.cacheFile) {
    saveCodeCache(loaded);
    pruneOld(loaded.cacheFile);
  }
}
