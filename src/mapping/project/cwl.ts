/**
 * Projection of a Panther test log into the fields CloudWatch Logs Insights discovers in a JSON log
 * event, for the Logs Insights reference evaluator (src/proof/cwl/).
 *
 * Documented (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_AnalyzeLogData-discoverable-fields.html,
 * "Fields in JSON logs"; also awsdocs/amazon-cloudwatch-logs-user-guide doc_source/CWL_AnalyzeLogData-discoverable-fields.md):
 *   - nested JSON fields are named with dot notation (`userIdentity.type`);
 *   - JSON arrays are flattened into a list of field names and values, addressed by index
 *     (`requestParameters.instancesSet.items.0.instanceId`);
 *   - a discovered field whose name starts with `@` is shown with one more `@` (`@example.com` →
 *     `@@example.com`);
 *   - Logs Insights extracts at most a fixed number of fields from a JSON log: 100 in the archived user
 *     guide, 200 in the current pages (CWL_QuerySyntax-Parse: "JSON log events that include no more than
 *     200 log event fields"); which fields are kept beyond the limit is not documented;
 *   - field names are case-sensitive (CloudWatchLogs-Field-Indexing-Syntax): keys keep the log's casing
 *     here, never the mapping's canonical casing (a rule reading `enabled` must not see `Enabled`).
 *   - `isempty(f)` is true when the field is missing or an empty string (CWL_QuerySyntax-operations-functions).
 *
 * Observed, not documented: a JSON boolean is discovered as the number 1 (`true`) or 0 (`false`), and a
 * filter compares it with 1/0 (aws-powertools/powertools-lambda-dotnet#667, closed as not-a-bug: "CloudWatch
 * Insights queries return the bool value as a 1/0", "filters must use 1/0", the maintainer: "discovered
 * fields within the structured logs appear to be stored as 1 and 0 for true and false respectively";
 * gist.github.com/skyzyx/6c47ab78adcb4802a67a66c1a2c0f6a3: "BOOL fields are converted to 1 for true, and 0
 * for false", summed with `stats sum()`): this projection reads a boolean leaf so. (A value read through
 * jsonParse() keeps its JSON boolean: what jsonParse() makes of one is not stated, the evaluator refuses it.)
 *
 * Not documented, and how this projection treats it (the evaluator refuses what is marked opaque):
 *   - numbers: kept as JSON numbers (the Filter page compares numbers, `range>3000`);
 *   - JSON null: by default read as an absent field (assumption, `nullAs: 'absent'`); `nullAs: 'opaque'`
 *     makes every read of it a refusal instead;
 *   - empty arrays and empty objects: whether they yield a field, and its value, is not documented:
 *     opaque;
 *   - the object or array itself (`userIdentity` when `userIdentity.type` exists): whether a query can read
 *     a container is not documented: recorded in `containers`, a read refuses;
 *   - a key holding a dot is joined like any other key (`a` → `b.c` gives `a.b.c`); when two paths flatten
 *     to the same name, the name is opaque;
 *   - more leaves than the limit: the event is flagged `overLimit` and every read of a log field refuses.
 */
import type { Json } from '../../ast/types.js';
import type { PathSeg } from '../../ast/view.js';
import { Refusal } from '../../proof/types.js';
import type { FieldMapper } from '../types.js';

/** A discovered field's value. */
export type CwlScalar = string | number | boolean;

/** A JSON log event as Logs Insights queries it. */
export interface CwlEvent {
  /** Discovered field name (as a query names it) → value. */
  fields: Map<string, CwlScalar>;
  /** Names whose reading is undecidable, with the reason (empty containers, collisions, null when asked). */
  opaque: Map<string, string>;
  /** Names of JSON objects/arrays that hold discovered fields (not documented as fields themselves). */
  containers: Set<string>;
  /** The log has more leaves than Logs Insights extracts; which ones it keeps is undocumented. */
  overLimit?: { count: number; limit: number };
  /** The Panther log type of the log (which of a file's per-log-type queries runs over it). */
  logType?: string;
  /**
   * `@message`, "the raw unparsed log event" (CWL_AnalyzeLogData-discoverable-fields.html): the log's JSON
   * text, keys as the log spells them (read only through `jsonParse(@message)`).
   */
  message?: string;
}

/** The number of fields Logs Insights extracts from a JSON log (current docs: 200; archived guide: 100). */
export const CWL_FIELD_LIMIT = 200;

export interface ProjectCwlOptions {
  /** JSON null: an absent field (default, an assumption) or an opaque one (every read refuses). */
  nullAs?: 'absent' | 'opaque';
  /** Override the field limit (tests). */
  limit?: number;
}

export function projectCwl(log: Json, logType: string, mapper: FieldMapper, opts: ProjectCwlOptions = {}): CwlEvent {
  if (log === null || typeof log !== 'object' || Array.isArray(log)) {
    throw new Refusal('a Logs Insights JSON event must be a JSON object');
  }
  const limit = opts.limit ?? CWL_FIELD_LIMIT;
  const ev: CwlEvent = { fields: new Map(), opaque: new Map(), containers: new Set(), logType, message: JSON.stringify(log) };
  const seen = new Set<string>();
  let leaves = 0;

  const nameOf = (path: PathSeg[]): string | null => {
    const res = mapper.resolve(logType, 'cwl', path);
    if ('unmapped' in res) return null;
    const mapped = [res.name, ...(res.sub ?? []).map(String)].join('.');
    const canon = mapper.canonicalPath(logType, path, 'cwl').map(String).join('.');
    const raw = path.map(String).join('.');
    if (mapped !== canon) return mapped; // a real renaming by the mapping (e.g. p_event_time → @timestamp)
    // the raw name in the log's own casing; a discovered name starting with @ gets one more @ (documented)
    return raw.startsWith('@') ? `@${raw}` : raw;
  };

  const record = (path: PathSeg[], value: CwlScalar | { opaque: string }) => {
    const name = nameOf(path);
    if (name === null) return; // the mapping says the target has no such field (Panther's p_* fields)
    if (seen.has(name)) {
      ev.fields.delete(name);
      ev.opaque.set(name, `two JSON paths of the log flatten to the field name '${name}'; which one Logs Insights keeps is undocumented`);
      return;
    }
    seen.add(name);
    if (typeof value === 'object') ev.opaque.set(name, value.opaque);
    else ev.fields.set(name, value);
    for (let n = 1; n < path.length; n++) {
      const c = nameOf(path.slice(0, n));
      if (c !== null) ev.containers.add(c);
    }
  };

  const walk = (v: Json, path: PathSeg[]) => {
    if (v === null) {
      leaves++;
      if (opts.nullAs === 'opaque') record(path, { opaque: `field '${path.map(String).join('.')}' is JSON null: how Logs Insights reads null is undocumented` });
      return;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) {
        leaves++;
        record(path, { opaque: `field '${path.map(String).join('.')}' is an empty JSON array: whether Logs Insights discovers a field for it is undocumented` });
        return;
      }
      v.forEach((x, i) => walk(x, [...path, i]));
      return;
    }
    if (typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 0 && path.length > 0) {
        leaves++;
        record(path, { opaque: `field '${path.map(String).join('.')}' is an empty JSON object: whether Logs Insights discovers a field for it is undocumented` });
        return;
      }
      for (const k of keys) walk(v[k]!, [...path, k]);
      return;
    }
    leaves++;
    // a JSON boolean is discovered as 1 or 0 (the header)
    record(path, typeof v === 'boolean' ? (v ? 1 : 0) : v);
  };
  walk(log, []);
  // a container that is also a leaf name cannot happen (a value is either), except through collisions
  for (const c of ev.containers) {
    if (ev.fields.has(c)) {
      ev.fields.delete(c);
      ev.opaque.set(c, `the field name '${c}' is both a value and a container in the flattened log`);
    }
  }
  if (leaves > limit) ev.overLimit = { count: leaves, limit };
  return ev;
}
