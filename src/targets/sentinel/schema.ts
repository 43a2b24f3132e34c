/**
 * The structural checks Azure-Sentinel's `.script/tests/detectionTemplateSchemaValidation` applies to a
 * scheduled analytic rule (ScheduledTemplateInternalModel and its validation attributes), restated
 * from that model, independently of the generator, for tests and the corpus check:
 *
 * - required: id (GUID), kind, name (≤ 256), description (≤ 5000), severity
 *   (Informational|Low|Medium|High), requiredDataConnectors, query (1–10,000), queryFrequency and
 *   queryPeriod (`<n>m|h|d` or a .NET TimeSpan, 5 minutes – 14 days, period ≥ frequency, a period of
 *   2 days or more needs a frequency of 1 hour or more), triggerOperator (gt|lt|eq|ne or the long
 *   names), triggerThreshold (integer 0–10,000);
 * - tactics from the AttackTactic enum; relevantTechniques `T1234` or `T1234.567`;
 * - customDetails: ≤ 20 entries, keys `^[a-zA-Z]+\w*$` of ≤ 20 characters, values `^[a-zA-Z_]+\w*$`
 *   of ≤ 500;
 * - entityMappings: 1–5 entities of 1–3 field mappings, identifiers valid for the entity type and
 *   unique, column names `^[a-zA-Z_]+\w*$` (≤ 500), one of the required identifier sets present;
 *   a legacy `AccountCustomEntity`-style column in the query needs a mapping;
 * - version `X.Y.Z`.
 * `checkQuery` (e.g. Kusto.Language) and `columnExists` (is a column in the query's result?) are optional.
 */

export const ATTACK_TACTICS = [
  'InitialAccess', 'Execution', 'Persistence', 'PrivilegeEscalation', 'DefenseEvasion', 'CredentialAccess', 'Discovery',
  'LateralMovement', 'Collection', 'Exfiltration', 'CommandAndControl', 'Impact', 'Reconnaissance', 'ResourceDevelopment',
  'ImpairProcessControl', 'InhibitResponseFunction',
];

/** Entity type → valid identifiers and the identifier sets of which one must be present. */
export const ENTITY_IDENTIFIERS: Record<string, { ids: string[]; required: string[][] }> = {
  Account: { ids: ['Name', 'FullName', 'NTDomain', 'DnsDomain', 'UPNSuffix', 'Sid', 'AadTenantId', 'AadUserId', 'PUID', 'IsDomainJoined', 'DisplayName', 'ObjectGuid'], required: [['FullName'], ['Sid'], ['Name'], ['AadUserId'], ['PUID'], ['ObjectGuid']] },
  AzureResource: { ids: ['ResourceId'], required: [['ResourceId']] },
  CloudApplication: { ids: ['AppId', 'Name', 'InstanceName'], required: [['AppId'], ['Name']] },
  DNS: { ids: ['DomainName'], required: [['DomainName']] },
  File: { ids: ['Directory', 'Name'], required: [['Name']] },
  FileHash: { ids: ['Algorithm', 'Value'], required: [['Algorithm', 'Value']] },
  Host: { ids: ['DnsDomain', 'NTDomain', 'HostName', 'FullName', 'NetBiosName', 'AzureID', 'OMSAgentID', 'OSFamily', 'OSVersion', 'IsDomainJoined'], required: [['FullName'], ['HostName'], ['NetBiosName'], ['AzureID'], ['OMSAgentID']] },
  IP: { ids: ['Address'], required: [['Address']] },
  URL: { ids: ['Url'], required: [['Url']] },
  Malware: { ids: ['Name', 'Category'], required: [['Name']] },
  Process: { ids: ['ProcessId', 'CommandLine', 'ElevationToken', 'CreationTimeUtc'], required: [['CommandLine'], ['ProcessId']] },
  SecurityGroup: { ids: ['DistinguishedName', 'SID', 'ObjectGuid'], required: [['DistinguishedName'], ['SID'], ['ObjectGuid']] },
};

const LEGACY_ENTITY_COLUMNS = ['AccountCustomEntity', 'HostCustomEntity', 'IPCustomEntity', 'URLCustomEntity', 'ProcessCustomEntity', 'FileHashCustomEntity'];
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const LA_COLUMN = /^[a-zA-Z_]+\w*$/;
const DETAIL_KEY = /^[a-zA-Z]+\w*$/;

/** A timespan as the template converter reads it, in minutes (`30m`, `1h`, `2d`, or `hh:mm:ss` / `d.hh:mm:ss`). */
export function parseTimespan(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const ts = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (ts) return Number(ts[1] ?? 0) * 1440 + Number(ts[2]) * 60 + Number(ts[3]) + Number(ts[4] ?? 0) / 60;
  const m = /^(\d+)([mhd])$/.exec(v);
  if (!m) return null;
  return Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as 'm' | 'h' | 'd'];
}

export interface AnalyticRuleChecks {
  /** Errors of the query (e.g. Kusto.Language diagnostics), as messages. */
  checkQuery?: (query: string) => string[];
  /** Whether a column is part of the query's result. */
  columnExists?: (query: string, column: string) => boolean;
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every violation of the template schema, as messages; empty when the rule is valid. */
export function validateAnalyticRule(doc: unknown, checks: AnalyticRuleChecks = {}): string[] {
  const errs: string[] = [];
  if (!isObj(doc)) return ['the document is not a mapping'];
  const need = (k: string): unknown => {
    if (!(k in doc) || doc[k] === null || doc[k] === undefined) errs.push(`${k} is required`);
    return doc[k];
  };
  const id = need('id');
  if (id !== undefined && !(isStr(id) && GUID.test(id))) errs.push(`id ${JSON.stringify(id)} is not a GUID`);
  const kind = need('kind');
  if (kind !== undefined && kind !== 'Scheduled') errs.push(`kind ${JSON.stringify(kind)} is not Scheduled`);
  const name = need('name');
  if (name !== undefined && !(isStr(name) && name.length > 0 && name.length <= 256)) errs.push('name must be a string of 1 to 256 characters');
  const description = need('description');
  if (description !== undefined && !(isStr(description) && description.length <= 5000)) errs.push('description must be a string of at most 5000 characters');
  const severity = need('severity');
  if (severity !== undefined && !['Informational', 'Low', 'Medium', 'High'].includes(severity as string)) errs.push(`severity ${JSON.stringify(severity)} is not Informational, Low, Medium or High`);

  const conns = need('requiredDataConnectors');
  if (conns !== undefined) {
    if (!Array.isArray(conns)) errs.push('requiredDataConnectors must be a list');
    else
      conns.forEach((c, i) => {
        if (!isObj(c) || !isStr(c.connectorId) || !c.connectorId) errs.push(`requiredDataConnectors[${i}] needs a connectorId`);
        else if (!Array.isArray(c.dataTypes) || !c.dataTypes.every(isStr)) errs.push(`requiredDataConnectors[${i}].dataTypes must be a list of strings`);
      });
  }

  const freq = parseTimespan(need('queryFrequency'));
  const period = parseTimespan(need('queryPeriod'));
  for (const [k, v] of [['queryFrequency', freq], ['queryPeriod', period]] as const) {
    if (doc[k] === undefined) continue;
    if (v === null) errs.push(`${k} ${JSON.stringify(doc[k])} is not <n>m, <n>h, <n>d or a TimeSpan`);
    else if (v < 5 || v > 14 * 1440) errs.push(`${k} must be between 5 minutes and 14 days`);
  }
  if (freq !== null && period !== null) {
    if (period < freq) errs.push('queryPeriod must be greater than or equal to queryFrequency');
    if (period >= 2 * 1440 && freq < 60) errs.push('when queryPeriod is 2 days or more, queryFrequency must be 1 hour or more');
  }
  const op = need('triggerOperator');
  if (op !== undefined && !['gt', 'lt', 'eq', 'ne', 'GreaterThan', 'LessThan', 'Equal', 'NotEqual'].includes(op as string)) errs.push(`triggerOperator ${JSON.stringify(op)} is not gt, lt, eq or ne`);
  const th = need('triggerThreshold');
  if (th !== undefined && !(Number.isInteger(th) && (th as number) >= 0 && (th as number) <= 10000)) errs.push('triggerThreshold must be an integer from 0 to 10000');

  if (doc.tactics !== undefined && doc.tactics !== null) {
    if (!Array.isArray(doc.tactics)) errs.push('tactics must be a list');
    else for (const t of doc.tactics) if (!ATTACK_TACTICS.includes(t as string)) errs.push(`tactic ${JSON.stringify(t)} is not an AttackTactic`);
  }
  if (doc.relevantTechniques !== undefined && doc.relevantTechniques !== null) {
    if (!Array.isArray(doc.relevantTechniques)) errs.push('relevantTechniques must be a list');
    else for (const t of doc.relevantTechniques) if (!(isStr(t) && /^T\d{4}(\.\d{3})?$/.test(t))) errs.push(`technique ${JSON.stringify(t)} is not T1234 or T1234.567`);
  }

  const query = need('query');
  if (query !== undefined) {
    if (!(isStr(query) && query.length >= 1 && query.length <= 10000)) errs.push('query must be a string of 1 to 10000 characters');
    else if (checks.checkQuery) for (const e of checks.checkQuery(query)) errs.push(`query: ${e}`);
  }
  const q = isStr(query) ? query : '';
  const projected = (col: string, what: string): void => {
    if (checks.columnExists && q && !checks.columnExists(q, col)) errs.push(`${what} names column ${col}, which the query does not return`);
  };

  if (doc.customDetails !== undefined && doc.customDetails !== null) {
    if (!isObj(doc.customDetails)) errs.push('customDetails must be a mapping');
    else {
      const entries = Object.entries(doc.customDetails);
      if (entries.length > 20) errs.push(`customDetails has ${entries.length} entries; at most 20`);
      for (const [k, v] of entries) {
        if (!DETAIL_KEY.test(k) || k.length > 20) errs.push(`customDetails key ${JSON.stringify(k)} must match ^[a-zA-Z]+\\w*$ with at most 20 characters`);
        if (!isStr(v) || !LA_COLUMN.test(v) || v.length > 500) errs.push(`customDetails value ${JSON.stringify(v)} must be a column name`);
        else projected(v, `customDetails.${k}`);
      }
    }
  }

  const ems = doc.entityMappings;
  const mapped = new Set<string>();
  if (ems !== undefined && ems !== null) {
    if (!Array.isArray(ems) || ems.length < 1 || ems.length > 5) errs.push('entityMappings must be a list of 1 to 5 entities');
    else
      ems.forEach((e, i) => {
        const at = `entityMappings[${i}]`;
        if (!isObj(e) || !isStr(e.entityType) || !ENTITY_IDENTIFIERS[e.entityType]) {
          errs.push(`${at}.entityType is not a known entity type`);
          return;
        }
        const spec = ENTITY_IDENTIFIERS[e.entityType]!;
        const fms = e.fieldMappings;
        if (!Array.isArray(fms) || fms.length < 1 || fms.length > 3) {
          errs.push(`${at}.fieldMappings must hold 1 to 3 mappings`);
          return;
        }
        const used = new Set<string>();
        for (const fm of fms) {
          if (!isObj(fm) || !isStr(fm.identifier) || !isStr(fm.columnName)) {
            errs.push(`${at}: a field mapping needs identifier and columnName`);
            continue;
          }
          if (!spec.ids.includes(fm.identifier)) errs.push(`${at}: identifier ${fm.identifier} is not valid for ${e.entityType}`);
          if (used.has(fm.identifier)) errs.push(`${at}: identifier ${fm.identifier} is used twice`);
          used.add(fm.identifier);
          if (!LA_COLUMN.test(fm.columnName) || fm.columnName.length > 500) errs.push(`${at}: column name ${JSON.stringify(fm.columnName)} is invalid`);
          else projected(fm.columnName, at);
          mapped.add(fm.columnName);
        }
        if (!spec.required.some((set) => set.every((x) => used.has(x)))) errs.push(`${at}: ${e.entityType} needs one of ${spec.required.map((s) => s.join('+')).join(', ')}`);
      });
  }
  for (const legacy of LEGACY_ENTITY_COLUMNS) if (q.includes(legacy) && !mapped.has(legacy)) errs.push(`the query uses ${legacy} without an entity mapping for it`);

  if (doc.version !== undefined && !(isStr(doc.version) && doc.version.length <= 20 && /^\d+\.\d+\.\d+$/.test(doc.version))) errs.push('version must be X.Y.Z');
  return errs;
}
