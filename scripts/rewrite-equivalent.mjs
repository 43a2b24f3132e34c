#!/usr/bin/env node
// Canonical form check: rewrite every rule's Python by semantics-preserving edits and check that every
// target renders the same query text (metadata aside: header comments, descriptions, ids, file names).
//
//   node scripts/rewrite-equivalent.mjs <rules folder> [--json] [--list] [-t kql,sigma,...] [--keep DIR]
//   (TRANSPILE_DIST=<build folder> measures another build than dist/, see lib.mjs)
//
// The edits (all on the @lezer/python parse tree, never on the text with patterns):
// - `and`/`or` operands reordered (reversed, keeping an operand after one it depends on: operands that
//   name the same local or the same key, like the guard in `x and x.get("a")`), where only the truth
//   of the chain is used (an if/elif/while test, a `not` operand, a comprehension filter, or a returned
//   chain of comparisons);
// - `if` branches reordered where independent: consecutive `if A: return R` / `if B: return R` with the
//   same R and independent tests, and an if/elif chain testing one value against distinct constants;
// - local variables renamed (assigned names, and the parameters of Panther's entry points);
// - `x != y` written `not x == y`.
// A boolean chain is re-associated with Python's precedence (lezer nests `a and not b or c` as
// `a and not (b or c)`), and every `not` operand inside a chain is parenthesised, so the rewritten text
// parses the same way under any reading.
//
// The rewritten tree is written to a temporary folder (helpers and data models linked), both trees are
// lifted and rendered in-process, and the query texts compared. Exit status 0 when every text is the
// same, 1 otherwise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parser } from '@lezer/python';

// ---------------------------------------------------------------------------------------------
// The rewriter

const ENTRY = new Set(['rule', 'title', 'dedup', 'alert_context', 'severity', 'description', 'reference', 'runbook', 'destinations']);

/** Children of a lezer node, as nodes. */
function kids(n) {
  const out = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Rewrite one Python module. Returns the new text and how many edits of each kind were made. */
export function rewritePython(src) {
  const tree = parser.parse(src);
  let broken = false;
  tree.iterate({ enter: (n) => { if (n.type.isError) broken = true; } });
  if (broken) return { text: src, edits: {}, skipped: 'the module does not parse' };
  const edits = { reorder: 0, ifs: 0, rename: 0, ne: 0 };
  const text = (n) => src.slice(n.from, n.to);
  const used = new Set();
  tree.iterate({ enter: (n) => { if (n.name === 'VariableName') used.add(text(n)); } });

  // ---- renaming: per function, the names it binds
  const renames = new Map(); // FunctionDefinition node.from -> Map(old -> new)
  const fresh = (name) => {
    let k = `${name}_r`;
    for (let i = 2; used.has(k); i++) k = `${name}_r${i}`;
    used.add(k);
    return k;
  };
  const isKeywordArg = (n) => n.parent?.name === 'ArgList' && n.nextSibling?.name === 'AssignOp';
  tree.iterate({
    enter: (fn) => {
      if (fn.name !== 'FunctionDefinition') return;
      const node = fn.node;
      const name = node.getChild('VariableName');
      const params = node.getChild('ParamList');
      const body = node.getChild('Body');
      if (!body) return;
      const bound = new Set();
      const globals = new Set();
      let nested = false;
      const bind = (t) => {
        if (!t) return;
        if (t.name === 'VariableName') bound.add(text(t));
        else if (t.name === 'TupleExpression' || t.name === 'ParenthesizedExpression' || t.name === 'ArrayExpression') for (const c of kids(t)) bind(c);
      };
      const walk = (n) => {
        for (const c of kids(n)) {
          if (c.name === 'FunctionDefinition' || c.name === 'ClassDefinition' || c.name === 'LambdaExpression') nested = true;
          if (c.name === 'AssignStatement' || c.name === 'UpdateStatement') {
            const k = kids(c);
            const ops = k.map((x, i) => (x.name === 'AssignOp' || x.name === 'UpdateOp' ? i : -1)).filter((i) => i >= 0);
            const last = ops.length ? ops[ops.length - 1] : -1;
            k.forEach((x, i) => { if (i < last) bind(x); });
          }
          // loop targets (a comprehension's stay: they may shadow a name the function reads elsewhere)
          if (c.name === 'ForStatement') {
            const k = kids(c);
            const from = k.findIndex((x) => x.name === 'for');
            const to = k.findIndex((x) => x.name === 'in');
            k.slice(from + 1, to).forEach(bind);
          }
          if (c.name === 'NamedExpression') bind(c.firstChild);
          if (c.name === 'ScopeStatement') for (const v of c.getChildren('VariableName')) globals.add(text(v));
          if (c.name === 'WithStatement' || c.name === 'TryStatement') {
            const k = kids(c);
            k.forEach((x, i) => { if (x.name === 'as') bind(k[i + 1]); });
          }
          walk(c);
        }
      };
      walk(body);
      // the parameters of Panther's entry points (a default value after `=` is not a parameter)
      if (name && ENTRY.has(text(name)) && params) for (const p of params.getChildren('VariableName')) if (p.prevSibling?.name !== 'AssignOp') bound.add(text(p));
      if (nested) return false;
      const m = new Map();
      for (const b of bound) if (!globals.has(b)) m.set(b, fresh(b));
      if (m.size) renames.set(node.from, m);
      return false;
    },
  });

  // ---- boolean chains
  const boolOp = (n) => {
    if (n.name !== 'BinaryExpression') return null;
    const k = kids(n);
    if (k.length !== 3) return null;
    const op = k[1].name;
    return op === 'and' || op === 'or' ? op : null;
  };
  const isNot = (n) => n.name === 'UnaryExpression' && n.firstChild?.name === 'not';
  /** The flat token list of an unparenthesised boolean region: operands and operators. */
  const flat = (n, out) => {
    const op = boolOp(n);
    if (op) {
      const k = kids(n);
      flat(k[0], out);
      out.push(op);
      flat(k[2], out);
    } else if (isNot(n)) {
      out.push('not');
      flat(n.lastChild, out);
    } else out.push({ leaf: n });
    return out;
  };
  /** Python's precedence over the tokens: or < and < not. */
  const parseBool = (toks) => {
    let i = 0;
    const pOr = () => {
      const args = [pAnd()];
      while (toks[i] === 'or') {
        i++;
        args.push(pAnd());
      }
      return args.length === 1 ? args[0] : { op: 'or', args };
    };
    const pAnd = () => {
      const args = [pNot()];
      while (toks[i] === 'and') {
        i++;
        args.push(pNot());
      }
      return args.length === 1 ? args[0] : { op: 'and', args };
    };
    const pNot = () => {
      if (toks[i] === 'not') {
        i++;
        return { op: 'not', arg: pNot() };
      }
      return toks[i++];
    };
    return pOr();
  };

  /** Names and keys an expression reads (operands sharing one depend on each other). */
  const footprint = (b) => {
    const out = new Set();
    const visit = (t) => {
      if (t.leaf) {
        const cur = t.leaf.cursor();
        const end = t.leaf.to;
        do {
          if (cur.from >= end) break;
          if (cur.name === 'VariableName' && text(cur.node) !== 'event') out.add(`v:${text(cur.node)}`);
          if (cur.name === 'String' && (cur.node.parent?.name === 'ArgList' || cur.node.parent?.name === 'MemberExpression')) out.add(`s:${text(cur.node)}`);
        } while (cur.next() && cur.from < end);
      } else if (t.op === 'not') visit(t.arg);
      else t.args.forEach(visit);
    };
    visit(b);
    return out;
  };
  const dependent = (a, b) => {
    for (const x of a) if (b.has(x)) return true;
    return false;
  };
  /** Operands reversed where independent: a topological order preferring the reverse. */
  const reorder = (args) => {
    const fps = args.map(footprint);
    const left = args.map((_, i) => i);
    const out = [];
    while (left.length) {
      let pick = -1;
      for (let j = left.length - 1; j >= 0; j--) {
        const k = left[j];
        // k may go first when no operand before it (still waiting) depends on it
        if (left.slice(0, j).every((i) => !dependent(fps[i], fps[k]))) {
          pick = j;
          break;
        }
      }
      out.push(args[left[pick]]);
      left.splice(pick, 1);
    }
    return out;
  };

  /** A comparison `A != B` (two operands): its parts. */
  const notEqual = (n) => {
    if (n.name !== 'BinaryExpression') return null;
    const k = kids(n);
    return k.length === 3 && k[1].name === 'CompareOp' && text(k[1]) === '!=' ? k : null;
  };
  /** Is the value of this leaf a bool whatever it holds (a comparison, isinstance, any/all, not)? */
  const boolLeaf = (n) => {
    if (n.name === 'BinaryExpression') {
      const k = kids(n);
      return k.length === 3 && (k[1].name === 'CompareOp' || k[1].name === 'in' || k[1].name === 'is' || k[1].name === 'not');
    }
    if (n.name === 'BinaryExpression' || n.name === 'Boolean') return true;
    if (n.name === 'CallExpression') return ['isinstance', 'any', 'all', 'bool'].includes(text(n.firstChild));
    if (n.name === 'ParenthesizedExpression') return n.firstChild?.nextSibling ? boolLeaf(n.firstChild.nextSibling) : false;
    return false;
  };
  const allBool = (b) => (b.leaf ? boolLeaf(b.leaf) : b.op === 'not' ? true : b.args.every(allBool));

  // ---- emission
  const scopes = [];
  const rename = (n) => {
    const t = text(n);
    if (isKeywordArg(n)) return t;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const r = scopes[i].get(t);
      if (r) {
        edits.rename++;
        return r;
      }
    }
    return t;
  };
  const emitDefault = (n) => {
    const ks = kids(n);
    if (ks.length === 0) return n.name === 'VariableName' ? rename(n) : text(n);
    let out = '';
    let pos = n.from;
    for (const c of ks) {
      out += src.slice(pos, c.from) + emit(c);
      pos = c.to;
    }
    return out + src.slice(pos, n.to);
  };
  /** A boolean tree; `truth`: only its truth matters (operands may be reordered); `nested`: inside a chain. */
  const emitBool = (b, truth, nested) => {
    if (b.leaf && b.leaf.name === 'ParenthesizedExpression') {
      // a parenthesised chain keeps the context of the chain it is in
      const inner = kids(b.leaf).filter((c) => c.name !== '(' && c.name !== ')');
      if (inner.length === 1 && (boolOp(inner[0]) || isNot(inner[0]))) return `(${emitBool(parseBool(flat(inner[0], [])), truth, false)})`;
    }
    if (b.leaf) {
      const ne = notEqual(b.leaf);
      if (ne) {
        edits.ne++;
        const s = `not ${emit(ne[0])} == ${emit(ne[2])}`;
        return nested ? `(${s})` : s;
      }
      return emit(b.leaf);
    }
    if (b.op === 'not') {
      const s = `not ${emitBool(b.arg, true, b.arg.leaf ? false : true)}`;
      return nested ? `(${s})` : s;
    }
    let args = b.args;
    if (truth) {
      const r = reorder(args);
      if (r.some((x, i) => x !== args[i])) edits.reorder++;
      args = r;
    }
    const s = args.map((a) => emitBool(a, truth, true)).join(` ${b.op} `);
    return nested ? `(${s})` : s;
  };
  const truthContext = (n) => {
    const p = n.parent;
    if (!p) return false;
    if (p.name === 'IfStatement' || p.name === 'WhileStatement') return n.name !== 'Body';
    if (p.name === 'ConditionalExpression' || p.name.endsWith('ComprehensionExpression')) return n.prevSibling?.name === 'if';
    if (p.name === 'AssertStatement') return n.prevSibling?.name === 'assert';
    if (p.name === 'ParenthesizedExpression') return truthContext(p);
    return false;
  };
  const emit = (n) => {
    if (n.name === 'FunctionDefinition') {
      const m = renames.get(n.from);
      if (m) scopes.push(m);
      try {
        return emitDefault(n);
      } finally {
        if (m) scopes.pop();
      }
    }
    if (n.name === 'Body') return emitBody(n);
    if (n.name === 'IfStatement') return emitIf(n);
    if (boolOp(n) || isNot(n) || notEqual(n)) {
      const b = parseBool(flat(n, []));
      const ret = n.parent?.name === 'ReturnStatement' && allBool(b);
      return emitBool(b, truthContext(n) || ret, false);
    }
    return emitDefault(n);
  };

  /** An if/elif chain testing one value against distinct constants: its branches reversed. */
  const emitIf = (n) => {
    const k = kids(n);
    const branches = [];
    let orelse = null;
    for (let i = 0; i < k.length; i++) {
      if (k[i].name === 'if' || k[i].name === 'elif') branches.push({ kw: k[i], test: k[i + 1], body: k[i + 2] });
      if (k[i].name === 'else') orelse = { kw: k[i], body: k[i + 1] };
    }
    const keyOf = (t) => {
      if (t.name !== 'BinaryExpression') return null;
      const c = kids(t);
      if (c.length !== 3 || c[1].name !== 'CompareOp' || text(c[1]) !== '==' || !['String', 'Number'].includes(c[2].name)) return null;
      return { lhs: text(c[0]), value: text(c[2]) };
    };
    const keys = branches.map((b) => keyOf(b.test));
    const exclusive = branches.length > 1 && keys.every((x) => x && x.lhs === keys[0].lhs) && new Set(keys.map((x) => x.value)).size === keys.length;
    if (!exclusive) return emitDefault(n);
    edits.ifs++;
    const gap = src.slice(branches[0].body.to, branches[1].kw.from);
    const order = [...branches].reverse();
    let out = order.map((b, i) => `${i === 0 ? 'if' : 'elif'}${src.slice(b.kw.to, b.test.from)}${emit(b.test)}${emit(b.body)}`).join(gap);
    if (orelse) out += `${gap}else${emit(orelse.body)}`;
    return out + src.slice((orelse ? orelse.body : branches[branches.length - 1].body).to, n.to);
  };

  /** A block: consecutive `if A: return R` statements with the same R and independent tests swapped. */
  const emitBody = (n) => {
    const ks = kids(n);
    const simpleIf = (s) => {
      if (!s || s.name !== 'IfStatement') return null;
      const c = kids(s);
      if (c.length !== 3) return null;
      const body = kids(c[2]).filter((x) => x.name !== ':' && x.name !== 'Comment');
      if (body.length !== 1 || body[0].name !== 'ReturnStatement') return null;
      return { test: c[1], ret: text(body[0]) };
    };
    const fp = (t) => footprint(parseBool(flat(t, [])));
    let out = '';
    let pos = n.from;
    for (let i = 0; i < ks.length; i++) {
      const a = ks[i];
      const b = ks[i + 1];
      const sa = simpleIf(a);
      const sb = simpleIf(b);
      if (sa && sb && sa.ret === sb.ret && !dependent(fp(sa.test), fp(sb.test))) {
        edits.ifs++;
        out += src.slice(pos, a.from) + emit(b) + src.slice(a.to, b.from) + emit(a);
        pos = b.to;
        i++;
        continue;
      }
      out += src.slice(pos, a.from) + emit(a);
      pos = a.to;
    }
    return out + src.slice(pos, n.to);
  };

  return { text: emit(tree.topNode), edits };
}

// ---------------------------------------------------------------------------------------------
// Comparing query texts, metadata aside

/** The part of an artifact that says what it matches (headers, descriptions, ids, file names left out). */
export function queryText(target, text) {
  const lines = text.split('\n');
  switch (target) {
    case 'kql':
      return lines.filter((l) => !l.startsWith('//')).join('\n');
    case 'cwl':
      return lines.filter((l) => !l.startsWith('#')).join('\n');
    case 'sentinel': {
      const i = lines.findIndex((l) => l.startsWith('query:'));
      if (i < 0) return lines.filter((l) => !l.startsWith('#')).join('\n');
      const out = [lines[i]];
      for (let j = i + 1; j < lines.length && /^\s/.test(lines[j]); j++) out.push(lines[j]);
      return out.join('\n');
    }
    case 'sigma': {
      // logsource, detection, fields, and the correlation's group-by, timespan and condition
      const keep = [];
      let on = false;
      for (const l of lines) {
        if (/^[a-z-]+:/.test(l)) on = /^(logsource|detection|fields|correlation):/.test(l);
        if (on && !/^\s+rules:|^\s+- [0-9a-f]{8}-/.test(l)) keep.push(l);
      }
      return keep.join('\n');
    }
    case 'yaral': {
      const i = lines.findIndex((l) => /^\s+events:/.test(l));
      return i < 0 ? lines.filter((l) => !l.startsWith('//')).join('\n') : lines.slice(i).join('\n');
    }
    default:
      return text;
  }
}

// ---------------------------------------------------------------------------------------------
// The tree: rules rewritten into a temporary folder

/** The repository root above `dir` (a .git or .panther_settings.yml), else `dir`'s parent. */
function repoRoot(dir) {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git')) || fs.existsSync(path.join(d, '.panther_settings.yml'))) return d;
    if (path.dirname(d) === d) return path.dirname(path.resolve(dir));
  }
}

/**
 * Copy the rules folder to `tmp` with every rule module rewritten (helpers and data models found up to
 * the repository root are linked beside it, as they were). Returns the new rules folder and the edits.
 */
export function rewriteTree(rulesDir, tmp) {
  const root = repoRoot(rulesDir);
  const rel = path.relative(root, path.resolve(rulesDir));
  const mirror = path.join(tmp, path.basename(root));
  fs.mkdirSync(mirror, { recursive: true });
  fs.writeFileSync(path.join(mirror, '.panther_settings.yml'), '# marks the repository root of a rewritten copy\n');
  // helpers and data models on the way up from the rules folder
  for (let d = path.dirname(path.resolve(rulesDir)); d.startsWith(root); d = path.dirname(d)) {
    for (const name of ['global_helpers', 'data_models']) {
      const src = path.join(d, name);
      const dst = path.join(mirror, path.relative(root, d), name);
      if (fs.existsSync(src) && !fs.existsSync(dst)) {
        fs.mkdirSync(path.dirname(dst), { recursive: true });
        fs.symlinkSync(src, dst);
      }
    }
    if (d === root) break;
  }
  const out = path.join(mirror, rel);
  const rules = new Set();
  const stats = { files: 0, rewritten: 0, skipped: [], edits: { reorder: 0, ifs: 0, rename: 0, ne: 0 } };
  const copy = (from, to) => {
    fs.mkdirSync(to, { recursive: true });
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
      const a = path.join(from, e.name);
      const b = path.join(to, e.name);
      if (e.isDirectory()) {
        // helpers and data models are read as they are
        if (e.name === 'global_helpers' || e.name === 'data_models') fs.symlinkSync(a, b);
        else copy(a, b);
      } else if (e.isFile()) {
        if (e.name.endsWith('.py') && rules.has(a)) {
          stats.files++;
          const r = rewritePython(fs.readFileSync(a, 'utf8'));
          if (r.skipped) stats.skipped.push(`${a}: ${r.skipped}`);
          if (r.text !== fs.readFileSync(a, 'utf8')) stats.rewritten++;
          for (const [k, v] of Object.entries(r.edits)) stats.edits[k] += v;
          fs.writeFileSync(b, r.text);
        } else fs.copyFileSync(a, b);
      }
    }
  };
  // the rule modules: the Filename of every rule YAML
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'global_helpers' && e.name !== 'data_models') walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        const m = /^Filename:\s*['"]?([^'"\s#]+)/m.exec(fs.readFileSync(p, 'utf8'));
        if (m) rules.add(path.join(d, m[1]));
      }
    }
  };
  walk(path.resolve(rulesDir));
  copy(path.resolve(rulesDir), out);
  return { dir: out, stats };
}

// ---------------------------------------------------------------------------------------------
// Command line

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const list = args.includes('--list');
  const tAt = args.findIndex((a) => a === '-t' || a === '--target');
  const keepAt = args.indexOf('--keep');
  const values = new Set([tAt, keepAt].filter((i) => i >= 0).map((i) => i + 1));
  const dir = args.find((a, i) => !a.startsWith('-') && !values.has(i));
  if (!dir) {
    console.error('usage: node scripts/rewrite-equivalent.mjs <rules folder> [--json] [--list] [-t targets] [--keep DIR]');
    process.exit(2);
  }
  const { prepare, renderRule, targetNames, defaultTemplatesDir, loadMappings, collectRuleFiles } = await import('./lib.mjs');
  const targets = tAt >= 0 ? args[tAt + 1].split(',') : targetNames;
  const tmp = keepAt >= 0 ? path.resolve(args[keepAt + 1]) : fs.mkdtempSync(path.join(os.tmpdir(), 'rewrite-'));
  const { dir: rewritten, stats } = rewriteTree(dir, tmp);
  const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
  const render = (root) => {
    const out = new Map();
    for (const f of collectRuleFiles([root], () => '')) {
      if (f.path.includes('::')) continue;
      const p = prepare(f, {});
      if (!p.rule) {
        out.set(f.rel, { error: p.error?.message ?? 'error' });
        continue;
      }
      const texts = {};
      for (const t of targets) {
        try {
          texts[t] = queryText(t, renderRule(p.rule, t, ctx).text);
        } catch (e) {
          texts[t] = `render error: ${e instanceof Error ? e.message : e}`;
        }
      }
      out.set(f.rel, { texts, failed: p.report?.tests.failed ?? 0 });
    }
    return out;
  };
  const a = render(dir);
  const b = render(rewritten);
  const changed = Object.fromEntries(targets.map((t) => [t, []]));
  const problems = [];
  for (const [rel, x] of a) {
    const y = b.get(rel);
    if (!y || x.error || y.error) {
      if ((x.error ?? null) !== (y?.error ?? null)) problems.push(`${rel}: ${x.error ?? ''} / ${y?.error ?? 'missing'}`);
      continue;
    }
    if (x.failed !== y.failed) problems.push(`${rel}: the rewritten rule fails ${y.failed} of its tests (the original ${x.failed})`);
    for (const t of targets) if (x.texts[t] !== y.texts[t]) changed[t].push(rel);
  }
  const summary = { rules: a.size, modules: stats.files, rewritten: stats.rewritten, edits: stats.edits, changed: Object.fromEntries(targets.map((t) => [t, changed[t].length])), problems: problems.length };
  if (json) console.log(JSON.stringify({ summary, changed, problems, skipped: stats.skipped }, null, 2));
  else {
    console.log(`${summary.rules} rules, ${summary.rewritten} of ${summary.modules} modules rewritten (${Object.entries(stats.edits).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    for (const t of targets) console.log(`  ${t}: ${changed[t].length} query texts differ${list && changed[t].length ? `\n    ${changed[t].join('\n    ')}` : ''}`);
    for (const p of problems) console.log(`  problem: ${p}`);
  }
  if (keepAt < 0) fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(Object.values(changed).some((c) => c.length) || problems.length ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('rewrite-equivalent.mjs')) await main();
