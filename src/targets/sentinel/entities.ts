/**
 * Entity mappings and custom details of a Sentinel analytic rule, from the columns the KQL query
 * returns. Only columns the query projects are named, and only where the entity type is obvious
 * from the field's name (the raw Panther path, the rule's output name, the Sentinel column):
 *
 * - IP: a name holding the word `ip` (`sourceIPAddress`, `client.ipAddress`, `ClientIP`) → `Address`;
 * - Account: an e-mail or user principal name (`email`, `principalEmail`, `userPrincipalName`) →
 *   `FullName`; a user name (`user`, `userName`, `actor`, `login`, `caller`, `accountName`) → `Name`;
 * - Host: `host`, `hostname`, `computer`, `computerName` → `HostName`.
 *
 * Each column is its own entity (two user columns are two accounts), with one field mapping; at most
 * five entities (the schema allows 1–5 entities of 1–3 field mappings). Only string columns qualify.
 */
import type { PathSeg } from '../../ast/view.js';
import type { KqlColumn } from '../kql/index.js';
import { customDetailKey, isLaColumn } from './escape.js';

export interface EntityMapping {
  entityType: 'IP' | 'Account' | 'Host';
  fieldMappings: { identifier: string; columnName: string }[];
}

/** Schema limits (Azure-Sentinel detectionTemplateSchemaValidation). */
export const MAX_ENTITIES = 5;
export const MAX_CUSTOM_DETAILS = 20;

/** `sourceIPAddress` → [source, ip, address]; `user_name` → [user, name]. */
export function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const IP_WORDS = new Set(['ip', 'ipaddress', 'ipaddr', 'ipv4', 'ipv6', 'sourceip', 'srcip', 'clientip', 'callerip', 'remoteip']);
const EMAIL_WORDS = new Set(['email', 'mail', 'emailaddress', 'upn', 'principalemail']);
const USER_LAST = new Set(['user', 'username', 'actor', 'login', 'caller', 'accountname', 'loginname', 'samaccountname']);
const HOST_LAST = new Set(['host', 'hostname', 'computer', 'computername']);

/** The entity a name obviously denotes, or null. */
export function entityOf(name: string): { entityType: EntityMapping['entityType']; identifier: string } | null {
  const w = words(name);
  if (w.length === 0) return null;
  const last = w[w.length - 1]!;
  const last2 = w.slice(-2).join(' ');
  if (w.some((x) => IP_WORDS.has(x))) return { entityType: 'IP', identifier: 'Address' };
  if (w.some((x) => EMAIL_WORDS.has(x)) || w.join(' ').endsWith('user principal name')) return { entityType: 'Account', identifier: 'FullName' };
  if (USER_LAST.has(last) || last2 === 'user name' || last2 === 'account name' || last2 === 'login name') return { entityType: 'Account', identifier: 'Name' };
  if (HOST_LAST.has(last) || last2 === 'host name' || last2 === 'computer name') return { entityType: 'Host', identifier: 'HostName' };
  return null;
}

function lastKey(path: PathSeg[] | undefined): string | undefined {
  const keys = (path ?? []).filter((s): s is string => typeof s === 'string');
  return keys[keys.length - 1];
}

/** Entity mappings for the query's string columns whose names are obvious. */
export function entityMappings(columns: KqlColumn[]): EntityMapping[] {
  const out: EntityMapping[] = [];
  const used = new Set<string>();
  for (const c of columns) {
    if (out.length >= MAX_ENTITIES) break;
    if (c.kind !== 'string' || !isLaColumn(c.name) || used.has(c.name)) continue;
    // the raw field name first (the vendor's meaning), then the rule's output name, then the column
    const names = [lastKey(c.path), c.output, c.name].filter((n): n is string => !!n);
    const e = names.map(entityOf).find((x) => x !== null);
    if (!e) continue;
    used.add(c.name);
    out.push({ entityType: e.entityType, fieldMappings: [{ identifier: e.identifier, columnName: c.name }] });
  }
  return out;
}

/** Custom details: one key per output column (and the event count of a threshold), at most 20. */
export function customDetails(columns: KqlColumn[]): { details: { key: string; column: string }[]; dropped: string[] } {
  const details: { key: string; column: string }[] = [];
  const dropped: string[] = [];
  const taken = new Set<string>();
  for (const c of columns) {
    if (!(c.output !== undefined || c.kind === 'count')) continue;
    if (!isLaColumn(c.name)) {
      dropped.push(c.name);
      continue;
    }
    if (details.length >= MAX_CUSTOM_DETAILS) {
      dropped.push(c.name);
      continue;
    }
    const key = customDetailKey(c.output ?? c.name, taken);
    taken.add(key.toLowerCase());
    details.push({ key, column: c.name });
  }
  return { details, dropped };
}
