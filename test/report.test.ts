import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../src/cli/main.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), stdin: () => '', isTTY: false, env: {} });
  return { code, out, err };
}

// ---------------------------------------------------------------------------------------------
// A small JSON-schema (draft-04) validator: the keywords the SARIF 2.1.0 schema uses
// ($ref, type, enum, required, properties, additionalProperties, items, minItems, uniqueItems,
// minimum, maximum, pattern, anyOf, oneOf; format is not checked).

type Schema = Record<string, unknown>;

function validate(root: Schema, schema: Schema, v: unknown, at: string, errs: string[]): void {
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref as string;
    if (!ref.startsWith('#/')) throw new Error(`external $ref ${ref}`);
    let s: unknown = root;
    for (const k of ref.slice(2).split('/')) s = (s as Schema)[k];
    return validate(root, s as Schema, v, at, errs);
  }
  const type = schema.type as string | string[] | undefined;
  if (type) {
    const types = Array.isArray(type) ? type : [type];
    const is = (t: string): boolean =>
      t === 'object' ? v !== null && typeof v === 'object' && !Array.isArray(v) : t === 'array' ? Array.isArray(v) : t === 'integer' ? Number.isInteger(v) : t === 'number' ? typeof v === 'number' : t === 'null' ? v === null : typeof v === t;
    if (!types.some(is)) return void errs.push(`${at}: expected ${types.join('|')}`);
  }
  if (schema.enum && !(schema.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(v))) errs.push(`${at}: not one of ${JSON.stringify(schema.enum)}`);
  if (typeof v === 'number') {
    if (typeof schema.minimum === 'number' && v < schema.minimum) errs.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && v > schema.maximum) errs.push(`${at}: above ${schema.maximum}`);
  }
  if (typeof v === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern as string, 'u').test(v)) errs.push(`${at}: does not match ${schema.pattern}`);
  if (Array.isArray(v)) {
    if (typeof schema.minItems === 'number' && v.length < schema.minItems) errs.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.uniqueItems && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) errs.push(`${at}: items not unique`);
    if (schema.items) v.forEach((x, i) => validate(root, schema.items as Schema, x, `${at}[${i}]`, errs));
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const k of (schema.required as string[] | undefined) ?? []) if (!(k in o)) errs.push(`${at}: missing required ${k}`);
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, x] of Object.entries(o)) {
      if (props[k]) validate(root, props[k], x, `${at}.${k}`, errs);
      else if (schema.additionalProperties === false) errs.push(`${at}: property ${k} not allowed`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') validate(root, schema.additionalProperties as Schema, x, `${at}.${k}`, errs);
    }
  }
  for (const [kw, need] of [['anyOf', 'any'], ['oneOf', 'one']] as const) {
    const alts = schema[kw] as Schema[] | undefined;
    if (!alts) continue;
    const ok = alts.filter((a) => {
      const e: string[] = [];
      validate(root, a, v, at, e);
      return e.length === 0;
    }).length;
    if (need === 'any' ? ok === 0 : ok !== 1) errs.push(`${at}: ${kw} matched ${ok}`);
  }
}

const SARIF_SCHEMA = JSON.parse(fs.readFileSync('test/fixtures/report/sarif-schema-2.1.0.json', 'utf8')) as Schema;

function sarifErrors(doc: unknown): string[] {
  const errs: string[] = [];
  validate(SARIF_SCHEMA, SARIF_SCHEMA, doc, '$', errs);
  return errs;
}

const RULES = 'rules/aws_cloudtrail';

describe('transpile report', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));

  it('builds the JSON model: matrix, totals per target and log type, fields to map', async () => {
    const r = await run(['report', RULES, '--format', 'json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.targets).toEqual(['sigma', 'kql', 'sentinel', 'yaral', 'cwl']);
    const kms = rep.rules.find((x: { id: string }) => x.id === 'AWS.KMS.CustomerManagedKeyLoss');
    expect(kms.fidelity).toBe('exact');
    expect(kms.targets.kql).toMatchObject({ fidelity: 'exact', proven: true });
    expect(kms.targets.kql.tests.passed).toBeGreaterThan(0);
    // totals add up per target, and per log type
    for (const t of rep.targets) {
      const x = rep.totals[t];
      expect(x.exact + x.approximate + x.unsupported + x.error).toBe(rep.rules.length);
      expect(rep.byLogType['AWS.CloudTrail'][t].exact).toBe(x.exact);
    }
    // every non-exact cell says why, with file:line
    for (const rule of rep.rules) for (const t of rep.targets) {
      const c = rule.targets[t];
      if (c.fidelity !== 'exact') expect(c.reasons.length + rule.reasons.length, `${rule.id} ${t}`).toBeGreaterThan(0);
      for (const x of c.reasons) expect(x.line).toBeGreaterThan(0);
    }
    const need = rep.mappings.find((m: { fields: string[] }) => m.fields.length > 0);
    expect(need).toBeDefined();
    expect(need.rules.length).toBeGreaterThan(0);
  });

  it('writes SARIF 2.1.0 that the official schema accepts, one result per non-exact reason', async () => {
    const file = path.join(tmp, 'r.sarif');
    const r = await run(['report', RULES, '-o', file]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(sarifErrors(doc)).toEqual([]);
    expect(doc.version).toBe('2.1.0');
    const run0 = doc.runs[0];
    expect(run0.results.length).toBeGreaterThan(0);
    for (const res of run0.results) {
      expect(run0.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toMatch(/^rules\/aws_cloudtrail\/.*\.(py|ya?ml)$/);
      expect(loc.region.startLine).toBeGreaterThan(0);
    }
    // the validator itself rejects what the schema forbids
    expect(sarifErrors({ version: '2.0.0', runs: [] })).not.toEqual([]);
    expect(sarifErrors({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toContain('$.runs[0].tool.driver: missing required name');
  });

  it('writes one self-contained HTML file with the matrix, filters and sortable heads', async () => {
    const file = path.join(tmp, 'r.html');
    const r = await run(['report', RULES, '-o', file, '-t', 'kql,sigma']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/html report of \d+ rules/);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    // no external assets, nothing fetched
    expect(html).not.toMatch(/<(link|img|iframe)\b|\ssrc=|@import|url\(|https?:\/\/(?!docs\.aws)/i);
    expect(html).toContain('<table id="matrix">');
    expect(html).toContain('<th data-t="kql">kql</th>');
    expect(html).toContain('data-id="AWS.KMS.CustomerManagedKeyLoss"');
    for (const id of ['f-target', 'f-fid', 'f-lt', 'f-reason']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('prefers-color-scheme:dark');
    // text from rules is escaped
    expect(html).not.toMatch(/<script>(?![\s\S]*?<\/script>)/);
  });

  it('writes Markdown: totals, matrix, fields to map, reasons', async () => {
    const r = await run(['report', RULES, '--format', 'markdown', '-t', 'kql,yaral']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('## Totals per target');
    expect(r.out).toMatch(/^\| rule \| log type \| lift \| kql \| yaral \|$/m);
    expect(r.out).toMatch(/^\| `AWS\.KMS\.CustomerManagedKeyLoss` \| AWS\.CloudTrail \| exact \| exact ✓ \|/m);
    expect(r.out).toContain('## Field mappings needed');
    expect(r.out).toMatch(/^- yaral (approximate|unsupported): /m);
  });

  it('chooses the format from the file name, refuses unknown formats', async () => {
    const file = path.join(tmp, 'r.md');
    expect((await run(['report', 'rules/aws_cloudtrail/aws_kms_cmk_loss.yml', '-o', file, '-t', 'kql'])).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^# Migration report/);
    expect((await run(['report', RULES, '--format', 'pdf'])).code).toBe(2);
    expect((await run(['report', 'no/such/folder'])).code).toBe(1);
  });
});
