/**
 * `transpile diff`: two sets of rules (two files, two folders, or a git revision and the working
 * tree) matched by RuleID, each pair compared by compare.ts; and the text, Markdown and JSON forms.
 */
import type { Rule } from '../ast/types.js';
import { formatDiagnostic } from '../diagnostics.js';
import type { PipelineOptions } from '../pipeline.js';
import { liftOne, renderTargets, type Analysed } from '../report/analyse.js';
import type { RenderContext } from '../targets/types.js';
import { compareRule, oneSided, type DiffError, type RuleDiff, type Side } from './compare.js';
import type { SideFiles } from './sources.js';

export type { RuleDiff } from './compare.js';

export interface DiffSummary {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** Changed rules whose detection logic changed (condition or threshold). */
  logicChanged: number;
  /** Changed rules whose detection logic did not change (rewrites, metadata, outputs). */
  logicUnchanged: number;
  /** Logic changes with at least one witness event. */
  witnessed: number;
  widened: number;
  narrowed: number;
  /** Logic changes whose direction no witness shows. */
  unknown: number;
  errors: number;
}

export interface DiffRun {
  old: string;
  new: string;
  targets: string[];
  summary: DiffSummary;
  rules: RuleDiff[];
  errors: DiffError[];
}

export interface DiffInput {
  old: SideFiles & { label: string };
  new: SideFiles & { label: string };
  targets: string[];
  popts: PipelineOptions;
  ctx: RenderContext;
  /** Candidate events tried per rule when looking for witnesses. */
  budget?: number;
  onProgress?: (done: number, total: number) => void;
}

function sameRule(a: Rule, ca: (t: string) => string, b: Rule, cb: (t: string) => string): boolean {
  return ca(ruleJson(a)) === cb(ruleJson(b));
}

/** A rule as JSON without the spans of its atoms (where their Python is, not what they test; an opaque piece keeps its own). */
function ruleJson(r: Rule): string {
  return JSON.stringify(r, function (this: { k?: unknown }, k: string, v: unknown) {
    return k === 'span' && this.k !== 'opaque' ? undefined : v;
  });
}

export function runDiff(inp: DiffInput): DiffRun {
  const errors: DiffError[] = [];
  const load = (files: string[], side: 'old' | 'new', show: (f: string) => string): Map<string, Analysed> => {
    const m = new Map<string, Analysed>();
    for (const f of files) {
      const a = liftOne(f, inp.popts);
      if (!a.rule) {
        const d = a.error!;
        errors.push({ side, file: show(f), diagnostic: { ...d, ...(d.file ? { file: show(d.file) } : {}) } });
        continue;
      }
      const id = a.rule.meta.id;
      if (m.has(id)) {
        errors.push({ side, file: show(f), diagnostic: { severity: 'warning', code: 'duplicate-rule-id', message: `RuleID ${id} is also in ${show(m.get(id)!.file)}; this one is left out`, file: show(f) } });
        continue;
      }
      m.set(id, a);
    }
    return m;
  };
  const olds = load(inp.old.files, 'old', inp.old.show);
  const news = load(inp.new.files, 'new', inp.new.show);
  const ids = [...new Set([...olds.keys(), ...news.keys()])].sort();
  const rules: RuleDiff[] = [];
  const side = (a: Analysed, s: SideFiles): Side => ({ a, show: s.show, canonical: s.canonical });
  let done = 0;
  for (const id of ids) {
    inp.onProgress?.(++done, ids.length);
    const o = olds.get(id);
    const n = news.get(id);
    if (o && n && sameRule(o.rule!, inp.old.canonical, n.rule!, inp.new.canonical)) {
      rules.push({ id, status: 'unchanged', oldFile: inp.old.show(o.file), newFile: inp.new.show(n.file), logicChanged: false, sameness: 'identical', logic: 'no change', direction: 'none', changes: [], witnesses: [], tests: [], targets: [], fidelity: { old: o.report?.fidelity, new: n.report?.fidelity } });
      continue;
    }
    if (o) renderTargets(o, inp.targets, inp.ctx);
    if (n) renderTargets(n, inp.targets, inp.ctx);
    if (o && n) rules.push(compareRule(side(o, inp.old), side(n, inp.new), inp.targets, inp.popts, inp.budget));
    else if (n) rules.push(oneSided(side(n, inp.new), 'added', inp.targets));
    else if (o) rules.push(oneSided(side(o, inp.old), 'removed', inp.targets));
  }
  const changed = rules.filter((r) => r.status === 'changed');
  const summary: DiffSummary = {
    added: rules.filter((r) => r.status === 'added').length,
    removed: rules.filter((r) => r.status === 'removed').length,
    changed: changed.length,
    unchanged: rules.filter((r) => r.status === 'unchanged').length,
    logicChanged: changed.filter((r) => r.logicChanged).length,
    logicUnchanged: changed.filter((r) => !r.logicChanged).length,
    witnessed: changed.filter((r) => r.witnesses.length > 0).length,
    widened: changed.filter((r) => r.direction === 'widened' || r.direction === 'widened and narrowed').length,
    narrowed: changed.filter((r) => r.direction === 'narrowed' || r.direction === 'widened and narrowed').length,
    unknown: changed.filter((r) => r.direction === 'unknown').length,
    errors: errors.filter((e) => e.diagnostic.severity === 'error').length,
  };
  return { old: inp.old.label, new: inp.new.label, targets: inp.targets, summary, rules, errors };
}

/** Does the run trip a CI gate? A logic change without a witness may go either way: it trips every gate. */
export function failsOn(run: DiffRun, gate: 'widened' | 'narrowed' | 'changed'): boolean {
  return run.rules.some((r) => {
    if (gate === 'changed') return r.status === 'added' || r.status === 'removed' || (r.status === 'changed' && r.logicChanged);
    if (r.status !== 'changed' || !r.logicChanged) return false;
    if (r.direction === 'unknown' || r.direction === 'widened and narrowed') return true;
    return r.direction === gate;
  });
}

// ---------------------------------------------------------------------------------------------
// Formats

export interface Paint {
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}

function summaryLine(s: DiffSummary): string {
  return `${s.changed} changed (${s.logicChanged} with a change in detection logic, ${s.logicUnchanged} without), ${s.added} added, ${s.removed} removed, ${s.unchanged} unchanged; ${s.witnessed} with witness events: ${s.widened} widened, ${s.narrowed} narrowed, ${s.unknown} of unknown direction${s.errors ? `; ${s.errors} error(s)` : ''}`;
}

function changeLine(c: { what: string; kind: string; text: string }): string {
  const sign = c.kind === 'added' ? '+' : c.kind === 'removed' ? '-' : '~';
  return `${sign} ${c.what}: ${c.text}`;
}

const json1 = (v: unknown): string => JSON.stringify(v);

export function formatText(run: DiffRun, p: Paint): string {
  const out: string[] = [];
  out.push(p.bold(`transpile diff ${run.old} → ${run.new}`));
  out.push(summaryLine(run.summary));
  for (const e of run.errors) out.push((e.diagnostic.severity === 'error' ? p.red : p.yellow)(`${e.side}: ${formatDiagnostic(e.diagnostic)}`));
  for (const r of run.rules) {
    if (r.status === 'unchanged') continue;
    out.push('');
    const mark = r.status === 'added' ? p.green('+ added') : r.status === 'removed' ? p.red('- removed') : p.yellow('~ changed');
    out.push(`${mark} ${p.bold(r.id)}  ${p.dim(r.status === 'removed' ? r.oldFile ?? '' : r.status === 'added' ? r.newFile ?? '' : `${r.oldFile} → ${r.newFile}`)}`);
    if (r.status !== 'changed') {
      out.push(`  ${r.targets.map((t) => `${t.target} ${(r.status === 'added' ? t.new : t.old)?.fidelity ?? 'error'}`).join(', ')}`);
      continue;
    }
    const dir = r.direction !== 'none' ? ` (${r.direction})` : '';
    out.push(`  ${r.logicChanged ? p.red(r.logic + dir) : p.green(r.logic)}`);
    for (const c of r.changes) out.push(`  ${(c.kind === 'added' ? p.green : c.kind === 'removed' ? p.red : p.yellow)(changeLine(c))}`);
    for (const w of r.witnesses) out.push(`  witness, ${w.label === 'now alerts' ? p.red(w.label) : p.yellow(w.label)} ${p.dim(`(${w.origin}; old ${w.old}, new ${w.new})`)}: ${json1(w.event)}`);
    if (r.witnessNote) out.push(`  ${p.dim(r.witnessNote)}`);
    for (const t of r.tests) out.push(`  test '${t.name}' (expects ${t.expected}${t.in === 'old' ? ', old version only' : t.in === 'new' ? ', new version only' : ''}): old ${t.old} → new ${t.new}`);
    for (const t of r.targets) {
      if (!t.diff) continue;
      out.push(`  ${p.bold(t.target)}${p.dim(` ${t.old?.fidelity ?? '-'} → ${t.new?.fidelity ?? '-'}`)}`);
      for (const l of t.diff.trimEnd().split('\n')) out.push(`    ${l.startsWith('+') && !l.startsWith('+++') ? p.green(l) : l.startsWith('-') && !l.startsWith('---') ? p.red(l) : l.startsWith('@@') ? p.dim(l) : l}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatMarkdown(run: DiffRun): string {
  const s = run.summary;
  const out: string[] = [];
  out.push(`### transpile diff \`${run.old}\` → \`${run.new}\``, '');
  out.push('| changed | logic changed | logic unchanged | added | removed | unchanged | witnessed | widened | narrowed | unknown direction |');
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  out.push(`| ${s.changed} | ${s.logicChanged} | ${s.logicUnchanged} | ${s.added} | ${s.removed} | ${s.unchanged} | ${s.witnessed} | ${s.widened} | ${s.narrowed} | ${s.unknown} |`, '');
  const shown = run.rules.filter((r) => r.status !== 'unchanged');
  if (shown.length) {
    out.push('| rule | status | detection logic | ' + run.targets.join(' | ') + ' |');
    out.push('|---|---|---|' + run.targets.map(() => '---').join('|') + '|');
    for (const r of shown) {
      const cells = run.targets.map((t) => {
        const d = r.targets.find((x) => x.target === t);
        if (!d) return '';
        const a = d.old?.fidelity;
        const b = d.new?.fidelity;
        return a && b && a !== b ? `${a} → ${b}` : (b ?? a ?? 'error') + (d.diff && r.status === 'changed' ? ' (text changed)' : '');
      });
      out.push(`| \`${r.id}\` | ${r.status} | ${mdCell(r.status === 'changed' ? r.logic + (r.direction !== 'none' ? ` (${r.direction})` : '') : r.logic)} | ${cells.map(mdCell).join(' | ')} |`);
    }
    out.push('');
  }
  for (const e of run.errors) out.push(`> **${e.side}**: \`${mdCell(formatDiagnostic(e.diagnostic))}\``, '');
  for (const r of shown) {
    out.push(`<details><summary><code>${r.id}</code>: ${r.status}${r.status === 'changed' ? `, ${escapeHtml(r.logic)}${r.direction !== 'none' ? ` (${r.direction})` : ''}` : ''}</summary>`, '');
    out.push(`${r.oldFile ? `old \`${r.oldFile}\`` : ''}${r.oldFile && r.newFile ? ', ' : ''}${r.newFile ? `new \`${r.newFile}\`` : ''}`, '');
    if (r.changes.length) {
      out.push('**What changed**', '');
      for (const c of r.changes) out.push(`- ${c.kind} ${c.what}: \`${c.text.replace(/`/g, "'")}\``);
      out.push('');
    }
    if (r.witnesses.length) {
      out.push('**Witness events** (checked with the evaluator on both versions)', '');
      for (const w of r.witnesses) out.push(`- **${w.label}** (old ${w.old}, new ${w.new}; ${w.origin}):`, '', '  ```json', `  ${json1(w.event)}`, '  ```');
      out.push('');
    }
    if (r.witnessNote) out.push(`_${r.witnessNote}_`, '');
    if (r.tests.length) {
      out.push('**Tests whose outcome changed**', '');
      for (const t of r.tests) out.push(`- \`${t.name}\` (expects ${t.expected}): old ${t.old} → new ${t.new}`);
      out.push('');
    }
    for (const t of r.targets) {
      if (!t.diff) continue;
      out.push(`**${t.target}** (${t.old?.fidelity ?? '-'} → ${t.new?.fidelity ?? '-'})`, '', '```diff', t.diff.trimEnd().replace(/```/g, '`\u200b``'), '```', '');
    }
    out.push('</details>', '');
  }
  return `${out.join('\n')}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

export function formatJson(run: DiffRun): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}
