/** Process entry point: real stdin/stdout, exit status. */
import fs from 'node:fs';
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  stdin: () => fs.readFileSync(0, 'utf8'),
  isTTY: !!process.stderr.isTTY,
  env: process.env,
});
process.exitCode = code;
