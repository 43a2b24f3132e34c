#!/usr/bin/env node
// Part of `npm run build` (after tsc): the whole CLI as one CommonJS file, dist/cli/main.cjs, which
// bin/transpile.js compiles with a V8 code cache (src/cli/boot.ts). Node built-ins stay external; the
// dependencies (yaml, handlebars, @lezer/*, commander) are included.
import { rolldown } from 'rolldown';

const bundle = await rolldown({ input: 'dist/cli/bundle.js', platform: 'node', external: [/^node:/], logLevel: 'warn' });
await bundle.write({ file: 'dist/cli/main.cjs', format: 'cjs', sourcemap: false });
await bundle.close();
