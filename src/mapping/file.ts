/**
 * Reading one mapping file (`mappings/<logtype>.yaml` or a `--mapping FILE`): YAML → checked
 * structures that remember where each cell came from. The format is documented in mappings/README.md.
 * Errors throw with `file:line:col: what is wrong; how to fix it`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type YAMLMap } from 'yaml';
import type { LogSource, TargetName } from './types.js';

export const TARGETS: readonly TargetName[] = ['kql', 'sigma', 'yaral', 'cwl'];
export type Access = 'column' | 'dynamic' | 'json_string';

/** Where a target finds one field (or container, for prefixes). `name: null` refuses the field. */
export interface Cell {
  name: string | null;
  access?: Access;
  /**
   * A fixed path inside the column/field, before the rest of the raw path (`{name: Properties_d, sub: requestbody}`);
   * list indices are numbers (`sub: 'findings[0]'`).
   */
  sub?: (string | number)[];
  inferred?: boolean;
  note?: string;
  /** `file:line:col` of the cell, for later errors. */
  at: string;
}

/** What a target does with a path that has no field or prefix entry. */
export type Default =
  | { kind: 'raw'; inferred?: boolean; note?: string; at: string }
  | { kind: 'none'; note?: string; at: string }
  | { kind: 'fallback'; map: string; key: 'leaf' | 'path'; inferred?: boolean; note?: string; at: string }
  | { kind: 'container'; name: string; access?: Access; inferred?: boolean; note?: string; at: string }
  | { kind: 'pascal'; inferred?: boolean; note?: string; at: string }
  /** kql, custom-log tables: a path's top-level key is the column, the rest of the path is inside it (dynamic). */
  | { kind: 'columns'; inferred?: boolean; note?: string; at: string }
  /** kql: the log's records never hold a path without an entry (the query reads it as missing: `Unmapped.absent`). */
  | { kind: 'absent'; inferred?: boolean; note?: string; at: string };

/**
 * The JSON type a field's value has in the vendor's events (decides how truthiness is written);
 * `integer`: a number that is always a JSON integer (never 5.0), as the vendor's schema types it.
 */
export type ValueType = 'string' | 'boolean' | 'number' | 'integer' | 'list' | 'dict';
export const VALUE_TYPES: readonly ValueType[] = ['string', 'boolean', 'number', 'integer', 'list', 'dict'];

export interface Entry {
  path: string[];
  cells: Partial<Record<TargetName, Cell>>;
  /** `type:` the JSON type of the raw value (target-independent). */
  type?: ValueType;
  /** `nonEmpty: true`: where present, the raw value is never the empty string (target-independent). */
  nonEmpty?: true;
  at: string;
}

export interface SourceSpec {
  source: LogSource;
  /** kql: the (first) table the source reads. */
  table?: string;
  /** kql: every table the source reads (`tables:`, or `table:` alone); the query unions several. */
  tables?: string[];
  note?: string;
  at: string;
}

export interface MappingDoc {
  file: string;
  logType: string;
  description?: string;
  sources: Partial<Record<TargetName, SourceSpec>>;
  defaults: Partial<Record<TargetName, Default>>;
  fields: Entry[];
  prefixes: Entry[];
}

class Reader {
  private lc = new LineCounter();
  constructor(readonly file: string, readonly text: string) {}

  docs(): { node: Node | null; at: string }[] {
    // duplicate keys are found by entries() with a Set: the yaml package's own check is quadratic in a map's size
    const docs = parseAllDocuments(this.text, { lineCounter: this.lc, prettyErrors: false, uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [];
    const out: { node: Node | null; at: string }[] = [];
    for (const d of list) {
      const err = d.errors[0];
      if (err) throw new Error(`${this.pos(err.pos[0])}: YAML error: ${err.message.split('\n')[0]}`);
      out.push({ node: (d.contents as Node | null) ?? null, at: this.pos(d.range[0]) });
    }
    return out;
  }

  pos(offset: number): string {
    const { line, col } = this.lc.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  at(node: Node | null | undefined, fallback: string): string {
    return node?.range ? this.pos(node.range[0]) : fallback;
  }

  fail(node: Node | null | undefined, fallback: string, msg: string): never {
    throw new Error(`${this.at(node, fallback)}: ${msg}`);
  }

  /** A map's entries as [key, value node, key position]; keys must be strings; unknown keys are errors. */
  entries(node: Node | null, where: string, at: string, allowed?: readonly string[]): [string, Node | null, string][] {
    if (!isMap(node)) this.fail(node, at, `${where} must be a mapping (key: value lines)`);
    const out: [string, Node | null, string][] = [];
    const seen = new Set<string>();
    for (const pair of (node as YAMLMap).items) {
      const k = pair.key as Node | null;
      if (!isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number')) {
        this.fail(k, at, `${where}: keys must be plain strings`);
      }
      const key = String(k.value);
      const kat = this.at(k, at);
      if (seen.has(key)) this.fail(k, at, `${where}: duplicate key '${key}' (each key may appear once; merge the two entries)`);
      seen.add(key);
      if (allowed && !allowed.includes(key)) {
        this.fail(k, at, `${where}: unknown key '${key}' (expected one of: ${allowed.join(', ')})`);
      }
      out.push([key, (pair.value as Node | null) ?? null, kat]);
    }
    return out;
  }

  str(node: Node | null, where: string, at: string): string {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') {
      this.fail(node, at, `${where} must be a non-empty string`);
    }
    return node.value as string;
  }

  bool(node: Node | null, where: string, at: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node, at, `${where} must be true or false`);
    return node.value as boolean;
  }

  strList(node: Node | null, where: string, at: string): string[] {
    if (!isSeq(node)) this.fail(node, at, `${where} must be a list of strings`);
    return node.items.map((n, i) => this.str(n as Node, `${where}[${i}]`, at));
  }

  isNull(node: Node | null): boolean {
    return node === null || (isScalar(node) && node.value === null);
  }
}

/**
 * Split a path key: `a.b.c`, with `["x.y"]` or `['x.y']` for a key that holds dots; with `indices`,
 * `[0]` is a list index (only in a cell's `sub:`).
 */
export function parsePathKey(key: string): string[] | string;
export function parsePathKey(key: string, indices: true): (string | number)[] | string;
export function parsePathKey(key: string, indices = false): (string | number)[] | string {
  const segs: (string | number)[] = [];
  let i = 0;
  while (i < key.length) {
    const index = indices && key[i] === '[' ? /^\[(\d+)\]/.exec(key.slice(i)) : null;
    if (index) {
      segs.push(Number(index[1]));
      i += index[0].length;
      if (i < key.length && key[i] === '.') i++;
    } else if (key[i] === '[') {
      const q = key[i + 1];
      if (q !== '"' && q !== "'") return `'[' must be followed by a quote: ["key.with.dots"]`;
      const end = key.indexOf(q + ']', i + 2);
      if (end < 0) return `unclosed [${q}...${q}]`;
      segs.push(key.slice(i + 2, end));
      i = end + 2;
      if (i < key.length && key[i] === '.') i++;
    } else {
      let j = i;
      while (j < key.length && key[j] !== '.' && key[j] !== '[') j++;
      if (j === i) return 'empty segment (two dots in a row, or a leading/trailing dot)';
      segs.push(key.slice(i, j));
      i = j;
      if (key[i] === '.') {
        i++;
        if (i === key.length) return 'trailing dot';
      }
    }
  }
  if (segs.length === 0 || segs.some((s) => s === '')) return 'empty path';
  return segs;
}

const ACCESS: readonly Access[] = ['column', 'dynamic', 'json_string'];
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** In a '*' document's custom-log table: the log type's name (`Asana.Audit` → `Asana_Audit`). */
export const NAME_SLOT = '{name}';

function readAccess(r: Reader, node: Node | null, where: string, at: string): Access {
  const a = r.str(node, where, at);
  if (!ACCESS.includes(a as Access)) r.fail(node, at, `${where} must be one of: ${ACCESS.join(', ')}`);
  return a as Access;
}

function readCell(r: Reader, node: Node | null, target: TargetName, where: string, at: string): Cell {
  const cat = r.at(node, at);
  if (r.isNull(node)) return { name: null, at: cat };
  if (isScalar(node)) return { name: r.str(node, where, at), at: cat };
  const cell: Cell = { name: null, at: cat };
  let sawName = false;
  for (const [k, v, kat] of r.entries(node, where, at, ['name', 'access', 'sub', 'inferred', 'note'])) {
    if (k === 'name') {
      sawName = true;
      cell.name = r.isNull(v) ? null : r.str(v, `${where}.name`, kat);
    } else if (k === 'access') {
      if (target !== 'kql') r.fail(v, kat, `${where}.access applies to kql only`);
      cell.access = readAccess(r, v, `${where}.access`, kat);
    } else if (k === 'sub') {
      const sub = parsePathKey(r.str(v, `${where}.sub`, kat), true);
      if (typeof sub === 'string') r.fail(v, kat, `${where}.sub: bad path: ${sub}`);
      cell.sub = sub;
    } else if (k === 'inferred') cell.inferred = r.bool(v, `${where}.inferred`, kat);
    else cell.note = r.str(v, `${where}.note`, kat);
  }
  if (!sawName) r.fail(node, at, `${where} needs 'name:' (a ${target} field, or null to refuse the field)`);
  return cell;
}

function readEntries(r: Reader, node: Node | null, section: string, at: string): Entry[] {
  if (r.isNull(node)) return [];
  const out: Entry[] = [];
  for (const [key, v, kat] of r.entries(node, section, at)) {
    const path = parsePathKey(key);
    if (typeof path === 'string') r.fail(null, kat, `${section}: bad path '${key}': ${path}`);
    const cells: Partial<Record<TargetName, Cell>> = {};
    let type: ValueType | undefined;
    let nonEmpty = false;
    if (!r.isNull(v)) {
      for (const [t, cv, tat] of r.entries(v, `${section}.${key}`, kat, [...TARGETS, 'type', 'nonEmpty'])) {
        if (t === 'nonEmpty') {
          if (r.bool(cv, `${section}.${key}.nonEmpty`, tat) !== true) r.fail(cv, tat, `${section}.${key}.nonEmpty must be true (leave it out otherwise)`);
          nonEmpty = true;
          continue;
        }
        if (t === 'type') {
          const ty = r.str(cv, `${section}.${key}.type`, tat);
          if (!VALUE_TYPES.includes(ty as ValueType)) r.fail(cv, tat, `${section}.${key}.type must be one of: ${VALUE_TYPES.join(', ')} (the JSON type of the raw value)`);
          type = ty as ValueType;
          continue;
        }
        cells[t as TargetName] = readCell(r, cv, t as TargetName, `${section}.${key}.${t}`, tat);
      }
    }
    out.push({ path, cells, at: kat, ...(type ? { type } : {}), ...(nonEmpty ? { nonEmpty: true as const } : {}) });
  }
  return out;
}

function readDefault(r: Reader, node: Node | null, target: TargetName, at: string): Default {
  const where = `defaults.${target}`;
  const dat = r.at(node, at);
  if (isScalar(node) && (node.value === 'raw' || node.value === 'none')) return { kind: node.value, at: dat };
  const kinds = ['raw', 'none', 'fallback', 'container', 'pascal', 'columns', 'absent'];
  const e = r.entries(node, where, at, [...kinds, 'key', 'access', 'inferred', 'note']);
  const get = (k: string) => e.find((x) => x[0] === k);
  const kind = kinds.filter((k) => get(k));
  if (kind.length !== 1) {
    r.fail(node, at, `${where} must be 'raw', 'none', or a mapping with exactly one of: ${kinds.join(', ')}`);
  }
  const common: { inferred?: boolean; note?: string; at: string } = { at: dat };
  const inf = get('inferred');
  if (inf) common.inferred = r.bool(inf[1], `${where}.inferred`, inf[2]);
  const note = get('note');
  if (note) common.note = r.str(note[1], `${where}.note`, note[2]);
  const [k, v, kat] = get(kind[0]!)!;
  const onlyFor = (t: TargetName) => {
    if (target !== t) r.fail(v, kat, `${where}.${k} applies to ${t} only`);
  };
  if (k !== 'fallback' && get('key')) r.fail(get('key')![1], at, `${where}.key applies to fallback only`);
  if (k !== 'container' && get('access')) r.fail(get('access')![1], at, `${where}.access applies to container only`);
  switch (k) {
    case 'raw':
    case 'none':
    case 'pascal':
    case 'columns':
    case 'absent':
      if (r.bool(v, `${where}.${k}`, kat) !== true) r.fail(v, kat, `${where}.${k} must be true`);
      if (k === 'pascal' || k === 'columns' || k === 'absent') onlyFor('kql');
      return k === 'none' ? { kind: 'none', note: common.note, at: dat } : { kind: k, ...common };
    case 'fallback': {
      onlyFor('yaral');
      const key = get('key');
      const keyStyle = key ? r.str(key[1], `${where}.key`, key[2]) : 'path';
      if (keyStyle !== 'leaf' && keyStyle !== 'path') r.fail(key![1], at, `${where}.key must be 'leaf' or 'path'`);
      return { kind: 'fallback', map: r.str(v, `${where}.fallback`, kat), key: keyStyle, ...common };
    }
    default: {
      onlyFor('kql');
      const acc = get('access');
      const d: Default = { kind: 'container', name: r.str(v, `${where}.container`, kat), ...common };
      if (acc) d.access = readAccess(r, acc[1], `${where}.access`, acc[2]);
      return d;
    }
  }
}

function readSource(r: Reader, node: Node | null, target: TargetName, at: string): SourceSpec {
  const where = `sources.${target}`;
  const spec: SourceSpec = { source: {}, at: r.at(node, at) };
  const allowed: Record<TargetName, string[]> = {
    kql: ['table', 'tables', 'connectors', 'custom', 'filter', 'routes', 'tableValues', 'note'],
    sigma: ['logsource', 'note'],
    yaral: ['baseFilter', 'shared', 'custom', 'note'],
    cwl: ['native', 'note'],
  };
  for (const [k, v, kat] of r.entries(node, where, at, allowed[target])) {
    const w = `${where}.${k}`;
    if (k === 'note') spec.note = r.str(v, w, kat);
    else if (k === 'shared') spec.source.shared = r.str(v, w, kat);
    else if (k === 'table') {
      if (spec.tables) r.fail(v, kat, `${where}: give either 'table' (one) or 'tables' (a list), not both`);
      const table = r.str(v, w, kat);
      // `{name}` (the log type's name, see CUSTOM_NAME) is allowed in a '*' document's custom table (checked there)
      if (!TABLE_NAME.test(table.split(NAME_SLOT).join('X'))) r.fail(v, kat, `${w} must be one table name (letters, digits, _); several tables go in 'tables: [A, B]'`);
      spec.table = spec.source.table = table;
      spec.tables = [table];
    } else if (k === 'tables') {
      if (spec.tables) r.fail(v, kat, `${where}: give either 'table' (one) or 'tables' (a list), not both`);
      const tables = r.strList(v, w, kat);
      if (tables.length === 0) r.fail(v, kat, `${w} must name at least one table`);
      tables.forEach((t, i) => {
        if (!TABLE_NAME.test(t)) r.fail(v, kat, `${w}[${i}] must be one table name (letters, digits, _)`);
        if (tables.indexOf(t) !== i) r.fail(v, kat, `${w}: table ${t} is listed twice`);
      });
      spec.tables = tables;
      spec.table = spec.source.table = tables[0]!;
      if (tables.length > 1) spec.source.tables = [...tables];
    }
    else if (k === 'custom') spec.source.custom = r.bool(v, w, kat);
    else if (k === 'filter') {
      if (!isSeq(v)) r.fail(v, kat, `${w} must be a list of {column, value} or {column, values} (the rows of the table that hold the log type)`);
      spec.source.filter = v.items.map((item, i) => {
        const f: { column: string; values: string[] } = { column: '', values: [] };
        for (const [fk, fv, fat] of r.entries(item as Node, `${w}[${i}]`, kat, ['column', 'value', 'values'])) {
          if (fk === 'column') f.column = r.str(fv, `${w}[${i}].column`, fat);
          else if (fk === 'value') f.values.push(r.str(fv, `${w}[${i}].value`, fat));
          else f.values.push(...r.strList(fv, `${w}[${i}].values`, fat));
        }
        if (!f.column || f.values.length === 0) r.fail(item as Node, kat, `${w}[${i}] needs column and value (or values)`);
        return f;
      });
    }
    else if (k === 'routes') {
      if (!isSeq(v)) r.fail(v, kat, `${w} must be a list of {field, values, to} (the events whose field holds one of the values are read with the mapping of log type 'to')`);
      spec.source.routes = v.items.map((item, i) => {
        const rt: { field: string[]; values: string[]; logType: string } = { field: [], values: [], logType: '' };
        for (const [rk, rv, rat] of r.entries(item as Node, `${w}[${i}]`, kat, ['field', 'values', 'to'])) {
          if (rk === 'field') {
            const path = parsePathKey(r.str(rv, `${w}[${i}].field`, rat));
            if (typeof path === 'string') r.fail(rv, rat, `${w}[${i}].field: ${path}`);
            rt.field = path as string[];
          } else if (rk === 'values') rt.values = r.strList(rv, `${w}[${i}].values`, rat);
          else rt.logType = r.str(rv, `${w}[${i}].to`, rat);
        }
        if (rt.field.length === 0 || rt.values.length === 0 || !rt.logType) r.fail(item as Node, kat, `${w}[${i}] needs field, values and to (the log type of the mapping the events are read with)`);
        return rt;
      });
    }
    else if (k === 'tableValues') {
      const tv: { field: string[]; values: Record<string, string>; exclusive?: boolean } = { field: [], values: {} };
      for (const [tk, tvv, tat] of r.entries(v, w, kat, ['field', 'values', 'exclusive', 'note'])) {
        if (tk === 'field') {
          const path = parsePathKey(r.str(tvv, `${w}.field`, tat));
          if (typeof path === 'string') r.fail(tvv, tat, `${w}.field: ${path}`);
          tv.field = path as string[];
        } else if (tk === 'values') {
          for (const [table, val, vat] of r.entries(tvv, `${w}.values`, tat)) tv.values[table] = r.str(val, `${w}.values.${table}`, vat);
        } else if (tk === 'exclusive') {
          if (r.bool(tvv, `${w}.exclusive`, tat)) tv.exclusive = true;
        } else r.str(tvv, `${w}.note`, tat);
      }
      if (tv.field.length === 0 || Object.keys(tv.values).length === 0) r.fail(v, kat, `${w} needs field and values ({Table: value}: the value the field holds in every row of that table)`);
      const seen = new Map<string, string>();
      for (const [table, val] of Object.entries(tv.values)) {
        if (seen.has(val)) r.fail(v, kat, `${w}.values: ${table} and ${seen.get(val)} both hold ${JSON.stringify(val)} (one table per value)`);
        seen.set(val, table);
      }
      spec.source.tableValues = tv;
    }
    else if (k === 'connectors') {
      if (!isSeq(v)) r.fail(v, kat, `${w} must be a list of {connectorId, dataTypes}`);
      spec.source.connectors = v.items.map((item, i) => {
        const c = { connectorId: '', dataTypes: [] as string[] };
        for (const [ck, cv, cat] of r.entries(item as Node, `${w}[${i}]`, kat, ['connectorId', 'dataTypes'])) {
          if (ck === 'connectorId') c.connectorId = r.str(cv, `${w}[${i}].connectorId`, cat);
          else c.dataTypes = r.strList(cv, `${w}[${i}].dataTypes`, cat);
        }
        if (!c.connectorId) r.fail(item as Node, kat, `${w}[${i}] needs connectorId`);
        return c;
      });
    } else if (k === 'logsource') {
      const ls: Record<string, string> = {};
      for (const [lk, lv, lat] of r.entries(v, w, kat, ['category', 'product', 'service', 'definition'])) {
        ls[lk] = r.str(lv, `${w}.${lk}`, lat);
      }
      spec.source.logsource = ls;
    } else if (k === 'baseFilter') {
      if (!isSeq(v)) r.fail(v, kat, `${w} must be a list of {field, value}`);
      spec.source.baseFilter = v.items.map((item, i) => {
        const f = { field: '', value: '' };
        for (const [fk, fv, fat] of r.entries(item as Node, `${w}[${i}]`, kat, ['field', 'value'])) {
          f[fk as 'field' | 'value'] = r.str(fv, `${w}[${i}].${fk}`, fat);
        }
        if (!f.field || !f.value) r.fail(item as Node, kat, `${w}[${i}] needs field and value`);
        return f;
      });
    } else spec.source.native = r.bool(v, w, kat);
  }
  if (target === 'kql' && !spec.table) r.fail(node, at, `${where} needs 'table: <Sentinel table>' (or 'tables: [A, B]' for a log type Sentinel splits over several tables)`);
  if (target === 'kql' && spec.source.tableValues) {
    for (const t of Object.keys(spec.source.tableValues.values)) {
      if (!spec.tables?.includes(t)) r.fail(node, at, `${where}.tableValues: table ${t} is not one of the log type's tables`);
    }
  }
  if (target === 'kql' && spec.source.custom && spec.source.tables) r.fail(node, at, `${where}: a custom-log table ('custom: true') is one table: give 'table:', not 'tables:'`);
  if (target === 'kql' && !spec.source.custom && spec.table?.includes(NAME_SLOT)) r.fail(node, at, `${where}.table: '${NAME_SLOT}' is only allowed in the custom-log table of a '*' document (custom: true)`);
  if (target === 'sigma' && !spec.source.logsource) r.fail(node, at, `${where} needs 'logsource: {product, service}'`);
  if (target === 'yaral' && !spec.source.baseFilter) r.fail(node, at, `${where} needs 'baseFilter: [{field, value}]'`);
  if (target === 'cwl' && spec.source.native === undefined) r.fail(node, at, `${where} needs 'native: true|false'`);
  return spec;
}

/** Parse the text of one mapping file (several log types may share a file as `---`-separated documents). */
export function parseMappingFile(text: string, file: string): MappingDoc[] {
  const r = new Reader(file, text);
  const out: MappingDoc[] = [];
  for (const { node, at } of r.docs()) {
    if (node === null) continue;
    const doc: MappingDoc = { file, logType: '', sources: {}, defaults: {}, fields: [], prefixes: [] };
    const top = r.entries(node, 'mapping file', at, ['logType', 'description', 'sources', 'defaults', 'fields', 'prefixes']);
    for (const [k, v, kat] of top) {
      if (k === 'logType') doc.logType = r.str(v, 'logType', kat);
      else if (k === 'description') doc.description = r.str(v, 'description', kat);
      else if (k === 'sources') {
        if (r.isNull(v)) continue;
        for (const [t, sv, tat] of r.entries(v, 'sources', kat, TARGETS)) {
          doc.sources[t as TargetName] = readSource(r, sv, t as TargetName, tat);
        }
      } else if (k === 'defaults') {
        if (r.isNull(v)) continue;
        for (const [t, dv, tat] of r.entries(v, 'defaults', kat, TARGETS)) {
          doc.defaults[t as TargetName] = readDefault(r, dv, t as TargetName, tat);
        }
      } else if (k === 'fields') doc.fields = readEntries(r, v, 'fields', kat);
      else doc.prefixes = readEntries(r, v, 'prefixes', kat);
    }
    if (!doc.logType) r.fail(node, at, `missing 'logType:' (e.g. logType: AWS.CloudTrail, or '*' for entries shared by every log type)`);
    const kql = doc.sources.kql;
    if (kql && doc.logType === '*' && !kql.source.custom) {
      r.fail(null, kql.at, `sources.kql of a '*' document names the custom-log table of the log types without a Sentinel table: it needs 'custom: true' (e.g. table: 'Panther_${NAME_SLOT}_CL', custom: true)`);
    }
    if (kql && doc.logType !== '*' && kql.table?.includes(NAME_SLOT)) r.fail(null, kql.at, `sources.kql.table: '${NAME_SLOT}' is only allowed in a '*' document`);
    const yaral = doc.sources.yaral;
    if (yaral && doc.logType === '*' && !yaral.source.custom) {
      r.fail(null, yaral.at, `sources.yaral of a '*' document names the custom log type of the log types without a Chronicle parser: it needs 'custom: true' (e.g. baseFilter: [{field: metadata.log_type, value: 'PANTHER_${NAME_SLOT}'}], custom: true)`);
    }
    if (yaral && doc.logType !== '*' && yaral.source.baseFilter?.some((b) => b.value.includes(NAME_SLOT))) r.fail(null, yaral.at, `sources.yaral.baseFilter: '${NAME_SLOT}' is only allowed in a '*' document`);
    out.push(doc);
  }
  return out;
}
