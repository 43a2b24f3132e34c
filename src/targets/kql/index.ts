/**
 * Microsoft Sentinel KQL target: `Table | where ... | project ...` (or a `summarize` threshold).
 *
 * `buildKql` is the one query builder: the `kql` target prints its result with a comment header, the
 * `sentinel` target embeds the same query in an analytic rule.
 */
import { testsShowStr } from '../common/guards.js';
import type { KeyCase, Rule, TitlePart, Val } from '../../ast/types.js';
import { specializeLogType } from '../../ast/normalize.js';
import { conditionNnf } from '../common/nnf.js';
import { fieldRef, spanlessKey, type PathSeg } from '../../ast/view.js';
import { pyIsInstance } from '../../python/semantics.js';
import type { LogSource } from '../../mapping/types.js';
import { ReasonSink } from '../common/fidelity.js';
import { FieldResolver } from '../common/fields.js';
import { everyEventWarning, headerLines, trueBySupersets, reasonLines, sizeNote, sizeWarning } from '../common/meta.js';
import type { Nnf } from '../common/nnf.js';
import { simplifyNnf } from '../common/simplify.js';
import { outConjuncts, printOut, text } from '../common/out.js';
import { renderTemplate } from '../common/template.js';
import { KQL_LEX, kqlReading, walk } from '../common/outctx.js';
import { existsStages, joinQuantifiers } from './mvapply.js';
import { walkLists } from '../common/walk.js';
import { uniqueDiagnostics } from '../../diagnostics.js';
import type { Diagnostic, LogTypeCondition, RenderContext, Target, TargetOutput } from '../types.js';
import { kqlComment, kqlIdent, kqlString } from './escape.js';
import { nameRepeatedMembers, nameRepeatedSplits, nameRepeatedTests } from './names.js';
import { foldAbsent } from './absent.js';
import { impliedValidity, jsonGuards } from './json.js';
import { kfield, KqlPrinter } from './printer.js';
import { keyedTables } from '../common/routes.js';
import { joinRegexTests } from './regexjoin.js';
import { thresholdTail, unionThreshold, type OutputItem, type ThresholdPlan } from './threshold.js';
import { hoistUnion } from './hoist.js';
import { mergeLists } from './lists.js';
import { compactRegexes } from './anchors.js';
import { sentinelTable } from '../../mapping/schemas.js';

/** Long conditions are laid out over lines: one `where` per top-level conjunct, nested terms indented. */
export const KQL_SYNTAX = { and: ' and ', or: ' or ', true: 'true', false: 'false', wrap: { width: 100, indent: '    ', step: '    ' } };

/** A column of the query's result. */
export interface KqlColumn {
  /** As the query writes it: a plain identifier, or `["..."]`. */
  name: string;
  /** string: a string column (or a `tostring()` key); typed: bool/int/real...; set: a `make_set()` array (a threshold's summary attribute). */
  kind: 'string' | 'typed' | 'dynamic' | 'datetime' | 'count' | 'set';
  /** The rule output (alert_context key, summary attribute...) the column carries. */
  output?: string;
  /** The raw Panther path the column reads. */
  path?: PathSeg[];
}

export interface KqlQuery {
  /** The tabular source: a table, or `union isfuzzy=true A, B` for a log type split over several tables. */
  source: string;
  /** The tables `source` reads (a query of one log type). */
  tables?: string[];
  /** Declarations before the query (`let truthy = ...;`), each once. */
  lets: string[];
  stages: string[];
  where: string[];
  tail: string[];
  columns: KqlColumn[];
}

export interface KqlBuild {
  sink: ReasonSink;
  diagnostics: Diagnostic[];
  logType: string;
  /** Provenance, title and description, as comment-safe text (no `//`). */
  header: string[];
  /** null when the log type has no Sentinel table (the sink says why). */
  query: KqlQuery | null;
  /** For a custom-log table (`sources.kql.custom`): what the query assumes about it, in one line. */
  tableNote?: string;
  /** The log types the query reads (several: a union of one query per log type). */
  logTypes: string[];
  /** The mappings the query reads (a routed log type's branches each read their own: common/routes.ts). */
  reads?: string[];
  /** The condition selects no row of the table (a routed branch whose tests read fields its records never hold). */
  none?: boolean;
  /** A threshold query's keys and collected outputs (what a union over several log types puts together). */
  plan?: ThresholdPlan;
}

/** The tables a log source reads: `tables` when given, else `table`. */
export function kqlTables(source: LogSource | undefined): string[] {
  const list = source?.tables?.length ? source.tables : source?.table ? [source.table] : [];
  return [...new Set(list)];
}

/** The tabular source expression: one table, or a fuzzy union (a table missing from the workspace is skipped). */
export function kqlSource(tables: string[]): string {
  return tables.length === 1 ? kqlIdent(tables[0]!) : `union isfuzzy=true ${tables.map(kqlIdent).join(', ')}`;
}

/**
 * A string column holds a string or nothing: KQL's string operators need no `isinstance(v, str)`
 * guard on it (a dynamic member keeps its guard: `tostring()` would read a number as text), unless the
 * raw value is not known to be a string (`testsShowStr`: the tests hold it as a number, boolean or list,
 * whose text the column would hold).
 */
export function kqlImpliesStr(rule: Rule, ctx: RenderContext): (v: Val) => boolean {
  const logType = rule.meta.logTypes[0] ?? '';
  const str = testsShowStr(rule, ctx.mapper);
  return (v) => {
    if (!str(v)) return false;
    const ref = fieldRef(v);
    if (ref?.root !== 'event') return false;
    const m = ctx.mapper.resolve(logType, 'kql', ref.path);
    return !('unmapped' in m) && kfield(m).kind === 'string-column';
  };
}

/**
 * The query for a rule (condition in NNF, outputs, threshold); `target` prefixes the reasons' messages.
 * A rule over several log types (`perLogType`) becomes a union of one query per log type, each reading
 * its own table(s) with the condition as it reads there (learn.microsoft.com/kusto/query/union-operator;
 * `isfuzzy=true`: a workspace without one of the tables still runs the rest); a threshold counts over
 * the union, each branch projecting its keys and outputs under one name when they read other columns
 * (`unionThreshold`), and only the first log type is queried when the branches' keys cannot be matched.
 */
export function buildKql(rule: Rule, ctx: RenderContext, nnf: Nnf, target = 'kql', perLogType?: LogTypeCondition[]): KqlBuild {
  // the kql and sentinel targets build the same query (and a render after a proof, which only adds reasons,
  // builds it again): built once, each caller gets a copy with its own sink
  let list = builds.get(nnf);
  const hit = list?.find((e) => sameBuild(e, rule, ctx, perLogType));
  if (hit) {
    const copy = copyBuild(hit.build, target, rule);
    if (copy) return copy;
  }
  const build = buildKqlOnce(rule, ctx, nnf, target, perLogType);
  if (!list) builds.set(nnf, (list = []));
  list.push({ rule: { ...rule }, mapper: ctx.mapper, templatesDir: ctx.templatesDir, strict: ctx.strict, perLogType: perLogType?.map((p) => ({ ...p })), build });
  return copyBuild(build, target, rule) ?? buildKqlOnce(rule, ctx, nnf, target, perLogType);
}

interface BuildEntry {
  rule: Rule;
  mapper: RenderContext['mapper'];
  templatesDir: string;
  strict: boolean | undefined;
  perLogType: LogTypeCondition[] | undefined;
  build: KqlBuild;
}
const builds = new WeakMap<Nnf, BuildEntry[]>();

/** The same inputs, each compared by identity (lifted rules, conditions and mappers are never mutated): all of the rule but its reasons. */
function sameBuild(e: BuildEntry, rule: Rule, ctx: RenderContext, perLogType: LogTypeCondition[] | undefined): boolean {
  if (e.mapper !== ctx.mapper || e.templatesDir !== ctx.templatesDir || e.strict !== ctx.strict) return false;
  const a = e.rule as unknown as Record<string, unknown>;
  const b = rule as unknown as Record<string, unknown>;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length || !ka.every((k) => k === 'reasons' || (k in b && a[k] === b[k]))) return false;
  if (!perLogType || !e.perLogType) return perLogType === e.perLogType || (!perLogType && !e.perLogType);
  return perLogType.length === e.perLogType.length && perLogType.every((p, i) => {
    const q = e.perLogType![i]!;
    return p.logType === q.logType && p.cond === q.cond && p.of === q.of && Object.keys(p).length === Object.keys(q).length;
  });
}

/** A build for `target` and `rule` (the built one's but for its reasons): its own sink, diagnostics and query lists. */
function copyBuild(b: KqlBuild, target: string, rule: Rule): KqlBuild | null {
  const sink = b.sink.retarget(target, rule);
  if (!sink) return null;
  const q = b.query;
  return {
    ...b,
    sink,
    diagnostics: b.diagnostics.map((d) => ({ ...d })),
    header: [...b.header],
    query: q ? { ...q, ...(q.tables ? { tables: [...q.tables] } : {}), lets: [...q.lets], stages: [...q.stages], where: [...q.where], tail: [...q.tail], columns: q.columns.map((c) => ({ ...c })) } : null,
    logTypes: [...b.logTypes],
    ...(b.reads ? { reads: [...b.reads] } : {}),
  };
}

function buildKqlOnce(rule: Rule, ctx: RenderContext, nnf: Nnf, target: string, perLogType?: LogTypeCondition[]): KqlBuild {
  // the first log type alone: a rule with one, or several whose branches cannot be put together
  const firstOnly = (): KqlBuild => buildOne(rule, ctx, nnf, target);
  // the log types the artifact reads: a routed branch's is the rule's log type it is part of
  const logTypes = [...new Set((perLogType ?? []).map((p) => p.of ?? p.logType))];
  // one routed branch reads its table alone (below, as one part)
  if (!perLogType || (perLogType.length < 2 && !perLogType[0]?.of)) return firstOnly();
  const all = perLogType.map((p) => buildOne({ ...rule, meta: { ...rule.meta, logTypes: [p.logType] } }, ctx, p.cond, target));
  // a branch that selects nothing (its condition printed `false`) is left out: a union's rows are the rows
  // of each branch (learn.microsoft.com/kusto/query/union-operator), and such a branch has none. A routed
  // branch's reasons go with it (it reads nothing); a log type's own branch keeps its reasons (the
  // condition may be false there by an approximation, which the artifact still states)
  const keep = all.map((b) => !b.none);
  const parts = keep.some((k) => k) ? all.filter((_, i) => keep[i]) : all;
  const kept = keep.some((k) => k) ? perLogType.filter((_, i) => keep[i]) : perLogType;
  const dropped = keep.some((k) => k) ? all.filter((_, i) => !keep[i] && !perLogType[i]!.of) : [];
  // (a table the query no longer reads is not warned about)
  const droppedDiagnostics = dropped.flatMap((p) => p.diagnostics).filter((d) => d.code !== 'kql-custom-table');
  if (parts.length === 1) {
    if (dropped.length === 0) return { ...parts[0]!, logTypes, reads: [kept[0]!.logType] };
    const sink = new ReasonSink(rule, target);
    for (const p of [parts[0]!, ...dropped]) sink.absorb(p.sink);
    return { ...parts[0]!, sink, diagnostics: uniqueDiagnostics([...parts[0]!.diagnostics, ...droppedDiagnostics]), logTypes, reads: [kept[0]!.logType] };
  }
  const qs = parts.map((p) => p.query);
  if (qs.some((q) => !q)) return firstOnly();
  const queries = qs as KqlQuery[];
  const threshold = !!rule.aggregation && rule.aggregation.threshold > 1;
  let tail = queries[0]!.tail;
  // a threshold whose branches count by other columns: each branch projects them under one name
  let joined: ReturnType<typeof unionThreshold> = null;
  if (threshold && queries.some((q) => q.tail.join('\n') !== tail.join('\n'))) {
    joined = parts.every((p) => p.plan) ? unionThreshold(parts.map((p) => p.plan!)) : null;
    // a dedup string by cases written on some log types only: every branch counts without it (declared), as before
    if (!joined && rule.aggregation?.keyCases) {
      const { keyCases: _, ...agg } = rule.aggregation;
      return buildKqlOnce({ ...rule, aggregation: agg }, ctx, nnf, target, perLogType);
    }
    if (!joined) return firstOnly();
    tail = joined.tail;
  }
  const sink = new ReasonSink(rule, target);
  for (const p of [...parts, ...dropped]) sink.absorb(p.sink);
  const diagnostics = uniqueDiagnostics([...parts.flatMap((p) => p.diagnostics), ...droppedDiagnostics]);
  // each branch: its table(s), its own filters, and (without a threshold) its own projection; what every
  // branch does alike runs once after the union (hoist.ts)
  const own = queries.map((q, i): KqlQuery => ({ ...q, lets: [], tail: joined ? [joined.project[i]!] : threshold ? [] : q.tail }));
  const columnsOf = (logType: string, table: string): Record<string, string> | undefined => ctx.mapper.kqlColumns?.(logType, table) ?? sentinelTable(table);
  const hoisted = hoistUnion(
    own.map((q, i) => ({ query: q, tables: (q.tables ?? []).map((t) => columnsOf(kept[i]!.logType, t)) })),
    threshold,
  );
  const source = unionSource(hoisted.branches, ctx.templatesDir);
  // a union's column of one name and several types is split by Kusto into name_<type> columns: such a
  // column is not offered to the analytic rule (entities, custom details)
  const columns: KqlColumn[] = [];
  const kinds = new Map<string, string[]>();
  for (const c of hoisted.branches.flatMap((q) => q.columns)) kinds.set(c.name, [...(kinds.get(c.name) ?? []), c.kind]);
  // one type for sure: one branch has it, or every branch's is the same string, datetime or dynamic column
  const oneType = (name: string): boolean => {
    const ks = kinds.get(name)!;
    return ks.length === 1 || (new Set(ks).size === 1 && ks[0] !== 'typed');
  };
  for (const c of joined ? joined.columns : threshold ? hoisted.branches[0]!.columns : hoisted.branches.flatMap((q) => q.columns)) {
    if (!columns.some((x) => x.name === c.name) && (threshold || oneType(c.name))) columns.push(c);
  }
  const notes = [...new Set(parts.map((p) => p.tableNote).filter((n): n is string => !!n))];
  const first = parts[0]!;
  const header = [...first.header.slice(0, first.header.length - (first.tableNote ? 1 : 0)), ...notes.map(kqlComment)];
  return {
    sink,
    diagnostics,
    logType: first.logType,
    header,
    // the branches' declarations once, before the union
    query: { source, lets: [...new Set(queries.flatMap((q) => q.lets))], stages: [], where: hoisted.where, tail: threshold ? tail : hoisted.tail, columns },
    ...(notes.length ? { tableNote: notes.join('; ') } : {}),
    logTypes,
    reads: kept.map((p) => p.logType),
  };
}

function buildOne(rule: Rule, ctx: RenderContext, nnf: Nnf, target: string): KqlBuild {
  const sink = new ReasonSink(rule, target);
  const diagnostics: Diagnostic[] = [];
  const logType = rule.meta.logTypes[0] ?? '';
  sink.firstLogTypeOnly(rule.meta.logTypes, 'queried');
  const source = logType ? ctx.mapper.source(logType, 'kql') : undefined;
  const header = headerLines(rule.meta).map(kqlComment);
  // a table whose rows all hold a value of a field the condition rejects is left out (sources.kql.tableValues)
  const tables = keyedTables(kqlTables(source), source?.tableValues, nnf);
  if (tables.length === 0) {
    sink.add('unsupported-log-type', `log type ${logType || '(none)'} has no Sentinel table mapping`);
    return { sink, diagnostics, logType, header, query: null, logTypes: [logType] };
  }
  // a table the user ingests the raw JSON into, not one a connector ships: warned, as Logs Insights' not-native logs
  const tableNote = source?.custom
    ? `${tables[0]} is a custom-log table (inferred: no Sentinel connector ships ${logType}): its columns are assumed to be the log's top-level JSON keys, objects and lists dynamic`
    : undefined;
  if (tableNote) {
    diagnostics.push({
      severity: ctx.strict ? 'error' : 'warning',
      code: 'kql-custom-table',
      message: tableNote,
      file: rule.meta.file,
      hint: 'ingest the raw JSON into that table, or name the table that holds the log with --mapping FILE (sources.kql; mappings/README.md, "Custom-log tables")',
    });
  }
  const res = new FieldResolver(ctx.mapper, logType, 'kql', sink);
  const printer = new KqlPrinter(res, sink);
  // the isinstance tests the columns decide are folded (foldColumnTypes): so are the lift's pieces that stand only on such a type
  // (not where the rule reads the field with a default of that type, which Python sees where the field is missing)
  sink.holdsNo = (v, type) => {
    const d = fieldRef(v)?.default;
    return !(d !== undefined && pyIsInstance(d, type)) && printer.columnExcludes(v, type);
  };
  // the tests of a field the records never hold are Python's on a missing field (absent.ts); the reads
  // of a parsed JSON document carry the guards of Python's json.loads() (json.ts)
  const simple = kqlPasses(nnf, printer, ctx, logType, kqlImpliesStr(rule, ctx));
  printer.impliedValid = impliedValidity(simple);
  // the quantifiers over one list in one junction are one quantifier (mvapply.ts)
  // (a deep_walk ending on a list, read only by top-level any()s and truthiness: the list's field, common/walk.ts)
  const cond = printer.print(joinQuantifiers(walkLists(simple, res)));
  // a table shared with other log types: its rows of this one first (sources.kql.filter)
  const rows = (source?.filter ?? []).map((f) =>
    f.values.length === 1 ? `${kqlIdent(f.column)} == ${kqlString(f.values[0]!)}` : `${kqlIdent(f.column)} in (${f.values.map(kqlString).join(', ')})`,
  );
  // the condition simplified as KQL reads it, knowing the columns the query parses (`extend R = parse_json(s)`)
  // (and the equality tests of one string value in a junction written as one list test: lists.ts)
  if (cond.k === 'const' && cond.v && trueBySupersets(rule, simple, sink)) diagnostics.push(everyEventWarning(rule.meta.file));
  const top = (cond.k === 'const' && cond.v ? [] : outConjuncts(cond, kqlReading(parsedColumns(printer.stages), { held: true, counts: printer.counts }))).map(mergeLists);
  // the regex tests of one value in one junction are one test (regexjoin.ts)
  // (and their anchors written `^`/`$`: anchors.ts)
  const conds = [...rows.map(text), ...(top.length > 1 ? outConjuncts(joinRegexTests({ k: 'and', args: top })) : top.map(joinRegexTests)).map(compactRegexes)];

  // outputs: one projected column per distinct output
  const items: OutputItem[] = [];
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
    const kind: KqlColumn['kind'] = f.kind === 'string-column' ? 'string' : f.kind === 'dynamic' ? 'dynamic' : f.type === 'datetime' ? 'datetime' : 'typed';
    items.push({ name, expr: plainColumn ? name : f.raw, kind, output: o.name, path: r.path, source: o.source });
  }

  const tail: string[] = [];
  const columns: KqlColumn[] = [];
  const agg = rule.aggregation;
  let plan: ThresholdPlan | undefined;
  if (agg && agg.threshold > 1) {
    const caseKey = agg.groupBy.length === 0 && agg.keyCases ? keyCasesText(agg.keyCases, printer, sink, ctx, logType) : undefined;
    plan = thresholdTail(rule, res, sink, agg, items, columns, caseKey);
    tail.push(...plan.tail);
  } else {
    tail.push(`project ${['TimeGenerated', ...items.map((i) => (i.expr === i.name ? i.name : `${i.name} = ${i.expr}`))].join(', ')}`);
    columns.push({ name: 'TimeGenerated', kind: 'datetime' }, ...items.map(({ name, kind, output, path }) => ({ name, kind, output, path })));
  }
  // a list split twice or more is split once, and a test written twice or more is written once, each in
  // an extend the condition reads (names.ts)
  const reserved = [kqlSource(tables), ...printer.stages, ...tail, ...printer.lets.values()];
  const parts = nameRepeatedSplits(conds, reserved);
  const named = nameRepeatedTests(parts.conds, [...reserved, ...(parts.extend ? [parts.extend] : [])]);
  // a member read as a string twice or more is read once, before the named tests that read it
  const members = nameRepeatedMembers(named.conds, named.extend ? [named.extend] : [], [...reserved, ...(parts.extend ? [parts.extend] : [])]);
  const where0 = impliedLengths(members.conds.map((c) => printOut(c, KQL_SYNTAX)));
  const extend = [...(parts.extend ? [parts.extend] : []), ...(members.extend ? [members.extend] : []), ...members.texts];
  // the quantifiers over one array counted in one mv-apply (mvapply.ts)
  // (a count read only as a top-level `> 0` conjunct: a filtering mv-apply, existsStages)
  const applied = existsStages(liveStages(printer.stages, [...where0, ...extend, ...tail]), printer.applies, where0, [...extend, ...tail, ...printer.lets.values()]);
  const where = applied.where;
  const stages = [...applied.stages, ...extend, ...applied.filters];
  // a declaration only when the query still calls it (its literal may have been folded away)
  const lets = [...printer.lets].filter(([name]) => [...stages, ...where].some((t) => new RegExp(`\\b${name}\\(`).test(t))).map(([, decl]) => decl);
  const none = cond.k === 'const' && !cond.v;
  // a table none of whose rows can pass a test of a column it lacks is left out of the union
  const read = tables.length > 1 ? tablesWithColumns(tables, where, [...stages, ...lets], (t) => ctx.mapper.kqlColumns?.(logType, t) ?? sentinelTable(t)) : tables;
  return { sink, diagnostics, logType, header: tableNote ? [...header, kqlComment(tableNote)] : header, query: { source: kqlSource(read), tables: read, lets, stages, where, tail, columns }, ...(tableNote ? { tableNote } : {}), logTypes: [logType], ...(plan ? { plan } : {}), ...(none ? { none } : {}) };
}

/**
 * A condition as KQL reads it before printing: the tests of a field the records never hold are Python's on a
 * missing field (absent.ts), the isinstance tests the columns decide are folded (foldColumnTypes), and the
 * reads of a parsed JSON document carry the guards of Python's json.loads() (json.ts), simplified again where
 * those guards were added.
 */
function kqlPasses(n: Nnf, printer: KqlPrinter, ctx: RenderContext, logType: string, impliesStr?: (v: Val) => boolean): Nnf {
  const folded = printer.foldColumnTypes(foldAbsent(n, ctx.mapper, logType));
  const guarded = jsonGuards(folded);
  return guarded === folded ? folded : simplifyNnf(guarded, impliesStr ? { impliesStr } : {});
}

/**
 * A dedup string that depends on a condition (Aggregation.keyCases) as one KQL string expression:
 * `case(when1, text1, ..., textN)` (learn.microsoft.com/kusto/query/case-function: the value of the first
 * predicate that evaluates to true, else the last argument), each condition printed as the query's
 * conditions are (the passes of buildOne; a null condition is not true, as in `where`), each text by
 * `KqlPrinter.keyText`. The cases are ordered as case() reads them, and the last holds wherever no earlier
 * one does, so it needs no condition.
 * Null when a text cannot be written, or a condition needs a stage of its own (an mv-apply).
 */
function keyCasesText(cases: KeyCase[], printer: KqlPrinter, sink: ReasonSink, ctx: RenderContext, logType: string): string | null {
  const stages = printer.stages.length;
  const applies = printer.applies.size;
  const mark = sink.mark();
  const adds = sink.adds;
  const { pre, mid, post } = sharedParts(cases);
  const arms = keyArms(mid, printer, ctx, logType);
  const piece = (t: TitlePart): string | null => printer.keyText({ k: 'fn', fn: 'concat', args: ['text' in t ? { k: 'lit', v: t.text } : t.value] });
  const ends = [...pre, ...post].map(piece);
  // a piece printed with a reason (a condition replaced by its superset, a missing field read as "": one the
  // condition already stated counts too), or in a stage of its own: the key is not written (the caller declares it)
  if (!arms || ends.some((e) => e === null) || sink.adds !== adds || printer.stages.length !== stages || printer.applies.size !== applies) {
    sink.rollback(mark);
    return null;
  }
  const varying = arms.length === 1 ? arms[0]! : `case(${arms.join(', ')})`;
  if (ends.length === 0) return varying;
  return `strcat(${[...ends.slice(0, pre.length), varying, ...ends.slice(pre.length)].join(', ')})`;
}

/**
 * The pieces every case's text begins and ends with, written once around the case() of what differs
 * (`strcat(P, case(c1, M1, ..., Mn), S)` is `case(c1, strcat(P, M1, S), ...)`: P and S are the same text
 * whichever case holds), a leading or trailing literal text shared in part split at the shared part
 * (`"failed_login_"` of `"failed_login_" + x` and `"failed_login_unknown"`); a case left with no piece is "".
 */
function sharedParts(cases: KeyCase[]): { pre: TitlePart[]; mid: KeyCase[]; post: TitlePart[] } {
  let parts = cases.map((c) => c.parts);
  const pre: TitlePart[] = [];
  const post: TitlePart[] = [];
  if (cases.length < 2) return { pre, mid: cases, post };
  const shortest = (): number => Math.min(...parts.map((p) => p.length));
  // whole pieces
  while (shortest() > 0 && parts.every((p) => spanlessKey(p[0]!) === spanlessKey(parts[0]![0]!))) {
    pre.push(parts[0]![0]!);
    parts = parts.map((p) => p.slice(1));
  }
  while (shortest() > 0 && parts.every((p) => spanlessKey(p[p.length - 1]!) === spanlessKey(parts[0]![parts[0]!.length - 1]!))) {
    post.unshift(parts[0]![parts[0]!.length - 1]!);
    parts = parts.map((p) => p.slice(0, -1));
  }
  // a literal text each case begins (ends) with, shared in part
  const texts = (at: (p: TitlePart[]) => TitlePart | undefined): string[] | null => {
    const ts = parts.map(at);
    return ts.every((t): t is { text: string } => t !== undefined && 'text' in t) ? ts.map((t) => t.text) : null;
  };
  const heads = texts((p) => p[0]);
  if (heads) {
    let n = 0;
    while (n < heads[0]!.length && heads.every((h) => h[n] === heads[0]![n])) n++;
    if (n > 0) {
      pre.push({ text: heads[0]!.slice(0, n) });
      parts = parts.map((p) => {
        const t = (p[0] as { text: string }).text;
        return [...(t.length > n ? [{ text: t.slice(n) }] : []), ...p.slice(1)];
      });
    }
  }
  const tails = texts((p) => p[p.length - 1]);
  if (tails) {
    let n = 0;
    while (n < tails[0]!.length && tails.every((t) => t.length > n && t[t.length - 1 - n] === tails[0]![tails[0]!.length - 1 - n])) n++;
    if (n > 0) {
      const last = tails[0]!;
      post.unshift({ text: last.slice(last.length - n) });
      parts = parts.map((p) => {
        const t = (p[p.length - 1] as { text: string }).text;
        return [...p.slice(0, -1), ...(t.length > n ? [{ text: t.slice(0, t.length - n) }] : [])];
      });
    }
  }
  if (pre.length === 0 && post.length === 0) return { pre, mid: cases, post };
  return { pre, mid: cases.map((c, i) => ({ ...c, parts: parts[i]!.length > 0 ? parts[i]! : [{ text: '' }] })), post };
}

function keyArms(cases: KeyCase[], printer: KqlPrinter, ctx: RenderContext, logType: string): string[] | null {
  // case() reads an arm only where every earlier arm's condition is false: a disjunct of an arm's
  // condition that is an earlier condition (or one of its disjuncts) is false there and is left out
  // (`case(a, x, a or b, y, z)` is `case(a, x, b, y, z)`)
  const earlier = new Set<string>();
  const whens = cases.slice(0, -1).map((c) => {
    const nnf = conditionNnf(logType ? specializeLogType(c.when, logType) : c.when);
    const kept = nnf.k === 'or' ? nnf.args.filter((a) => !earlier.has(spanlessKey(a))) : [nnf];
    earlier.add(spanlessKey(nnf));
    for (const a of nnf.k === 'or' ? nnf.args : []) earlier.add(spanlessKey(a));
    return kept.length === 0 ? ({ k: 'const', v: false } as Nnf) : kept.length === 1 ? kept[0]! : ({ k: 'or', args: kept } as Nnf);
  });
  const arms: string[] = [];
  for (const [i, c] of cases.entries()) {
    const when = whens[i];
    // a field the arm's condition holds truthy or present is no None there: its text needs no "None"
    const value = printer.keyText({ k: 'fn', fn: 'concat', args: c.parts.map((p): Val => ('text' in p ? { k: 'lit', v: p.text } : p.value)) }, when ? printer.presentUnder(when) : undefined);
    if (value === null) return null;
    if (when) arms.push(printOut(printer.print(joinQuantifiers(kqlPasses(when, printer, ctx, logType))), { ...KQL_SYNTAX, wrap: undefined }));
    arms.push(value);
  }
  return arms;
}

/**
 * The source of a union of one query per log type: `union isfuzzy=true` and its branches, one a line; a
 * branch that only reads its table(s) is the table's name (a union's tables are each a source of the union,
 * learn.microsoft.com/kusto/query/union-operator, as the tables of a branch's own union are).
 */
export function unionSource(branches: KqlQuery[], templatesDir: string): string {
  const items = branches.flatMap((q) => {
    if (q.stages.length === 0 && q.where.length === 0 && q.tail.length === 0 && q.tables?.length) return q.tables.map(kqlIdent);
    const lines = kqlQueryText({ ...q, lets: [], where: joinWheres(q.where) }, templatesDir).trimEnd().split('\n');
    // a short branch on one line (`(T | where a)`), as long as it stays within the printer's width
    const one = `(${lines.join(' ')})`;
    if (lines.every((l) => !/^\s/.test(l)) && `    ${one},`.length <= KQL_SYNTAX.wrap.width) return [one];
    return [`(${lines.join('\n    ')})`];
  });
  return `union isfuzzy=true\n    ${items.join(',\n    ')}`;
}

/**
 * A union branch's consecutive `where` conditions written as one `where` of their conjunction, as long as
 * that stays one line of the printer's width (KQL_SYNTAX.wrap): `(T | where a | where b)` reads
 * `(T | where a and b)`. Consecutive filters keep the rows both keep (learn.microsoft.com/kusto/query/where-operator),
 * as one filter of the conjunction does; a condition joined is one line with no top-level `or` (`and` binds
 * tighter than `or`, and than nothing else: its operands need no parentheses).
 */
export function joinWheres(where: readonly string[]): string[] {
  const width = KQL_SYNTAX.wrap.width;
  const joinable = (c: string): boolean => {
    if (c.includes('\n')) return false;
    let or = false;
    return walk(c, KQL_LEX, (i) => {
      if (c.startsWith(' or ', i)) or = true;
    }) && !or;
  };
  const out: string[] = [];
  let prevJoinable = false;
  for (const c of where) {
    const ok = joinable(c);
    const last = out[out.length - 1];
    if (ok && prevJoinable && last !== undefined && `where ${last} and ${c}`.length <= width) out[out.length - 1] = `${last} and ${c}`;
    else out.push(c);
    prevJoinable = ok;
  }
  return out;
}

/**
 * A test false on every row that lacks its column: `C == "s"`, `C =~ "s"`, `C in (...)`/`in~` of non-empty
 * strings, `C contains/startswith/endswith/has "s"` (and their `_cs` forms) with `s` non-empty,
 * `isnotempty(C)`, `isnotnull(C)`. A union's row from a table without column C holds null there (an empty
 * string in a string column: learn.microsoft.com/kusto/query/union-operator, "Returns": the union of the
 * columns; null-values: a string is never null, its empty value is ""), on which each of these is false or
 * null: so the `where` keeps none of that table's rows. Its column, or null.
 */
const NON_EMPTY_STR = '"(?:[^"\\\\]|\\\\.)+"';
const REJECTS_MISSING = [
  new RegExp(`^([A-Za-z_][A-Za-z0-9_]*) (?:==|=~|contains|contains_cs|startswith|startswith_cs|endswith|endswith_cs|has|has_cs) ${NON_EMPTY_STR}$`),
  new RegExp(`^([A-Za-z_][A-Za-z0-9_]*) in~? \\(${NON_EMPTY_STR}(?:, ${NON_EMPTY_STR})*\\)$`),
  /^isnotempty\(([A-Za-z_][A-Za-z0-9_]*)\)$/,
  /^isnotnull\(([A-Za-z_][A-Za-z0-9_]*)\)$/,
];
export function columnRequired(cond: string): string | null {
  for (const re of REJECTS_MISSING) {
    const m = re.exec(cond);
    if (m) return m[1]!;
  }
  return null;
}

/**
 * The tables of a union a query still needs: a table whose columns are known and lack a column that one of
 * the query's `where` conjuncts requires (columnRequired) holds no row the query keeps, and is left out
 * (unless every table would be, or a stage or declaration names the column: an `extend` may define it).
 */
export function tablesWithColumns(tables: string[], where: readonly string[], texts: readonly string[], columnsOf: (t: string) => Record<string, string> | undefined): string[] {
  const needed = where.map(columnRequired).filter((c): c is string => c !== null && !texts.some((t) => new RegExp(`\\b${c}\\b`).test(t)));
  if (needed.length === 0) return tables;
  const kept = tables.filter((t) => {
    const cols = columnsOf(t);
    return !cols || needed.every((c) => c in cols);
  });
  return kept.length ? kept : tables;
}

/** The columns the stages define as `extend R = parse_json(s)`: R → s. */
export function parsedColumns(stages: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const st of stages) {
    const m = /^extend ([A-Za-z_][A-Za-z0-9_]*) = parse_json\((.*)\)$/s.exec(st);
    if (m && !m[2]!.includes('\n')) out.set(m[1]!, m[2]!);
  }
  return out;
}

/**
 * The `where` conjuncts without a length guard a stronger one implies: of `array_length(X) >= N` conjuncts
 * on one list (the guards of the pieces a condition reads, computed.ts), only the largest N holds anything
 * back, since every `where` must hold.
 */
export function impliedLengths(where: string[]): string[] {
  const LEN = /^array_length\(([A-Za-z_][A-Za-z0-9_]*)\) >= (\d+)$/;
  const most = new Map<string, number>();
  for (const w of where) {
    const m = LEN.exec(w);
    if (m) most.set(m[1]!, Math.max(most.get(m[1]!) ?? 0, Number(m[2])));
  }
  const kept = new Set<string>();
  return where.filter((w) => {
    const m = LEN.exec(w);
    if (!m) return true;
    if (Number(m[2]) !== most.get(m[1]!) || kept.has(m[1]!)) return false;
    kept.add(m[1]!);
    return true;
  });
}

/**
 * The stages the query reads: a stage that only adds a column (a truthiness `extend`, an `mv-apply` whose
 * subquery summarizes one row per row, so that no row is dropped) is left out when nothing after it reads
 * that column (the literal it served was folded away by the simplification of the printed condition).
 */
export function liveStages(stages: readonly string[], rest: readonly string[]): string[] {
  // an mv-apply's count is named after its element (`[with_itemindex=__qN_i] __qN = ...` ... `summarize __qN_n`),
  // also when quantifiers nested in its subquery summarize counts of their own
  const mvCount = (s: string): string | null => {
    const m = /^mv-apply (?:with_itemindex=\w+_i )?(\w+) = /.exec(s);
    return m ? `${m[1]}_n` : null;
  };
  const defines = (s: string): string | null => /^extend (\w+) = /.exec(s)?.[1] ?? mvCount(s);
  const live = [...stages];
  // from the last: a dropped stage may have been the only reader of an earlier one
  for (let i = live.length - 1; i >= 0; i--) {
    const name = defines(live[i]!);
    if (!name) continue;
    const word = new RegExp(`\\b${name}\\b`);
    const readers = [...live.slice(0, i), ...live.slice(i + 1), ...rest];
    if (!readers.some((t) => word.test(t))) live.splice(i, 1);
  }
  return live;
}

/** The query text through the `kql/query` template, after `header` comment lines (none for an embedded query). */
export function kqlQueryText(q: KqlQuery, templatesDir: string, header: string[] = []): string {
  return renderTemplate(templatesDir, 'kql', 'query', { header, lets: q.lets, table: q.source, stages: q.stages, where: q.where, tail: q.tail });
}

export const kqlTarget: Target = {
  name: 'kql',
  ext: 'kql',
  description: 'Microsoft Sentinel / Log Analytics KQL query',
  impliesStr: kqlImpliesStr,
  allLogTypes: true,
  routes: true,
  render(rule: Rule, ctx: RenderContext, nnf: Nnf, perLogType?: LogTypeCondition[]): TargetOutput {
    const { sink, diagnostics, header, query, logTypes } = buildKql(rule, ctx, nnf, 'kql', perLogType);
    const fidelity = sink.fidelity();
    if (!query) {
      const text = renderTemplate(ctx.templatesDir, 'kql', 'refused', {
        header: [...header, kqlComment(`fidelity: ${fidelity}`)],
        reasons: sink.reasons.map((r) => kqlComment(r.message)),
      });
      return { target: 'kql', ext: 'kql', text, fidelity, reasons: sink.all(), diagnostics };
    }
    const size = sizeNote(kqlQueryText(query, ctx.templatesDir));
    if (size) diagnostics.push(sizeWarning(size, rule.meta.file));
    const text = kqlQueryText(query, ctx.templatesDir, [...header, kqlComment(`fidelity: ${fidelity}`), ...reasonLines(sink.all()).map(kqlComment), ...(size ? [kqlComment(size)] : [])]);
    return { target: 'kql', ext: 'kql', text, fidelity, reasons: sink.all(), diagnostics, logTypes };
  },
};
