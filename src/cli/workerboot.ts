/**
 * The script a batch's worker thread runs (`pool.ts`): the one-file bundle with the main thread's V8 code cache
 * when it is there (`boot.ts`), as the main thread does, else the modules (`worker.ts`). Compiling the ~100
 * modules and their dependencies again in every worker cost it several hundred milliseconds of CPU.
 */
import { loadCliBundle, startParseCache } from './boot.js';
import type { serveWorker as Serve } from './serve.js';

const loaded = loadCliBundle();
if (loaded) {
  startParseCache(loaded);
  (loaded.exports as { serveWorker: typeof Serve }).serveWorker();
} else await import('./worker.js');
