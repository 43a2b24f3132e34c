/**
 * Integration: every rule in the project's rules/ folder lifts (a rule the lifter refuses fails its
 * test: the project's own rules are all expected to lift) and renders on every target into artifacts
 * the independent checkers accept (Kusto.Language, the Sigma JSON schemas), with a fidelity consistent
 * with its reasons.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { customKqlTables } from '../src/mapping/custom.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { fidelityOf } from '../src/targets/common/fidelity.js';
import { collectRuleFiles } from '../src/cli/files.js';
import { defaultTemplatesDir, renderRule, targetNames } from '../src/targets/registry.js';

const ROOT = new URL('../', import.meta.url).pathname;
// the rule files the CLI would find (helpers and data models are not rules)
const files: string[] = collectRuleFiles([join(ROOT, 'rules')], () => '').map((f) => resolve(f.path));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const schema = (name: string) => {
  const s = JSON.parse(readFileSync(join(ROOT, 'schemas/sigma', name), 'utf8')) as Record<string, unknown>;
  delete s.$schema;
  return ajv.compile(s);
};
const validateRule = schema('sigma-detection-rule-schema.json');
const validateCorrelation = schema('sigma-correlation-rules-schema.json');
const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };

describe('project rules render on every target', () => {
  it('finds rules', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(file.slice(ROOT.length), () => {
      // a lift error (TranspileError or any other) fails here, with its message
      const { rule } = liftFile(file);
      expect(rule.meta.id).not.toBe('');
      expect(targetNames.length).toBeGreaterThan(0);
      for (const t of targetNames) {
        const o = renderRule(rule, t, ctx);
        expect(o.text.trim(), t).not.toBe('');
        expect(o.fidelity).toBe(fidelityOf(o.reasons));
        // a custom-log table is declared from the rule's own fields (mapping/custom.ts)
        if (t === 'kql') expect(checkKql(o.text, { tables: customKqlTables(ctx.mapper, rule) }), o.text).toEqual([]);
        if (t === 'sigma') {
          for (const d of parseAllDocuments(o.text)) {
            expect(d.errors).toEqual([]);
            const js = d.toJS() as Record<string, unknown>;
            const v = js.correlation ? validateCorrelation : validateRule;
            expect(v(js), `${JSON.stringify(v.errors)}\n${o.text}`).toBe(true);
          }
        }
        if (t === 'yaral' && !o.text.startsWith('//')) expect(o.text).toMatch(/^rule [A-Za-z_][A-Za-z0-9_]* \{\n {2}meta:\n[\s\S]*\n {2}events:\n[\s\S]*\n {2}condition:\n {4}\S.*\n(?:\n {2}options:\n(?: {4}\S.*\n)+)?\}\n?$/);
        if (t === 'cwl' && !o.text.split('\n').every((l) => l === '' || l.startsWith('#'))) expect(o.text).toMatch(/\nfields @timestamp[^\n]*\n(\| [^\n]+\n)*\| limit 10000\n$/);
      }
    });
  }
});
