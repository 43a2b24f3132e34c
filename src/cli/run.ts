/** Process entry point: real stdin/stdout, exit status. */
import fs from 'node:fs';
import { main } from './main.js';

// `transpile ... | head`: a closed pipe ends the run quietly instead of crashing
for (const s of [process.stdout, process.stderr]) {
  s.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const code = await main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  stdin: () => fs.readFileSync(0, 'utf8'),
  isTTY: !!process.stderr.isTTY,
  env: process.env,
});
process.exitCode = code;
