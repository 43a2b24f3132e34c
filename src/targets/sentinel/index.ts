/**
 * Microsoft Sentinel scheduled analytic rule (YAML, the Azure-Sentinel repository's `Detections/`
 * format, as its `.script/tests/detectionTemplateSchemaValidation` checks it), embedding the query
 * the `kql` target builds (`buildKql`; no logic of its own for the condition).
 *
 * - `id`: a name-based (v5, SHA-1) UUID of the RuleID; `name` ≤ 256, `description` ≤ 5000.
 * - `severity`: Info → Informational, Low, Medium, High; Critical → High (Sentinel has no Critical).
 * - `queryFrequency` = the rule's DedupPeriodMinutes (default 60) clamped to 5m…14d; `queryPeriod` =
 *   the frequency, or the threshold window when longer (≥ frequency, ≤ 14d; a period of 2 days or more
 *   runs at most hourly, as the schema requires). Written `30m`, `1h`, `1d`.
 * - `triggerOperator: gt`, `triggerThreshold: 0`: an alert whenever the query returns a row. For a
 *   Panther Threshold the query itself counts (`summarize ... | where EventCount >= N`, in Panther's dedup
 *   windows: kql/threshold.ts), so every row is already a window over the threshold; `eventGroupingSettings`
 *   makes one alert per row, as Panther alerts per event (or per window). The description says what a
 *   scheduled run leaves of it (`thresholdNote`): a run reads its query period only.
 * - `tactics` (Sentinel's spelling) and `relevantTechniques` from the MITRE ATT&CK report.
 * - `entityMappings` and `customDetails` from the columns the query returns (entities.ts).
 * - A query over 10,000 characters (the schema's limit) is refused: a comment-only artifact,
 *   `unsupported-query-too-long`.
 */
import type { Rule } from '../../ast/types.js';
import { mitre, provenance, reasonLines, ruleUuid, severity, sizeNote, sizeWarning, title, type Sev } from '../common/meta.js';
import { renderTemplate } from '../common/template.js';
import type { Nnf } from '../common/nnf.js';
import { buildKql, kqlImpliesStr, kqlQueryText } from '../kql/index.js';
import type { LogTypeCondition, RenderContext, Target, TargetOutput } from '../types.js';
import { customDetails, entityMappings } from './entities.js';
import { clip, timespan, yamlBlock, printableLine, yamlStr } from './escape.js';

export const MAX_QUERY = 10000;
export const MAX_NAME = 256;
export const MAX_DESCRIPTION = 5000;
/** queryFrequency / queryPeriod bounds, in minutes. */
export const MIN_SCHEDULE = 5;
export const MAX_SCHEDULE = 14 * 1440;

export const SENTINEL_SEVERITY: Record<Sev, string> = { info: 'Informational', low: 'Low', medium: 'Medium', high: 'High', critical: 'High' };

/** MITRE ATT&CK enterprise tactic ids → the Sentinel `AttackTactic` names. */
export const SENTINEL_TACTICS: Record<string, string> = {
  TA0043: 'Reconnaissance',
  TA0042: 'ResourceDevelopment',
  TA0001: 'InitialAccess',
  TA0002: 'Execution',
  TA0003: 'Persistence',
  TA0004: 'PrivilegeEscalation',
  TA0005: 'DefenseEvasion',
  TA0006: 'CredentialAccess',
  TA0007: 'Discovery',
  TA0008: 'LateralMovement',
  TA0009: 'Collection',
  TA0011: 'CommandAndControl',
  TA0010: 'Exfiltration',
  TA0040: 'Impact',
};

/** queryFrequency and queryPeriod in minutes for a dedup period and an optional threshold window. */
export function schedule(dedupMinutes: number | undefined, windowMinutes?: number): { frequency: number; period: number } {
  const clamp = (m: number): number => Math.min(MAX_SCHEDULE, Math.max(MIN_SCHEDULE, Math.round(m)));
  let frequency = clamp(dedupMinutes !== undefined && Number.isFinite(dedupMinutes) && dedupMinutes > 0 ? dedupMinutes : 60);
  const period = clamp(Math.max(frequency, windowMinutes !== undefined && Number.isFinite(windowMinutes) ? windowMinutes : 0));
  // FrequencyLimitationForLongPeriodQuery: a period of 2 days or more needs a frequency of 1 hour or more
  if (period >= 2 * 1440 && frequency < 60) frequency = 60;
  return { frequency, period };
}

/**
 * What a scheduled run leaves of Panther's threshold, the query itself counting as Panther does: each run
 * reads only the rows of its query period, so a window open across two runs is counted in two parts (and
 * a window is timed by `TimeGenerated`, Panther's by when its rule engine processes the event).
 */
export function thresholdNote(agg: { threshold: number; windowMinutes: number }, frequency: string, period: string): string {
  return (
    `Threshold: ${Math.trunc(agg.threshold)} matching events with the same dedup key within ${agg.windowMinutes} minutes of the first (Panther's dedup window). ` +
    `Each run (every ${frequency}) reads the last ${period}: a window that spans two runs is counted in two parts.`
  );
}

export const sentinelTarget: Target = {
  name: 'sentinel',
  ext: 'yaml',
  description: 'Microsoft Sentinel scheduled analytic rule (Azure-Sentinel YAML) embedding the KQL query',
  impliesStr: kqlImpliesStr,
  allLogTypes: true,
  routes: true,
  render(rule: Rule, ctx: RenderContext, nnf: Nnf, perLogType?: LogTypeCondition[]): TargetOutput {
    const meta = rule.meta;
    const { sink, diagnostics, query, tableNote, logTypes, reads } = buildKql(rule, ctx, nnf, 'sentinel', perLogType);
    const head = [provenance(meta), title(meta)].map(printableLine);
    const refuse = (): TargetOutput => {
      const fidelity = sink.fidelity();
      const text = renderTemplate(ctx.templatesDir, 'sentinel', 'refused', {
        header: [...head, printableLine(`fidelity: ${fidelity}`)],
        reasons: sink.reasons.map((r) => printableLine(r.message)),
      });
      return { target: 'sentinel', ext: 'yaml', text, fidelity, reasons: sink.all(), diagnostics };
    };
    if (!query) return refuse();
    const queryText = kqlQueryText(query, ctx.templatesDir);
    if (queryText.length > MAX_QUERY) {
      sink.add('unsupported-query-too-long', `the query is ${queryText.length} characters; a Sentinel analytic rule holds at most ${MAX_QUERY}`);
      return refuse();
    }

    const fidelity = sink.fidelity();
    const tactics: string[] = [];
    const techniques: string[] = [];
    for (const m of mitre(meta)) {
      const t = m.tacticId ? SENTINEL_TACTICS[m.tacticId] : undefined;
      if (t) {
        if (!tactics.includes(t)) tactics.push(t);
      } else if (m.tacticId || m.tacticName) {
        diagnostics.push({ severity: 'warning', code: 'sentinel-unknown-tactic', message: `MITRE tactic ${m.tacticId ?? m.tacticName} is not an ATT&CK enterprise tactic Sentinel knows; left out`, file: meta.file });
      }
      if (m.technique && !techniques.includes(m.technique)) techniques.push(m.technique);
    }
    const counts = rule.aggregation && rule.aggregation.threshold > 1 && query.tail.some((t) => t.startsWith('summarize ')) ? rule.aggregation : undefined;
    const { frequency, period } = schedule(meta.dedupPeriodMinutes, rule.aggregation && rule.aggregation.threshold > 1 ? rule.aggregation.windowMinutes : undefined);
    const entities = entityMappings(query.columns);
    const custom = customDetails(query.columns);
    if (custom.dropped.length) {
      diagnostics.push({ severity: 'warning', code: 'sentinel-custom-details', message: `columns left out of customDetails (at most 20, plain names only): ${custom.dropped.join(', ')}`, file: meta.file });
    }
    const size = sizeNote(queryText);
    if (size) diagnostics.push(sizeWarning(size, meta.file));
    const description = [
      ...(meta.description?.trim() ? [meta.description.trim()] : []),
      `Transpiled from ${provenance(meta)}. Fidelity: ${fidelity}.`,
      ...(tableNote ? [`Table: ${tableNote}.`] : []),
      ...(counts ? [thresholdNote(counts, timespan(frequency), timespan(period))] : []),
      ...reasonLines(sink.all()).map((r) => `- ${r}`),
      ...(size ? [size] : []),
    ].join('\n');
    // every log type's connectors (a rule over several log types reads each one's table; a routed one, each route's)
    const seenConnectors = new Set<string>();
    const connectors = (reads ?? logTypes)
      .flatMap((lt) => ctx.mapper.source(lt, 'kql')?.connectors ?? [])
      .filter((c) => {
        const key = JSON.stringify(c);
        if (seenConnectors.has(key)) return false;
        seenConnectors.add(key);
        return true;
      })
      .map((c) => ({ connectorId: yamlStr(c.connectorId), dataTypes: c.dataTypes.map(yamlStr) }));
    const text = renderTemplate(ctx.templatesDir, 'sentinel', 'rule', {
      header: [...head, printableLine(`fidelity: ${fidelity}`)],
      id: ruleUuid(meta.id, ':sentinel'),
      name: yamlStr(clip(printableLine(title(meta)) || printableLine(meta.id) || 'Panther rule', MAX_NAME)),
      description: yamlStr(clip(description, MAX_DESCRIPTION)),
      severity: SENTINEL_SEVERITY[severity(meta)],
      connectors,
      queryFrequency: timespan(frequency),
      queryPeriod: timespan(period),
      triggerOperator: 'gt',
      triggerThreshold: 0,
      tactics,
      techniques,
      query: yamlBlock(queryText),
      entities: entities.map((e) => ({ entityType: e.entityType, fieldMappings: e.fieldMappings.map((f) => ({ identifier: f.identifier, columnName: yamlStr(f.columnName) })) })),
      customDetails: custom.details.map((d) => ({ key: yamlStr(d.key), column: yamlStr(d.column) })),
      version: '1.0.0',
    });
    return { target: 'sentinel', ext: 'yaml', text, fidelity, reasons: sink.all(), diagnostics, logTypes };
  },
};
