#!/usr/bin/env node
// The rules whose lift is exact but whose artifact on one target is not, grouped by the full set of the
// target's reasons (a code, with the construct for the codes that name several: a computed value's
// function, the construct a target lacks, the quantifier), largest group first: a group is unblocked
// only when every reason of its set is. Reads the JSON of `transpile -t <target|all> --json <rules>`.
//
//   node scripts/reason-groups.mjs <transpile --json output> [target (default sigma)] [--ids]
import fs from 'node:fs';

const args = process.argv.slice(2);
const ids = args.includes('--ids');
const [file, target = 'sigma'] = args.filter((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: node scripts/reason-groups.mjs <transpile --json output> [target] [--ids]');
  process.exit(2);
}
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));

/** A reason's class: its code, with the construct where the code names several. */
function reasonClass(r) {
  const m = r.message.replace(/^[a-z]+: /, '');
  if (r.code === 'target-computed-value') {
    const k = /computed (value|list|grouping key) \(([\w.]+)\(/.exec(m);
    return `computed ${k ? `${k[1]} ${k[2]}()` : m.slice(0, 40)}`;
  }
  if (r.code === 'target-unsupported-construct') {
    for (const [re, name] of [
      [/truthiness of/, 'truthiness'],
      [/isinstance/, 'isinstance'],
      [/membership test on a container/, 'membership in a container'],
      [/two fields/, 'string test between two fields'],
      [/JSON validity/, 'JSON validity'],
      [/piece of/, 'test on a split piece'],
      [/comparison with a list/, 'comparison with a list or mapping'],
      [/holds a dot/, 'key holding a dot'],
    ]) if (re.test(m)) return `unsupported ${name}`;
    return `unsupported ${m.slice(0, 50)}`;
  }
  if (r.code === 'target-quantifier') {
    if (/element-wise/.test(m)) return 'any() element-wise';
    if (/negated/.test(m)) return 'any() with a negation';
    if (/all\(/.test(m)) return 'all()';
  }
  return r.code;
}

const groups = new Map();
for (const rule of doc.rules) {
  if (rule.fidelity !== 'exact') continue;
  const t = rule.targets.find((x) => x.target === target);
  if (!t || t.fidelity === 'exact') continue;
  const key = [...new Set((t.reasons ?? []).map(reasonClass))].sort().join(' + ');
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(rule.id);
}
let total = 0;
for (const [key, rules] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
  total += rules.length;
  console.log(`${String(rules.length).padStart(4)}  ${key || '(no reason)'}`);
  if (ids) console.log(`        ${rules.join(' ')}`);
}
console.log(`${String(total).padStart(4)}  rules exact in the lift, not on ${target}, in ${groups.size} groups`);
