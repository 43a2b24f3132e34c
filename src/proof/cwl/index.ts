/**
 * Reference evaluator for CloudWatch Logs Insights queries: reads the artifact's text back and decides
 * whether its per-event part (the `filter` commands before `stats`) keeps a projected JSON event.
 *
 * Documented semantics (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/...):
 *   - CWL_QuerySyntax-Filter.html: `=`, `!=`, `<`, `<=`, `>`, `>=`, `and`, `or`, `not`; `in [...]` tests
 *     set membership, "the fields must be complete strings"; `not in`; `like` / `not like` with a quoted
 *     string match substrings; `like /re/`, `not like /re/` and `=~ /re/` match regular expressions
 *     (a substring match: `like /Exception/` returns events whose field *contains* it); matching is
 *     case-sensitive unless the pattern says `(?i)` (CWL_QuerySyntax.html, regex examples);
 *   - CWL_QuerySyntax-operations-functions.html: `ispresent(f)` is true if the field exists;
 *     `isempty(f)` if it is missing or an empty string; `isblank(f)` if missing, empty or only white
 *     space; `isIpInSubnet(f, "cidr")` (ip.ts);
 *   - each `filter` command narrows the events the previous command passed (commands are piped).
 * Not documented, and refused rather than guessed:
 *   - the regex flavour: patterns go through `compileTargetRegex(pattern, 'portable')` (only constructs
 *     every engine reads alike), which refuses the rest;
 *   - comparing a number with a string, ordering strings, anything compared with a boolean, string
 *     operators on numbers;
 *   - what a comparison yields on an absent field. Every event is evaluated under three readings: the
 *     comparison is false; it is false for `=`/`in`/`like` and true for `!=`/`not in`/`not like`; it is
 *     SQL's unknown (three-valued `not`, `and`, `or`; `filter` keeps only true). When the readings
 *     disagree on whether the event is kept, the evaluation refuses, naming the field. A positive
 *     comparison on an absent field drops the event under all three; a negated one guarded with
 *     `ispresent()` is decided; an unguarded `!=` on an absent field, or `not (...)` around a
 *     comparison of one, is not;
 *   - reads of fields the projection marks opaque (src/mapping/project/cwl.ts): empty containers, a
 *     container itself, JSON null when asked, an event with more fields than Logs Insights extracts.
 * A filter that decides "dropped" decides the event even when another filter could not be evaluated;
 * likewise a regex test the engines read differently on the value (src/proof/regex.ts) is undecided,
 * and an `and` with a false operand (an `or` with a true one) is still decided.
 */
import { compareSame } from '../compare.js';
import type { Json } from '../../ast/types.js';
import type { FieldMapper } from '../../mapping/types.js';
import { projectCwl, type CwlEvent, type CwlScalar } from '../../mapping/project/cwl.js';
import { compileTargetRegex } from '../regex.js';
import { Refusal, type CompiledArtifact, type TargetProof } from '../types.js';
import { ipInSubnet, parseCidr } from './ip.js';
import { stripComments, tokenize } from './lexer.js';
import { parseQuery, type Expr, type Operand } from './parse.js';

export type { CwlEvent } from '../../mapping/project/cwl.js';
export { parseQuery } from './parse.js';
export type { Expr, Command } from './parse.js';

/** How a comparison on an absent field reads (see the header). */
type Mode = 'false' | 'negTrue' | 'unknown';
const MODES: Mode[] = ['false', 'negTrue', 'unknown'];

/** A three-valued result, or an undecidable one with its reason. */
type R = boolean | null | { undecided: string };

interface Matcher {
  test(s: string): boolean;
}

interface Ctx {
  ev: CwlEvent;
  mode: Mode;
  absent: Set<string>;
  regex: Map<string, Matcher>;
}

const und = (why: string): R => ({ undecided: why });
const isUnd = (r: R): r is { undecided: string } => typeof r === 'object' && r !== null;

type Read = { present: true; v: CwlScalar } | { present: false; name: string } | { undecided: string };

function readField(ev: CwlEvent, name: string): Read {
  const v = ev.fields.get(name);
  if (v !== undefined && !ev.overLimit) return { present: true, v };
  const o = ev.opaque.get(name);
  if (o !== undefined) return { undecided: o };
  if (ev.containers.has(name)) {
    return { undecided: `field '${name}' is a JSON object or array in the log: whether Logs Insights exposes the container itself is undocumented` };
  }
  if (ev.overLimit) {
    return { undecided: `the log flattens into ${ev.overLimit.count} fields, more than the ${ev.overLimit.limit} Logs Insights extracts; which ones it keeps is undocumented` };
  }
  if (name.startsWith('@') && !name.startsWith('@@')) return { undecided: `the system field '${name}' is not projected` };
  return { present: false, name };
}

function operand(c: Ctx, o: Operand): Read {
  if (o.k === 'field') return readField(c.ev, o.name);
  return { present: true, v: o.v };
}

/** A comparison on an absent field, per reading. */
function onAbsent(c: Ctx, name: string, negated: boolean): R {
  c.absent.add(name);
  if (c.mode === 'false') return false;
  if (c.mode === 'negTrue') return negated;
  return null;
}

const typeName = (v: CwlScalar) => (typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : 'a boolean');

function evalExpr(c: Ctx, e: Expr): R {
  switch (e.k) {
    case 'and': {
      let acc: R = true;
      for (const a of e.args) {
        const r = evalExpr(c, a);
        if (r === false) return false;
        if (isUnd(r)) acc = isUnd(acc) ? acc : r;
        else if (r === null && !isUnd(acc)) acc = null;
      }
      return acc;
    }
    case 'or': {
      let acc: R = false;
      for (const a of e.args) {
        const r = evalExpr(c, a);
        if (r === true) return true;
        if (isUnd(r)) acc = isUnd(acc) ? acc : r;
        else if (r === null && !isUnd(acc)) acc = null;
      }
      return acc;
    }
    case 'not': {
      const r = evalExpr(c, e.e);
      if (isUnd(r) || r === null) return r;
      return !r;
    }
    case 'cmp': {
      const l = operand(c, e.l);
      const r = operand(c, e.r);
      if ('undecided' in l) return und(l.undecided);
      if ('undecided' in r) return und(r.undecided);
      if (!l.present) return onAbsent(c, l.name, e.op === '!=');
      if (!r.present) return onAbsent(c, r.name, e.op === '!=');
      const a = l.v;
      const b = r.v;
      if (typeof a === 'boolean' || typeof b === 'boolean') return und(`\`${e.op}\` with ${typeName(a)} and ${typeName(b)}: how booleans compare is undocumented`);
      if (typeof a !== typeof b) return und(`\`${e.op}\` between ${typeName(a)} and ${typeName(b)}: undocumented`);
      if (typeof a === 'string' && e.op !== '=' && e.op !== '!=') return und(`\`${e.op}\` between strings: the collation is undocumented`);
      return compareSame(e.op, a, b as typeof a) ?? und('an unknown operator');
    }
    case 'in': {
      const l = operand(c, e.l);
      if ('undecided' in l) return und(l.undecided);
      if (!l.present) return onAbsent(c, l.name, e.neg);
      const v = l.v;
      if (typeof v === 'boolean') return und('`in` on a boolean field: undocumented');
      const hit = e.list.some((x) => x === v);
      if (!hit && e.list.some((x) => typeof x !== typeof v)) return und(`\`in\` of ${typeName(v)} in a list holding other types: undocumented`);
      return e.neg ? !hit : hit;
    }
    case 'like': {
      const l = operand(c, e.l);
      if ('undecided' in l) return und(l.undecided);
      if (!l.present) return onAbsent(c, l.name, e.neg);
      const v = l.v;
      if (typeof v !== 'string') return und(`${e.re !== undefined ? 'a regex' : '`like`'} on ${typeName(v)}: how it is turned into text is undocumented`);
      let hit: boolean;
      if (e.str !== undefined) hit = v.includes(e.str);
      else {
        // engines that read the regex differently on this value leave this test undecided; a
        // sibling may still decide the condition (`... and not (f =~ /[\n...]$/)`)
        try {
          hit = c.regex.get(e.re!)!.test(v);
        } catch (x) {
          if (x instanceof Refusal) return und(x.what);
          throw x;
        }
      }
      return e.neg ? !hit : hit;
    }
    case 'call': {
      const r = readField(c.ev, e.field);
      if ('undecided' in r) return und(r.undecided);
      if (e.fn === 'ispresent') return r.present;
      if (!r.present) return true; // isempty/isblank: "the field is missing"
      if (typeof r.v !== 'string') return false; // present and not an (empty or blank) string
      if (e.fn === 'isempty') return r.v === '';
      if (r.v === '') return true;
      if (/^[ \t]+$/.test(r.v)) return true;
      if (/\S/u.test(r.v)) return false;
      return und(`isblank on ${JSON.stringify(r.v)}: which characters are white space is undocumented`);
    }
    case 'ipsub': {
      const r = readField(c.ev, e.field);
      if ('undecided' in r) return und(r.undecided);
      if (!r.present) return onAbsent(c, r.name, false);
      if (typeof r.v !== 'string') return und(`isIpInSubnet on ${typeName(r.v)}: undocumented`);
      try {
        return ipInSubnet(r.v, parseCidr(e.cidr));
      } catch (x) {
        if (x instanceof Refusal) return und(x.what);
        throw x;
      }
    }
  }
}

/** Whether one `filter` keeps the event: decided under every reading of absent fields, or undecided. */
function filterKeeps(ev: CwlEvent, e: Expr, regex: Map<string, Matcher>): boolean | { undecided: string } {
  const kept: boolean[] = [];
  const absent = new Set<string>();
  for (const mode of MODES) {
    let r: R;
    try {
      r = evalExpr({ ev, mode, absent, regex }, e);
    } catch (x) {
      if (x instanceof Refusal) return { undecided: x.what };
      throw x;
    }
    if (isUnd(r)) return r;
    kept.push(r === true);
  }
  if (kept.every((k) => k === kept[0])) return kept[0]!;
  return {
    undecided: `what a negated comparison (or \`not\` around a comparison) does on the absent field${absent.size > 1 ? 's' : ''} ${[...absent].map((a) => `'${a}'`).join(', ')} decides the result, and is undocumented`,
  };
}

function collectRegexes(e: Expr, out: Set<string>): void {
  switch (e.k) {
    case 'and':
    case 'or':
      e.args.forEach((a) => collectRegexes(a, out));
      return;
    case 'not':
      collectRegexes(e.e, out);
      return;
    case 'like':
      if (e.re !== undefined) out.add(e.re);
      return;
    default:
      return;
  }
}

export interface CwlCompiled extends CompiledArtifact<CwlEvent> {
  /** The per-event filters, in order. */
  filters: Expr[];
}

/** `# query i of n: <log type>`: the line opening one query of a file of one query per log type. */
const MARKER = /^# query (\d+) of (\d+): (.+)$/;

/**
 * Read a Logs Insights artifact back: one query, or one query per log type (each under its marker line,
 * src/targets/cwl/index.ts `cwlQueryMarker`), of which an event is read by its own log type's. Throws
 * `Refusal` for anything outside the subset.
 */
export function compileCwl(text: string): CwlCompiled {
  const lines = text.split(/\r?\n/);
  // a marker opens its query: the line after it is the query's first (a comment line of the header, such
  // as a description that happens to read like a marker, is followed by another comment line)
  const marks = lines.flatMap((l, i) => {
    const m = MARKER.exec(l);
    return m && !/^\s*#/.test(lines[i + 1] ?? '#') ? [{ at: i, i: Number(m[1]), n: Number(m[2]), logType: m[3]! }] : [];
  });
  if (marks.length === 0) return compileOne(text);
  const n = marks.length;
  if (marks.some((m, k) => m.i !== k + 1 || m.n !== n) || new Set(marks.map((m) => m.logType)).size !== n) {
    throw new Refusal('Logs Insights: the query markers are not numbered 1..n with distinct log types');
  }
  if (lines.slice(0, marks[0]!.at).some((l) => l.trim() !== '' && !/^\s*#/.test(l))) throw new Refusal('Logs Insights: a query before the first query marker');
  const parts = marks.map((m, k) => ({ logType: m.logType, q: compileOne(lines.slice(m.at + 1, k + 1 < n ? marks[k + 1]!.at : lines.length).join('\n')) }));
  const out: CwlCompiled = {
    filters: parts.flatMap((p) => p.q.filters),
    matches(ev: CwlEvent): boolean {
      const part = parts.find((p) => p.logType === ev.logType);
      if (!part) throw new Refusal(`Logs Insights: no query of the file is for log type ${ev.logType ?? '(unknown)'}`);
      return part.q.matches(ev);
    },
  };
  const aggs = parts.filter((p) => p.q.aggregation).map((p) => `${p.logType}: ${p.q.aggregation}`);
  if (aggs.length) out.aggregation = aggs.join('; ');
  return out;
}

/** Read one Logs Insights query back. */
function compileOne(text: string): CwlCompiled {
  const src = stripComments(text);
  const cmds = parseQuery(tokenize(src), src);
  const filters: Expr[] = [];
  const aggregation: string[] = [];
  let afterStats = false;
  for (const cmd of cmds) {
    if (cmd.name === 'stats') {
      if (afterStats) throw new Refusal('a second `stats` command');
      afterStats = true;
      aggregation.push(cmd.text);
    } else if (cmd.name === 'filter') {
      if (afterStats) aggregation.push(cmd.text);
      else filters.push(cmd.expr!);
    } else if (cmd.name === 'sort' && afterStats) {
      aggregation.push(cmd.text);
    }
  }
  const res = new Set<string>();
  filters.forEach((f) => collectRegexes(f, res));
  const regex = new Map<string, Matcher>();
  for (const re of res) regex.set(re, compileTargetRegex(re, 'portable'));
  const out: CwlCompiled = {
    filters,
    matches(ev: CwlEvent): boolean {
      let undecided: string | undefined;
      for (const f of filters) {
        const k = filterKeeps(ev, f, regex);
        if (k === false) return false;
        if (k !== true) undecided ??= k.undecided;
      }
      if (undecided !== undefined) throw new Refusal(undecided);
      return true;
    },
  };
  if (aggregation.length) out.aggregation = aggregation.join(' | ');
  return out;
}

export const cwlProof: TargetProof<CwlEvent> = {
  targets: ['cwl'],
  project(log: Json, logType: string, mapper: FieldMapper): CwlEvent {
    return projectCwl(log, logType, mapper);
  },
  compile(text: string): CompiledArtifact<CwlEvent> {
    return compileCwl(text);
  },
};
