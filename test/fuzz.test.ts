/**
 * Fuzzing (issue: hardening): rules mutated from the project's sample rules, YAML and Python alike, run
 * through load → lift → prove → render on every target. For every input: no exception escapes but a
 * diagnostic with a file and a line, outputs are byte-identical on a rerun, and no rule takes long.
 * Fixed seeds: a failure reproduces.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TranspileError } from '../src/diagnostics.js';
import { loadRule } from '../src/panther/load.js';
import { liftLoaded, proveRule } from '../src/pipeline.js';
import { loadMappings } from '../src/mapping/load.js';
import { defaultTemplatesDir, renderRule, targetNames } from '../src/targets/registry.js';
import { collectRuleFiles } from '../src/cli/files.js';

const samples = collectRuleFiles(['rules'], () => '')
  // the rule YAMLs (with their modules); pypanther modules (rules/pypanther) are read by another loader
  .filter((f) => /\.ya?ml$/i.test(f.path))
  .map((f) => {
    const yml = fs.readFileSync(f.path, 'utf8');
    const m = /^Filename:\s*(\S+)/m.exec(yml);
    const py = m ? fs.readFileSync(path.join(path.dirname(f.path), m[1]!), 'utf8') : undefined;
    return { file: f.path, yml, py };
  });

const SNIPPETS = ['and', 'or', 'not ', '(', ')', ':', 'return ', 'if x:\n', '"', "'", '\t', '\u0000', 'lambda: 0', '[', '{', '**', '\\', ' in ', '==', 'None', '.get(', 'event', '\n    ', '#', '&a ', '*a', '[a, b]', '{}', '~', '42', '-', '- Name: x', '\u001b[31m', '\ud83d\ude00', '%', '|', '>'];

type Mut = { kind: 'delete' | 'dup' | 'swap' | 'insert' | 'truncate' | 'char'; at: number; arg: number };
const mutation = fc.record({
  kind: fc.constantFrom<Mut['kind']>('delete', 'dup', 'swap', 'insert', 'truncate', 'char'),
  at: fc.nat(10_000),
  arg: fc.nat(10_000),
});

function mutate(text: string, muts: Mut[]): string {
  let lines = text.split('\n');
  for (const m of muts) {
    const i = m.at % Math.max(1, lines.length);
    const j = m.arg % Math.max(1, lines.length);
    switch (m.kind) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'dup':
        lines.splice(i, 0, lines[i] ?? '');
        break;
      case 'swap':
        [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
        break;
      case 'insert': {
        const l = lines[i] ?? '';
        const c = m.arg % (l.length + 1);
        lines[i] = l.slice(0, c) + SNIPPETS[m.arg % SNIPPETS.length] + l.slice(c);
        break;
      }
      case 'truncate': {
        const all = lines.join('\n');
        lines = all.slice(0, m.at % (all.length + 1)).split('\n');
        break;
      }
      case 'char': {
        const l = lines[i] ?? '';
        if (l.length === 0) break;
        const c = m.arg % l.length;
        lines[i] = l.slice(0, c) + String.fromCharCode(32 + (m.at % 95)) + l.slice(c + 1);
        break;
      }
    }
  }
  return lines.join('\n');
}

const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-fuzz-'));
fs.cpSync('rules/global_helpers', path.join(dir, 'global_helpers'), { recursive: true });
fs.cpSync('rules/data_models', path.join(dir, 'data_models'), { recursive: true });
let counter = 0;
const stats = { rules: 0, diagnosed: 0, rendered: 0, slowest: 0 };

/** Translate one mutated rule; throws (failing the property) on anything but a located diagnostic. */
function translate(yml: string, py: string | undefined): void {
  const n = ++counter;
  const file = path.join(dir, `r${n}.yml`);
  const filename = /^Filename:\s*(\S+)/m.exec(yml)?.[1];
  fs.writeFileSync(file, yml);
  // (a mutated Filename may hold a NUL, which no file name can: the loader must say so, the harness writes nothing)
  if (py !== undefined && filename && !filename.includes('/') && !filename.includes('\\') && !filename.includes('\0')) fs.writeFileSync(path.join(dir, filename), py);
  const t0 = performance.now();
  stats.rules++;
  try {
    const loaded = loadRule(file, undefined, dir);
    const rule = liftLoaded(loaded);
    rule.reasons = proveRule(rule, loaded).reasons;
    for (const t of targetNames) {
      const a = renderRule(rule, t, ctx).text;
      // every 8th rule is rendered twice: outputs must not depend on state left by an earlier render
      if (n % 8 === 0 && renderRule(rule, t, ctx).text !== a) throw new Error(`${t} output differs on a rerun`);
    }
    stats.rendered++;
  } catch (e) {
    if (!(e instanceof TranspileError)) throw e;
    if (!e.diag.file) throw new Error(`diagnostic without a file: ${e.diag.code} ${e.diag.message}`);
    // an error about the text says where it is
    if (['python-syntax', 'yaml-syntax', 'bad-key-type', 'bad-encoding', 'bad-tests'].includes(e.diag.code) && !e.diag.line) {
      throw new Error(`diagnostic without a line: ${e.diag.code} ${e.diag.message}`);
    }
    stats.diagnosed++;
  } finally {
    const ms = performance.now() - t0;
    stats.slowest = Math.max(stats.slowest, ms);
    // a guard against a hang or a runaway expansion, far above any rule's time on a loaded machine (speed is measured by `npm run bench`)
    if (ms > 60_000) throw new Error(`rule took ${ms.toFixed(0)} ms`);
  }
}

describe('fuzzing the loader, lifter and printers with mutated sample rules', () => {
  it('mutated Python: a located diagnostic or a stable output, never a crash', () => {
    const pySamples = samples.filter((s) => s.py !== undefined);
    fc.assert(
      fc.property(fc.nat(pySamples.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (k, muts) => {
        const s = pySamples[k]!;
        translate(s.yml, mutate(s.py!, muts));
      }),
      { seed: 20261206, numRuns: 1200 },
    );
  });

  it('mutated YAML: a located diagnostic or a stable output, never a crash', () => {
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (k, muts) => {
        const s = samples[k]!;
        translate(mutate(s.yml, muts), s.py);
      }),
      { seed: 61202026, numRuns: 1000 },
    );
    expect(stats.rules).toBeGreaterThanOrEqual(2000);
    // both paths were exercised: some mutations still translate, some are diagnosed
    expect(stats.rendered).toBeGreaterThan(100);
    expect(stats.diagnosed).toBeGreaterThan(100);
    console.log(`fuzz: ${stats.rules} rules, ${stats.rendered} rendered on every target, ${stats.diagnosed} diagnosed with a position; slowest ${stats.slowest.toFixed(0)} ms`);
  });
});
