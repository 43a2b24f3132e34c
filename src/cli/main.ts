/**
 * The `transpile` command line: file walking, output writing, progress and exit codes.
 *
 * Exit status: 0 all good; 1 a rule could not be read or lifted, a test failed, or --check found
 * stale files; 2 the command line itself was wrong (unknown option, unknown target, no rules found).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { predText, valText, indicators } from '../ast/print.js';
import { splitExclusions } from '../ast/view.js';
import { formatDiagnostic, TranspileError, type Diagnostic } from '../diagnostics.js';
import type { PipelineOptions } from '../pipeline.js';
import { loadMappings } from '../mapping/load.js';
import { loadRuleFile } from '../panther/pypanther.js';
import { listLogTypes } from '../mapping/list.js';
import { defaultTemplatesDir, targetNames, targets } from '../targets/registry.js';
import { refuseBrokenTemplates, TemplateErrors } from './templates.js';
import { WarningTally } from './warnings.js';
import type { TargetProofReport } from '../proof/index.js';
import type { RenderContext } from '../targets/types.js';
import type { FieldMapper } from '../mapping/types.js';
import { collectRuleFiles, type RuleFile } from './files.js';
import { convertOne, outFile, prepare, store, testOne, type ConvertResult, type TestResult, type TestTarget } from './work.js';
import type { MutantKind, MutantReport } from '../proof/mutants.js';
import { runPool, threadsFor, type WorkerSetup } from './pool.js';
import { analyse, type Analysed } from '../report/analyse.js';
import { reportResult } from './reportwork.js';
import { Style, terminalSafe } from './style.js';
import { writeAtomic } from './write.js';
import { packagePath } from '../paths.js';
import { failsOn, formatJson as diffJson, formatMarkdown as diffMarkdown, formatText as diffText, runDiff } from '../diff/index.js';
import { buildReport, formatOfFile, renderReport, REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { folderPrefix, gitSide, GitError, pathSide, type SideFiles } from '../diff/sources.js';

const VERSION = JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')).version as string;

class UsageError extends Error {}

interface IO {
  out: (s: string) => void;
  err: (s: string) => void;
  stdin: () => string;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

interface CommonOpts {
  helpers?: string[];
  dataModels?: string[];
  mapping?: string[];
  json?: boolean;
  color?: boolean;
}

/** The field mappings, with --mapping files; a bad mapping file is a command-line problem (exit 2). */
function mappings(extra: string[] | undefined): ReturnType<typeof loadMappings> {
  try {
    return loadMappings({ extraFiles: extra ?? [] });
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)} (see mappings/README.md for the format)`);
  }
}

function parseTargets(spec: string): string[] {
  const all = [...targetNames, 'ast'];
  const out: string[] = [];
  for (const t of spec.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean)) {
    if (t === 'all') out.push(...all);
    else if (all.includes(t)) out.push(t);
    else throw new UsageError(`unknown target '${t}': choose from ${all.join(', ')}, all (comma lists work: --target kql,sigma)`);
  }
  return [...new Set(out)];
}

/** `--jobs N`: a positive whole number, or undefined (the number of cores). */
function parseJobs(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(v.trim())) throw new UsageError(`--jobs ${v}: give a positive whole number of threads (default: the number of cores)`);
  return Number(v.trim());
}

function progress(io: IO, style: Style, done: number, total: number): void {
  if (!io.isTTY || total < 20) return;
  io.err(`\r${style.dim(`${done}/${total} rules`)}${done === total ? '\n' : ''}`);
}

/** Colour only on a terminal, never with NO_COLOR, TERM=dumb or --no-color. */
function colourOn(io: IO, color: boolean | undefined): boolean {
  return color !== false && io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

function makeStyle(io: IO, opts: { color?: boolean }): Style {
  return new Style(colourOn(io, opts.color));
}

function readFiles(paths: string[], io: IO): RuleFile[] {
  const files = collectRuleFiles(paths, io.stdin);
  if (files.length === 0) throw new UsageError(`no Panther rule YAML found in ${paths.join(', ')}`);
  return files;
}

// ---------------------------------------------------------------------------------------------

async function cmdConvert(paths: string[], o: CommonOpts & { target: string; out?: string; check?: boolean; templates?: string; strict?: boolean; root?: string; jobs?: string }, io: IO): Promise<number> {
  const style = makeStyle(io, o);
  const wanted = parseTargets(o.target);
  const jobs = parseJobs(o.jobs);
  if (o.check && !o.out) throw new UsageError('--check compares against files written by --out: give --out DIR too');
  const files = readFiles(paths, io);
  const mapper: FieldMapper = mappings(o.mapping);
  if (o.templates && !fs.existsSync(o.templates)) throw new UsageError(`--templates ${o.templates}: no such folder (it holds one sub-folder of .hbs layouts per target, like templates/)`);
  const ctx: RenderContext = { mapper, templatesDir: o.templates ?? defaultTemplatesDir(), strict: !!o.strict };
  if (refuseBrokenTemplates(ctx.templatesDir, wanted, files.length, io, style)) return 1;
  const templateErrors = new TemplateErrors();
  // a batch says a warning several rules share once, at the end (WarningTally)
  const warnings = files.length > 1 ? new WarningTally() : undefined;
  const popts: PipelineOptions = { helpersDirs: o.helpers ?? [], dataModelsDirs: o.dataModels ?? [] };
  let failed = 0;
  const stale: string[] = [];
  const json: unknown[] = [];
  const printed: string[] = [];
  const multi = files.length > 1 || wanted.length > 1;
  const produced = new Set<string>();
  // two rules that would write the same output path: both are refused, nothing is overwritten
  const clash = new Map<string, RuleFile[]>();
  if (o.out) for (const f of files) clash.set(f.rel, [...(clash.get(f.rel) ?? []), f]);
  // one rule's result printed and written; called in file order, whichever thread computed it
  const handle = (i: number, f: RuleFile, res: ConvertResult | undefined): void => {
    progress(io, style, i + 1, files.length);
    const same = clash.get(f.rel) ?? [];
    if (same.length > 1) {
      failed++;
      const others = same.filter((x) => x !== f).map((x) => x.path);
      const d: Diagnostic = {
        severity: 'error',
        code: 'output-collision',
        message: `this rule and ${others.join(', ')} would both be written to ${path.join(o.out as string, '<target>', f.rel)}.<ext>; neither is written`,
        file: f.path,
        hint: 'translate them in separate runs with separate --out folders, or give folder arguments whose relative paths differ',
      };
      io.err(`${style.red(formatDiagnostic(d))}\n`);
      json.push({ file: f.path, error: d });
      return;
    }
    const p = res as ConvertResult;
    if (p.error) {
      failed++;
      io.err(`${style.red(formatDiagnostic(p.error))}\n`);
      json.push({ file: f.path, error: p.error });
      return;
    }
    for (const d of p.renderErrors) {
      failed++;
      // a broken template is reported once, at the end, not for every rule
      if (!templateErrors.add(d, f.path)) io.err(`${style.red(formatDiagnostic(d))}\n`);
    }
    const entry: { id: string; file: string; fidelity: string | undefined; targets: unknown[] } = { id: p.id as string, file: f.path, fidelity: p.fidelity, targets: [] };
    for (const out of p.outs) {
      for (const d of out.diagnostics) {
        if (d.severity === 'error' || (o.strict && d.severity === 'warning')) failed++;
        if (o.json) continue;
        if (warnings) warnings.add(d, f.path);
        else io.err(`${(d.severity === 'error' ? style.red : style.yellow)(formatDiagnostic({ ...d, file: d.file ?? f.path }))}\n`);
      }
      if (out.fidelity !== 'exact' && !o.json) {
        const why = out.reasons.slice(0, 3).map((r) => `${r.message} (${path.basename(r.file)}:${r.line})`).join('; ');
        io.err(`${style.yellow(`${f.path}: ${out.target} ${out.fidelity}${out.reasons[0]?.direction ? ` (${out.reasons[0].direction})` : ''}: ${why}`)}\n`);
      }
      const target = o.out ? outFile(o.out, f, out) : undefined;
      if (target) produced.add(path.resolve(target));
      // written (or compared) here, or already by the worker thread that made it
      const stored = target ? (out.stored ?? store(target, out.text, !!o.check)) : undefined;
      if (stored && 'check' in stored) {
        if (stored.check !== 'same') stale.push(`${target}${stored.check === 'missing' ? ' (missing)' : ''}`);
      } else if (stored && 'writeError' in stored) {
        failed++;
        io.err(`${style.red(formatDiagnostic({ severity: 'error', code: 'write-failed', message: `cannot write ${target}: ${stored.writeError}`, file: f.path, hint: 'check that --out names a writable folder' }))}\n`);
        continue;
      } else if (target) {
        // written
      } else if (!o.json) {
        printed.push(multi ? `${style.dim(`==> ${f.path} [${out.target}] <==`)}\n${out.text}` : out.text);
      }
      entry.targets.push({ target: out.target, fidelity: out.fidelity, reasons: out.reasons, ...(target ? { path: target } : { text: out.text }), diagnostics: out.diagnostics });
    }
    json.push(entry);
  };
  const clashes = (f: RuleFile): boolean => (clash.get(f.rel) ?? []).length > 1;
  const todo = files.map((_, i) => i).filter((i) => !clashes(files[i] as RuleFile));
  const threads = threadsFor(todo.length, jobs);
  if (threads <= 1) {
    for (const [i, f] of files.entries()) handle(i, f, clashes(f) ? undefined : convertOne(f, wanted, ctx, popts));
  } else {
    const setup: WorkerSetup = { kind: 'convert', targets: wanted, popts, mappingFiles: o.mapping ?? [], templatesDir: ctx.templatesDir, strict: !!o.strict, ...(o.out ? { sink: { out: o.out, check: !!o.check } } : {}) };
    // the files between two computed ones are refused collisions: handled in their place
    let at = 0;
    const upTo = (end: number): void => {
      for (; at < end; at++) handle(at, files[at] as RuleFile, undefined);
    };
    await runPool<ConvertResult>(setup, todo.map((i) => files[i] as RuleFile), threads, (f) => convertOne(f as RuleFile, wanted, ctx, popts, setup.sink), (k, r) => {
      upTo(todo[k] as number);
      handle(at, files[at] as RuleFile, r);
      at++;
    });
    upTo(files.length);
  }
  // --check over whole folders: a generated file that no rule produces any more is stale too
  if (o.check && o.out && paths.every((a) => a !== '-' && fs.existsSync(a) && fs.statSync(a).isDirectory())) {
    for (const t of wanted) {
      const dir = path.join(o.out, t);
      if (!fs.existsSync(dir)) continue;
      const walkOut = (d: string): void => {
        for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walkOut(p);
          else if (!produced.has(path.resolve(p))) stale.push(`${p} (no rule produces it)`);
        }
      };
      walkOut(dir);
    }
  }
  warnings?.report(io, style);
  templateErrors.report(io, style, o.out ? (o.check ? 'not checked' : 'their files for this target not written') : 'not rendered for this target');
  if (o.json) io.out(`${JSON.stringify({ rules: json, failed, stale }, null, 2)}\n`);
  else if (printed.length) io.out(printed.join('\n'));
  if (o.check) {
    if (stale.length) {
      io.err(`${style.red(`${stale.length} generated file(s) are stale:`)}\n${stale.map((s) => `  ${s}`).join('\n')}\n${style.dim('regenerate with the same command without --check')}\n`);
      return 1;
    }
    if (!o.json) io.err(`${style.green(`${files.length} rule(s): generated files are up to date`)}\n`);
  }
  return failed > 0 ? 1 : 0;
}

interface TargetSummary {
  exact: number;
  approximate: number;
  unsupported: number;
  /** Artifacts that claim exact and whose every evaluable test ran (at least one). */
  proven: number;
  disagreeing: number;
  tests: { passed: number; failed: number; declared: number; notEvaluable: number; mocked: number };
  /** kql, sentinel: the artifacts that read a custom-log table (inferred, not shipped by a connector), counted apart. */
  inferredTable?: { exact: number; proven: number; rules: number };
  /** yaral: the artifacts that read a custom log type (inferred, no Chronicle default parser named), counted apart. */
  inferredLogType?: { exact: number; proven: number; rules: number };
  /** test --mutants: mutants decided, those that disagree, and the exact artifacts they disagree on. */
  mutants?: { decided: number; disagreeing: number; artifacts: number };
}

function targetLine(t: TargetProofReport, style: Style): string {
  const n = t.tests;
  const fid = t.fidelity === 'exact' ? style.green(t.fidelity) : t.fidelity === 'approximate' ? style.yellow(t.fidelity) : style.red(t.fidelity);
  const extra = [n.declared ? `${n.declared} declared` : '', n.notEvaluable ? `${n.notEvaluable} not evaluable` : '', n.mocked ? `${n.mocked} mocked` : ''].filter(Boolean).join(', ');
  return `${t.target} ${fid} ${n.passed}/${n.passed + n.failed + n.declared}${extra ? ` (${extra})` : ''}`;
}

/** How a disagreeing mutant was made, in a few words. */
const MUTANT_WORDS: Record<MutantKind, string> = { remove: 'without', empty: 'emptied', null: 'null in', case: 'other case of' };

/** A target's mutants in `test --json`: how many were decided, and those that disagree. */
function mutantsOf(targets: readonly TestTarget[], target: string): { mutants?: { decided: number; skipped: number; disagreements: MutantReport['disagreements'] } } {
  const m = targets.find((x) => x.target === target)?.mutants;
  return m ? { mutants: { decided: m.decided, skipped: m.skipped, disagreements: m.disagreements } } : {};
}

async function cmdTest(paths: string[], o: CommonOpts & { verbose?: boolean; target?: string; templates?: string; jobs?: string; mutants?: boolean }, io: IO): Promise<number> {
  const style = makeStyle(io, o);
  const wanted = parseTargets(o.target ?? 'all').filter((t) => t !== 'ast');
  const jobs = parseJobs(o.jobs);
  const files = readFiles(paths, io);
  const popts: PipelineOptions = { helpersDirs: o.helpers ?? [], dataModelsDirs: o.dataModels ?? [] };
  const mapper: FieldMapper = mappings(o.mapping);
  const ctx: RenderContext = { mapper, templatesDir: o.templates ?? defaultTemplatesDir() };
  if (refuseBrokenTemplates(ctx.templatesDir, wanted, files.length, io, style)) return 1;
  const templateErrors = new TemplateErrors();
  const rules: unknown[] = [];
  const sum = { rules: 0, exact: 0, approximate: 0, unsupported: 0, errors: 0, tests: { passed: 0, failed: 0, skipped: 0 } };
  const perTarget: Record<string, TargetSummary> = {};
  for (const t of wanted) {
    perTarget[t] = { exact: 0, approximate: 0, unsupported: 0, proven: 0, disagreeing: 0, tests: { passed: 0, failed: 0, declared: 0, notEvaluable: 0, mocked: 0 } };
    if (t === 'kql' || t === 'sentinel') perTarget[t].inferredTable = { exact: 0, proven: 0, rules: 0 };
    if (t === 'yaral') perTarget[t].inferredLogType = { exact: 0, proven: 0, rules: 0 };
  }
  let anyFailed = false;
  let sumDeclared = 0;
  // one rule's result counted and printed; called in file order, whichever thread computed it
  const handle = (i: number, f: RuleFile, p: TestResult): void => {
    progress(io, style, i + 1, files.length);
    sum.rules++;
    if (!p.report) {
      sum.errors++;
      anyFailed = true;
      rules.push({ id: null, file: f.path, fidelity: 'error', reasons: [p.error], tests: { passed: 0, failed: 0, skipped: 0 } });
      if (!o.json) io.err(`${style.red(formatDiagnostic(p.error as Diagnostic))}\n`);
      return;
    }
    const r = p.report;
    sum[r.fidelity]++;
    sum.tests.passed += r.tests.passed;
    sum.tests.failed += r.tests.failed;
    sum.tests.skipped += r.tests.skipped;
    // a lift that is a declared superset (wider) may match expected-false tests; anything else is a
    // disagreement, which proveRule reports as test-disagrees
    const realFail = r.reasons.some((x) => x.code === 'test-disagrees');
    if (!realFail) sumDeclared += r.tests.failed;
    if (realFail) anyFailed = true;
    // every target artifact read back by its evaluator and run on the same tests
    const proofs: TargetProofReport[] = [];
    for (const x of p.targets) {
      // an unexpected error stops the command where it occurred, as on one thread
      if (x.fatal !== undefined) throw new Error(x.fatal);
      if (x.error) {
        anyFailed = true;
        if (!templateErrors.add(x.error, f.path) && !o.json) io.err(`${style.red(formatDiagnostic(x.error))}\n`);
        continue;
      }
      const proof = x.proof;
      if (!proof) continue;
      proofs.push(proof);
      const s = perTarget[x.target]!;
      s[proof.fidelity]++;
      for (const k of Object.keys(s.tests) as (keyof TargetSummary['tests'])[]) s.tests[k] += proof.tests[k];
      if (proof.tests.failed > 0) {
        s.disagreeing++;
        anyFailed = true;
      }
      if (x.mutants) {
        const m = (s.mutants ??= { decided: 0, disagreeing: 0, artifacts: 0 });
        m.decided += x.mutants.decided;
        m.disagreeing += x.mutants.disagreements.length;
        if (x.mutants.disagreements.length) {
          m.artifacts++;
          anyFailed = true;
        }
      }
      const proven = proof.fidelity === 'exact' && proof.tests.passed > 0 && proof.tests.notEvaluable === 0;
      if (proven) s.proven++;
      const inferred = s.inferredTable && p.kqlTable?.inferred ? s.inferredTable : s.inferredLogType && x.inferredLogType ? s.inferredLogType : null;
      if (inferred) {
        inferred.rules++;
        if (proof.fidelity === 'exact') inferred.exact++;
        if (proven) inferred.proven++;
      }
    }
    const mutantFail = p.targets.some((x) => x.mutants?.disagreements.length);
    const targetFail = proofs.some((x) => x.tests.failed > 0) || mutantFail;
    rules.push({
      id: r.id,
      file: r.file,
      fidelity: r.fidelity,
      reasons: r.reasons,
      notes: r.notes,
      tests: r.tests,
      ...(o.verbose ? { outcomes: r.outcomes } : {}),
      targets: Object.fromEntries(
        proofs.map((x) => [
          x.target,
          {
            fidelity: x.fidelity,
            declared: x.declared,
            ...((x.target === 'kql' || x.target === 'sentinel') && p.kqlTable ? { table: p.kqlTable } : {}),
            ...(x.refused ? { refused: x.refused } : {}),
            ...(x.aggregation ? { aggregation: x.aggregation } : {}),
            tests: x.tests,
            reasons: x.reasons,
            ...(o.verbose || x.tests.failed ? { outcomes: x.outcomes.filter((c) => o.verbose || c.status === 'failed') } : {}),
            ...mutantsOf(p.targets, x.target),
          },
        ]),
      ),
    });
    if (!o.json) {
      const mark = realFail || targetFail ? style.red('FAIL') : style.green('PASS');
      const fid = r.fidelity === 'exact' ? style.green(r.fidelity) : r.fidelity === 'approximate' ? style.yellow(r.fidelity) : style.red(r.fidelity);
      io.out(`${mark} ${r.id} ${fid} ${r.tests.passed}/${r.tests.passed + r.tests.failed} tests  ${style.dim(f.path)}\n`);
      for (const x of r.outcomes) if (!x.ok || o.verbose) io.out(`     ${x.ok ? style.green('ok') : style.red('xx')} ${x.name}: expected ${x.expected}, lifted ${x.actual}\n`);
      if (r.fidelity !== 'exact' || o.verbose) for (const why of r.reasons) io.out(`     ${style.dim(`${why.code}: ${why.message} (${why.file}:${why.line}${why.col ? `:${why.col}` : ''})`)}\n`);
      if (proofs.length) io.out(`     ${style.dim('targets:')} ${proofs.map((x) => targetLine(x, style)).join(', ')}\n`);
      for (const x of proofs) {
        for (const c of x.outcomes) {
          if (c.status === 'failed') io.out(`     ${style.red('xx')} ${x.target} ${c.name}: expected ${c.expected}, the ${x.target} artifact gives ${c.actual}\n`);
          else if (o.verbose && c.status !== 'passed') io.out(`     ${style.dim(`${x.target} ${c.name}: ${c.status}${c.why ? ` (${c.why})` : ''}`)}\n`);
        }
        if (x.refused && (o.verbose || x.declared === 'exact')) io.out(`     ${style.dim(`${x.target}: not read back: ${x.refused}`)}\n`);
      }
      for (const x of p.targets) {
        for (const d of x.mutants?.disagreements ?? []) {
          io.out(`     ${style.red('xx')} ${x.target} mutant of ${d.test} (${MUTANT_WORDS[d.kind]} ${d.removed}): the rule gives ${d.python}, the ${x.target} artifact ${d.artifact}\n`);
        }
      }
    }
  };
  const threads = threadsFor(files.length, jobs);
  const mutants = !!o.mutants;
  if (threads <= 1) for (const [i, f] of files.entries()) handle(i, f, testOne(f, wanted, ctx, popts, mutants));
  else {
    const setup: WorkerSetup = { kind: 'test', targets: wanted, popts, mappingFiles: o.mapping ?? [], templatesDir: ctx.templatesDir, ...(mutants ? { mutants } : {}) };
    await runPool<TestResult>(setup, files, threads, (f) => testOne(f as RuleFile, wanted, ctx, popts, mutants), (i, r) => handle(i, files[i] as RuleFile, r));
  }
  if (!o.json) templateErrors.report(io, style, 'this target not tested');
  if (o.json) io.out(`${JSON.stringify({ summary: { ...sum, targets: perTarget }, rules }, null, 2)}\n`);
  else {
    io.out(
      `\n${sum.rules} rules: ${style.green(`${sum.exact} exact`)}, ${style.yellow(`${sum.approximate} approximate`)}, ${style.red(`${sum.unsupported} unsupported`)}${sum.errors ? `, ${style.red(`${sum.errors} errors`)}` : ''}; tests ${sum.tests.passed} passed, ${sum.tests.failed} failed${sumDeclared ? ` (${sumDeclared} of them expected-false tests matched by declared wider approximations)` : ''}${sum.tests.skipped ? `, ${sum.tests.skipped} skipped` : ''}\n`,
    );
    for (const [t, s] of Object.entries(perTarget)) {
      const n = s.tests;
      io.out(
        `${t.padEnd(9)} ${s.exact} exact (${s.proven} proven on their tests), ${s.approximate} approximate, ${s.unsupported} unsupported${s.disagreeing ? style.red(`, ${s.disagreeing} disagreeing`) : ''}; tests ${n.passed} passed, ${n.failed} failed, ${n.declared} declared, ${n.notEvaluable} not evaluable, ${n.mocked} mocked\n`,
      );
      if (s.mutants) {
        const m = s.mutants;
        io.out(`${''.padEnd(9)} ${m.disagreeing ? style.red(`mutants: ${m.disagreeing} of ${m.decided} disagree in ${m.artifacts} exact artifacts`) : style.dim(`mutants: ${m.decided} decided, none disagrees`)}\n`);
      }
      const it = s.inferredTable;
      if (it && it.rules > 0) {
        io.out(`${''.padEnd(9)} ${style.dim(`sourced tables ${s.exact - it.exact} exact (${s.proven - it.proven} proven); custom-log tables (inferred) ${it.exact} exact (${it.proven} proven) of ${it.rules} rules`)}\n`);
      }
      const il = s.inferredLogType;
      if (il && il.rules > 0) {
        io.out(`${''.padEnd(9)} ${style.dim(`sourced log types ${s.exact - il.exact} exact (${s.proven - il.proven} proven); custom log types (inferred) ${il.exact} exact (${il.proven} proven) of ${il.rules} rules`)}\n`);
      }
    }
  }
  return anyFailed ? 1 : 0;
}

async function cmdExplain(paths: string[], o: CommonOpts, io: IO): Promise<number> {
  const style = makeStyle(io, o);
  const files = readFiles(paths, io);
  const popts: PipelineOptions = { helpersDirs: o.helpers ?? [], dataModelsDirs: o.dataModels ?? [] };
  let failed = 0;
  const docs: unknown[] = [];
  for (const f of files) {
    const p = prepare(f, popts);
    if (!p.rule || !p.report) {
      failed++;
      io.err(`${style.red(formatDiagnostic(p.error as Diagnostic))}\n`);
      continue;
    }
    const rule = p.rule;
    const { condition, exclusions } = splitExclusions(rule.condition);
    const inds = indicators(rule.condition);
    if (o.json) {
      docs.push({
        id: rule.meta.id,
        file: f.path,
        fidelity: p.report.fidelity,
        condition: condition.map((c) => predText(c)),
        exclusions: exclusions.map((c) => predText(c)),
        indicators: inds,
        outputs: rule.outputs.map((x) => ({ name: x.name, value: valText(x.value), source: x.source })),
        reasons: p.report.reasons,
        notes: p.report.notes,
      });
      continue;
    }
    const lines: string[] = [];
    lines.push(style.bold(`${rule.meta.displayName ?? rule.meta.id}`) + style.dim(`  (${rule.meta.id}, ${f.path})`));
    if (rule.meta.description) lines.push(rule.meta.description);
    lines.push(`Fidelity: ${p.report.fidelity}; tests ${p.report.tests.passed}/${p.report.tests.passed + p.report.tests.failed} agree with the lifted logic`);
    lines.push('', style.bold('Condition'));
    const exclText = exclusions.length ? [`not (${exclusions.map((e) => predText(e, exclusions.length === 1)).join(' or ')})`] : [];
    for (const c of [...exclText, ...condition.map((c) => predText(c))]) lines.push(`  ${c}`);
    if (condition.length === 0 && exclusions.length === 0) lines.push(`  ${predText(rule.condition)}`);
    lines.push('', style.bold('Exclusions') + style.dim('  (top-level NOT conjuncts: what the rule actively suppresses)'));
    if (exclusions.length === 0) lines.push('  (none)');
    for (const e of exclusions) lines.push(`  ${predText(e)}`);
    lines.push('', style.bold('Indicators') + style.dim('  (field, operator, values)'));
    if (inds.length === 0) lines.push('  (none)');
    for (const ind of inds) lines.push(`  ${ind.field}  ${ind.kind}  ${ind.values.map((v) => JSON.stringify(v)).join(', ')}`);
    lines.push('', style.bold('Output fields'));
    if (rule.outputs.length === 0) lines.push('  (none)');
    for (const x of rule.outputs) lines.push(`  ${x.name}${style.dim(`  = ${valText(x.value)}  [${x.source}]`)}`);
    if (rule.title) lines.push('', style.bold('Title'), `  ${rule.title.map((t) => ('text' in t ? t.text : `{${valText(t.value)}}`)).join('')}`);
    if (rule.severities) {
      lines.push('', style.bold('Severity') + style.dim(`  (default ${rule.meta.severity}; the first that holds applies)`));
      for (const sv of rule.severities) lines.push(`  ${sv.severity.padEnd(9)} when ${predText(sv.when)}`);
    }
    if (rule.aggregation) lines.push('', style.bold('Threshold'), `  alert when ${rule.aggregation.threshold} matching events within ${rule.aggregation.windowMinutes} minutes${rule.aggregation.groupBy.length ? ` per ${rule.aggregation.groupBy.map(valText).join(', ')}` : ''}`);
    if (p.report.reasons.length) {
      lines.push('', style.bold('Not translated exactly'));
      for (const r of p.report.reasons) lines.push(`  ${r.code}: ${r.message} (${r.file}:${r.line}${r.col ? `:${r.col}` : ''})`);
    }
    if (p.report.notes.length) {
      lines.push('', style.bold('Notes'));
      for (const r of p.report.notes) lines.push(`  ${r.code}: ${r.message} (${r.file}:${r.line})`);
    }
    docs.push(lines.join('\n'));
  }
  io.out(o.json ? `${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n` : `${(docs as string[]).join('\n\n')}\n`);
  return failed ? 1 : 0;
}

async function cmdDiff(paths: string[], o: CommonOpts & { base?: string; format?: string; failOn?: string; target?: string; templates?: string }, io: IO): Promise<number> {
  const style = makeStyle(io, o);
  const format = o.json ? 'json' : (o.format ?? 'text');
  if (!['text', 'markdown', 'json'].includes(format)) throw new UsageError(`unknown --format '${format}': choose text, markdown or json`);
  const gates = (o.failOn ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  for (const g of gates) if (!['widened', 'narrowed', 'changed'].includes(g)) throw new UsageError(`unknown --fail-on '${g}': choose widened, narrowed or changed (comma lists work)`);
  const wanted = parseTargets(o.target ?? 'all').filter((t) => t !== 'ast');
  let oldSide: SideFiles & { label: string };
  let newSide: SideFiles & { label: string };
  if (o.base) {
    const ps = paths.length ? paths : ['.'];
    for (const p of ps) if (!fs.existsSync(p)) throw new UsageError(`${p}: no such file or folder in the working tree`);
    try {
      oldSide = { ...gitSide(o.base, ps), label: `${o.base}:${ps.join(' ')}` };
    } catch (e) {
      if (e instanceof GitError) throw new UsageError(`--base ${o.base}: ${e.message}`);
      throw e;
    }
    newSide = { ...pathSide(ps), label: `working tree ${ps.join(' ')}` };
  } else {
    if (paths.length !== 2) throw new UsageError('diff takes two paths (old and new: two rule files or two folders), or --base <git-ref> [paths...]');
    const [a, b] = paths as [string, string];
    for (const p of [a, b]) if (!fs.existsSync(p)) throw new UsageError(`${p}: no such file or folder`);
    if (fs.statSync(a).isDirectory() !== fs.statSync(b).isDirectory()) throw new UsageError(`${a} and ${b}: give two files or two folders`);
    // artifact texts name their files: the old folder's paths read as the new folder's
    oldSide = { ...pathSide([a], folderPrefix(a), folderPrefix(b)), label: a };
    newSide = { ...pathSide([b]), label: b };
  }
  try {
    if (oldSide.files.length === 0 && newSide.files.length === 0) throw new UsageError(`no Panther rule YAML found on either side (${oldSide.label}, ${newSide.label})`);
    const mapper: FieldMapper = mappings(o.mapping);
    const ctx: RenderContext = { mapper, templatesDir: o.templates ?? defaultTemplatesDir() };
    const popts: PipelineOptions = { helpersDirs: o.helpers ?? [], dataModelsDirs: o.dataModels ?? [] };
    const run = runDiff({ old: oldSide, new: newSide, targets: wanted, popts, ctx, onProgress: (d, t) => progress(io, style, d, t) });
    io.out(format === 'json' ? diffJson(run) : format === 'markdown' ? diffMarkdown(run) : diffText(run, style));
    if (gates.some((g) => failsOn(run, g as 'widened' | 'narrowed' | 'changed'))) return 1;
    return run.summary.errors > 0 ? 1 : 0;
  } finally {
    oldSide.dispose();
    newSide.dispose();
  }
}

async function cmdReport(paths: string[], o: CommonOpts & { output?: string; format?: string; target?: string; templates?: string; jobs?: string }, io: IO): Promise<number> {
  const style = makeStyle(io, o);
  const format = (o.format ?? (o.json ? 'json' : o.output ? formatOfFile(o.output) : undefined) ?? 'html') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`unknown --format '${format}': choose ${REPORT_FORMATS.join(', ')}`);
  const wanted = parseTargets(o.target ?? 'all').filter((t) => t !== 'ast');
  const jobs = parseJobs(o.jobs);
  const files = readFiles(paths, io).map((f) => f.path);
  const mapper: FieldMapper = mappings(o.mapping);
  const ctx: RenderContext = { mapper, templatesDir: o.templates ?? defaultTemplatesDir() };
  if (refuseBrokenTemplates(ctx.templatesDir, wanted, files.length, io, style)) return 1;
  const popts: PipelineOptions = { helpersDirs: o.helpers ?? [], dataModelsDirs: o.dataModels ?? [] };
  const threads = threadsFor(files.length, jobs);
  let rep: ReturnType<typeof buildReport>;
  if (threads <= 1) rep = buildReport({ files, paths, targets: wanted, popts, ctx, version: VERSION, onProgress: (d, t) => progress(io, style, d, t) });
  else {
    // the rules analysed on worker threads, then the report built from them in file order
    const t0 = Date.now();
    const analysed: Analysed[] = [];
    const setup: WorkerSetup = { kind: 'report', targets: wanted, popts, mappingFiles: o.mapping ?? [], templatesDir: ctx.templatesDir };
    await runPool<Analysed>(setup, files, threads, (f) => reportResult(analyse(f as string, popts, ctx, wanted)), (i, a) => {
      progress(io, style, i + 1, files.length);
      analysed.push(a);
    });
    rep = buildReport({ files, paths, targets: wanted, popts, ctx, version: VERSION, analysed: (_f, i) => analysed[i] as Analysed });
    rep.ms = Date.now() - t0;
  }
  const text = renderReport(rep, format);
  if (o.output) {
    try {
      writeAtomic(o.output, text);
    } catch (e) {
      io.err(`${style.red(`transpile: cannot write ${o.output}: ${e instanceof Error ? e.message : String(e)}`)}\n`);
      return 1;
    }
    const t = Object.entries(rep.totals).map(([k, v]) => `${k} ${v.exact} exact (${v.proven} proven)`).join(', ');
    io.err(`${style.dim(`${o.output}: ${format} report of ${rep.rules.length} rules in ${(rep.ms / 1000).toFixed(1)} s; ${t}`)}\n`);
  } else io.out(text);
  return rep.rules.some((r) => r.fidelity === 'error') ? 1 : 0;
}

/** The (first) log type of each rule under `paths`, read from the rule files' YAML only (nothing is lifted). */
function ruleLogTypes(paths: string[], io: IO): string[] {
  const out: string[] = [];
  for (const f of readFiles(paths, io)) {
    try {
      const lt = loadRuleFile(f.path, f.stdinText, f.root).meta.logTypes[0];
      if (lt) out.push(lt);
    } catch {
      // a rule that cannot be read is reported by the commands that translate it
    }
  }
  return out;
}

async function cmdList(what: string, o: CommonOpts, io: IO, paths: string[] = []): Promise<number> {
  const style0 = makeStyle(io, o).dim;
  if (what === 'targets') {
    const rows = [...targetNames.map((n) => ({ name: n, ext: (targets[n] as { ext: string }).ext, description: (targets[n] as { description: string }).description })), { name: 'ast', ext: 'json', description: 'the neutral AST of the lifted rule, as JSON' }];
    const nameWidth = Math.max(...rows.map((r) => r.name.length));
    const extWidth = Math.max(...rows.map((r) => r.ext.length)) + 1;
    io.out(o.json ? `${JSON.stringify(rows, null, 2)}\n` : `${rows.map((r) => `${r.name.padEnd(nameWidth)} ${`.${r.ext}`.padEnd(extWidth)} ${r.description}`).join('\n')}\n`);
    return 0;
  }
  if (what === 'logtypes') {
    const mapper = mappings(o.mapping);
    // with rule paths: also the log types those rules use (with or without a mapping file), and their rule counts
    const used = paths.length ? ruleLogTypes(paths, io) : [];
    const rows = listLogTypes(mapper, used);
    if (paths.length) {
      const count = new Map<string, number>();
      for (const lt of used) count.set(lt, (count.get(lt) ?? 0) + 1);
      for (const r of rows) r.rules = count.get(r.logType) ?? 0;
    }
    if (o.json) io.out(`${JSON.stringify(rows, null, 2)}\n`);
    else {
      // the sentinel target reads the KQL mapping (its analytic rules embed the KQL query)
      const mappingOf = (t: string) => (t === 'sentinel' ? 'kql' : t);
      const w = Math.max(24, ...rows.map((r) => r.logType.length));
      io.out(
        `${style0('fields mapped per target (+Np: nested prefixes; +raw: raw JSON names; +fallback: declared approximate fallback; +columns: a custom-log table whose columns are the top-level keys; +convention: a custom log type whose parser keeps each raw field in additional.fields by its dotted path; sentinel uses the kql mapping); Sentinel table: * = custom-log table (inferred, no connector ships one); Chronicle log type: * = custom log type (inferred, no default parser named)')}\n`,
      );
      const udmOf = (r: (typeof rows)[number]) => (r.yaralLogType ? `${r.yaralLogType.name}${r.yaralLogType.inferred ? ' *' : ''}` : '-');
      const uw = Math.max(18, ...rows.map((r) => udmOf(r).length));
      io.out(`${'log type'.padEnd(w)} ${paths.length ? 'rules  ' : ''}${targetNames.map((t) => t.padEnd(16)).join(' ')} ${'Chronicle log type'.padEnd(uw)} Sentinel table\n`);
      for (const r of rows) {
        const cells = targetNames.map((t) => {
          const c = r.targets[mappingOf(t) as keyof typeof r.targets];
          if (!c || !c.source) return '-'.padEnd(16);
          const extra = c.default && c.default !== 'none' ? ` +${c.default}` : '';
          return `${c.fields}${c.prefixes ? `+${c.prefixes}p` : ''}${extra}`.padEnd(16);
        });
        const table = r.kqlTable ? `${r.kqlTable.name}${r.kqlTable.inferred ? ' *' : ''}` : '-';
        io.out(`${r.logType.padEnd(w)} ${paths.length ? String(r.rules ?? 0).padStart(5) + '  ' : ''}${cells.join(' ')} ${udmOf(r).padEnd(uw)} ${table}\n`);
      }
      if (paths.length) {
        const inferred = rows.filter((r) => r.kqlTable?.inferred && (r.rules ?? 0) > 0);
        const n = inferred.reduce((a, r) => a + (r.rules ?? 0), 0);
        io.out(`${style0(`${used.length} rules: ${used.length - n} read a Sentinel table a connector ships, ${n} (${inferred.length} log types) a custom-log table (inferred)`)}\n`);
        const custom = rows.filter((r) => r.yaralLogType?.inferred && (r.rules ?? 0) > 0);
        const c = custom.reduce((a, r) => a + (r.rules ?? 0), 0);
        const none = rows.filter((r) => !r.yaralLogType && (r.rules ?? 0) > 0).reduce((a, r) => a + (r.rules ?? 0), 0);
        io.out(`${style0(`${used.length} rules: ${used.length - c - none} read a Chronicle log type a default parser reads, ${c} (${custom.length} log types) a custom log type (inferred)${none ? `, ${none} none` : ''}`)}\n`);
      }
    }
    return 0;
  }
  throw new UsageError(`unknown list '${what}': choose logtypes or targets`);
}

// ---------------------------------------------------------------------------------------------

export async function main(argv: string[], rawIo: IO): Promise<number> {
  // messages quote rule text: control bytes from a rule never reach the terminal raw
  const colour = colourOn(rawIo, !argv.includes('--no-color'));
  const io: IO = { ...rawIo, err: (s) => rawIo.err(terminalSafe(s, colour)) };
  let code = 0;
  const program = new Command();
  const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
  program
    .name('transpile')
    .description(
      'Translate Panther detection rules (YAML + Python, or YAML simple detections) into Sigma, Microsoft Sentinel KQL and analytic rules, ' +
        "Chronicle YARA-L 2.0 and CloudWatch Logs Insights. Each rule is lifted into a neutral AST, proven against the rule's own " +
        'unit tests, and reported per target as exact, approximate (wider or narrower, with the construct and its file:line) or unsupported.',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run transpile --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  transpile --target kql rules/aws_cloudtrail/aws_kms_cmk_loss.yml   print a rule as a Sentinel KQL query
  transpile -t all --out out rules                                   every target, one file per rule and target
  transpile test rules                                               prove every lift against the rules' own Tests
  transpile explain rules/okta/okta_admin_role_assigned.yml          the detection logic, and what is not exact

Run 'transpile <command> --help' for a command's options.
Exit status: 0 ok; 1 a rule failed to load, lift or render, a test disagreed, or --check found stale files; 2 bad command line.`,
    );
  const common = (c: Command): Command =>
    c
      .option('--helpers <dir>', 'extra global_helpers folder (found automatically by walking up from each rule)', collect)
      .option('--data-models <dir>', 'extra data_models folder for event.udm() (found automatically like global_helpers)', collect)
      .option('--mapping <file>', 'extra field-mapping YAML, same format as mappings/*.yaml (repeatable)', collect)
      .option('--json', 'machine-readable output on stdout')
      .option('--no-color', 'no colour (also off when not a terminal or when NO_COLOR is set)');
  common(
    program
      .command('convert', { isDefault: true })
      .description('translate rules (the default command)')
      .argument('<paths...>', 'rule YAML files or folders (walked recursively); - reads one rule YAML from stdin')
      .addOption(new Option('-t, --target <list>', `targets: ${[...targetNames, 'ast'].join(', ')}, all; comma lists work`).default('kql'))
      .option('-o, --out <dir>', 'write one file per rule and target: <dir>/<target>/<path mirroring the input>.<ext>')
      .option('--check', 'with --out: compare instead of writing; exit 1 and list the files that are stale')
      .option('--templates <dir>', 'Handlebars templates folder (one sub-folder per target) to use instead of the built-in ones')
      .option('--strict', 'treat warnings (e.g. raw JSON field names assumed for Logs Insights) as errors')
      .option('-j, --jobs <n>', 'threads for a batch of rules (default: the number of cores; output is the same for any number)'),
  )
    .addHelpText(
      'after',
      `
Examples:
  transpile --target kql rules/aws_cloudtrail/aws_kms_cmk_loss.yml      print the Sentinel KQL query
  transpile -t sigma,yaral rules/okta                                   several targets, a whole folder
  transpile -t all --out out rules                                      write out/<target>/<rule path>.<ext>
  transpile -t all --out out --check rules                              exit 1 if out/ is stale
  transpile test rules                                                  prove every lift against the rules' Tests
  transpile explain rules/aws_cloudtrail/aws_kms_cmk_loss.yml           condition, exclusions, indicators, outputs

Exit status: 0 ok; 1 a rule failed to load/lift/render, or --check found stale files; 2 bad command line.`,
    )
    .action(async (paths: string[], opts) => {
      code = await cmdConvert(paths, opts, io);
    });
  common(
    program
      .command('test')
      .description("evaluate each lifted rule, and each target artifact read back by that target's evaluator, on the rule's own Panther Tests (exit 1 if a test disagrees)")
      .argument('<paths...>', 'rule YAML files or folders')
      .option('-v, --verbose', 'show every test and every reason')
      .option('-t, --target <targets>', 'targets whose artifacts are read back and run on the tests (comma list, or all)', 'all')
      .option('--templates <dir>', 'Handlebars templates folder to render with (as for convert)')
      .option('-j, --jobs <n>', 'threads for a batch of rules (default: the number of cores; output is the same for any number)')
      .option('--mutants', "also run each exact artifact on the test logs changed one key at a time (taken away, emptied, its text in another case) against the lifted rule; exit 1 if one disagrees"),
  ).action(async (paths: string[], opts) => {
    code = await cmdTest(paths, opts, io);
  });
  common(
    program
      .command('explain')
      .description("show a rule's detection logic: condition, exclusions, indicators, output fields")
      .argument('<paths...>', 'rule YAML files or folders'),
  ).action(async (paths: string[], opts) => {
    code = await cmdExplain(paths, opts, io);
  });
  common(
    program
      .command('diff')
      .description('what changed in detection logic between two versions of rules (two files, two folders, or --base <git-ref> against the working tree), with witness events')
      .argument('[paths...]', 'old and new (two rule files or two folders); with --base, the files or folders to compare (default: .)')
      .option('--base <ref>', 'compare the rules at this git revision (read with git, nothing checked out) with the working tree')
      .option('--format <format>', 'text (colour on a terminal), markdown (for a pull-request comment) or json', 'text')
      .option('--fail-on <list>', 'exit 1 when a rule is widened, narrowed or changed (comma list); a logic change without a witness trips every gate')
      .option('-t, --target <targets>', 'targets whose artifacts are diffed (comma list, or all)', 'all')
      .option('--templates <dir>', 'Handlebars templates folder to render with (as for convert)'),
  )
    .addHelpText(
      'after',
      `
Examples:
  transpile diff old/rules new/rules                      rules matched by RuleID
  transpile diff rules/a.yml /tmp/a.yml                   two versions of one rule
  transpile diff --base HEAD~1 rules                      the rules at HEAD~1 against the working tree
  transpile diff --base main --format markdown --fail-on widened rules

Exit status: 0 (also when rules changed) unless a --fail-on gate trips (1); 1 a rule could not be read or lifted; 2 bad command line.`,
    )
    .action(async (paths: string[], opts) => {
      code = await cmdDiff(paths, opts, io);
    });
  common(
    program
      .command('report')
      .description('migration report: rules × targets, fidelity, proof on the tests, reasons with file:line, totals, fields to map; HTML, Markdown, JSON or SARIF 2.1.0')
      .argument('<paths...>', 'rule YAML files or folders')
      .option('-o, --output <file>', 'write the report to this file (default: stdout); its extension chooses the format unless --format is given')
      .option('--format <format>', `${REPORT_FORMATS.join(', ')} (default: from --output's extension, else html)`)
      .option('-t, --target <targets>', 'targets in the matrix (comma list, or all)', 'all')
      .option('--templates <dir>', 'Handlebars templates folder to render with (as for convert)')
      .option('-j, --jobs <n>', 'threads for a batch of rules (default: the number of cores; output is the same for any number)'),
  )
    .addHelpText(
      'after',
      `
Examples:
  transpile report rules -o report.html                   one self-contained HTML file (sortable, filterable)
  transpile report rules --format markdown > REPORT.md
  transpile report rules -o results.sarif                 SARIF 2.1.0 for code scanning
  transpile report rules --format json -t kql,sigma

Exit status: 0; 1 a rule could not be read or lifted (it is in the report) or the file could not be written; 2 bad command line.`,
    )
    .action(async (paths: string[], opts) => {
      code = await cmdReport(paths, opts, io);
    });
  common(
    program
      .command('list')
      .description('list what the tool knows')
      .argument('<what>', 'logtypes (field-mapping coverage per target) or targets')
      .argument('[paths...]', 'logtypes: rule files or folders whose log types are listed too, with their rule counts'),
  ).action(async (what: string, paths: string[], opts) => {
    code = await cmdList(what, opts, io, paths);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`transpile: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TranspileError) {
      io.err(`${formatDiagnostic(e.diag)}\n`);
      return 1;
    }
    if (io.env.TRANSPILE_DEBUG) throw e;
    io.err(`transpile: internal error: ${e instanceof Error ? e.message : String(e)}\n  (set TRANSPILE_DEBUG=1 for the stack trace, and please report it)\n`);
    return 1;
  }
  return code;
}
