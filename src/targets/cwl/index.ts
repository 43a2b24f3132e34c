/**
 * AWS CloudWatch Logs Insights target:
 * `fields @timestamp, <outputs> | filter <pred> | sort @timestamp desc | limit 10000`
 * (or `stats count(*) ... by <keys>, bin(Nm) | filter eventCount >= N` for thresholds). A query does not
 * name its log groups (they are chosen when it runs): a rule over several log types is one query over
 * the log groups of all of them when its condition reads alike on each (`buildAll`).
 */
import type { Rule } from '../../ast/types.js';
import { dedupKeyFields } from '../common/dedup.js';
import { dropImpliedTruthy } from '../common/implied.js';
import { ReasonSink } from '../common/fidelity.js';
import { FieldResolver } from '../common/fields.js';
import { everyEventWarning, headerLines, trueBySupersets, reasonLines, sizeNote, sizeWarning } from '../common/meta.js';
import type { Nnf } from '../common/nnf.js';
import { printOut } from '../common/out.js';
import { renderTemplate } from '../common/template.js';
import { uniqueDiagnostics } from '../../diagnostics.js';
import type { Diagnostic, LogTypeCondition, RenderContext, Target, TargetOutput } from '../types.js';
import { cwlComment, cwlField } from './escape.js';
import { CwlPrinter } from './printer.js';
import { docRef } from './struct.js';
import { cwlNameRepeatedTests } from './names.js';
import { cwlConjuncts } from './tidy.js';

const SYNTAX = { and: ' and ', or: ' or ', true: '1 = 1', false: '1 = 0', parenthesiseAll: true };
const LIMIT = 10000;
/** The longest query string StartQuery runs (API_StartQuery: queryString, maximum length 10,000). */
export const MAX_QUERY = 10000;

/** One log type's query: what the template lays out, and what the rendering found on the way. */
interface CwlBuild {
  sink: ReasonSink;
  diagnostics: Diagnostic[];
  header: string[];
  /**
   * null when the log type does not reach CloudWatch Logs (the sink says why). `structs`: what the condition
   * reads from JSON a field holds (`jsonParse(f) as name`, struct.ts), made by the `fields` command.
   */
  query: { fields: string[]; structs: string[]; commands: string[]; filters: string[]; tail: string[] } | null;
}

/** Printer options of a rendering: `maxRegex` for the second rendering of a query that was too long (render). */
type BuildOpts = { maxRegex?: number };

function buildOne(rule: Rule, ctx: RenderContext, nnf: Nnf, opts: BuildOpts = {}): CwlBuild {
  const sink = new ReasonSink(rule, 'cwl');
  const diagnostics: Diagnostic[] = [];
  const meta = rule.meta;
  const logType = meta.logTypes[0] ?? '';
  sink.firstLogTypeOnly(meta.logTypes, 'queried');
  const header = headerLines(meta).map(cwlComment);
  const src = logType ? ctx.mapper.source(logType, 'cwl') : undefined;
  if (!src) {
    sink.add('unsupported-log-type', `log type ${logType || '(none)'} does not reach CloudWatch Logs (no mapping)`);
    return { sink, diagnostics, header, query: null };
  }
  if (src.native === false) {
    diagnostics.push({
      severity: ctx.strict ? 'error' : 'warning',
      code: 'cwl-not-native',
      message: `${logType} is not delivered to CloudWatch Logs natively; raw JSON field names are assumed`,
      file: meta.file,
      hint: 'ship the raw JSON events to the log group as they are, or name the fields Logs Insights discovers with --mapping FILE (cwl; mappings/README.md)',
    });
  }

  const res = new FieldResolver(ctx.mapper, logType, 'cwl', sink);
  const printer = new CwlPrinter(res, sink, opts);
  // one any() may be written with `unnest` (one record per element) where no records are counted
  // a truthiness test a sibling implies is left out (common/implied.ts): Logs Insights has no test of a
  // JSON object or list itself (a container is no field of its own)
  const cond = printer.printQuery(dropImpliedTruthy(nnf, { docRef }), !(rule.aggregation && rule.aggregation.threshold > 1));
  if (cond.k === 'const' && cond.v && printer.commands().length === 0 && trueBySupersets(rule, nnf, sink)) diagnostics.push(everyEventWarning(meta.file));
  // said once: simplified in the context of its own tests, regex tests joined per field (tidy.ts)
  const conjuncts = cwlConjuncts(cond);
  const structs = printer.structures();
  const commands = printer.commands();

  const fields: string[] = [];
  const aliases: string[] = [];
  for (const o of rule.outputs) {
    const r = res.output(o.name, o.value, diagnostics);
    if (!r) continue;
    const f = cwlField([r.mapped.name, ...(r.mapped.sub ?? []).map(String)].join('.'));
    if (!f) {
      diagnostics.push({ severity: 'warning', code: 'output-unmapped', message: `output ${o.name}: its field name cannot be written` });
      continue;
    }
    if (fields.includes(f) || f === '@timestamp') continue;
    fields.push(f);
    let alias = o.name.replace(/[^A-Za-z0-9]/g, '');
    if (!/^[A-Za-z]/.test(alias) || aliases.includes(alias) || ['eventCount', 'firstSeen', 'lastSeen', 'timeWindow'].includes(alias)) alias = `output${fields.length}`;
    aliases.push(alias);
  }

  // a test said twice or more: named once in a `fields` line after the other commands (names.ts)
  const named = cwlNameRepeatedTests(conjuncts, [...fields, ...structs, ...commands, ...aliases, 'eventCount firstSeen lastSeen timeWindow']);
  if (named.fields) commands.push(named.fields);
  const filters = named.conds.map((c) => printOut(c, SYNTAX));

  const tail: string[] = [];
  const agg = rule.aggregation;
  if (agg && agg.threshold > 1) {
    const keys = dedupKeyFields(rule, sink, res, (m) => cwlField([m.name, ...(m.sub ?? []).map(String)].join('.')));
    const win = Math.max(1, Math.round(agg.windowMinutes));
    sink.add('target-threshold-window', `threshold counted in fixed ${win}m bins, not Panther's dedup window that opens at the first event`, 'narrower');
    const stats = ['count(*) as eventCount', 'earliest(@timestamp) as firstSeen', 'latest(@timestamp) as lastSeen'];
    fields.forEach((f, i) => {
      if (!keys.includes(f)) stats.push(`latest(${f}) as ${aliases[i]}`);
    });
    tail.push(`stats ${stats.join(', ')} by ${[...keys, `bin(${win}m) as timeWindow`].join(', ')}`);
    tail.push(`filter eventCount >= ${Math.trunc(agg.threshold)}`);
    tail.push('sort eventCount desc');
  } else tail.push('sort @timestamp desc');
  tail.push(`limit ${LIMIT}`);
  return { sink, diagnostics, header, query: { fields, structs, commands, filters, tail } };
}

/**
 * A rule over several log types: one query over the log groups of all of them, when the condition
 * reads the same on each (the same filters, field names included, and the same threshold), so that an
 * event of any of them is kept exactly when its own log type's condition holds. Otherwise (or when a
 * log type does not reach CloudWatch Logs) the first log type alone, declared (null here).
 */
function buildAll(rule: Rule, perLogType: LogTypeCondition[], parts: CwlBuild[]): (CwlBuild & { logTypes: string[] }) | null {
  const qs = parts.map((p) => p.query);
  if (qs.some((q) => !q)) return null;
  const first = qs[0]!;
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!qs.every((q) => same(q!.filters, first.filters) && same(q!.structs, first.structs) && same(q!.commands, first.commands) && same(q!.tail, first.tail))) return null;
  const sink = new ReasonSink(rule, 'cwl');
  for (const p of parts) sink.absorb(p.sink);
  const logTypes = perLogType.map((p) => p.logType);
  // outputs: each log type's fields (a field a log group lacks reads empty); a threshold's are its first's
  const threshold = !!rule.aggregation && rule.aggregation.threshold > 1;
  const fields = threshold ? first.fields : [...new Set(qs.flatMap((q) => q!.fields))];
  return {
    sink,
    diagnostics: uniqueDiagnostics(parts.flatMap((p) => p.diagnostics)),
    header: [...parts[0]!.header, cwlComment(`log types: ${logTypes.join(', ')} (run over the log groups of each; the filter reads alike on every one)`)],
    query: { ...first, fields },
    logTypes,
  };
}

/**
 * A rule over several log types whose condition reads differently on each: one query per log type, each
 * to run over that log type's log groups (a query cannot tell the log groups it runs over apart), written
 * one after the other under a `# query i of n: <log type>` line that the evaluator reads. A threshold is
 * then counted per log type (declared). Null when a log type does not reach CloudWatch Logs.
 */
function buildSplit(rule: Rule, perLogType: LogTypeCondition[], parts: CwlBuild[]): { sink: ReasonSink; diagnostics: Diagnostic[]; header: string[]; queries: { logType: string; query: NonNullable<CwlBuild['query']> }[] } | null {
  if (parts.some((p) => !p.query)) return null;
  const sink = new ReasonSink(rule, 'cwl');
  for (const p of parts) sink.absorb(p.sink);
  const logTypes = perLogType.map((p) => p.logType);
  if (rule.aggregation && rule.aggregation.threshold > 1) {
    sink.add('target-threshold-split', `the threshold is counted in each log type's query (${logTypes.join(', ')}); Panther counts the events of all of them together`, 'narrower');
  }
  return {
    sink,
    diagnostics: uniqueDiagnostics(parts.flatMap((p) => p.diagnostics)),
    header: [...parts[0]!.header, cwlComment(`log types: ${logTypes.join(', ')} (one query each, to run over that log type's log groups: the filters differ)`)],
    queries: parts.map((p, i) => ({ logType: logTypes[i]!, query: p.query! })),
  };
}

/** The comment that opens query `i` (from 1) of `n` in a file of one query per log type (`# ` aside). */
export function cwlQueryMarker(i: number, n: number, logType: string): string {
  return `query ${i} of ${n}: ${cwlComment(logType)}`;
}

/**
 * The artifact: the header (provenance, fidelity, reasons, a size note), then each query, under its
 * marker line when the file holds one query per log type.
 */
function written(
  rule: Rule,
  ctx: RenderContext,
  b: { sink: ReasonSink; diagnostics: Diagnostic[]; header: string[]; queries: { logType?: string; query: NonNullable<CwlBuild['query']> }[] },
  logTypes: string[] | undefined,
): TargetOutput {
  const view = (q: NonNullable<CwlBuild['query']>) => ({ fields: ['@timestamp', ...q.fields, ...q.structs].join(', '), commands: q.commands, filters: q.filters, tail: q.tail });
  const bodies = b.queries.map(({ query }) => renderTemplate(ctx.templatesDir, 'cwl', 'query', { header: [], ...view(query) }));
  const longest = Math.max(...bodies.map((q) => q.length));
  if (longest > MAX_QUERY) {
    // StartQuery (which the console runs too) takes a queryString of at most 10,000 characters
    // (docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html): a longer query
    // cannot run, so it is refused as Sentinel refuses a query its analytic rule cannot hold
    b.sink.add('unsupported-query-too-long', `the query is ${longest} characters; Logs Insights (StartQuery) runs a query string of at most ${MAX_QUERY}`);
    const text = renderTemplate(ctx.templatesDir, 'cwl', 'refused', {
      header: [...b.header, cwlComment(`fidelity: ${b.sink.fidelity()}`)],
      reasons: b.sink.reasons.map((r) => cwlComment(r.message)),
    });
    return { target: 'cwl', ext: 'cwl', text, fidelity: b.sink.fidelity(), reasons: b.sink.all(), diagnostics: b.diagnostics };
  }
  const fidelity = b.sink.fidelity();
  const diagnostics = [...b.diagnostics];
  const size = sizeNote(bodies.join(''));
  if (size) diagnostics.push(sizeWarning(size, rule.meta.file));
  const head = [...b.header, cwlComment(`fidelity: ${fidelity}`), ...reasonLines(b.sink.all()).map(cwlComment), ...(size ? [cwlComment(size)] : [])];
  const n = b.queries.length;
  // each query under its marker line (a header line of the template), the file's header before the first
  const text = b.queries
    .map(({ logType, query }, i) =>
      renderTemplate(ctx.templatesDir, 'cwl', 'query', { header: [...(i === 0 ? head : []), ...(logType ? [cwlQueryMarker(i + 1, n, logType)] : [])], ...view(query) }),
    )
    .join('');
  return { target: 'cwl', ext: 'cwl', text, fidelity, reasons: b.sink.all(), diagnostics, ...(logTypes ? { logTypes } : {}) };
}

export const cwlTarget: Target = {
  name: 'cwl',
  ext: 'cwl',
  description: 'AWS CloudWatch Logs Insights query',
  allLogTypes: true,
  render(rule: Rule, ctx: RenderContext, nnf: Nnf, perLogType?: LogTypeCondition[]): TargetOutput {
    const out = renderWith(rule, ctx, nnf, perLogType, {});
    if (!out.reasons.some((r) => r.code === 'unsupported-query-too-long')) return out;
    // too long to run: once more with the longest regexes replaced by their superset (declared), which
    // keeps a query that runs where only they made it too long
    const again = renderWith(rule, ctx, nnf, perLogType, { maxRegex: MAX_REGEX });
    return again.reasons.some((r) => r.code === 'unsupported-query-too-long') ? out : again;
  },
};

/** The longest regex spelling the second rendering of a query that was too long keeps (render). */
const MAX_REGEX = 1000;

function renderWith(rule: Rule, ctx: RenderContext, nnf: Nnf, perLogType: LogTypeCondition[] | undefined, opts: BuildOpts): TargetOutput {
  const several = perLogType && perLogType.length > 1 ? perLogType : null;
  // each log type's query, built once for buildAll and buildSplit (which only put the parts together)
  const parts = several ? several.map((p) => buildOne({ ...rule, meta: { ...rule.meta, logTypes: [p.logType] } }, ctx, p.cond, opts)) : null;
  const all = several && parts ? buildAll(rule, several, parts) : null;
  const split = several && parts && !all ? buildSplit(rule, several, parts) : null;
  if (split) return written(rule, ctx, split, split.queries.map((q) => q.logType));
  const one = all ?? buildOne(rule, ctx, nnf, opts);
  if (!one.query) {
    const text = renderTemplate(ctx.templatesDir, 'cwl', 'refused', {
      header: [...one.header, cwlComment(`fidelity: ${one.sink.fidelity()}`)],
      reasons: one.sink.reasons.map((r) => cwlComment(r.message)),
    });
    return { target: 'cwl', ext: 'cwl', text, fidelity: one.sink.fidelity(), reasons: one.sink.all(), diagnostics: one.diagnostics };
  }
  return written(rule, ctx, { ...one, queries: [{ query: one.query }] }, all?.logTypes);
}
