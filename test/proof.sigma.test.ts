/**
 * The Sigma reference evaluator (src/proof/sigma/): the specification's matching rules, what it refuses,
 * and the project's committed Sigma artifacts (out/sigma/) read back and run on their rules' tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json } from '../src/ast/types.js';
import { collectRuleFiles } from '../src/cli/files.js';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile, proveRule } from '../src/pipeline.js';
import { compileSigma, sigmaProof } from '../src/proof/sigma/index.js';
import { Refusal } from '../src/proof/types.js';

const mapper = loadMappings();
const LT = 'Custom.Thing'; // no mapping file: raw dotted names

function rule(detection: string, extra = ''): string {
  return `title: t\nid: 11111111-1111-4111-8111-111111111111\nlogsource:\n    product: custom\ndetection:\n${detection}\n${extra}`;
}

function run(detection: string, log: Json): boolean {
  return compileSigma(rule(detection)).matches(sigmaProof.project(log, LT, mapper));
}

function refuses(f: () => unknown, what?: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(Refusal);
  if (what) expect((err as Refusal).what).toMatch(what);
}

describe('search identifiers', () => {
  const det = `    selection:\n        EventLog: Security\n        EventID:\n            - 517\n            - 1102\n    condition: selection`;
  it('a map is AND, a value list is OR (spec "Maps" example)', () => {
    expect(run(det, { EventLog: 'Security', EventID: 517 })).toBe(true);
    expect(run(det, { EventLog: 'Security', EventID: 1102 })).toBe(true);
    expect(run(det, { EventLog: 'Security', EventID: 4624 })).toBe(false);
    expect(run(det, { EventLog: 'System', EventID: 517 })).toBe(false);
  });
  it('a list of maps is OR (spec "Lists" example)', () => {
    const d = `    selection:\n        - Image|endswith: '\\example.exe'\n        - Description|contains: 'Test executable'\n    condition: selection`;
    expect(run(d, { Image: 'C:\\x\\example.exe' })).toBe(true);
    expect(run(d, { Description: 'a Test executable here' })).toBe(true);
    expect(run(d, { Image: 'other.exe', Description: 'none' })).toBe(false);
  });
  it('refuses keyword (full-text) identifiers', () => {
    refuses(() => compileSigma(rule(`    keywords:\n        - 'event::clear'\n    condition: keywords`)), /keyword/);
    refuses(() => compileSigma(rule(`    keywords:\n        '|all':\n            - a\n            - b\n    condition: keywords`)), /keyword/);
  });
});

describe('values', () => {
  const eq = (v: string) => `    sel:\n        f: ${v}\n    condition: sel`;
  it('are case-insensitive by default, case-sensitive with cased', () => {
    expect(run(eq('ConsoleLogin'), { f: 'consolelogin' })).toBe(true);
    expect(run(`    sel:\n        f|cased: ConsoleLogin\n    condition: sel`, { f: 'consolelogin' })).toBe(false);
    expect(run(`    sel:\n        f|cased: ConsoleLogin\n    condition: sel`, { f: 'ConsoleLogin' })).toBe(true);
  });
  it('refuse where ASCII and Unicode case folding disagree', () => {
    refuses(() => run(eq("'ÉTÉ'"), { f: 'été' }), /non-ASCII/);
    expect(run(eq("'ÉTÉ'"), { f: 'ÉTÉ' })).toBe(true);
  });
  it('wildcards * and ? (spec "String Wildcard")', () => {
    expect(run(eq("'prog?.exe'"), { f: 'progA.exe' })).toBe(true);
    expect(run(eq("'prog?.exe'"), { f: 'progAB.exe' })).toBe(false);
    expect(run(eq("'antivirus_V*.exe'"), { f: 'antivirus_V21.2.1.exe' })).toBe(true);
    expect(run(eq("'a*'"), { f: 'a\nb' })).toBe(true);
  });
  it('escapes (spec "Escaping")', () => {
    expect(run(eq("'a\\*b'"), { f: 'a*b' })).toBe(true);
    expect(run(eq("'a\\*b'"), { f: 'axb' })).toBe(false);
    expect(run(eq("'a\\?'"), { f: 'a?' })).toBe(true);
    expect(run(eq("'a\\?'"), { f: 'ab' })).toBe(false);
    // a backslash before a wildcard, escaped: backslash then a real wildcard
    expect(run(eq("'C:\\\\*'"), { f: 'C:\\Windows' })).toBe(true);
    // three backslashes: a backslash and a plain *
    expect(run(eq("'C:\\\\\\*'"), { f: 'C:\\*' })).toBe(true);
    expect(run(eq("'C:\\\\\\*'"), { f: 'C:\\x' })).toBe(false);
    // a single backslash before a plain character is literal; double backslash is one backslash
    expect(run(eq("'C:\\Windows'"), { f: 'C:\\Windows' })).toBe(true);
    expect(run(eq("'C:\\\\Windows'"), { f: 'C:\\Windows' })).toBe(true);
    // three or four backslashes are two
    expect(run(eq("'a\\\\\\\\b'"), { f: 'a\\\\b' })).toBe(true);
    expect(run(eq("'a\\\\\\b'"), { f: 'a\\\\b' })).toBe(true);
    // a trailing backslash is literal
    expect(run(eq("'a\\'"), { f: 'a\\' })).toBe(true);
  });
  it("null matches a missing or null field; '' only the empty string", () => {
    const n = `    sel:\n        f: null\n    condition: sel`;
    expect(run(n, {})).toBe(true);
    expect(run(n, { f: null })).toBe(true);
    expect(run(n, { f: '' })).toBe(false);
    expect(run(n, { f: 'x' })).toBe(false);
    const e = `    sel:\n        f: ''\n    condition: sel`;
    expect(run(e, { f: '' })).toBe(true);
    expect(run(e, {})).toBe(false);
    expect(run(e, { f: null })).toBe(false);
    expect(run(`    sel:\n        f: null\n    condition: not sel`, { f: 'x' })).toBe(true);
  });
  it('numbers and booleans compare by type; text against a number is backend-defined', () => {
    expect(run(eq('4688'), { f: 4688 })).toBe(true);
    expect(run(eq('4688'), { f: 4689 })).toBe(false);
    refuses(() => run(eq('4688'), { f: '4688' }), /backend-defined/);
    expect(run(eq('4688'), { f: 'abc' })).toBe(false);
    expect(run(eq('true'), { f: true })).toBe(true);
    expect(run(eq('false'), { f: true })).toBe(false);
    refuses(() => run(eq('true'), { f: 'true' }), /backend-defined/);
    refuses(() => run(eq("'200'"), { f: 200 }), /backend-defined/);
    expect(run(eq("'abc'"), { f: 200 })).toBe(false);
  });
  it('refuses YAML that PyYAML (1.1) reads unlike YAML 1.2', () => {
    refuses(() => compileSigma(rule(eq('yes'))), /YAML 1\.1/);
    refuses(() => compileSigma(rule(eq('0777'))), /YAML 1\.1/);
    expect(run(eq("'yes'"), { f: 'Yes' })).toBe(true);
  });
});

describe('modifiers', () => {
  const m = (key: string, v: string) => `    sel:\n        ${key}: ${v}\n    condition: sel`;
  it('contains, startswith, endswith (with cased)', () => {
    expect(run(m('f|contains', 'mid'), { f: 'aMIDb' })).toBe(true);
    expect(run(m('f|contains|cased', 'mid'), { f: 'aMIDb' })).toBe(false);
    expect(run(m('f|startswith', 'adm'), { f: 'Admin' })).toBe(true);
    expect(run(m('f|startswith', 'adm'), { f: 'xadm' })).toBe(false);
    expect(run(m('f|endswith', "'\\cmd.exe'"), { f: 'C:\\Windows\\CMD.EXE' })).toBe(true);
    expect(run(m('f|endswith|cased', "'\\cmd.exe'"), { f: 'C:\\Windows\\CMD.EXE' })).toBe(false);
    expect(run(m('f|contains', "'a*c'"), { f: 'xxabbbcxx' })).toBe(true);
    expect(run(m('f|contains', "'a\\*c'"), { f: 'xxabcxx' })).toBe(false);
  });
  it('all links the values with AND; a single value with all is refused', () => {
    const d = `    sel:\n        f|contains|all:\n            - a\n            - b\n    condition: sel`;
    expect(run(d, { f: 'xaxbx' })).toBe(true);
    expect(run(d, { f: 'xax' })).toBe(false);
    refuses(() => compileSigma(rule(m('f|contains|all', 'a'))), /single value/);
  });
  it('exists checks presence only, null included', () => {
    expect(run(m('f|exists', 'true'), { f: 'x' })).toBe(true);
    expect(run(m('f|exists', 'true'), { f: null })).toBe(true);
    expect(run(m('f|exists', 'true'), {})).toBe(false);
    expect(run(m('f|exists', 'false'), {})).toBe(true);
    refuses(() => compileSigma(rule(m('f|exists', 'x'))), /boolean/);
  });
  it('re with i, m, s (PCRE flavour)', () => {
    expect(run(m('f|re', "'^ab+c$'"), { f: 'abbc' })).toBe(true);
    expect(run(m('f|re', "'b+'"), { f: 'abbc' })).toBe(true);
    expect(run(m('f|re', "'^ABC$'"), { f: 'abc' })).toBe(false);
    expect(run(m('f|re|i', "'^ABC$'"), { f: 'abc' })).toBe(true);
    expect(run(m('f|re', "'^b$'"), { f: 'a\nb' })).toBe(false);
    expect(run(m('f|re|m', "'^b$'"), { f: 'a\nb' })).toBe(true);
    expect(run(m('f|re', "'a.b'"), { f: 'a\nb' })).toBe(false);
    expect(run(m('f|re|s', "'a.b'"), { f: 'a\nb' })).toBe(true);
    refuses(() => compileSigma(rule(m('f|contains|re', 'a'))), /'re' must come first/);
    refuses(() => compileSigma(rule(m('f|i', 'a'))), /sub-modifiers/);
  });
  it('cidr (IPv4 and IPv6)', () => {
    expect(run(m('f|cidr', "'10.0.0.0/8'"), { f: '10.1.2.3' })).toBe(true);
    expect(run(m('f|cidr', "'10.0.0.0/8'"), { f: '11.1.2.3' })).toBe(false);
    expect(run(m('f|cidr', "'10.0.0.0/8'"), { f: 'not-an-ip' })).toBe(false);
    expect(run(m('f|cidr', "'::1/128'"), { f: '::1' })).toBe(true);
    expect(run(m('f|cidr', "'2001:db8::/32'"), { f: '2001:DB8:0:0::5' })).toBe(true);
    expect(run(m('f|cidr', "'2001:db8::/32'"), { f: '2001:db9::5' })).toBe(false);
    refuses(() => run(m('f|cidr', "'10.0.0.0/8'"), { f: '::ffff:10.0.0.1' }), /IPv4-mapped/);
    refuses(() => compileSigma(rule(m('f|cidr', "'10.0.0.0/33'"))), /prefix length/);
  });
  it('gt, gte, lt, lte on numbers', () => {
    expect(run(m('f|gt', '5'), { f: 6 })).toBe(true);
    expect(run(m('f|gt', '5'), { f: 5 })).toBe(false);
    expect(run(m('f|gte', '5'), { f: 5 })).toBe(true);
    expect(run(m('f|lt', '5'), { f: 4.5 })).toBe(true);
    expect(run(m('f|lte', '5'), { f: 6 })).toBe(false);
    expect(run(m('f|gte', '5'), {})).toBe(false);
    refuses(() => run(m('f|gte', '5'), { f: '7' }), /numeric string/);
    refuses(() => compileSigma(rule(m('f|gt', "'5'"))), /numeric values/);
  });
  it('fieldref compares two fields; differing case is backend-defined', () => {
    expect(run(m('a|fieldref', 'b'), { a: 'x', b: 'x' })).toBe(true);
    expect(run(m('a|fieldref', 'b'), { a: 'x', b: 'y' })).toBe(false);
    expect(run(m('a|fieldref', 'b'), { a: 'x' })).toBe(false);
    refuses(() => run(m('a|fieldref', 'b'), { a: 'X', b: 'x' }), /case/);
    refuses(() => run(m('a|fieldref', 'b'), {}), /absent/);
  });
  it('refuses modifiers the evaluator does not implement', () => {
    for (const mod of ['windash', 'base64', 'base64offset', 'utf16le', 'wide', 'expand', 'neq']) {
      refuses(() => compileSigma(rule(m(`f|${mod}`, 'a'))), new RegExp(mod));
    }
    refuses(() => compileSigma(rule(m('f|bogus', 'a'))), /unknown modifier/);
  });
  it('refuses a field name with an empty dotted segment (details..tag)', () => {
    refuses(() => compileSigma(rule(m('details..tag|cased', 'x'))), /empty dotted segment/);
  });
});

describe('conditions', () => {
  const sels = `    a:\n        fa: 1\n    b:\n        fb: 1\n    c:\n        fc: 1\n`;
  const cond = (c: string, log: Json) => run(`${sels}    condition: '${c}'`, log);
  it('and binds tighter than or', () => {
    expect(cond('a or b and c', { fa: 1 })).toBe(true);
    expect(cond('a or b and c', { fb: 1 })).toBe(false);
    expect(cond('(a or b) and c', { fa: 1 })).toBe(false);
  });
  it('not binds tighter than and', () => {
    expect(cond('not a and b', { fb: 1 })).toBe(true);
    expect(cond('not a and b', { fa: 1, fb: 1 })).toBe(false);
    expect(cond('not (a and b)', { fa: 1 })).toBe(true);
    expect(cond('not not a', { fa: 1 })).toBe(true);
  });
  it('1 of / all of patterns and them (skipping _ identifiers)', () => {
    const d = `    selection_1:\n        f1: 1\n    selection_2:\n        f2: 1\n    _hidden:\n        f3: 1\n`;
    const c = (x: string, log: Json) => run(`${d}    condition: '${x}'`, log);
    expect(c('1 of selection_*', { f2: 1 })).toBe(true);
    expect(c('all of selection_*', { f2: 1 })).toBe(false);
    expect(c('all of selection_*', { f1: 1, f2: 1 })).toBe(true);
    expect(c('1 of them', { f3: 1 })).toBe(false);
    expect(c('all of them', { f1: 1, f2: 1 })).toBe(true);
    expect(c('1 of selection_* and not 1 of _hid*', { f1: 1, f3: 1 })).toBe(false);
    refuses(() => compileSigma(rule(`${d}    condition: 1 of nomatch*`)), /matches no/);
    refuses(() => compileSigma(rule(`${d}    condition: any of them`)), /'any of'/);
  });
  it('a list of conditions is OR', () => {
    expect(run(`${sels}    condition:\n        - a\n        - b`, { fb: 1 })).toBe(true);
  });
  it('refuses unknown identifiers and upper-case operators', () => {
    refuses(() => compileSigma(rule(`${sels}    condition: a and d`)), /not defined/);
    refuses(() => compileSigma(rule(`${sels}    condition: a AND b`)), /unexpected 'AND'/);
  });
  it('three-valued: an undecidable piece that cannot change the result does not refuse', () => {
    const d = `    a:\n        fa: 1\n    b:\n        fb: 4688\n    condition: a and b`;
    expect(run(d, { fa: 2, fb: '4688' })).toBe(false);
    refuses(() => run(d, { fa: 1, fb: '4688' }), /backend-defined/);
  });
});

describe('lists and dotted names', () => {
  const m = (key: string, v: string) => `    sel:\n        ${key}: ${v}\n    condition: sel`;
  it('a list field: element-wise and whole-value readings must agree', () => {
    refuses(() => run(m('ips|cased', "'1.2.3.4'"), { ips: ['1.2.3.4'] }), /element-wise/);
    expect(run(m('ips|cased', "'9.9.9.9'"), { ips: ['1.2.3.4'] })).toBe(false);
    expect(run(m('ips|exists', 'true'), { ips: ['1.2.3.4'] })).toBe(true);
  });
  it('a dotted name reaching into a list is backend-defined', () => {
    refuses(() => run(m('items.id|cased', 'a'), { items: [{ id: 'a' }] }), /flattened/);
    expect(run(m('items.id|cased', 'z'), { items: [{ id: 'a' }] })).toBe(false);
    refuses(() => run(m('ips.0|cased', "'1.2.3.4'"), { ips: ['1.2.3.4'] }), /indexed/);
  });
  it('a key holding a dot is refused when read', () => {
    const d = m("'annotations.authorization.k8s.io/decision|cased'", 'allow');
    const ev = sigmaProof.project({ annotations: { 'authorization.k8s.io/decision': 'allow' } }, 'Amazon.EKS.Audit', mapper);
    refuses(() => compileSigma(rule(d)).matches(ev), /holds a dot/);
  });
  it('field names are case-sensitive', () => {
    expect(run(m('enabled', 'false'), { Enabled: false })).toBe(false);
    expect(run(m('enabled', 'null'), { Enabled: false })).toBe(true);
  });
});

describe('correlation documents', () => {
  const corr = (body: string) =>
    `${rule(`    sel:\n        f: 1\n    condition: sel`)}---\ntitle: c\nid: 22222222-2222-4222-8222-222222222222\ncorrelation:\n${body}`;
  it('reads an event_count correlation into the aggregation', () => {
    const c = compileSigma(
      corr(`    type: event_count\n    rules:\n        - 11111111-1111-4111-8111-111111111111\n    group-by:\n        - user\n    timespan: 60m\n    condition:\n        gte: 5\n`),
    );
    expect(c.aggregation).toBe('event_count gte 5 within 60m by user');
    expect(c.matches(sigmaProof.project({ f: 1 }, LT, mapper))).toBe(true);
  });
  it('accepts an ungrouped count (no group-by)', () => {
    const c = compileSigma(corr(`    type: event_count\n    rules:\n        - 11111111-1111-4111-8111-111111111111\n    timespan: 1h\n    condition:\n        gt: 10\n        lte: 20\n`));
    expect(c.aggregation).toBe('event_count gt 10 and lte 20 within 1h');
  });
  it('refuses malformed correlations', () => {
    const base = (g: string, ts = '60m', cond = 'gte: 5', rules = '11111111-1111-4111-8111-111111111111', type = 'event_count') =>
      corr(`    type: ${type}\n    rules:\n        - ${rules}\n${g}    timespan: ${ts}\n    condition:\n        ${cond}\n`);
    refuses(() => compileSigma(base('    group-by: []\n')), /group-by: \[\]/);
    refuses(() => compileSigma(base('', '60 minutes')), /timespan/);
    refuses(() => compileSigma(base('', '60M')), /timespan/);
    refuses(() => compileSigma(base('', '60m', 'more: 5')), /condition/);
    refuses(() => compileSigma(base('', '60m', "gte: '5'")), /integer/);
    refuses(() => compileSigma(base('', '60m', 'gte: 5', 'other-rule')), /refers to rule/);
    refuses(() => compileSigma(base('', '60m', 'gte: 5', '11111111-1111-4111-8111-111111111111', 'temporal')), /temporal/);
  });
  it('reads one detection rule per log source: an event is decided by the rules of its own source', () => {
    const doc = (id: string, service: string, v: number) => `title: t\nid: ${id}\nlogsource:\n    product: aws\n    service: ${service}\ndetection:\n    s:\n        f: ${v}\n    condition: s\n`;
    const A = '11111111-1111-4111-8111-111111111111';
    const B = '33333333-3333-4333-8333-333333333333';
    const text = `${doc(A, 'cloudtrail', 1)}---\n${doc(B, 'vpcflow', 2)}---\ntitle: c\nid: 22222222-2222-4222-8222-222222222222\ncorrelation:\n    type: event_count\n    rules:\n        - ${A}\n        - ${B}\n    timespan: 1h\n    condition:\n        gte: 3\n`;
    const c = compileSigma(text);
    expect(c.rules).toHaveLength(2);
    const ct = sigmaProof.project({ f: 1 }, 'AWS.CloudTrail', mapper);
    expect(ct.logsource).toMatchObject({ product: 'aws', service: 'cloudtrail' });
    expect(c.matches(ct)).toBe(true);
    // the other source's rule does not read a CloudTrail event
    expect(c.matches(sigmaProof.project({ f: 2 }, 'AWS.CloudTrail', mapper))).toBe(false);
    expect(c.aggregation).toBe('event_count gte 3 within 1h');
    // a correlation must name every rule of the file, and the rules need distinct ids
    refuses(() => compileSigma(text.replace(`        - ${B}\n`, '')), /leaves out/);
    refuses(() => compileSigma(`${doc(A, 'cloudtrail', 1)}---\n${doc(A, 'vpcflow', 2)}`), /distinct ids/);
  });
});

// ---- the project's committed artifacts, read back and run on their rules' tests

const ROOT = new URL('../', import.meta.url).pathname;
const ruleFiles = collectRuleFiles([join(ROOT, 'rules')], () => '');

describe('out/sigma artifacts agree with their rules’ tests', () => {
  it('finds rules', () => expect(ruleFiles.length).toBeGreaterThan(0));
  for (const f of ruleFiles) {
    const file = f.path;
    const rel = `${f.rel}.yml`;
    const artifact = join(ROOT, 'out/sigma', rel);
    it(`${rel}: has its artifact`, () => expect(existsSync(artifact)).toBe(true));
    if (!existsSync(artifact)) continue;
    it(rel, () => {
      const text = readFileSync(artifact, 'utf8');
      const { rule: r, loaded } = liftFile(file);
      const report = proveRule(r, loaded);
      const declared = /\n {4}fidelity: (\w+)/.exec(text)?.[1];
      let compiled;
      try {
        compiled = compileSigma(text);
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        return; // not readable by the evaluator: nothing to compare (the measurement reports these)
      }
      if (declared !== 'exact' || report.fidelity !== 'exact') return;
      const logType = r.meta.logTypes[0]!;
      for (const t of r.tests) {
        if (t.mocks?.length) continue;
        if ((t.logType ?? logType) !== logType) continue;
        let actual: boolean;
        try {
          actual = compiled.matches(sigmaProof.project(t.log, logType, mapper));
        } catch (e) {
          if (e instanceof Refusal) continue;
          throw e;
        }
        expect({ test: t.name, actual }).toEqual({ test: t.name, actual: t.expected });
      }
    });
  }
});
