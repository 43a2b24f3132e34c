/**
 * Field mapping contract: how a raw Panther field path of a log type is addressed in each target.
 * The data lives in `mappings/*.yaml` (one file per log type); `--mapping FILE` adds or overrides.
 */
import type { PathSeg } from '../ast/view.js';

export type TargetName = 'sigma' | 'kql' | 'yaral' | 'cwl';

/**
 * Where a field lives in a target.
 * - kql: `name` is a column; `access` says how `sub` (the rest of the path) is reached:
 *   'column' (no sub), 'dynamic' (dot/bracket access on a dynamic column),
 *   'json_string' (a string column holding JSON: `parse_json(Col).a.b`).
 * - yaral: `name` is a UDM path (`metadata.product_event_type`) or, for a declared fallback,
 *   `additional.fields["key"]` (then `fallback` is true).
 * - sigma / cwl: `name` is the field name as the target spells it (dotted raw names).
 */
export interface MappedField {
  name: string;
  sub?: PathSeg[];
  access?: 'column' | 'dynamic' | 'json_string';
  /** Target column/field type when known (string, bool, int, long, real, dynamic, datetime). */
  type?: string;
  /** True when this is a declared approximate fallback (the fidelity becomes approximate). */
  fallback?: boolean;
  /** True when the mapping cell is inferred rather than sourced. */
  inferred?: boolean;
  /**
   * yaral: the field is where the custom-parser convention of a custom log type puts it
   * (`additional.fields["<dotted path>"]`, mappings/README.md "Custom log types"): exact under that
   * convention (not a fallback), and written for scalar values only (no object or list is kept there).
   */
  convention?: boolean;
}

export interface Unmapped {
  unmapped: true;
  /** Why: no mapping file for the log type, or no entry for the field. */
  message: string;
  /**
   * The log type's records never hold the field (`defaults.kql: {absent: true}`): a test of it reads
   * it as missing, which Python decides (targets/kql/absent.ts); anything else still refuses it.
   */
  absent?: true;
}

/** What a target needs to select the log: a table, a Sigma logsource, a base filter. */
export interface LogSource {
  /** kql: table name. */
  table?: string;
  /**
   * kql: several tables holding the log type (e.g. SigninLogs and AuditLogs); when given, queries read
   * `union isfuzzy=true A, B` instead of `table`.
   */
  tables?: string[];
  /** sigma: logsource keys (product, service, category). */
  logsource?: Record<string, string>;
  /** yaral: base predicates on UDM fields, e.g. metadata.vendor_name = "AMAZON". */
  baseFilter?: { field: string; value: string }[];
  /**
   * yaral: what else the base filter selects (the ingestion label also carries other kinds of events, e.g.
   * alerts beside audit events): every YARA-L rule of the log type declares it (target-shared-base-filter).
   */
  shared?: string;
  /** cwl: whether the log reaches CloudWatch Logs natively (else a warning: raw JSON names assumed). */
  native?: boolean;
  /** sentinel analytic rules: requiredDataConnectors. */
  connectors?: { connectorId: string; dataTypes: string[] }[];
  /**
   * kql: the table is a custom-log table (`<Name>_CL`) the user ingests the raw JSON into, not one a
   * Microsoft connector ships: its columns are inferred (the log's top-level keys), and the targets warn.
   * yaral: the log type is a custom log type (no Chronicle default parser) whose parser the user writes by
   * the stated convention (every raw scalar under `additional.fields` by its dotted path): inferred, warned.
   */
  custom?: boolean;
  /**
   * kql: rows of the table that hold this log type, when the table holds others too (a report type,
   * a workload): `Column in ("value", ...)` conditions AND-ed before the rule's condition.
   */
  filter?: { column: string; values: string[] }[];
  /**
   * kql: events of the log type that Sentinel stores elsewhere, by the value of one of their fields
   * (Azure Monitor resource logs of one category): an event whose `field` holds one of `values` is read
   * as the log type `logType`, whose mapping (its own document) names the table and columns.
   */
  routes?: { field: string[]; values: string[]; logType: string }[];
  /**
   * kql: the value one field holds in every row of a table, per table (`sources.kql.tableValues`: Azure
   * Monitor writes each diagnostic category to its own table): a row whose field holds a table's value
   * is in that table alone of the keyed ones. A query leaves out a keyed table whose value the
   * condition rejects, when the condition also rejects every value no table is keyed by (where such a
   * row lands, the mapping does not say). Tables without a value hold any. `exclusive`: a keyed table holds
   * no row of another value (a documented fact of the source, recorded in the mapping): a row whose field
   * holds no keyed value is in the tables without one (or in none listed), and a keyed table is left out
   * wherever the condition rejects its own value.
   */
  tableValues?: { field: string[]; values: Record<string, string>; exclusive?: boolean };
}

export interface FieldMapper {
  /** Log types with a mapping. */
  logTypes(): string[];
  /** The log source of a log type for a target, or undefined when the log type has no mapping for it (read-only: it may be shared and frozen). */
  source(logType: string, target: TargetName): LogSource | undefined;
  /** Resolve a raw Panther field path (already in the vendor's casing or not: the mapper normalises case). */
  resolve(logType: string, target: TargetName, path: PathSeg[]): MappedField | Unmapped;
  /** The JSON type of the raw value at a path (string, boolean, number, list, dict), when the mapping states it. */
  valueType?(logType: string, path: PathSeg[]): string | undefined;
  /** Where present, the raw value at a path is never the empty string (the mapping's `nonEmpty: true`). */
  nonEmpty?(logType: string, path: PathSeg[]): boolean;
  /**
   * The vendor's real casing of a path (Panther matches keys case-insensitively), if the log type knows
   * it; with `target`, only where the log type's mapping covers that target (raw names stay as given).
   */
  canonicalPath(logType: string, path: PathSeg[], target?: TargetName): PathSeg[];
  /**
   * kql: the columns (name → Kusto type) of a table the schemas do not describe, when this mapper
   * declares them (a custom-log table declared from one rule's fields, see `src/mapping/custom.ts`).
   */
  kqlColumns?(logType: string, table: string): Record<string, string> | undefined;
}
