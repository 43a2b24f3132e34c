#!/usr/bin/env node
// Field-mapping coverage over a folder of Panther rules (e.g. a panther-analysis checkout, never copied here).
// Usage: npm run build && node scripts/mapping-coverage.mjs <rules folder> [--top N] [--json] [--mappings DIR] [--mapping FILE]...
//   e.g. node scripts/mapping-coverage.mjs ../corpus/rules --top 30
//   --mappings DIR reads the mapping files of DIR instead of mappings/ (e.g. a `git archive` of an older
//   mappings/, to compare before and after on the same build); --mapping FILE adds overrides, as in the CLI.
// Lifts and proves every rule (as the CLI does: helpers and data models found from the folder argument), keeps
// the rules whose first log type (the one every target queries) has a mapping file and whose fidelity is `exact`, collects the field paths their condition and outputs read
// (quantifier element paths are prefixed with their list's path), and resolves each with the mapper for
// every target. Prints, per target, how many rules map completely (condition; condition + outputs) and how
// many render `exact`; the most common unmapped fields; and for KQL the Kusto.Language errors of every
// rendered query, by code. Measures, asserts nothing.
import fs from 'node:fs';
import path from 'node:path';

import { prepare, renderRule, defaultTemplatesDir, loadMappings, checkKql, customKqlTables, collectRuleFiles, fieldRef, pathText } from './lib.mjs';

const TARGETS = ['kql', 'sigma', 'yaral', 'cwl'];

// ---- arguments
const USAGE = 'usage: node scripts/mapping-coverage.mjs <rules folder> [--top N] [--json] [--mappings DIR] [--mapping FILE]...';
const args = process.argv.slice(2);
let dir;
let top = 25;
let json = false;
const extraMappings = [];
let mappingsDir;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--top') top = Number(args[++i]);
  else if (a === '--json') json = true;
  else if (a === '--mapping') extraMappings.push(args[++i]);
  else if (a === '--mappings') mappingsDir = args[++i];
  else if (a === '-h' || a === '--help') {
    console.log(USAGE);
    process.exit(0);
  } else if (!dir) dir = a;
  else {
    console.error(`unexpected argument ${a}`);
    process.exit(2);
  }
}
if (!dir || !fs.existsSync(dir) || !Number.isFinite(top)) {
  console.error(USAGE);
  process.exit(2);
}

const mapper = loadMappings({ ...(mappingsDir ? { dir: mappingsDir } : {}), extraFiles: extraMappings });
const mappedTypes = new Set(mapper.logTypes());
const ctx = { mapper, templatesDir: defaultTemplatesDir() };

// ---- field paths of a rule

/**
 * Every field path a predicate reads, absolute (quantifier element paths prefixed with the list's path).
 * `bases[d]` is the absolute path of the list of the quantifier at nesting depth d (0 = outermost).
 */
function predPaths(p, bases, out) {
  switch (p.k) {
    case 'and':
    case 'or':
      for (const a of p.args) predPaths(a, bases, out);
      return;
    case 'not':
      predPaths(p.arg, bases, out);
      return;
    case 'cmp':
      valPaths(p.left, bases, out);
      valPaths(p.right, bases, out);
      return;
    case 'in':
    case 'match':
    case 'has':
    case 'exists':
    case 'truthy':
    case 'cidr':
    case 'istype':
      valPaths(p.value, bases, out);
      return;
    case 'quant': {
      const listPath = valPaths(p.list, bases, out);
      // an element of a computed list has no field path: its reads are not counted
      if (listPath) predPaths(p.pred, [...bases, listPath], out);
      return;
    }
    default:
      return; // const, opaque
  }
}

/** Record the paths a value reads; returns the value's own absolute path when it is a field. */
function valPaths(v, bases, out) {
  const ref = fieldRef(v);
  if (ref) {
    let p = ref.path;
    if (ref.root === 'elem') {
      const base = bases[ref.depth];
      if (!base) return null;
      p = [...base, ...p];
    }
    if (p.length === 0 || typeof p[0] !== 'string') return null; // the whole event: not a field
    out.push(p);
    return p;
  }
  if (v.k === 'fn') for (const a of v.args) valPaths(a, bases, out);
  else if (v.k === 'get' || v.k === 'index') {
    valPaths(v.obj, bases, out);
    if (v.default) valPaths(v.default, bases, out);
  }
  return null;
}

function outputPaths(rule) {
  const out = [];
  for (const o of rule.outputs) {
    const ref = fieldRef(o.value);
    // the targets project only event-rooted outputs (a computed output is left out, not unmapped)
    if (ref && ref.root === 'event' && ref.path.length > 0 && typeof ref.path[0] === 'string') out.push(ref.path);
  }
  return out;
}

/** Unique paths in the log type's casing, as display text → path. */
function uniquePaths(logType, paths) {
  const m = new Map();
  for (const p of paths) {
    const canon = mapper.canonicalPath(logType, p);
    m.set(pathText(canon), canon);
  }
  return m;
}

/** Why a path is unmapped, in one word. */
function whyUnmapped(logType, target, canon) {
  if (typeof canon[0] === 'string' && canon[0].startsWith('p_')) return 'panther';
  const m = mapper.mapping(logType);
  const keys = [];
  for (const s of canon) {
    if (typeof s !== 'string') break;
    keys.push(s);
  }
  if (keys.length === canon.length && m.fields.get(JSON.stringify(keys))?.cells[target]?.name === null) return 'refused';
  for (let n = keys.length; n >= 1; n--) {
    const c = m.prefixes.get(JSON.stringify(keys.slice(0, n)))?.cells[target];
    if (c) return c.name === null ? 'refused' : 'scalar';
  }
  return 'no entry';
}

// ---- run
const files = collectRuleFiles([dir], () => '');
const totals = { files: files.length, errors: 0, mappedType: 0, exact: 0, byFidelity: { exact: 0, approximate: 0, unsupported: 0 } };
const perType = new Map(); // logType → exact rules
const cov = Object.fromEntries(
  TARGETS.map((t) => [t, { rules: 0, condComplete: 0, allComplete: 0, renderedExact: 0, reasons: new Map(), unmapped: new Map() }]),
);
const kql = { queries: 0, clean: 0, errors: new Map(), examples: new Map(), renderFailures: 0 };
const started = Date.now();

for (const f of files) {
  // read, lifted and proven as the CLI does it (helpers and data models found from the folder argument)
  const p = prepare(f, {});
  if (!p.rule || !p.report) {
    totals.errors++;
    continue;
  }
  const rule = p.rule;
  rule.fidelity = p.report.fidelity;
  const logType = rule.meta.logTypes[0];
  if (!logType || !mappedTypes.has(logType)) continue;
  totals.mappedType++;
  totals.byFidelity[rule.fidelity]++;
  if (rule.fidelity !== 'exact') continue;
  totals.exact++;
  perType.set(logType, (perType.get(logType) ?? 0) + 1);

  const condRaw = [];
  predPaths(rule.condition, [], condRaw);
  const cond = uniquePaths(logType, condRaw);
  const outs = uniquePaths(logType, outputPaths(rule));
  for (const k of cond.keys()) outs.delete(k);

  for (const t of TARGETS) {
    const c = cov[t];
    c.rules++;
    let condOk = true;
    let outOk = true;
    for (const [kind, paths] of [['condition', cond], ['output', outs]]) {
      for (const [text, canon] of paths) {
        const r = mapper.resolve(logType, t, canon);
        if (!('unmapped' in r)) continue;
        if (kind === 'condition') condOk = false;
        else outOk = false;
        const key = `${logType}\t${text}`;
        let u = c.unmapped.get(key);
        if (!u) c.unmapped.set(key, (u = { logType, path: text, condition: 0, output: 0, why: whyUnmapped(logType, t, canon) }));
        u[kind]++;
      }
    }
    if (condOk) c.condComplete++;
    if (condOk && outOk) c.allComplete++;
    let out;
    try {
      out = renderRule(rule, t, ctx);
    } catch {
      if (t === 'kql') kql.renderFailures++;
      continue;
    }
    if (out.fidelity === 'exact') c.renderedExact++;
    // why the rendering is not exact: each reason code once per rule
    for (const code of new Set(out.reasons.map((r) => r.code))) c.reasons.set(code, (c.reasons.get(code) ?? 0) + 1);
    if (t === 'kql') {
      kql.queries++;
      const diags = checkKql(out.text, { tables: customKqlTables(mapper, rule) });
      if (diags.length === 0) kql.clean++;
      for (const d of diags) {
        kql.errors.set(d.code, (kql.errors.get(d.code) ?? 0) + 1);
        if (!kql.examples.has(d.code)) kql.examples.set(d.code, `${f.path}: ${d.message}`);
      }
    }
  }
}

// ---- report
const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');
const topUnmapped = (t) =>
  [...cov[t].unmapped.values()]
    .sort((a, b) => b.condition - a.condition || b.output - a.output || a.logType.localeCompare(b.logType) || a.path.localeCompare(b.path))
    .slice(0, top);

if (json) {
  const doc = {
    folder: path.resolve(dir),
    totals,
    exactByLogType: Object.fromEntries([...perType].sort()),
    targets: Object.fromEntries(
      TARGETS.map((t) => {
        const { unmapped, reasons, ...rest } = cov[t];
        return [t, { ...rest, notExactReasons: Object.fromEntries(reasons), topUnmapped: topUnmapped(t) }];
      }),
    ),
    kql: { queries: kql.queries, clean: kql.clean, renderFailures: kql.renderFailures, errorsByCode: Object.fromEntries(kql.errors), examples: Object.fromEntries(kql.examples) },
  };
  console.log(JSON.stringify(doc, null, 2));
  process.exit(0);
}

function table(head, rows) {
  const w = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => (typeof c === 'number' ? String(c).padStart(w[i]) : String(c).padEnd(w[i]))).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

console.log(`mapping coverage: ${totals.files} rule files under ${path.resolve(dir)}, mappings ${path.resolve(mappingsDir ?? 'mappings')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(
  `  ${totals.errors} could not be read or lifted; ${totals.mappedType} have a mapped first log type ` +
    `(exact ${totals.byFidelity.exact}, approximate ${totals.byFidelity.approximate}, unsupported ${totals.byFidelity.unsupported}); ` +
    `the ${totals.exact} exact ones are measured\n`,
);
console.log(table(['log type', 'exact rules'], [...perType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))));
console.log('\nPer target: rules whose every field maps (condition only; condition + outputs), and rendered fidelity\n');
console.log(
  table(
    ['target', 'rules', 'condition mapped', '%', '+ outputs mapped', '%', 'rendered exact', '%'],
    TARGETS.map((t) => {
      const c = cov[t];
      return [t, c.rules, c.condComplete, pct(c.condComplete, c.rules), c.allComplete, pct(c.allComplete, c.rules), c.renderedExact, pct(c.renderedExact, c.rules)];
    }),
  ),
);
console.log('\nWhy a rendering is not exact (rules per reason code)\n');
const codes = [...new Set(TARGETS.flatMap((t) => [...cov[t].reasons.keys()]))].sort();
console.log(codes.length ? table(['reason', ...TARGETS], codes.map((code) => [code, ...TARGETS.map((t) => cov[t].reasons.get(code) ?? 0)])) : '(none)');
for (const t of TARGETS) {
  const rows = topUnmapped(t);
  console.log(`\nTop unmapped fields, ${t} (rules using the field; why: no entry / refused / panther p_* / scalar column)\n`);
  if (rows.length === 0) console.log('(none)');
  else console.log(table(['log type', 'field', 'in condition', 'output only', 'why'], rows.map((u) => [u.logType, u.path, u.condition, u.output, u.why])));
}
console.log(`\nKQL checker (Kusto.Language against schemas/sentinel-tables.json): ${kql.queries} queries, ${kql.clean} without errors${kql.renderFailures ? `, ${kql.renderFailures} failed to render` : ''}\n`);
if (kql.errors.size === 0) console.log('(no errors)');
else
  console.log(
    table(
      ['code', 'errors', 'first example'],
      [...kql.errors].sort((a, b) => b[1] - a[1]).map(([code, n]) => [code, n, (kql.examples.get(code) ?? '').slice(0, 140)]),
    ),
  );
