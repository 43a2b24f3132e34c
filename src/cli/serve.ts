/**
 * A worker thread of a batch (`pool.ts`): set up like the main thread (mappings, templates, options),
 * it computes one rule's result per message and posts it back with the rule's index. `workerboot.ts` starts it
 * from the one-file bundle (with its code cache), `worker.ts` from the modules.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadMappings } from '../mapping/load.js';
import { analyse } from '../report/analyse.js';
import type { RenderContext } from '../targets/types.js';
import type { FromWorker, WorkerSetup, WorkItem } from './pool.js';
import { convertOne, testOne } from './work.js';
import type { RuleFile } from './files.js';
import { reportResult } from './reportwork.js';

export function serveWorker(): void {
  const setup = workerData as WorkerSetup;
  const port = parentPort!;
  let ctx: RenderContext | undefined;

  function compute(item: WorkItem): unknown {
    // the main thread has loaded the same mappings already: an error here is not the user's
    ctx ??= { mapper: loadMappings({ extraFiles: setup.mappingFiles }), templatesDir: setup.templatesDir, ...(setup.strict !== undefined ? { strict: setup.strict } : {}) };
    if (setup.kind === 'convert') return convertOne(item as RuleFile, setup.targets, ctx, setup.popts, setup.sink);
    if (setup.kind === 'test') return testOne(item as RuleFile, setup.targets, ctx, setup.popts);
    return reportResult(analyse(item as string, setup.popts, ctx, setup.targets));
  }

  port.on('message', (m: { i: number; item: WorkItem }) => {
    let out: FromWorker;
    try {
      out = { i: m.i, result: compute(m.item) };
    } catch (e) {
      out = { i: m.i, crash: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(out);
  });
}
