/**
 * A union of one query per log type writes what every branch does alike once, after the union
 * (src/targets/kql/hoist.ts): the same `where` conjuncts and the same `project` of plain columns, when
 * every column they read is a column of every branch's tables, of one type, that no branch defines.
 */
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { proveOutput } from '../src/proof/index.js';
import { columnsRead, hoistUnion, type UnionPart } from '../src/targets/kql/hoist.js';
import type { KqlQuery } from '../src/targets/kql/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';

const q = (source: string, where: string[], tail: string[], stages: string[] = []): KqlQuery => ({ source, tables: [source], lets: [], stages, where, tail, columns: [] });
const T = (cols: Record<string, string>) => [{ TimeGenerated: 'datetime', ...cols }];

describe('columnsRead', () => {
  it('reads bare names, not functions, members, operators, strings or units', () => {
    expect(columnsRead('tostring(Event.Name) == "a b" and X !startswith_cs "c" or Y in (1, 2) and Z > 10m')).toEqual(['Event', 'X', 'Y', 'Z']);
    expect(columnsRead('not(truthy(V)) and W has "x\\"y"')).toEqual(['V', 'W']);
  });
  it('refuses what it does not follow (bracketed names, verbatim strings)', () => {
    expect(columnsRead('["odd name"] == "a"')).toBeNull();
    expect(columnsRead('X matches regex @"a\\b"')).toBeNull();
  });
});

describe('hoistUnion', () => {
  const A: UnionPart = { query: q('A', ['Op == "x"', 'Own == 1'], ['project TimeGenerated, Op']), tables: T({ Op: 'string', Own: 'int' }) };
  const B: UnionPart = { query: q('B', ['Op == "x"'], ['project TimeGenerated, Op']), tables: T({ Op: 'string' }) };

  it('moves the shared conjuncts and the shared projection after the union', () => {
    const h = hoistUnion([A, B], false);
    expect(h.where).toEqual(['Op == "x"']);
    expect(h.tail).toEqual(['project TimeGenerated, Op']);
    expect(h.branches.map((b) => [b.where, b.tail])).toEqual([[['Own == 1'], []], [[], []]]);
  });

  it('keeps everything in the branches when a column read has another type in one of them (the union would rename it)', () => {
    const B2: UnionPart = { ...B, tables: T({ Op: 'dynamic' }) };
    const h = hoistUnion([A, B2], false);
    expect(h.where).toEqual([]);
    expect(h.tail).toEqual([]);
    expect(h.branches[1]!.tail).toEqual(['project TimeGenerated, Op']);
  });

  it('keeps a conjunct that reads a column a branch defines, or a table the schemas do not describe', () => {
    const B3: UnionPart = { query: q('B', ['Op == "x"'], ['project TimeGenerated, Op'], ['extend Op = tostring(Raw.op)']), tables: T({ Op: 'string' }) };
    expect(hoistUnion([A, B3], false).tail).toEqual([]);
    expect(hoistUnion([A, { ...B, tables: [undefined] }], false).where).toEqual([]);
  });

  it('moves no conjunct when the projections differ (a branch projection drops the columns a test reads)', () => {
    const B4: UnionPart = { ...B, query: q('B', ['Op == "x"'], ['project TimeGenerated']) };
    const h = hoistUnion([A, B4], false);
    expect(h.where).toEqual([]);
    expect(h.tail).toEqual([]);
  });

  it('a threshold (no branch tail): the shared conjuncts move before the count', () => {
    const h = hoistUnion([{ ...A, query: { ...A.query, tail: [] } }, { ...B, query: { ...B.query, tail: [] } }], true);
    expect(h.where).toEqual(['Op == "x"']);
    expect(h.tail).toEqual([]);
  });
});

describe('a column that is a string in one branch and dynamic in another', () => {
  const A: UnionPart = { query: q('A', ['Ev in ("a", "b")', 'Own == 1'], ['project TimeGenerated, Ev']), tables: T({ Ev: 'string', Own: 'int' }) };
  const B: UnionPart = { query: q('B', ['tostring(Ev) in ("a", "b")'], ['project TimeGenerated, Ev']), tables: T({ Ev: 'dynamic' }) };

  it('is made a string in the dynamic branch (extend Ev = tostring(Ev)) so the tests on it move', () => {
    const h = hoistUnion([A, B], false);
    expect(h.where).toEqual(['Ev in ("a", "b")']);
    expect(h.tail).toEqual(['project TimeGenerated, Ev']);
    expect(h.branches[0]!.stages).toEqual([]);
    expect(h.branches[1]!.stages).toEqual(['extend Ev = tostring(Ev)']);
    expect(h.branches[1]!.where).toEqual([]);
  });

  it('not when the dynamic branch reads the value otherwise (a member, its truthiness)', () => {
    const B2: UnionPart = { ...B, query: q('B', ['tostring(Ev) in ("a", "b") and isnotnull(Ev.x)'], ['project TimeGenerated, Ev']) };
    const h = hoistUnion([A, B2], false);
    expect(h.branches[1]!.stages).toEqual([]);
    expect(h.branches[1]!.where).toEqual(B2.query.where);
  });

  it('not when the retyping costs more than it saves', () => {
    const A3: UnionPart = { query: q('A', ['Ev == "a"'], []), tables: T({ Ev: 'string' }) };
    const B3: UnionPart = { query: q('B', ['tostring(Ev) == "a"'], []), tables: T({ Ev: 'dynamic' }) };
    const h = hoistUnion([A3, B3], true);
    expect(h.where).toEqual([]);
    expect(h.branches[1]!.stages).toEqual([]);
  });
});

describe('sample Sample.Salesforce.LoginAsFromOffice: a field string in one table, dynamic in the other', () => {
  const mapper = loadMappings();
  const ctx = { mapper, templatesDir: defaultTemplatesDir() };
  const { rule } = liftFile('rules/salesforce/salesforce_login_as_event.yml');
  for (const target of ['kql', 'sentinel']) {
    it(`${target}: the dynamic branch makes it a string, the test runs once after the union, proven`, () => {
      const out = renderRule(rule, target, ctx);
      expect(out.text).toMatch(/\| extend EVENT_TYPE = tostring\(EVENT_TYPE\)\)\n/);
      expect(out.text.match(/EVENT_TYPE in \(/g)).toHaveLength(1);
      const report = proveOutput(out, rule, mapper)!;
      expect(report.tests.failed).toBe(0);
      expect(report.tests.notEvaluable).toBe(0);
    });
  }
});

describe('a routed log type over one table (sample Sample.Microsoft365.GuestSharingActivity)', () => {
  const mapper = loadMappings();
  const ctx = { mapper, templatesDir: defaultTemplatesDir() };
  const { rule } = liftFile('rules/microsoft365/m365_guest_sharing_activity.yml');
  for (const target of ['kql', 'sentinel']) {
    it(`${target}: the branches keep their own rows, the shared tests and projection run once, proven`, () => {
      const out = renderRule(rule, target, ctx);
      const text = target === 'kql' ? out.text : out.text.replace(/^ {2}/gm, '');
      expect(text).toMatch(/\(OfficeActivity \| where OfficeWorkload == "Exchange"\),\n/);
      expect(text).toMatch(/\n\| where UserId contains_cs "#EXT#"\n/);
      expect(text.match(/contains_cs "#EXT#"/g)).toHaveLength(1);
      expect(text).toMatch(/\n\| project TimeGenerated, Operation, UserId, OfficeWorkload, OfficeObjectId\n/);
      const report = proveOutput(out, rule, mapper)!;
      expect(report.tests.failed).toBe(0);
      expect(report.tests.notEvaluable).toBe(0);
    });
  }
});
