/**
 * Logs Insights renderings of values the lift computes, each read back by the evaluator and run against
 * Python's own evaluation: the truthiness of a list (`ispresent(f.0)`), list membership written with
 * `unnest`, `deep_walk` over a path with no list (common/walk.ts), tests on `x.rstrip(chars)` (common/strip.ts) and the
 * truthiness of `x.lower()` (strval.ts), and a field whose keys the tests spell two ways (read at both
 * spellings, the rule's first: common/casealt.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, Val } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { stripRegex as commonStripRegex } from '../src/targets/common/strip.js';
import { cwlReText } from '../src/targets/cwl/escape.js';
import type { Atom } from '../src/targets/common/nnf.js';
import { portableTest, lit, ruleWithTests, testsByPython } from './support.js';
import { pyStrip } from '../src/python/semantics.js';

const mapper = loadMappings();
const ctx = { mapper, templatesDir: defaultTemplatesDir() };
const get = (key: string, def?: Json, obj: Val = { k: 'event' }): Val => ({ k: 'get', obj, key, ...(def !== undefined ? { default: lit(def) } : {}) });
const fn = (name: string, ...args: Val[]): Val => ({ k: 'fn', fn: name, args });
const LOG_TYPE = 'Gravitational.TeleportAudit';

function render(cond: Pred, logs: Json[]) {
  const tests = testsByPython(cond, logs);
  const r: Rule = ruleWithTests('T.Computed', cond, tests);
  r.meta.logTypes = [LOG_TYPE];
  const out = renderRule(r, 'cwl', ctx);
  return { out, report: proveOutput(out, r, mapper)!, n: tests.length };
}

const codes = (out: { reasons: { code: string }[] }) => out.reasons.map((x) => x.code);

describe('truthiness of a list', () => {
  const truthy: Pred = { k: 'truthy', value: get('argv') };
  it('a list of strings is truthy when its first element exists: ispresent(argv.0), negated too', () => {
    const logs: Json[] = [{ argv: ['a'] }, { argv: [] }, { argv: ['', 'b'] }, {}, { argv: null }];
    const r = render(truthy, logs);
    expect(r.out.reasons).toEqual([]);
    expect(r.out.text).toContain('| filter ispresent(argv.0)');
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: r.n });
    const r2 = render({ k: 'not', arg: truthy }, logs);
    expect(r2.out.text).toContain('not (ispresent(argv.0))');
    expect(r2.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: r2.n });
  });

  it('a list the mapping types as a list (Panther\'s schema: argv [string]) whose tests hold strings is read the same way', () => {
    expect(mapper.valueType?.(LOG_TYPE, ['argv'])).toBe('list');
    const r = render(truthy, [{ argv: ['a'] }, { argv: [] }, {}]);
    expect(r.out.reasons).toEqual([]);
    expect(r.out.text).toContain('| filter ispresent(argv.0)');
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('elements that are objects (no field of their own): the any() it is, unnest and the item presence', () => {
    const r = render(truthy, [{ argv: [{ a: 1 }] }, { argv: [] }, {}]);
    expect(r.out.reasons).toEqual([]);
    expect(r.out.text).toContain('| unnest jsonMessage.argv into argvItem\n| filter ispresent(argvItem)');
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('a field also held as a string, or a truthy default: declared', () => {
    expect(codes(render(truthy, [{ argv: ['a'] }, { argv: 'a b' }]).out)).toContain('target-unsupported-construct');
    expect(codes(render({ k: 'truthy', value: get('argv', ['x']) }, [{ argv: ['a'] }, { argv: [] }]).out)).toContain('target-unsupported-construct');
  });
});

describe('membership in a list as unnest', () => {
  it('"-sS" in argv (a list of strings in the tests) is an item of it: unnest argv into an item', () => {
    const has: Pred = { k: 'and', args: [{ k: 'cmp', op: 'eq', left: get('event'), right: lit('session.command') }, { k: 'match', kind: 'contains', value: get('argv', []), pattern: '-sS' }] };
    const logs: Json[] = [
      { event: 'session.command', argv: ['-sS', 'x'] },
      { event: 'session.command', argv: ['x-sS'] },
      { event: 'session.command', argv: [] },
      { event: 'session.command', argv: [null, '-sS'] },
      { event: 'session.command' },
      { event: 'session.start', argv: ['-sS'] },
    ];
    const r = render(has, logs);
    expect(r.out.reasons).toEqual([]);
    expect(r.out.text).toContain('| unnest jsonMessage.argv into argvItem');
    expect(r.out.text).toContain('argvItem = "-sS"');
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 6 });
  });

  it('a list the tests hold under another casing (Panther finds it, @message is read case-sensitively): not so', () => {
    const has: Pred = { k: 'match', kind: 'contains', value: get('argv', []), pattern: '-sS' };
    expect(render(has, [{ Argv: ['-sS'] }, { argv: ['x'] }]).out.text).not.toContain('unnest');
  });

  it('a default holding the text (Python finds it where the list is missing), a negated test, or a string in the tests: not so', () => {
    const logs: Json[] = [{ argv: ['-sS'] }, { argv: ['x'] }];
    expect(render({ k: 'match', kind: 'contains', value: get('argv', 'no -sS'), pattern: '-sS' }, logs).out.text).not.toContain('unnest');
    expect(render({ k: 'not', arg: { k: 'match', kind: 'contains', value: get('argv', []), pattern: '-sS' } }, logs).out.text).not.toContain('unnest');
    expect(render({ k: 'match', kind: 'contains', value: get('argv', []), pattern: '-sS' }, [...logs, { argv: 'a -sS' }]).out.text).not.toContain('unnest');
  });
});

describe('truthiness implied by the any() written with unnest', () => {
  it('the list and the mappings on its path are truthy wherever some element passes: true (negated: false), no reason', () => {
    const list = get('bindingDeltas', [], get('policyDelta', undefined, get('serviceData')));
    const any: Pred = { k: 'quant', q: 'any', list, pred: { k: 'cmp', op: 'eq', left: get('action', undefined, { k: 'elem', depth: 0 }), right: lit('ADD') } };
    const cond: Pred = {
      k: 'and',
      args: [
        { k: 'truthy', value: get('serviceData') },
        { k: 'or', args: [{ k: 'cmp', op: 'ne', left: get('methodName'), right: lit('x') }, { k: 'not', arg: { k: 'truthy', value: list } }] },
        any,
      ],
    };
    const logs: Json[] = [
      { methodName: 'x', serviceData: { policyDelta: { bindingDeltas: [{ action: 'ADD' }] } } },
      { methodName: 'y', serviceData: { policyDelta: { bindingDeltas: [{ action: 'ADD' }, { action: 'REMOVE' }] } } },
      { methodName: 'y', serviceData: { policyDelta: { bindingDeltas: [] } } },
      { methodName: 'y', serviceData: {} },
      { methodName: 'y' },
    ];
    const r = render(cond, logs);
    expect(r.out.reasons).toEqual([]);
    expect(r.out.text).toContain('unnest jsonMessage.serviceData.policyDelta.bindingDeltas into bindingDeltasItem');
    expect(r.out.text).not.toMatch(/ispresent\((serviceData|bindingDeltas)/);
    expect(r.out.text).toContain('methodName != "x"');
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 });
  });
});

describe('deep_walk over a path with no list', () => {
  const walk = (keys: string[], d: Json = null): Val => fn('deep_walk', { k: 'event' }, lit(keys), lit(d), lit('all'));
  it('is the field: deep_walk(event, "server_labels", "env") == "prod"', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: walk(['server_labels', 'env']), right: lit('prod') };
    const r = render(eq, [{ server_labels: { env: 'prod' } }, { server_labels: { env: 'dev' } }, {}, { server_labels: 'prod' }]);
    expect(r.out.reasons).toEqual([]);
    expect(r.out.text).toContain('`server_labels.env` = "prod"');
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 4 });
  });

  it('with a default, negated: the default where the path is missing', () => {
    const ne: Pred = { k: 'not', arg: { k: 'cmp', op: 'eq', left: walk(['server_labels', 'env'], 'prod'), right: lit('prod') } };
    const r = render(ne, [{ server_labels: { env: 'prod' } }, { server_labels: { env: 'dev' } }, {}]);
    expect(r.out.reasons).toEqual([]);
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('a list on the path (deep_walk collects over it) or no test reaching the end: declared', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: walk(['server_labels', 'env']), right: lit('prod') };
    expect(codes(render(eq, [{ server_labels: [{ env: 'prod' }] }, { server_labels: { env: 'dev' } }]).out)).toContain('target-computed-value');
    expect(codes(render(eq, [{ other: 1 }]).out)).toContain('target-computed-value');
  });
});

describe('tests on x.rstrip(chars)', () => {
  // the printer's regex syntax for pieces (cwl/printer.ts CWL_PIECES)
  const stripRegex = (a: Atom, chars: string[]) => commonStripRegex({ text: cwlReText, end: '$' }, a, chars);
  const stripped = (chars: string): Val => fn('rstrip', get('server_hostname'), lit(chars));
  const hosts = ['db.corp.example', 'db.corp.example.', 'db.corp.example..', 'db.corp.example.x', 'corp.example', '.corp.example', '', '..', 'db.corp.examplex.'];
  it('endswith, ==, in, startswith, contains agree with Python on every value (regex read back)', () => {
    const cases: Pred[] = [
      { k: 'match', kind: 'endswith', value: stripped('.'), pattern: '.corp.example' },
      { k: 'match', kind: 'endswith', value: stripped('.x'), pattern: 'example' },
      { k: 'cmp', op: 'eq', left: stripped('.'), right: lit('db.corp.example') },
      { k: 'cmp', op: 'eq', left: stripped('.'), right: lit('') },
      { k: 'in', value: stripped('.'), list: ['corp.example', 'x.'] },
      { k: 'match', kind: 'startswith', value: stripped('.'), pattern: 'db' },
      { k: 'match', kind: 'contains', value: stripped('.'), pattern: 'corp' },
    ];
    for (const c of cases) {
      for (const neg of [false, true]) {
        const p: Pred = neg ? { k: 'not', arg: c } : c;
        const r = render(p, hosts.map((h) => ({ server_hostname: h })));
        expect(r.out.reasons, JSON.stringify(p)).toEqual([]);
        expect(r.report.tests, JSON.stringify(p)).toMatchObject({ failed: 0, notEvaluable: 0, passed: hosts.length });
      }
    }
  });

  it('a text ending in a stripped character never ends a stripped value; one holding it is not read as a prefix', () => {
    const a = { k: 'match', kind: 'endswith', value: stripped('.'), pattern: 'example.' } as const;
    expect(stripRegex(a, ['.'])).toBe(false);
    expect(stripRegex({ k: 'match', kind: 'startswith', value: stripped('.'), pattern: 'db.' }, ['.'])).toBeNull();
    // the regex holds exactly where Python's endswith does, on values no line break ends
    const re = stripRegex({ k: 'match', kind: 'endswith', value: stripped('.-'), pattern: 'ab' }, ['.', '-']) as string;
    for (const s of ['ab', 'ab.', 'ab-.', 'a.b', 'xab.-.', 'ab.c', '', '.-']) expect(portableTest(re, s), s).toBe(pyStrip(s, '.-', 'right').endsWith('ab'));
  });
});

describe('truthiness of x.lower()', () => {
  it('is the truthiness of a string field; with a default, of the default where missing', () => {
    const t: Pred = { k: 'truthy', value: fn('lower', get('program', '')) };
    const r = render(t, [{ program: 'Nmap' }, { program: '' }, {}]);
    expect(r.out.reasons).toEqual([]);
    expect(r.out.text).toContain('not (isempty(program))');
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
    const n = render({ k: 'not', arg: t }, [{ program: 'Nmap' }, { program: '' }, {}]);
    expect(n.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });
});

describe('a field whose keys the tests spell two ways', () => {
  const eq: Pred = { k: 'cmp', op: 'eq', left: get('event'), right: lit('user.login') };
  it('reads the rule’s spelling where the log holds it, else the other one (Panther’s lookup), negated too', () => {
    for (const cond of [eq, { k: 'not', arg: eq } as Pred, { k: 'and', args: [eq, { k: 'cmp', op: 'ne', left: get('event'), right: lit('x') }] } as Pred]) {
      const logs: Json[] = [{ event: 'user.login' }, { EVENT: 'user.login' }, { EVENT: 'other' }, { event: 'other', EVENT: 'user.login' }, { event: 'user.login', EVENT: 'other' }, {}];
      const r = render(cond, logs);
      expect(r.out.reasons).toEqual([]);
      expect(r.out.text).toMatch(/ispresent\(event\)/);
      expect(r.out.text).toContain('EVENT');
      expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: r.n });
    }
  });

  it('a log holding the rule’s spelling as null beside the other (Panther reads None; Logs Insights reads a null as absent), three spellings, or a differing key before the last: declared', () => {
    expect(codes(render(eq, [{ event: 'user.login' }, { event: null, EVENT: 'user.login' }]).out)).toContain('target-key-case');
    expect(codes(render(eq, [{ event: 'user.login' }, { EVENT: 'user.login' }, { Event: 'x' }]).out)).toContain('target-key-case');
    const nested: Pred = { k: 'cmp', op: 'eq', left: get('name', undefined, get('user')), right: lit('bob') };
    expect(codes(render(nested, [{ user: { name: 'bob' } }, { USER: { name: 'bob' } }]).out)).toContain('target-key-case');
  });
});
