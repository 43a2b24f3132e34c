/**
 * An on-disk cache of parsed Python modules (the AST of ast.ts, plain JSON), beside the CLI's V8 code cache
 * (`codeCacheDir`). A one-rule run spent about a third of its time parsing the helper modules the rule imports
 * (panther_base_helpers.py alone is 15 KB); reading the same AST back as JSON is a small fraction of that.
 *
 * An entry is named by the SHA-256 of the build's identity, the module's label and its source text, so it is
 * only ever used for the same text parsed by the same parser: the CLI sets the build identity to the bundle's
 * (`cli/boot.ts`: its device, inode, size and modification time, which every build changes). Without a
 * configuration (the suite, which runs the sources; the compiled modules without the bundle;
 * `TRANSPILE_CACHE_DIR=off`) nothing is read or written. A folder that cannot be written only costs time;
 * an entry that does not read back whole (its checksum, its key, its shape) is ignored and written again.
 * Only an AST that JSON keeps exactly is written: plain objects and arrays, each reached once, of strings,
 * booleans, null and finite numbers (never -0 or undefined). The files are the CLI's: `parsePython`
 * (python/parse.ts) reaches them through the hook `setParseCache` sets (`setParseThrough`).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Module } from '../python/ast.js';
import { setParseThrough } from '../python/parse.js';

export interface ParseCacheConfig {
  /** The cache folder (`codeCacheDir()`); the entries go to a subfolder per build. */
  dir: string;
  /** What changes whenever the parser's code may have changed (the CLI bundle's identity). */
  build: string;
}

/** Bump when the entry format changes. */
const FORMAT = 'pyast-1';
const PREFIX = 'pyast-';
/** The subfolders of other builds kept (as the V8 code caches: two installs do not evict each other). */
const KEEP_OTHER_BUILDS = 3;

let config: ParseCacheConfig | undefined;
let folder: string | undefined;
/** The build's subfolder was made (or found) in this process. */
let made = false;

/** Turn the cache on (a folder and a build identity) or off (undefined). */
export function setParseCache(c: ParseCacheConfig | undefined): void {
  config = c;
  setParseThrough(c ? cachedParse : undefined);
  folder = c ? path.join(c.dir, `${PREFIX}${createHash('sha256').update(`${FORMAT}\0${c.build}`).digest('hex').slice(0, 24)}`) : undefined;
  made = false;
}

/** The folder this process's entries go to, when the cache is on. */
export function parseCacheFolder(): string | undefined {
  return folder;
}

function entryKey(c: ParseCacheConfig, src: string, file: string): string {
  return createHash('sha256').update(`${FORMAT}\0${c.build}\0${file}\0`).update(src).digest('hex');
}

const checksum = (body: string): string => createHash('sha1').update(body).digest('hex');

/** A cache file is only trusted when it is a regular file of this user (as the V8 code caches). */
function read(file: string): string | undefined {
  try {
    // a miss is the usual answer on a first run: no exception made for it
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st || !st.isFile() || (typeof process.getuid === 'function' && st.uid !== process.getuid())) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The module of an entry's text, or undefined when it is not a whole entry for this key and label. */
function decode(text: string, key: string, label: string): Module | undefined {
  const nl = text.indexOf('\n');
  if (nl !== 40) return undefined;
  const body = text.slice(nl + 1);
  if (checksum(body) !== text.slice(0, nl)) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!entry || typeof entry !== 'object') return undefined;
  const { key: k, mod } = entry as { key?: unknown; mod?: unknown };
  if (k !== key || !mod || typeof mod !== 'object') return undefined;
  const m = mod as { file?: unknown; body?: unknown };
  return m.file === label && Array.isArray(m.body) ? (mod as Module) : undefined;
}

/** Whether JSON gives `v` back exactly: a tree of plain objects and arrays over strings, booleans, null and finite numbers. */
export function jsonExact(v: unknown, seen: Set<object> = new Set()): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== 'object') return false;
  if (seen.has(v)) return false;
  seen.add(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonExact(v[i], seen)) return false;
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k of Object.keys(v)) if (!jsonExact((v as Record<string, unknown>)[k], seen)) return false;
  return true;
}

/** Other builds' subfolders, all but the newest few, are removed when this build's is made. */
function pruneOtherBuilds(dir: string, keep: string): void {
  try {
    const others = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith(PREFIX) && path.join(dir, f) !== keep)
      .map((f) => ({ f: path.join(dir, f), t: fs.statSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const o of others.slice(KEEP_OTHER_BUILDS)) fs.rmSync(o.f, { recursive: true, force: true });
  } catch {
    /* only costs space */
  }
}

/** Written whole (a temporary file, then rename): concurrent runs and worker threads never read half an entry. */
function write(c: ParseCacheConfig, dir: string, file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    if (!made) {
      const fresh = !fs.existsSync(dir);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      made = true;
      if (fresh) pruneOtherBuilds(c.dir, dir);
    }
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing to clean */
    }
  }
}

/**
 * The module of `src` (labelled `label`): the cached AST when there is a whole entry for this text, label and
 * build, else `parse()`'s, written to the cache when JSON keeps it exactly. Errors of `parse()` (syntax errors)
 * pass through and are never cached.
 *
 * A batch writes its rules' own modules too (was: only the modules they import, since a batch parses each rule's
 * module once). Parsing them was ~9% of a corpus `-t kql` run's CPU, reading them back ~1%, so every later run over
 * the same rules gains what the first run after a build spends writing them (~900 entries, ~7 MB for the corpus).
 */
export function cachedParse(src: string, label: string, parse: () => Module): Module {
  const c = config;
  const dir = folder;
  if (!c || !dir) return parse();
  const key = entryKey(c, src, label);
  const file = path.join(dir, `${key}.json`);
  const text = read(file);
  if (text !== undefined) {
    const hit = decode(text, key, label);
    if (hit) return hit;
  }
  const mod = parse();
  if (jsonExact(mod)) {
    const body = JSON.stringify({ key, mod });
    write(c, dir, file, `${checksum(body)}\n${body}`);
  }
  return mod;
}
