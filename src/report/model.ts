/**
 * The migration report's data: per rule and target, the fidelity, whether the artifact was proven on
 * the rule's tests, and the reasons (construct, file:line); totals per target and per log type; the
 * rules that need a field mapping, with the fields to map. Every format (html.ts, markdown.ts,
 * sarif.ts, JSON) prints this one model.
 */
import path from 'node:path';
import type { Reason } from '../ast/types.js';
import type { PipelineOptions } from '../pipeline.js';
import type { RenderContext } from '../targets/types.js';
import { analyse, isProven, type Analysed } from './analyse.js';

export interface ReportReason {
  code: string;
  message: string;
  file: string;
  line: number;
  col?: number;
  direction?: string;
}

export interface ReportCell {
  fidelity: 'exact' | 'approximate' | 'unsupported' | 'error';
  /** Claims exact and agreed with at least one test, none refused (as `transpile test` counts). */
  proven: boolean;
  tests: { passed: number; failed: number; declared: number; notEvaluable: number; mocked: number };
  /** This target's own reasons (the rule's lift reasons are on the rule). */
  reasons: ReportReason[];
}

export interface ReportRule {
  id: string;
  file: string;
  pyFile?: string;
  logType: string;
  logTypes: string[];
  severity?: string;
  fidelity: 'exact' | 'approximate' | 'unsupported' | 'error';
  tests: { passed: number; failed: number; skipped: number };
  reasons: ReportReason[];
  targets: Record<string, ReportCell>;
  error?: ReportReason;
}

export interface Totals {
  exact: number;
  approximate: number;
  unsupported: number;
  error: number;
  proven: number;
}

export interface MappingNeed {
  target: string;
  logType: string;
  /** Empty when the whole log type has no mapping for the target. */
  fields: string[];
  rules: string[];
}

export interface Report {
  tool: { name: string; version: string };
  generated: string;
  paths: string[];
  targets: string[];
  rules: ReportRule[];
  totals: Record<string, Totals>;
  byLogType: Record<string, Record<string, Totals>>;
  mappings: MappingNeed[];
  /** Milliseconds spent building the report's data. */
  ms: number;
}

const emptyTotals = (): Totals => ({ exact: 0, approximate: 0, unsupported: 0, error: 0, proven: 0 });

export function relPath(f: string): string {
  const rel = path.relative(process.cwd(), f);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : f;
}

/**
 * Outputs name a rule's files from its tree folder (`aws_cloudtrail/x.py`, the same from any working
 * directory); a report is read here and now, so it names them from the working directory again.
 */
function fromTree(file: string, ruleFile: string): string {
  const root = path.dirname(path.resolve(ruleFile));
  const prefix = `${path.basename(root)}/`;
  return file.startsWith(prefix) ? relPath(path.join(path.dirname(root), file)) : relPath(file);
}

function reason(r: Reason, ruleFile: string): ReportReason {
  return { code: r.code, message: r.message, file: fromTree(r.file, ruleFile), line: r.line, ...(r.col ? { col: r.col } : {}), ...(r.direction ? { direction: r.direction } : {}) };
}

const reasonKey = (r: { code: string; message: string }): string => `${r.code}\u0000${r.message}`;

export interface BuildInput {
  files: string[];
  paths: string[];
  targets: string[];
  popts: PipelineOptions;
  ctx: RenderContext;
  version: string;
  onProgress?: (done: number, total: number) => void;
  /** Each file's analysis when it was computed already (by worker threads, `src/cli/pool.ts`); default `analyse`. */
  analysed?: (file: string, i: number) => Analysed;
}

export function buildReport(inp: BuildInput): Report {
  const t0 = Date.now();
  const rules: ReportRule[] = [];
  const needs = new Map<string, MappingNeed>();
  for (const [i, f] of inp.files.entries()) {
    inp.onProgress?.(i + 1, inp.files.length);
    const a = inp.analysed ? inp.analysed(f, i) : analyse(f, inp.popts, inp.ctx, inp.targets);
    if (!a.rule || !a.report) {
      const d = a.error!;
      const er: ReportReason = { code: d.code, message: d.message, file: relPath(d.file ?? f), line: d.line ?? 1, ...(d.col ? { col: d.col } : {}) };
      rules.push({ id: '', file: relPath(f), logType: '', logTypes: [], fidelity: 'error', tests: { passed: 0, failed: 0, skipped: 0 }, reasons: [], targets: {}, error: er });
      continue;
    }
    const rule = a.rule;
    const lift = new Set(a.report.reasons.map(reasonKey));
    const targets: Record<string, ReportCell> = {};
    for (const t of inp.targets) {
      const r = a.targets[t];
      if (!r?.output) {
        const d = r?.error;
        targets[t] = { fidelity: 'error', proven: false, tests: { passed: 0, failed: 0, declared: 0, notEvaluable: 0, mocked: 0 }, reasons: d ? [{ code: d.code, message: d.message, file: relPath(d.file ?? f), line: d.line ?? 1 }] : [] };
        continue;
      }
      const own = r.output.reasons.filter((x) => !lift.has(reasonKey(x))).map((x) => reason(x, f));
      targets[t] = {
        fidelity: r.output.fidelity,
        proven: isProven(r.proof),
        tests: r.proof?.tests ?? { passed: 0, failed: 0, declared: 0, notEvaluable: 0, mocked: 0 },
        reasons: own,
      };
      for (const x of r.output.reasons) {
        const lt = rule.meta.logTypes[0] ?? '';
        let field: string | null = null;
        if (x.code === 'unsupported-unmapped-field') field = /field (\S+) of /.exec(x.message)?.[1] ?? null;
        else if (x.code !== 'unsupported-log-type') continue;
        const key = `${t}\u0000${lt}`;
        const need = needs.get(key) ?? { target: t, logType: lt, fields: [], rules: [] };
        if (field && !need.fields.includes(field)) need.fields.push(field);
        if (!need.rules.includes(rule.meta.id)) need.rules.push(rule.meta.id);
        needs.set(key, need);
      }
    }
    rules.push({
      id: rule.meta.id,
      file: fromTree(rule.meta.file, f),
      ...(rule.meta.pyFile ? { pyFile: fromTree(rule.meta.pyFile, f) } : {}),
      logType: rule.meta.logTypes[0] ?? '',
      logTypes: rule.meta.logTypes,
      severity: rule.meta.severity,
      fidelity: a.report.fidelity,
      tests: a.report.tests,
      reasons: a.report.reasons.map((x) => reason(x, f)),
      targets,
    });
  }
  const totals: Record<string, Totals> = {};
  const byLogType: Record<string, Record<string, Totals>> = {};
  for (const t of inp.targets) totals[t] = emptyTotals();
  for (const r of rules) {
    const lt = r.logType || '(none)';
    byLogType[lt] ??= Object.fromEntries(inp.targets.map((t) => [t, emptyTotals()]));
    for (const t of inp.targets) {
      const c = r.targets[t];
      const fid = c?.fidelity ?? 'error';
      for (const tot of [totals[t] as Totals, byLogType[lt]![t] as Totals]) {
        tot[fid]++;
        if (c?.proven) tot.proven++;
      }
    }
  }
  // the log types' unmapped fields: those blocking the most rules first
  const mappings = [...needs.values()].map((n) => ({ ...n, fields: n.fields.sort() })).sort((a, b) => b.rules.length - a.rules.length || a.target.localeCompare(b.target) || a.logType.localeCompare(b.logType));
  return {
    tool: { name: 'panther-transpile', version: inp.version },
    generated: new Date().toISOString(),
    paths: inp.paths,
    targets: inp.targets,
    rules,
    totals,
    byLogType: Object.fromEntries(Object.entries(byLogType).sort(([a], [b]) => a.localeCompare(b))),
    mappings,
    ms: Date.now() - t0,
  };
}
