#!/usr/bin/env node
// Target quality over a corpus of Panther rules (e.g. a panther-analysis checkout's rules/ folder).
// Run by hand after `npm run build`; not part of the test suite (the corpus is not in this repository,
// and nothing of it is copied here: files are only read).
//
//   node scripts/check-corpus-targets.mjs <rules folder> [--json] [--top N] [--all]
//   (TRANSPILE_DIST=<build folder> measures another build than dist/, see lib.mjs)
//
// Every rule is lifted and proven against its own tests with the compiled pipeline (dist/); the rules
// whose lift is `exact` (every rule with --all, as `transpile test` counts) are rendered on every target
// and counted per target:
// - outputs rendered, refused (comment-only artifacts), render errors;
// - target fidelity exact / approximate / unsupported, and the exact artifacts proven on their tests;
// - KQL and Sentinel: exact (proven) counted apart for sourced tables (a Sentinel table a connector ships)
//   and inferred ones (the custom-log table `<Name>_CL` of a log type without one, see mappings/README.md),
//   with the log types read from custom-log tables;
// - YARA-L: exact (proven) counted apart for sourced log types (a Chronicle default parser the mapping
//   names) and inferred ones (a custom log type whose parser follows the stated convention, see
//   mappings/README.md "Custom log types"), with the log types read as custom log types;
// - KQL: analysed by Kusto.Language against the Sentinel schemas (a custom-log table declared from the
//   rule's own fields), errors by code;
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
import { prepare, renderProven, targetNames, defaultTemplatesDir, loadMappings, collectRuleFiles, checkKql, customKqlTables, validateAnalyticRule } from './lib.mjs';

const root = new URL('../', import.meta.url);

// ---------------------------------------------------------------------------------------------
// Arguments

const args = process.argv.slice(2);
const json = args.includes('--json');
const all = args.includes('--all');
const topAt = args.indexOf('--top');
const TOP = topAt >= 0 ? Number(args[topAt + 1]) : 6;
const dirs = args.filter((a, i) => !a.startsWith('--') && !(topAt >= 0 && i === topAt + 1));
if (dirs.length !== 1 || !fs.existsSync(dirs[0]) || !fs.statSync(dirs[0]).isDirectory()) {
  console.error('usage: node scripts/check-corpus-targets.mjs <rules folder> [--json] [--top N] [--all]');
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

// `tables`: the custom-log table the rule declares (none for a sourced table)
const kqlErrors = (q, tables) => checkKql(q, { tables }).map((d) => d.code);

/** Sentinel: [] when the analytic rule is valid, else its problems (messages without rule-specific names). */
function sentinelProblems(text, tables) {
  const docs = parseAllDocuments(text);
  if (docs.length !== 1) return [`${docs.length} YAML documents`];
  if (docs[0].errors.length) return [`yaml: ${docs[0].errors[0].message.split('\n')[0]}`];
  const checkQuery = (q) => checkKql(q, { tables }).map((d) => `${d.code}`);
  const columnExists = (q, c) => checkKql(`${q.trimEnd()}\n| project ${c}`, { tables }).length === 0;
  return validateAnalyticRule(docs[0].toJS(), { checkQuery, columnExists });
}

// ---------------------------------------------------------------------------------------------
// Run

const t0 = performance.now();
const files = collectRuleFiles([dirs[0]], () => '');
const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
const lift = { files: files.length, lifted: 0, exact: 0, approximate: 0, unsupported: 0, errors: 0 };
const per = Object.fromEntries(
  targetNames.map((t) => [t, { rendered: 0, refused: 0, renderErrors: 0, exact: 0, approximate: 0, unsupported: 0, proven: 0, checked: 0, valid: 0, invalid: 0, problems: new Map(), codes: new Map(), messages: new Map() }]),
);
/** KQL and Sentinel by the kind of table: sourced (a connector's) or inferred (a custom-log table). */
const TABLED = ['kql', 'sentinel'];
const byTable = Object.fromEntries(TABLED.map((t) => [t, { sourced: { rendered: 0, exact: 0, proven: 0 }, inferred: { rendered: 0, exact: 0, proven: 0 } }]));
/** Log types read from a custom-log table: table, rules rendered, KQL exact, KQL proven. */
const inferredTypes = new Map();
/** YARA-L by the kind of log type: sourced (a Chronicle default parser) or inferred (a custom log type). */
const yaralByKind = { sourced: { rendered: 0, exact: 0, proven: 0 }, inferred: { rendered: 0, exact: 0, proven: 0 } };
/** Log types read as custom log types on YARA-L: rules rendered, exact, proven. */
const yaralInferredTypes = new Map();
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
  // read, lifted and proven as the CLI does it (helpers and data models found from the folder argument)
  const p = prepare(f, {});
  if (!p.rule || !p.report) {
    lift.errors++;
    continue;
  }
  const rule = p.rule;
  lift.lifted++;
  lift[p.report.fidelity]++;
  if (p.report.fidelity !== 'exact' && !all) continue;
  const logType = rule.meta.logTypes[0];
  const kqlSource = logType ? ctx.mapper.source(logType, 'kql') : undefined;
  const tables = customKqlTables(ctx.mapper, rule);
  const kind = kqlSource?.custom ? 'inferred' : 'sourced';
  if (kind === 'inferred') {
    let e = inferredTypes.get(logType);
    if (!e) inferredTypes.set(logType, (e = { table: kqlSource.table, rules: 0, exact: 0, proven: 0 }));
    e.rules++;
  }
  for (const t of targetNames) {
    const s = per[t];
    let o;
    let proven = false;
    try {
      const r = renderProven(rule, t, ctx); // the fidelity each artifact states is the proven one
      o = r.output;
      proven = !!r.proof && r.proof.fidelity === 'exact' && r.proof.tests.passed > 0 && r.proof.tests.notEvaluable === 0;
    } catch (e) {
      s.renderErrors++;
      bump(s.problems, `render error: ${String(e?.message ?? e).slice(0, 80)}`);
      continue;
    }
    s.rendered++;
    s[o.fidelity]++;
    if (proven) s.proven++;
    if (TABLED.includes(t) && logType) {
      const b = byTable[t][kind];
      b.rendered++;
      if (o.fidelity === 'exact') b.exact++;
      if (proven) b.proven++;
      if (t === 'kql' && kind === 'inferred') {
        const e = inferredTypes.get(logType);
        if (o.fidelity === 'exact') e.exact++;
        if (proven) e.proven++;
      }
    }
    if (t === 'yaral' && logType) {
      // a rule over several log types is inferred when one of those it covers is a custom log type
      const lts = o.logTypes ?? [logType];
      const custom = lts.filter((lt) => ctx.mapper.source(lt, 'yaral')?.custom);
      const b = yaralByKind[custom.length > 0 ? 'inferred' : 'sourced'];
      b.rendered++;
      if (o.fidelity === 'exact') b.exact++;
      if (proven) b.proven++;
      for (const lt of custom) {
        let e = yaralInferredTypes.get(lt);
        if (!e) yaralInferredTypes.set(lt, (e = { rules: 0, exact: 0, proven: 0 }));
        e.rules++;
        if (o.fidelity === 'exact') e.exact++;
        if (proven) e.proven++;
      }
    }
    for (const c of new Set(o.reasons.map((r) => r.code))) bump(s.codes, c);
    for (const m of new Set(o.reasons.map((r) => `${r.code}: ${stem(r.message)}`))) bump(s.messages, m);
    const isRefused = COMMENT[t] ? refused(o.text, COMMENT[t]) : false;
    if (isRefused) {
      s.refused++;
      continue;
    }
    let problems = null;
    if (t === 'kql') problems = kqlErrors(o.text, tables);
    else if (t === 'sentinel') problems = sentinelProblems(o.text, tables);
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
  const out = { folder: dirs[0], seconds: Number(seconds), lift, targets: {}, byTable, inferredTables: Object.fromEntries([...inferredTypes].sort()), yaralByKind, yaralInferredTypes: Object.fromEntries([...yaralInferredTypes].sort()) };
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
  `rules: ${lift.files} files, ${lift.lifted} lifted (${lift.exact} exact, ${lift.approximate} approximate, ${lift.unsupported} unsupported), ${lift.errors} not read or lifted; ${all ? `all ${lift.lifted}` : `${lift.exact} exact`} rules rendered on ${targetNames.length} targets in ${seconds}s`,
);
console.log('');
const VALID = { kql: 'Kusto.Language OK', sentinel: 'schema OK', sigma: 'JSON schema OK' };
const head = ['target', 'rendered', 'refused', 'errors', 'exact', 'proven', 'approx', 'unsupp', 'exact %', 'checked', 'valid', 'invalid', 'check'];
const rows = targetNames.map((t) => {
  const s = per[t];
  const has = t in VALID;
  return [t, s.rendered, s.refused, s.renderErrors, s.exact, s.proven, s.approximate, s.unsupported, pct(s.exact, s.rendered), has ? s.checked : '-', has ? s.valid : '-', has ? s.invalid : '-', VALID[t] ?? '(no checker)'].map(String);
});
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));

console.log('');
console.log('KQL and Sentinel by table: sourced (a table a Microsoft connector or solution ships) or inferred (a custom-log table <Name>_CL)');
for (const t of TABLED) {
  const { sourced: a, inferred: b } = byTable[t];
  console.log(`  ${t.padEnd(8)}  sourced: ${a.exact} exact (${a.proven} proven) of ${a.rendered}   inferred: ${b.exact} exact (${b.proven} proven) of ${b.rendered}`);
}
if (inferredTypes.size) {
  const list = [...inferredTypes].sort((x, y) => y[1].rules - x[1].rules || x[0].localeCompare(y[0]));
  console.log(`  ${list.length} log types read from custom-log tables (rules, kql exact, proven): ${list.slice(0, TOP * 3).map(([lt, e]) => `${lt} ${e.rules}/${e.exact}/${e.proven}`).join(', ')}${list.length > TOP * 3 ? ', …' : ''}`);
}

if (targetNames.includes('yaral')) {
  const { sourced: a, inferred: b } = yaralByKind;
  console.log('YARA-L by log type: sourced (a Chronicle default parser the mapping names) or inferred (a custom log type, its parser by the stated convention)');
  console.log(`  yaral     sourced: ${a.exact} exact (${a.proven} proven) of ${a.rendered}   inferred: ${b.exact} exact (${b.proven} proven) of ${b.rendered}`);
  if (yaralInferredTypes.size) {
    const list = [...yaralInferredTypes].sort((x, y) => y[1].rules - x[1].rules || x[0].localeCompare(y[0]));
    console.log(`  ${list.length} log types read as custom log types (rules, yaral exact, proven): ${list.slice(0, TOP * 3).map(([lt, e]) => `${lt} ${e.rules}/${e.exact}/${e.proven}`).join(', ')}${list.length > TOP * 3 ? ', …' : ''}`);
  }
}

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
