/**
 * The YARA-L 2.0 reference evaluator (src/proof/yaral): examples from Google's documentation (repeated
 * fields, nocase, re.regex on multi-line values, zero values), refusals, and the committed artifacts of
 * out/yaral/ read back and run on their rules' tests.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { UdmUnknown, type UdmEvent, type UdmNode } from '../src/mapping/project/yaral.js';
import { liftFile, proveRule } from '../src/pipeline.js';
import { Refusal } from '../src/proof/types.js';
import { compileYaral, yaralProof } from '../src/proof/yaral/index.js';

const ROOT = new URL('../', import.meta.url).pathname;
const mapper = loadMappings();

/** A UDM event from a plain object (objects → messages, arrays → repeated fields). */
function udm(o: Record<string, unknown>): UdmEvent {
  const conv = (v: unknown): UdmNode =>
    v instanceof UdmUnknown ? v : Array.isArray(v) ? v.map(conv) : v !== null && typeof v === 'object' ? new Map(Object.entries(v).map(([k, x]) => [k, conv(x)])) : (v as UdmNode);
  return { logType: 'test', root: conv(o) as Map<string, UdmNode>, casingSkipped: [] };
}
const rule = (events: string, extra = '', condition = '$e') => `rule t {\n  meta:\n    author = "x"\n  events:\n${events}\n${extra}\n  condition:\n    ${condition}\n}\n`;
const run = (events: string, ev: UdmEvent) => compileYaral(rule(events)).matches(ev);

// repeated-fields doc: event_original { principal { ip: [192.0.2.1, .2, .3], hostname: "host" } }
const original = udm({ principal: { ip: ['192.0.2.1', '192.0.2.2', '192.0.2.3'], hostname: 'host' } });

describe('repeated fields (cloud.google.com/chronicle/docs/yara-l/repeated-fields)', () => {
  it('any / all modifiers', () => {
    expect(run('any $e.principal.ip = "192.0.2.1"', original)).toBe(true);
    expect(run('all $e.principal.ip = "192.0.2.2"', original)).toBe(false);
    expect(run('net.ip_in_range_cidr(all $e.principal.ip, "192.0.2.0/8")', original)).toBe(true);
    expect(run('any $e.principal.ip = "9.9.9.9"', original)).toBe(false);
  });
  it('not all differs from all !=', () => {
    expect(run('not all $e.principal.ip = "192.0.2.1"', original)).toBe(true);
    expect(run('all $e.principal.ip != "192.0.2.1"', original)).toBe(false);
  });
  it('unmodified expressions: each element individually, one copy must satisfy every line', () => {
    expect(run('$e.principal.ip = "192.0.2.1"', original)).toBe(true);
    expect(run('$e.principal.ip = "192.0.2.1"\n$e.principal.ip = "192.0.2.2"', original)).toBe(false);
    expect(run('($e.principal.ip = "192.0.2.1" or $e.principal.ip = "192.0.2.2")', original)).toBe(true);
    // not applies per element: some element differs
    expect(run('not $e.principal.ip = "192.0.2.1"', original)).toBe(true);
    expect(run('$e.principal.ip != "192.0.2.1"', udm({ principal: { ip: ['192.0.2.1'] } }))).toBe(false);
  });
  it('array index', () => {
    expect(run('$e.principal.ip[1] = "192.0.2.2"', original)).toBe(true);
    expect(run('$e.principal.ip[0] = "192.0.2.2"', original)).toBe(false);
    expect(run('$e.principal.ip[7] = ""', original)).toBe(true);
  });
  it('any/all on a scalar field is refused', () => {
    expect(() => run('any $e.principal.hostname = "host"', original)).toThrow(Refusal);
  });
});

describe('comparisons, nocase and zero values', () => {
  it('= is case-sensitive, nocase folds', () => {
    expect(run('$e.principal.hostname = "HOST"', original)).toBe(false);
    expect(run('$e.principal.hostname = "HOST" nocase', original)).toBe(true);
    expect(run('$e.principal.hostname != "HOST" nocase', original)).toBe(false);
  });
  it('nocase on non-ASCII text where folding is undocumented is refused', () => {
    expect(() => run('$e.principal.hostname = "K" nocase', udm({ principal: { hostname: '\u212a' } }))).toThrow(Refusal);
  });
  it('a missing field reads its zero value (yara-l-best-practices)', () => {
    const empty = udm({});
    expect(run('$e.principal.hostname = ""', empty)).toBe(true);
    expect(run('$e.principal.hostname != "x"', empty)).toBe(true);
    expect(run('$e.target.hostname = $e.principal.hostname', empty)).toBe(true);
    expect(run('$e.network.http.response_code = 0', empty)).toBe(true);
    // an empty repeated field: one copy reading the zero value
    expect(run('$e.principal.ip = ""', empty)).toBe(true);
    expect(run('$e.security_result.rule_id = ""', empty)).toBe(true);
  });
  it('numbers compare as numbers on integer fields', () => {
    const ev = udm({ network: { http: { response_code: 403 } } });
    expect(run('$e.network.http.response_code >= 400', ev)).toBe(true);
    expect(run('$e.network.http.response_code < 400', ev)).toBe(false);
  });
  it('an unknown value is refused, except its emptiness when known', () => {
    const ev = udm({ metadata: { id: new UdmUnknown('set by ingestion', true) }, additional: { fields: { o: new UdmUnknown('an object') } } });
    expect(run('$e.metadata.id != ""', ev)).toBe(true);
    expect(run('$e.metadata.id = "" and $e.metadata.id != ""', ev)).toBe(false);
    expect(() => run('$e.additional.fields["o"] = "x"', ev)).toThrow(Refusal);
    // a refusal in a branch that cannot change the result is not fatal
    expect(run('$e.principal.hostname = "nope" and $e.additional.fields["o"] = "x"', ev)).toBe(false);
  });
});

describe('re.regex (yara-l-2-0-functions/re-regex)', () => {
  const ev = udm({ principal: { hostname: 'first line\nsecond allUDM line' } });
  it('searches a substring', () => {
    expect(run('re.regex($e.principal.hostname, `irst`)', ev)).toBe(true);
    expect(run('re.regex($e.principal.hostname, `^first line$`)', ev)).toBe(true);
  });
  it('only the first line of a multi-line value unless the pattern adds (?s)', () => {
    expect(run('re.regex($e.principal.hostname, `allUDM`)', ev)).toBe(false);
    expect(run('re.regex($e.principal.hostname, `.*allUDM.*`)', ev)).toBe(false);
    expect(run('re.regex($e.principal.hostname, `(?s).*allUDM.*`)', ev)).toBe(true);
    expect(run('re.regex($e.principal.hostname, `(?is)ALLUDM`)', ev)).toBe(true);
  });
  it('nocase and (?i)', () => {
    expect(run('re.regex($e.principal.hostname, `FIRST`)', ev)).toBe(false);
    expect(run('re.regex($e.principal.hostname, `FIRST`) nocase', ev)).toBe(true);
    expect(run('re.regex($e.principal.hostname, `(?i)FIRST`)', ev)).toBe(true);
  });
  it('double-quoted patterns take string escapes', () => {
    expect(run('re.regex($e.principal.hostname, "^first\\\\sline")', ev)).toBe(true);
  });
});

describe('net.ip_in_range_cidr', () => {
  it('IPv4 and IPv6 ranges; a value that is not an address is in no range', () => {
    const ev = (ip: string) => udm({ principal: { ip: [ip] } });
    expect(run('net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")', ev('10.1.2.3'))).toBe(true);
    expect(run('net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")', ev('11.1.2.3'))).toBe(false);
    expect(run('net.ip_in_range_cidr($e.principal.ip, "2001:db8::/32")', ev('2001:db8::1'))).toBe(true);
    expect(run('net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")', ev('2001:db8::1'))).toBe(false);
    expect(run('net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")', ev('not an ip'))).toBe(false);
    expect(run('not net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")', udm({}))).toBe(true);
    expect(() => run('net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")', ev('010.1.2.3'))).toThrow(Refusal);
  });
});

describe('rule structure, aggregation and refusals', () => {
  it('match + #e >= N is the aggregation; the per-event part is evaluated', () => {
    const c = compileYaral(rule('$e.metadata.product_event_type = "x"\n$k = $e.principal.user.userid', '  match:\n    $k over 30m\n', '#e >= 10'));
    expect(c.aggregation).toBe('match $k over 30m; condition #e >= 10');
    expect(c.matches(udm({ metadata: { product_event_type: 'x' }, principal: { user: { userid: 'u' } } }))).toBe(true);
    // zero values of match placeholders are filtered out (options-syntax, allow_zero_values)
    expect(c.matches(udm({ metadata: { product_event_type: 'x' } }))).toBe(false);
    const z = compileYaral(rule('$e.metadata.product_event_type = "x"\n$k = $e.principal.user.userid', '  match:\n    $k over 30m\n  outcome:\n    $n = count($e.metadata.id)\n', '#e >= 10').replace('}\n', '  options:\n    allow_zero_values = true\n}\n'));
    expect(z.matches(udm({ metadata: { product_event_type: 'x' } }))).toBe(true);
  });
  it('comments and outcome sections are read', () => {
    const text = `// header\n/* block */\nrule r {\n  meta:\n    a = "b"\n  events:\n    $e.principal.hostname = "host" // trailing\n  outcome:\n    $risk_score = 10\n    $x = array_distinct($e.principal.ip)\n  condition:\n    $e\n}\n`;
    expect(compileYaral(text).matches(original)).toBe(true);
  });
  const refused: [string, string][] = [
    ['and/or mixed without parentheses', rule('$e.a.b = "1" or $e.a.c = "2" and $e.a.d = "3"')],
    ['unknown function', rule('strings.to_lower($e.a.b) = "x"')],
    ['reference list', rule('$e.principal.ip in %list')],
    ['/regex/ literal after !=', rule('$e.principal.hostname != /x/')],
    ['/regex/ literal as an argument', rule('re.regex($e.principal.hostname, /x/)')],
    ['type mismatch', rule('$e.additional.fields["k"] = true')],
    ['type mismatch number', rule('$e.security_result.action_details = 5')],
    ['two event variables', rule('$e1.principal.hostname = "x"')],
    ['other condition', rule('$e.principal.hostname = "x"', '', '$e and #e > 1')],
    ['unknown option', rule('$e.principal.hostname = "x"').replace('}\n', '  options:\n    suppression_window = 5\n}\n')],
    ['comment-only artifact', '// fidelity: unsupported\n// not rendered\n'],
    ['unknown escape', rule('$e.principal.hostname = "a\\qb"')],
  ];
  for (const [what, text] of refused) {
    it(`refuses: ${what}`, () => {
      expect(() => compileYaral(text)).toThrow(Refusal);
    });
  }
  it('parenthesised mixes are read', () => {
    expect(run('($e.principal.hostname = "x" or ($e.principal.hostname = "host" and $e.principal.ip = "192.0.2.3"))', original)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The committed artifacts of out/yaral/, read back and run on their rules' tests

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.yaral') ? [p] : [];
  });
}
const artifacts = walk(join(ROOT, 'out/yaral'));

describe('out/yaral artifacts read back', () => {
  it('finds the committed artifacts', () => {
    expect(artifacts.length).toBeGreaterThan(20);
  });
  for (const file of artifacts) {
    const text = readFileSync(file, 'utf8');
    const src = /source = "Panther rule \S+ \((\S+?\.yml)/.exec(text)?.[1] ?? /^\/\/ Panther rule \S+ \((\S+?\.yml)/m.exec(text)?.[1];
    const exact = text.includes('fidelity = "exact"');
    it(`${file.slice(ROOT.length)}: ${exact ? 'agrees with every test' : 'reads back or is refused by name'}`, () => {
      let compiled;
      try {
        compiled = yaralProof.compile(text, 'yaral');
      } catch (e) {
        expect(e).toBeInstanceOf(Refusal);
        expect(exact).toBe(false);
        return;
      }
      if (!exact || !src) return;
      const { rule: r, loaded } = liftFile(join(ROOT, src));
      expect(proveRule(r, loaded).fidelity).toBe('exact');
      const logType = r.meta.logTypes[0]!;
      let ran = 0;
      for (const t of r.tests) {
        if (t.mocks?.length) continue;
        if ((t.logType ?? logType) !== logType) continue;
        const got = compiled.matches(yaralProof.project(t.log as Json, logType, mapper));
        expect({ test: t.name, got }).toEqual({ test: t.name, got: t.expected });
        ran++;
      }
      expect(ran).toBeGreaterThan(0);
    });
  }
});
