/** Output files are written whole or not at all: a temporary file renamed into place. */
import fs from 'node:fs';
import path from 'node:path';

/** Folders this process made (or found) already: one mkdir per folder, not per file. */
const made = new Set<string>();

export function writeAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  if (!made.has(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    try {
      fs.writeFileSync(tmp, text);
    } catch (e) {
      // the folder was removed since: make it again, once
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(tmp, text);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
