/** A batch's worker thread over the compiled modules (`workerboot.ts` prefers the bundle). */
import { serveWorker } from './serve.js';

serveWorker();
