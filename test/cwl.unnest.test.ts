/**
 * Logs Insights `unnest` (CWL_QuerySyntax-Unnest.html): one record per element of a list `jsonParse(@message)`
 * reads, for an any() among the condition's conjuncts (src/targets/cwl/unnest.ts, src/proof/cwl/).
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, Val } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { projectCwl } from '../src/mapping/project/cwl.js';
import { compileCwl } from '../src/proof/cwl/index.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { lit, refusal, ruleWithTests } from './support.js';

const mapper = loadMappings();
const ctx = { mapper, templatesDir: defaultTemplatesDir() };
const run = (q: string, log: Json) => compileCwl(q).matches(projectCwl(log, 'AWS.CloudTrail', mapper));

describe('the evaluator reads unnest as documented', () => {
  const q = (f: string) => `fields @timestamp, jsonParse(@message) as m | unnest m.events into event | filter ${f}`;

  it('the documented example: one record per element, the other fields from the event', () => {
    const log = { kind: 'x', events: [{ name: 'exception' }, { name: 'user action' }] };
    expect(run(q('event.name = "user action"'), log)).toBe(true);
    expect(run(q('event.name = "other"'), log)).toBe(false);
    expect(run(q('event.name = "exception" and kind = "x"'), log)).toBe(true);
    expect(run(q('event.name = "exception" and kind = "y"'), log)).toBe(false);
    // an element's attribute and the event's field on the same record
    expect(run(`fields jsonParse(@message) as js | unnest js.accounts into account | filter account.type = "internal"`, { accounts: [{ type: 'external' }, { type: 'internal' }] })).toBe(true);
  });

  it('an empty list makes no record; a map, a string or a number one item; elements that are strings', () => {
    expect(run(q('not (ispresent(event.name))'), { events: [] })).toBe(false);
    expect(run(q('event.name = "a"'), { events: { name: 'a' } })).toBe(true);
    expect(run(q('event = "a"'), { events: 'a' })).toBe(true);
    expect(run(q('event in ["b", "c"]'), { events: ['a', 'c'] })).toBe(true);
    expect(run(q('event in ["b", "c"]'), { events: ['a'] })).toBe(false);
  });

  it('an absent list is decided only where no item and one absent item read alike', () => {
    expect(run(q('event.name = "a"'), { other: 1 })).toBe(false);
    expect(refusal(() => run(q('not (ispresent(event.name))'), { other: 1 }))).toMatch(/absent field 'm.events'/);
  });

  it('unnest in its place only', () => {
    expect(refusal(() => compileCwl('fields a | filter a = "1" | unnest m.x into y'))).toMatch(/after a filter/);
    expect(refusal(() => compileCwl('fields jsonParse(@message) as m | unnest m.x into m'))).toMatch(/name of a structure/);
    expect(refusal(() => compileCwl('fields jsonParse(@message) as m | unnest m.x'))).toBeTruthy();
  });
});

const get = (key: string, def?: Json): Val => ({ k: 'get', obj: { k: 'event' }, key, ...(def !== undefined ? { default: lit(def) } : {}) });
const elemGet = (key: string, def?: Json): Val => ({ k: 'get', obj: { k: 'elem', depth: 0 }, key, ...(def !== undefined ? { default: lit(def) } : {}) });
const rule = (condition: Pred, logs: [Json, boolean][]): Rule => ruleWithTests('T.Unnest', condition, logs);

describe('the printer writes one any() with unnest', () => {
  it('any(r.get("type") == "internal" for r in event.get("resources", [])) beside another test: exact, read back on the tests', () => {
    const cond: Pred = {
      k: 'and',
      args: [
        { k: 'cmp', op: 'eq', left: get('eventName'), right: lit('Share') },
        { k: 'quant', q: 'any', list: get('resources', []), pred: { k: 'cmp', op: 'eq', left: elemGet('type'), right: lit('internal') } },
      ],
    };
    const logs: [Json, boolean][] = [
      [{ eventName: 'Share', resources: [{ type: 'external' }, { type: 'internal' }] }, true],
      [{ eventName: 'Share', resources: [{ type: 'external' }] }, false],
      [{ eventName: 'Share', resources: [] }, false],
      [{ eventName: 'Share' }, false],
      [{ eventName: 'Other', resources: [{ type: 'internal' }] }, false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('fields @timestamp, jsonParse(@message) as jsonMessage\n| unnest jsonMessage.resources into resourcesItem\n');
    expect(out.text).toContain('| filter resourcesItem.type = "internal"');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
  });

  it('any(a for a in event.get("ids", []) if a != "x"): the truthiness of an element the tests show as strings is not isempty(item)', () => {
    const elem: Val = { k: 'elem', depth: 0 };
    const cond: Pred = {
      k: 'and',
      args: [
        { k: 'cmp', op: 'eq', left: get('eventName'), right: lit('Share') },
        { k: 'quant', q: 'any', list: get('ids', []), pred: { k: 'and', args: [{ k: 'truthy', value: elem }, { k: 'not', arg: { k: 'cmp', op: 'eq', left: elem, right: lit('x') } }] } },
      ],
    };
    const logs: [Json, boolean][] = [
      [{ eventName: 'Share', ids: ['', 'a'] }, true],
      [{ eventName: 'Share', ids: ['x', ''] }, false],
      [{ eventName: 'Share', ids: [] }, false],
      [{ eventName: 'Share' }, false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| filter not (isempty(idsItem))');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
    // elements the tests show as lists: declared
    const lists = renderRule(rule(cond, [[{ eventName: 'Share', ids: [['a']] }, true]]), 'cwl', ctx);
    expect(lists.reasons.map((x) => x.message).join()).toMatch(/idsItem \(a list in the rule.s tests\)/);
  });

  it('stays declared: all(), a threshold, a list the tests show as a string, a default other than []', () => {
    const body: Pred = { k: 'cmp', op: 'eq', left: { k: 'elem', depth: 0 }, right: lit('a') };
    const reasons = (c: Pred, logs: [Json, boolean][] = [[{ xs: ['a'] }, true]], threshold = false) => {
      const r = rule(c, logs);
      if (threshold) r.aggregation = { threshold: 5, windowMinutes: 60, groupBy: [] };
      return renderRule(r, 'cwl', ctx).reasons.map((x) => x.code);
    };
    expect(reasons({ k: 'quant', q: 'any', list: get('xs'), pred: body })).toEqual([]);
    expect(reasons({ k: 'quant', q: 'all', list: get('xs'), pred: body })).toContain('target-quantifier');
    expect(reasons({ k: 'quant', q: 'any', list: get('xs'), pred: body }, undefined, true)).toContain('target-quantifier');
    expect(reasons({ k: 'quant', q: 'any', list: get('xs'), pred: body }, [[{ xs: 'abc' }, true]])).toContain('target-quantifier');
    expect(reasons({ k: 'quant', q: 'any', list: get('xs', ['a']), pred: body })).toContain('target-quantifier');
    expect(reasons({ k: 'or', args: [{ k: 'cmp', op: 'eq', left: get('y'), right: lit('1') }, { k: 'quant', q: 'any', list: get('xs'), pred: body }] })).toContain('target-quantifier');
  });

  it('an element key the tests hold in another casing is declared', () => {
    const c: Pred = { k: 'quant', q: 'any', list: get('resources'), pred: { k: 'cmp', op: 'eq', left: elemGet('type'), right: lit('x') } };
    const out = renderRule(rule(c, [[{ resources: [{ Type: 'x' }] }, true]]), 'cwl', ctx);
    expect(out.reasons.map((x) => x.code)).toContain('target-key-case');
  });
});

describe('the evaluator reads several unnest commands, one after the other', () => {
  const q = (f: string) => `fields @timestamp, jsonParse(@message) as m | unnest m.rules into r | unnest r.verbs into v | filter ${f}`;

  it('the second unnests a list the first item holds: one record per (element, inner element)', () => {
    const log = { rules: [{ name: 'a', verbs: ['get'] }, { name: 'b', verbs: ['list', 'create'] }] };
    expect(run(q('r.name = "b" and v = "create"'), log)).toBe(true);
    expect(run(q('r.name = "a" and v = "create"'), log)).toBe(false);
    // an element whose inner list is empty makes no record
    expect(run(q('r.name = "a"'), { rules: [{ name: 'a', verbs: [] }] })).toBe(false);
    expect(run(q('r.name = "a"'), { rules: [{ name: 'a', verbs: ['x'] }] })).toBe(true);
  });

  it('two independent lists: every pair of their elements', () => {
    const two = (f: string) => `fields jsonParse(@message) as m | unnest m.xs into x | unnest m.ys into y | filter ${f}`;
    expect(run(two('x = "a" and y = "d"'), { xs: ['a', 'b'], ys: ['c', 'd'] })).toBe(true);
    expect(run(two('x = "a"'), { xs: ['a', 'b'], ys: [] })).toBe(false);
  });

  it('an absent inner list is decided only where both readings agree; a name is unnested into once', () => {
    expect(run(q('v = "get"'), { rules: [{ name: 'a' }] })).toBe(false);
    expect(refusal(() => run(q('not (ispresent(v))'), { rules: [{ name: 'a' }] }))).toMatch(/absent fields 'm.rules', 'r.verbs'/);
    expect(refusal(() => compileCwl('fields jsonParse(@message) as m | unnest m.x into y | unnest m.z into y'))).toMatch(/'y' twice/);
  });
});

describe('the printer writes the any()s among the conjuncts with unnest, nested ones too', () => {
  const elem1: Val = { k: 'elem', depth: 1 };
  const get1 = (key: string, def?: Json): Val => ({ k: 'get', obj: elem1, key, ...(def !== undefined ? { default: lit(def) } : {}) });

  it('any(r.get("name") == "b" and any(v == "create" for v in r.get("verbs", [])) for r in event.get("rules", [])): two unnest commands, exact', () => {
    const cond: Pred = {
      k: 'quant',
      q: 'any',
      list: get('rules', []),
      pred: { k: 'and', args: [{ k: 'cmp', op: 'eq', left: elemGet('name'), right: lit('b') }, { k: 'quant', q: 'any', list: elemGet('verbs', []), pred: { k: 'cmp', op: 'eq', left: elem1, right: lit('create') } }] },
    };
    const logs: [Json, boolean][] = [
      [{ rules: [{ name: 'a', verbs: ['create'] }, { name: 'b', verbs: ['get', 'create'] }] }, true],
      [{ rules: [{ name: 'a', verbs: ['create'] }, { name: 'b', verbs: ['get'] }] }, false],
      [{ rules: [{ name: 'b', verbs: [] }] }, false],
      [{ rules: [{ name: 'b' }] }, false],
      [{ rules: [] }, false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| unnest jsonMessage.rules into rulesItem\n| unnest rulesItem.verbs into verbsItem\n');
    expect(out.text).toContain('| filter verbsItem = "create"');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
  });

  it('"s" in r.get("resources") (a list of strings) inside the body: the any() it is, nested; the list truthiness beside it is implied', () => {
    const res = elemGet('resources');
    const cond: Pred = {
      k: 'quant',
      q: 'any',
      list: get('rules', []),
      pred: { k: 'and', args: [{ k: 'truthy', value: res }, { k: 'match', kind: 'contains', value: res, pattern: 'pods/exec' }] },
    };
    const logs: [Json, boolean][] = [
      [{ rules: [{ resources: ['pods'] }, { resources: ['pods/exec'] }] }, true],
      [{ rules: [{ resources: ['pods'] }, { resources: null }] }, false],
      [{ rules: [{}] }, false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| unnest rulesItem.resources into resourcesItem\n| filter resourcesItem = "pods/exec"');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
  });

  it('two any()s among the condition conjuncts: one unnest each', () => {
    const cond: Pred = {
      k: 'and',
      args: [
        { k: 'quant', q: 'any', list: get('xs', []), pred: { k: 'cmp', op: 'eq', left: { k: 'elem', depth: 0 }, right: lit('a') } },
        { k: 'quant', q: 'any', list: get('ys', []), pred: { k: 'cmp', op: 'eq', left: { k: 'elem', depth: 0 }, right: lit('d') } },
      ],
    };
    const logs: [Json, boolean][] = [
      [{ xs: ['b', 'a'], ys: ['c', 'd'] }, true],
      [{ xs: ['b', 'a'], ys: ['c'] }, false],
      [{ xs: ['b'], ys: ['d'] }, false],
      [{ xs: ['a'], ys: [] }, false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| unnest jsonMessage.xs into xsItem\n| unnest jsonMessage.ys into ysItem\n');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
  });

  it('stays declared: an inner any() in a disjunction of the body, an inner list the tests show as a string', () => {
    const inner: Pred = { k: 'quant', q: 'any', list: elemGet('verbs', []), pred: { k: 'cmp', op: 'eq', left: elem1, right: lit('create') } };
    const codes = (body: Pred, logs: [Json, boolean][]) => renderRule(rule({ k: 'quant', q: 'any', list: get('rules', []), pred: body }, logs), 'cwl', ctx).reasons.map((x) => x.code);
    expect(codes({ k: 'or', args: [{ k: 'cmp', op: 'eq', left: elemGet('name'), right: lit('b') }, inner] }, [[{ rules: [{ name: 'b', verbs: ['create'] }] }, true]])).toContain('target-quantifier');
    expect(codes(inner, [[{ rules: [{ verbs: 'create' }] }, true]])).toContain('target-quantifier');
  });

  it('any() over a list of the JSON document a string field holds: unnest on the jsonParse() structure', () => {
    const doc: Val = { k: 'fn', fn: 'json', args: [get('log')] };
    const rulesOf: Val = { k: 'get', obj: { k: 'get', obj: doc, key: 'requestObject' }, key: 'rules', default: lit([]) };
    const cond: Pred = { k: 'quant', q: 'any', list: rulesOf, pred: { k: 'cmp', op: 'eq', left: elemGet('name'), right: lit('b') } };
    const logs: [Json, boolean][] = [
      [{ log: JSON.stringify({ requestObject: { rules: [{ name: 'a' }, { name: 'b' }] } }) }, true],
      [{ log: JSON.stringify({ requestObject: { rules: [{ name: 'a' }] } }) }, false],
      [{ log: JSON.stringify({ requestObject: {} }) }, false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('jsonParse(log) as jsonLog\n| unnest jsonLog.requestObject.rules into rulesItem\n| filter rulesItem.name = "b"');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
  });
});

describe('the truthiness of a list of objects among the conjuncts: unnest and the item presence', () => {
  it('the evaluator: ispresent() of an unnest item holding a map is true (the record includes the item); of an absent item false', () => {
    const q = 'fields jsonParse(@message) as m | unnest m.layers into layer | filter ispresent(layer)';
    expect(run(q, { layers: [{ arn: 'a' }] })).toBe(true);
    expect(run(q, { layers: [{}] })).toBe(true);
    expect(run(q, { layers: [] })).toBe(false);
    expect(run(q, { other: 1 })).toBe(false);
    // a map reached through jsonParse() that is no unnest item stays undocumented
    expect(refusal(() => run('fields jsonParse(@message) as m | filter ispresent(m.layers)', { layers: { a: 1 } }))).toMatch(/ispresent\(\) on a map/);
  });

  it('event.get("layers") beside another test, the tests holding a list of objects: exact, read back on the tests', () => {
    const cond: Pred = { k: 'and', args: [{ k: 'cmp', op: 'eq', left: get('eventName'), right: lit('Update') }, { k: 'truthy', value: get('layers') }] };
    const logs: [Json, boolean][] = [
      [{ eventName: 'Update', layers: [{ arn: 'a' }] }, true],
      [{ eventName: 'Update', layers: [] }, false],
      [{ eventName: 'Update' }, false],
      [{ eventName: 'Other', layers: [{ arn: 'a' }] }, false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| unnest jsonMessage.layers into layersItem\n');
    expect(out.text).toContain('| filter ispresent(layersItem)');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
  });

  it('stays declared: a list the tests hold with a null element, a truthy default, a falsy list (an all())', () => {
    const codes = (c: Pred, logs: [Json, boolean][]) => renderRule(rule(c, logs), 'cwl', ctx).reasons.map((x) => x.code);
    expect(codes({ k: 'truthy', value: get('layers') }, [[{ layers: [{ a: 1 }, null] }, true]])).toContain('target-unsupported-construct');
    expect(codes({ k: 'truthy', value: get('layers', [{}]) }, [[{ layers: [{ a: 1 }] }, true]])).toContain('target-unsupported-construct');
    expect(codes({ k: 'not', arg: { k: 'truthy', value: get('layers') } }, [[{ layers: [] }, true]])).toContain('target-unsupported-construct');
  });
});
