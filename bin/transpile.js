#!/usr/bin/env node
// The compiled CLI (npm ci runs `prepare`, which builds dist/): the one-file bundle with a V8 code cache
// when it is there (dist/cli/boot.js), else the modules.
import('../dist/cli/boot.js')
  .then((b) => b.boot())
  .catch((e) => {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND') {
      process.stderr.write('transpile: dist/ is missing; run `npm ci` (or `npm run build`) first\n');
      process.exit(2);
    }
    throw e;
  });
