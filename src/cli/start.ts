/** Run the CLI on the real process: stdin/stdout, exit status (from `run.ts`, or from the bundle via `boot.ts`). */
import fs from 'node:fs';
import type { main as Main } from './main.js';

/**
 * Messages on a stderr that is not a terminal (a pipe, a file) go out in blocks of about this many characters
 * instead of one write per message: a corpus `-t all` run prints ~2,700 lines, and a write each cost ~150 ms of
 * the main thread's time. On a terminal every message (and the progress line) is written at once.
 */
const ERR_BLOCK = 64 << 10;

export async function start(main: typeof Main): Promise<void> {
  const isTTY = !!process.stderr.isTTY;
  let pending: string[] = [];
  let size = 0;
  // `transpile ... | head`: a closed pipe ends the run quietly instead of crashing
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') {
        pending = [];
        process.exit(process.exitCode ?? 0);
      }
      throw e;
    });
  }
  const flush = (): void => {
    if (pending.length === 0) return;
    const s = pending.join('');
    pending = [];
    size = 0;
    process.stderr.write(s);
  };
  // whatever way the process ends, what was said is written (stderr to a pipe or file is written synchronously)
  process.on('exit', flush);
  try {
    process.exitCode = await main(process.argv.slice(2), {
      // what is printed keeps its order: held messages go out before anything on stdout
      out: (s) => {
        flush();
        process.stdout.write(s);
      },
      err: isTTY
        ? (s) => process.stderr.write(s)
        : (s) => {
            pending.push(s);
            size += s.length;
            if (size >= ERR_BLOCK) flush();
          },
      stdin: () => fs.readFileSync(0, 'utf8'),
      isTTY,
      env: process.env,
    });
  } finally {
    flush();
  }
}
