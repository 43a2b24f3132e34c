#!/usr/bin/env node
// Benchmark: lift + prove + render + read back (target proof) every rule under a folder (default: rules/), several rounds.
// Usage: npm run bench [-- <folder> [rounds]]   e.g. npm run bench -- ../corpus/rules 3
// Prints figures; asserts nothing (speed is measured, not tested).
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { loadRule, liftLoaded, proveRule, renderRule, proveOutput, targetNames, defaultTemplatesDir, loadMappings, collectRuleFiles } from './lib.mjs';

const dir = process.argv[2] ?? 'rules';
const rounds = Number(process.argv[3] ?? 3);
const files = collectRuleFiles([dir], () => '');
const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
const stats = { load: 0, lift: 0, prove: 0, render: 0, readBack: 0 };
let rules = 0;
let outputs = 0;
let errors = 0;
const totals = [];
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  for (const f of files) {
    try {
      let t = performance.now();
      const loaded = loadRule(f.path);
      stats.load += performance.now() - t;
      t = performance.now();
      const rule = liftLoaded(loaded);
      stats.lift += performance.now() - t;
      t = performance.now();
      const rep = proveRule(rule, loaded);
      rule.reasons = rep.reasons;
      stats.prove += performance.now() - t;
      for (const name of targetNames) {
        t = performance.now();
        const out = renderRule(rule, name, ctx);
        stats.render += performance.now() - t;
        t = performance.now();
        proveOutput(out, rule, ctx.mapper);
        stats.readBack += performance.now() - t;
        outputs++;
      }
      rules++;
    } catch {
      errors++;
    }
  }
  totals.push(performance.now() - t0);
}
const per = (ms) => `${(ms / rounds).toFixed(0)} ms`;
console.log(`bench: ${files.length} rule files under ${path.resolve(dir)}, ${rounds} rounds (first round includes parsing helpers and JIT warm-up)`);
console.log(`  per round: ${totals.map((t) => `${t.toFixed(0)} ms`).join(', ')}`);
console.log(`  mean per round by stage: load ${per(stats.load)}, lift ${per(stats.lift)}, prove ${per(stats.prove)}, render x${targetNames.length} ${per(stats.render)}, target proof (read back + run tests) x${targetNames.length} ${per(stats.readBack)}`);
console.log(`  best round: ${(Math.min(...totals) / files.length).toFixed(2)} ms per rule; ${outputs / rounds} artifacts per round; ${errors / rounds} rule errors per round`);
