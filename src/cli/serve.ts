/**
 * A worker thread of a batch (`pool.ts`): set up like the main thread (mappings, templates, options),
 * it takes the batch's next rule from the counter the threads share until none is left (`pool.ts`), and posts
 * each result back with the rule's index. `workerboot.ts` starts it
 * from the one-file bundle (with its code cache), `worker.ts` from the modules.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadMappings } from '../mapping/load.js';
import { analyse } from '../report/analyse.js';
import type { RenderContext } from '../targets/types.js';
import { take, type FromWorker, type WorkerData, type WorkItem } from './pool.js';
import { convertOne, testOne } from './work.js';
import type { RuleFile } from './files.js';
import { reportResult } from './reportwork.js';

export function serveWorker(): void {
  const { setup, items, next: shared } = workerData as WorkerData;
  const next = new Int32Array(shared);
  const port = parentPort!;
  let ctx: RenderContext | undefined;

  function compute(item: WorkItem): unknown {
    // the main thread has loaded the same mappings already: an error here is not the user's
    ctx ??= { mapper: loadMappings({ extraFiles: setup.mappingFiles }), templatesDir: setup.templatesDir, ...(setup.strict !== undefined ? { strict: setup.strict } : {}) };
    if (setup.kind === 'convert') return convertOne(item as RuleFile, setup.targets, ctx, setup.popts, setup.sink);
    if (setup.kind === 'test') return testOne(item as RuleFile, setup.targets, ctx, setup.popts, !!setup.mutants);
    return reportResult(analyse(item as string, setup.popts, ctx, setup.targets));
  }

  // every item this thread takes, until none is left (pool.ts); each result is posted as soon as it is done
  for (let i = take(next, items.length); i >= 0; i = take(next, items.length)) {
    let out: FromWorker;
    try {
      out = { i, result: compute(items[i] as WorkItem) };
    } catch (e) {
      out = { i, crash: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(out);
    if ('crash' in out) return;
  }
  // then the thread ends (nothing keeps it): its results were posted before it, and `end` says none is missing
  port.postMessage({ end: true } satisfies FromWorker);
}
