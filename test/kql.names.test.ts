/**
 * Readable KQL (src/targets/kql/names.ts): a test the condition writes twice or more is written once, in
 * an `extend` before the `where`, and the condition reads its name.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { customKqlTables } from '../src/mapping/custom.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { renderProven } from '../src/proof/index.js';
import { kqlProof } from '../src/proof/kql/index.js';
import type { KqlEvent } from '../src/mapping/project/kql.js';
import { and, or, text, type Out } from '../src/targets/common/out.js';
import { mapAtoms, nameRepeatedMembers, nameRepeatedSplits, nameRepeatedTests, testName } from '../src/targets/kql/names.js';
import { impliedLengths } from '../src/targets/kql/index.js';
import { defaultTemplatesDir } from '../src/targets/registry.js';
import type { RenderContext } from '../src/targets/types.js';

const mapper = loadMappings();
const ctx: RenderContext = { mapper, templatesDir: defaultTemplatesDir() };
const SAMPLE = path.join(process.cwd(), 'rules/aws_cloudtrail/aws_secret_material_read.yml');

const flat = (o: Out): string => (o.k === 'text' ? o.s : o.k === 'const' ? String(o.v) : `(${o.args.map(flat).join(` ${o.k} `)})`);

describe('atoms of a printed condition', () => {
  it('rewrites each atom inside not() and parentheses, strings read as units', () => {
    const seen: string[] = [];
    const out = mapAtoms('a == "x and y" or not(b contains "z" and (c in ("p", "q") or truthy(d.e)))', (a) => {
      seen.push(a);
      return `<${a}>`;
    });
    expect(seen).toEqual(['a == "x and y"', 'b contains "z"', 'c in ("p", "q")', 'truthy(d.e)']);
    expect(out).toBe('<a == "x and y"> or not(<b contains "z"> and (<c in ("p", "q")> or <truthy(d.e)>))');
  });

  it('leaves an unbalanced text as written', () => {
    expect(mapAtoms('a == "x', () => 'N')).toBe('a == "x');
  });
});

describe('names derived from the test', () => {
  it.each([
    ['EventName startswith_cs "Describe"', 'EventNameStartsWithDescribe'],
    ['truthy(parse_json(RequestParams).groupName)', 'GroupNameTruthy'],
    ['gettype(Details.response.body.enabled) == "bool"', 'EnabledTypeIsBool'],
    ['action in ("edited", "opened")', 'ActionInEditedOpened'],
    ['isempty(tostring(EventParameters.target_user))', 'TargetUserIsEmpty'],
    ['coalesce(array_length(bag_keys(head_commit)), 0) != 0', 'HeadCommitKeysSizeIsNot0'],
    ['tostring(x["odd-key"]) !contains "a b"', 'OddKeyNotContainsAB'],
    ['s matches regex "^a.*b$"', 'SMatches'],
    // an element from the end of a split (computed.ts writes a[(-N)])
    ['tostring(SplitParts[(-1)]) =~ "mshta.exe"', 'LastItemIsMshtaExe'],
    ['tostring(ArnParts[(-2)]) == "role"', 'Item2FromLastIsRole'],
    // past two literals, the first and how many more
    ['ActionName in ("addAdmin", "changeAccountOwner", "setAdmin")', 'ActionNameInAddAdminAnd2More'],
    // past 48 characters, cut before a word
    ['tostring(parse_json(RequestParams).aVeryLongMemberNameIndeed) startswith_cs "SomethingQuiteLong"', 'AVeryLongMemberNameIndeedStartsWithSomething'],
  ])('%s → %s', (test, name) => {
    expect(testName(test)).toBe(name);
  });
});

describe('naming the repeated tests of a condition', () => {
  const A = 'EventName startswith_cs "Get"';
  const B = 'EventName startswith_cs "List"';

  it('a test written twice is named once; a test written once stays as written', () => {
    const conds = [or(and(text('EventSource == "s3"'), or(text(A), text(B))), and(text('EventSource == "iam"'), text(A)))];
    const r = nameRepeatedTests(conds, ['AWSCloudTrail']);
    expect(r.extend).toBe(`extend EventNameStartsWithGet = ${A}`);
    expect(flat(r.conds[0]!)).toBe('((EventSource == "s3" and (EventNameStartsWithGet or EventName startswith_cs "List")) or (EventSource == "iam" and EventNameStartsWithGet))');
  });

  it('nothing repeated: the conjuncts as given, no extend', () => {
    const conds = [text(A), text(B)];
    const r = nameRepeatedTests(conds, []);
    expect(r.extend).toBeNull();
    expect(r.conds).toBe(conds);
  });

  it('a named test that is never null is also what its complement reads (x !in (...) reads not(name))', () => {
    const inT = 'tostring(p.endpoint) in ("a", "b")';
    const notT = 'tostring(p.endpoint) !in ("a", "b")';
    const r = nameRepeatedTests([or(text(inT), text('x == 1')), or(text(notT), text('x == 2')), or(text(inT), text('x == 3'))], []);
    expect(r.names).toEqual([{ name: 'EndpointInAB', test: inT }]);
    expect(r.conds.map(flat)).toEqual(['(EndpointInAB or x == 1)', '(not(EndpointInAB) or x == 2)', '(EndpointInAB or x == 3)']);
    // only the complement repeated: named positively all the same
    const r2 = nameRepeatedTests([or(text(notT), text('x == 1')), or(text(notT), text('x == 2')), or(text(inT), text('x == 3'))], []);
    expect(r2.conds.map(flat)).toEqual(['(not(EndpointInAB) or x == 1)', '(not(EndpointInAB) or x == 2)', '(EndpointInAB or x == 3)']);
  });

  it('a test written once and its complement written once are left as written', () => {
    const conds = [or(text('isnull(n)'), text('n == 1')), and(text('isnotnull(n)'), text('n == 2'))];
    expect(nameRepeatedTests(conds, []).extend).toBeNull();
  });

  it('a test that may be null is not merged with its complement (n > 1 and n <= 1 on a typed column stay apart)', () => {
    const r = nameRepeatedTests([or(text('n > 1'), text('a == "b"')), or(text('n <= 1'), text('a == "c"'))], []);
    expect(r.extend).toBeNull();
  });

  it('a name never takes an identifier of the query, nor of the condition', () => {
    const r = nameRepeatedTests([text(A), or(text(A), text('EventNameStartsWithGet2 == "x"'))], ['T | project EventNameStartsWithGet']);
    expect(r.names.map((n) => n.name)).toEqual(['EventNameStartsWithGet3']);
  });

  it('names do not depend on the order of the operands', () => {
    const x = 'tostring(a.id) contains "k"';
    const y = 'tostring(b.id) contains "k"';
    const one = nameRepeatedTests([or(text(x), text(y)), or(text(y), text(x))], []);
    const two = nameRepeatedTests([or(text(y), text(x)), or(text(x), text(y))], []);
    expect(one.extend).toBe(two.extend);
    expect(one.extend).toBe(`extend IdContainsK = ${x}, IdContainsK2 = ${y}`);
  });
});

describe('the sample rule whose Python loop reads one prefix test under several services', () => {
  it('KQL: each repeated test once, in an extend; valid, exact and proven on its tests', () => {
    const { rule } = liftFile(SAMPLE);
    const { output, proof } = renderProven(rule, 'kql', ctx);
    const lines = output.text.split('\n').filter((l) => !l.startsWith('//'));
    // past 100 characters, one name a line
    expect(lines.slice(1, 4)).toEqual(['| extend', '    EventNameStartsWithDescribe = EventName startswith_cs "Describe",', '    EventNameStartsWithGet = EventName startswith_cs "Get"']);
    const body = lines.slice(4).join('\n');
    expect(body).not.toContain('startswith_cs "Get"');
    expect(body).not.toContain('startswith_cs "Describe"');
    expect(output.fidelity).toBe('exact');
    expect(proof?.tests).toMatchObject({ passed: 9, failed: 0, notEvaluable: 0 });
    expect(checkKql(output.text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
  });

  it('Sentinel: the same query in the analytic rule, proven', () => {
    const { rule } = liftFile(SAMPLE);
    const { output, proof } = renderProven(rule, 'sentinel', ctx);
    const doc = parseYaml(output.text) as Record<string, unknown>;
    expect(doc.query as string).toContain('| extend\n    EventNameStartsWithDescribe = ');
    expect(proof?.tests).toMatchObject({ passed: 9, failed: 0, notEvaluable: 0 });
  });

  it('the evaluator reads a named test as the test itself, null included', () => {
    const ev = (cols: Record<string, unknown>, types: Record<string, string>): KqlEvent => ({ tables: ['T'], columns: cols as KqlEvent['columns'], types, tableColumns: {} });
    const row = ev({ d: null, s: 'Getx' }, { d: 'dynamic', s: 'string' });
    const keeps = (q: string): boolean => kqlProof.compile(q, 'kql').matches(row);
    // null stays null through the name: neither the test nor its negation keeps the row
    expect(keeps('T\n| extend N = tobool(d)\n| where N')).toBe(false);
    expect(keeps('T\n| extend N = tobool(d)\n| where not(N)')).toBe(false);
    expect(keeps('T\n| extend N = s startswith_cs "Get"\n| where N and not(not(N))')).toBe(true);
  });
});

describe('a list split more than once is split once, in an extend', () => {
  it('names it after what it splits, reads the name everywhere, leaves a split written once alone', () => {
    const conds: Out[] = [
      { k: 'text', s: 'array_length(split(GCPResourceName, "/")) >= 5' },
      { k: 'text', s: 'tostring(split(GCPResourceName, "/")[4]) == "pods" and tostring(split(MethodName, ".")[0]) == "io"' },
      // a string holding the call's text is no call
      { k: 'text', s: 'PodName != "split(GCPResourceName, \\"/\\")"' },
    ];
    const r = nameRepeatedSplits(conds, ['GCPAuditLogs']);
    expect(r.extend).toBe('extend GCPResourceNameParts = split(GCPResourceName, "/")');
    expect(r.conds).toEqual([
      { k: 'text', s: 'array_length(GCPResourceNameParts) >= 5' },
      { k: 'text', s: 'tostring(GCPResourceNameParts[4]) == "pods" and tostring(split(MethodName, ".")[0]) == "io"' },
      { k: 'text', s: 'PodName != "split(GCPResourceName, \\"/\\")"' },
    ]);
    // a name the query already holds is not taken
    expect(nameRepeatedSplits(conds, ['GCPResourceNameParts']).extend).toBe('extend GCPResourceNameParts2 = split(GCPResourceName, "/")');
  });

  it('of the length guards on one list among the where conjuncts, only the largest is kept', () => {
    expect(impliedLengths(['array_length(P) >= 3', 'x == 1', 'array_length(P) >= 5', 'array_length(P) >= 5', 'array_length(Q) >= 2'])).toEqual(['x == 1', 'array_length(P) >= 5', 'array_length(Q) >= 2']);
  });
});

describe('a member read as a string twice or more is read once, in an extend', () => {
  it('names it after the member, rewrites the condition and the named tests, leaves strings and short reads alone', () => {
    const conds: Out[] = [
      { k: 'text', s: 'tostring(AuthenticationInfo.principalSubject) !startswith_cs "gke-" and tostring(AuthenticationInfo.principalSubject) !startswith_cs "eks:"' },
      { k: 'text', s: 'PrincipalSubjectTruthy or tostring(AuthenticationInfo.principalSubject) !in ("a", "b")' },
      // a string holding the call's text is no read; a member read twice whose name saves less than the extend costs keeps its reads
      { k: 'text', s: 'Note != "tostring(AuthenticationInfo.principalSubject)" and tostring(a.longMemberName) == "1" and tostring(a.longMemberName) == "2"' },
    ];
    const tests = ['extend PrincipalSubjectTruthy = truthy(AuthenticationInfo.principalSubject), S = tostring(AuthenticationInfo.principalSubject) contains "q"'];
    const r = nameRepeatedMembers(conds, tests, ['GCPAuditLogs']);
    expect(r.extend).toBe('extend PrincipalSubject = tostring(AuthenticationInfo.principalSubject)');
    expect(r.conds.map(flat)).toEqual([
      'PrincipalSubject !startswith_cs "gke-" and PrincipalSubject !startswith_cs "eks:"',
      'PrincipalSubjectTruthy or PrincipalSubject !in ("a", "b")',
      'Note != "tostring(AuthenticationInfo.principalSubject)" and tostring(a.longMemberName) == "1" and tostring(a.longMemberName) == "2"',
    ]);
    expect(r.texts).toEqual(['extend PrincipalSubjectTruthy = truthy(AuthenticationInfo.principalSubject), S = PrincipalSubject contains "q"']);
    // a name the query already holds is not taken; nothing to name: nothing changes
    expect(nameRepeatedMembers(conds, tests, ['PrincipalSubject']).extend).toBe('extend PrincipalSubject2 = tostring(AuthenticationInfo.principalSubject)');
    expect(nameRepeatedMembers([conds[2]!], [], [])).toEqual({ conds: [conds[2]], texts: [], extend: null });
  });

  it('a member whose name starts with a digit is named M<name>, then M<name>2 when that is taken', () => {
    const read = 'tostring(Details["2fa_method"])';
    const conds: Out[] = [{ k: 'text', s: `${read} != "sms" and ${read} != "voice" and ${read} != "push" and ${read} != "call"` }];
    expect(nameRepeatedMembers(conds, [], []).extend).toBe(`extend M2faMethod = ${read}`);
    expect(nameRepeatedMembers(conds, [], ['M2faMethod']).extend).toBe(`extend M2faMethod2 = ${read}`);
  });

  it('a member of parse_json() of a string column read twice is named too, the mv-apply texts aside', () => {
    const read = 'tostring(parse_json(RequestParameters).policyArn)';
    const conds: Out[] = [{ k: 'text', s: `${read} endswith_cs ":policy/AdministratorAccess" or ${read} endswith_cs ":policy/IAMFullAccess"` }];
    const r = nameRepeatedMembers(conds, [], ['AWSCloudTrail']);
    expect(r.extend).toBe(`extend PolicyArn = ${read}`);
    expect(r.conds.map(flat)).toEqual(['PolicyArn endswith_cs ":policy/AdministratorAccess" or PolicyArn endswith_cs ":policy/IAMFullAccess"']);
    // parse_json() of something other than a column name is not a member path
    const other = 'tostring(parse_json(tostring(Col)).policyArn)';
    expect(nameRepeatedMembers([{ k: 'text', s: `${other} == "a" or ${other} == "b"` }], [], []).extend).toBe(null);
  });

  it('the sample rule: one read of the subject, four prefix tests on the column; valid, exact and proven (KQL and Sentinel)', () => {
    const { rule } = liftFile(path.join(process.cwd(), 'rules/gcp_audit/gcp_sa_key_created_by_outsider.yml'));
    const { output, proof } = renderProven(rule, 'kql', ctx);
    const lines = output.text.split('\n').filter((l) => !l.startsWith('//'));
    expect(lines[1]).toBe('| extend PrincipalSubject = tostring(AuthenticationInfo.principalSubject)');
    expect(lines.filter((l) => l.includes('PrincipalSubject !startswith_cs'))).toHaveLength(4);
    expect(output.text).not.toContain('tostring(AuthenticationInfo.principalSubject) !startswith_cs');
    expect(output.fidelity).toBe('exact');
    expect(proof?.tests).toMatchObject({ passed: 7, failed: 0, notEvaluable: 0 });
    expect(checkKql(output.text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
    const s = renderProven(rule, 'sentinel', ctx);
    expect(s.proof?.tests).toMatchObject({ passed: 7, failed: 0, notEvaluable: 0 });
  });
});
