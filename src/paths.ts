/**
 * Where the package's own files are (`templates/`, `mappings/`, `schemas/`, `package.json`): found by
 * walking up from this module to the folder whose `package.json` names this package, so the same code
 * works from `src/` (vitest), from `dist/` (tsc) and from the one-file bundle `dist/cli/main.cjs`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'panther-transpile') return (root = dir);
    } catch {
      /* not here */
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`panther-transpile: cannot find the package folder above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** A path inside the package (`packagePath('templates')`). */
export function packagePath(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}

/**
 * The SHA-1 of a package file's text, as the build records it beside a precompiled copy (`dist/mappings/`,
 * `dist/schemas/`): a run uses the copy only while the file still hashes to it.
 */
export function sourceHash(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}
