/**
 * Field mapping as data: load `mappings/*.yaml` (plus `--mapping FILE` overrides) and resolve a
 * raw Panther field path of a log type to where each target finds it.
 *
 * Resolution of (logType, target, path):
 *   1. the path's key casing is normalised to the log type's known casing (Panther matches keys
 *      case-insensitively; targets do not);
 *   2. an exact `fields` entry with a cell for the target;
 *   3. else the longest `prefixes` entry with a cell for the target (the rest of the path is `sub`);
 *   4. else, for Panther's own `p_*` fields, Unmapped;
 *   5. else the target's `defaults` rule (raw name, declared fallback, container column, ...);
 *   6. else Unmapped. A cell or default can never name a KQL column that the table lacks: load checks it
 *      (for a log type read from several tables, `sources.kql.tables`, a column of any of them, with
 *      one type across them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { pathText, type PathSeg } from '../ast/view.js';
import { NAME_SLOT, parseMappingFile, TARGETS, type Cell, type Default, type Entry, type MappingDoc, type SourceSpec } from './file.js';
import { sentinelTable } from './schemas.js';
import { packagePath, sourceHash } from '../paths.js';
import type { FieldMapper, LogSource, MappedField, TargetName, Unmapped } from './types.js';

/** The package's `mappings/` folder (works from `src/mapping/` and from `dist/mapping/`). */
export const DEFAULT_MAPPINGS_DIR = packagePath('mappings') + sep;

const TARGET_LABEL: Record<TargetName, string> = {
  kql: 'KQL (Sentinel)',
  sigma: 'Sigma',
  yaral: 'YARA-L (Chronicle UDM)',
  cwl: 'CloudWatch Logs Insights',
};

/** The log type every file's `logType: '*'` entries apply to. */
const COMMON = '*';

interface TrieNode {
  children: Map<string, TrieNode>;
  /** lower-case key → key as written. */
  lower: Map<string, string>;
}

/** The merged mapping of one log type. */
export interface LogTypeMapping {
  logType: string;
  description?: string;
  files: string[];
  sources: Partial<Record<TargetName, SourceSpec>>;
  defaults: Partial<Record<TargetName, Default>>;
  /** key = JSON of the path. */
  fields: Map<string, Entry>;
  prefixes: Map<string, Entry>;
  trie: TrieNode;
}

const keyOf = (path: readonly string[]) => JSON.stringify(path);

function newNode(): TrieNode {
  return { children: new Map(), lower: new Map() };
}

function addToTrie(root: TrieNode, path: readonly string[]): void {
  let node = root;
  for (const seg of path) {
    let next = node.children.get(seg);
    if (!next) {
      next = newNode();
      node.children.set(seg, next);
      if (!node.lower.has(seg.toLowerCase())) node.lower.set(seg.toLowerCase(), seg);
    }
    node = next;
  }
}

function mergeEntries(into: Map<string, Entry>, entries: readonly Entry[]): void {
  for (const e of entries) {
    const k = keyOf(e.path);
    const old = into.get(k);
    const type = e.type ?? old?.type;
    const nonEmpty = e.nonEmpty ?? old?.nonEmpty;
    into.set(k, old ? { path: e.path, cells: { ...old.cells, ...e.cells }, at: e.at, ...(type ? { type } : {}), ...(nonEmpty ? { nonEmpty } : {}) } : { ...e, cells: { ...e.cells } });
  }
}

/** Pascal-case a raw key: `actor_ip` → `ActorIp`, `actionName` → `ActionName`. */
function pascal(key: string): string {
  return key
    .split('_')
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** A mapping file not read yet: the log type a cheap scan of its text found (see `scanLogType`). */
interface PendingFile {
  file: string;
  /** Its place in load order. */
  order: number;
  logType: string;
}

/** A node of the resolved-path tree (FieldMapper.resolve): the answer for the path so far, and the longer paths. */
interface ResolvedNode {
  hit?: MappedField | Unmapped;
  next?: Map<PathSeg, ResolvedNode>;
}

export class MappingSet implements FieldMapper {
  private readonly byType = new Map<string, LogTypeMapping>();
  /** Documents read so far, by the load order of their file. */
  private readonly parsed: { order: number; docs: readonly MappingDoc[] }[] = [];
  /** Files not read yet, by the log type they map (read when that log type is first asked for). */
  private readonly pending = new Map<string, PendingFile[]>();
  /** Every log type, in order of first appearance (read or pending). */
  private readonly known = new Set<string>();
  /** Log types without a mapping file: the `'*'` entries and the custom-log table (KQL only). */
  private readonly derived = new Map<string, LogTypeMapping>();

  /**
   * `docs` in load order: later documents override earlier ones; `'*'` documents apply to every log type.
   * `pending`: files of one log type each, read on first use; `order` places them among `docs` (whose
   * files come at `docsOrder`); `eager`: the log types to build (and check) now.
   */
  constructor(docs: readonly MappingDoc[], lazy?: { pending: readonly PendingFile[]; docsOrder: readonly number[]; eager: (logTypes: string[]) => string[] }) {
    if (!lazy) {
      this.parsed.push({ order: 0, docs });
      for (const d of docs) if (d.logType !== COMMON) this.known.add(d.logType);
      for (const logType of this.known) this.build(logType);
      return;
    }
    const known: { order: number; logType: string }[] = [];
    docs.forEach((d, i) => {
      const order = lazy.docsOrder[i]!;
      const last = this.parsed[this.parsed.length - 1];
      if (last && last.order === order) (last.docs as MappingDoc[]).push(d);
      else this.parsed.push({ order, docs: [d] });
      if (d.logType !== COMMON) known.push({ order, logType: d.logType });
    });
    for (const p of lazy.pending) {
      this.pending.set(p.logType, [...(this.pending.get(p.logType) ?? []), p]);
      known.push({ order: p.order, logType: p.logType });
    }
    // the order an eager load meets the log types in (and so the first error it reports)
    for (const k of known.sort((a, b) => a.order - b.order)) this.known.add(k.logType);
    for (const logType of lazy.eager([...this.known])) this.build(logType);
  }

  /** The merged mapping of a log type, read and checked on first use. */
  private get(logType: string): LogTypeMapping | undefined {
    return this.byType.get(logType) ?? (this.known.has(logType) ? this.build(logType) : undefined);
  }

  /**
   * The mapping of a log type that has no mapping file, for KQL and YARA-L: the `'*'` entries (Panther's
   * `p_*` fields), read from the custom-log table (`customSource`) or custom log type (`customYaralSource`).
   */
  private derivedMapping(logType: string): LogTypeMapping {
    let m = this.derived.get(logType);
    if (!m) {
      m = this.merge(logType);
      this.derived.set(logType, m);
    }
    return m;
  }

  private build(logType: string): LogTypeMapping {
    const hit = this.byType.get(logType);
    if (hit) return hit;
    for (const p of this.pending.get(logType) ?? []) {
      const docs = readDocs(p.file);
      const types = [...new Set(docs.map((d) => d.logType))];
      if (types.length !== 1 || types[0] !== logType) {
        throw new Error(`${p.file}: maps ${types.join(', ') || 'no log type'}, but a scan of its text found only ${logType}; give one log type per file in ${DEFAULT_MAPPINGS_DIR}`);
      }
      this.parsed.push({ order: p.order, docs });
    }
    this.pending.delete(logType);
    this.parsed.sort((a, b) => a.order - b.order);
    const m = this.merge(logType);
    this.byType.set(logType, m);
    return m;
  }

  /** Merge the documents read so far of a log type (and `'*'`), then check them. */
  private merge(logType: string): LogTypeMapping {
    const m: LogTypeMapping = {
      logType,
      files: [],
      sources: {},
      defaults: {},
      fields: new Map(),
      prefixes: new Map(),
      trie: newNode(),
    };
    for (const { docs } of this.parsed) for (const doc of docs) if (doc.logType === logType || doc.logType === COMMON) this.apply(m, doc);
    for (const e of [...m.fields.values(), ...m.prefixes.values()]) addToTrie(m.trie, e.path);
    this.check(m);
    return m;
  }

  private apply(m: LogTypeMapping, doc: MappingDoc): void {
    if (doc.logType !== COMMON) m.files.push(doc.file);
    if (doc.description) m.description = doc.description;
    // a '*' document's KQL (YARA-L) source is the custom-log table (custom log type) of the log types
    // without one (customSource, customYaralSource)
    const sources = { ...doc.sources };
    if (doc.logType === COMMON) {
      delete sources.kql;
      delete sources.yaral;
    }
    Object.assign(m.sources, sources);
    Object.assign(m.defaults, doc.defaults);
    mergeEntries(m.fields, doc.fields);
    mergeEntries(m.prefixes, doc.prefixes);
  }

  /**
   * Every KQL column a mapping names must exist in its table (for several tables: in at least one of
   * them, with one type across them, as `union` renames a column whose type differs), when the
   * schemas know the tables.
   */
  private check(m: LogTypeMapping): void {
    const tables = kqlTables(m);
    const fail = (at: string, msg: string): never => {
      throw new Error(`${at}: ${m.logType}: ${msg}`);
    };
    const custom = this.isCustom(m);
    const checkColumn = (name: string, at: string, what: string, isPrefix: boolean, access?: string) => {
      if (custom) return; // a custom-log table: its columns are the user's (declared per rule, see src/mapping/custom.ts)
      if (tables.length === 0) return fail(at, `${what} names KQL column '${name}' but the log type has no 'sources.kql.table'`);
      const col = this.column(m, name);
      if (col.conflict) {
        fail(at, `${what}: KQL column '${name}' has different types in ${col.conflict} (a union renames such columns by type); map the field to a column with one type, or use one table`);
      }
      if (col.type === undefined) {
        if (col.unknownTable) return; // a custom table the schemas do not describe may hold it
        const where = tables.length === 1 ? `table ${tables[0]}` : `any of the tables ${tables.join(', ')}`;
        fail(at, `${what}: KQL column '${name}' is not in ${where} (schemas/sentinel-tables.json); use an existing column, or null to refuse the field`);
      }
      const type = col.type!;
      if (isPrefix && type !== 'dynamic' && access !== 'json_string' && access !== 'dynamic') {
        fail(at, `${what}: column '${name}' is ${type}; a prefix or 'sub:' needs a dynamic column or 'access: json_string' (a string holding JSON)`);
      }
    };
    for (const [isPrefix, map] of [[false, m.fields], [true, m.prefixes]] as const) {
      for (const e of map.values()) {
        const cell = e.cells.kql;
        const what = `${isPrefix ? 'prefixes' : 'fields'}.${e.path.join('.')}.kql`;
        if (cell?.name) checkColumn(cell.name, cell.at, what, isPrefix || cell.sub !== undefined, cell.access);
      }
    }
    for (const f of m.sources.kql?.source.filter ?? []) {
      checkColumn(f.column, m.sources.kql!.at, `sources.kql.filter (${f.column})`, false);
      const t = this.columnType(m, f.column);
      if (t !== undefined && t !== 'string') fail(m.sources.kql!.at, `sources.kql.filter: column '${f.column}' is ${t}; a filter compares a string column with its value`);
    }
    const d = m.defaults.kql;
    if (d?.kind === 'container') checkColumn(d.name, d.at, 'defaults.kql.container', true, d.access);
    if (d && d.kind !== 'none' && d.kind !== 'container' && d.kind !== 'pascal' && d.kind !== 'columns' && d.kind !== 'absent') {
      fail(d.at, `defaults.kql: '${d.kind}' is not allowed for KQL (never invent a column); use none, container, pascal, absent or (for a custom-log table) columns`);
    }
    if (d?.kind === 'columns' && !custom) {
      fail(d.at, `defaults.kql: 'columns' (the log's top-level keys as columns) is only for a custom-log table the user ingests; the Sentinel table ${tables.join(', ') || '(none)'} has its own columns: set 'sources.kql.custom: true' if it is yours, else map each field`);
    }
    const y = m.defaults.yaral;
    if (y?.kind === 'raw') fail(y.at, `defaults.yaral: 'raw' is not allowed (raw names are not UDM fields); use none or fallback`);
  }

  /**
   * A column of the log type's KQL table(s): its type when the schemas know it (one type across the
   * tables that have it), `conflict` when the tables disagree, `unknownTable` when a table is not in
   * the schemas.
   */
  private column(m: LogTypeMapping, column: string): { type?: string; conflict?: string; unknownTable: boolean } {
    const tables = kqlTables(m);
    const found = tables.filter((t) => sentinelTable(t)?.[column] !== undefined).map((t) => ({ t, type: sentinelTable(t)![column]! }));
    const unknownTable = tables.some((t) => !sentinelTable(t));
    const types = [...new Set(found.map((f) => f.type))];
    if (types.length > 1) return { conflict: found.map((f) => `${f.t} (${f.type})`).join(', '), unknownTable };
    return { type: types[0], unknownTable };
  }

  /** The type of a column of the log type's KQL table(s), if known and the same in each. */
  private columnType(m: LogTypeMapping, column: string): string | undefined {
    const c = this.column(m, column);
    return c.conflict ? undefined : c.type;
  }

  logTypes(): string[] {
    return [...this.known].sort();
  }

  /** The merged mapping of a log type (for listings and tests). */
  mapping(logType: string): LogTypeMapping | undefined {
    return this.get(logType);
  }

  /** Answers of `source`, per target and log type: one shared, deeply frozen object each. */
  private readonly sources = new Map<string, LogSource | undefined>();

  /** The log source (shared and frozen: a caller that needs to change it copies it). */
  source(logType: string, target: TargetName): LogSource | undefined {
    const key = `${target}\0${logType}`;
    if (this.sources.has(key)) return this.sources.get(key);
    const s = this.get(logType)?.sources[target];
    // Sentinel has a table for every log type: the one a mapping names, else a custom-log table; Chronicle
    // the parser a mapping names, else a custom log type; a mapping that says nothing of Sigma or Logs
    // Insights leaves them at their raw-name default
    // (a route's own document, `Azure.MonitorActivity/kube-audit`, is KQL's alone: no custom log type)
    const out = s ? structuredClone(s.source) : target === 'kql' ? this.customSource(logType) : target === 'yaral' ? (logType.includes('/') ? undefined : this.customYaralSource(logType)) : derivedSource(logType, target);
    if (out) deepFreeze(out);
    this.sources.set(key, out);
    return out;
  }

  /**
   * The custom-log table of a log type without a Sentinel table in its mapping: the last `'*'`
   * document's `sources.kql.table` (custom), `{name}` standing for the log type's name, else
   * `<Name>_CL` (`customTableName`).
   */
  private customSource(logType: string): LogSource {
    let pattern: string | undefined;
    for (const { docs } of this.parsed) for (const d of docs) if (d.logType === COMMON && d.sources.kql?.table) pattern = d.sources.kql.table;
    const name = customName(logType);
    return { table: pattern ? pattern.split(NAME_SLOT).join(name) : `${name}_CL`, custom: true };
  }

  /**
   * The custom log type of a log type without a Chronicle parser in its mapping (mappings/README.md,
   * "Custom log types"): the last `'*'` document's `sources.yaral` (custom), `{name}` in its values
   * standing for the YARA-L name, else `metadata.log_type = "<NAME>"` (`customYaralName`).
   */
  private customYaralSource(logType: string): LogSource {
    let pattern: LogSource | undefined;
    for (const { docs } of this.parsed) for (const d of docs) if (d.logType === COMMON && d.sources.yaral) pattern = d.sources.yaral.source;
    const name = customYaralName(logType);
    const baseFilter = (pattern?.baseFilter ?? [{ field: 'metadata.log_type', value: NAME_SLOT }]).map((b) => ({ field: b.field, value: b.value.split(NAME_SLOT).join(name) }));
    return { baseFilter, custom: true };
  }

  /** Whether a merged log type is read as a custom log type on YARA-L (no parser of its own named). */
  private isYaralCustom(m: LogTypeMapping): boolean {
    const s = m.sources.yaral;
    return s ? !!s.source.custom : true;
  }

  /** Whether a merged log type reads a custom-log table (its own, or the default one). */
  private isCustom(m: LogTypeMapping): boolean {
    const s = m.sources.kql;
    return s ? !!s.source.custom : true;
  }

  canonicalPath(logType: string, path: PathSeg[], target?: TargetName): PathSeg[] {
    const m = this.get(logType);
    if (!m) return [...path];
    // a target the mapping says nothing of reads the raw names as given (see resolve)
    if ((target === 'sigma' || target === 'cwl') && !m.sources[target]) return [...path];
    let node: TrieNode | undefined = m.trie;
    return path.map((seg) => {
      if (typeof seg === 'number' || !node) return seg; // list indices are transparent
      const real: string | undefined = node.children.has(seg) ? seg : node.lower.get(seg.toLowerCase());
      node = real === undefined ? undefined : node.children.get(real);
      return real ?? seg;
    });
  }

  /** The JSON type of a field's raw value, when its mapping states it (`type:`). */
  valueType(logType: string, path: PathSeg[]): string | undefined {
    const m = this.get(logType);
    if (!m) return undefined;
    return m.fields.get(keyOf(this.canonicalPath(logType, path).map(String)))?.type;
  }

  nonEmpty(logType: string, path: PathSeg[]): boolean {
    const m = this.get(logType);
    return !!m?.fields.get(keyOf(this.canonicalPath(logType, path).map(String)))?.nonEmpty;
  }

  /**
   * Resolved paths by log type, target and path: the answer depends on nothing else (the mappings are
   * read once), and the printers and evaluators ask again for every literal, target and test.
   */
  // a tree by log type, target, then each path segment (a Map tells 1 from "1" as JSON does): no key text built per call
  private readonly resolved = new Map<string, Map<TargetName, ResolvedNode>>();

  resolve(logType: string, target: TargetName, path: PathSeg[]): MappedField | Unmapped {
    let byTarget = this.resolved.get(logType);
    if (!byTarget) this.resolved.set(logType, (byTarget = new Map()));
    let node = byTarget.get(target);
    if (!node) byTarget.set(target, (node = {}));
    for (const seg of path) {
      const next: Map<PathSeg, ResolvedNode> = (node.next ??= new Map());
      let child = next.get(seg);
      if (!child) next.set(seg, (child = {}));
      node = child;
    }
    return (node.hit ??= deepFreeze(this.resolveOnce(logType, target, path)));
  }

  private resolveOnce(logType: string, target: TargetName, path: PathSeg[]): MappedField | Unmapped {
    const own = this.get(logType);
    const m = own ?? (target === 'kql' || target === 'yaral' ? this.derivedMapping(logType) : undefined);
    const raw = pathText(path);
    // Sigma and Logs Insights without a source in the log type's mapping (or without a mapping): raw names
    if (!m || ((target === 'sigma' || target === 'cwl') && !own?.sources[target])) {
      // Sigma and Logs Insights address a log by its raw JSON field names: without a mapping (file, or
      // source in it) they still can (Sigma under a logsource derived from the log type, Logs Insights with its warning)
      if ((target === 'sigma' || target === 'cwl') && path.length > 0 && typeof path[0] === 'string' && !path[0].startsWith('p_')) {
        const i = path.findIndex((x) => typeof x === 'number');
        const names = (i < 0 ? path : path.slice(0, i)) as string[];
        return field(names.join('.'), i < 0 ? [] : path.slice(i), { inferred: true });
      }
      if (own) return unmapped(`the mapping of log type '${logType}' has no ${TARGET_LABEL[target]} source, and the path '${raw}' has no raw name. Add one with --mapping FILE`);
      return unmapped(
        `no mapping file for log type '${logType}' (field '${raw}', target ${TARGET_LABEL[target]}); known log types: ${this.logTypes().join(', ')}. Add one with --mapping FILE`,
      );
    }
    if (path.length === 0 || typeof path[0] !== 'string') {
      return unmapped(`${logType}: cannot map the path '${raw}' for ${TARGET_LABEL[target]}: a field path starts with a key`);
    }
    const canon = this.canonicalPath(logType, path);
    const text = pathText(canon);
    const why = (reason: string) =>
      unmapped(`field '${text}' of ${logType} has no ${TARGET_LABEL[target]} mapping: ${reason}. Add one with --mapping FILE (see mappings/README.md)`);
    const strings = (segs: PathSeg[]): segs is string[] => segs.every((s) => typeof s === 'string');

    if (strings(canon)) {
      const cell = m.fields.get(keyOf(canon))?.cells[target];
      if (cell) return this.fromCell(m, target, cell, [], why);
    }
    for (let n = canon.length; n >= 1; n--) {
      const head = canon.slice(0, n);
      if (!strings(head)) continue;
      const cell = m.prefixes.get(keyOf(head))?.cells[target];
      if (cell) return this.fromCell(m, target, cell, canon.slice(n), why);
    }
    if (typeof canon[0] === 'string' && canon[0].startsWith('p_')) {
      return why(`'${canon[0]}' is a Panther metadata field with no equivalent in ${TARGET_LABEL[target]}`);
    }
    // a custom-log table (without defaults of its own): the log's top-level keys are its columns
    const d = m.defaults[target] ?? (target === 'kql' && this.isCustom(m) ? ({ kind: 'columns', inferred: true, at: '' } as const) : undefined);
    // a custom log type (without defaults of its own): the custom parser keeps every raw field under
    // additional.fields by its dotted path (mappings/README.md, "Custom log types")
    if (!d && target === 'yaral' && this.isYaralCustom(m)) {
      return { ...field(`additional.fields["${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`, [], { inferred: true }), convention: true };
    }
    if (!d) return why(`the log type has no ${target} defaults and no entry for this field`);
    switch (d.kind) {
      case 'none':
        return why(d.note ?? (target === 'kql' ? `no column of ${kqlTables(m).join(' or ') || 'its table'} is known to hold it` : 'no known field holds it'));
      case 'absent':
        return { ...why(d.note ?? `the records of ${logType} never hold it`), absent: true };
      case 'raw': {
        const i = canon.findIndex((s) => typeof s === 'number');
        const names = (i < 0 ? canon : canon.slice(0, i)) as string[];
        return field(names.join('.'), i < 0 ? [] : canon.slice(i), { inferred: d.inferred });
      }
      case 'fallback': {
        const keys = canon.filter((s): s is string => typeof s === 'string');
        const key = d.key === 'leaf' ? keys[keys.length - 1]! : text;
        return field(`${d.map}["${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`, [], { fallback: true, inferred: d.inferred });
      }
      case 'container':
        return this.kqlField(m, d.name, d.access, canon, d.inferred, why);
      case 'columns': {
        const key = canon[0] as string;
        const table = kqlTables(m)[0] ?? this.customSource(logType).table!;
        if (!CUSTOM_COLUMN.test(key) || RESERVED_COLUMNS.has(key)) {
          return why(
            `the key '${key}' cannot be a column of the custom-log table ${table}: ${RESERVED_COLUMNS.has(key) ? 'Log Analytics reserves that column name' : 'a Log Analytics column name starts with a letter and holds only letters, digits and _'}; rename it in the ingestion (DCR) transformation and map it with --mapping`,
          );
        }
        const sub = canon.slice(1);
        return this.kqlField(m, key, sub.length > 0 ? 'dynamic' : undefined, sub, d.inferred ?? true, why);
      }
      case 'pascal': {
        const col = canon.length === 1 && typeof canon[0] === 'string' ? pascal(canon[0]) : undefined;
        if (col && this.columnType(m, col)) return this.kqlField(m, col, undefined, [], d.inferred ?? true, why);
        return why(`no column of ${kqlTables(m).join(' or ') || 'its table'} is known to hold it${col ? ` (no column ${col})` : ''}`);
      }
    }
  }

  private fromCell(
    m: LogTypeMapping,
    target: TargetName,
    cell: Cell,
    sub: PathSeg[],
    why: (reason: string) => Unmapped,
  ): MappedField | Unmapped {
    if (cell.name === null) return why(cell.note ?? `refused by the mapping (${cell.at})`);
    const full = [...(cell.sub ?? []), ...sub];
    if (target === 'kql') return this.kqlField(m, cell.name, cell.access, full, cell.inferred, why);
    return field(cell.name, full, { inferred: cell.inferred });
  }

  private kqlField(
    m: LogTypeMapping,
    column: string,
    access: Cell['access'],
    sub: PathSeg[],
    inferred: boolean | undefined,
    why: (reason: string) => Unmapped,
  ): MappedField | Unmapped {
    const colType = this.columnType(m, column);
    // a custom-log table's column of unknown type that a path goes inside holds a JSON object (dynamic)
    const acc = access ?? (colType === 'dynamic' || (colType === undefined && sub.length > 0 && this.isCustom(m)) ? 'dynamic' : 'column');
    if (sub.length > 0 && acc === 'column') {
      return why(`column ${column} is a scalar (${colType ?? 'unknown type'}), its sub-path ${pathText(sub)} cannot be addressed`);
    }
    const f = field(column, sub, { inferred });
    f.access = acc;
    const type = sub.length > 0 ? 'dynamic' : colType;
    if (type) f.type = type;
    return f;
  }

  /** Per log type: the targets it maps and how many fields/prefixes each target names. */
  summary(): { logType: string; targets: Partial<Record<TargetName, { fields: number; prefixes: number; default: string }>> }[] {
    return this.logTypes().map((logType) => {
      const m = this.get(logType)!;
      const targets: Partial<Record<TargetName, { fields: number; prefixes: number; default: string }>> = {};
      for (const t of TARGETS) {
        if (!m.sources[t]) continue;
        const count = (map: Map<string, Entry>) => [...map.values()].filter((e) => e.cells[t]?.name).length;
        targets[t] = { fields: count(m.fields), prefixes: count(m.prefixes), default: m.defaults[t]?.kind ?? 'none' };
      }
      return { logType, targets };
    });
  }
}

/**
 * The name a log type's custom-log table is derived from: the log type with every character that a
 * table name cannot hold (`.` and others) written `_` (`Asana.Audit` → `Asana_Audit`, table `Asana_Audit_CL`).
 */
export function customName(logType: string): string {
  const n = logType.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(n) ? n : `_${n}`;
}

/**
 * The YARA-L name of a log type's custom log type (its `metadata.log_type`): the custom-log table's name
 * in upper case, as Chronicle spells its log types (`Asana.Audit` → `ASANA_AUDIT`).
 */
export function customYaralName(logType: string): string {
  return customName(logType).toUpperCase();
}

/**
 * A column a custom-log table can have: a letter, then letters, digits and `_` (Log Analytics column
 * names; a leading `_` is reserved for its system columns), and none of the standard columns' names.
 */
export const CUSTOM_COLUMN = /^[A-Za-z][A-Za-z0-9_]*$/;
export const RESERVED_COLUMNS: ReadonlySet<string> = new Set(['TimeGenerated', 'TenantId', 'Type']);

/** The KQL tables of a merged log type mapping: `tables`, else `table`. */
function kqlTables(m: LogTypeMapping): string[] {
  const s = m.sources.kql;
  return s?.tables ?? (s?.table ? [s.table] : []);
}

function unmapped(message: string): Unmapped {
  return { unmapped: true, message };
}

function field(name: string, sub: PathSeg[], flags: { inferred?: boolean; fallback?: boolean }): MappedField {
  const f: MappedField = { name };
  if (sub.length > 0) f.sub = sub;
  if (flags.fallback) f.fallback = true;
  if (flags.inferred) f.inferred = true;
  return f;
}

function readDocs(file: string): MappingDoc[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read mapping file: ${(e as Error).message}`);
  }
  return precompiledDocs(file, text) ?? parseMappingFile(text, file);
}

/**
 * The package's mapping files as `npm run build` read them (`scripts/bundle.mjs`): one JSON per file
 * under `dist/mappings/`, the documents `parseMappingFile` gives with `PRECOMPILED_FILE` for the file's
 * path, and the SHA-1 of the YAML they were read from. A run reads that instead of parsing the YAML
 * (a tenth of a single rule's time), when the YAML is still the same text; any other file is parsed.
 */
export const PRECOMPILED_FILE = '\u0001';

export function precompiledFile(yamlFile: string): string {
  return packagePath('dist', 'mappings', `${basename(yamlFile)}.json`);
}

function precompiledDocs(file: string, text: string): MappingDoc[] | undefined {
  if (dirname(file) + sep !== DEFAULT_MAPPINGS_DIR) return undefined;
  let json: string;
  try {
    json = readFileSync(precompiledFile(file), 'utf8');
  } catch {
    return undefined;
  }
  const data = JSON.parse(json, (_k, v: unknown) => (typeof v === 'string' && v.startsWith(PRECOMPILED_FILE) ? file + v.slice(PRECOMPILED_FILE.length) : v)) as { sha1?: string; docs?: MappingDoc[] };
  return data.sha1 === sourceHash(text) && Array.isArray(data.docs) ? data.docs : undefined;
}

/**
 * Load the mapping files of `dir` (default: the package's `mappings/`), then `extraFiles` in
 * order; later files override earlier ones per log type, per field and per target.
 * Throws `file:line:col: message` on a bad file.
 */
/**
 * The log source of a log type that has no mapping file, where a target can still address raw names:
 * Sigma's logsource from the log type's name (`Zendesk.Audit` → product zendesk, service audit), and
 * Logs Insights over raw JSON (not delivered natively, so the target warns).
 */
export function derivedSource(logType: string, target: TargetName): LogSource | undefined {
  const parts = logType.split('.').map((x) => x.toLowerCase());
  if (target === 'sigma' && parts.length >= 2) return { logsource: { product: parts[0] as string, service: parts.slice(1).join('_') } };
  if (target === 'cwl') return { native: false };
  return undefined;
}

/**
 * The log type of a mapping file read by a scan of its text, when that is certain: one document
 * (no `---`, `...` or `%` directive line), the word `logType` exactly once, on a top-level
 * `logType: Name` line with a plain or quoted name. Else undefined (the file is read whole).
 */
export function scanLogType(text: string): string | undefined {
  if (/^(---|\.\.\.|%)/m.test(text)) return undefined;
  if (text.split('logType').length !== 2) return undefined;
  const m = /^logType:[ \t]*(?:'([A-Za-z0-9_./-]+)'|"([A-Za-z0-9_./-]+)"|([A-Za-z0-9_./-]+))[ \t]*(?:#.*)?\r?$/m.exec(text);
  const name = m ? (m[1] ?? m[2] ?? m[3]) : undefined;
  return name && name !== COMMON ? name : undefined;
}

/**
 * Load the mapping files of `dir` (default: the package's `mappings/`), then `extraFiles` in
 * order; later files override earlier ones per log type, per field and per target.
 * Throws `file:line:col: message` on a bad file.
 *
 * The package's own files of one log type each are read when that log type is first asked for (a
 * run over one rule reads one file and `_common.yaml`); every other file is read now, and the log
 * types the `extraFiles` touch are built and checked now (all of them when one holds a `'*'`
 * document), so a bad `--mapping` file is reported at once, as before. `lazy: false` reads everything now.
 */
export function loadMappings(opts: { dir?: string; extraFiles?: string[]; lazy?: boolean } = {}): MappingSet {
  const dir = opts.dir ?? DEFAULT_MAPPINGS_DIR;
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
  const extra = opts.extraFiles ?? [];
  if (opts.lazy === false || dir !== DEFAULT_MAPPINGS_DIR) return new MappingSet([...files, ...extra].flatMap(readDocs));
  const docs: MappingDoc[] = [];
  const docsOrder: number[] = [];
  const pending: PendingFile[] = [];
  const read = (file: string, order: number): MappingDoc[] => {
    const d = readDocs(file);
    for (const x of d) {
      docs.push(x);
      docsOrder.push(order);
    }
    return d;
  };
  files.forEach((file, order) => {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // read (and reported) now
    }
    const logType = text === undefined ? undefined : scanLogType(text);
    if (logType) pending.push({ file, order, logType });
    else read(file, order);
  });
  const touched = new Set<string>();
  extra.forEach((file, i) => {
    for (const d of read(file, files.length + i)) touched.add(d.logType);
  });
  return new MappingSet(docs, {
    pending,
    docsOrder,
    eager: (known) => (touched.has(COMMON) ? known : known.filter((t) => touched.has(t))),
  });
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
