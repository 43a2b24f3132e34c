#!/usr/bin/env node
// Measure the lift over a Panther rule tree (e.g. a panther-analysis checkout, never committed here):
// fidelity summary for Python rules, tests, the most common reasons and the exact share per log type.
// Usage: npm run build && node scripts/corpus-report.mjs <rules-folder> [top-N]
import { performance } from 'node:perf_hooks';

import { loadRuleFile, liftLoaded, proveRule, collectRuleFiles } from './lib.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/corpus-report.mjs <rules-folder> [top-N]');
  process.exit(2);
}
const top = Number(process.argv[3] ?? 10);
const t0 = performance.now();
const rows = [];
for (const f of collectRuleFiles([dir], () => '')) {
  try {
    const loaded = loadRuleFile(f.path, undefined, f.root);
    const rule = liftLoaded(loaded);
    const rep = proveRule(rule, loaded);
    rows.push({ file: f.path, python: !!loaded.python && loaded.analysisType === 'rule', logTypes: loaded.meta.logTypes, rep });
  } catch (e) {
    rows.push({ file: f.path, python: false, logTypes: [], error: e.diag?.message ?? String(e) });
  }
}
const ms = performance.now() - t0;
const py = rows.filter((r) => r.python);
const count = (rs, fid) => rs.filter((r) => r.rep?.fidelity === fid).length;
const tests = py.reduce((a, r) => ({ p: a.p + r.rep.tests.passed, f: a.f + r.rep.tests.failed }), { p: 0, f: 0 });
const undeclared = py.filter((r) => r.rep.reasons.some((x) => x.code === 'test-disagrees')).length;
console.log(`${rows.length} rule files in ${(ms / 1000).toFixed(1)} s; ${py.length} Python rules (AnalysisType: rule)`);
console.log('');
console.log('| fidelity | Python rules | share |');
console.log('|---|--:|--:|');
for (const fid of ['exact', 'approximate', 'unsupported']) console.log(`| ${fid} | ${count(py, fid)} | ${((100 * count(py, fid)) / py.length).toFixed(1)}% |`);
console.log(`| tests passed / failed | ${tests.p} / ${tests.f} | rules whose lift disagrees with a test: ${undeclared} |`);
console.log('');
const reasons = new Map();
for (const r of py) {
  if (r.rep.fidelity === 'exact') continue;
  const seen = new Set();
  for (const x of r.rep.reasons) {
    const k = `${x.code}: ${x.message.replace(/'[^']*'/g, "'…'").replace(/\d+ nodes/, 'N nodes').slice(0, 90)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    reasons.set(k, (reasons.get(k) ?? 0) + 1);
  }
}
console.log(`Top ${top} reasons (rules having each):`);
for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${String(n).padStart(4)}  ${k}`);
console.log('');
const byLt = new Map();
for (const r of py) for (const lt of r.logTypes) {
  const e = byLt.get(lt) ?? { n: 0, exact: 0 };
  e.n++;
  if (r.rep.fidelity === 'exact') e.exact++;
  byLt.set(lt, e);
}
console.log(`| log type (top ${top} by rules) | rules | exact | share |`);
console.log('|---|--:|--:|--:|');
for (const [lt, e] of [...byLt].sort((a, b) => b[1].n - a[1].n).slice(0, top)) console.log(`| ${lt} | ${e.n} | ${e.exact} | ${((100 * e.exact) / e.n).toFixed(1)}% |`);
const errs = rows.filter((r) => r.error);
if (errs.length) console.log(`\n${errs.length} files not lifted: ${errs.slice(0, 5).map((r) => `${r.file}: ${r.error}`).join('; ')}`);
