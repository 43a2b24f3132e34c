/**
 * Batches on several cores: worker threads (`worker.ts`) compute the per-rule results of `convert`,
 * `test` and `report` (`work.ts`), and the main thread receives them in file order, whatever order the
 * workers finish in, so that what is printed and written is the same as a run on one thread.
 *
 * Every thread takes the next rule itself, from a counter the threads share (a SharedArrayBuffer read and
 * bumped with Atomics): no thread waits for another to hand it work. Handed out by the main thread
 * (a few rules queued per worker, refilled when a result came back) a worker ran dry whenever the main
 * thread was busy with a slow rule of its own, and the main thread idled at the end while the worker
 * worked through its queue: on the corpus (`-t kql`, 2 threads) the worker was idle for ~17% of the run.
 * An error in a worker that is not a rule's own (those are results) ends the batch.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PipelineOptions } from '../pipeline.js';
import type { RuleFile } from './files.js';

/** What every worker is set up with (the same as the main thread's context). */
export interface WorkerSetup {
  kind: 'convert' | 'test' | 'report';
  targets: string[];
  popts: PipelineOptions;
  mappingFiles: string[];
  templatesDir: string;
  strict?: boolean;
  /** convert --out: the worker writes (or, with check, compares) the files itself. */
  sink?: { out: string; check: boolean };
  /** test --mutants: each exact artifact also runs on the changed test logs (src/proof/mutants.ts). */
  mutants?: boolean;
}

/** A unit of work: a rule file (convert, test) or a rule's path (report). */
export type WorkItem = RuleFile | string;

/** A worker's messages: a result, a crash (the batch ends), or the end (it found no item left, and stops). */
export type FromWorker = { i: number; result: unknown } | { i: number; crash: string } | { end: true };

/** The compiled worker's entry (`workerboot.ts`), next to this file; absent when the sources run untranspiled (vitest). */
export function workerFile(): string | undefined {
  const file = fileURLToPath(new URL('./workerboot.js', import.meta.url));
  return fs.existsSync(file) ? file : undefined;
}

export function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Rules per thread below which the default adds no worker (a worker's start costs about 15-20 rules' work). */
export const MIN_RULES_PER_THREAD = 24;

/**
 * How many threads a batch of `n` rules uses: `--jobs N` (never more than there are rules), else the
 * number of cores, as long as each thread gets `MIN_RULES_PER_THREAD` rules; one (no worker) for a
 * single rule or without a compiled worker.
 */
export function threadsFor(n: number, jobs: number | undefined): number {
  const want = jobs !== undefined ? Math.min(jobs, n) : Math.min(cores(), Math.floor(n / MIN_RULES_PER_THREAD));
  return want > 1 && workerFile() ? want : 1;
}

/** What a worker thread is started with: the setup, every item, and the counter of the next item to take. */
export interface WorkerData {
  setup: WorkerSetup;
  items: readonly WorkItem[];
  /** One Int32: the index of the next item not yet taken (Atomics.add by whichever thread takes it). */
  next: SharedArrayBuffer;
}

/** The index of the next item to compute, or -1 when every item is taken. */
export function take(next: Int32Array, n: number): number {
  // (the counter may run past n: each thread that finds nothing left adds one more, far below 2^31)
  const i = Atomics.add(next, 0, 1);
  return i < n ? i : -1;
}

/**
 * Compute `items` on `threads` threads: this one (`local`) and `threads - 1` workers, each taking the
 * next item when it is free. `onResult` is called in item order (i = 0, 1, ...), each as soon as it and
 * all before it are done. Rejects on a worker crash (with its message), after stopping every worker.
 *
 * The main thread computes too: it has loaded (and warmed up) the whole pipeline already, and a
 * worker's start (modules, Kusto.Language, helpers, JIT warm-up) costs about a second of CPU.
 */
export async function runPool<R>(setup: WorkerSetup, items: readonly WorkItem[], threads: number, local: (item: WorkItem) => R, onResult: (i: number, result: R) => void): Promise<void> {
  const file = workerFile();
  if (!file) throw new Error('the worker thread script is missing: run the compiled command (npm run build)');
  const workers: Worker[] = [];
  const done = new Map<number, R>();
  const shared = new SharedArrayBuffer(4);
  const next = new Int32Array(shared);
  let delivered = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: unknown): void => {
        if (failed) return;
        failed = true;
        // no thread takes another item
        Atomics.store(next, 0, items.length);
        reject(e instanceof Error ? e : new Error(String(e)));
      };
      const deliver = (): void => {
        while (done.has(delivered)) {
          const r = done.get(delivered) as R;
          done.delete(delivered);
          onResult(delivered++, r);
        }
        if (delivered === items.length) resolve();
      };
      if (items.length === 0) return resolve();
      const data: WorkerData = { setup, items, next: shared };
      for (let k = 1; k < threads; k++) {
        const w = new Worker(file, { workerData: data });
        workers.push(w);
        let ended = false;
        w.on('message', (m: FromWorker) => {
          if (failed) return;
          if ('end' in m) {
            ended = true;
            return;
          }
          if ('crash' in m) return fail(new Error(m.crash));
          done.set(m.i, m.result as R);
          try {
            deliver();
          } catch (e) {
            fail(e);
          }
        });
        w.on('error', (e) => fail(e));
        w.on('exit', (code) => {
          if (!ended && delivered < items.length) fail(new Error(`a worker thread stopped (exit code ${code}) before the batch was done`));
        });
      }
      // this thread takes the next item between two turns of the event loop (which hears the workers)
      const turn = (): void => {
        if (failed) return;
        const i = take(next, items.length);
        if (i < 0) return;
        try {
          done.set(i, local(items[i] as WorkItem));
          deliver();
        } catch (e) {
          return fail(e);
        }
        setImmediate(turn);
      };
      setImmediate(turn);
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
