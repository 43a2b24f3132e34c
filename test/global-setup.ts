/**
 * vitest global setup: every temporary folder the tests (and the CLI processes they start) create goes
 * under one folder made for this run, removed when the run ends, so a run leaves nothing in the
 * system's temporary folder. os.tmpdir() reads TMPDIR, which the workers and child processes inherit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panther-transpile-tests-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  };
}
