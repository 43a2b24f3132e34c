/**
 * Microsoft Sentinel KQL target: `Table | where ... | project ...` (or a `summarize` threshold).
 */
import type { Rule } from '../../ast/types.js';
import { pathText } from '../../ast/view.js';
import { ReasonSink } from '../common/fidelity.js';
import { FieldResolver } from '../common/fields.js';
import { oneLine, provenance, title } from '../common/meta.js';
import { conditionNnf } from '../common/nnf.js';
import { outConjuncts, printOut } from '../common/out.js';
import { renderTemplate } from '../common/template.js';
import type { Diagnostic, RenderContext, Target, TargetOutput } from '../types.js';
import { kqlComment, kqlIdent } from './escape.js';
import { kfield, KqlPrinter } from './printer.js';

export const KQL_SYNTAX = { and: ' and ', or: ' or ', true: 'true', false: 'false' };

export const kqlTarget: Target = {
  name: 'kql',
  ext: 'kql',
  description: 'Microsoft Sentinel / Log Analytics KQL query',
  render(rule: Rule, ctx: RenderContext): TargetOutput {
    const sink = new ReasonSink(rule, 'kql');
    const diagnostics: Diagnostic[] = [];
    const logType = rule.meta.logTypes[0] ?? '';
    if (rule.meta.logTypes.length > 1) {
      sink.add('target-first-log-type', `only the first log type (${logType}) is queried; ${rule.meta.logTypes.slice(1).join(', ')} left out`, 'narrower');
    }
    const source = logType ? ctx.mapper.source(logType, 'kql') : undefined;
    const header = [
      provenance(rule.meta),
      title(rule.meta),
      ...(rule.meta.description ? [oneLine(rule.meta.description)] : []),
    ].map(kqlComment);
    if (!source?.table) {
      sink.add('unsupported-log-type', `log type ${logType || '(none)'} has no Sentinel table mapping`);
      const text = renderTemplate(ctx.templatesDir, 'kql', 'refused', {
        header: [...header, kqlComment(`fidelity: ${sink.fidelity()}`)],
        reasons: sink.reasons.map((r) => kqlComment(r.message)),
      });
      return { target: 'kql', ext: 'kql', text, fidelity: sink.fidelity(), reasons: sink.all(), diagnostics };
    }
    const res = new FieldResolver(ctx.mapper, logType, 'kql', sink);
    const printer = new KqlPrinter(res, sink);
    const cond = printer.print(conditionNnf(rule.condition));
    const where = cond.k === 'const' && cond.v ? [] : outConjuncts(cond).map((c) => printOut(c, KQL_SYNTAX));

    // outputs: one projected column per distinct output
    const items: { name: string; expr: string }[] = [];
    // names the query itself defines are never reused by an output
    const seen = new Set<string>(['TimeGenerated', 'EventCount', 'FirstSeen', 'LastSeen', 'Window']);
    for (const o of rule.outputs) {
      const r = res.output(o.name, o.value, diagnostics);
      if (!r) continue;
      const f = kfield(r.mapped);
      const plainColumn = (r.mapped.sub ?? []).length === 0 && r.mapped.access !== 'json_string';
      const name = plainColumn ? kqlIdent(r.mapped.name) : kqlIdent(o.name);
      if (seen.has(name)) continue;
      seen.add(name);
      items.push({ name, expr: plainColumn ? name : f.raw });
    }

    const tail: string[] = [];
    const agg = rule.aggregation;
    if (agg && agg.threshold > 1) {
      const keys: string[] = [];
      for (const g of agg.groupBy) {
        const ref = res.ref(g, 'grouping key');
        if (!ref || ref.root !== 'event') continue;
        const m = ctx.mapper.resolve(logType, 'kql', ref.path);
        if ('unmapped' in m) {
          sink.add('target-threshold-key', `threshold grouping key ${pathText(ref.path)} has no mapping; events are counted without it`, 'wider');
          continue;
        }
        const f = kfield(m);
        keys.push(f.kind === 'dynamic' ? `${kqlIdent(`key_${pathText(ref.path).replace(/[^A-Za-z0-9_]/g, '_')}`)} = tostring(${f.raw})` : f.raw);
      }
      const win = Math.max(1, Math.round(agg.windowMinutes));
      sink.add('target-threshold-window', `threshold counted in fixed ${win}m bins, not Panther's dedup window that opens at the first event`, 'narrower');
      const aggs = ['EventCount = count()', 'FirstSeen = min(TimeGenerated)', 'LastSeen = max(TimeGenerated)'];
      for (const it of items) if (!keys.includes(it.expr)) aggs.push(`${it.name} = make_set(${it.expr}, 100)`);
      tail.push(`summarize ${aggs.join(', ')} by ${[...keys, `Window = bin(TimeGenerated, ${win}m)`].join(', ')}`);
      tail.push(`where EventCount >= ${Math.trunc(agg.threshold)}`);
    } else {
      tail.push(`project ${['TimeGenerated', ...items.map((i) => (i.expr === i.name ? i.name : `${i.name} = ${i.expr}`))].join(', ')}`);
    }

    const fidelity = sink.fidelity();
    const text = renderTemplate(ctx.templatesDir, 'kql', 'query', {
      header: [...header, kqlComment(`fidelity: ${fidelity}`), ...sink.all().map((r) => kqlComment(`${r.code}: ${r.message}`))],
      table: kqlIdent(source.table),
      stages: printer.stages,
      where,
      tail,
    });
    return { target: 'kql', ext: 'kql', text, fidelity, reasons: sink.all(), diagnostics };
  },
};
