/**
 * The per-rule work of `convert` and `test`, apart from what the commands print or write: a rule read,
 * lifted, proven, and each target rendered and read back. The results are plain data (structured-
 * clonable), so a worker thread (`worker.ts`) can compute them and the main thread print them in file
 * order: the same bytes whether one thread or several did the work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { newIdSpace } from '../ast/normalize.js';
import type { Fidelity, Rule } from '../ast/types.js';
import { TranspileError, type Diagnostic } from '../diagnostics.js';
import { liftLoaded, proveRule, type PipelineOptions, type RuleReport } from '../pipeline.js';
import type { LoadedRule } from '../panther/load.js';
import { loadRuleFile } from '../panther/pypanther.js';
import { sharedJson } from '../ast/json.js';
import { renderProven, type TargetProofReport } from '../proof/index.js';
import { checkMutants, MUTANT_KINDS, type MutantReport } from '../proof/mutants.js';
import { splitExclusions } from '../ast/view.js';
import type { RenderContext, TargetOutput } from '../targets/types.js';
import type { RuleFile } from './files.js';
import { firstRuleDone } from './firstrule.js';
import { writeAtomic } from './write.js';

/** A rule read and lifted, or the error that stopped it. */
export interface Prepared {
  file: RuleFile;
  loaded?: LoadedRule;
  rule?: Rule;
  report?: RuleReport;
  error?: Diagnostic;
}

export function prepare(file: RuleFile, opts: PipelineOptions): Prepared {
  // a rule of a batch starts with fresh structural ids: nothing of the previous rule's is used again
  newIdSpace();
  try {
    const loaded = loadRuleFile(file.path, file.stdinText, file.root, opts);
    const rule = liftLoaded(loaded, opts);
    const report = proveRule(rule, loaded, opts);
    // the proof's findings (a test the lift disagrees with) belong to every target's fidelity
    rule.reasons = report.reasons;
    return { file, loaded, rule, report };
  } catch (e) {
    if (e instanceof TranspileError) return { file, error: e.diag };
    const msg = e instanceof Error ? e.message : String(e);
    return { file, error: { severity: 'error', code: 'internal', message: `internal error while reading this rule: ${msg}`, file: file.path, hint: 'please report this with the rule file attached' } };
  }
}

/**
 * The `ast` target: the lifted rule, its fidelity and its detection view (the condition's indicators and
 * exclusions) as JSON, a node the lift shares written once and referenced elsewhere (ast/json.ts sharedJson).
 */
export function astOutput(rule: Rule, report: RuleReport | undefined): TargetOutput {
  const { condition, exclusions } = splitExclusions(rule.condition);
  const doc = { ...rule, fidelity: report?.fidelity, detection: { condition, exclusions } };
  return { target: 'ast', ext: 'json', text: `${sharedJson(doc)}\n`, fidelity: report?.fidelity ?? 'exact', reasons: rule.reasons, diagnostics: [] };
}

/** The file of an artifact under `--out`: `<out>/<target>/<rel>.<ext>`. */
export function outFile(out: string, f: RuleFile, o: TargetOutput): string {
  return path.join(out, o.target, `${f.rel}.${o.ext}`);
}

/**
 * `--out` done where the artifact was made (a worker thread), so that its text never crosses threads:
 * `written` (or the write's error), or with `--check` how the file on disk compares.
 */
export type Stored = { written: true } | { writeError: string } | { check: 'same' | 'stale' | 'missing' };

export function store(file: string, text: string, check: boolean): Stored {
  if (check) {
    const have = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    return { check: have === null ? 'missing' : have === text ? 'same' : 'stale' };
  }
  try {
    writeAtomic(file, text);
    return { written: true };
  } catch (e) {
    return { writeError: e instanceof Error ? e.message : String(e) };
  }
}

/** What `convert` needs of one rule: its artifacts in target order, and the targets that failed to render. */
export interface ConvertResult {
  error?: Diagnostic;
  id?: string;
  fidelity?: Fidelity;
  /** With `sink`, each artifact's text is '' and `stored` says what became of its file. */
  outs: (TargetOutput & { stored?: Stored })[];
  /** Render failures, in target order (each counts as a failure). */
  renderErrors: Diagnostic[];
}

export function convertOne(f: RuleFile, wanted: readonly string[], ctx: RenderContext, popts: PipelineOptions, sink?: { out: string; check: boolean }): ConvertResult {
  const p = prepare(f, popts);
  if (!p.rule) return { error: p.error as Diagnostic, outs: [], renderErrors: [] };
  const rule = p.rule;
  const outs: TargetOutput[] = [];
  const renderErrors: Diagnostic[] = [];
  for (const t of wanted) {
    try {
      // every artifact is read back and run on the rule's tests before its fidelity is stated
      // (read back only when a test is to be run on it: the stated reasons come from the tests alone)
      outs.push(t === 'ast' ? astOutput(rule, p.report) : renderProven(rule, t, ctx, { onlyForTests: true }).output);
    } catch (e) {
      renderErrors.push(e instanceof TranspileError ? e.diag : { severity: 'error', code: 'render', message: `${t}: ${e instanceof Error ? e.message : String(e)}`, file: f.path });
    }
  }
  firstRuleDone();
  if (!sink) return { id: rule.meta.id, fidelity: p.report?.fidelity, outs, renderErrors };
  return { id: rule.meta.id, fidelity: p.report?.fidelity, outs: outs.map((o) => ({ ...o, text: '', stored: store(outFile(sink.out, f, o), o.text, sink.check) })), renderErrors };
}

/** One target of `test`: its proof, the error that stopped its render, or nothing (no evaluator). */
export type TestTarget = {
  target: string;
  proof?: TargetProofReport;
  error?: Diagnostic;
  fatal?: string;
  /** yaral: the rule reads a custom log type (inferred, its parser by the stated convention; mappings/README.md). */
  inferredLogType?: boolean;
  /** test --mutants: an exact artifact on the test logs changed one key at a time, against the lifted rule. */
  mutants?: MutantReport;
};

/** What `test` needs of one rule. `fatal`: an unexpected error, which stops the command where it occurs. */
export interface TestResult {
  error?: Diagnostic;
  report?: RuleReport;
  targets: TestTarget[];
  /** The Sentinel table the rule's KQL reads; `inferred` for a custom-log table (no connector ships one). */
  kqlTable?: { name: string; inferred: boolean };
}

export function testOne(f: RuleFile, wanted: readonly string[], ctx: RenderContext, popts: PipelineOptions, mutants = false): TestResult {
  const p = prepare(f, popts);
  if (!p.report || !p.rule) return { error: p.error as Diagnostic, targets: [] };
  const targets: TestTarget[] = [];
  for (const t of wanted) {
    try {
      const r = renderProven(p.rule, t, ctx);
      // YARA-L over several log types: inferred when one of those it covers is a custom log type
      const custom = t === 'yaral' && (r.output.logTypes ?? p.rule.meta.logTypes.slice(0, 1)).some((lt) => ctx.mapper.source(lt, 'yaral')?.custom);
      // --mutants: what the tests do not show, on an artifact the tests prove exact
      const m = mutants && r.proof?.fidelity === 'exact' ? checkMutants(r.output, p.rule, ctx.mapper, { kinds: MUTANT_KINDS }) : undefined;
      targets.push({ target: t, proof: r.proof, ...(custom ? { inferredLogType: true } : {}), ...(m ? { mutants: m } : {}) });
    } catch (e) {
      if (!(e instanceof TranspileError)) {
        targets.push({ target: t, fatal: e instanceof Error ? e.message : String(e) });
        break;
      }
      targets.push({ target: t, error: e.diag });
    }
  }
  firstRuleDone();
  const lt = p.rule.meta.logTypes[0];
  const src = lt ? ctx.mapper.source(lt, 'kql') : undefined;
  const table = src?.tables?.join(', ') ?? src?.table;
  return { report: p.report, targets, ...(table ? { kqlTable: { name: table, inferred: !!src?.custom } } : {}) };
}
