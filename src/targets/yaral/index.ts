/**
 * Google SecOps (Chronicle) YARA-L 2.0 target: one rule per Panther rule.
 */
import type { Rule } from '../../ast/types.js';
import { pathText, type PathSeg } from '../../ast/view.js';
import { dedupKeyFields } from '../common/dedup.js';
import { ReasonSink } from '../common/fidelity.js';
import { FieldResolver } from '../common/fields.js';
import { everyEventWarning, trueBySupersets, mitre, oneLine, provenance, reasonLines, RISK_SCORE, severity, sizeNote, sizeWarning, title } from '../common/meta.js';
import { atomValue, type Nnf } from '../common/nnf.js';
import { splitTested } from '../common/split.js';
import { stripRead } from '../common/strip.js';
import { and, or, printOut } from '../common/out.js';
import { simplifyInContext } from '../common/outctx.js';
import { renderTemplate } from '../common/template.js';
import type { Diagnostic, LogTypeCondition, RenderContext, Target, TargetOutput } from '../types.js';
import { yaralIdent, yaralMetaString, yaralString, yaralUdmOk } from './escape.js';
import { YaralPrinter } from './printer.js';
import { planOutcomes, type MatchKey, type OutputField } from './outcomes.js';
import { joinChoices, regexLiterals, scalarField, tidyRegexes, yaralReading } from './tidy.js';

const SYNTAX = { and: ' and ', or: ' or ', true: 'true', false: 'false', parenthesiseAll: true };
const SEVERITY_NAME = { info: 'Informational', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' } as const;
/** YARA-L match windows: 1 minute to 48 hours. */
const MAX_WINDOW = 48 * 60;
const MAX_OUTCOMES = 20;

export const yaralTarget: Target = {
  name: 'yaral',
  ext: 'yaral',
  description: 'Google SecOps (Chronicle) YARA-L 2.0 rule',
  allLogTypes: true,
  render(rule: Rule, ctx: RenderContext, nnf: Nnf, perLogType?: LogTypeCondition[]): TargetOutput {
    const sink = new ReasonSink(rule, 'yaral');
    const diagnostics: Diagnostic[] = [];
    const meta = rule.meta;
    // several log types: one `or` over the events of those with a base filter (each its base filter and
    // its condition), when a threshold groups by the same UDM fields on each; one of them alone where it is
    // the only one with a base filter; else the first log type alone. A log type without a base filter is
    // left out, said so (it is no reason to refuse the others)
    const covered = perLogType && perLogType.length > 1 ? perLogType.filter((p) => baseFilter(ctx, p.logType).length > 0) : [];
    const all = covered.length > 1 && sameKeys(rule, ctx, covered) ? covered : null;
    const alone = !all && covered.length === 1 ? covered[0]! : null;
    if (all || alone) {
      const left = perLogType!.filter((p) => !(all ?? [alone!]).includes(p)).map((p) => p.logType);
      if (left.length > 0) sink.add('target-log-type-left-out', `log type${left.length > 1 ? 's' : ''} ${left.join(', ')} ha${left.length > 1 ? 've' : 's'} no UDM base filter mapping: the rule covers ${(all ?? [alone!]).map((p) => p.logType).join(', ')} only`, 'narrower');
    } else sink.firstLogTypeOnly(meta.logTypes, 'covered');
    // the log type whose fields name the outputs and threshold keys (the same UDM fields on each under `all`)
    const logType = (all ?? [])[0]?.logType ?? alone?.logType ?? meta.logTypes[0] ?? '';
    if (alone) nnf = alone.cond;
    const name = yaralIdent(meta.id);
    const base = baseFilter(ctx, logType);
    if (base.length === 0) {
      sink.add('unsupported-log-type', `log type ${logType || '(none)'} has no UDM base filter mapping`);
      const text = renderTemplate(ctx.templatesDir, 'yaral', 'refused', {
        header: [provenance(meta), title(meta), `rule ${name}`, `fidelity: ${sink.fidelity()}`].map(oneLine),
        reasons: sink.reasons.map((r) => oneLine(r.message)),
      });
      return { target: 'yaral', ext: 'yaral', text, fidelity: sink.fidelity(), reasons: sink.all(), diagnostics };
    }

    // a base filter whose ingestion label also carries other kinds of events selects those too (declared)
    for (const lt of all ? all.map((p) => p.logType) : [logType]) {
      const shared = ctx.mapper.source(lt, 'yaral')?.shared;
      if (shared) {
        const filter = baseFilter(ctx, lt).map((b) => `${b.field} = "${b.value}"`).join(' and ');
        sink.add('target-shared-base-filter', `the base filter of ${lt} (${filter}) also selects ${shared}`, 'wider');
      }
    }

    // a custom log type (no Chronicle parser of its own named): the user's parser writes the raw fields by
    // the stated convention; warned, as KQL's custom-log tables are (an error with --strict)
    const custom = (all ? all.map((p) => p.logType) : [logType]).filter((lt) => ctx.mapper.source(lt, 'yaral')?.custom);
    const customNote = custom.length > 0 ? customLogTypeNote(ctx, custom) : null;
    if (customNote) {
      diagnostics.push({
        severity: ctx.strict ? 'error' : 'warning',
        code: 'yaral-custom-log-type',
        message: customNote,
        file: meta.file,
        hint: 'create that custom log type with a parser that follows the convention, or name the parser that reads the log with --mapping FILE (sources.yaral; mappings/README.md, "Custom log types")',
      });
    }

    const res = new FieldResolver(ctx.mapper, logType, 'yaral', sink);
    const branches = all ? all.map((p) => eventLines(new FieldResolver(ctx.mapper, p.logType, 'yaral', sink), sink, baseFilter(ctx, p.logType), p.cond)) : [];
    // log types whose events read the same (one ingestion label, one condition): that one branch's statements
    const oneBranch = branches.length > 0 && branches.every((b) => b.join('\n') === branches[0]!.join('\n'));
    const events: string[] = all ? (oneBranch ? [...branches[0]!] : [logTypeBranches(branches)]) : eventLines(res, sink, base, nnf);
    // nothing but the base filter: every event of the log type, where pieces were replaced by their supersets
    if (!all && events.length === base.length && trueBySupersets(rule, nnf, sink)) diagnostics.push(everyEventWarning(meta.file));

    // threshold: match variables + #e >= N
    let match: string | null = null;
    let conditionText = '$e';
    const agg = rule.aggregation;
    let keys: MatchKey[] = [];
    if (agg && agg.threshold > 1) {
      // a match variable is named after the key (as the placeholders of
      // https://cloud.google.com/chronicle/docs/yara-l/match-syntax, `$user over 5m`): the last name of its
      // path (`$arn` for userIdentity.arn), the whole path where another key ends with that name too or an
      // output has it (planOutcomes names a key after the output that reads its field), `key_` before it
      // where an output has that name as well; one match variable per key field
      const outNames = new Set(rule.outputs.map((o) => yaralIdent(o.name, 'o_')));
      const taken = (n: string): boolean => outNames.has(n) || n === 'risk_score' || n === 'log_type';
      const bound = dedupKeyFields(rule, sink, res, (m, path) => (yaralUdmOk(m.name) ? { path, field: `$e.${m.name}` } : null));
      const uniq = bound.filter((k, i) => bound.findIndex((x) => x.field === k.field) === i);
      const leafOf = (path: PathSeg[]): string => yaralIdent(String([...path].reverse().find((s) => typeof s === 'string') ?? pathText(path)), 'k_');
      for (const k of uniq) {
        const leaf = leafOf(k.path);
        const full = yaralIdent(pathText(k.path), 'k_');
        const base = !taken(leaf) && !uniq.some((x) => x !== k && leafOf(x.path) === leaf) ? leaf : !taken(full) ? full : yaralIdent(`key_${pathText(k.path)}`, 'k_');
        let v = base;
        for (let i = 2; keys.some((x) => x.variable === `$${v}`); i++) v = `${base}_${i}`;
        keys.push({ variable: `$${v}`, field: k.field });
      }
      if (keys.length === 0) {
        keys.push({ variable: '$log_type', field: '$e.metadata.log_type' });
        if (all) sink.add('target-threshold-split', `the threshold is counted per metadata.log_type (${all.map((p) => p.logType).join(', ')}); Panther counts the events of all of them together`, 'narrower');
      }
      let win = Math.max(1, Math.round(agg.windowMinutes));
      if (win > MAX_WINDOW) {
        sink.add('target-threshold-window', `a ${win}m window exceeds YARA-L's 48h maximum; 48h is used`, 'narrower');
        win = MAX_WINDOW;
      }
      sink.add('target-threshold-window', `threshold counted over ${win}m hop windows, not Panther's dedup window that opens at the first event`);
      match = `over ${win}m`;
      conditionText = `#e >= ${Math.trunc(agg.threshold)}`;
    }

    const sev = severity(meta);
    const names = new Set(['$risk_score', ...keys.map((k) => k.variable)]);
    const outputs: OutputField[] = [];
    for (const o of rule.outputs) {
      const r = res.output(o.name, o.value, diagnostics);
      if (!r) continue;
      const path = r.mapped.name + (r.mapped.sub ?? []).map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
      if (!yaralUdmOk(path)) {
        diagnostics.push({ severity: 'warning', code: 'output-unmapped', message: `output ${o.name}: UDM path ${path} cannot be written` });
        continue;
      }
      let v = '$' + yaralIdent(o.name, 'o_');
      for (let i = 2; names.has(v); i++) v = '$' + yaralIdent(`${o.name}_${i}`, 'o_');
      names.add(v);
      outputs.push({ name: o.name, variable: v, field: `$e.${path}`, fallback: !!r.mapped.fallback || !!r.mapped.convention, container: res.onlyContainer(r.path) });
    }
    const plan = planOutcomes(outputs, keys, match !== null, diagnostics);
    for (const k of plan.keys) events.push(`${k.variable} = ${k.field}`);
    if (match !== null) match = `${plan.keys.map((k) => k.variable).join(', ')} ${match}`;
    const allowZero = match !== null && !plan.keys.every((k) => neverZero(k.field, events));
    const outcomes: { name: string; expr: string }[] = [{ name: '$risk_score', expr: String(RISK_SCORE[sev]) }];
    for (const o of plan.outcomes) {
      if (outcomes.length >= MAX_OUTCOMES) {
        diagnostics.push({ severity: 'warning', code: 'output-limit', message: `output ${o.variable.slice(1)} left out: YARA-L allows ${MAX_OUTCOMES} outcome variables` });
        continue;
      }
      // array_distinct is valid for scalar and repeated fields, with or without a match section; a rule
      // without one reads one event, whose field that is not repeated is one value, written as is
      // a field the events section fixes is that value: in a rule with `match` one value where
      // array_distinct would give a one-element list; in one without, the same value, written where shorter
      const fixed = fixedValue(o.field, events);
      const expr = match === null && scalarField(o.field) ? o.field : `array_distinct(${o.field})`;
      outcomes.push({ name: o.variable, expr: fixed !== null && (match !== null || fixed.length < expr.length) ? fixed : expr });
    }

    const fidelity = sink.fidelity();
    const m = mitre(meta);
    const metaItems: { key: string; value: string }[] = [
      { key: 'author', value: yaralMetaString('panther-transpile') },
      { key: 'rule_name', value: yaralMetaString(title(meta)) },
      { key: 'description', value: yaralMetaString(oneLine(meta.description ?? title(meta))) },
      { key: 'panther_rule_id', value: yaralMetaString(meta.id) },
      ...(meta.version ? [{ key: 'panther_version', value: yaralMetaString(meta.version) }] : []),
      { key: 'source', value: yaralMetaString(provenance(meta)) },
      { key: 'severity', value: yaralMetaString(SEVERITY_NAME[sev]) },
      ...(m.some((x) => x.tacticName) ? [{ key: 'mitre_attack_tactic', value: yaralMetaString([...new Set(m.map((x) => x.tacticName).filter(Boolean))].join(', ')) }] : []),
      ...(m.some((x) => x.technique) ? [{ key: 'mitre_attack_technique', value: yaralMetaString([...new Set(m.map((x) => x.technique).filter(Boolean))].join(', ')) }] : []),
      ...(meta.reference ? [{ key: 'reference', value: yaralMetaString(meta.reference) }] : []),
      { key: 'fidelity', value: yaralMetaString(fidelity) },
      ...(customNote ? [{ key: 'custom_log_type', value: yaralMetaString(customNote) }] : []),
      ...reasonLines(sink.all()).map((r, i) => ({ key: `fidelity_reason_${i + 1}`, value: yaralMetaString(r) })),
    ];
    const size = sizeNote(events.join('\n'));
    if (size) {
      metaItems.push({ key: 'review_note', value: yaralMetaString(size) });
      diagnostics.push(sizeWarning(size, meta.file));
    }
    const text = renderTemplate(ctx.templatesDir, 'yaral', 'rule', {
      name,
      meta: metaItems,
      events,
      match,
      allowZero,
      outcomes,
      condition: conditionText,
    });
    return { target: 'yaral', ext: 'yaral', text, fidelity, reasons: sink.all(), diagnostics, ...(all || alone ? { logTypes: (all ?? [alone!]).map((p) => p.logType) } : {}) };
  },
};

/**
 * Is the match variable's field never its zero value on an event the events section keeps? So where a
 * statement of the section (each must hold: "the events section's lines are ANDed") fixes that field, not
 * repeated, to a non-empty string (`$e.metadata.log_type = "AWS_CLOUDTRAIL"`, the base filter) or to
 * anything but `""`. Then `allow_zero_values = true`, which only stops the rule from implicitly
 * filtering out the zero values of the placeholders its match section uses
 * (https://cloud.google.com/chronicle/docs/yara-l/options-syntax, "allow_zero_values option";
 * https://cloud.google.com/chronicle/docs/yara-l/match-syntax, "Zero values in the match section"),
 * changes nothing, and is left out (src/proof/yaral/eval.ts filters them without it).
 */
export function neverZero(field: string, events: string[]): boolean {
  if (!scalarField(field)) return false;
  return events.some((e) => e.startsWith(`${field} `) && /^ (?:= "(?:[^"\\]|\\.)+"|!= "")$/.test(e.slice(field.length)));
}

/**
 * The string an events statement fixes the field to, where one does: a statement `$e.<f> = "<v>"` (each
 * statement must hold: "the events section's lines are ANDed") on a field that is not repeated, compared
 * without `nocase`, so every event the rule keeps holds exactly `"<v>"` there. An outcome reading that
 * field is then that string: the value of the field on the one event of a rule without `match`, and the
 * one value `array_distinct` would collect, as a one-element list, over the events of a detection in a
 * rule with one (as a match variable is returned once per detection, outcomes.ts). An outcome is
 * "assigned a value by an expression", a constant as `$risk_score = 50` is
 * (https://cloud.google.com/chronicle/docs/yara-l/outcome-syntax, "Define the outcome section").
 */
export function fixedValue(field: string, events: string[]): string | null {
  if (!scalarField(field)) return null;
  for (const e of events) {
    if (!e.startsWith(`${field} = "`)) continue;
    const v = e.slice(field.length + 3);
    if (/^"(?:[^"\\]|\\.)*"$/.test(v)) return v;
  }
  return null;
}

/** The condition false on every event (written when the rule's condition is always false). */
const NEVER = `$e.metadata.id = "" and $e.metadata.id != ""`;

/**
 * The events of several log types as one statement, `(A) or (B) ...`, each branch a log type's base
 * filter and condition. A branch whose condition is always false (`NEVER`, said by its reason) selects
 * no event and is left out (`x or false` is `x`), unless every branch is.
 */
export function logTypeBranches(branches: string[][]): string {
  const live = branches.filter((b) => !b.includes(NEVER));
  // log types sharing one base filter (one ingestion label) whose conditions read the same: one branch (`A or A` is A)
  const texts = [...new Set((live.length > 0 ? live : branches).map((b) => b.join(' and ')))];
  return `(\n        ${texts.map((t) => `(${t})`).join('\n        or ')}\n    )`;
}

/**
 * What the rule assumes of the custom log types it reads (mappings/README.md, "Custom log types"): their
 * names, and the convention their parser follows. Said in the rule's meta and in the warning.
 */
function customLogTypeNote(ctx: RenderContext, logTypes: string[]): string {
  const names = logTypes.map((lt) => baseFilter(ctx, lt).map((b) => b.value).join('/') + ` (${lt})`);
  const many = logTypes.length > 1;
  return `${names.join(', ')}: ${many ? 'custom log types' : 'custom log type'} (inferred: the mappings name no Chronicle default parser for ${many ? 'them' : 'it'}); ${many ? 'their parsers are' : 'its parser is'} assumed to keep each raw scalar field in additional.fields under its dotted path`;
}

/** A log type's base filter (the UDM fields its events carry), as the rule can write it. */
function baseFilter(ctx: RenderContext, logType: string): { field: string; value: string }[] {
  const src = logType ? ctx.mapper.source(logType, 'yaral') : undefined;
  return (src?.baseFilter ?? []).filter((b) => yaralUdmOk(b.field) && yaralString(b.value) !== null);
}

/** The events statements of one log type: its base filter, then its condition (one statement per conjunct). */
function eventLines(res: FieldResolver, sink: ReasonSink, base: { field: string; value: string }[], nnf: Nnf): string[] {
  // a computed value's regex test written twice (YaralPrinter.computedRegexes) is printed again as its
  // declared superset; the first print reports into a scratch sink. It is only made when a literal of the
  // condition is such a test (a split or rstrip() read, the only literals that add to computedRegexes):
  // otherwise none is written twice and the print that counts is the only one (it was ~40% of eventLines)
  const printer = new YaralPrinter(res, sink);
  if (readsComputed(nnf)) {
    const scratch = new ReasonSink(sink.rule, 'yaral');
    const first = new YaralPrinter(new FieldResolver(res.mapper, res.logType, 'yaral', scratch), scratch);
    first.print(nnf);
    const seen = new Set<string>();
    printer.avoid = new Set(first.computedRegexes.filter((k) => seen.has(k) || !seen.add(k)));
  }
  const cond = printer.print(nnf);
  const events: string[] = base.map((b) => `$e.${b.field} = ${yaralString(b.value)}`);
  if (cond.k === 'const') {
    if (!cond.v) {
      sink.add('unsupported-constant-condition', 'the condition is always false');
      events.push(NEVER);
    }
  } else {
    // simplified in the context of its own tests as YARA-L reads them, regexes joined per field (tidy.ts)
    const s = simplifyInContext(cond, yaralReading(cond), { and, or });
    if (!(s !== cond && s.k === 'const' && s.v)) {
      const t = regexLiterals(tidyRegexes(joinChoices(s)));
      events.push(...(t.k === 'and' ? t.args : [t]).map((c) => printOut(c, SYNTAX, 'and')));
    }
  }
  return events;
}

/**
 * Whether a literal of `n` (quantifier bodies included) tests a piece of a split or an rstrip(): the literals
 * YaralPrinter writes through splitLit and stripLit (common/printer.ts computedLiteral asks splitTested, then
 * stripTested, which needs stripRead), the only ones that add to its computedRegexes. Each shared node once.
 */
function readsComputed(n: Nnf, seen = new Set<Nnf>()): boolean {
  if (seen.has(n)) return false;
  seen.add(n);
  switch (n.k) {
    case 'lit':
      return splitTested(n.atom) !== null || stripRead(atomValue(n.atom)) !== null;
    case 'and':
    case 'or':
      return n.args.some((a) => readsComputed(a, seen));
    case 'quant':
      return readsComputed(n.body, seen);
    default:
      return false;
  }
}

/**
 * Whether one rule can cover every log type: each has a base filter (its events told apart from the
 * others'), and a threshold's grouping keys are the same UDM fields on each (one match variable each).
 */
/** Whether a threshold groups by the same UDM fields on each log type (no threshold: true). */
function sameKeys(rule: Rule, ctx: RenderContext, perLogType: LogTypeCondition[]): boolean {
  const agg = rule.aggregation;
  if (!agg || agg.threshold <= 1) return true;
  const keysOf = (lt: string): string => {
    const scratch = new ReasonSink(rule, 'yaral');
    const res = new FieldResolver(ctx.mapper, lt, 'yaral', scratch);
    return JSON.stringify(dedupKeyFields(rule, scratch, res, (m) => (yaralUdmOk(m.name) ? m.name : null)));
  };
  const first = keysOf(perLogType[0]!.logType);
  return perLogType.every((p) => keysOf(p.logType) === first);
}
