#!/usr/bin/env node
// Target quality over a corpus of Panther rules (e.g. a panther-analysis checkout's rules/ folder).
// Run by hand after `npm run build`; not part of the test suite (the corpus is not in this repository,
// and nothing of it is copied here: files are only read).
//
//   node scripts/check-corpus-targets.mjs <rules folder> [--json] [--top N]
//
// Every rule is lifted and proven against its own tests with the compiled pipeline (dist/); the rules
// whose lift is `exact` are rendered on every target and counted per target:
// - outputs rendered, refused (comment-only artifacts), render errors;
// - target fidelity exact / approximate / unsupported;
// - KQL: analysed by Kusto.Language against the Sentinel schemas, errors by code;
// - Sentinel: the analytic rule parses as YAML and passes the template-schema checks (its query
//   analysed, entity mappings and custom details naming columns the query returns);
// - Sigma: every document valid against schemas/sigma/*.json (ajv, draft 2020-12, ajv-formats);
// - the most frequent reasons per target (by code, and by code and message).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { loadRule, liftLoaded, proveRule, renderProven, targetNames, defaultTemplatesDir, loadMappings, collectRuleFiles, checkKql, validateAnalyticRule } from './lib.mjs';

const root = new URL('../', import.meta.url);

// ---------------------------------------------------------------------------------------------
// Arguments

const args = process.argv.slice(2);
const json = args.includes('--json');
const topAt = args.indexOf('--top');
const TOP = topAt >= 0 ? Number(args[topAt + 1]) : 6;
const dirs = args.filter((a, i) => !a.startsWith('--') && !(topAt >= 0 && i === topAt + 1));
if (dirs.length !== 1 || !fs.existsSync(dirs[0]) || !fs.statSync(dirs[0]).isDirectory()) {
  console.error('usage: node scripts/check-corpus-targets.mjs <rules folder> [--json] [--top N]');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Checkers

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const schema = (name) => {
  const s = JSON.parse(fs.readFileSync(new URL(`schemas/sigma/${name}`, root), 'utf8'));
  delete s.$schema;
  return ajv.compile(s);
};
const validateSigmaRule = schema('sigma-detection-rule-schema.json');
const validateSigmaCorrelation = schema('sigma-correlation-rules-schema.json');

const refused = (text, comment) => text.split('\n').every((l) => l === '' || l.startsWith(comment));
const COMMENT = { kql: '//', sentinel: '#', yaral: '//', cwl: '#' };

/** Sigma: [] when every document is valid, else the first problems. */
function sigmaProblems(text) {
  const out = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length) {
      out.push(`yaml: ${d.errors[0].message.split('\n')[0]}`);
      continue;
    }
    const js = d.toJS();
    const v = js && js.correlation ? validateSigmaCorrelation : validateSigmaRule;
    if (!v(js)) for (const e of v.errors.slice(0, 3)) out.push(`${e.instancePath || '/'} ${e.message}`);
  }
  return out;
}

const kqlErrors = (q) => checkKql(q).map((d) => d.code);
const checkQuery = (q) => checkKql(q).map((d) => `${d.code}`);
const columnExists = (q, c) => checkKql(`${q.trimEnd()}\n| project ${c}`).length === 0;

/** Sentinel: [] when the analytic rule is valid, else its problems (messages without rule-specific names). */
function sentinelProblems(text) {
  const docs = parseAllDocuments(text);
  if (docs.length !== 1) return [`${docs.length} YAML documents`];
  if (docs[0].errors.length) return [`yaml: ${docs[0].errors[0].message.split('\n')[0]}`];
  return validateAnalyticRule(docs[0].toJS(), { checkQuery, columnExists });
}

// ---------------------------------------------------------------------------------------------
// Run

const t0 = performance.now();
const files = collectRuleFiles([dirs[0]], () => '');
const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
const lift = { files: files.length, lifted: 0, exact: 0, approximate: 0, unsupported: 0, errors: 0 };
const per = Object.fromEntries(
  targetNames.map((t) => [t, { rendered: 0, refused: 0, renderErrors: 0, exact: 0, approximate: 0, unsupported: 0, checked: 0, valid: 0, invalid: 0, problems: new Map(), codes: new Map(), messages: new Map() }]),
);
const bump = (m, k, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
/** A reason message with rule-specific names (fields, values, columns, numbers) masked, for grouping. */
const stem = (m) =>
  m
    .replace(/^[a-z]+: /, '')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '…')
    .replace(/\b(field|column|key|output|log type|table)\s+\S+/g, '$1 …')
    .replace(/\([^()]*\)/g, '(…)')
    .replace(/\d+/g, 'N')
    .slice(0, 110);

for (const f of files) {
  let rule;
  try {
    const loaded = loadRule(f.path);
    rule = liftLoaded(loaded);
    const report = proveRule(rule, loaded);
    rule.reasons = report.reasons;
    lift.lifted++;
    lift[report.fidelity]++;
    if (report.fidelity !== 'exact') continue;
  } catch {
    lift.errors++;
    continue;
  }
  for (const t of targetNames) {
    const s = per[t];
    let o;
    try {
      o = renderProven(rule, t, ctx).output; // the fidelity each artifact states is the proven one
    } catch (e) {
      s.renderErrors++;
      bump(s.problems, `render error: ${String(e?.message ?? e).slice(0, 80)}`);
      continue;
    }
    s.rendered++;
    s[o.fidelity]++;
    for (const c of new Set(o.reasons.map((r) => r.code))) bump(s.codes, c);
    for (const m of new Set(o.reasons.map((r) => `${r.code}: ${stem(r.message)}`))) bump(s.messages, m);
    const isRefused = COMMENT[t] ? refused(o.text, COMMENT[t]) : false;
    if (isRefused) {
      s.refused++;
      continue;
    }
    let problems = null;
    if (t === 'kql') problems = kqlErrors(o.text);
    else if (t === 'sentinel') problems = sentinelProblems(o.text);
    else if (t === 'sigma') problems = sigmaProblems(o.text);
    if (problems === null) continue;
    s.checked++;
    if (problems.length === 0) s.valid++;
    else {
      s.invalid++;
      for (const p of new Set(problems.map((p) => (t === 'sentinel' ? stem(p) : p)))) bump(s.problems, p);
    }
  }
}
const seconds = ((performance.now() - t0) / 1000).toFixed(1);

// ---------------------------------------------------------------------------------------------
// Report

const top = (m, n = TOP) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
if (json) {
  const out = { folder: dirs[0], seconds: Number(seconds), lift, targets: {} };
  for (const t of targetNames) {
    const { problems, codes, messages, ...rest } = per[t];
    out.targets[t] = { ...rest, problems: Object.fromEntries(top(problems, 50)), reasons: Object.fromEntries(top(codes, 50)), messages: Object.fromEntries(top(messages, 50)) };
  }
  console.log(JSON.stringify(out, null, 2));
  process.exit(0);
}

const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');
console.log(`corpus: ${path.resolve(dirs[0])}`);
console.log(
  `rules: ${lift.files} files, ${lift.lifted} lifted (${lift.exact} exact, ${lift.approximate} approximate, ${lift.unsupported} unsupported), ${lift.errors} not read or lifted; ${lift.exact} exact rules rendered on ${targetNames.length} targets in ${seconds}s`,
);
console.log('');
const VALID = { kql: 'Kusto.Language OK', sentinel: 'schema OK', sigma: 'JSON schema OK' };
const head = ['target', 'rendered', 'refused', 'errors', 'exact', 'approx', 'unsupp', 'exact %', 'checked', 'valid', 'invalid', 'check'];
const rows = targetNames.map((t) => {
  const s = per[t];
  const has = t in VALID;
  return [t, s.rendered, s.refused, s.renderErrors, s.exact, s.approximate, s.unsupported, pct(s.exact, s.rendered), has ? s.checked : '-', has ? s.valid : '-', has ? s.invalid : '-', VALID[t] ?? '(no checker)'].map(String);
});
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));

for (const t of targetNames) {
  const s = per[t];
  console.log('');
  console.log(`[${t}]`);
  if (s.problems.size) {
    console.log(`  ${t === 'kql' ? 'Kusto.Language errors by code' : 'validation problems'} (rules):`);
    for (const [k, n] of top(s.problems)) console.log(`    ${String(n).padStart(5)}  ${k}`);
  }
  console.log('  top reason codes (rules):');
  for (const [k, n] of top(s.codes)) console.log(`    ${String(n).padStart(5)}  ${k}`);
  console.log('  top reasons:');
  for (const [k, n] of top(s.messages)) console.log(`    ${String(n).padStart(5)}  ${k}`);
}
