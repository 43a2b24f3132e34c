import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../src/cli/main.js';
import { liftFile } from '../src/pipeline.js';
import { evaluateRule } from '../src/ast/evaluate.js';
import { compareConditions, sameTruthTable } from '../src/diff/canon.js';
import { unifiedDiff } from '../src/diff/udiff.js';
import { regexExample } from '../src/diff/witness.js';
import type { Pred } from '../src/ast/types.js';

async function run(args: string[], opts: { cwd?: string; tty?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const prev = process.cwd();
  if (opts.cwd) process.chdir(opts.cwd);
  try {
    const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), stdin: () => '', isTTY: opts.tty ?? false, env: opts.env ?? {} });
    return { code, out, err };
  } finally {
    process.chdir(prev);
  }
}

const FIX = path.resolve('test/fixtures/diff');
const OLD = path.join(FIX, 'old');
const NEW = path.join(FIX, 'new');

interface J {
  summary: Record<string, number>;
  rules: { id: string; status: string; logicChanged: boolean; sameness?: string; logic: string; direction: string; changes: { what: string; kind: string; text: string }[]; witnesses: { label: string; event: unknown; old: boolean; new: boolean }[]; tests: unknown[]; targets: { target: string; diff: string; old?: { fidelity: string }; new?: { fidelity: string } }[] }[];
}

let cached: J | undefined;
async function fixtureDiff(): Promise<J> {
  if (cached) return cached;
  const r = await run(['diff', OLD, NEW, '--json', '-t', 'kql,sigma']);
  expect(r.code).toBe(0);
  cached = JSON.parse(r.out) as J;
  return cached;
}
const rule = (j: J, id: string) => j.rules.find((r) => r.id === id)!;

describe('transpile diff: fixture pairs', () => {
  it('reports rewrites as no change in detection logic', async () => {
    const j = await fixtureDiff();
    for (const id of ['Diff.Reformat', 'Diff.HelperRename', 'Diff.Reorder']) {
      const r = rule(j, id);
      expect(r.logicChanged, id).toBe(false);
      expect(r.logic, id).toMatch(/^no change/);
      expect(r.witnesses, id).toEqual([]);
    }
    // the reordered chain is the same logic, and with the targets' canonical order it prints the same text
    const reorder = rule(j, 'Diff.Reorder');
    expect(reorder.status).toBe('unchanged');
    expect(reorder.sameness).toBe('equivalent');
    expect(reorder.targets.every((t) => !t.diff)).toBe(true);
    expect(j.summary.logicUnchanged).toBe(0);
    expect(j.summary.unchanged).toBe(3);
  });

  it('finds a witness for a one-character widening, and the evaluator confirms it', async () => {
    const j = await fixtureDiff();
    const r = rule(j, 'Diff.Widen');
    expect(r.logicChanged).toBe(true);
    expect(r.direction).toBe('widened');
    expect(r.witnesses).toHaveLength(1);
    const w = r.witnesses[0]!;
    expect(w.label).toBe('now alerts');
    const o = liftFile(path.join(OLD, 'widen.yml')).rule.condition;
    const n = liftFile(path.join(NEW, 'widen.yml')).rule.condition;
    expect(evaluateRule(o, w.event as never)).toBe(false);
    expect(evaluateRule(n, w.event as never)).toBe(true);
    expect(r.changes).toContainEqual({ what: 'indicator', kind: 'added', text: 'userIdentity.userName startswith "admin"' });
    expect(r.targets.find((t) => t.target === 'kql')!.diff).toMatch(/^\+\| where UserIdentityUserName startswith_cs "admin"$/m);
  });

  it('finds a witness for a narrowing, and the evaluator confirms it', async () => {
    const j = await fixtureDiff();
    const r = rule(j, 'Diff.Narrow');
    expect(r.direction).toBe('narrowed');
    const w = r.witnesses[0]!;
    expect(w.label).toBe('no longer alerts');
    expect(w.event).toEqual({ p_log_type: 'AWS.CloudTrail', eventName: 'UpdateTrail' });
    const o = liftFile(path.join(OLD, 'narrow.yml')).rule.condition;
    const n = liftFile(path.join(NEW, 'narrow.yml')).rule.condition;
    expect(evaluateRule(o, w.event as never)).toBe(true);
    expect(evaluateRule(n, w.event as never)).toBe(false);
    expect(r.changes).toContainEqual({ what: 'indicator', kind: 'removed', text: 'eventName in "UpdateTrail"' });
  });

  it('lists added and removed rules with their targets', async () => {
    const j = await fixtureDiff();
    expect(rule(j, 'Diff.Added').status).toBe('added');
    expect(rule(j, 'Diff.Removed').status).toBe('removed');
    expect(rule(j, 'Diff.Added').targets.map((t) => t.new?.fidelity)).toEqual(['exact', 'exact']);
    expect(rule(j, 'Diff.Removed').targets[0]!.diff).toMatch(/^\+\+\+ \/dev\/null$/m);
    expect(j.summary).toMatchObject({ added: 1, removed: 1, changed: 2, logicChanged: 2, witnessed: 2, widened: 1, narrowed: 1, unknown: 0 });
  });

  it('reports the tests whose outcome changed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-tests-'));
    for (const f of ['widen.yml', 'widen.py']) fs.copyFileSync(path.join(NEW, f), path.join(dir, f));
    // a test the widening flips: "adminbob" is not an admin- user
    fs.appendFileSync(path.join(dir, 'widen.yml'), '  - Name: admin prefix without dash\n    ExpectedResult: true\n    Log:\n      eventSource: iam.amazonaws.com\n      userIdentity:\n        userName: adminbob\n');
    const r = await run(['diff', path.join(OLD, 'widen.yml'), path.join(dir, 'widen.yml'), '--json', '-t', 'kql']);
    const j = JSON.parse(r.out) as J;
    expect(j.rules[0]!.tests).toEqual([{ name: 'admin prefix without dash', expected: true, old: false, new: true, in: 'new' }]);
  });

  it('prints text, markdown and json', async () => {
    const t = await run(['diff', OLD, NEW, '-t', 'kql']);
    expect(t.code).toBe(0);
    expect(t.out).toContain('~ changed Diff.Widen');
    expect(t.out).toContain('witness, now alerts');
    expect(t.out).toContain('2 changed (2 with a change in detection logic, 0 without), 1 added, 1 removed, 3 unchanged');
    expect(t.out).not.toContain('\u001b[');
    const tty = await run(['diff', OLD, NEW, '-t', 'kql'], { tty: true });
    expect(tty.out).toContain('\u001b[');
    const noColor = await run(['diff', OLD, NEW, '-t', 'kql'], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.out).not.toContain('\u001b[');
    const md = await run(['diff', OLD, NEW, '-t', 'kql', '--format', 'markdown']);
    expect(md.out).toMatch(/^\| changed \| logic changed/m);
    expect(md.out).toContain('<details><summary><code>Diff.Widen</code>: changed, detection logic changed (widened)</summary>');
    expect(md.out).toContain('```diff');
    const js = await run(['diff', OLD, NEW, '-t', 'kql', '--format', 'json']);
    expect(JSON.parse(js.out).summary.widened).toBe(1);
  });

  it('sets exit 1 for CI gates with --fail-on, 2 for a bad command line', async () => {
    expect((await run(['diff', OLD, NEW, '-t', 'kql', '--fail-on', 'widened'])).code).toBe(1);
    expect((await run(['diff', OLD, NEW, '-t', 'kql', '--fail-on', 'changed'])).code).toBe(1);
    const same = ['diff', path.join(OLD, 'reorder.yml'), path.join(NEW, 'reorder.yml'), '-t', 'kql'];
    expect((await run([...same, '--fail-on', 'widened,narrowed,changed'])).code).toBe(0);
    const narrowOnly = ['diff', path.join(OLD, 'narrow.yml'), path.join(NEW, 'narrow.yml'), '-t', 'kql'];
    expect((await run([...narrowOnly, '--fail-on', 'widened'])).code).toBe(0);
    expect((await run([...narrowOnly, '--fail-on', 'narrowed'])).code).toBe(1);
    expect((await run(['diff', OLD])).code).toBe(2);
    expect((await run(['diff', OLD, path.join(NEW, 'widen.yml')])).code).toBe(2);
    expect((await run(['diff', OLD, NEW, '--fail-on', 'bigger'])).code).toBe(2);
  });
});

describe('transpile diff --base', () => {
  it('compares HEAD~1 with the working tree in a temporary git repository, helpers at the ref', async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-git-'));
    const g = (...a: string[]) => execFileSync('git', a, { cwd: repo, stdio: 'pipe' });
    g('init', '-q');
    g('config', 'user.email', 't@example.com');
    g('config', 'user.name', 't');
    const rules = path.join(repo, 'rules');
    fs.mkdirSync(path.join(rules, 'global_helpers'), { recursive: true });
    for (const f of ['widen.yml', 'widen.py', 'narrow.yml', 'narrow.py', 'helper_rename.yml', 'helper_rename.py']) fs.copyFileSync(path.join(OLD, f), path.join(rules, f));
    fs.copyFileSync(path.join(OLD, 'global_helpers/diff_helpers.py'), path.join(rules, 'global_helpers/diff_helpers.py'));
    g('add', '-A');
    g('commit', '-q', '-m', 'old');
    // a second commit that changes nothing in rules/: HEAD~1 is the old version
    fs.writeFileSync(path.join(repo, 'NOTES.md'), 'notes\n');
    g('add', '-A');
    g('commit', '-q', '-m', 'notes');
    // the working tree: the new versions, the helper renamed, one rule removed
    for (const f of ['widen.py', 'helper_rename.py']) fs.copyFileSync(path.join(NEW, f), path.join(rules, f));
    fs.copyFileSync(path.join(NEW, 'global_helpers/diff_helpers.py'), path.join(rules, 'global_helpers/diff_helpers.py'));
    fs.rmSync(path.join(rules, 'narrow.yml'));
    fs.rmSync(path.join(rules, 'narrow.py'));
    const r = await run(['diff', '--base', 'HEAD~1', 'rules', '--json', '-t', 'kql'], { cwd: repo });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as J & { old: string };
    expect(j.old).toBe('HEAD~1:rules');
    expect(rule(j, 'Diff.Widen').direction).toBe('widened');
    expect(rule(j, 'Diff.HelperRename').logicChanged).toBe(false);
    expect(rule(j, 'Diff.Narrow').status).toBe('removed');
    expect((j.rules.find((x) => x.id === 'Diff.Widen') as unknown as { oldFile: string }).oldFile).toBe('HEAD~1:rules/widen.yml');
    // artifact headers name the same paths on both sides: only the changed line differs
    const kql = rule(j, 'Diff.Widen').targets[0]!.diff;
    expect(kql.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-| where UserIdentityUserName startswith_cs "admin-"', '+| where UserIdentityUserName startswith_cs "admin"']);
    // the working tree is untouched, nothing left in the repository
    expect(g('status', '--porcelain').toString()).not.toMatch(/transpile-diff/);
    const bad = await run(['diff', '--base', 'no-such-ref', 'rules'], { cwd: repo });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('no-such-ref');
    fs.rmSync(repo, { recursive: true, force: true });
  });
});

describe('diff building blocks', () => {
  const f = (k: string) => ({ k: 'get', obj: { k: 'event' }, key: k }) as const;
  const eq = (k: string, v: string): Pred => ({ k: 'cmp', op: 'eq', left: f(k), right: { k: 'lit', v } });
  it('compares conditions up to operand order, list order and truth tables', () => {
    const a: Pred = { k: 'and', args: [eq('a', 'x'), { k: 'in', value: f('b'), list: ['1', '2'] }] };
    const b: Pred = { k: 'and', args: [{ k: 'in', value: f('b'), list: ['2', '1', '2'] }, eq('a', 'x')] };
    expect(compareConditions(a, a)).toBe('identical');
    expect(compareConditions(a, b)).toBe('equivalent');
    // (a or (not a and b)) == (a or b)
    const c: Pred = { k: 'or', args: [eq('a', 'x'), { k: 'and', args: [{ k: 'cmp', op: 'ne', left: f('a'), right: { k: 'lit', v: 'x' } }, eq('b', 'y')] }] };
    const d: Pred = { k: 'or', args: [eq('a', 'x'), eq('b', 'y')] };
    expect(sameTruthTable(c, d)).toBe(true);
    expect(compareConditions(d, { k: 'and', args: [eq('a', 'x'), eq('b', 'y')] })).toBe('different');
  });

  it('builds strings that regexes match', () => {
    for (const re of ['^admin-\\d+$', 'foo(bar|baz)+', '[A-Z]{3}-\\w+', '(?i)^(?:root|admin)\\.', 'a.c?d*e']) {
      expect(new RegExp(re.replace('(?i)', ''), re.includes('(?i)') ? 'i' : '').test(regexExample(re)), re).toBe(true);
    }
  });

  it('prints unified diffs', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nb\nc\n', 'x', 'y')).toBe('');
    const d = unifiedDiff('1\n2\n3\n4\n5\n6\n7\n8\n', '1\n2\n3\n4\nfive\n6\n7\n8\n', 'a/f', 'b/f');
    expect(d).toBe('--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
    expect(unifiedDiff('', 'x\n', '/dev/null', 'b/f')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+x\n');
  });
});
