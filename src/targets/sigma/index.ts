/**
 * Sigma target: a Sigma rule (YAML), plus an `event_count` correlation rule for Panther thresholds.
 */
import type { Rule } from '../../ast/types.js';
import { dedupKeyFields } from '../common/dedup.js';
import { ReasonSink } from '../common/fidelity.js';
import { FieldResolver } from '../common/fields.js';
import { everyEventWarning, trueBySupersets, mitre, provenance, reasonLines, ruleUuid, severity, SIGMA_LEVEL, sigmaAttackTags, sizeNote, sizeWarning, title } from '../common/meta.js';
import { testsShowStr } from '../common/guards.js';
import { dropImpliedTruthy } from '../common/implied.js';
import type { Nnf } from '../common/nnf.js';
import { renderTemplate } from '../common/template.js';
import { uniqueDiagnostics } from '../../diagnostics.js';
import type { Diagnostic, LogTypeCondition, RenderContext, Target, TargetOutput } from '../types.js';
import { sigmaFieldOk, yamlStr } from './escape.js';
import { layout, SigmaBuilder, type Detection } from './printer.js';

const URL_RE = /^https?:\/\/\S+$/;

export const sigmaTarget: Target = {
  name: 'sigma',
  ext: 'yml',
  description: 'Sigma rule (YAML), with an event_count correlation rule for thresholds',
  allLogTypes: true,
  render(rule: Rule, ctx: RenderContext, nnf: Nnf, perLogType?: LogTypeCondition[]): TargetOutput {
    if (!perLogType || perLogType.length < 2) return buildDoc(rule, ctx, nnf).write();
    // one detection rule per log source (sigma-specification: a rule reads one logsource); the file's
    // fidelity and reasons are those of all of them, stated in each. Outputs are lifted on the first log
    // type (data models included): the other rules list no fields
    const one = (p: LogTypeCondition, i: number): Rule => ({ ...rule, meta: { ...rule.meta, logTypes: [p.logType] }, ...(i === 0 ? {} : { outputs: [] }) });
    const built = perLogType.map((p, i) => buildDoc(one(p, i), ctx, p.cond));
    // a threshold: one event_count correlation over all of them (sigma-correlation-rules-specification:
    // `rules` lists the rules whose events are counted together), when they group by the same fields
    // (fields named differently per rule would need `aliases`); otherwise the first log type alone
    const groups = built.map((d) => JSON.stringify(d.groupBy ?? null));
    if (groups.some((g) => g !== groups[0])) return buildDoc(rule, ctx, nnf).write();
    const sink = new ReasonSink(rule, 'sigma');
    for (const d of built) sink.absorb(d.sink);
    const suffix = (i: number): string | undefined => (i === 0 ? undefined : `:${perLogType[i]!.logType}`);
    const counted = built[0]!.groupBy ? perLogType.map((_, i) => ruleUuid(rule.meta.id, suffix(i))) : undefined;
    const docs = built.map((d, i) =>
      d.write({
        sink,
        ...(i === 0 ? {} : { suffix: suffix(i) }),
        titleNote: perLogType[i]!.logType,
        // the correlation once, after the last rule it counts
        ...(counted ? { correlationOf: i === built.length - 1 ? counted : null } : {}),
      }),
    );
    return {
      target: 'sigma',
      ext: 'yml',
      text: docs.map((d) => d.text.replace(/\n*$/, '\n')).join('---\n'),
      fidelity: sink.fidelity(),
      reasons: sink.all(),
      diagnostics: uniqueDiagnostics(docs.flatMap((d) => d.diagnostics)),
      logTypes: perLogType.map((p) => p.logType),
    };
  },
};

/**
 * A condition that folds to a constant, stated with one presence test `s` (`x|exists: true`) as `s or not s`
 * (every event of the logsource) or `s and not s` (none). A search identifier is true or false on an event
 * and `not` is its complement (sigma-rules-specification.md, "Condition": "Negation with 'not'"), whatever
 * a backend makes of the field: the `exists` modifier "only verifies the presence of a field, not its value,
 * be it empty or null" (sigma-appendix-modifiers.md, Generic Modifiers), so no value of it changes the
 * result. The field is the first output field of the rule (a field of its log source), else `panther_rule_id`.
 */
function constantDetection(v: boolean, fields: readonly string[]): Detection {
  const field = fields.find((f) => sigmaFieldOk(f)) ?? 'panther_rule_id';
  const name = 'selection';
  return { blocks: [{ name, lines: [`${yamlStr(`${field}|exists`)}: true`] }], condition: `${name} ${v ? 'or' : 'and'} not ${name}` };
}

/** How a file of several detection rules states one of them: the file's reasons, its id and its log type. */
interface DocOver {
  sink: ReasonSink;
  /** Keeps the rules' ids apart (none for the first). */
  suffix?: string;
  titleNote: string;
  /** A threshold's correlation: the rules it counts (written with this rule), or null (written with another). */
  correlationOf?: string[] | null;
}

/**
 * One Sigma detection rule (and its correlation, for a threshold): its detection, fields and reasons
 * (`sink`), then `write` lays it out, with the file's reasons when the file holds one rule per log type.
 */
function buildDoc(rule: Rule, ctx: RenderContext, nnf: Nnf): { sink: ReasonSink; groupBy?: string[]; write(over?: DocOver): TargetOutput } {
  const sink = new ReasonSink(rule, 'sigma');
  const diagnostics: Diagnostic[] = [];
  const meta = rule.meta;
  const logType = meta.logTypes[0] ?? '';
  sink.firstLogTypeOnly(meta.logTypes, 'covered');
  const src = logType ? ctx.mapper.source(logType, 'sigma') : undefined;
  let logsource = src?.logsource;
  if (!logsource || Object.keys(logsource).length === 0) {
    sink.add('unsupported-log-type', `log type ${logType || '(none)'} has no Sigma logsource mapping`);
    logsource = { product: 'panther', service: logType.toLowerCase().replace(/[^a-z0-9]+/g, '_') || 'unknown' };
  }

  const res = new FieldResolver(ctx.mapper, logType, 'sigma', sink);
  const builder = new SigmaBuilder(res, sink);
  // Sigma has no test for an empty mapping or list: a truthiness test a sibling implies is left out
  // (common/implied.ts); its string modifiers are false on a value that is not a string, where the value
  // is known to hold strings (guards.ts: a number or boolean may be read as its text)
  const cond = builder.print(dropImpliedTruthy(nnf, { strTests: testsShowStr(rule, res.mapper) }));

  const fields: string[] = [];
  for (const o of rule.outputs) {
    const r = res.output(o.name, o.value, diagnostics);
    if (!r) continue;
    const name = r.mapped.name + (r.mapped.sub?.length ? '.' + r.mapped.sub.join('.') : '');
    if (!fields.includes(name)) fields.push(name);
  }
  const det: Detection = cond.k === 'const' ? constantDetection(cond.v, fields) : layout(cond);
  // a condition that is true only because its pieces were replaced by their supersets: said plainly
  const everyEvent = cond.k === 'const' && cond.v && trueBySupersets(rule, nnf, sink);

  // threshold → correlation rule
  let correlation: null | { title: string; id: string; status: string; rules: string[]; groupBy: string[]; timespan: string; threshold: number } = null;
  const agg = rule.aggregation;
  if (agg && agg.threshold > 1) {
    const groupBy = dedupKeyFields(rule, sink, res, (m) => {
      const name = m.name + (m.sub?.length ? '.' + m.sub.join('.') : '');
      return sigmaFieldOk(name) ? yamlStr(name) : null;
    });
    const win = Math.max(1, Math.round(agg.windowMinutes));
    sink.add('target-threshold-window', `threshold counted over a ${win}m correlation timespan, whose windowing is backend-defined`);
    if (groupBy.length === 0) {
      // the specification requires group-by (one or more fields); an empty list breaks pySigma's SQL backends
      sink.add('target-threshold-key', 'the correlation has no group-by (every matching event counts in one group): the Sigma specification requires group-by for event_count, pySigma accepts its absence');
    }
    correlation = {
      title: yamlStr(`${title(meta)} (threshold ${agg.threshold} in ${win}m)`.slice(0, 256)),
      id: ruleUuid(meta.id, ':correlation'),
      status: '',
      rules: [ruleUuid(meta.id)],
      groupBy,
      timespan: `${win}m`,
      threshold: Math.trunc(agg.threshold),
    };
  }

  const write = (over?: DocOver): TargetOutput => {
    const stated = over?.sink ?? sink;
    const fidelity = stated.fidelity();
    const status = fidelity === 'unsupported' ? 'unsupported' : 'experimental';
    const corr = correlation && over?.correlationOf !== null ? { ...correlation, status, ...(over?.correlationOf ? { rules: over.correlationOf } : {}) } : null;
    const descLines = [
      ...(meta.description?.trim() ? [meta.description.trim()] : []),
      `Transpiled from ${provenance(meta)}${over?.titleNote ? ` (its ${over.titleNote} events)` : ''}. Fidelity: ${fidelity}.`,
      ...reasonLines(stated.all()).map((r) => `- ${r}`),
    ];
    if (everyEvent) {
      descLines.push('This rule matches every event of its log source: the condition, its pieces replaced by their supersets, is always true.');
      diagnostics.push(everyEventWarning(meta.file));
    }
    const size = sizeNote([...det.blocks.flatMap((b) => [`${b.name}:`, ...b.lines]), `condition: ${det.condition}`].join('\n'));
    if (size) {
      descLines.push(size);
      diagnostics.push(sizeWarning(size, meta.file));
    }
    const references = [...new Set([meta.reference, meta.runbook].filter((r): r is string => !!r && URL_RE.test(r.trim())).map((r) => r.trim()))];
    const m = mitre(meta);
    const custom: { key: string; value: string }[] = [
      { key: 'rule_id', value: yamlStr(meta.id) },
      ...(meta.version ? [{ key: 'version', value: yamlStr(meta.version) }] : []),
      { key: 'file', value: yamlStr(meta.file) },
      ...(meta.pyFile ? [{ key: 'python', value: yamlStr(meta.pyFile) }] : []),
      { key: 'severity', value: yamlStr(meta.severity) },
      { key: 'fidelity', value: fidelity },
      ...(m.length ? [{ key: 'mitre', value: `[${meta.mitre.map((x) => yamlStr(x.technique ? `${x.tactic}:${x.technique}` : x.tactic)).join(', ')}]` }] : []),
    ];
    const text = renderTemplate(ctx.templatesDir, 'sigma', 'rule', {
      title: yamlStr(`${title(meta)}${over?.titleNote ? ` (${over.titleNote})` : ''}`.slice(0, 256)),
      id: ruleUuid(meta.id, over?.suffix),
      status,
      description: yamlStr(descLines.join('\n').slice(0, 65535)),
      references: references.map(yamlStr),
      tags: sigmaAttackTags(meta),
      logsource: Object.entries(logsource).map(([key, value]) => ({ key: yamlStr(key), value: yamlStr(value) })),
      detection: det.blocks.map((b) => ({ name: yamlStr(b.name), lines: b.lines })),
      condition: yamlStr(det.condition),
      fields: fields.map(yamlStr),
      level: SIGMA_LEVEL[severity(meta)],
      custom,
      correlation: corr,
    });
    return { target: 'sigma', ext: 'yml', text, fidelity, reasons: stated.all(), diagnostics };
  };
  return { sink, ...(correlation ? { groupBy: correlation.groupBy } : {}), write };
}
