/**
 * Rule metadata shared by the targets: deterministic ids, MITRE ATT&CK names, severities,
 * identifier sanitising, provenance text.
 */
import { createHash } from 'node:crypto';
import type { Reason, Rule, RuleMeta } from '../../ast/types.js';
import type { ReasonSink } from './fidelity.js';
import type { Nnf } from './nnf.js';

/** RFC 4122 URL namespace; rule ids are hashed as `panther:rule:<RuleID>` inside it. */
const NS_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A name-based (version 5, SHA-1) UUID: the same RuleID always gives the same id. */
export function uuidV5(name: string, namespace = NS_URL): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
  const b = Buffer.from(h.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const x = b.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function ruleUuid(ruleId: string, suffix = ''): string {
  return uuidV5(`panther:rule:${ruleId}${suffix}`);
}

/** MITRE ATT&CK enterprise tactics: id → display name. */
export const TACTICS: Record<string, string> = {
  TA0043: 'Reconnaissance',
  TA0042: 'Resource Development',
  TA0001: 'Initial Access',
  TA0002: 'Execution',
  TA0003: 'Persistence',
  TA0004: 'Privilege Escalation',
  TA0005: 'Defense Evasion',
  TA0006: 'Credential Access',
  TA0007: 'Discovery',
  TA0008: 'Lateral Movement',
  TA0009: 'Collection',
  TA0011: 'Command and Control',
  TA0010: 'Exfiltration',
  TA0040: 'Impact',
};

export interface Mitre {
  tacticId?: string;
  tacticName?: string;
  /** e.g. T1485 or T1078.004 */
  technique?: string;
}

/** Normalise the rule's MITRE pairs (`TA0040:T1485` lifted as {tactic, technique}). */
export function mitre(meta: RuleMeta): Mitre[] {
  const out: Mitre[] = [];
  for (const m of meta.mitre) {
    const t = m.tactic.trim();
    let tacticId: string | undefined;
    let tacticName: string | undefined;
    if (/^TA\d{4}$/i.test(t)) {
      tacticId = t.toUpperCase();
      tacticName = TACTICS[tacticId];
    } else if (t) {
      const hit = Object.entries(TACTICS).find(([, name]) => name.toLowerCase() === t.toLowerCase().replace(/[-_]/g, ' '));
      tacticId = hit?.[0];
      tacticName = hit?.[1] ?? t;
    }
    const tech = m.technique?.trim();
    const technique = tech && /^T\d{4}(\.\d{3})?$/i.test(tech) ? tech.toUpperCase() : undefined;
    out.push({ tacticId, tacticName, technique });
  }
  return out;
}

/** Sigma tags: `attack.<tactic-name>` and `attack.tNNNN[.NNN]`, de-duplicated, in order. */
export function sigmaAttackTags(meta: RuleMeta): string[] {
  const tags: string[] = [];
  for (const m of mitre(meta)) {
    if (m.tacticName) tags.push(`attack.${m.tacticName.toLowerCase().replace(/\s+/g, '-')}`);
    if (m.technique) tags.push(`attack.${m.technique.toLowerCase()}`);
  }
  return [...new Set(tags)].filter((t) => /^[a-z0-9_-]+\.[a-z0-9._-]+$/.test(t));
}

export type Sev = 'info' | 'low' | 'medium' | 'high' | 'critical';

export function severity(meta: RuleMeta): Sev {
  const s = meta.severity.trim().toLowerCase();
  if (s.startsWith('info')) return 'info';
  if (s === 'low' || s === 'medium' || s === 'high' || s === 'critical') return s;
  return 'medium';
}

export const SIGMA_LEVEL: Record<Sev, string> = { info: 'informational', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };
export const RISK_SCORE: Record<Sev, number> = { info: 10, low: 25, medium: 50, high: 75, critical: 95 };
export const UPPER_SEVERITY: Record<Sev, string> = { info: 'INFORMATIONAL', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' };

/** Letters, digits and underscores, not starting with a digit and not a reserved word. */
export function sanitizeIdent(s: string, reserved: ReadonlySet<string> = new Set(), prefix = 'r_'): string {
  let id = s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
  if (id === '' || /^\d/.test(id) || reserved.has(id.toLowerCase())) id = prefix + id;
  return id;
}

/** Where the rule came from, one line. */
export function provenance(meta: RuleMeta): string {
  const files = [meta.file, meta.pyFile].filter(Boolean).join(' + ');
  return `Panther rule ${meta.id}${meta.version ? ` version ${meta.version}` : ''} (${files})`;
}

/** The rule's display name or id. */
export function title(meta: RuleMeta): string {
  return meta.displayName?.trim() || meta.id;
}

/**
 * The opening lines of a query's comment header: where it comes from, the rule's name, and its description
 * on one line unless it only says the name again (a rule whose description is its display name, a final
 * period aside).
 */
export function headerLines(meta: RuleMeta): string[] {
  const name = title(meta);
  const desc = meta.description ? oneLine(meta.description) : '';
  const bare = (x: string): string => x.replace(/\s+/g, ' ').replace(/\.$/, '').trim();
  return [provenance(meta), name, ...(desc && bare(desc) !== bare(name) ? [desc] : [])];
}

/** Collapse a string onto one line (for line comments). */
export function oneLine(s: string): string {
  return s.replace(/[\r\n\u0085\u2028\u2029\v\f]+/g, ' ').replace(/[\x00-\x08\x0e-\x1f\x7f]/g, '?').trim();
}

/**
 * The reasons as lines for a header or a description: `code: message`, each once, in the order first met,
 * with how many places of the rule it comes from when more than one (the places are in the JSON and the
 * reports).
 */
export function reasonLines(reasons: readonly Reason[]): string[] {
  const count = new Map<string, number>();
  for (const r of reasons) {
    const k = `${r.code}: ${r.message}`;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  return [...count].map(([k, n]) => (n > 1 ? `${k} (${n} places)` : k));
}

/**
 * Past this many characters a query is hard to review: it is rendered all the same, with a note saying
 * so (and how large) in its header and a warning. The query is no less exact for it.
 */
export const QUERY_BUDGET = 8000;

/**
 * The size note of a query text over the budget (`query-size: ...`, the header line; the warning diagnostic
 * has the code `query-size`), or null.
 */
export function sizeNote(query: string, budget = QUERY_BUDGET): string | null {
  const n = query.length;
  return n > budget ? `query-size: the query is ${n.toLocaleString('en-US')} characters after simplification, over the ${budget.toLocaleString('en-US')} a reviewer is expected to read` : null;
}

/**
 * Whether a query whose printed condition is always true reads every event only because pieces were replaced
 * by their supersets (by the lift, or by the target: some reason stated), not because the rule's own condition
 * is always true. `nnf` is the condition the target printed from.
 */
export function trueBySupersets(rule: Rule, nnf: Nnf, sink: ReasonSink): boolean {
  return (nnf.k !== 'const' || rule.reasons.length > 0) && sink.all().length > 0;
}

/**
 * The warning for a query that reads every event of its log type: its condition is true only because the
 * pieces a target cannot write were replaced by their supersets (a query the reader should not deploy as is).
 */
export function everyEventWarning(file: string): { severity: 'warning'; code: string; message: string; file: string; hint: string } {
  return {
    severity: 'warning',
    code: 'matches-every-event',
    message: 'the query (or its branch for one of the log types) matches every event of its log type: the condition, its pieces replaced by their supersets, is always true',
    file,
    hint: 'translate the rule for another target, or narrow the query by hand before deploying it',
  };
}

/** The warning a size note comes with. */
export function sizeWarning(note: string, file: string): { severity: 'warning'; code: string; message: string; file: string } {
  return { severity: 'warning', code: 'query-size', message: note.replace(/^query-size: /, ''), file };
}
