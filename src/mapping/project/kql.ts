/**
 * Sentinel projection: a Panther test log as the Sentinel row(s) a KQL query reads, through the
 * field mappings (`mappings/*.yaml`) and the table schemas (`schemas/sentinel-tables.json`).
 *
 * - Every path of the log (every prefix of every leaf path, list indices included) is resolved with
 *   `mapper.resolve(logType, 'kql', path)`; a path resolving with an empty `sub` gives its column's
 *   whole value, a path with a `sub` sets that place inside the column's value.
 * - Keys inside a column keep the casing the log has: KQL dynamic property names are case-sensitive,
 *   so a query reading `x.enabled` must not find a log's `Enabled` (the mapper normalises key casing
 *   to find the column; the part of the path that came from the log is written back as the log spells it).
 * - Typed columns (Log Analytics stores scalars typed; learn.microsoft.com/kusto/query/scalar-data-types/):
 *   `string` columns are never null (learn.microsoft.com/kusto/query/scalar-data-types/null-values):
 *   `""` when missing or JSON null; a non-string JSON value lands as its JSON text (`true` → "true",
 *   `12` → "12", objects/arrays compact JSON). Decision: Log Analytics' conversion of a non-string
 *   JSON value into a string column is not documented; the JSON text is what the JSON ingestion
 *   mapping reads from the payload. `bool`, `int`, `long`, `real`, `datetime` columns are null when
 *   missing or not convertible (a bool from `true`/`false` or "true"/"false" in any case; integers
 *   from JSON integers or integer text; reals from numbers or numeric text; datetimes from text
 *   `Date` can read, stored as ISO 8601 UTC text). `dynamic` columns hold the JSON value (null when
 *   missing); an `access: json_string` column holds the JSON text of its container (a string column).
 * - A log type read from several tables (`sources.kql.tables`): the row is in every listed table, or,
 *   where the tables are keyed by a field's value (`sources.kql.tableValues`), in the one of its value
 *   (and those without a value; in every table for a value no table is keyed by);
 *   `tableColumns` says which columns each table has (a column the table lacks reads empty there).
 * - Throws `Refusal` when the log type has no KQL source.
 */
import type { Json } from '../../ast/types.js';
import type { PathSeg } from '../../ast/view.js';
import { Refusal } from '../../proof/types.js';
import { sentinelTable } from '../schemas.js';
import { keyedRowTables, routeOf } from '../routes.js';
import type { FieldMapper, MappedField } from '../types.js';

/** A column value: plain JSON; the column's type (`types`) says how a query reads it. */
export type KqlValue = Json;

/** One event as Sentinel stores it. Plain data (JSON-serialisable). */
export interface KqlEvent {
  /** The tables the event is in (one row in each). */
  tables: string[];
  /**
   * Column → value: every column of the tables (from the schemas) plus every mapped column.
   * string: a string (never null); bool: boolean | null; int/long/real: number | null;
   * datetime: ISO 8601 text | null; dynamic: any JSON (null when missing).
   */
  columns: Record<string, KqlValue>;
  /** Column → Kusto type (string, bool, int, long, real, datetime, dynamic). */
  types: Record<string, string>;
  /** Per table the schemas describe: its columns (a column outside this list reads empty in that table's row). */
  tableColumns: Record<string, string[]>;
}

interface Slot {
  /** How the column holds the value: a typed scalar, a dynamic value, or JSON text of a container. */
  access: 'column' | 'dynamic' | 'json_string';
  type: string;
  /** The value built so far (undefined: nothing landed). */
  value: Json | undefined;
}

const isObj = (v: unknown): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The empty value of a column type: `""` for strings, null otherwise. */
export function emptyValue(type: string): KqlValue {
  return type === 'string' ? '' : null;
}

/** A JSON value stored into a typed column (see the module comment for the conversions). */
export function toColumnType(v: Json | undefined, type: string): KqlValue {
  if (v === undefined || v === null) return emptyValue(type);
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
      return null;
    case 'int':
    case 'long': {
      if (typeof v === 'number') return Number.isInteger(v) ? v : null;
      if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
      return null;
    }
    case 'real':
    case 'double':
    case 'decimal': {
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return null;
    }
    case 'datetime': {
      if (typeof v !== 'string') return null;
      const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || !/\d\d:\d\d/.test(v) ? v : `${v}Z`);
      return Number.isNaN(t) ? null : new Date(t).toISOString();
    }
    case 'dynamic':
      // the log's own value (a row is only read; setIn copies what it changes)
      return v;
    default:
      throw new Refusal(`Sentinel column type '${type}'`);
  }
}

const segEq = (a: PathSeg, b: PathSeg) => a === b;

/**
 * The sub-path inside the column with the log's own key casing: the mapper resolves a
 * case-normalised path (its `sub` = a fixed part from the mapping, then the rest of the canonical
 * path); the rest is written back as the log spells it.
 */
function subInLogCasing(sub: PathSeg[], canon: PathSeg[], path: PathSeg[]): PathSeg[] {
  const max = Math.min(sub.length, canon.length);
  for (let k = max; k > 0; k--) {
    let same = true;
    for (let i = 1; i <= k; i++) if (!segEq(sub[sub.length - i]!, canon[canon.length - i]!)) same = false;
    if (same) return [...sub.slice(0, sub.length - k), ...path.slice(path.length - k)];
  }
  return sub;
}

/**
 * `v` set at `sub` inside a column's value, copy-on-write: the value placed so far may be (or hold) the log's
 * own lists and objects, which are never changed. A container this projection made (`owned`) is changed in
 * place; any other on the way down is copied (shallowly) first, and its copy put in its parent's place. A place
 * that already holds `v` itself is left as it is. (Was: every value placed was structuredClone'd, a column's
 * whole subtree again for every path below it.)
 */
function setIn(root: Json | undefined, sub: PathSeg[], v: Json, owned: Set<object>): Json | undefined {
  const container = (seg: PathSeg): Json => {
    const c: Json = typeof seg === 'number' ? [] : {};
    owned.add(c);
    return c;
  };
  const own = (c: Json[] | { [k: string]: Json }): Json[] | { [k: string]: Json } => {
    if (owned.has(c)) return c;
    const copy = Array.isArray(c) ? c.slice() : { ...c };
    owned.add(copy);
    return copy;
  };
  // a list holds an index step, a mapping a key step; anything else there: the column holds something else (unchanged)
  const fits = (c: Json, seg: PathSeg): boolean => (typeof seg === 'number' ? Array.isArray(c) : isObj(c));
  const top = root === undefined || root === null ? container(sub[0]!) : fits(root, sub[0]!) ? own(root as Json[] | { [k: string]: Json }) : root;
  let cur: Json = top;
  for (let i = 0; i < sub.length; i++) {
    const seg = sub[i]!;
    if (!fits(cur, seg)) return root;
    if (typeof seg === 'number') while ((cur as Json[]).length < seg) (cur as Json[]).push(null);
    const at = cur as unknown as Record<PathSeg, Json | undefined>;
    const next = at[seg];
    if (i === sub.length - 1) {
      if (next !== v) at[seg] = v;
    } else {
      cur = at[seg] = next === undefined || next === null ? container(sub[i + 1]!) : typeof next === 'object' ? own(next) : next;
    }
  }
  return top;
}

/**
 * The column types of a log type's tables (the first table naming a column types it) and each table's
 * columns, once per mapper, log type and tables rather than once per test log (a Sentinel table has tens to
 * hundreds of columns). Shared: callers copy `types` before adding to it and only read `tableColumns`.
 */
interface TablesInfo {
  types: Record<string, string>;
  tableColumns: Record<string, string[]>;
  /** Each column of `types` empty (emptyValue), in the same order: a log's row starts as a copy of it. */
  empty: Record<string, KqlValue>;
}
const tablesInfo = new WeakMap<FieldMapper, Map<string, TablesInfo>>();

function tablesTypes(mapper: FieldMapper, logType: string, tables: string[]): TablesInfo {
  let byKey = tablesInfo.get(mapper);
  if (!byKey) tablesInfo.set(mapper, (byKey = new Map()));
  const key = `${logType}\0${tables.join('\0')}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const types: Record<string, string> = {};
  const tableColumns: Record<string, string[]> = {};
  for (const t of tables) {
    // a custom-log table: the columns the mapper declares for it (mapping/custom.ts)
    const cols = sentinelTable(t) ?? mapper.kqlColumns?.(logType, t);
    if (!cols) continue;
    tableColumns[t] = Object.keys(cols);
    for (const [c, ty] of Object.entries(cols)) if (!(c in types)) types[c] = ty;
  }
  const empty: Record<string, KqlValue> = {};
  for (const [c, ty] of Object.entries(types)) empty[c] = emptyValue(ty);
  const out = { types, tableColumns, empty };
  byKey.set(key, out);
  return out;
}

/** The Sentinel row(s) of a Panther log of `logType`. */
export function projectKql(log: Json, logType0: string, mapper: FieldMapper): KqlEvent {
  // an event Sentinel stores in another table by the value of one of its fields (sources.kql.routes)
  const logType = routeOf(mapper, logType0, log);
  const source = mapper.source(logType, 'kql');
  // a table keyed by a value of a field (sources.kql.tableValues) holds the rows of that value only
  const tables = keyedRowTables(source?.tables ?? (source?.table ? [source.table] : []), source?.tableValues, log);
  if (tables.length === 0) throw new Refusal(`log type ${logType} has no Sentinel (KQL) table`);
  const base = tablesTypes(mapper, logType, tables);
  const types: Record<string, string> = { ...base.types };
  const tableColumns = base.tableColumns;
  const slots = new Map<string, Slot>();
  // the places (column and place inside it) a key spelled as the vendor does filled: a log holding the
  // same key in another casing too does not overwrite them (the connector reads the vendor's key, as
  // Panther's lookup finds a key as written before another casing), whichever comes first in the log
  const vendorPlaced = new Set<string>();
  // the columns a mapped field adds to the tables' own, in the order they came
  const added: string[] = [];
  // the lists and objects this projection made (or copied): setIn changes only these, never the log's
  const owned = new Set<object>();
  const place = (f: MappedField, path: PathSeg[], v: Json) => {
    const access = f.access ?? 'column';
    const colType = types[f.name] ?? (access === 'dynamic' ? 'dynamic' : access === 'json_string' ? 'string' : f.sub ? 'dynamic' : (f.type ?? 'string'));
    if (types[f.name] === undefined) {
      types[f.name] = colType;
      added.push(f.name);
    }
    let slot = slots.get(f.name);
    if (!slot) {
      slot = { access: access === 'column' && colType === 'dynamic' ? 'dynamic' : access, type: colType, value: undefined };
      slots.set(f.name, slot);
    }
    const canon = mapper.canonicalPath(logType, path);
    const sub = f.sub && f.sub.length > 0 ? subInLogCasing(f.sub, canon, path) : [];
    const at = JSON.stringify([f.name, sub.map((s) => (typeof s === 'string' ? s.toLowerCase() : s))]);
    if (canon.length === path.length && canon.every((k, i) => k === path[i])) vendorPlaced.add(at);
    else if (vendorPlaced.has(at)) return;
    if (sub.length === 0) slot.value = v;
    else slot.value = setIn(slot.value, sub, v, owned);
  };
  const walk = (v: Json, path: PathSeg[]) => {
    if (path.length > 0) {
      const r = mapper.resolve(logType, 'kql', path);
      if (!('unmapped' in r)) place(r, path, v);
    }
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(log, []);

  // every column empty, in the order of `types` (the tables' columns, then those added): a copy of the tables' row
  const columns: Record<string, KqlValue> = { ...base.empty };
  for (const c of added) columns[c] = emptyValue(types[c]!);
  for (const [c, slot] of slots) {
    if (slot.value === undefined) continue;
    if (slot.access === 'json_string') columns[c] = slot.value === null ? '' : JSON.stringify(slot.value);
    else columns[c] = toColumnType(slot.value, slot.type);
  }
  // a table shared with other log types: the log's row carries the value that marks this one
  for (const f of source?.filter ?? []) {
    // (a column the log's own field fills with one of the values keeps it: a routed log's category)
    const own = columns[f.column];
    if (!(typeof own === 'string' && f.values.includes(own))) columns[f.column] = f.values[0]!;
    types[f.column] ??= 'string';
  }
  return { tables, columns, types, tableColumns };
}
