/** The entry of the one-file bundle `dist/cli/main.cjs` (`scripts/bundle.mjs`): the CLI and its runner. */
export { main } from './main.js';
export { start } from './start.js';
export { serveWorker } from './serve.js';
export { onFirstRule } from './firstrule.js';
export { setParseCache } from './parsecache.js';
