/** Run the CLI on the real process: stdin/stdout, exit status (from `run.ts`, or from the bundle via `boot.ts`). */
import fs from 'node:fs';
import type { main as Main } from './main.js';

export async function start(main: typeof Main): Promise<void> {
  // `transpile ... | head`: a closed pipe ends the run quietly instead of crashing
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  process.exitCode = await main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    stdin: () => fs.readFileSync(0, 'utf8'),
    isTTY: !!process.stderr.isTTY,
    env: process.env,
  });
}
