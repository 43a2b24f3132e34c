/**
 * The CloudWatch Logs Insights reference evaluator (src/proof/cwl/): examples of the AWS Logs Insights
 * documentation, what it refuses, and the committed artifacts of out/cwl/ read back and run on their
 * rules' tests.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { projectCwl } from '../src/mapping/project/cwl.js';
import { collectRuleFiles } from '../src/cli/files.js';
import { liftFile, proveRule } from '../src/pipeline.js';
import { compileCwl, cwlProof } from '../src/proof/cwl/index.js';
import { Refusal } from '../src/proof/types.js';
import { refusal } from './support.js';

const mapper = loadMappings();
const LT = 'AWS.CloudTrail';
const ev = (log: Json) => projectCwl(log, LT, mapper);
const run = (q: string, log: Json) => compileCwl(q).matches(ev(log));


describe('documented examples (CWL_QuerySyntax, CWL_QuerySyntax-Filter)', () => {
  it('filter (range>3000)', () => {
    const q = 'fields @timestamp, @message\n| filter (range>3000)\n| sort @timestamp desc\n| limit 20';
    expect(run(q, { range: 3001 })).toBe(true);
    expect(run(q, { range: 3000 })).toBe(false);
    expect(run(q, { other: 1 })).toBe(false); // a positive comparison on an absent field never keeps it
  });

  it('filter (range>3000 and accountId=123456789012)', () => {
    const q = 'fields @timestamp, @message | filter (range>3000 and accountId=123456789012) | sort @timestamp desc | limit 20';
    expect(run(q, { range: 4000, accountId: 123456789012 })).toBe(true);
    expect(run(q, { range: 4000, accountId: 1 })).toBe(false);
  });

  it('filter (f1=10 or f3>25)', () => {
    const q = 'fields f1, f2 | filter (f1=10 or f3>25)';
    expect(run(q, { f1: 10 })).toBe(true);
    expect(run(q, { f1: 1, f3: 26 })).toBe(true);
    expect(run(q, { f1: 1, f3: 2 })).toBe(false);
  });

  it('like "Exception" matches a substring, case-sensitively', () => {
    const q = 'fields f1, f2, f3 | filter f1 like "Exception"';
    expect(run(q, { f1: 'java.lang.NullPointerException: x' })).toBe(true);
    expect(run(q, { f1: 'an exception' })).toBe(false);
    expect(run("fields f1 | filter f1 like 'Exception'", { f1: 'xExceptionx' })).toBe(true);
    expect(run('fields f1 | filter f1 not like "Exception"', { f1: 'fine' })).toBe(true);
  });

  it('like /Exception/ and =~ /Exception/ search a regex', () => {
    expect(run('fields f1, f2, f3 | filter f1 like /Exception/', { f1: 'an Exception here' })).toBe(true);
    expect(run('fields f1, f2, f3 | filter f1 =~ /Exception/', { f1: 'an Exception here' })).toBe(true);
    expect(run('fields f1, f2, f3 | filter f1 =~ /Exception/', { f1: 'an exception here' })).toBe(false);
  });

  it('(?i) makes a regex case-insensitive; ^...$ anchors it', () => {
    expect(run('fields f1, f2, f3 | filter f1 like /(?i)Exception/', { f1: 'an EXCEPTION' })).toBe(true);
    expect(run('fields f1, f2, f3 | filter f1 =~ /(?i)^Exception$/', { f1: 'exception' })).toBe(true);
    expect(run('fields f1, f2, f3 | filter f1 =~ /(?i)^Exception$/', { f1: 'exceptions' })).toBe(false);
  });

  it('statusCode like /2\\d\\d/: \\d is refused (engines differ); [0-9] is read', () => {
    // the documented example; what \d matches differs between engines (ASCII or Unicode digits)
    expect(refusal(() => compileCwl('fields f1 | filter statusCode like /2\\d\\d/'))).toMatch(/\\d/);
    expect(run('fields f1 | filter statusCode like /2[0-9][0-9]/', { statusCode: '204' })).toBe(true);
    expect(run('fields f1 | filter statusCode like /2[0-9][0-9]/', { statusCode: '404' })).toBe(false);
  });

  it('in [...] compares complete strings; not in', () => {
    const q = 'fields @timestamp, @message | filter logGroup in ["example_group"]';
    expect(run(q, { logGroup: 'example_group' })).toBe(true);
    expect(run(q, { logGroup: 'example_group_2' })).toBe(false);
    expect(run('fields a | filter eventName not in ["A", "B"]', { eventName: 'C' })).toBe(true);
    expect(run('fields a | filter eventName not in ["A", "B"]', { eventName: 'A' })).toBe(false);
    expect(run('fields a | filter code in [200, 204]', { code: 204 })).toBe(true);
  });

  it('isempty: missing or ""; ispresent: exists', () => {
    expect(run('fields a | filter isempty(errorCode)', { eventName: 'x' })).toBe(true);
    expect(run('fields a | filter isempty(errorCode)', { errorCode: '' })).toBe(true);
    expect(run('fields a | filter isempty(errorCode)', { errorCode: 'AccessDenied' })).toBe(false);
    expect(run('fields a | filter isempty(count)', { count: 0 })).toBe(false); // a present number is not empty
    expect(run('fields a | filter ispresent(errorCode)', { errorCode: '' })).toBe(true);
    expect(run('fields a | filter ispresent(errorCode)', {})).toBe(false);
    expect(run('fields a | filter not (ispresent(errorCode))', {})).toBe(true);
  });

  it('reads flattened arrays by index', () => {
    const log = { requestParameters: { instancesSet: { items: [{ instanceId: 'i-abcde123' }] } } };
    expect(run('fields a | filter requestParameters.instancesSet.items.0.instanceId = "i-abcde123"', log)).toBe(true);
    expect(run('fields a | filter requestParameters.instancesSet.items.1.instanceId = "i-abcde123"', log)).toBe(false);
  });

  it('back-quoted field names', () => {
    expect(run('fields `foo-bar` | filter `foo-bar` = "x"', { 'foo-bar': 'x' })).toBe(true);
    expect(run('fields a | filter `pull_request.title` like "x"', { pull_request: { title: 'axb' } })).toBe(true);
  });

  it('isIpInSubnet', () => {
    const q = 'fields a | filter isIpInSubnet(sourceIPAddress, "10.0.0.0/8")';
    expect(run(q, { sourceIPAddress: '10.1.2.3' })).toBe(true);
    expect(run(q, { sourceIPAddress: '11.1.2.3' })).toBe(false);
    expect(run(q, { sourceIPAddress: 'AWS Internal' })).toBe(false);
    expect(run('fields a | filter isIpInSubnet(ip, "fe80::/10")', { ip: 'fe80::1' })).toBe(true);
    expect(run('fields a | filter isIpInSubnet(ip, "fe80::/10")', { ip: '10.1.2.3' })).toBe(false);
    expect(refusal(() => run(q, { sourceIPAddress: '010.1.2.3' }))).toMatch(/valid address/);
  });

  it('successive filters narrow the events; sort/limit/display change nothing per event', () => {
    const q = 'fields a\n| filter eventName in ["A", "B"]\n| filter isempty(errorCode)\n| sort @timestamp desc\n| limit 10000\n| display a';
    expect(run(q, { eventName: 'A' })).toBe(true);
    expect(run(q, { eventName: 'A', errorCode: 'X' })).toBe(false);
  });

  it('the constants the printer writes: 1 = 1, 1 = 0', () => {
    expect(run('fields a | filter 1 = 1', {})).toBe(true);
    expect(run('fields a | filter 1 = 0', {})).toBe(false);
  });

  it('records the aggregation; a filter after stats is its threshold', () => {
    const c = compileCwl(
      'fields @timestamp, a\n| filter x = "y"\n| stats count(*) as eventCount by a, bin(60m) as timeWindow\n| filter eventCount >= 5\n| sort eventCount desc\n| limit 10000',
    );
    expect(c.aggregation).toBe('stats count(*) as eventCount by a, bin(60m) as timeWindow | filter eventCount >= 5 | sort eventCount desc');
    expect(c.filters).toHaveLength(1);
    expect(c.matches(ev({ x: 'y' }))).toBe(true);
  });

  it('comment lines are ignored', () => {
    expect(run('# a | filter x = "nope"\n# fidelity: exact\nfields a\n| filter a = "b"', { a: 'b' })).toBe(true);
  });
});

describe('absent fields', () => {
  it('a negated comparison guarded by ispresent() is decided', () => {
    const q = 'fields a | filter not (ispresent(x)) or x != "v"';
    expect(run(q, {})).toBe(true);
    expect(run(q, { x: 'v' })).toBe(false);
    expect(run(q, { x: 'w' })).toBe(true);
    expect(run('fields a | filter ispresent(x) and x != "v"', {})).toBe(false);
  });

  it('an unguarded negated comparison on an absent field is undocumented', () => {
    expect(refusal(() => run('fields a | filter x != "v"', {}))).toMatch(/absent field 'x'/);
    expect(refusal(() => run('fields a | filter not (x = "v")', {}))).toMatch(/absent field 'x'/);
    expect(refusal(() => run('fields a | filter x not in ["v"]', {}))).toMatch(/absent field 'x'/);
    expect(refusal(() => run('fields a | filter not (isIpInSubnet(ip, "10.0.0.0/8"))', {}))).toMatch(/absent field 'ip'/);
  });

  it('another filter that drops the event decides it', () => {
    expect(run('fields a | filter x != "v" | filter y = "w"', { y: 'z' })).toBe(false);
    expect(run('fields a | filter x != "v" and y = "w"', { y: 'z' })).toBe(false);
  });

  it('field names are case-sensitive: `enabled` does not read `Enabled`', () => {
    expect(run('fields a | filter enabled = "yes"', { Enabled: 'yes' })).toBe(false);
    expect(refusal(() => run('fields a | filter enabled != "no"', { Enabled: 'no' }))).toMatch(/absent field 'enabled'/);
  });
});

describe('refusals', () => {
  const compileRefusal = (q: string) => refusal(() => compileCwl(q));

  it('and/or mixed without parentheses', () => {
    expect(compileRefusal('fields a | filter a = "1" and b = "2" or c = "3"')).toMatch(/mixed without parentheses/);
    expect(compileRefusal('fields a | filter a = "1" or b = "2" and c = "3"')).toMatch(/mixed without parentheses/);
    expect(() => compileCwl('fields a | filter (a = "1" and b = "2") or c = "3"')).not.toThrow();
  });

  it('`not` before a bare comparison', () => {
    expect(compileRefusal('fields a | filter not a = "1"')).toMatch(/not/);
  });

  it('commands and functions outside the subset', () => {
    expect(compileRefusal('fields a | parse @message "x=*" as x')).toMatch(/command 'parse'/);
    expect(compileRefusal('fields a | filter tolower(a) = "x"')).toMatch(/function 'tolower'/);
    expect(compileRefusal('fields tolower(a) as b | filter b = "x"')).toMatch(/function 'tolower' in `fields`/);
    expect(compileRefusal('fields a | filter a')).toMatch(/bare field or value/);
  });

  it('undocumented literals', () => {
    expect(compileRefusal('fields a | filter a = "x\\"y"')).toMatch(/backslash/);
    expect(compileRefusal('fields a | filter a =~ /x\\/y/')).toMatch(/slash/);
    expect(compileRefusal('fields a | filter a =~ /x/i')).toMatch(/flags/);
    expect(compileRefusal('fields a | filter a_b = "x"')).toMatch(/unquoted/);
    expect(compileRefusal('fields a | filter @`x y` = "x"')).toMatch(/back-quoted/);
  });

  it('a comment-only artifact (not rendered)', () => {
    expect(compileRefusal('# Panther rule X\n# not rendered:\n#   no mapping\n')).toMatch(/comments only/);
  });

  it('a discovered JSON boolean compares as 1 (true) or 0 (false)', () => {
    expect(run('fields a | filter flag = 1', { flag: true })).toBe(true);
    expect(run('fields a | filter flag = 0', { flag: true })).toBe(false);
    expect(run('fields a | filter flag = 0', { flag: false })).toBe(true);
    expect(run('fields a | filter a.b.flag != 1', { a: { b: { flag: false } } })).toBe(true);
    expect(run('fields a | filter flag in [0]', { flag: false })).toBe(true);
    expect(run('fields a | filter isempty(flag)', { flag: false })).toBe(false);
  });

  it('comparisons between types, ordering strings, booleans', () => {
    expect(refusal(() => run('fields a | filter code = "200"', { code: 200 }))).toMatch(/a number and a string/);
    expect(refusal(() => run('fields a | filter name > "m"', { name: 'z' }))).toMatch(/collation/);
    // a discovered JSON boolean is the number 1/0 (src/mapping/project/cwl.ts); one read through jsonParse() is refused
    expect(refusal(() => run('fields a | filter flag = "true"', { flag: true }))).toMatch(/a number and a string/);
    expect(refusal(() => run('fields jsonParse(body) as b | filter b.flag = 1', { body: '{"flag": true}' }))).toMatch(/boolean/);
    expect(refusal(() => run('fields jsonParse(body) as b | filter b.flag = 1', { body: '{"flag": false}' }))).toMatch(/boolean/);
    expect(refusal(() => run('fields a | filter code like "20"', { code: 200 }))).toMatch(/number/);
  });

  it('reads of opaque fields', () => {
    expect(refusal(() => run('fields a | filter isempty(userIdentity)', { userIdentity: { type: 'Root' } }))).toMatch(/container/);
    expect(refusal(() => run('fields a | filter isempty(tags)', { tags: [] }))).toMatch(/empty JSON array/);
    const big: Record<string, Json> = {};
    for (let i = 0; i < 300; i++) big[`f${i}`] = i;
    expect(refusal(() => run('fields a | filter f1 = 1', big))).toMatch(/more than/);
  });
});

describe('cwlProof', () => {
  it('serves the cwl target and projects through the mapping', () => {
    expect(cwlProof.targets).toEqual(['cwl']);
    const e = cwlProof.project({ eventName: 'x', p_log_type: LT }, LT, mapper);
    expect(cwlProof.compile('fields a | filter eventName = "x"', 'cwl').matches(e)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The committed artifacts of out/cwl/ read back and run on their rules' tests

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe('out/cwl artifacts against their rules’ tests', () => {
  const root = new URL('..', import.meta.url).pathname;
  // each rule (a YAML file, or a pypanther class) and its artifact under out/cwl/
  const byArtifact = new Map(collectRuleFiles([join(root, 'rules')], () => '').map((f) => [join(root, 'out/cwl', `${f.rel}.cwl`), f.path]));
  const files = walk(join(root, 'out/cwl')).filter((f) => f.endsWith('.cwl'));
  const exact = files.filter((f) => /^# fidelity: exact$/m.test(readFileSync(f, 'utf8')));

  it('has exact artifacts to check', () => {
    expect(exact.length).toBeGreaterThan(5);
  });

  // an artifact the evaluator refuses to read back (a printer defect, or a regex the portable
  // compiler cannot vouch for) is reported, not failed; every artifact it reads must agree
  const refused: string[] = [];
  let compiled = 0;
  for (const file of exact) {
    const rel = relative(join(root, 'out/cwl'), file);
    it(`${rel}: agrees with every evaluable test`, () => {
      const source = byArtifact.get(file);
      expect(source, `the rule of ${rel}`).toBeDefined();
      const { rule, loaded } = liftFile(source!);
      const report = proveRule(rule, loaded);
      expect(report.fidelity).toBe('exact');
      let artifact;
      try {
        artifact = cwlProof.compile(readFileSync(file, 'utf8'), 'cwl');
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        refused.push(`${rel}: ${e.what}`);
        return;
      }
      compiled++;
      const logType = rule.meta.logTypes[0]!;
      let evaluated = 0;
      for (const t of rule.tests) {
        if (t.mocks?.length) continue;
        if (t.logType && t.logType !== logType) continue;
        let got: boolean;
        try {
          got = artifact.matches(cwlProof.project(t.log, logType, mapper));
        } catch (e) {
          if (e instanceof Refusal) continue;
          throw e;
        }
        evaluated++;
        expect({ test: t.name, got }).toEqual({ test: t.name, got: t.expected });
      }
      expect(evaluated).toBeGreaterThan(0);
    });
  }

  it('reads back most exact artifacts', () => {
    expect(compiled).toBeGreaterThanOrEqual(Math.ceil(exact.length / 2));
  });
});

describe('printer defects the evaluator finds', () => {
  it('an `or` of `and`s without parentheses (simple/aws_console_login_outside_corporate_network) is refused', () => {
    // the shape out/cwl/simple/aws_console_login_outside_corporate_network.cwl prints: `a or b or c and d and e`
    const q =
      'fields a\n| filter not (ispresent(ip)) or not (ip =~ /^[0-9.]+$/) or not (isIpInSubnet(ip, "10.0.0.0/8")) and not (isIpInSubnet(ip, "192.168.0.0/16"))';
    expect(refusal(() => compileCwl(q))).toMatch(/mixed without parentheses/);
  });
});
