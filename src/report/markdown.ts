/** The migration report in Markdown: totals, the matrix, the fields to map, and the reasons per rule. */
import type { Report, ReportCell, Totals } from './model.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function cellText(c: ReportCell | undefined): string {
  if (!c) return '-';
  return `${c.fidelity}${c.proven ? ' ✓' : ''}`;
}

function totalsRow(name: string, t: Totals): string {
  return `| ${cell(name)} | ${t.exact} | ${t.proven} | ${t.approximate} | ${t.unsupported} | ${t.error} |`;
}

export function toMarkdown(rep: Report): string {
  const out: string[] = [];
  out.push(`# Migration report`, '', `${rep.rules.length} rules from ${rep.paths.map((p) => `\`${p}\``).join(', ')}, ${rep.tool.name} ${rep.tool.version}, ${rep.generated}.`);
  out.push('', "Each cell: the artifact's fidelity; ✓ when it was proven (it claims exact, its target's evaluator read it back and agreed with at least one of the rule's tests and refused none).", '');
  out.push('## Totals per target', '', '| target | exact | proven | approximate | unsupported | error |', '|---|---:|---:|---:|---:|---:|');
  for (const t of rep.targets) out.push(totalsRow(t, rep.totals[t] as Totals));
  out.push('', '## Exact per log type', '', `| log type | rules | ${rep.targets.join(' | ')} |`, `|---|---:|${rep.targets.map(() => '---:').join('|')}|`);
  for (const [lt, per] of Object.entries(rep.byLogType)) {
    const n = rep.rules.filter((r) => (r.logType || '(none)') === lt).length;
    out.push(`| ${cell(lt)} | ${n} | ${rep.targets.map((t) => `${per[t]?.exact ?? 0}`).join(' | ')} |`);
  }
  out.push('', '## Matrix', '', `| rule | log type | lift | ${rep.targets.join(' | ')} |`, `|---|---|---|${rep.targets.map(() => '---').join('|')}|`);
  for (const r of rep.rules) out.push(`| \`${cell(r.id || r.file)}\` | ${cell(r.logType)} | ${r.fidelity} | ${rep.targets.map((t) => cellText(r.targets[t])).join(' | ')} |`);
  if (rep.mappings.length) {
    out.push('', '## Field mappings needed', '', '| target | log type | rules | fields to map |', '|---|---|---:|---|');
    for (const m of rep.mappings) out.push(`| ${m.target} | ${cell(m.logType)} | ${m.rules.length} | ${m.fields.length ? m.fields.map((f) => `\`${cell(f)}\``).join(', ') : '(the whole log type)'} |`);
  }
  out.push('', '## Reasons', '');
  for (const r of rep.rules) {
    if (r.error) {
      out.push(`### \`${r.file}\``, '', `- error ${r.error.code}: ${r.error.message} (${r.error.file}:${r.error.line})`, '');
      continue;
    }
    const cells = rep.targets.filter((t) => (r.targets[t]?.reasons.length ?? 0) > 0);
    if (r.reasons.length === 0 && cells.length === 0) continue;
    out.push(`### \`${r.id}\``, '', `\`${r.file}\`${r.pyFile ? ` + \`${r.pyFile}\`` : ''}; lift ${r.fidelity}, tests ${r.tests.passed}/${r.tests.passed + r.tests.failed}`, '');
    for (const x of r.reasons) out.push(`- lift: ${x.code}${x.direction ? ` (${x.direction})` : ''}: ${x.message} (${x.file}:${x.line})`);
    for (const t of cells) for (const x of r.targets[t]!.reasons) out.push(`- ${t} ${r.targets[t]!.fidelity}: ${x.code}${x.direction ? ` (${x.direction})` : ''}: ${x.message} (${x.file}:${x.line})`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
