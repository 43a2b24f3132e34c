/**
 * The one escaping module of the KQL target: string literals, identifiers, dynamic paths, comments.
 * No value taken from a rule can end a literal or add an operator.
 *
 * Strings are double-quoted with backslash escapes (`\\ \" \n \r \t`, other control and line-separator
 * characters and lone surrogates as `\uXXXX`), as the KQL string-literal reference documents.
 */
import type { PathSeg } from '../../ast/view.js';

export function kqlString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || c === 0x85 || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += ch + s[i + 1];
        i++;
      } else out += '\\u' + c.toString(16);
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\\u' + c.toString(16);
    else out += ch;
  }
  return out + '"';
}

/** The text of a KQL string literal as kqlString prints it (a JSON-compatible escape set); null for any other literal. */
export function readKqlString(lit: string): string | null {
  if (!/^"(?:[^"\\]|\\["\\nrt]|\\u[0-9a-fA-F]{4})*"$/.test(lit)) return null;
  try {
    return JSON.parse(lit) as string;
  } catch {
    return null;
  }
}

/** Words that cannot be used as bare column names. */
const KEYWORDS = new Set(
  [
    'and', 'or', 'not', 'in', 'has', 'contains', 'where', 'project', 'extend', 'summarize', 'by', 'let', 'true', 'false',
    'null', 'on', 'with', 'between', 'as', 'asc', 'desc', 'take', 'limit', 'sort', 'order', 'top', 'join', 'union',
    'range', 'print', 'datatable', 'dynamic', 'typeof', 'bool', 'boolean', 'int', 'long', 'real', 'double', 'string',
    'datetime', 'date', 'timespan', 'time', 'guid', 'uniqueid', 'decimal', 'to', 'step', 'kind', 'of', 'search', 'find',
    'parse', 'evaluate', 'count', 'distinct', 'getschema', 'invoke', 'render', 'sample', 'serialize', 'facet',
    'materialize', 'toscalar', 'set', 'alias', 'declare', 'pattern', 'restrict', 'access', 'database', 'cluster',
    'table', 'external_table', 'materialized_view', 'hidden', 'startswith', 'endswith', 'matches', 'regex', 'like',
    'notlike', 'nulls', 'first', 'last', 'granny', 'inner', 'outer', 'fork', 'partition', 'scan', 'lookup', 'mv-expand',
    'mv-apply', 'make-series', 'project-away', 'project-rename', 'project-reorder', 'project-keep', 'top-nested',
    'as', 'consume', 'filter', 'from', 'into', 'of', 'entity_group', 'macro-expand', 'graph-match',
  ].map((k) => k.toLowerCase()),
);

/**
 * More keywords that cannot be bare names: the identifiers Kusto.Language's
 * KustoFacts.BracketNameIfNecessary brackets (@kusto/language-service-next 12.x), as spelled (Kusto's
 * keywords are case-sensitive: `title` needs brackets, `Title` does not).
 */
const KUSTO_KEYWORDS = new Set(
  [
    'accumulate', 'anomalychart', 'areachart', 'bagexpansion', 'barchart', 'byte', 'cachingpolicy', 'callout', 'cancel',
    'card', 'char', 'columnchart', 'contains_cs', 'containscs', 'cycles', 'dataexport', 'datascope', 'decodeblocks',
    'earliest', 'encodingpolicy', 'endswith_cs', 'expandoutput', 'extent_tags_retention', 'external_data', 'externaldata',
    'flags', 'float', 'force_remote', 'harddelete', 'hardretention', 'has_all', 'has_any', 'has_cs', 'hasprefix',
    'hasprefix_cs', 'hassuffix', 'hassuffix_cs', 'hotcache', 'int16', 'int32', 'int64', 'int8', 'isfuzzy', 'journal',
    'ladderchart', 'latest', 'likecs', 'linechart', 'mdm', 'missing', 'nooptimization', 'notcontains', 'notcontainscs',
    'notlikecs', 'others', 'pathformat', 'piechart', 'pivotchart', 'queries', 'query_results', 'relaxed',
    'restricted_view_access', 'row_level_security', 'rowstore', 'rowstore_references', 'rowstore_sealinfo',
    'rowstorepolicy', 'rowstores', 'scatterchart', 'seal', 'seals', 'shards', 'simple', 'softdelete', 'softretention',
    'sql', 'stackedareachart', 'startswith_cs', 'statistics', 'storedqueryresultcontainers', 'tablepurge', 'timechart',
    'timeline', 'timepivot', 'title', 'totable', 'treemap', 'uint', 'uint16', 'uint32', 'uint64', 'uint8', 'ulong',
    'unrestrictedviewers', 'verbose', 'viewers', 'views', 'with_itemindex', 'with_match_id', 'with_source',
    'with_step_name', 'withsource', 'writeaheadlog', '__contextual_datatable', '__crossCluster', '__crossDB',
    '__executeAndCache', '__id', '__isFuzzy', '__noWithSource', '__packedColumn', '__projectAway', '__sourceColumnIndex',
  ],
);

const bare = (s: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !KEYWORDS.has(s.toLowerCase()) && !KUSTO_KEYWORDS.has(s);

/** A column or projected name: bare when it is a plain identifier, else `["..."]`. */
export function kqlIdent(name: string): string {
  if (bare(name)) return name;
  return `[${kqlString(name)}]`;
}

/** Member access on a dynamic value: `.key`, `["odd-key"]`, `[3]`. */
export function kqlPath(path: PathSeg[]): string {
  return path
    .map((s) => (typeof s === 'number' ? `[${Math.trunc(s)}]` : bare(s) ? `.${s}` : `[${kqlString(s)}]`))
    .join('');
}

/** Text for a `//` comment line: line terminators removed. */
export function kqlComment(s: string): string {
  return s.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ');
}

/** A number literal (finite). */
export function kqlNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`non-finite number ${n}`);
  return Number.isInteger(n) && Math.abs(n) < 1e15 ? String(n) : `real(${n})`;
}

/**
 * Minutes as a KQL timespan literal in the largest exact unit: `Nd`, `Nh` or `Nm`
 * (learn.microsoft.com/kusto/query/scalar-data-types/timespan: `2d` days, `1h` hours, `30m` minutes).
 */
export function kqlTimespan(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}
