/**
 * Custom-log tables: a log type no Microsoft connector ships a Sentinel table for is read from a
 * custom-log table the user ingests the raw JSON into (`<Name>_CL`, `sources.kql.custom`; see
 * mappings/README.md). Its columns are the log's top-level keys (objects and lists `dynamic`, reached
 * with dot paths inside), which no source describes: they are declared **per rule**, from the fields the
 * rule reads and the values its own tests hold, and the Kusto.Language check, the printers and the
 * KQL evaluator's projection all read that one declaration.
 *
 * A column's Kusto type is the JSON type of its values, as a table created from sample data gets it
 * (Log Analytics' portal infers the schema of a custom table from a sample JSON file:
 * learn.microsoft.com/azure/azure-monitor/logs/create-custom-table):
 * - a column a path reads inside (`actor.email` → `actor`): `dynamic`;
 * - else the type the mapping states (`type:`), else the types the rule's tests show at the key
 *   (nulls aside): only strings → `string`, only booleans → `bool`, only integers → `long`, only
 *   numbers → `real`;
 * - anything else (objects, lists, several types, or no test holding the key): `dynamic`, which keeps
 *   whatever JSON value the log has.
 * Decision: two rules of one log type may so declare a column differently (a string in one rule's
 * tests, absent from the other's); each query is consistent with its own declaration, which the
 * artifact's warning names.
 */
import type { Json, Rule, RuleTest, Val } from '../ast/types.js';
import { fieldRef, type PathSeg } from '../ast/view.js';
import { TestEvidence } from '../targets/common/evidence.js';
import { walkCall } from '../targets/common/walk.js';
import { standardColumns } from './schemas.js';
import type { FieldMapper, LogSource, MappedField, TargetName, Unmapped } from './types.js';

/** A custom-log table as one rule declares it. */
export interface CustomTable {
  table: string;
  /** Column → Kusto type: the rule's columns and the standard columns every table has. */
  columns: Record<string, string>;
}

/** Every event-rooted field path the rule's condition, outputs and grouping keys read (prefixes too). */
export function rulePaths(rule: Rule): PathSeg[][] {
  const out = new Map<string, PathSeg[]>();
  const seen = new Set<object>();
  const visit = (x: unknown): void => {
    if (typeof x !== 'object' || x === null || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    const o = x as Record<string, unknown>;
    if (o.k === 'get' || o.k === 'index') {
      const ref = fieldRef(o as never);
      if (ref && ref.root === 'event' && typeof ref.path[0] === 'string') out.set(JSON.stringify(ref.path), ref.path);
    }
    // deep_walk(event, [k1, ..., kn], ...): a printer may read it as the field at that path (common/walk.ts)
    const walked = o.k === 'fn' ? walkCall(o as Val)?.keys : undefined;
    if (walked) out.set(JSON.stringify(walked), walked);
    for (const v of Object.values(o)) visit(v);
  };
  visit(rule.condition);
  visit(rule.outputs);
  visit(rule.aggregation);
  // a threshold without dedup(): Panther counts per alert title, whose fields the KQL query groups by
  if (rule.aggregation && rule.aggregation.groupBy.length === 0) visit(rule.title);
  return [...out.values()];
}

const isInt = (v: Json): boolean => typeof v === 'number' && Number.isInteger(v);

/** The Kusto type of a column from the JSON values found there (nulls aside) or the stated JSON type. */
function columnType(stated: string | undefined, values: Json[]): string {
  const vals = values.filter((v) => v !== null);
  if (stated === 'string') return 'string';
  if (stated === 'boolean') return 'bool';
  if (stated === 'number') return vals.length > 0 && vals.every(isInt) ? 'long' : 'real';
  if (stated === 'integer') return 'long';
  if (stated) return 'dynamic';
  if (vals.length === 0) return 'dynamic';
  if (vals.every((v) => typeof v === 'string')) return 'string';
  if (vals.every((v) => typeof v === 'boolean')) return 'bool';
  if (vals.every(isInt)) return 'long';
  if (vals.every((v) => typeof v === 'number')) return 'real';
  return 'dynamic';
}

/** The log type of a test: its own (`LogType`, `p_log_type`), else the rule's first. */
function testLogType(t: RuleTest, first: string | undefined): string | undefined {
  if (t.logType) return t.logType;
  const log = t.log;
  if (log && typeof log === 'object' && !Array.isArray(log) && typeof log['p_log_type'] === 'string') return log['p_log_type'];
  return first;
}

/**
 * The custom-log table a rule reads for one of its log types (default: the first), with the columns it
 * declares from the fields the rule reads and the values its tests of that log type hold; undefined when
 * the log type has a Sentinel table of its own.
 */
export function customTableOf(mapper: FieldMapper, rule: Rule, logType: string | undefined = rule.meta.logTypes[0]): CustomTable | undefined {
  const source: LogSource | undefined = logType ? mapper.source(logType, 'kql') : undefined;
  if (!logType || !source?.custom || !source.table) return undefined;
  const first = rule.meta.logTypes[0];
  const evidence = new TestEvidence(rule.tests.filter((t) => testLogType(t, first) === logType));
  const types = new Map<string, Set<string>>();
  const add = (col: string, t: string) => {
    let s = types.get(col);
    if (!s) types.set(col, (s = new Set()));
    s.add(t);
  };
  for (const p of rulePaths(rule)) {
    // as the printers read it (FieldResolver.field): in the casing the tests show
    const path = evidence.casing(p);
    const m = mapper.resolve(logType, 'kql', path);
    if ('unmapped' in m) continue;
    if ((m.sub ?? []).length > 0 || m.access === 'dynamic') add(m.name, 'dynamic');
    else if (m.access === 'json_string') add(m.name, 'string');
    else if (m.type) add(m.name, m.type);
    else add(m.name, columnType(mapper.valueType?.(logType, path), evidence.values(path)));
  }
  const columns: Record<string, string> = { ...standardColumns() };
  for (const [col, ts] of [...types].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (col in columns) continue; // a standard column (TimeGenerated) keeps its type
    columns[col] = ts.size === 1 ? [...ts][0]! : 'dynamic';
  }
  return { table: source.table, columns };
}

/** The custom-log tables of each of a rule's log types that has no Sentinel table of its own. */
function customTablesOf(mapper: FieldMapper, rule: Rule): Map<string, CustomTable> {
  const out = new Map<string, CustomTable>();
  for (const lt of new Set(rule.meta.logTypes)) {
    const c = customTableOf(mapper, rule, lt);
    if (c) out.set(lt, c);
  }
  return out;
}

/**
 * The custom-log tables a rule's KQL reads (every log type of the rule's), as the Kusto.Language check
 * declares them (table → columns; two log types naming one table share its columns, dynamic where their
 * declarations differ).
 */
export function customKqlTables(mapper: FieldMapper, rule: Rule): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const c of customTablesOf(mapper, rule).values()) {
    const cols = (out[c.table] ??= {});
    for (const [k, t] of Object.entries(c.columns)) cols[k] = cols[k] === undefined || cols[k] === t ? t : 'dynamic';
  }
  return out;
}

/** A mapper whose custom-log table columns carry the types one rule declares (see the module comment). */
class RuleMapper implements FieldMapper {
  constructor(
    readonly base: FieldMapper,
    /** log type → its custom-log table as the rule declares it. */
    private readonly custom: Map<string, CustomTable>,
  ) {}

  logTypes(): string[] {
    return this.base.logTypes();
  }

  source(logType: string, target: TargetName): LogSource | undefined {
    return this.base.source(logType, target);
  }

  resolve(logType: string, target: TargetName, path: PathSeg[]): MappedField | Unmapped {
    const m = this.base.resolve(logType, target, path);
    const custom = target === 'kql' ? this.custom.get(logType) : undefined;
    if (!custom || 'unmapped' in m) return m;
    if ((m.sub ?? []).length > 0 || m.access === 'json_string' || m.type) return m;
    const type = custom.columns[m.name];
    return type ? { ...m, type } : m;
  }

  nonEmpty(logType: string, path: PathSeg[]): boolean {
    return this.base.nonEmpty?.(logType, path) ?? false;
  }

  valueType(logType: string, path: PathSeg[]): string | undefined {
    return this.base.valueType?.(logType, path);
  }

  canonicalPath(logType: string, path: PathSeg[], target?: TargetName): PathSeg[] {
    return this.base.canonicalPath(logType, path, target);
  }

  kqlColumns(logType: string, table: string): Record<string, string> | undefined {
    const custom = this.custom.get(logType);
    if (custom && table === custom.table) return { ...custom.columns };
    return this.base.kqlColumns?.(logType, table);
  }
}

const memo = new WeakMap<Rule, WeakMap<FieldMapper, FieldMapper>>();

/**
 * The mapper to render and prove one rule with: the mapper itself, or, for a rule whose log type is
 * read from a custom-log table, one whose columns carry the types the rule declares.
 */
export function ruleMapper(mapper: FieldMapper, rule: Rule): FieldMapper {
  if (mapper instanceof RuleMapper) mapper = mapper.base;
  let byMapper = memo.get(rule);
  const hit = byMapper?.get(mapper);
  if (hit) return hit;
  const custom = customTablesOf(mapper, rule);
  const out = custom.size > 0 ? new RuleMapper(mapper, custom) : mapper;
  if (!byMapper) memo.set(rule, (byMapper = new WeakMap()));
  byMapper.set(mapper, out);
  return out;
}
