/**
 * Issue 11 (performance): what was made faster gives the same answers.
 * - mappings read per log type on first use (`loadMappings`), the same as reading every file at once;
 * - the KQL evaluator's parse (`parseKql`) without the grammar and GlobalState `KustoCode.Parse` builds:
 *   the same tree and the same syntax errors;
 * - V8 code cache of the Kusto.Language bundle: written where asked, never required;
 * - worker threads (`--jobs`): the same files, stdout and stderr as one thread. Those run the compiled
 *   command (dist/, or the build named by TRANSPILE_TEST_BUILD) and are skipped when it has no worker.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { threadsFor } from '../src/cli/pool.js';
import { parseMappingFile } from '../src/mapping/file.js';
import { codeCacheDir, kustoLanguage } from '../src/mapping/kusto.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings, scanLogType } from '../src/mapping/load.js';
import { kustoKind as kind, parseWithKusto } from '../src/proof/kql/kusto-tree.js';
import type { KNode } from '../src/proof/kql/syntax.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), stdin: () => '', isTTY: false, env: {} });
  return { code, out, err };
}

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

describe('mappings read per log type', () => {
  it('scans the log type of every package mapping file as the parser reads it', () => {
    for (const f of fs.readdirSync(DEFAULT_MAPPINGS_DIR).filter((x) => x.endsWith('.yaml'))) {
      const text = fs.readFileSync(path.join(DEFAULT_MAPPINGS_DIR, f), 'utf8');
      const types = [...new Set(parseMappingFile(text, f).map((d) => d.logType))];
      expect(scanLogType(text), f).toBe(types[0] === '*' ? undefined : types[0]);
    }
  });

  it('refuses to guess: several documents, two logType words, a flow mapping', () => {
    expect(scanLogType('logType: A\n---\nlogType: B\n')).toBeUndefined();
    expect(scanLogType('logType: A\ndescription: see logType B\n')).toBeUndefined();
    expect(scanLogType('{logType: A}\n')).toBeUndefined();
    expect(scanLogType("logType: '*'\n")).toBeUndefined();
    expect(scanLogType('# c\nlogType: "A.B"  # x\nfields: {}\n')).toBe('A.B');
  });

  it('gives the same mappings, coverage and resolutions as reading every file at once', () => {
    const lazy = loadMappings();
    const eager = loadMappings({ lazy: false });
    expect(lazy.logTypes()).toEqual(eager.logTypes());
    for (const lt of eager.logTypes()) {
      expect(lazy.mapping(lt), lt).toEqual(eager.mapping(lt));
      for (const t of ['kql', 'sigma', 'yaral', 'cwl'] as const) {
        expect(lazy.source(lt, t)).toEqual(eager.source(lt, t));
        for (const p of [['eventName'], ['userIdentity', 'arn'], ['p_event_time'], ['actor', 'alternateId'], ['nope', 0, 'x']]) expect(lazy.resolve(lt, t, p)).toEqual(eager.resolve(lt, t, p));
      }
    }
    expect(loadMappings().summary()).toEqual(eager.summary());
    expect(loadMappings().source('Nope.Log', 'sigma')).toEqual(eager.source('Nope.Log', 'sigma'));
  });

  it('checks what --mapping touches at once, a shared (*) document against every log type', () => {
    const dir = tmp('perf-mapping-');
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, "logType: '*'\ndefaults:\n  kql: raw\n");
    expect(() => loadMappings({ extraFiles: [bad] })).toThrow(/bad\.yaml:3:\d+: Amazon\.EKS\.Audit: defaults\.kql: 'raw' is not allowed/);
    expect(() => loadMappings({ extraFiles: [bad], lazy: false })).toThrow(/bad\.yaml:3:\d+: Amazon\.EKS\.Audit: defaults\.kql: 'raw' is not allowed/);
  });
});

describe('the parse of Kusto.Language kept for the cross-check (src/proof/kql/kusto-tree.ts)', () => {
  type Parse = { Syntax: KNode; GetDiagnostics(): { Count: number; getItem(i: number): { Severity: string; Start: number; Message: string } } };
  const K = () => kustoLanguage<{ Language: { KustoCode: { Parse(t: string): Parse } } }>().Language;
  const sig = (n: KNode): string => {
    const out: string[] = [];
    const rec = (x: KNode): void => {
      out.push(`${kind(x)}:${x.IsToken ? x.Text : ''}`);
      for (let i = 0; i < x.ChildCount; i++) {
        const c = x.GetChild(i);
        if (c) rec(c);
      }
    };
    rec(n);
    return out.join('|');
  };
  const viaKustoCode = (text: string): string => {
    const code = K().KustoCode.Parse(text);
    const d = code.GetDiagnostics();
    for (let i = 0; i < d.Count; i++) if (d.getItem(i).Severity === 'Error') return `KQL syntax error at offset ${d.getItem(i).Start}: ${d.getItem(i).Message}`;
    return sig(code.Syntax);
  };
  const ours = (text: string): string => {
    const r = parseWithKusto(text);
    return r.errors.length ? r.errors[0]! : sig(r.syntax);
  };

  it('reads the same tree and the same errors as KustoCode.Parse', () => {
    const queries = [
      '// c\nAWSCloudTrail\n| where EventName in ("DisableKey", "ScheduleKeyDeletion")\n| where isempty(ErrorCode)\n| project TimeGenerated, EventName',
      'union isfuzzy=true SigninLogs, AuditLogs | where tostring(parse_json(InitiatedBy).user) has_cs "a" or UserPrincipalName matches regex @"^x\\d+$"',
      'T | where a == "x\\"y" | summarize count() by bin(TimeGenerated, 30m) | where count_ >= 5',
      'let x = dynamic(["a", 1]); T | where a in~ (x) and not(isnull(b))',
      'T | where (',
      'T | where a ==',
      '.show tables',
      '',
    ];
    for (const q of queries) expect(ours(q), q).toBe(viaKustoCode(q));
  });
});

describe('V8 code cache of Kusto.Language', () => {
  it('is kept under the OS cache folder, elsewhere when asked, or nowhere', () => {
    expect(codeCacheDir({ TRANSPILE_NO_CACHE: '1' })).toBeUndefined();
    expect(codeCacheDir({ TRANSPILE_CACHE_DIR: 'off' })).toBeUndefined();
    expect(codeCacheDir({ TRANSPILE_CACHE_DIR: '/x/y' })).toBe('/x/y');
    if (process.platform === 'linux') {
      expect(codeCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/panther-transpile');
      expect(codeCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(path.join(os.homedir(), '.cache', 'panther-transpile'));
    }
  });
});

describe('--jobs', () => {
  it('takes a positive whole number', async () => {
    for (const bad of ['0', '-1', 'x', '1.5']) {
      const r = await run(['-t', 'kql', '--jobs', bad, 'rules/aws_cloudtrail/aws_kms_cmk_loss.yml']);
      expect(r.code, bad).toBe(2);
      expect(r.err).toMatch(/--jobs .*positive whole number/);
    }
    expect((await run(['-t', 'kql', '--jobs', '3', 'rules/aws_cloudtrail/aws_kms_cmk_loss.yml'])).code).toBe(0);
  });

  it('uses one thread for one rule, and by default only when each thread gets a share worth a worker', () => {
    expect(threadsFor(1, 8)).toBe(1);
    expect(threadsFor(1, undefined)).toBe(1);
    expect(threadsFor(5, undefined)).toBe(1);
  });

  // the compiled command: dist/ after npm ci, or a build named by TRANSPILE_TEST_BUILD
  const build = path.resolve(process.env.TRANSPILE_TEST_BUILD ?? 'dist');
  const haveWorker = fs.existsSync(path.join(build, 'cli', 'worker.js'));
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [path.join(build, 'cli', 'run.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 1 << 28 });
  const tree = (dir: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
      }
    };
    walk(dir);
    return out;
  };

  it.skipIf(!haveWorker)('writes the same files and prints the same as one thread (convert --out, --check, collisions)', () => {
    // a copy of one rule at the same relative path: both are refused, between rules that are written
    const other = tmp('perf-clash-');
    fs.mkdirSync(path.join(other, 'aws_cloudtrail'));
    for (const f of ['aws_kms_cmk_loss.yml', 'aws_kms_cmk_loss.py']) fs.copyFileSync(path.join('rules/aws_cloudtrail', f), path.join(other, 'aws_cloudtrail', f));
    const a = tmp('perf-j1-');
    const b = tmp('perf-j3-');
    const one = cli(['-t', 'all', '--jobs', '1', '--out', a, 'rules', other]);
    const three = cli(['-t', 'all', '--jobs', '3', '--out', b, 'rules', other]);
    expect(one.status).toBe(1);
    expect(one.stderr).toMatch(/output-collision/);
    expect(three.status).toBe(one.status);
    expect(three.stdout).toBe(one.stdout);
    expect(three.stderr.split(b).join('OUT')).toBe(one.stderr.split(a).join('OUT'));
    const ta = tree(a);
    expect(Object.keys(ta).length).toBeGreaterThan(100);
    expect(tree(b)).toEqual(ta);
    const json1 = cli(['-t', 'kql,ast', '--jobs', '1', '--json', 'rules']);
    const json3 = cli(['-t', 'kql,ast', '--jobs', '3', '--json', 'rules']);
    expect(json3.stdout).toBe(json1.stdout);
    const c = tmp('perf-check-');
    expect(cli(['-t', 'kql,sigma', '--jobs', '1', '--out', c, 'rules']).status).toBe(0);
    const check = cli(['-t', 'kql,sigma', '--jobs', '2', '--out', c, '--check', 'rules']);
    expect(check.stderr).toMatch(/generated files are up to date/);
    fs.writeFileSync(path.join(c, 'kql', 'aws_cloudtrail', 'aws_kms_cmk_loss.kql'), 'stale');
    fs.rmSync(path.join(c, 'sigma', 'aws_cloudtrail', 'aws_kms_cmk_loss.yml'));
    const stale1 = cli(['-t', 'kql,sigma', '--jobs', '1', '--out', c, '--check', 'rules']);
    const stale2 = cli(['-t', 'kql,sigma', '--jobs', '2', '--out', c, '--check', 'rules']);
    expect(stale2.status).toBe(1);
    expect(stale2.stderr).toBe(stale1.stderr);
    expect(stale2.stderr).toContain(`${path.join(c, 'kql', 'aws_cloudtrail', 'aws_kms_cmk_loss.kql')}\n`);
    expect(stale2.stderr).toContain(`${path.join(c, 'sigma', 'aws_cloudtrail', 'aws_kms_cmk_loss.yml')} (missing)\n`);
  }, 240_000);

  it.skipIf(!haveWorker)('reports the same test results and migration report as one thread', () => {
    const t1 = cli(['test', '--json', '--jobs', '1', 'rules', 'test/fixtures/bad']);
    const t3 = cli(['test', '--json', '--jobs', '3', 'rules', 'test/fixtures/bad']);
    expect(t3.status).toBe(t1.status);
    expect(t3.stdout).toBe(t1.stdout);
    const v1 = cli(['test', '-v', '--jobs', '1', 'rules']);
    const v3 = cli(['test', '-v', '--jobs', '3', 'rules']);
    expect(v3.stdout).toBe(v1.stdout);
    const strip = (s: string) => s.replace(/"generated": "[^"]*"/, '').replace(/"ms": \d+/, '');
    const r1 = cli(['report', '--format', 'json', '--jobs', '1', 'rules']);
    const r3 = cli(['report', '--format', 'json', '--jobs', '3', 'rules']);
    expect(r3.status).toBe(r1.status);
    expect(strip(r3.stdout)).toBe(strip(r1.stdout));
  }, 240_000);

  it.skipIf(!haveWorker)('never loads Kusto.Language in a run of the CLI; bin/ runs the one-file bundle with a code cache', () => {
    const bin = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, ['bin/transpile.js', '-t', 'kql,sentinel', 'rules/aws_cloudtrail/aws_kms_cmk_loss.yml'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
    const dir = tmp('perf-cache-');
    const first = bin({ TRANSPILE_CACHE_DIR: dir });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^AWSCloudTrail$/m);
    expect(first.stdout).toMatch(/fidelity: exact/);
    const files = fs.readdirSync(dir);
    expect(files.filter((f) => f.startsWith('kusto'))).toEqual([]);
    if (fs.existsSync(path.join(build, 'cli', 'main.cjs'))) expect(files.filter((f) => /^cli-[0-9a-f]+-v8-.*\.v8cache$/.test(f))).toHaveLength(1);
    const second = bin({ TRANSPILE_CACHE_DIR: dir });
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
    const modules = cli(['-t', 'kql,sentinel', 'rules/aws_cloudtrail/aws_kms_cmk_loss.yml'], { TRANSPILE_CACHE_DIR: 'off' });
    expect(modules.stdout).toBe(first.stdout);
  }, 120_000);

  it.skipIf(!haveWorker || !fs.existsSync(path.join(build, 'cli', 'main.cjs')))('keeps the code caches of a few other builds (two installs do not evict each other), not of every build', () => {
    const dir = tmp('perf-cache-');
    // five caches of other builds, the oldest first
    const others = [1, 2, 3, 4, 5].map((i) => {
      const f = path.join(dir, `cli-${String(i).repeat(64)}-v8-other-x64.v8cache`);
      fs.writeFileSync(f, 'not a cache');
      const t = new Date(Date.UTC(2020, 0, i));
      fs.utimesSync(f, t, t);
      return path.basename(f);
    });
    const run = spawnSync(process.execPath, ['bin/transpile.js', '-t', 'kql', 'rules/aws_cloudtrail/aws_kms_cmk_loss.yml'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TRANSPILE_CACHE_DIR: dir } });
    expect(run.status).toBe(0);
    const left = fs.readdirSync(dir).filter((f) => f.startsWith('cli-'));
    expect(left.filter((f) => !others.includes(f))).toHaveLength(1);
    expect(left.filter((f) => others.includes(f)).sort()).toEqual(others.slice(2).sort());
  }, 120_000);

  it.skipIf(!haveWorker || !fs.existsSync(path.join(build, 'cli', 'main.cjs')))('writes the code cache after the first rule, whatever the command: a batch writes what one rule compiles, a command without rules none', () => {
    const run = (args: string[], dir: string) => spawnSync(process.execPath, ['bin/transpile.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TRANSPILE_CACHE_DIR: dir } });
    const caches = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith('cli-'));
    const none = tmp('perf-cache-');
    expect(run(['--help'], none).status).toBe(0);
    expect(caches(none)).toEqual([]);
    const one = tmp('perf-cache-');
    expect(run(['-t', 'kql', 'rules/aws_cloudtrail/aws_kms_cmk_loss.yml'], one).status).toBe(0);
    const batch = tmp('perf-cache-');
    expect(run(['-t', 'kql', '-j', '1', 'rules/aws_cloudtrail'], batch).status).toBe(0);
    expect(caches(one)).toHaveLength(1);
    expect(caches(batch)).toEqual(caches(one));
    // the batch's cache holds the first rule's functions, not the whole batch's: about one rule's size
    const size = (dir: string) => fs.statSync(path.join(dir, caches(dir)[0]!)).size;
    expect(size(batch)).toBeLessThan(size(one) * 1.25);
  }, 120_000);

  it.skipIf(!haveWorker)('keeps a V8 code cache of Kusto.Language for the checker, and falls back silently when it cannot be written', () => {
    const check = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', `import('${path.join(build, 'mapping', 'kusto.js')}').then((m) => console.log(JSON.stringify(m.checkKql('AWSCloudTrail | where EventName == "x" | where Nope == 1').map((d) => d.code))))`], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    const file = path.join(tmp('perf-cache-'), 'a-file');
    fs.writeFileSync(file, '');
    const r = check({ TRANSPILE_CACHE_DIR: path.join(file, 'sub') });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/KS142/);
    const dir = tmp('perf-cache-');
    const first = check({ TRANSPILE_CACHE_DIR: dir });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache'))).toHaveLength(2);
    const second = check({ TRANSPILE_CACHE_DIR: dir });
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).toBe(r.stdout);
  }, 120_000);
});
