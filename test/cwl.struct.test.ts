/**
 * Logs Insights structure types: `fields jsonParse(f) as name` and `name.attr` (src/targets/cwl/struct.ts,
 * src/proof/cwl/), as CWL_QuerySyntax-operations-functions.html ("Structure types", "JSON functions")
 * documents them, and the JSON a field holds read by a rule with json.loads().
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
const doc = (d: Json | string) => ({ detail: typeof d === 'string' ? d : JSON.stringify(d) });

describe('the evaluator reads structures as documented', () => {
  const q = (f: string) => `fields @timestamp, jsonParse(detail) as j | filter ${f}`;

  it('dot access reads a map attribute; nested maps; back-quoted attributes', () => {
    expect(run(q('j.status = "ok"'), doc({ status: 'ok' }))).toBe(true);
    expect(run(q('j.status = "ok"'), doc({ status: 'no' }))).toBe(false);
    expect(run(q('j.a.b = 5'), doc({ a: { b: 5 } }))).toBe(true);
    // the documented example: json_message.`user.id` = "123"
    expect(run(q('j.`user.id` = "123"'), doc({ 'user.id': '123' }))).toBe(true);
    expect(run(q('j.`user.id` = "123"'), doc({ user: { id: '123' } }))).toBe(false);
    expect(run(q('j.`a_b`.c = "x"'), doc({ a_b: { c: 'x' } }))).toBe(true);
    expect(run(q('j.a.`b-c`.`d e` = "x"'), doc({ a: { 'b-c': { 'd e': 'x' } } }))).toBe(true);
  });

  it('"Comparing map and list to any other fields result in false"', () => {
    expect(run(q('j.a = "x"'), doc({ a: { b: 1 } }))).toBe(false);
    expect(run(q('j.a != "x"'), doc({ a: { b: 1 } }))).toBe(false);
    expect(run(q('j.a != "x"'), doc({ a: [1] }))).toBe(false);
    expect(refusal(() => run(q('j.a like "x"'), doc({ a: [1] })))).toMatch(/on a list: undocumented/);
  });

  it('a missing attribute, the empty value of text that is no JSON object, and null read as an absent field', () => {
    for (const d of [doc({ other: 1 }), doc('not json'), doc('"a string"'), doc('5'), doc({ status: null }), {}]) {
      expect(run(q('j.status = "ok"'), d)).toBe(false);
      expect(run(q('ispresent(j.status) and j.status != "ok"'), d)).toBe(false);
      expect(run(q('not (ispresent(j.status)) or j.status != "ok"'), d)).toBe(true);
      expect(refusal(() => run(q('j.status != "ok"'), d))).toMatch(/absent field 'j.status'/);
    }
  });

  it('what is not documented is refused', () => {
    // an attribute of a list or a string, the casing of attributes, NaN, the parsed value itself
    expect(refusal(() => run(q('j.a = "x"'), doc('[{"a": "x"}]')))).toMatch(/attribute of a list/);
    expect(refusal(() => run(q('j.a.b = "x"'), doc({ a: 'x' })))).toMatch(/attribute of a string/);
    expect(refusal(() => run(q('j.status = "ok"'), doc({ Status: 'ok' })))).toMatch(/case-sensitively/);
    expect(refusal(() => run(q('j.status = "ok"'), doc('{"status": NaN}')))).toMatch(/NaN/);
    expect(refusal(() => run(q('ispresent(j)'), doc('x')))).toMatch(/empty value/);
    // a log field spelled like the structure
    expect(refusal(() => run(q('j.status = "ok"'), { ...doc({ status: 'ok' }), j: { status: 'ok' } }))).toMatch(/spelled like the structure/);
    // list indexing (whether lists count from 0 or 1 is not documented)
    expect(refusal(() => compileCwl('fields jsonParse(detail) as j | filter j.users[1].action = "PutData"'))).toBeTruthy();
  });

  it('jsonParse() only in `fields`, before the filters, under a plain name', () => {
    expect(refusal(() => compileCwl('fields a | filter b = "1" | fields jsonParse(detail) as j'))).toMatch(/after a filter/);
    expect(refusal(() => compileCwl('fields jsonParse(detail)'))).toMatch(/without `as name`/);
    expect(refusal(() => compileCwl('fields jsonParse(detail) as j, jsonParse(other) as j'))).toMatch(/made twice/);
    expect(refusal(() => compileCwl('fields a as b'))).toMatch(/renamed/);
    expect(refusal(() => compileCwl('fields jsonParse(detail) as j | filter @`x`.a = "1"'))).toMatch(/back-quoted name right after/);
  });
});

const get = (key: string, def?: Json): Val => ({ k: 'get', obj: { k: 'event' }, key, ...(def !== undefined ? { default: lit(def) } : {}) });
const json = (v: Val): Val => ({ k: 'fn', fn: 'json', args: [v] });
const at = (obj: Val, key: string, def?: Json): Val => ({ k: 'get', obj, key, ...(def !== undefined ? { default: lit(def) } : {}) });
const rule = (condition: Pred, logs: [Json, boolean][]): Rule => ruleWithTests('T.Struct', condition, logs);
const valid: Pred = { k: 'valid', value: get('detail', ''), format: 'json' };

describe('the printer reads json.loads() of a field through jsonParse()', () => {
  it('try: json.loads(detail) except: return False; return doc.get("result") == "fail" and doc.get("err_code", {}).get("n") != 3', () => {
    const d = json(get('detail', ''));
    const cond: Pred = {
      k: 'and',
      args: [
        { k: 'cmp', op: 'eq', left: get('eventName'), right: lit('Run') },
        valid,
        { k: 'cmp', op: 'eq', left: at(d, 'result'), right: lit('fail') },
        { k: 'not', arg: { k: 'cmp', op: 'eq', left: at(at(d, 'err_code', {}), 'n'), right: lit(3) } },
      ],
    };
    const logs: [Json, boolean][] = [
      [{ eventName: 'Run', ...doc({ result: 'fail', err_code: { n: 4 } }) }, true],
      [{ eventName: 'Run', ...doc({ result: 'fail' }) }, true],
      [{ eventName: 'Run', ...doc({ result: 'fail', err_code: { n: 3 } }) }, false],
      [{ eventName: 'Run', ...doc({ result: 'ok' }) }, false],
      [{ eventName: 'Run', detail: '{"result": "fail"' }, false], // not JSON: the validity test rejects it
      [{ eventName: 'Run' }, false],
      [{ eventName: 'Stop', ...doc({ result: 'fail' }) }, false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.fidelity).toBe('exact');
    expect(out.text).toContain('fields @timestamp, jsonParse(detail) as jsonDetail\n');
    expect(out.text).toContain('jsonDetail.result = "fail"');
    expect(out.text).toContain('not (ispresent(jsonDetail.`err_code`.n)) or not (jsonDetail.`err_code`.n = 3)');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
  });

  it('isinstance(detail, str) beside a test on an attribute of its document (false where missing) goes: jsonParse() of anything else is the empty value', () => {
    const d = json(get('detail', ''));
    const isStr: Pred = { k: 'istype', value: get('detail', ''), type: 'str' };
    const cond: Pred = { k: 'and', args: [isStr, valid, { k: 'cmp', op: 'eq', left: at(d, 'result'), right: lit('fail') }] };
    const logs: [Json, boolean][] = [
      [doc({ result: 'fail' }), true],
      [doc({ result: 'ok' }), false],
      [{ detail: 7 }, false], // a number: Python's type test fails, jsonParse() gives the empty value
      [{ detail: 'fail' }, false],
      [{}, false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('jsonDetail.result = "fail"');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
    // the tests hold the field as an object (what jsonParse() reads of a container is undocumented), the
    // type test alone, or negated: declared
    const obj = renderRule(rule(cond, [[{ detail: { result: 'fail' } }, false], [doc({ result: 'fail' }), true]]), 'cwl', ctx);
    expect(obj.reasons.map((x) => x.message).join()).toMatch(/test on detail \(a JSON object/);
    const alone = renderRule(rule({ k: 'and', args: [isStr, { k: 'cmp', op: 'eq', left: get('eventName'), right: lit('x') }] }, []), 'cwl', ctx);
    expect(alone.reasons.map((x) => x.message).join()).toMatch(/isinstance/);
    const neg = renderRule(rule({ k: 'and', args: [{ k: 'not', arg: isStr }, { k: 'cmp', op: 'eq', left: at(d, 'result'), right: lit('fail') }] }, []), 'cwl', ctx);
    expect(neg.reasons.map((x) => x.message).join()).toMatch(/isinstance/);
  });

  it('the truthiness of the parsed document, or isinstance(doc, dict), beside a test on its attribute (false where missing) goes; a JSON array in the tests keeps it declared', () => {
    const d = json(get('detail', ''));
    for (const docTest of [{ k: 'truthy', value: d } as Pred, { k: 'istype', value: d, type: 'dict' } as Pred]) {
      const cond: Pred = { k: 'and', args: [valid, docTest, { k: 'cmp', op: 'eq', left: at(d, 'result'), right: lit('fail') }] };
      const logs: [Json, boolean][] = [
        [doc({ result: 'fail' }), true],
        [doc({ result: 'ok' }), false],
        [doc({}), false],
        [doc('"fail"'), false], // a JSON string: no mapping (Python's .get raises, no alert)
        [{}, false],
      ];
      const r = rule(cond, logs);
      const out = renderRule(r, 'cwl', ctx);
      expect(out.reasons).toEqual([]);
      expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
      const list = renderRule(rule(cond, [[doc({ result: 'fail' }), true], [doc('[1]'), false]]), 'cwl', ctx);
      expect(list.reasons.map((x) => x.message).join()).toMatch(/parsed JSON document itself/);
    }
  });

  it('the validity test alone, or beside a test that holds on a missing attribute, stays declared', () => {
    const d = json(get('detail', ''));
    const alone = renderRule(rule(valid, []), 'cwl', ctx);
    expect(alone.reasons.map((x) => x.message).join()).toMatch(/JSON validity test/);
    // doc.get("result") != "fail" holds where "result" is missing: it does not imply the document is JSON
    const ne = renderRule(rule({ k: 'and', args: [valid, { k: 'not', arg: { k: 'cmp', op: 'eq', left: at(d, 'result'), right: lit('fail') } }] }, []), 'cwl', ctx);
    expect(ne.reasons.map((x) => x.message).join()).toMatch(/JSON validity test/);
  });

  it('"k" in doc beside doc.get("k") == v (false where k is missing): the membership is implied; alone, or beside a test true on a missing k, declared', () => {
    const d = json(get('detail', ''));
    const has: Pred = { k: 'match', kind: 'contains', value: d, pattern: 'status' };
    const eq: Pred = { k: 'cmp', op: 'eq', left: at(d, 'status'), right: lit('Bypass') };
    const logs: [Json, boolean][] = [
      [doc({ status: 'Bypass' }), true],
      [doc({ status: 'Active' }), false],
      [doc({ other: 'Bypass' }), false],
      [doc('not json'), false],
      [{}, false],
    ];
    const r = rule({ k: 'and', args: [valid, has, eq] }, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| filter jsonDetail.status = "Bypass"\n');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
    // `not ("status" in doc)` beside the same test: false
    const neg = renderRule(rule({ k: 'and', args: [valid, { k: 'not', arg: has }, eq] }, []), 'cwl', ctx);
    expect(neg.reasons).toEqual([]);
    expect(neg.text).not.toContain('jsonDetail.status = "Bypass"');
    // doc.get("status") != "Bypass" holds where "status" is missing: the membership stays declared
    const ne = renderRule(rule({ k: 'and', args: [valid, has, { k: 'not', arg: eq }] }, []), 'cwl', ctx);
    expect(ne.reasons.map((x) => x.message).join()).toMatch(/parsed JSON document itself/);
    // another key, or another document
    const other = renderRule(rule({ k: 'and', args: [valid, { ...has, pattern: 'state' }, eq] }, []), 'cwl', ctx);
    expect(other.reasons.map((x) => x.message).join()).toMatch(/parsed JSON document itself/);
    const otherDoc = renderRule(rule({ k: 'and', args: [has, { k: 'cmp', op: 'eq', left: at(json(get('other', '')), 'status'), right: lit('Bypass') }] }, []), 'cwl', ctx);
    expect(otherDoc.reasons.map((x) => x.message).join()).toMatch(/parsed JSON document itself/);
    // an event field holding an object: "arn" in userIdentity beside userIdentity.get("arn") == "a"
    const ui: [Json, boolean][] = [
      [{ userIdentity: { arn: 'a' } }, true],
      [{ userIdentity: { arn: 'b' } }, false],
      [{ userIdentity: { type: 'Root' } }, false],
    ];
    const ev = rule({ k: 'and', args: [{ k: 'match', kind: 'contains', value: get('userIdentity'), pattern: 'arn' }, { k: 'cmp', op: 'eq', left: at(get('userIdentity'), 'arn'), right: lit('a') }] }, ui);
    const evOut = renderRule(ev, 'cwl', ctx);
    expect(evOut.reasons).toEqual([]);
    expect(proveOutput(evOut, ev, mapper)!.tests).toMatchObject({ passed: ui.length, failed: 0, notEvaluable: 0 });
  });

  it('the truthiness of a value read from a parsed document the tests show as strings is not isempty(attr)', () => {
    const d = json(get('detail', ''));
    const cond: Pred = { k: 'and', args: [valid, { k: 'truthy', value: at(d, 'note') }] };
    const logs: [Json, boolean][] = [
      [doc({ note: 'hi' }), true],
      [doc({ note: '' }), false],
      [doc({ other: 'hi' }), false],
      [doc('not json'), false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| filter not (isempty(jsonDetail.note))');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
    // shown as an int: present and not 0 (a number comparison); as a float: declared
    const intLogs: [Json, boolean][] = [
      [doc({ note: 5 }), true],
      [doc({ note: 0 }), false],
      [doc({ other: 1 }), false],
    ];
    const ints = rule(cond, intLogs);
    const int = renderRule(ints, 'cwl', ctx);
    expect(int.reasons).toEqual([]);
    expect(int.text).toContain('| filter jsonDetail.note != 0');
    expect(proveOutput(int, ints, mapper)!.tests).toMatchObject({ passed: intLogs.length, failed: 0, notEvaluable: 0 });
    const num = renderRule(rule(cond, [[doc({ note: 2.5 }), true]]), 'cwl', ctx);
    expect(num.reasons.map((x) => x.message).join()).toMatch(/the truthiness of jsonDetail.note/);
  });

  it('what the documentation leaves open is declared: list indices, the document itself, containers and booleans in the tests', () => {
    const d = json(get('detail'));
    const idx: Val = { k: 'index', obj: at(d, 'items'), index: 0 };
    const msg = (p: Pred, logs: [Json, boolean][] = []) =>
      renderRule(rule(p, logs), 'cwl', ctx)
        .reasons.map((x) => x.message)
        .join('\n');
    expect(msg({ k: 'cmp', op: 'eq', left: at(idx, 'a'), right: lit('x') })).toMatch(/index into a list of a parsed JSON document/);
    expect(msg({ k: 'match', kind: 'contains', value: d, pattern: 'status' })).toMatch(/parsed JSON document itself/);
    expect(msg({ k: 'cmp', op: 'eq', left: at(d, 'a'), right: lit('x') }, [[doc({ a: { b: 1 } }), false]])).toMatch(/a test on a of the JSON document in detail \(a JSON object/);
    expect(msg({ k: 'cmp', op: 'eq', left: at(d, 'a'), right: lit('x') }, [[doc({ a: true }), false]])).toMatch(/a boolean in the rule's tests/);
    expect(msg({ k: 'cmp', op: 'eq', left: at(d, 'a`b'), right: lit('x') })).toMatch(/attribute of a parsed JSON document named "a`b"/);
  });

  it('one structure per source field, named apart from the test logs’ keys', () => {
    const cond: Pred = {
      k: 'and',
      args: [
        { k: 'cmp', op: 'eq', left: at(json(get('detail')), 'a'), right: lit('x') },
        { k: 'cmp', op: 'eq', left: at(json(get('detail')), 'b'), right: lit('y') },
        { k: 'cmp', op: 'eq', left: at(json(get('jsonDetail')), 'c'), right: lit('z') },
      ],
    };
    const logs: [Json, boolean][] = [
      [{ detail: JSON.stringify({ a: 'x', b: 'y' }), jsonDetail: JSON.stringify({ c: 'z' }) }, true],
      [{ detail: JSON.stringify({ a: 'x', b: 'n' }), jsonDetail: JSON.stringify({ c: 'z' }) }, false],
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.text).toContain('fields @timestamp, jsonParse(detail) as jsonDetail2, jsonParse(jsonDetail) as jsonJsonDetail\n');
    expect(out.fidelity).toBe('exact');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: 2, failed: 0, notEvaluable: 0 });
  });
});
