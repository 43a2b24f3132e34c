/**
 * Output files are written whole or not at all: a temporary file renamed into place. A file that already
 * holds exactly the new bytes is left alone (no write, no rename: its inode and mtime stay), so a re-run
 * over an unchanged corpus reads its outputs instead of rewriting them.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Folders this process made (or found) already: one mkdir per folder, not per file. */
const made = new Set<string>();

/** Whether `file` is a regular file whose bytes are exactly `bytes` (false when it cannot be read). */
export function holdsBytes(file: string, bytes: Buffer): boolean {
  // a file that is not there (every file of a first run) is told without an exception: openSync's error
  // object cost ~25 µs a file, more than the lookup
  if (!fs.statSync(file, { throwIfNoEntry: false })) return false;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size !== bytes.length) return false;
    const buf = Buffer.allocUnsafe(bytes.length);
    let off = 0;
    while (off < buf.length) {
      const n = fs.readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) return false;
      off += n;
    }
    return buf.equals(bytes);
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `text` to `file` atomically; returns false when the file already held it (nothing written). */
export function writeAtomic(file: string, text: string): boolean {
  const bytes = Buffer.from(text, 'utf8');
  if (holdsBytes(file, bytes)) return false;
  const dir = path.dirname(file);
  if (!made.has(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    try {
      fs.writeFileSync(tmp, bytes);
    } catch (e) {
      // the folder was removed since: make it again, once
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(tmp, bytes);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return true;
}
