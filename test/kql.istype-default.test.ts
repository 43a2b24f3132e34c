/**
 * KQL isinstance() of a dynamic field read with a default (`deep_get(..., default=[])`): a missing or
 * null field reads as null in Kusto, whose gettype() is "null", where Python tests the default's type.
 * The presence guard (isnull) makes the two agree; the KQL evaluator reading the artifact back proves it.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Val } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import type { RenderContext } from '../src/targets/types.js';
import { lit, ruleWithTests, testsByPython } from './support.js';

const mapper = loadMappings();
const ctx: RenderContext = { mapper, templatesDir: defaultTemplatesDir() };

const keys: Val = { k: 'get', obj: { k: 'get', obj: { k: 'get', obj: { k: 'event' }, key: 'protoPayload', deep: true }, key: 'metadata', deep: true }, key: 'keys', deep: true, default: lit([]) };
const isList: Pred = { k: 'istype', value: keys, type: 'list' };
const logs: Json[] = [
  { protoPayload: { metadata: { keys: ['a'] } } },
  { protoPayload: { metadata: { keys: 'a' } } },
  { protoPayload: { metadata: { keys: null } } },
  { protoPayload: { metadata: {} } },
  {},
];

describe('KQL: isinstance of a field read with a default', () => {
  it.each([
    ['is a list', isList],
    ['is not a list', { k: 'not', arg: isList } as Pred],
  ])('%s: the default decides where the field is missing; proven on the tests', (_, cond) => {
    const r = ruleWithTests('Test.Gcp', cond, testsByPython(cond, logs));
    r.meta.logTypes = ['GCP.AuditLog'];
    expect(r.tests.map((t) => t.expected).filter((x) => x).length).toBeGreaterThan(0);
    const o = renderRule(r, 'kql', ctx);
    expect(o.text).toMatch(/\bis(not)?null\(Metadata/);
    const proof = proveOutput(o, r, mapper)!;
    expect(proof.tests.failed).toBe(0);
    expect(proof.fidelity).toBe('exact');
  });
});
