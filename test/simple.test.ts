/**
 * Simple detections: every condition, key specifier and combinator lifted and evaluated on small
 * events (true, false, missing field, wrong type, case), the error diagnostics, the outputs, and the
 * sample rules in rules/simple/ proven against their own tests.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Json, Pred } from '../src/ast/types.js';
import { evaluateRule, evaluateValue } from '../src/ast/evaluate.js';
import { parseIp } from '../src/ast/ip.js';
import { opaques } from '../src/ast/view.js';
import { TranspileError } from '../src/diagnostics.js';
import { loadRule, loadYaml } from '../src/panther/load.js';
import { IP_PATTERNS, liftInlineFilters, liftMatchExpression, liftSimpleDetection, SUPPORTED_CONDITIONS, titleParts } from '../src/panther/simple.js';
import { liftLoaded, proveRule } from '../src/pipeline.js';

const FILE = 'test.yml';

/** Lift a match expression (or a list) written as YAML. */
function lift(yaml: string): Pred {
  return liftMatchExpression(parseYaml(yaml), null, FILE);
}

/** Evaluate a lifted expression on each event and return the results. */
function run(yaml: string, ...events: Json[]): boolean[] {
  const p = lift(yaml);
  return events.map((e) => evaluateRule(p, e));
}

/** The diagnostic a bad expression fails with (YAML positions from the text). */
function failure(yaml: string): { code: string; message: string; line?: number; col?: number; hint?: string } {
  const { data, pos } = loadYaml(FILE, yaml);
  try {
    liftMatchExpression((data as { Detection: unknown }).Detection, pos, FILE, ['Detection']);
  } catch (e) {
    if (e instanceof TranspileError) return e.diag;
    throw e;
  }
  throw new Error('expected a failure');
}

const cond = (c: string, extra = ''): string => `{KeyPath: a.b, Condition: ${c}${extra}}`;

// ---------------------------------------------------------------------------------------------

describe('key/value conditions', () => {
  it('Equals is case-sensitive, typed, and false on a missing field', () => {
    expect(run(cond('Equals', ', Value: Root'), { a: { b: 'Root' } }, { a: { b: 'root' } }, { a: {} }, {}, { a: 'x' })).toEqual([true, false, false, false, false]);
    expect(run(cond('Equals', ', Value: 5'), { a: { b: 5 } }, { a: { b: 5.0 } }, { a: { b: '5' } })).toEqual([true, true, false]);
    expect(run(cond('Equals', ', Value: true'), { a: { b: true } }, { a: { b: 'true' } }, { a: { b: false } })).toEqual([true, false, false]);
  });

  it('DoesNotEqual is the complement, true on a missing field', () => {
    expect(run(cond('DoesNotEqual', ', Value: Root'), { a: { b: 'Root' } }, { a: { b: 'root' } }, {}, { a: null })).toEqual([false, true, true, true]);
  });

  it('IEquals / IDoesNotEqual fold case on both sides and never raise', () => {
    expect(run(cond('IEquals', ', Value: ROOT'), { a: { b: 'root' } }, { a: { b: 'RoOt' } }, { a: { b: 'rooted' } }, {}, { a: { b: 7 } })).toEqual([true, true, false, false, false]);
    expect(run(cond('IDoesNotEqual', ', Value: Root'), { a: { b: 'ROOT' } }, { a: { b: 'admin' } }, {}, { a: { b: 7 } })).toEqual([false, true, true, true]);
  });

  it('Contains: substring of a string, member of a list, key of a mapping', () => {
    const p = cond('Contains', ', Value: admin');
    expect(run(p, { a: { b: 'superadmins' } }, { a: { b: 'Admin' } }, { a: { b: ['x', 'admin'] } }, { a: { b: ['administrator'] } }, { a: { b: { admin: 1 } } }, {}, { a: { b: 3 } })).toEqual([
      true, false, true, false, true, false, false,
    ]);
  });

  it('Contains with a non-string Value: list membership or equality (a [*] element)', () => {
    expect(run(cond('Contains', ', Value: true'), { a: { b: [false, true] } }, { a: { b: true } }, { a: { b: 'true' } }, {})).toEqual([true, true, false, false]);
    expect(run(cond('Contains', ', Value: 443'), { a: { b: [80, 443] } }, { a: { b: 443 } }, { a: { b: [8443] } })).toEqual([true, true, false]);
  });

  it('DoesNotContain is the complement, true on a missing or non-string field', () => {
    expect(run(cond('DoesNotContain', ', Value: admin'), { a: { b: 'sysadmin' } }, { a: { b: 'ops' } }, { a: { b: ['admin'] } }, {}, { a: { b: 12 } })).toEqual([false, true, false, true, true]);
  });

  it('IContains / IDoesNotContain fold case (strings and list elements)', () => {
    expect(run(cond('IContains', ', Value: CuRl/'), { a: { b: 'curl/8.5' } }, { a: { b: 'CURL/7' } }, { a: { b: ['CURL/'] } }, { a: { b: 'wget' } }, {})).toEqual([true, true, true, false, false]);
    expect(run(cond('IDoesNotContain', ', Value: curl'), { a: { b: 'xCURLx' } }, { a: { b: 'wget' } }, {})).toEqual([false, true, true]);
  });

  it('StartsWith / EndsWith and their negations (case-sensitive, strings only)', () => {
    expect(run(cond('StartsWith', ', Value: List'), { a: { b: 'ListBuckets' } }, { a: { b: 'listBuckets' } }, {}, { a: { b: ['List'] } })).toEqual([true, false, false, false]);
    expect(run(cond('EndsWith', ', Value: .com'), { a: { b: 'x.com' } }, { a: { b: 'x.COM' } }, {})).toEqual([true, false, false]);
    expect(run(cond('DoesNotStartWith', ', Value: List'), { a: { b: 'ListBuckets' } }, { a: { b: 'GetObject' } }, {})).toEqual([false, true, true]);
    expect(run(cond('DoesNotEndWith', ', Value: .com'), { a: { b: 'x.com' } }, { a: { b: 'x.org' } }, {})).toEqual([false, true, true]);
  });

  it('IStartsWith / IEndsWith and their negations fold case', () => {
    expect(run(cond('IStartsWith', ', Value: Terraform/'), { a: { b: 'terraform/1.7' } }, { a: { b: 'TERRAFORM/1.7' } }, { a: { b: 'x terraform/' } }, {})).toEqual([true, true, false, false]);
    expect(run(cond('IEndsWith', ', Value: .EXE'), { a: { b: 'run.exe' } }, { a: { b: 'run.dll' } })).toEqual([true, false]);
    expect(run(cond('IDoesNotStartWith', ', Value: a'), { a: { b: 'Abc' } }, { a: { b: 'bcd' } }, {})).toEqual([false, true, true]);
    expect(run(cond('IDoesNotEndWith', ', Value: Z'), { a: { b: 'xyz' } }, { a: { b: 'xy' } }, {})).toEqual([false, true, true]);
  });

  it('IsGreaterThan / IsGreaterThanOrEqual / IsLessThan / IsLessThanOrEqual on numbers; false on other types', () => {
    const ev: Json[] = [{ a: { b: 5 } }, { a: { b: 10 } }, { a: { b: 10.5 } }, { a: { b: '11' } }, {}, { a: { b: true } }];
    expect(run(cond('IsGreaterThan', ', Value: 10'), ...ev)).toEqual([false, false, true, false, false, false]);
    expect(run(cond('IsGreaterThanOrEqual', ', Value: 10'), ...ev)).toEqual([false, true, true, false, false, false]);
    expect(run(cond('IsLessThan', ', Value: 10'), ...ev)).toEqual([true, false, false, false, false, true]);
    expect(run(cond('IsLessThanOrEqual', ', Value: 10'), ...ev)).toEqual([true, true, false, false, false, true]);
    // strings compare as strings (lexicographically)
    expect(run(cond('IsGreaterThan', ', Value: "2024-01-01"'), { a: { b: '2024-06-01' } }, { a: { b: '2023-12-31' } }, { a: { b: 20240601 } })).toEqual([true, false, false]);
  });

  it('IsIn / IsNotIn (Values), case-sensitive, missing is never in the list', () => {
    const p = cond('IsIn', ', Values: [CreateUser, TagUser, 3]');
    expect(run(p, { a: { b: 'TagUser' } }, { a: { b: 'taguser' } }, { a: { b: 3 } }, {}, { a: { b: ['TagUser'] } })).toEqual([true, false, true, false, false]);
    expect(run(cond('IsNotIn', ', Values: [US, CA]'), { a: { b: 'US' } }, { a: { b: 'DE' } }, {})).toEqual([false, true, true]);
  });
});

describe('existence conditions', () => {
  const events: Json[] = [{ a: { b: 'x' } }, { a: { b: '' } }, { a: { b: null } }, { a: {} }, {}, { a: 'str' }, { a: { b: [] } }, { a: { b: {} } }, { a: { b: 0 } }, { a: { b: false } }];
  it('Exists / IsNotNull: the value is not None (missing, null, or through a non-mapping)', () => {
    const want = [true, true, false, false, false, false, true, true, true, true];
    expect(run(cond('Exists'), ...events)).toEqual(want);
    expect(run(cond('IsNotNull'), ...events)).toEqual(want);
  });
  it('DoesNotExist / IsNull are their complements', () => {
    const want = [false, false, true, true, true, true, false, false, false, false];
    expect(run(cond('DoesNotExist'), ...events)).toEqual(want);
    expect(run(cond('IsNull'), ...events)).toEqual(want);
  });
  it('IsNullOrEmpty: None, "", [] or {} (0 and false are values)', () => {
    expect(run(cond('IsNullOrEmpty'), ...events)).toEqual([false, true, true, true, true, true, true, true, false, false]);
    expect(run(cond('IsNotNullOrEmpty'), ...events)).toEqual([true, false, false, false, false, false, false, false, true, true]);
  });
  it('AlwaysTrue / AlwaysFalse', () => {
    expect(run('{Condition: AlwaysTrue}', {})).toEqual([true]);
    expect(run('{Condition: AlwaysFalse}', {})).toEqual([false]);
  });
});

describe('IP address conditions', () => {
  const ips = ['10.1.2.3', '8.8.8.8', '2001:4860::8888', 'fe80::1', 'not-an-ip', '1.2.3.04', '::ffff:10.0.0.1', '999.1.1.1'];
  const ev = (ip: Json): Json => ({ a: { b: ip } });
  it('IsIPAddress / IsIPv4Address / IsIPv6Address', () => {
    expect(run(cond('IsIPAddress'), ...ips.map(ev), {}, ev(17))).toEqual([true, true, true, true, false, false, true, false, false, false]);
    expect(run(cond('IsIPv4Address'), ...ips.map(ev))).toEqual([true, true, false, false, false, false, false, false]);
    expect(run(cond('IsIPv6Address'), ...ips.map(ev))).toEqual([false, false, true, true, false, false, true, false]);
  });
  it('IsIPAddressPrivate / IsIPAddressPublic (Python ipaddress ranges; the version-dependent ones opaque)', () => {
    const priv = run(cond('IsIPAddressPrivate'), ev('10.1.2.3'), ev('172.31.0.1'), ev('192.168.1.1'), ev('127.0.0.1'), ev('fd00::1'), ev('8.8.8.8'), ev('100.64.0.1'), ev('bogus'), {});
    expect(priv).toEqual([true, true, true, true, true, false, false, false, false]);
    const pub = run(cond('IsIPAddressPublic'), ev('8.8.8.8'), ev('2606:4700::1111'), ev('10.1.2.3'), ev('100.64.0.1'), ev('fe80::1'), ev('bogus'), {});
    expect(pub).toEqual([true, true, false, false, false, false, false]);
    // 192.0.0.9 is private before CVE-2024-4032's fix and not after: opaque, superset value
    const p = lift(cond('IsIPAddressPrivate'));
    expect(opaques(p).map((o) => o.code)).toEqual(['simple-ip-range']);
    expect(evaluateRule(p, ev('192.0.0.9'))).toBe(true);
    expect(evaluateRule(lift(cond('IsIPAddressPublic')), ev('192.0.0.9'))).toBe(true);
  });
  it('IsIPAddressInCIDR / IsIPAddressNotInCIDR (Value or Values, IPv4 and IPv6)', () => {
    const p = cond('IsIPAddressInCIDR', ', Values: [10.0.0.0/8, "2001:db8::/32"]');
    expect(run(p, ev('10.9.8.7'), ev('11.0.0.1'), ev('2001:db8::5'), ev('2001:db9::5'), ev('garbage'), {})).toEqual([true, false, true, false, false, false]);
    expect(run(cond('IsIPAddressInCIDR', ', Value: 192.168.0.0/16'), ev('192.168.4.4'), ev('192.169.0.1'))).toEqual([true, false]);
    const n = cond('IsIPAddressNotInCIDR', ', Values: [10.0.0.0/8]');
    expect(run(n, ev('10.9.8.7'), ev('11.0.0.1'), ev('2001:db8::5'), ev('garbage'), {})).toEqual([false, true, true, true, true]);
  });
  it('a non-IP value never raises, even where an exception would hide a sibling (Any)', () => {
    const p = `{Any: [${cond('IsIPAddressInCIDR', ', Value: 10.0.0.0/8')}, {Key: c, Condition: Equals, Value: 1}]}`;
    expect(run(p, { a: { b: 'ec2.amazonaws.com' }, c: 1 }, { a: { b: 'ec2.amazonaws.com' }, c: 2 })).toEqual([true, false]);
  });
  it('CIDRContainsIPAddresses is opaque', () => {
    const p = lift(cond('CIDRContainsIPAddresses', ', Values: [10.1.1.1]'));
    expect(opaques(p).length).toBe(1);
  });
  it('the IP regexes accept exactly what parseIp accepts', () => {
    const any = new RegExp(`^(?:${IP_PATTERNS.any})$`);
    const v6 = new RegExp(`^(?:${IP_PATTERNS.v6})$`);
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    const octet = fc.integer({ min: 0, max: 255 }).map(String);
    const ipv6 = fc.tuple(fc.array(group, { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.boolean(), fc.array(octet, { minLength: 4, maxLength: 4 })).map(([gs, a, b, tail, v4]) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const groups = tail ? gs.slice(0, 6) : gs;
      const t = tail ? `${groups.length ? ':' : ''}${v4.join('.')}` : '';
      const l = Math.min(lo, groups.length);
      const h = Math.min(hi, groups.length);
      const s = h > l ? `${groups.slice(0, l).join(':')}::${groups.slice(h).join(':')}` : groups.join(':');
      return (s + t).replace(/^:(?!:)/, '').replace(/:::/, '::');
    });
    const noise = fc.stringMatching(/^[0-9a-f:.]{1,24}$/);
    fc.assert(
      fc.property(fc.oneof(ipv6, noise), (s) => {
        let parsed: unknown;
        try {
          parsed = parseIp(s);
        } catch {
          return true; // parseIp itself rejects some malformed strings by throwing
        }
        expect(any.test(s)).toBe(parsed !== null);
        if (parsed !== null) expect(v6.test(s)).toBe(s.includes(':'));
        return true;
      }),
      { numRuns: 3000 },
    );
  });
});

describe('key specifiers', () => {
  it('Key is a top-level field (a dotted Key is one literal name)', () => {
    expect(run('{Key: action, Condition: Equals, Value: x}', { action: 'x' }, { Action: 'x' }, {})).toEqual([true, true, false]);
    expect(run('{Key: a.b, Condition: Equals, Value: x}', { 'a.b': 'x' }, { a: { b: 'x' } })).toEqual([true, false]);
  });
  it('KeyPath walks mappings like deep_get (a non-mapping step reads as None)', () => {
    expect(run('{KeyPath: a.b.c, Condition: Equals, Value: 1}', { a: { b: { c: 1 } } }, { a: { b: 'c' } }, { a: null })).toEqual([true, false, false]);
    expect(run('{KeyPath: a.b.c, Condition: IsNull}', { a: { b: 'c' } }, { a: { b: { c: 1 } } })).toEqual([true, false]);
  });
  it('KeyPath [N] indexes a list; out of range or not a list reads as None', () => {
    const eq = '{KeyPath: "a[1].b", Condition: Equals, Value: y}';
    expect(run(eq, { a: [{ b: 'x' }, { b: 'y' }] }, { a: [{ b: 'y' }] }, { a: 'xy' }, {})).toEqual([true, false, false, false]);
    const isNull = '{KeyPath: "a[1].b", Condition: IsNull}';
    expect(run(isNull, { a: [{ b: 'x' }, { b: 'y' }] }, { a: [{ b: 'y' }] }, { a: { 1: { b: 'y' } } }, {})).toEqual([false, true, true, true]);
    const ne = '{KeyPath: "a[0]", Condition: DoesNotEqual, Value: x}';
    expect(run(ne, { a: ['x'] }, { a: ['z'] }, { a: [] })).toEqual([false, true, true]);
  });
  it('KeyPath [*] means any element; the negation means no element', () => {
    const p = '{KeyPath: "auth[*].permission", Condition: Equals, Value: iam.keys.create}';
    expect(run(p, { auth: [{ permission: 'x' }, { permission: 'iam.keys.create' }] }, { auth: [{ permission: 'x' }] }, { auth: [] }, {}, { auth: 'iam.keys.create' })).toEqual([true, false, false, false, false]);
    const n = '{KeyPath: "auth[*].permission", Condition: DoesNotEqual, Value: iam.keys.create}';
    expect(run(n, { auth: [{ permission: 'x' }, { permission: 'iam.keys.create' }] }, { auth: [{ permission: 'x' }] }, {})).toEqual([false, true, true]);
    // a boolean list element with Contains (the panther-analysis GCP idiom)
    expect(run('{KeyPath: "auth[*].granted", Condition: Contains, Value: true}', { auth: [{ granted: false }, { granted: true }] }, { auth: [{ granted: false }] })).toEqual([true, false]);
    // nested wildcards
    expect(run('{KeyPath: "a[*].b[*]", Condition: Equals, Value: 3}', { a: [{ b: [1] }, { b: [2, 3] }] }, { a: [{ b: [1, 2] }] })).toEqual([true, false]);
  });
  it('a [*] path becomes a quantifier whose element depth is absolute', () => {
    const p = lift('{KeyPath: "a[*].b[*].c", Condition: Equals, Value: 1}');
    const s = JSON.stringify(p);
    expect(s).toContain('"k":"quant"');
    expect(s).toContain('{"k":"elem","depth":0}');
    expect(s).toContain('{"k":"elem","depth":1}');
  });
  it('DeepKey: keys and indices', () => {
    expect(run('{DeepKey: [a, 0, b], Condition: Equals, Value: 1}', { a: [{ b: 1 }] }, { a: [{ b: 2 }] }, { a: [] })).toEqual([true, false, false]);
    expect(run('{DeepKey: ["x.y", z], Condition: Equals, Value: 1}', { 'x.y': { z: 1 } })).toEqual([true]);
  });
  it('Enrichment reads p_enrichment.<Table>.<Selector>.<FieldPath>', () => {
    const p = '{Enrichment: {Table: tor_exit_nodes, Selector: sourceIPAddress, FieldPath: ip}, Condition: Exists}';
    expect(run(p, { p_enrichment: { tor_exit_nodes: { sourceIPAddress: { ip: '1.2.3.4' } } } }, {})).toEqual([true, false]);
    // event-rooted even inside a list comprehension
    const q = '{KeyPath: items, Condition: AnyElement, Expressions: [{Key: id, Condition: Equals, Value: 1}, {Enrichment: {Table: t, Selector: s, FieldPath: f}, Condition: Equals, Value: z}]}';
    expect(run(q, { items: [{ id: 1 }], p_enrichment: { t: { s: { f: 'z' } } } }, { items: [{ id: 1, p_enrichment: { t: { s: { f: 'z' } } } }] })).toEqual([true, false]);
  });
});

describe('combinators', () => {
  const A = '{Key: a, Condition: Equals, Value: 1}';
  const B = '{Key: b, Condition: Equals, Value: 1}';
  const C = '{Key: c, Condition: Equals, Value: 1}';
  const evs: Json[] = [{}, { a: 1 }, { a: 1, b: 1 }, { a: 1, b: 1, c: 1 }, { c: 1 }];
  it('a list is an implicit All; All / Any', () => {
    expect(run(`[${A}, ${B}]`, ...evs)).toEqual([false, false, true, true, false]);
    expect(run(`{All: [${A}, ${B}]}`, ...evs)).toEqual([false, false, true, true, false]);
    expect(run(`{Any: [${A}, ${B}]}`, ...evs)).toEqual([false, true, true, true, false]);
  });
  it('OnlyOne: exactly one true', () => {
    expect(run(`{OnlyOne: [${A}, ${B}, ${C}]}`, ...evs)).toEqual([false, true, false, false, true]);
  });
  it('None: no expression true', () => {
    expect(run(`{None: [${A}, ${B}]}`, ...evs)).toEqual([true, false, false, false, true]);
  });
  it('empty combinators: All and None are true, Any and OnlyOne false', () => {
    expect(run('{All: []}', {})).toEqual([true]);
    expect(run('{None: []}', {})).toEqual([true]);
    expect(run('{Any: []}', {})).toEqual([false]);
    expect(run('{OnlyOne: []}', {})).toEqual([false]);
  });
  it('a string condition on a missing field inside Any does not hide its siblings', () => {
    const p = `{Any: [{KeyPath: ua, Condition: StartsWith, Value: curl}, ${A}]}`;
    expect(run(p, { a: 1 }, { ua: 'curl/8' }, { a: 2 })).toEqual([true, true, false]);
    const q = `{None: [{KeyPath: ua, Condition: IEquals, Value: curl}, {KeyPath: n, Condition: IsGreaterThan, Value: 3}]}`;
    expect(run(q, {}, { ua: 'CURL' }, { n: 'many' }, { n: 4 })).toEqual([true, false, true, false]);
  });
});

describe('list comprehensions', () => {
  const tags = (...ts: [string, string][]): Json => ({ tags: ts.map(([key, value]) => ({ key, value })) });
  const exprs = 'Expressions: [{Key: key, Condition: Equals, Value: env}, {KeyPath: value, Condition: Equals, Value: prod}]';
  it('AnyElement: one element satisfies every expression (keys relative to the element)', () => {
    const p = `{KeyPath: tags, Condition: AnyElement, ${exprs}}`;
    expect(run(p, tags(['env', 'prod']), tags(['env', 'dev'], ['team', 'prod']), tags(['team', 'x'], ['env', 'prod']), { tags: [] }, {}, { tags: 'env' })).toEqual([true, false, true, false, false, false]);
  });
  it('AllElements: every element (an empty or missing list has none failing)', () => {
    const p = `{KeyPath: tags, Condition: AllElements, Expressions: [{Key: value, Condition: IsIn, Values: [prod, dev]}]}`;
    expect(run(p, tags(['a', 'prod'], ['b', 'dev']), tags(['a', 'prod'], ['b', 'qa']), { tags: [] }, {})).toEqual([true, false, true, true]);
  });
  it('NoElement: no element satisfies', () => {
    const p = `{KeyPath: tags, Condition: NoElement, ${exprs}}`;
    expect(run(p, tags(['env', 'prod']), tags(['env', 'dev']), {})).toEqual([false, true, true]);
  });
  it('OnlyOneElement is opaque (counting), its expressions still validated', () => {
    const p = lift(`{KeyPath: tags, Condition: OnlyOneElement, ${exprs}}`);
    expect(opaques(p).map((o) => o.code)).toEqual(['simple-condition']);
    expect(evaluateRule(p, {})).toBe(true); // superset value
    expect(() => lift('{KeyPath: tags, Condition: OnlyOneElement, Expressions: [{Key: k, Condition: Nope}]}')).toThrow(/unknown Condition 'Nope'/);
  });
  it('nested comprehension and [*] inside elements use deeper element depths', () => {
    const p = '{KeyPath: a, Condition: AnyElement, Expressions: [{KeyPath: "b[*].c", Condition: Equals, Value: 1}, {KeyPath: d, Condition: AnyElement, Expressions: [{Key: e, Condition: Equals, Value: 2}]}]}';
    expect(run(p, { a: [{ b: [{ c: 1 }], d: [{ e: 2 }] }] }, { a: [{ b: [{ c: 1 }], d: [{ e: 3 }] }, { b: [], d: [{ e: 2 }] }] })).toEqual([true, false]);
    const s = JSON.stringify(lift(p));
    expect(s).toContain('{"k":"elem","depth":1}');
  });
});

describe('multi-key (field vs field)', () => {
  it('Equals / DoesNotEqual / IEquals between two fields', () => {
    const eq = '{Condition: Equals, Values: [{Key: actor}, {KeyPath: target.user}]}';
    expect(run(eq, { actor: 'a', target: { user: 'a' } }, { actor: 'a', target: { user: 'b' } }, {})).toEqual([true, false, true]);
    const ne = '{Condition: DoesNotEqual, Values: [{Key: actor}, {KeyPath: target.user}]}';
    expect(run(ne, { actor: 'a', target: { user: 'a' } }, { actor: 'a', target: { user: 'b' } })).toEqual([false, true]);
    const ieq = '{Condition: IEquals, Values: [{Key: x}, {Key: y}]}';
    expect(run(ieq, { x: 'Ab', y: 'aB' }, { x: 'Ab', y: 'ab ' }, { x: 1, y: 1 })).toEqual([true, false, false]);
  });
  it('IsGreaterThan between two fields, including an index path', () => {
    const p = '{Condition: IsGreaterThan, Values: [{KeyPath: entity.diameter}, {KeyPath: "entity.moons[0].diameter"}]}';
    expect(run(p, { entity: { diameter: 2370, moons: [{ diameter: 1212 }] } }, { entity: { diameter: 10, moons: [{ diameter: 1212 }] } }, { entity: { diameter: 10, moons: [] } }, { entity: { diameter: 'x', moons: [{ diameter: 1 }] } })).toEqual([true, false, false, false]);
  });
  it('string matching between two fields is opaque', () => {
    expect(opaques(lift('{Condition: Contains, Values: [{Key: a}, {Key: b}]}')).length).toBe(1);
  });
});

describe('opaque pieces', () => {
  it('non-string Values for string conditions are opaque, not guessed', () => {
    for (const c of ['StartsWith', 'IEquals', 'IContains', 'IEndsWith']) {
      const p = lift(cond(c, ', Value: 10'));
      expect(opaques(p).length, c).toBe(1);
    }
  });
  it('opaques carry the position of their Condition', () => {
    const yaml = 'Detection:\n  - KeyPath: tags\n    Condition: OnlyOneElement\n    Expressions:\n      - {Key: k, Condition: Exists}\n';
    const { data, pos } = loadYaml(FILE, yaml);
    const p = liftMatchExpression((data as { Detection: unknown }).Detection, pos, FILE, ['Detection']);
    const [o] = opaques(p);
    expect(o?.span).toEqual({ file: FILE, line: 3, col: 5 });
    expect(o?.assume).toBe(true);
  });
  it('an opaque under None is assumed false (the superset there)', () => {
    const p = lift('{None: [{KeyPath: tags, Condition: OnlyOneElement, Expressions: [{Key: k, Condition: Exists}]}]}');
    expect(evaluateRule(p, {})).toBe(true);
  });
});

describe('diagnostics', () => {
  it('unknown Condition, with a case hint and its position', () => {
    const d = failure('Detection:\n  - KeyPath: a\n    Condition: equals\n    Value: 1\n');
    expect(d.code).toBe('unknown-condition');
    expect(d.message).toContain("unknown Condition 'equals'");
    expect(d.hint).toContain("did you mean 'Equals'");
    expect([d.line, d.col]).toEqual([3, 5]);
    expect(failure('Detection:\n  - {KeyPath: a, Condition: Matches, Value: 1}\n').hint).toContain('supported conditions: Equals');
  });
  it('missing Value / Values / Expressions', () => {
    expect(failure('Detection:\n  - KeyPath: a\n    Condition: Equals\n')).toMatchObject({ code: 'missing-value', line: 3 });
    expect(failure('Detection:\n  - {KeyPath: a, Condition: IsIn, Value: x}\n').code).toBe('bad-value');
    expect(failure('Detection:\n  - {KeyPath: a, Condition: IsIn}\n').code).toBe('missing-value');
    expect(failure('Detection:\n  - {KeyPath: a, Condition: AnyElement}\n').code).toBe('missing-value');
    expect(failure('Detection:\n  - {KeyPath: a, Condition: IsNull, Value: x}\n').code).toBe('bad-value');
    expect(failure('Detection:\n  - {KeyPath: a, Condition: Equals, Value: [1, 2]}\n').code).toBe('bad-value');
  });
  it('bad key specifiers', () => {
    expect(failure('Detection:\n  - {KeyPath: "a..b", Condition: Exists}\n')).toMatchObject({ code: 'bad-key', line: 2 });
    expect(failure('Detection:\n  - {KeyPath: "a[x]", Condition: Exists}\n').code).toBe('bad-key');
    expect(failure('Detection:\n  - {Key: a, KeyPath: b, Condition: Exists}\n').code).toBe('bad-match-expression');
    expect(failure('Detection:\n  - {Condition: Equals, Value: 1}\n').message).toContain('needs a key specifier');
    expect(failure('Detection:\n  - {DeepKey: [a, -1], Condition: Exists}\n').code).toBe('bad-key');
  });
  it('bad CIDR, unknown keys, malformed combinators, no Condition', () => {
    expect(failure('Detection:\n  - KeyPath: ip\n    Condition: IsIPAddressInCIDR\n    Values: [10.0.0.0/8, 10.0.0.0/33]\n')).toMatchObject({ code: 'bad-cidr', line: 4 });
    const u = failure('Detection:\n  - KeyPath: a\n    Condition: Equals\n    value: 1\n');
    expect(u).toMatchObject({ code: 'bad-match-expression', line: 4 });
    expect(u.hint).toContain("did you mean 'Value'");
    expect(failure('Detection:\n  - Any: {KeyPath: a, Condition: Exists}\n').message).toContain('Any must be a list');
    expect(failure('Detection:\n  - {Any: [], KeyPath: a}\n').code).toBe('bad-match-expression');
    expect(failure('Detection:\n  - {KeyPath: a, Value: 1}\n').message).toContain('has no Condition');
    expect(failure('Detection:\n  - just a string\n').code).toBe('bad-match-expression');
  });
  it('every condition named in the docs is supported', () => {
    for (const c of ['Equals', 'DoesNotEqual', 'IEquals', 'IDoesNotEqual', 'Contains', 'DoesNotContain', 'IContains', 'IDoesNotContain', 'StartsWith', 'DoesNotStartWith', 'IStartsWith', 'IDoesNotStartWith', 'EndsWith', 'DoesNotEndWith', 'IEndsWith', 'IDoesNotEndWith', 'IsGreaterThan', 'IsGreaterThanOrEqual', 'IsLessThan', 'IsLessThanOrEqual', 'IsIn', 'IsNotIn', 'Exists', 'DoesNotExist', 'IsNull', 'IsNotNull', 'IsNullOrEmpty', 'IsNotNullOrEmpty', 'IsIPAddress', 'IsIPv4Address', 'IsIPv6Address', 'IsIPAddressPublic', 'IsIPAddressPrivate', 'IsIPAddressInCIDR', 'IsIPAddressNotInCIDR', 'CIDRContainsIPAddresses', 'CIDRDoesNotContainIPAddresses', 'AlwaysTrue', 'AlwaysFalse', 'AnyElement', 'AllElements', 'OnlyOneElement', 'NoElement']) {
      expect(SUPPORTED_CONDITIONS).toContain(c);
    }
  });
});

describe('outputs', () => {
  it('AlertTitle templates become title parts', () => {
    const parts = titleParts('Root account [{userIdentity.accountId}] used from [{sourceIPAddress}]');
    expect(parts.map((p) => ('text' in p ? p.text : 'value'))).toEqual(['Root account [', 'value', '] used from [', 'value', ']']);
    const v = parts[1] as { value: import('../src/ast/types.js').Val };
    expect(evaluateValue(v.value, { userIdentity: { accountId: '123' } })).toBe('123');
    const notes: string[] = [];
    const w = titleParts('ids {a[*].id} and {a[0].id}', (m) => notes.push(m));
    expect(w[0]).toEqual({ text: 'ids {a[*].id} and ' });
    expect(evaluateValue((w[1] as { value: import('../src/ast/types.js').Val }).value, { a: [{ id: 7 }] })).toBe(7);
    expect(notes[0]).toContain('[*]');
    expect(titleParts('no fields')).toEqual([{ text: 'no fields' }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Sample rules

const SAMPLES = path.join(process.cwd(), 'rules', 'simple');
const sampleFiles = readdirSync(SAMPLES).filter((f) => f.endsWith('.yml'));

describe('sample rules in rules/simple/', () => {
  it('there are simple detections and an InlineFilters Python rule', () => {
    const loaded = sampleFiles.map((f) => loadRule(path.join(SAMPLES, f)));
    expect(loaded.filter((l) => l.detection !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(loaded.some((l) => l.python && Array.isArray(l.raw.InlineFilters) && l.raw.InlineFilters.length > 0)).toBe(true);
  });

  for (const f of sampleFiles) {
    it(`${f}: every test passes through the evaluator`, () => {
      const loaded = loadRule(path.join(SAMPLES, f));
      expect(loaded.tests.length).toBeGreaterThanOrEqual(3);
      expect(loaded.tests.some((t) => t.expected)).toBe(true);
      expect(loaded.tests.some((t) => !t.expected)).toBe(true);
      let condition: Pred;
      if (loaded.detection !== undefined) {
        const lifted = liftSimpleDetection(loaded);
        expect(opaques(lifted.condition)).toEqual([]);
        condition = lifted.condition;
      } else {
        condition = liftLoaded(loaded).condition;
      }
      const filter = liftInlineFilters(loaded);
      const full: Pred = filter ? { k: 'and', args: [filter, condition] } : condition;
      for (const t of loaded.tests) expect(evaluateRule(full, t.log), t.name).toBe(t.expected);
    });
  }

  it('simple samples are exact through the pipeline', () => {
    for (const f of sampleFiles) {
      const loaded = loadRule(path.join(SAMPLES, f));
      if (loaded.detection === undefined) continue;
      const report = proveRule(liftLoaded(loaded), loaded);
      expect(report.fidelity, f).toBe('exact');
      expect(report.tests.failed, f).toBe(0);
    }
  });

  it('AlertContext, GroupBy, AlertTitle and DynamicSeverities of the IAM sample', () => {
    const loaded = loadRule(path.join(SAMPLES, 'aws_iam_privileged_tag_on_user.yml'));
    const lifted = liftSimpleDetection(loaded);
    const log = loaded.tests[0]?.log as Json;
    expect(lifted.outputs.map((o) => [o.name, o.source, evaluateValue(o.value, log)])).toEqual([
      ['user_name', 'alert_context', 'svc-reporting'],
      ['actor_arn', 'alert_context', 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/mira'],
      ['source_ip', 'alert_context', '198.51.100.44'],
      ['first_tag_key', 'alert_context', 'team'],
    ]);
    expect(lifted.groupBy?.map((v) => evaluateValue(v, log))).toEqual(['svc-reporting']);
    expect(lifted.title?.filter((p) => 'value' in p).length).toBe(2);
    expect(lifted.severities?.map((s) => s.severity)).toEqual(['Critical']);
    const when = lifted.severities?.[0]?.when as Pred;
    expect(loaded.tests.map((t) => evaluateRule(when, t.log))).toEqual(loaded.tests.map((t) => (t.log as { userIdentity: { type: string } }).userIdentity.type === 'Root'));
    expect(lifted.notes).toEqual([]);
  });

  it('a multi-key DynamicSeverities condition (GitHub sample)', () => {
    const loaded = loadRule(path.join(SAMPLES, 'github_member_promoted_to_owner.yml'));
    const sev = liftSimpleDetection(loaded).severities ?? [];
    expect(sev.map((s) => s.severity)).toEqual(['Critical', 'High']);
    const first = (log: Json): string | undefined => sev.find((s) => evaluateRule(s.when, log))?.severity;
    expect(loaded.tests.slice(0, 2).map((t) => first(t.log))).toEqual([undefined, 'Critical']);
    expect(first({ actor: 'a', user: 'b', actor_location: { country_code: 'FR' } })).toBe('High');
  });

  it('InlineFilters: the Python sample has a filter; `- All: []` and no filters give null', () => {
    const loaded = loadRule(path.join(SAMPLES, 'aws_console_login_outside_corporate_network.yml'));
    const filter = liftInlineFilters(loaded);
    expect(filter).not.toBeNull();
    expect(loaded.tests.map((t) => evaluateRule(filter as Pred, t.log))).toEqual([true, false, false, true, true]);
    const fake = (raw: Record<string, unknown>): Parameters<typeof liftInlineFilters>[0] => ({ ...loaded, raw });
    expect(liftInlineFilters(fake({ InlineFilters: [{ All: [] }] }))).toBeNull();
    expect(liftInlineFilters(fake({}))).toBeNull();
    expect(() => liftInlineFilters(fake({ InlineFilters: { KeyPath: 'a' } }))).toThrow(/InlineFilters must be a list/);
  });
});
