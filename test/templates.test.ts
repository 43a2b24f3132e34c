/**
 * `--templates DIR` (issue: hardening): a folder lacking a target, or one file, falls back to the built-in
 * templates; a broken .hbs is one error at its own line:col, reported once per batch with the number of rules it
 * affected, a non-zero exit, and no half-written outputs.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../src/cli/main.js';
import { precompiledTemplatesFile } from '../src/targets/common/template.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), stdin: () => '', isTTY: false, env: {} });
  return { code, out, err };
}

const BUILT_IN = path.resolve('templates');
/** A fresh templates folder holding `files` (relative path -> text); templates are cached per path. */
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-templates-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
const listFiles = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort() : []);
const RULES = 'rules/aws_cloudtrail';
const ruleCount = fs.readdirSync(RULES).filter((f) => f.endsWith('.yml')).length;
const occurrences = (text: string, s: string) => text.split(s).length - 1;

describe('a --templates folder falls back to the built-in templates', () => {
  const args = ['-t', 'kql,sigma,sentinel', 'rules/aws_cloudtrail/aws_kms_cmk_loss.yml', 'rules/aws_cloudtrail/aws_cloudtrail_stopped.yml'];
  const convert = async (templates?: string): Promise<string> => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-tpl-out-'));
    const r = await run([...args, ...(templates ? ['--templates', templates] : []), '--out', out]);
    expect(r.err).not.toMatch(/ENOENT|error template/);
    return out;
  };
  const read = (dir: string, f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

  it('for a target it lacks (and a file it holds is used)', async () => {
    const custom = `// my layout\n${fs.readFileSync(path.join(BUILT_IN, 'kql', 'query.hbs'), 'utf8')}`;
    const base = await convert();
    const mine = await convert(folder({ 'kql/query.hbs': custom }));
    expect(listFiles(mine)).toEqual(listFiles(base));
    for (const f of listFiles(base)) {
      // KQL (and Sentinel's query, which is KQL's) uses the custom layout; Sigma the built-in one
      if (f.startsWith('kql')) expect(read(mine, f)).toBe(`// my layout\n${read(base, f)}`);
      else if (f.startsWith('sentinel')) expect(read(mine, f)).toContain('// my layout');
      else expect(read(mine, f)).toBe(read(base, f));
    }
  });

  it('for a file it lacks', async () => {
    // only kql/refused.hbs: kql/query.hbs comes from the built-in folder
    const base = await convert();
    const mine = await convert(folder({ 'kql/refused.hbs': '// refused my way\n' }));
    expect(listFiles(mine)).toEqual(listFiles(base));
    for (const f of listFiles(base)) expect(read(mine, f)).toBe(read(base, f));
  });
});

describe('built-in templates precompiled by the build (scripts/bundle.mjs)', () => {
  const targets = fs.readdirSync(BUILT_IN).filter((t) => fs.statSync(path.join(BUILT_IN, t)).isDirectory());
  it.skipIf(!fs.existsSync(precompiledTemplatesFile('kql')))('hold each .hbs as it is, and render as the same .hbs compiled at run time does', async () => {
    for (const t of targets) {
      const specs = JSON.parse(fs.readFileSync(precompiledTemplatesFile(t), 'utf8')) as Record<string, { source: string; spec: string }>;
      for (const f of fs.readdirSync(path.join(BUILT_IN, t)).filter((x) => x.endsWith('.hbs'))) expect(specs[f]?.source, `${t}/${f}`).toBe(fs.readFileSync(path.join(BUILT_IN, t, f), 'utf8'));
    }
    // a --templates folder holding copies of every built-in template: its files are compiled, not precompiled
    const copies = folder(Object.fromEntries(targets.flatMap((t) => fs.readdirSync(path.join(BUILT_IN, t)).map((f) => [`${t}/${f}`, fs.readFileSync(path.join(BUILT_IN, t, f), 'utf8')]))));
    const args = ['-t', 'all', 'rules/aws_cloudtrail', 'test/fixtures/bad'];
    const outs = [fs.mkdtempSync(path.join(os.tmpdir(), 'tp-tpl-out-')), fs.mkdtempSync(path.join(os.tmpdir(), 'tp-tpl-out-'))];
    await run([...args, '--out', outs[0]!]);
    await run([...args, '--templates', copies, '--out', outs[1]!]);
    expect(listFiles(outs[1]!)).toEqual(listFiles(outs[0]!));
    expect(listFiles(outs[0]!).length).toBeGreaterThan(10);
    for (const f of listFiles(outs[0]!)) expect(fs.readFileSync(path.join(outs[1]!, f), 'utf8'), f).toBe(fs.readFileSync(path.join(outs[0]!, f), 'utf8'));
  }, 60_000);
});

describe('a broken template is blamed on the .hbs, once per batch', () => {
  it('a template that does not parse: its file:line:col, the rules affected, exit 1, nothing written', async () => {
    const dir = folder({ 'kql/query.hbs': '{{#each header}}// {{this}}\n{{/each}}\n{{table}\n' });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tp-tpl-out-')), 'out');
    const r = await run(['-t', 'sigma,kql', '--templates', dir, '--out', out, RULES]);
    expect(r.code).toBe(1);
    const at = `${path.join(dir, 'kql', 'query.hbs')}:3:8: error template: Parse error`;
    expect(occurrences(r.err, at)).toBe(1);
    expect(r.err).toContain(`(${ruleCount} rule files not converted: the batch stopped before writing anything)`);
    expect(r.err).not.toContain(`${RULES}/`);
    // nothing written, for any target
    expect(fs.existsSync(out)).toBe(false);
    // Sentinel renders its query with KQL's template: stopped too; Sigma alone does not need it
    expect((await run(['-t', 'sentinel', '--templates', dir, RULES])).code).toBe(1);
    expect((await run(['-t', 'sigma', '--templates', dir, RULES])).code).toBe(0);
  });

  it('a block left open and a mismatched close are located too', async () => {
    const open = folder({ 'sigma/rule.hbs': 'title: {{title}}\n{{#each x}}\n' });
    const a = await run(['-t', 'sigma', '--templates', open, RULES]);
    expect(a.err).toContain(`${path.join(open, 'sigma', 'rule.hbs')}:3:1: error template: Parse error`);
    const mismatched = folder({ 'sigma/rule.hbs': 'a\n{{#each x}}\nb\n{{/if}}\n' });
    const b = await run(['-t', 'sigma', '--templates', mismatched, RULES]);
    // Handlebars locates it at the name of the block opened
    expect(b.err).toContain(`${path.join(mismatched, 'sigma', 'rule.hbs')}:2:4: error template: each doesn't match if`);
  });

  it('a name the view model lacks (strict): once, with the count of rules, exit 1, no file for that target', async () => {
    const dir = folder({ 'sigma/rule.hbs': 'title: {{title}}\nfields: {{nosuchname}}\n' });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-tpl-out-'));
    const r = await run(['-t', 'kql,sigma', '--templates', dir, '--out', out, RULES]);
    expect(r.code).toBe(1);
    const at = `${path.join(dir, 'sigma', 'rule.hbs')}:2:11: error template: "nosuchname" is not a name the target passes to this template`;
    expect(occurrences(r.err, at)).toBe(1);
    expect(r.err).toContain(`(${ruleCount} rules affected: their files for this target not written)`);
    expect(listFiles(path.join(out, 'sigma'))).toEqual([]);
    expect(listFiles(path.join(out, 'kql'))).toHaveLength(ruleCount);
    // `test` reports it once as well
    const t = await run(['test', '-t', 'sigma', '--templates', dir, RULES]);
    expect(t.code).toBe(1);
    expect(occurrences(t.err, at)).toBe(1);
    expect(t.err).toContain(`(${ruleCount} rules affected: this target not tested)`);
  });
});
