#!/usr/bin/env node
// The compiled CLI (npm ci runs `prepare`, which builds dist/).
import('../dist/cli/run.js').catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('transpile: dist/ is missing; run `npm ci` (or `npm run build`) first\n');
    process.exit(2);
  }
  throw e;
});
