/**
 * Soundness beyond the rule's own tests: an artifact its target calls `exact` (and proven on the tests) is run
 * on the rule's test logs with one field taken away at a time, and must decide as the lifted rule does. A
 * missing field is the commonest way real events differ from test logs, and the case a target is most likely
 * to read differently (a null, an empty string, an absent column, a list read with a default). The lifted rule
 * (src/ast/evaluate.ts, Python's semantics, itself proven on the tests) is the reference; a mutant on which it
 * raises, or which the target's evaluator refuses, is skipped. `scripts/mutation-check.mjs` runs it over a
 * rule tree; the suite over rules/.
 */
import type { Json, Rule } from '../ast/types.js';
import { evalPred } from '../ast/evaluate.js';
import { PyError } from '../python/semantics.js';
import { ruleMapper } from '../mapping/custom.js';
import type { FieldMapper } from '../mapping/types.js';
import type { TargetOutput } from '../targets/types.js';
import { proofFor } from './index.js';
import { Refusal } from './types.js';

/**
 * How a test log is changed, one key at a time: `remove` takes the key away; `empty` writes its value's empty
 * form (`""`, `[]`, `{}`; not where the mapping says a string is never empty); `null` writes JSON null (Python
 * reads None, not a `get()` default); `case` writes a string value in upper case (and, where that is the same
 * text, in lower case).
 */
export type MutantKind = 'remove' | 'empty' | 'case' | 'null';
/**
 * The kinds `test --mutants` and the suite run. `null` is asked for by name (`scripts/mutation-check.mjs --kinds`):
 * some renderings rest on what the tests show of JSON nulls (Logs Insights' reading of a key spelled two ways
 * assumes no null beside the other spelling, src/targets/README.md `target-key-case`), which a null mutant breaks.
 */
export const MUTANT_KINDS: readonly MutantKind[] = ['remove', 'empty', 'case'];

export interface MutantDisagreement {
  target: string;
  test: string;
  kind: MutantKind;
  /** The dotted path of the key changed. */
  removed: string;
  python: boolean;
  artifact: boolean;
}

export interface MutantReport {
  /** Mutants both sides decided. */
  decided: number;
  /** Mutants on which Python raises or the evaluator refuses. */
  skipped: number;
  disagreements: MutantDisagreement[];
}

type Obj = { [k: string]: Json };
const isObj = (v: Json | undefined): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every key path of a log (through objects; lists kept whole), outermost first; Panther's own `p_` keys left out. */
export function keyPaths(v: Json, pre: string[] = [], out: string[][] = []): string[][] {
  if (!isObj(v)) return out;
  for (const k of Object.keys(v)) {
    if (pre.length === 0 && k.startsWith('p_')) continue;
    out.push([...pre, k]);
    keyPaths(v[k] as Json, [...pre, k], out);
  }
  return out;
}

/** A copy of `log` without the key at `path`. */
export function withoutKey(log: Json, path: string[]): Json {
  const copy = structuredClone(log);
  let o = copy as Obj;
  for (const k of path.slice(0, -1)) o = o[k] as Obj;
  delete o[path[path.length - 1]!];
  return copy;
}

/** A copy of `log` with `f` of the value at `path` there, or null where `f` gives nothing new. */
function withValue(log: Json, path: string[], f: (v: Json) => Json | undefined): Json | null {
  let v: Json = log;
  for (const k of path) v = (v as Obj)[k] as Json;
  const to = f(v);
  if (to === undefined || JSON.stringify(to) === JSON.stringify(v)) return null;
  const copy = structuredClone(log);
  let o = copy as Obj;
  for (const k of path.slice(0, -1)) o = o[k] as Obj;
  o[path[path.length - 1]!] = to;
  return copy;
}

/** The mutants of one kind at one key (none where the kind does not apply). */
function mutants(log: Json, path: string[], kind: MutantKind, neverEmpty: boolean): Json[] {
  if (kind === 'remove') return [withoutKey(log, path)];
  if (kind === 'null') {
    const m = withValue(log, path, () => null);
    return m === null ? [] : [m];
  }
  if (kind === 'empty') {
    const m = withValue(log, path, (v) => (typeof v === 'string' ? (neverEmpty ? undefined : '') : Array.isArray(v) ? [] : isObj(v) ? {} : undefined));
    return m === null ? [] : [m];
  }
  const upper = withValue(log, path, (v) => (typeof v === 'string' ? v.toUpperCase() : undefined));
  if (upper !== null) return [upper];
  const lower = withValue(log, path, (v) => (typeof v === 'string' ? v.toLowerCase() : undefined));
  return lower === null ? [] : [lower];
}

/** The lifted rule on an event: true or false, or undefined where Python raises. */
function python(rule: Rule, event: Json): boolean | undefined {
  try {
    return evalPred(rule.condition, { event, elems: [] });
  } catch (e) {
    if (e instanceof PyError) return undefined;
    throw e;
  }
}

/**
 * Run an exact artifact on the rule's test logs changed at one key at a time (`kinds`, by default `remove`;
 * tests with mocks, and tests of a log type the artifact does not read, left out), against the lifted rule.
 * `maxPaths` bounds the keys changed per test log.
 */
export function checkMutants(out: TargetOutput, rule: Rule, mapper: FieldMapper, opts: { maxPaths?: number; kinds?: readonly MutantKind[] } = {}): MutantReport | undefined {
  const maxPaths = opts.maxPaths ?? Infinity;
  const kinds = opts.kinds ?? ['remove'];
  const proof = proofFor(out.target);
  if (!proof) return undefined;
  let compiled;
  try {
    compiled = proof.compile(out.text, out.target);
  } catch (e) {
    if (e instanceof Refusal) return undefined;
    throw e;
  }
  const first = rule.meta.logTypes[0] ?? '';
  const covered = out.logTypes ?? [first];
  const m = ruleMapper(mapper, rule);
  const report: MutantReport = { decided: 0, skipped: 0, disagreements: [] };
  for (const t of rule.tests) {
    if (t.mocks?.length || !isObj(t.log)) continue;
    const stated = t.log.p_log_type;
    const lt = t.logType ?? (typeof stated === 'string' ? stated : first);
    if (!covered.includes(lt)) continue;
    const base: Json = t.logType && !('p_log_type' in t.log) ? { ...t.log, p_log_type: t.logType } : t.log;
    for (const path of keyPaths(base).slice(0, maxPaths)) {
      for (const kind of kinds) {
        for (const event of mutants(base, path, kind, kind === 'empty' && !!m.nonEmpty?.(lt, path))) {
          const want = python(rule, event);
          let got: boolean | undefined;
          if (want !== undefined) {
            try {
              got = compiled.matches(proof.project(event, lt, m));
            } catch (e) {
              if (!(e instanceof Refusal)) throw e;
            }
          }
          if (want === undefined || got === undefined) {
            report.skipped++;
            continue;
          }
          report.decided++;
          if (got !== want) report.disagreements.push({ target: out.target, test: t.name, kind, removed: path.join('.'), python: want, artifact: got });
        }
      }
    }
  }
  return report;
}
