#!/usr/bin/env node
// Soundness beyond the rule's own tests: every artifact a target calls `exact` (and proven on the tests) is
// run on the rule's test logs with one field taken away at a time, and must decide as the lifted rule does.
// A missing field is the commonest way real events differ from test logs, and the case a target is most
// likely to read differently (a null, an empty string, an absent column). The lifted rule (src/ast/evaluate.ts,
// Python's semantics; proven on the tests first) is the reference; a mutant on which it raises is skipped.
//
//   node scripts/mutation-check.mjs <rules folder> [-t kql,sigma,...] [--json] [--max N] [--kinds remove,empty,null,case]
//   (TRANSPILE_DIST=<build folder> measures another build than dist/, see lib.mjs)
//
// --kinds: also `empty` (a value's empty form: "", [], {}; not where the mapping says a string is never empty),
// `null` (JSON null) and `case` (a string in upper case, or lower). Prints each disagreement (rule, target, test, the kind and the key
// changed, what each side decided) and a total per target. Exit status 0 when none disagree, 1 otherwise.
import { prepare, renderProven, targetNames, defaultTemplatesDir, loadMappings, collectRuleFiles, checkMutants } from './lib.mjs';

const args = process.argv.slice(2);
const dirs = [];
let only = null;
let json = false;
let max = Infinity;
let kinds = ['remove'];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-t' || a === '--target') only = args[++i].split(',');
  else if (a === '--json') json = true;
  else if (a === '--max') max = Number(args[++i]);
  else if (a === '--kinds') kinds = args[++i].split(',');
  else dirs.push(a);
}
if (dirs.length !== 1) {
  console.error('usage: node scripts/mutation-check.mjs <rules folder> [-t kql,sigma,...] [--json] [--max N] [--kinds remove,empty,null,case]');
  process.exit(2);
}
const targets = (only ?? targetNames).filter((t) => t !== 'ast');

const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
const files = collectRuleFiles([dirs[0]], () => '');
const per = Object.fromEntries(targets.map((t) => [t, { artifacts: 0, mutants: 0, skipped: 0, disagree: 0, rules: new Set() }]));
const findings = [];
for (const f of files) {
  const p = prepare(f, {});
  if (!p.rule || !p.report || p.report.fidelity !== 'exact') continue;
  for (const t of targets) {
    let r;
    try {
      r = renderProven(p.rule, t, ctx);
    } catch {
      continue;
    }
    if (r.output.fidelity !== 'exact' || !r.proof || r.proof.fidelity !== 'exact') continue;
    const m = checkMutants(r.output, p.rule, ctx.mapper, { maxPaths: max, kinds });
    if (!m) continue;
    per[t].artifacts++;
    per[t].mutants += m.decided;
    per[t].skipped += m.skipped;
    per[t].disagree += m.disagreements.length;
    if (m.disagreements.length) per[t].rules.add(p.rule.meta.id);
    for (const d of m.disagreements) findings.push({ rule: p.rule.meta.id, file: f.path, ...d });
  }
}
if (json) {
  console.log(JSON.stringify({ targets: Object.fromEntries(Object.entries(per).map(([t, v]) => [t, { ...v, rules: [...v.rules] }])), findings }, null, 2));
} else {
  for (const x of findings) console.log(`${x.target}\t${x.rule}\ttest '${x.test}' ${x.kind} ${x.removed}: Python ${x.python}, artifact ${x.artifact}\t${x.file}`);
  for (const [t, v] of Object.entries(per)) console.log(`${t}: ${v.artifacts} exact artifacts, ${v.mutants} mutants decided (${v.skipped} skipped: Python raises or the evaluator refuses), ${v.disagree} disagree in ${v.rules.size} rules`);
}
process.exit(findings.length ? 1 : 0);
