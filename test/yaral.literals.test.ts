/**
 * Issue 14: YARA-L regex tests are written as the documented regex comparison `$e.field = /regex/`
 * (yara-l-2-0-functions/re-regex), negated `not ($e.field = /regex/)`; the evaluator reads the literal as
 * `re.regex($e.field, `regex`)`, and both forms decide alike.
 */
import { describe, expect, it } from 'vitest';
import { UdmUnknown, type UdmEvent, type UdmNode } from '../src/mapping/project/yaral.js';
import { Refusal } from '../src/proof/types.js';
import { compileYaral } from '../src/proof/yaral/index.js';
import { and, or, printOut, text } from '../src/targets/common/out.js';
import { yaralRegexLiteral } from '../src/targets/yaral/escape.js';
import { regexLiterals } from '../src/targets/yaral/tidy.js';

function udm(o: Record<string, unknown>): UdmEvent {
  const conv = (v: unknown): UdmNode =>
    v instanceof UdmUnknown ? v : Array.isArray(v) ? v.map(conv) : v !== null && typeof v === 'object' ? new Map(Object.entries(v).map(([k, x]) => [k, conv(x)])) : (v as UdmNode);
  return { logType: 'test', root: conv(o) as Map<string, UdmNode>, casingSkipped: [] };
}
const yrule = (events: string) => `rule t {\n  meta:\n    author = "x"\n  events:\n    ${events}\n  condition:\n    $e\n}\n`;
const SYN = { and: ' and ', or: ' or ', true: 'true', false: 'false', parenthesiseAll: true };
const f = '$e.principal.hostname';
const VALUES = ['', 'a/b', 'a/bc', 'x\na/b', 'A/B', 'ab', 'host', 'h/o/st', '/', 'a\\/b'];
const events = VALUES.map((v) => udm({ principal: { hostname: v } }));

function sameOn(a: string, b: string): void {
  const A = compileYaral(yrule(a));
  const B = compileYaral(yrule(b));
  for (const ev of events) expect(B.matches(ev), `${a} | ${b} | ${JSON.stringify([...ev.root])}`).toBe(A.matches(ev));
}

describe('YARA-L regex literals', () => {
  it('a `/` of the pattern is written `\\/`; escapes are kept', () => {
    expect(yaralRegexLiteral('(?s)^a/b$')).toBe('/(?s)^a\\/b$/');
    expect(yaralRegexLiteral('a\\/b')).toBe('/a\\/b/');
    expect(yaralRegexLiteral('a\\\\/b')).toBe('/a\\\\\\/b/');
    expect(yaralRegexLiteral('[/]x')).toBe('/[\\/]x/');
    expect(() => yaralRegexLiteral('a\nb')).toThrow();
  });

  it('re.regex tests become regex comparisons, negations parenthesised; other tests stay', () => {
    const o = and(text(`re.regex(${f}, \`(?s)a/b\`)`), or(text(`not re.regex(${f}, \`^h\`)`), text(`${f} = "x"`)));
    expect(printOut(regexLiterals(o), SYN)).toBe(`${f} = /(?s)a\\/b/ and (not (${f} = /^h/) or ${f} = "x")`);
  });

  it('the evaluator reads `= /re/` as re.regex: the same decisions on every value', () => {
    for (const re of ['(?s)a/b', '(?s)^a/b$', '^h', '(?i)(?s)a/B', '(?s)^(?:/|host)$', '(?s)a\\\\/b', '(?s)[/]']) {
      const lit = regexLiterals(text(`re.regex(${f}, \`${re}\`)`));
      const neg = regexLiterals(text(`not re.regex(${f}, \`${re}\`)`));
      sameOn(`re.regex(${f}, \`${re}\`)`, printOut(lit, SYN));
      sameOn(`not re.regex(${f}, \`${re}\`)`, printOut(neg, SYN));
    }
    // not vacuous: the literal matches some values and not others
    const m = compileYaral(yrule(`${f} = /(?s)a\\/b/`));
    expect(events.map((e) => m.matches(e))).toContain(true);
    expect(events.map((e) => m.matches(e))).toContain(false);
  });

  it('nocase after the literal; a literal anywhere but right of `=` is refused', () => {
    expect(compileYaral(yrule(`${f} = /^HOST$/ nocase`)).matches(udm({ principal: { hostname: 'host' } }))).toBe(true);
    expect(() => compileYaral(yrule(`${f} != /host/`))).toThrow(Refusal);
    expect(() => compileYaral(yrule(`re.regex(${f}, /host/)`))).toThrow(Refusal);
    expect(() => compileYaral(yrule(`${f} = /host`))).toThrow(Refusal);
  });
});

// ---------------------------------------------------------------------------------------------

import { tidyRegexes } from '../src/targets/yaral/tidy.js';

describe('YARA-L: exact values and prefixes of one field said once (tidy.ts 2c.)', () => {
  const e = '$e.metadata.product_event_type';
  const vals = ['', 'A', 'B', 'C', 'AB', 'A\nx', 'x\nA', 'masterclient', 'masterclient-1', 'aksService', 'aksServicex', 'eks:a', 'x'];
  const evs = vals.map((v) => udm({ metadata: { product_event_type: v } }));
  const same = (a: string, b: string) => {
    const A = compileYaral(yrule(a));
    const B = compileYaral(yrule(b));
    for (const ev of evs) expect(B.matches(ev), `${a} | ${b} | ${JSON.stringify([...ev.root])}`).toBe(A.matches(ev));
  };
  const tidy = (o: ReturnType<typeof or>) => printOut(tidyRegexes(o), SYN);

  it('an equality in an `or` joins a regex of exact values on its field', () => {
    const o = or(text(`re.regex(${e}, \`(?s)^(?:A|C)$\`)`), text(`${e} = "B"`), text('$e.principal.hostname = "h"'));
    const s = tidy(o);
    expect(s).toBe(`re.regex(${e}, \`(?s)^(?:A|B|C)$\`) or $e.principal.hostname = "h"`);
    same(printOut(o, SYN), s);
  });

  it('negated: an inequality in an `and` joins a negated regex of exact values', () => {
    const o = and(text(`not re.regex(${e}, \`(?s)^(?:A|C)$\`)`), text(`${e} != "B"`));
    const s = tidy(o);
    expect(s).toBe(`not re.regex(${e}, \`(?s)^(?:A|B|C)$\`)`);
    same(printOut(o, SYN), s);
  });

  it('an exact value a prefix of the group matches is left out', () => {
    const o = and(text(`not re.regex(${e}, \`(?s)^(?:aksService|masterclient)$\`)`), text(`not re.regex(${e}, \`(?s)^(?:eks:|masterclient)\`)`));
    const s = tidy(o);
    expect(s).toBe(`not re.regex(${e}, \`^(?:aksService$|eks:|masterclient)\`)`.replace('`^', '`(?s)^'));
    same(printOut(o, SYN), s);
  });

  it('stays: no regex of exact values; other flags; an equality of the other polarity; another field', () => {
    for (const o of [
      or(text(`re.regex(${e}, \`(?s)^A\`)`), text(`${e} = "B"`)),
      or(text(`re.regex(${e}, \`(?is)^(?:A|C)$\`)`), text(`${e} = "B"`)),
      or(text(`re.regex(${e}, \`(?s)^(?:A|C)$\`)`), text(`${e} != "B"`)),
      or(text(`re.regex(${e}, \`(?s)^(?:A|C)$\`)`), text('$e.principal.hostname = "B"')),
    ]) {
      expect(tidy(o)).toBe(printOut(tidyRegexes(o), SYN));
      expect(tidy(o)).toContain('"B"');
      same(printOut(o, SYN), tidy(o));
    }
  });
});

import { plainGroups, tidyAnchors } from '../src/targets/yaral/tidy.js';

describe('YARA-L regex anchors and groups written once (tidy.ts 3d)', () => {
  const cases: [string, string, string][] = [
    // [flags, body, tidied body]
    ['s', String.raw`\A(?:^[^\n]*\.goog\[kube-system\/[^\n]*\](?:$|\n\z))|\A(?:^[\p{Nd}]+@x\.com(?:$|\n\z))|^system:`, String.raw`^[^\n]*\.goog\[kube-system\/[^\n]*\]\n?$|^[\p{Nd}]+@x\.com\n?$|^system:`],
    ['s', String.raw`^(?:(?:[^\x2f]*\/)(?:[^\x2f]*\/)ns\/|(?:[^\x2f]*\/)(?:[^\x2f]*\/)ns$)`, String.raw`^(?:[^\x2f]*\/[^\x2f]*\/ns\/|[^\x2f]*\/[^\x2f]*\/ns$)`],
    ['s', String.raw`\A(?:arn:.*:role\/a)\z|\A(?:arn:.*:role\/b)\z`, String.raw`^arn:.*:role\/a$|^arn:.*:role\/b$`],
    ['is', String.raw`\.(css|js)(?:$|\n\z)`, String.raw`\.(css|js)\n?$`],
    ['s', String.raw`\A(?:a)|\A(?:b)\z`, String.raw`^a|^b$`],
    ['s', String.raw`\A(?:a|b.*)\z`, String.raw`^(?:a|b.*)$`],
    // kept: a quantified group, a group with its own |, an escaped paren, the m flag
    ['s', String.raw`(?:ab)+c(?:d|e)\(?:f\)`, String.raw`(?:ab)+c(?:d|e)\(?:f\)`],
    ['s', String.raw`x(?:$|\n\z)?`, String.raw`x(?:$|\n\z)?`],
  ];
  const values = ['', 'a', 'x', 'x\n', 'x\ny', 'svc.goog[kube-system/a]', 'svc.goog[kube-system/a]\n', '12@x.com', '12@x.com\n\n', 'system:a', 'a/b/ns/', 'a/b/ns', 'a/b/ns\n', 'arn:1:role/a', 'arn:1:role/b\n', 'p.css', 'p.JS\n', 'q.css.map', 'ababcd(?:f)', 'abce', 'zsystem:', 'b', 'b\n', 'bx\ny', 'ab\n'];
  const lit = (flags: string, body: string) => yaralRegexLiteral(`(?${flags})${body}`);
  for (const [flags, body, want] of cases) {
    it(`${body} → ${want}`, () => {
      const got = tidyAnchors(new Set(flags), body);
      expect(got).toBe(want);
      // the evaluator (RE2 under YARA-L's first-line rule) decides every value alike
      const a = compileYaral(yrule(`$e.principal.hostname = ${lit(flags, body)}`));
      const b = compileYaral(yrule(`$e.principal.hostname = ${lit(flags, got)}`));
      for (const v of values) expect(b.matches(udm({ principal: { hostname: v } })), JSON.stringify(v)).toBe(a.matches(udm({ principal: { hostname: v } })));
    });
  }
  it('the m flag keeps the anchors as written', () => {
    expect(tidyAnchors(new Set('m'), String.raw`\A(?:^a(?:$|\n\z))`)).toBe(String.raw`\A(?:^a(?:$|\n\z))`);
  });
  it('plainGroups leaves a group that a quantifier follows or that holds a |', () => {
    expect(plainGroups('(?:a)(?:b){2}(?:c|d)(?:e)')).toBe('a(?:b){2}(?:c|d)e');
  });
});
