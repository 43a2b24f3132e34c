/** Hostile and malformed input (issue: hardening): each reproduction gets a clear error, never a crash. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../src/cli/main.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), stdin: () => '', isTTY: false, env: {} });
  return { code, out, err };
}

const RULE = (filename: string) =>
  `AnalysisType: rule\nRuleID: T.Confined\nFilename: ${filename}\nLogTypes: [AWS.CloudTrail]\nSeverity: Low\nTests:\n  - Name: t\n    ExpectedResult: true\n    Log: {eventName: x}\n`;

describe('rule files are confined to the tree being translated', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-confine-'));
  const tree = path.join(base, 'tree');
  const secret = path.join(base, 'secret');
  fs.mkdirSync(path.join(tree, 'sub'), { recursive: true });
  fs.mkdirSync(secret);
  fs.writeFileSync(path.join(secret, 'secret.py'), 'TOKEN = "s3cr3t-value"\n\ndef rule(event):\n    return event.get("eventName") == TOKEN\n');
  fs.writeFileSync(path.join(tree, 'shared.py'), 'def rule(event):\n    return event.get("eventName") == "x"\n');

  it('refuses a Filename that climbs out of the folder argument, naming the path as written, never its content', async () => {
    fs.writeFileSync(path.join(tree, 'sub', 'up.yml'), RULE('../../secret/secret.py'));
    const r = await run(['-t', 'all', '--json', tree]);
    expect(r.code).toBe(1);
    expect(r.err + r.out).toContain("Filename '../../secret/secret.py' resolves outside the folder being translated");
    expect(r.err + r.out).toMatch(/filename-outside-tree/);
    expect(r.err + r.out).not.toContain('s3cr3t-value');
    fs.rmSync(path.join(tree, 'sub', 'up.yml'));
  });

  it('refuses an absolute Filename and a system file, without printing any of it', async () => {
    fs.writeFileSync(path.join(tree, 'abs.yml'), RULE(path.join(secret, 'secret.py')));
    fs.writeFileSync(path.join(tree, 'passwd.yml'), RULE('../../../../../../../../etc/passwd'));
    const r = await run(['test', '--json', tree]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    const errors = doc.rules.filter((x: { fidelity: string }) => x.fidelity === 'error').map((x: { reasons: { code: string; message: string }[] }) => x.reasons[0]);
    expect(errors.map((e: { code: string }) => e.code)).toEqual(['filename-outside-tree', 'filename-outside-tree']);
    expect(errors.map((e: { message: string }) => e.message).join('\n')).toMatch(/is an absolute path/);
    expect(r.out).not.toContain('root:');
    expect(r.out).not.toContain('s3cr3t-value');
    fs.rmSync(path.join(tree, 'abs.yml'));
    fs.rmSync(path.join(tree, 'passwd.yml'));
  });

  it('reads a module elsewhere inside the folder argument, and refuses it for a file argument outside its folder', async () => {
    fs.writeFileSync(path.join(tree, 'sub', 'ok.yml'), RULE('../shared.py'));
    expect((await run(['test', tree])).code).toBe(0);
    const single = await run(['test', path.join(tree, 'sub', 'ok.yml')]);
    expect(single.code).toBe(1);
    expect(single.err).toContain('filename-outside-tree');
  });
});

describe('terminal output', () => {
  it('never echoes control bytes from a rule raw on stderr (ESC, BEL, OSC), and --json keeps them escaped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-esc-'));
    fs.writeFileSync(path.join(dir, 'r.yml'), 'AnalysisType: rule\nRuleID: "T.\\e]0;owned\\a\\e[31m"\nFilename: missing.py\nLogTypes: [AWS.CloudTrail]\n');
    const r = await run(['-t', 'kql', dir]);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const bad = await run(['-t', 'kql', path.join(dir, 'r.yml'), '--json']);
    expect(bad.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('no silent overwrites', () => {
  it('refuses two rules that would write the same output path, naming both, and writes neither', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-clash-'));
    for (const d of ['a', 'b']) {
      fs.mkdirSync(path.join(base, d));
      fs.writeFileSync(path.join(base, d, 'rule.py'), `def rule(event):\n    return event.get("eventName") == "${d}"\n`);
      fs.writeFileSync(path.join(base, d, 'rule.yml'), `AnalysisType: rule\nRuleID: T.${d}\nFilename: rule.py\nLogTypes: [AWS.CloudTrail]\nSeverity: Low\n`);
    }
    const out = path.join(base, 'out');
    const files = await run(['-t', 'kql', '--out', out, path.join(base, 'a', 'rule.yml'), path.join(base, 'b', 'rule.yml')]);
    expect(files.code).toBe(1);
    expect(files.err).toMatch(/output-collision/);
    expect(files.err).toContain(path.join(base, 'b', 'rule.yml'));
    expect(fs.existsSync(path.join(out, 'kql', 'rule.kql'))).toBe(false);
    const folders = await run(['-t', 'kql', '--out', out, path.join(base, 'a'), path.join(base, 'b')]);
    expect(folders.code).toBe(1);
    expect(fs.existsSync(path.join(out, 'kql', 'rule.kql'))).toBe(false);
    // printing to stdout has no paths to collide
    expect((await run(['-t', 'kql', path.join(base, 'a', 'rule.yml'), path.join(base, 'b', 'rule.yml')])).code).toBe(0);
  });
});

describe('rule keys are checked against the types panther_analysis_tool reads', () => {
  it('reports a wrong type with the key position, a list Filename as such', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-types-'));
    fs.writeFileSync(path.join(dir, 'r.py'), 'def rule(event):\n    return True\n');
    const cases: [string, RegExp][] = [
      ['LogTypes: 42', /r1\.yml:4:1: error bad-key-type: LogTypes must be a list of strings, not 42/],
      ['LogTypes: [AWS.CloudTrail]\nFilename: [r.py, other.py]', /bad-key-type: Filename must be a single value, not a list/],
      ['LogTypes: [AWS.CloudTrail]\nThreshold: "5"', /bad-key-type: Threshold must be a whole number, not "5"/],
      ['LogTypes: [AWS.CloudTrail]\nEnabled: "yes please"', /bad-key-type: Enabled must be true or false/],
    ];
    for (const [i, [extra, want]] of cases.entries()) {
      const yml = `AnalysisType: rule\nRuleID: T.Types\n${extra.includes('Filename') ? '' : 'Filename: r.py\n'}${extra}\n`;
      fs.writeFileSync(path.join(dir, `r${i + 1}.yml`), yml);
      const r = await run(['-t', 'kql', path.join(dir, `r${i + 1}.yml`)]);
      expect(r.code, extra).toBe(1);
      expect(r.err, extra).toMatch(want);
    }
  });
});

describe('malformed files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bad-'));
  it('points an unclosed quote at the quote, not at the end of the file', async () => {
    fs.writeFileSync(path.join(dir, 'q.yml'), 'AnalysisType: rule\nRuleID: T.X\nDescription: "unclosed\nFilename: x.py\nLogTypes: [A]\nSeverity: Low\n');
    expect((await run(['-t', 'kql', path.join(dir, 'q.yml')])).err).toMatch(/q\.yml:3:14: error yaml-syntax: invalid YAML: Missing closing "quote/);
  });
  it('refuses invalid UTF-8 as CPython does, at the bad byte', async () => {
    fs.writeFileSync(path.join(dir, 'l.yml'), Buffer.concat([Buffer.from('AnalysisType: rule\nRuleID: T.X\nDescription: caf'), Buffer.from([0xe9]), Buffer.from(' bad\nFilename: x.py\n')]));
    expect((await run(['-t', 'kql', path.join(dir, 'l.yml')])).err).toMatch(/l\.yml:3:17: error bad-encoding: the rule YAML is not valid UTF-8 \(byte 0xe9/);
    fs.writeFileSync(path.join(dir, 'p.yml'), 'AnalysisType: rule\nRuleID: T.P\nFilename: p.py\nLogTypes: [AWS.CloudTrail]\n');
    fs.writeFileSync(path.join(dir, 'p.py'), Buffer.concat([Buffer.from('def rule(event):\n    return event.get("a") == "'), Buffer.from([0xff]), Buffer.from('"\n')]));
    expect((await run(['-t', 'kql', path.join(dir, 'p.yml')])).err).toMatch(/p\.py:2:31: error bad-encoding: the Python module is not valid UTF-8/);
  });
  it('refuses an alias bomb with the position of its first alias', async () => {
    let y = 'AnalysisType: rule\nRuleID: T.X\na: &a ["x","x","x","x","x","x","x","x","x"]\n';
    let prev = 'a';
    for (let i = 1; i < 10; i++) {
      const n = String.fromCharCode(97 + i);
      y += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
      prev = n;
    }
    fs.writeFileSync(path.join(dir, 'b.yml'), y);
    const r = await run(['-t', 'kql', path.join(dir, 'b.yml')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/b\.yml:4:8: error yaml-aliases/);
  });
  it('skips a FIFO named like a rule in a folder, and refuses one named on the command line', async () => {
    const fdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-fifo-'));
    const fifo = path.join(fdir, 'pipe.yml');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    fs.writeFileSync(path.join(fdir, 'ok.py'), 'def rule(event):\n    return True\n');
    fs.writeFileSync(path.join(fdir, 'ok.yml'), 'AnalysisType: rule\nRuleID: T.Ok\nFilename: ok.py\nLogTypes: [AWS.CloudTrail]\n');
    expect((await run(['-t', 'kql', fdir])).code).toBe(0);
    const r = await run(['-t', 'kql', fifo]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not-a-file/);
  });
});

describe('--check', () => {
  it('reports a generated file that no rule produces any more, over whole folders only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-orphan-'));
    const rules = path.join(dir, 'rules');
    fs.mkdirSync(rules);
    fs.writeFileSync(path.join(rules, 'ok.py'), 'def rule(event):\n    return event.get("eventName") == "x"\n');
    fs.writeFileSync(path.join(rules, 'ok.yml'), 'AnalysisType: rule\nRuleID: T.Ok\nFilename: ok.py\nLogTypes: [AWS.CloudTrail]\n');
    const out = path.join(dir, 'out');
    expect((await run(['-t', 'kql', '--out', out, rules])).code).toBe(0);
    expect((await run(['-t', 'kql', '--out', out, '--check', rules])).code).toBe(0);
    fs.writeFileSync(path.join(out, 'kql', 'gone.kql'), 'AWSCloudTrail\n');
    const r = await run(['-t', 'kql', '--out', out, '--check', rules]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${path.join(out, 'kql', 'gone.kql')} (no rule produces it)`);
    // a single rule file checks only its own outputs
    expect((await run(['-t', 'kql', '--out', out, '--check', path.join(rules, 'ok.yml')])).code).toBe(0);
  });
});

describe('helpers and paths', () => {
  it('never reads a global_helpers/ planted above the tree outside a repository', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-plant-'));
    const tree = path.join(base, 'work', 'rules');
    fs.mkdirSync(path.join(base, 'global_helpers'), { recursive: true });
    fs.mkdirSync(path.join(tree, 'aws'), { recursive: true });
    fs.writeFileSync(path.join(base, 'global_helpers', 'planted_helpers.py'), 'def is_bad(event):\n    return event.get("eventName") != "PLANTED"\n');
    fs.writeFileSync(path.join(tree, 'aws', 'r.py'), 'from planted_helpers import is_bad\n\ndef rule(event):\n    return is_bad(event)\n');
    fs.writeFileSync(path.join(tree, 'aws', 'r.yml'), 'AnalysisType: rule\nRuleID: T.Plant\nFilename: r.py\nLogTypes: [AWS.CloudTrail]\n');
    const r = await run(['-t', 'kql', tree]);
    expect(r.out).not.toContain('PLANTED');
    // the folder that holds the tree is still searched (a checkout's rules/ beside its global_helpers/)
    fs.mkdirSync(path.join(base, 'work', 'global_helpers'));
    fs.copyFileSync(path.join(base, 'global_helpers', 'planted_helpers.py'), path.join(base, 'work', 'global_helpers', 'planted_helpers.py'));
    expect((await run(['-t', 'kql', tree])).out).toContain('EventName != "PLANTED"');
  });

  it('reads the global_helpers/ of an unpacked GitHub archive (a .github folder, no .git) for a single rule file', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-archive-'));
    const dir = path.join(base, 'rules', 'aws');
    fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(path.join(base, 'global_helpers'));
    fs.writeFileSync(path.join(base, 'global_helpers', 'archive_helpers.py'), 'def is_bad(event):\n    return event.get("eventName") == "ARCHIVED"\n');
    fs.writeFileSync(path.join(dir, 'r.py'), 'from archive_helpers import is_bad\n\ndef rule(event):\n    return is_bad(event)\n');
    fs.writeFileSync(path.join(dir, 'r.yml'), 'AnalysisType: rule\nRuleID: T.Archive\nFilename: r.py\nLogTypes: [AWS.CloudTrail]\n');
    // without a repository marker the walk stops at the folder holding the rule file's own folder
    const before = await run(['-t', 'kql', path.join(dir, 'r.yml')]);
    expect(before.out).not.toContain('"ARCHIVED"');
    expect(before.out).toContain("module 'archive_helpers' was not found");
    expect(before.out).toContain('--helpers DIR');
    fs.mkdirSync(path.join(base, '.github'));
    expect((await run(['-t', 'kql', path.join(dir, 'r.yml')])).out).toContain('EventName == "ARCHIVED"');
  });

  it('names files from the tree folder, so outputs and --check agree from any working directory', () => {
    const bin = path.resolve('bin/transpile.js');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cwd-'));
    const root = spawnSync('node', [bin, '-t', 'kql,sigma', '--out', out, 'rules/aws_cloudtrail'], { encoding: 'utf8' });
    expect(root.status).toBe(0);
    const inside = spawnSync('node', [bin, '-t', 'kql,sigma', '--out', out, '--check', '.'], { cwd: 'rules/aws_cloudtrail', encoding: 'utf8' });
    expect(inside.stderr).toContain('generated files are up to date');
    expect(inside.status).toBe(0);
    const text = fs.readFileSync(path.join(out, 'kql', 'aws_kms_cmk_loss.kql'), 'utf8');
    expect(text).toContain('(aws_cloudtrail/aws_kms_cmk_loss.yml + aws_cloudtrail/aws_kms_cmk_loss.py)');
    expect(text).not.toContain(path.resolve('.'));
  });
});

describe('deep Python', () => {
  it('a 1,000-branch elif chain lifts exactly (it used to be reported too large)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-elif-'));
    const branches = Array.from({ length: 1000 }, (_, i) => `    ${i === 0 ? 'if' : 'elif'} v == "${i}":\n        return True\n`).join('');
    fs.writeFileSync(path.join(dir, 'e.py'), `def rule(event):\n    v = event.get("x")\n${branches}    return False\n`);
    fs.writeFileSync(path.join(dir, 'e.yml'), 'AnalysisType: rule\nRuleID: T.Elif\nFilename: e.py\nLogTypes: [AWS.CloudTrail]\n');
    const r = await run(['test', '--json', '-t', 'kql', dir]);
    expect(r.err).not.toContain('internal');
    const doc = JSON.parse(r.out);
    expect(doc.rules[0].fidelity).toBe('exact');
    expect(doc.rules[0].reasons).toEqual([]);
  });
});
