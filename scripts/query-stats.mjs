#!/usr/bin/env node
// Query sizes and repeated atoms over a folder of generated artifacts (the --out folder of
// `transpile -t all --out DIR <rules>`), per target.
//
//   node scripts/query-stats.mjs <out folder> [-t kql,sigma,...] [--json] [--top N]
//
// Per target: artifacts rendered and refused (comment-only), the size of the query text (metadata aside:
// KQL, Logs Insights and YARA-L without their comment header, YARA-L from its events section, Sigma its
// detection, Sentinel its query) as median, p90 and max characters, how many exceed 2,000 and 8,000
// characters and how many of those say so in a `query-size` note, and the queries that repeat an
// atom (the same comparison written twice or more in one query), with the largest repeat count.
//
// An atom is a maximal piece of a condition that holds no top-level `and`/`or` (strings, regular
// expressions and parenthesised groups are read as units; `not(...)` and `( ... )` are opened); Sigma's
// atoms are the items of its selections (`field|modifiers: values`). A KQL test named by an `extend`
// before the first `where` (`| extend EventNameStartsWithGet = EventName startswith_cs "Get"`) is an
// atom there, once; the condition's reads of that name are references to it, not atoms. A KQL union of one
// query per log type (`union isfuzzy=true (A | where ...), (B | where ...)`) is read branch by branch: each
// branch is its own condition, and the query's repeat is its branches' largest. Likewise a Logs Insights
// test named by `fields if(<test>, 1, 0) as Name` is an atom there, once; `Name = 1` / `Name = 0` in the
// filters are references to it.
// A Logs Insights file of one query per log type is measured by its largest query, each query its own
// condition; a YARA-L rule over several log types (events: `(\n (A ...)\n or (B ...)\n)`) is read branch by
// branch likewise.
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const json = args.includes('--json');
const tAt = args.findIndex((a) => a === '-t' || a === '--target');
const topAt = args.indexOf('--top');
const TOP = topAt >= 0 ? Number(args[topAt + 1]) : 3;
const values = new Set([tAt, topAt].filter((i) => i >= 0).map((i) => i + 1));
const dir = args.find((a, i) => !a.startsWith('-') && !values.has(i));
if (!dir) {
  console.error('usage: node scripts/query-stats.mjs <out folder> [-t kql,sigma,...] [--json] [--top N]');
  process.exit(2);
}
const EXT = { kql: 'kql', sentinel: 'yaml', sigma: 'yml', yaral: 'yaral', cwl: 'cwl' };
const targets = tAt >= 0 ? args[tAt + 1].split(',') : Object.keys(EXT).filter((t) => fs.existsSync(path.join(dir, t)));

function files(d, ext) {
  const out = [];
  const walk = (x) => {
    for (const e of fs.readdirSync(x, { withFileTypes: true })) {
      const p = path.join(x, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(`.${ext}`)) out.push(p);
    }
  };
  if (fs.existsSync(d)) walk(d);
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Boolean text → atoms

/** Split `s` at top-level occurrences of the words `and`/`or` (outside strings, regexes and brackets). */
function splitTop(s) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') {
      // a quoted string (KQL verbatim @"..." doubles its quotes; others escape with a backslash)
      const verbatim = s[i - 1] === '@';
      for (i++; i < s.length; i++) {
        if (!verbatim && s[i] === '\\') i++;
        else if (s[i] === c) {
          if (verbatim && s[i + 1] === c) i++;
          else break;
        }
      }
      continue;
    }
    if (c === '/' && /(?:=~|(?<![=!<>])=)\s*$/.test(s.slice(Math.max(0, i - 4), i))) {
      // a Logs Insights regex literal (`=~ /re/`), a YARA-L one (`= /re/`)
      for (i++; i < s.length && s[i] !== '/'; i++) if (s[i] === '\\') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && /\s/.test(c)) {
      const m = /^\s+(and|or)\s+/.exec(s.slice(i));
      if (m) {
        parts.push(s.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Does the opening bracket at `s[0]` close at the end of `s`? */
function wraps(s) {
  if (!s.startsWith('(') || !s.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < s.length && s[i] !== c; i++) if (s[i] === '\\') i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && i < s.length - 1) return false;
  }
  return true;
}

function atomsOf(expr, out = []) {
  const s = expr.replace(/\s+/g, ' ').trim();
  const parts = splitTop(s);
  if (parts.length > 1) {
    for (const p of parts) atomsOf(p, out);
    return out;
  }
  let p = parts[0] ?? '';
  const not = /^not\s*(\(.*\))$/.exec(p);
  if (not && wraps(not[1])) return atomsOf(not[1].slice(1, -1), out);
  if (/^not\s+/.test(p) && !/^not\s*\(/.test(p)) p = p.replace(/^not\s+/, '');
  if (wraps(p)) return atomsOf(p.slice(1, -1), out);
  out.push(p);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Per target: the query text and its atoms

/** The `name = expr` items of an `extend` (split at top-level commas). */
function extendItems(s) {
  const items = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = s[i];
    if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === '\\') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (i === s.length || (c === ',' && depth === 0)) {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([\s\S]*)$/.exec(s.slice(start, i));
      if (m) items.push({ name: m[1], expr: m[2].trim() });
      start = i + 1;
    }
  }
  return items;
}

/** The branches of `union isfuzzy=true\n    (A\n    | where ...),\n    (B ...)` (their text dedented), or null. */
function unionBranches(src) {
  // after the declarations (`let truthy = ...;`), if any
  const m = /(?:^|\n)union isfuzzy=true\n/.exec(src);
  if (!m) return null;
  const out = [];
  let depth = 0;
  let start = -1;
  for (let i = m.index + m[0].length; i < src.length; i++) {
    const c = src[i];
    if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      if (depth === 0) start = i + 1;
      depth++;
    } else if (c === ')' && --depth === 0) out.push(src.slice(start, i).replace(/\n {4}/g, '\n'));
  }
  return out;
}

/** The atoms of one union branch: its `where` conditions, and the tests its `extend`s name. */
function kqlAtoms(q) {
  return kqlStageAtoms(q.split(/\n(?=\|)/).map((x) => x.replace(/^\|\s*/, '')));
}

function kqlQuery(text) {
  const lines = text.split('\n').filter((l) => !l.startsWith('//'));
  const q = lines.join('\n').trim();
  const stages = q.split(/\n(?=\|)/).map((x) => x.replace(/^\|\s*/, ''));
  const branches = unionBranches(stages[0] ?? '');
  // per branch of a union (each its own condition), and the stages after it
  const groups = [...(branches ?? []).map((b) => kqlAtoms(b)), kqlStageAtoms(stages)];
  return { query: q, atoms: groups.flat(), groups };
}

/** The atoms of a pipeline's stages (a stage runs to the next line that starts with `|`). */
function kqlStageAtoms(stages) {
  const conds = stages.filter((x) => x.startsWith('where ') && !/^where (EventCount|__q)/.test(x)).map((x) => x.slice(6));
  // tests named by an `extend` before the first `where`: the test is the atom (once), the name a reference to it
  const first = stages.findIndex((x) => x.startsWith('where '));
  const named = stages.slice(0, first < 0 ? 0 : first).filter((x) => /^extend\s/.test(x)).flatMap((x) => extendItems(x.slice(7)));
  const names = new Set(named.map((n) => n.name));
  return [...named.flatMap((n) => atomsOf(n.expr)), ...conds.flatMap((c) => atomsOf(c)).filter((a) => !names.has(a))];
}

function cwlQuery(text) {
  // a file of one query per log type (`# query i of n: <log type>` lines): each query is read apart, the
  // file measured by its largest query and its queries' largest repeat
  const parts = text.split(/^# query \d+ of \d+: .*$/m).slice(/^# query \d+ of \d+: /m.test(text) ? 1 : 0);
  const read = parts.map((part) => {
    const q = part.split('\n').filter((l) => !l.startsWith('#')).join('\n').trim();
    const stages = q.split(/\n(?=\|)/).map((x) => x.replace(/^\|\s*/, ''));
    const conds = stages.filter((x) => x.startsWith('filter ') && !x.startsWith('filter eventCount')).map((x) => x.slice(7));
    // tests named by `fields if(<test>, 1, 0) as Name` (src/targets/cwl/names.ts): the test is the atom (once),
    // the filters' `Name = 1` / `Name = 0` references to it
    const named = stages.filter((x) => x.startsWith('fields ')).flatMap((x) => [...x.matchAll(/if\((.*?), 1, 0\) as ([A-Za-z][A-Za-z0-9]*)(?=, |$)/g)].map((m) => ({ expr: m[1], name: m[2] })));
    const refs = new Set(named.flatMap((n) => [`${n.name} = 1`, `${n.name} = 0`]));
    return { query: q, atoms: [...named.flatMap((n) => atomsOf(n.expr)), ...conds.flatMap((c) => atomsOf(c)).filter((a) => !refs.has(a))] };
  });
  const largest = read.reduce((a, b) => (b.query.length > a.query.length ? b : a));
  return { query: largest.query, atoms: read.flatMap((r) => r.atoms), groups: read.map((r) => r.atoms) };
}

function yaralQuery(text) {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^\s+events:/.test(l));
  const j = lines.findIndex((l, k) => k > i && /^\s+(match|outcome|condition):/.test(l));
  const events = lines.slice(i + 1, j < 0 ? undefined : j).join('\n');
  // the events section: one statement per line; a statement may continue on indented lines
  const stmts = events.split(/\n(?=    \S)/).map((x) => x.trim()).filter((x) => x && !x.startsWith('//'));
  // a rule over several log types: one statement `(\n (A...)\n or (B...)\n)`, each branch its own condition
  if (/^\(\n/.test(stmts[0] ?? '')) {
    const branches = stmts[0]
      .slice(1, -1)
      .split(/\n\s+(?:or )?(?=\()/)
      .map((b) => b.trim())
      .filter(Boolean);
    const groups = [...branches.map((b) => atomsOf(b)), stmts.slice(1).flatMap((c) => atomsOf(c))];
    return { query: lines.slice(i).join('\n').trim(), atoms: groups.flat(), groups };
  }
  return { query: lines.slice(i).join('\n').trim(), atoms: stmts.slice(1).flatMap((c) => atomsOf(c)) };
}

function sigmaQuery(text) {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith('detection:'));
  let j = lines.findIndex((l, k) => k > i && /^[a-z]/.test(l));
  if (j < 0) j = lines.length;
  const det = lines.slice(i, j);
  // items: `field|mods: value` or `field|mods:` followed by `- value` lines, per selection
  const atoms = [];
  let cur = null;
  for (const l of det) {
    const item = /^\s+(?:- )?(?!condition:)("?[^\s:"]+"?):\s*(.*)$/.exec(l);
    if (/^ {4}\S/.test(l)) {
      cur = null;
      continue;
    }
    // a `- value` line of a value list (10 or more spaces) is a value, even one holding a colon (`"(?:a|b)"`)
    if (item && /^ {8}/.test(l) && !/^ {10,}- /.test(l)) {
      if (cur) atoms.push(cur);
      cur = `${item[1]}: ${item[2]}`;
    } else if (/^\s+- /.test(l) && cur) cur += ` ${l.trim()}`;
  }
  if (cur) atoms.push(cur);
  return { query: det.join('\n'), atoms };
}

function sentinelQuery(text) {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith('query:'));
  const out = [];
  for (let j = i + 1; j < lines.length && /^\s/.test(lines[j]); j++) out.push(lines[j].replace(/^ {2}/, ''));
  return kqlQuery(out.join('\n'));
}

const READ = { kql: kqlQuery, cwl: cwlQuery, yaral: yaralQuery, sigma: sigmaQuery, sentinel: sentinelQuery };
const REFUSED = { kql: /^\/\/ not rendered:/m, cwl: /^# not rendered:/m, yaral: /^\/\/ not rendered:/m, sentinel: /^# not rendered:/m, sigma: /^status: unsupported$/m };

// ---------------------------------------------------------------------------------------------

const pct = (xs, p) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] : 0);
const report = {};
for (const t of targets) {
  const fs_ = files(path.join(dir, t), EXT[t]);
  const rows = [];
  let refused = 0;
  for (const f of fs_) {
    const text = fs.readFileSync(f, 'utf8');
    if (t !== 'sigma' && REFUSED[t].test(text)) {
      refused++;
      continue;
    }
    const { query, atoms, groups } = READ[t](text);
    let rep = { n: 1, atom: '' };
    for (const g of groups ?? [atoms]) {
      const count = new Map();
      for (const a of g) count.set(a, (count.get(a) ?? 0) + 1);
      for (const [a, n] of count) if (n > rep.n) rep = { n, atom: a };
    }
    rows.push({ file: path.relative(dir, f), size: query.length, atoms: atoms.length, repeat: rep, sizeReason: /query-size:/.test(text) });
  }
  const sizes = rows.map((r) => r.size).sort((a, b) => a - b);
  const rep = rows.filter((r) => r.repeat.n > 1).sort((a, b) => b.repeat.n - a.repeat.n);
  const big = [...rows].sort((a, b) => b.size - a.size);
  report[t] = {
    rendered: rows.length,
    refused,
    median: pct(sizes, 0.5),
    p90: pct(sizes, 0.9),
    max: sizes[sizes.length - 1] ?? 0,
    over2000: rows.filter((r) => r.size > 2000).length,
    over8000: rows.filter((r) => r.size > 8000).length,
    over8000WithReason: rows.filter((r) => r.size > 8000 && r.sizeReason).length,
    withSizeReason: rows.filter((r) => r.sizeReason).length,
    repeating: rep.length,
    maxRepeat: rep[0]?.repeat.n ?? 1,
    largest: big.slice(0, TOP).map((r) => ({ file: r.file, size: r.size })),
    mostRepeated: rep.slice(0, TOP).map((r) => ({ file: r.file, times: r.repeat.n, atom: r.repeat.atom.slice(0, 160) })),
  };
}

if (json) console.log(JSON.stringify(report, null, 2));
else {
  for (const [t, r] of Object.entries(report)) {
    console.log(
      `${t}: ${r.rendered} queries (${r.refused} refused); size median ${r.median}, p90 ${r.p90}, max ${r.max}; over 2,000: ${r.over2000}, over 8,000: ${r.over8000} (${r.over8000WithReason} with a size reason); repeating an atom: ${r.repeating} (max ${r.maxRepeat} times)`,
    );
    for (const b of r.largest) console.log(`    largest ${b.size} ${b.file}`);
    for (const m of r.mostRepeated) console.log(`    repeats ${m.times}x ${m.file}: ${m.atom}`);
  }
}
