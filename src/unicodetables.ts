/**
 * Tables the code reads off the JavaScript engine's own Unicode data by a scan of every code point (case
 * mappings, `\p{...}` classes): 20–130 ms each, paid by every process (and worker) that meets a
 * case-insensitive literal or a `\w`. The build (scripts/bundle.mjs) computes each table once and writes
 * them to `dist/unicode/tables.json` with the engine's Unicode, ICU and V8 versions; a run from `dist/`
 * takes a stored table while it runs on those same versions, else computes it as before (another Node, a
 * table the file lacks). A run from `src/` (vitest) always computes, so an edit is never hidden by a stale
 * build; test/unicodetables.test.ts holds the stored tables equal to the computed ones.
 */
import fs from 'node:fs';
import { packagePath } from './paths.js';

/** The engine data the tables come from: a stored table is used only under the same. */
export const UNICODE_KEY = `unicode ${process.versions.unicode ?? '?'} icu ${process.versions.icu ?? '?'} v8 ${process.versions.v8}`;

interface Def {
  compute: () => unknown;
  toJson: (v: unknown) => unknown;
  fromJson: (j: unknown) => unknown;
}
const defs = new Map<string, Def>();

export function unicodeTablesFile(): string {
  return packagePath('dist', 'unicode', 'tables.json');
}

const fromSource = import.meta.url.endsWith('.ts');
let stored: Record<string, unknown> | null | undefined;
function storedTables(): Record<string, unknown> | null {
  if (stored !== undefined) return stored;
  stored = null;
  if (fromSource) return stored;
  try {
    const data = JSON.parse(fs.readFileSync(unicodeTablesFile(), 'utf8')) as { key?: unknown; tables?: Record<string, unknown> };
    if (data.key === UNICODE_KEY && data.tables && typeof data.tables === 'object') stored = data.tables;
  } catch {
    /* no stored tables: compute */
  }
  return stored;
}

/**
 * A table by a unique name: the getter gives the stored one when there is one for this engine, else
 * `compute()` (once per process). `toJson`/`fromJson` convert a value JSON does not hold as it is (a Map).
 */
export function unicodeTable<T, J = T>(name: string, compute: () => T, codec?: { toJson: (v: T) => J; fromJson: (j: J) => T }): () => T {
  if (defs.has(name)) throw new Error(`unicode table ${name} defined twice`);
  const id = (v: unknown) => v;
  defs.set(name, { compute, toJson: (codec?.toJson as (v: unknown) => unknown) ?? id, fromJson: (codec?.fromJson as (j: unknown) => unknown) ?? id });
  let value: T | undefined;
  let done = false;
  return () => {
    if (done) return value as T;
    const j = storedTables()?.[name];
    value = j !== undefined ? (codec ? codec.fromJson(j as J) : (j as T)) : compute();
    done = true;
    return value;
  };
}

/** A table computed now (not the stored one). */
export function computeUnicodeTable(name: string): unknown {
  const d = defs.get(name);
  if (!d) throw new Error(`no unicode table ${name}`);
  return d.compute();
}

/** Every table defined by the modules loaded so far, computed now, as the build stores them. */
export function computeUnicodeTables(): { key: string; tables: Record<string, unknown> } {
  const tables: Record<string, unknown> = {};
  for (const name of unicodeTableNames()) tables[name] = defs.get(name)!.toJson(computeUnicodeTable(name));
  return { key: UNICODE_KEY, tables };
}

/** The stored JSON of a table read back (for the test), or undefined when it is not stored. */
export function storedUnicodeTable(name: string, file = unicodeTablesFile()): unknown {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { key?: unknown; tables?: Record<string, unknown> };
    if (data.key !== UNICODE_KEY) return undefined;
    const d = defs.get(name);
    const j = data.tables?.[name];
    return j === undefined || !d ? undefined : d.fromJson(j);
  } catch {
    return undefined;
  }
}

/** The names of the tables defined by the modules loaded so far. */
export function unicodeTableNames(): string[] {
  return [...defs.keys()].sort();
}
