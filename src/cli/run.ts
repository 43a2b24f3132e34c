/** Process entry point over the compiled modules (`bin/transpile.js` prefers the bundle: see `boot.ts`). */
import { main } from './main.js';
import { start } from './start.js';

await start(main);
