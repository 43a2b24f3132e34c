/**
 * Large rule files (issue: hardening): a rule file over the size limit is refused before it is read, with its
 * size and how to raise the limit; a large Tests list (over 1 MB) is read test by test (the whole-document parse held
 * about 70 bytes per byte of YAML), with the same tests and the same positions as the whole-document parse.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MAX_RULE_MB, loadRule, loadYaml, setSplitTestsAbove, SPLIT_TESTS_ABOVE } from '../src/panther/load.js';
import { TranspileError } from '../src/diagnostics.js';
import { main } from '../src/cli/main.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-size-'));
fs.writeFileSync(path.join(dir, 'r.py'), 'def rule(event):\n    return event.get("eventName") == "x"\n');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), stdin: () => '', isTTY: false, env: {} });
  return { code, out, err };
}

function diag(f: () => unknown): TranspileError['diag'] {
  try {
    f();
  } catch (e) {
    if (e instanceof TranspileError) return e.diag;
    throw e;
  }
  throw new Error('no error');
}

const saved = process.env.TRANSPILE_MAX_RULE_MB;
afterEach(() => {
  if (saved === undefined) delete process.env.TRANSPILE_MAX_RULE_MB;
  else process.env.TRANSPILE_MAX_RULE_MB = saved;
});

describe('the size limit of a rule file', () => {
  it(`refuses a rule YAML over ${DEFAULT_MAX_RULE_MB} MB before reading it, naming its size and how to raise the limit`, async () => {
    // a sparse file: its size is known without writing (or reading) 11 MB
    const big = path.join(dir, 'big.yml');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 11 * 1024 * 1024);
    const r = await run(['-t', 'kql', big]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error file-too-large: the rule YAML is 11 MB, over the 10 MB limit for a rule file');
    expect(r.err).toContain('TRANSPILE_MAX_RULE_MB=11');
  });

  it('TRANSPILE_MAX_RULE_MB lowers or raises it, for the YAML and its Python module; a bad value is an error', () => {
    const yml = path.join(dir, 'r.yml');
    fs.writeFileSync(yml, `AnalysisType: rule\nRuleID: T.Size\nFilename: r.py\nLogTypes: [AWS.CloudTrail]\nDescription: ${'x'.repeat(3000)}\n`);
    process.env.TRANSPILE_MAX_RULE_MB = '0.002';
    const d = diag(() => loadRule(yml));
    expect(d.code).toBe('file-too-large');
    expect(d.message).toBe('the rule YAML is 4 kB, over the 3 kB limit for a rule file');
    process.env.TRANSPILE_MAX_RULE_MB = '1';
    expect(loadRule(yml).meta.id).toBe('T.Size');
    // the module is held to the same limit
    fs.writeFileSync(path.join(dir, 'long.py'), `# ${'y'.repeat(3000)}\ndef rule(event):\n    return True\n`);
    const small = path.join(dir, 'small.yml');
    fs.writeFileSync(small, 'AnalysisType: rule\nRuleID: T.Small\nFilename: long.py\nLogTypes: [AWS.CloudTrail]\n');
    process.env.TRANSPILE_MAX_RULE_MB = '0.002';
    expect(diag(() => loadRule(small)).message).toBe('the Python module is 3 kB, over the 3 kB limit for a rule file');
    process.env.TRANSPILE_MAX_RULE_MB = 'lots';
    expect(diag(() => loadRule(yml)).code).toBe('bad-size-limit');
  });
});

describe('a large Tests list is read test by test', () => {
  // the split applies above 1 MB; the tests lower the threshold to keep their files (and time) small
  beforeAll(() => setSplitTestsAbove(64 * 1024));
  afterAll(() => setSplitTestsAbove(SPLIT_TESTS_ABOVE));
  /** A rule YAML of about `mb` megabytes: varied tests (block, flow and JSON-string logs, comments), keys after Tests. */
  function bigRule(mb: number, extra = '', testExtra = ''): string {
    const tests: string[] = [];
    let size = 0;
    for (let i = 0; size < mb * 1024 * 1024; i++) {
      const items = Array.from({ length: 20 }, (_, j) => `{k: key${j}, v: "${'v'.repeat(30)}"}`).join(', ');
      const t =
        i % 3 === 0
          ? `  - Name: block ${i}\n    ExpectedResult: ${i % 2 === 0}\n    Log:\n      eventName: "x"\n      n: ${i}\n      items: [${items}]\n`
          : i % 3 === 1
            ? `  # test ${i}\n  -\n    Name: 'flow ${i}'\n    ExpectedResult: false\n    Log: {eventName: y, n: ${i}, nested: {a: [1, 2.5, null, true]}}\n`
            : `  - Name: json ${i}\n    ExpectedResult: false\n    Log: '{"eventName": "z", "n": ${i}}'\n    Mocks:\n      - objectName: f\n        returnValue: ${i}\n`;
      tests.push(t);
      size += t.length;
    }
    return `AnalysisType: rule\nRuleID: T.Big\nFilename: r.py\nLogTypes: [AWS.CloudTrail]\nSeverity: ${extra}Low\nTests:\n${tests.join('')}${testExtra}# after\nReports:\n  MITRE ATT&CK:\n    - TA0001:T1078\nDescription: >\n  folded\n  text\nTags: [a, b]\n`;
  }
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('gives the tests, keys and positions of the whole-document parse', () => {
    const text = bigRule(0.15);
    // an anchor makes the loader parse the whole document at once: the reference
    const whole = text.replace('Severity: Low', 'Severity: &sev Low');
    const a = loadRule(write('split.yml', text));
    const b = loadRule(write('whole.yml', whole));
    expect(a.tests.length).toBeGreaterThan(100);
    expect(a.tests).toEqual(b.tests);
    expect(a.meta).toEqual({ ...b.meta, id: 'T.Big', file: a.meta.file, pyFile: a.meta.pyFile });
    expect(a.raw.Description).toBe('folded text\n');
    for (const i of [0, 1, 2, 50, a.tests.length - 1]) expect(a.pos('Tests', i)).toEqual(b.pos('Tests', i));
    for (const k of ['Tests', 'Reports', 'Description', 'Tags', 'Severity']) expect(a.pos(k)).toEqual(b.pos(k));
    expect(a.pos('Reports', 'MITRE ATT&CK')).toEqual(b.pos('Reports', 'MITRE ATT&CK'));
    // and the same data as one yaml parse of the whole text
    expect(loadYaml('x', text).data).toEqual(loadYaml('x', whole).data);
  });

  it('reports a bad test at the same line and column', () => {
    const bad = bigRule(0.1, '', '  - Name: last\n    ExpectedResult: "yes"\n    Log: {}\n');
    const a = diag(() => loadRule(write('bad.yml', bad)));
    const b = diag(() => loadRule(write('bad-whole.yml', bad.replace('Severity: Low', 'Severity: &s Low'))));
    expect(a.code).toBe('bad-tests');
    expect(a).toEqual({ ...b, file: a.file });
    expect(a.line).toBe(bad.split('\n').findIndex((l) => l === '  - Name: last') + 1);
    expect(a.col).toBe(5);
  });

  it('a YAML error inside a test is reported as the whole-document parse reports it', () => {
    const broken = bigRule(0.1, '', '  - Name: "unclosed\n    ExpectedResult: false\n');
    const a = diag(() => loadRule(write('broken.yml', broken)));
    expect(a.code).toBe('yaml-syntax');
    expect(a.line).toBe(broken.split('\n').findIndex((l) => l.startsWith('  - Name: "unclosed')) + 1);
    expect(a.col).toBe(11);
  });
});
