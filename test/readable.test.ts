/**
 * Issue 14, readable queries: no Sigma or YARA-L query writes the same test twice, and YARA-L queries
 * say no more than they need to. Each mechanism is checked on its own and read back by the target's
 * evaluator.
 */
import { describe, expect, it } from 'vitest';
import { layout, type SCond } from '../src/targets/sigma/printer.js';

const sel = (items: [string, string[]][], hint = items.map(([k]) => k.split('|')[0]).join('+')): SCond => ({ k: 'sel', sel: { kind: 'map', items: items.map(([key, values]) => ({ key, values })) }, hint });
const empty = (f: string): SCond => ({ k: 'sel', sel: { kind: 'list', maps: [[{ key: f, values: ['null'] }], [{ key: f, values: ["''"] }]] }, hint: `${f}_empty` });
const not = (arg: SCond): SCond => ({ k: 'not', arg });
const and = (...args: SCond[]): SCond => ({ k: 'and', args });
const or = (...args: SCond[]): SCond => ({ k: 'or', args });

/** Every item of every selection, as `key: values`. */
const items = (d: ReturnType<typeof layout>): string[] => d.blocks.flatMap((b) => b.lines.filter((l) => !/^\s*- (?![^:]+: )/.test(l) || /^- \S+: /.test(l)).map((l) => l.replace(/^- /, '').trim()));

describe('Sigma: every selection and every item written once', () => {
  it('the same selection in several places of the condition is one search identifier, named again', () => {
    const d = layout(and(sel([['a|cased', ['x']]]), or(and(empty('b'), sel([['c', ['1']]])), and(not(empty('b')), sel([['d', ['2']]])))));
    expect(d.blocks.map((b) => b.name)).toEqual(['selection_a', 'selection_b_empty', 'selection_c', 'selection_d']);
    expect(d.condition).toBe('selection_a and (selection_b_empty and selection_c or not selection_b_empty and selection_d)');
  });

  it('named once, a selection and its negation are complements: what the context decides is left out', () => {
    // not B or (C and B) is not B or C; E and (not F or F) is E
    expect(layout(and(sel([['a|cased', ['x']]]), or(not(empty('b')), and(sel([['c', ['1']]]), empty('b'))))).condition).toBe('selection_a and (not filter_b_empty or selection_c)');
    const d = layout(and(sel([['e', ['1']]]), or(not(empty('f')), empty('f'))));
    expect(d.condition).toBe('selection_e');
    expect(d.blocks.map((b) => b.name)).toEqual(['selection_e']);
    // a condition decided whole is said by its first selection, `s or not s` (Sigma has no `true`); the others go
    expect(layout(or(not(empty('f')), empty('f'))).condition).toBe('selection_f_empty or not selection_f_empty');
    const t = layout(or(not(empty('f')), empty('f'), sel([['g|startswith', ['x']]])));
    expect(t.condition).toBe('selection_f_empty or not selection_f_empty');
    expect(t.blocks.map((b) => b.name)).toEqual(['selection_f_empty']);
    expect(layout(and(not(empty('f')), empty('f'), sel([['g|startswith', ['x']]]))).condition).toBe('selection_f_empty and not selection_f_empty');
  });

  it('an item two selections hold becomes its own selection, which each of them names', () => {
    // {endpoint, user} next to {endpoint}: endpoint is written once
    const ep: [string, string[]] = ['requestParams.endpoint|cased', ['p', 'r']];
    const d = layout(or(and(sel([ep]), not(sel([['a', ['1']]]))), and(sel([ep, ['requestParams.user|contains', ['admin']]]), sel([['b', ['2']]]))));
    expect(d.condition).toBe('selection_endpoint and not filter_a or selection_endpoint and selection_user_b');
    const all = items(d);
    expect(new Set(all).size).toBe(all.length);
  });

  it('a list selection holding a shared item: its maps read as an or', () => {
    // `x: null` is both the missing-guard of a test and half of the empty test of x
    const d = layout(and(or(sel([['x', ['null']]], 'x_missing'), sel([['x|contains|cased', ['a']]])), not(empty('x'))));
    // not [{x: null}, {x: ''}] reads `not x_missing and not x_blank`, and x_missing is then decided
    expect(d.condition).toBe('selection_x and not filter_x_missing and not filter_x_blank');
    expect(d.blocks.find((b) => b.name === 'filter_x_blank')?.lines).toEqual(["x: ''"]);
    const all = items(d);
    expect(new Set(all).size).toBe(all.length);
  });

  it('not x: a and not x: b is one selection of a list of values, negated; an item named elsewhere stays apart', () => {
    const d = layout(and(sel([['a|cased', ['x']]]), not(sel([['u|startswith|cased', ['p']]])), not(sel([['u|startswith|cased', ['q', 'r']]])), not(sel([['v|re', ['z']]]))));
    expect(d.condition).toBe('selection_a and not filter_u and not filter_v');
    expect(d.blocks.find((b) => b.name === 'filter_u')?.lines).toEqual(['u|startswith|cased:', '  - p', '  - q', '  - r']);
    // `u: p` is also tested positively elsewhere: the two negations stay two selections, the first shared
    const e = layout(or(and(sel([['a|cased', ['x']]]), not(sel([['u|cased', ['p']]])), not(sel([['u|cased', ['q']]]))), and(sel([['b|cased', ['y']]]), sel([['u|cased', ['p']]]))));
    expect(e.condition).toBe('selection_a and not filter_u and not filter_u_2 or selection_b and filter_u');
    const all = items(e);
    expect(new Set(all).size).toBe(all.length);
  });

  it('nothing shared: the layout is as before (merged maps, value lists)', () => {
    const d = layout(and(sel([['a|cased', ['x']]]), sel([['b|cased', ['y']]]), or(sel([['c|cased', ['1']]]), sel([['c|cased', ['2']]]))));
    expect(d.condition).toBe('selection_a_b_c');
    expect(d.blocks[0]!.lines).toEqual(['a|cased: x', 'b|cased: y', 'c|cased:', '  - 1', '  - 2']);
  });
});

// ---------------------------------------------------------------------------------------------
// YARA-L

import { UdmUnknown, type UdmEvent, type UdmNode } from '../src/mapping/project/yaral.js';
import { and as oand, or as oor, printOut, text, type Out } from '../src/targets/common/out.js';
import { simplifyInContext } from '../src/targets/common/outctx.js';
import { compileYaral } from '../src/proof/yaral/index.js';
import { firstLineSafe, joinChoices, scalarField, tidyRegexes, yaralReading, YARAL_READING } from '../src/targets/yaral/tidy.js';
import { matchesNonEmptyOnly } from '../src/targets/common/rejoin.js';

function udm(o: Record<string, unknown>): UdmEvent {
  const conv = (v: unknown): UdmNode =>
    v instanceof UdmUnknown ? v : Array.isArray(v) ? v.map(conv) : v !== null && typeof v === 'object' ? new Map(Object.entries(v).map(([k, x]) => [k, conv(x)])) : (v as UdmNode);
  return { logType: 'test', root: conv(o) as Map<string, UdmNode>, casingSkipped: [] };
}
const yrule = (events: string) => `rule t {\n  meta:\n    author = "x"\n  events:\n    ${events}\n  condition:\n    $e\n}\n`;
const SYN = { and: ' and ', or: ' or ', true: 'true', false: 'false', parenthesiseAll: true };
const t = text;
const yl = (o: Out): string => printOut(tidyRegexes(simplifyInContext(o, YARAL_READING, { and: oand, or: oor })), SYN);

/** Both texts decide the same on every event. */
function sameOn(a: string, b: string, events: UdmEvent[]): void {
  const A = compileYaral(yrule(a));
  const B = compileYaral(yrule(b));
  for (const ev of events) expect(B.matches(ev), JSON.stringify([...ev.root])).toBe(A.matches(ev));
}

/** Repeated principal.ip values: none, one, several (each element a copy of the event). */
const IPS: string[][] = [[], [''], ['1.2.3.4'], ['10.0.0.1'], ['192.168.0.1'], ['1.2.3.4', '10.0.0.1'], ['10.0.0.1', '192.168.0.1'], ['8.8.8.8', '1.2.3.4'], ['', '10.0.0.1']];
const VALUES = ['', 'Describe', 'DescribeX', 'Get', 'xGet', 'List\nGet', 'Get\nx', 'ListBuckets', 'a/b', 'x\n/y', 'serviceaccount', 'system:x', 'system:serviceaccount'];

describe('YARA-L: a test said once', () => {
  it('regexes on one field are joined; prefixes share their anchor', () => {
    const f = '$e.metadata.product_event_type';
    const o = oor(t(`re.regex(${f}, \`(?s)^Describe\`)`), t(`re.regex(${f}, \`(?s)^Get\`)`), t(`re.regex(${f}, \`(?s)^List\`)`));
    const s = yl(o);
    expect(s).toBe(`re.regex(${f}, \`^(?:Describe|Get|List)\`)`);
    sameOn(printOut(o, SYN), s, VALUES.map((v) => udm({ metadata: { product_event_type: v } })));
    // unanchored bodies: an alternation, (?s) kept
    const c = oor(t(`re.regex(${f}, \`(?s)/\`)`), t(`re.regex(${f}, \`(?s)^Get\`)`));
    expect(yl(c)).toBe(`re.regex(${f}, \`(?s)/|^Get\`)`);
    sameOn(printOut(c, SYN), yl(c), VALUES.map((v) => udm({ metadata: { product_event_type: v } })));
  });

  it('negated regexes on one field are joined in an and, on a repeated field too (each element is a copy of the event)', () => {
    const u = '$e.principal.user.user_display_name';
    const o = oand(t(`not re.regex(${u}, \`(?s)^system:\`)`), t(`not re.regex(${u}, \`(?s)serviceaccount\`)`));
    expect(yl(o)).toBe(`not re.regex(${u}, \`(?s)^system:|serviceaccount\`)`);
    sameOn(printOut(o, SYN), yl(o), VALUES.map((v) => udm({ principal: { user: { user_display_name: v } } })));
    expect(scalarField('$e.principal.ip')).toBe(false);
    const r = oand(t('not re.regex($e.principal.ip, `(?s)^10\\.`)'), t('not re.regex($e.principal.ip, `(?s)^192\\.`)'));
    expect(yl(r)).toBe('not re.regex($e.principal.ip, `^(?:10\\.|192\\.)`)');
    // an event matches when one element (one copy) satisfies the whole section: both texts keep the same events
    sameOn(printOut(r, SYN), yl(r), IPS.map((ip) => udm({ principal: { ip } })));
    // per copy, not "no element matches": [10.x, 8.8.8.8] matches, through its second element
    expect(compileYaral(yrule(yl(r))).matches(udm({ principal: { ip: ['10.0.0.1', '8.8.8.8'] } }))).toBe(true);
  });

  it('a test and its negation are complements, on a scalar field and, per copy, on a repeated one', () => {
    const k = '$e.additional.fields["key"]';
    // A or (B and not A) is A or B
    const o = oor(t(`re.regex(${k}, \`(?s)/\`)`), oand(t(`re.regex(${k}, \`(?s)\\.txt\`)`), t(`not re.regex(${k}, \`(?s)/\`)`)));
    expect(yl(o)).toBe(`re.regex(${k}, \`(?s)/|\\.txt\`)`);
    const ev = ['a/b', 'x.txt', 'x\n.txt', 'y', ''].map((v) => udm({ additional: { fields: { key: v } } }));
    sameOn(printOut(o, SYN), yl(o), ev);
    // != is the negation of =
    const e = oand(t('$e.target.url != ""'), oor(t('$e.target.url = ""'), t('$e.network.http.method = "list"')));
    expect(yl(e)).toBe('$e.target.url != "" and $e.network.http.method = "list"');
    const both = IPS.flatMap((v) => ['list', 'get'].map((m) => udm({ principal: { ip: v }, network: { http: { method: m } } })));
    const ip = oor(t('$e.principal.ip = "1.2.3.4"'), oand(t('$e.principal.ip != "1.2.3.4"'), t('$e.network.http.method = "list"')));
    expect(yl(ip)).toBe('$e.principal.ip = "1.2.3.4" or $e.network.http.method = "list"');
    sameOn(printOut(ip, SYN), yl(ip), both);
    // A and (B or not A) is A and B: the copy holding A holds B beside it
    const a = oand(t('re.regex($e.principal.ip, `^10\\.`)'), oor(t('not re.regex($e.principal.ip, `^10\\.`)'), t('$e.network.http.method = "list"')));
    expect(yl(a)).toBe('re.regex($e.principal.ip, `^10\\.`) and $e.network.http.method = "list"');
    sameOn(printOut(a, SYN), yl(a), both);
  });

  it('(?s) is left out only where the first-line rule cannot change the answer', () => {
    expect(firstLineSafe('', '^Describe')).toBe(true);
    expect(firstLineSafe('(?i)', '^aws-internal/3')).toBe(true);
    expect(firstLineSafe('', '^(?:a|b)[^\\n]*x')).toBe(true);
    for (const body of ['Describe', '^a$', '^a.b', '^a\\sb', '^a|b', '^[^x]', '^a(?s:.)', '^a\\x0a', '^[\\x00-\\x1f]', '^a\\pZ']) expect(firstLineSafe('', body), body).toBe(false);
    expect(firstLineSafe('(?m)', '^a')).toBe(false);
    const f = '$e.principal.hostname';
    for (const [withS, without] of [['(?s)^ab', '^ab'], ['(?s)^a[^\\n]*b', '^a[^\\n]*b']]) {
      sameOn(`re.regex(${f}, \`${withS}\`)`, `re.regex(${f}, \`${without}\`)`, ['ab', 'abc', 'x\nab', 'ab\nx', 'a\nb', 'a b', ''].map((v) => udm({ principal: { hostname: v } })));
    }
  });
});

describe('YARA-L outcomes', () => {
  it('a rule without match writes a field that is not repeated as is; a threshold aggregates every outcome', async () => {
    const fs = await import('node:fs');
    const one = fs.readFileSync(new URL('../out/yaral/aws_cloudtrail/aws_kms_cmk_loss.yaral', import.meta.url), 'utf8');
    expect(one).toContain('$eventName = $e.metadata.product_event_type');
    expect(one).toContain('$sourceIPAddress = array_distinct($e.principal.ip)');
    const agg = fs.readFileSync(new URL('../out/yaral/aws_cloudtrail/aws_repeated_access_denied.yaral', import.meta.url), 'utf8');
    expect(agg).toMatch(/\n {2}match:\n/);
    expect(agg.slice(agg.indexOf('outcome:'))).not.toMatch(/ = \$e\./);
  });
});

describe('YARA-L: an empty field matches no regex that needs a character', () => {
  const ylc = (o: Out): string => printOut(tidyRegexes(simplifyInContext(o, yaralReading(o), { and: oand, or: oor })), SYN);
  const u = '$e.principal.user.user_display_name';
  const vals = ['', 'system:x', 'system:serviceaccount:x', 'eks:a', 'aksService', 'x', 'serviceaccount'];
  const evs = vals.map((v) => udm({ principal: { user: { user_display_name: v } } }));

  it('reads which bodies match no empty value', () => {
    for (const b of ['^system:', 'a', '^(?:eks:|system:)', '^(?:(?:aksService|masterclient)$|\\.iam|azure-)', '[a-z]+', '\\d', '.x', 'ab?', '(?i:x)y']) expect(matchesNonEmptyOnly(b), b).toBe(true);
    for (const b of ['', '^', '^$', 'a?', 'a*b', '[a-z]*', '(?:a|)', 'a|', '\\b', '(?=a)a', 'x{0,2}', '$']) expect(matchesNonEmptyOnly(b), b).toBe(false);
  });

  it('`X or f = ""` is X when f = "" makes X true; the texts decide alike', () => {
    const X = oand(oor(t(`re.regex(${u}, \`(?s)serviceaccount\`)`), t(`not re.regex(${u}, \`^system:\`)`)), t(`not re.regex(${u}, \`^eks:\`)`));
    const o = oor(X, t(`${u} = ""`));
    const s = ylc(o);
    expect(s).toBe(printOut(X, SYN));
    sameOn(printOut(o, SYN), s, evs);
  });

  it('and stays where f = "" does not decide the other operand', () => {
    // a regex that matches the empty value: not implied false
    const a = oor(t(`not re.regex(${u}, \`^x*\`)`), t(`${u} = ""`));
    expect(ylc(a)).toBe(printOut(a, SYN));
    // another field
    const b = oor(t(`not re.regex(${u}, \`^eks:\`)`), t('$e.principal.hostname = ""'));
    expect(ylc(b)).toBe(printOut(b, SYN));
    // with YARAL_READING (no regexes known), nothing is dropped
    const c = oor(t(`not re.regex(${u}, \`^eks:\`)`), t(`${u} = ""`));
    expect(printOut(simplifyInContext(c, YARAL_READING, { and: oand, or: oor }), SYN)).toBe(printOut(c, SYN));
    expect(ylc(c)).toBe(`not re.regex(${u}, \`^eks:\`)`);
    sameOn(printOut(c, SYN), ylc(c), evs);
  });

  it('two literals that imply each other: one of them stays', () => {
    const f = '$e.target.hostname';
    const o = oor(t(`${f} = "a"`), t(`${f} = "a"`), t(`re.regex(${u}, \`^eks:\`)`));
    expect(ylc(o)).toBe(`${f} = "a" or re.regex(${u}, \`^eks:\`)`);
  });
});

describe('YARA-L: what is not joined', () => {
  it('bodies with named groups, and regexes with different flags, stay apart', () => {
    const f = '$e.target.url';
    const o = oor(t(`re.regex(${f}, \`(?s)(?P<a>x)y\`)`), t(`re.regex(${f}, \`(?s)(?P<a>x)z\`)`), t(`re.regex(${f}, \`(?s)(?i)w\`)`));
    expect(yl(o)).toBe(`re.regex(${f}, \`(?s)(?P<a>x)y\`) or re.regex(${f}, \`(?s)(?P<a>x)z\`) or re.regex(${f}, \`(?is)w\`)`);
  });
});

describe('YARA-L: a choice on one test', () => {
  const pipe = (o: Out): string => printOut(tidyRegexes(joinChoices(simplifyInContext(o, yaralReading(o), { and: oand, or: oor }))), SYN);
  const n = '$e.additional.fields["name"]';
  const ty = '$e.additional.fields["type"]';
  const L = t(`re.regex(${n}, \`(?s)logged_in_users\`)`);
  const notL = t(`not re.regex(${n}, \`(?s)logged_in_users\`)`);
  const A = t(`${ty} = "user"`);
  const B = t(`re.regex(${n}, \`(?s)last\`)`);
  const events = ['logged_in_users', 'last', 'last logged_in_users', 'x', '', 'a\nlast'].flatMap((v) => ['user', 'system'].map((k) => udm({ additional: { fields: { name: v, type: k } } })));

  it('(L and A) or (not L and B) is (not L or A) and (L or B) where L joins B: L is written once', () => {
    const o = oor(oand(A, L), oand(B, notL));
    const s = pipe(o);
    expect(s).toBe(`(not re.regex(${n}, \`(?s)logged_in_users\`) or ${ty} = "user") and re.regex(${n}, \`(?s)logged_in_users|last\`)`);
    sameOn(printOut(o, SYN), s, events);
    // the order of the operands does not change the form
    expect(pipe(oor(oand(notL, B), oand(L, A)))).toBe(s);
  });

  it('L negated in the first operand: its positive form joins the regex of the other side', () => {
    // (not L and B') or (L and A'), B' a regex of the field: (L or B') and (not L or A')
    const Bx = t(`re.regex(${n}, \`(?s)^x\`)`);
    const o = oor(oand(notL, Bx), oand(L, A));
    const s = pipe(o);
    expect(s).toBe(`(not re.regex(${n}, \`(?s)logged_in_users\`) or ${ty} = "user") and re.regex(${n}, \`(?s)logged_in_users|^x\`)`);
    sameOn(printOut(o, SYN), s, [...events, ...['xy', 'x logged_in_users'].map((v) => udm({ additional: { fields: { name: v, type: 'system' } } }))]);
  });

  it('on a repeated field, per copy', () => {
    const ip = (re: string, neg = false) => t(`${neg ? 'not ' : ''}re.regex($e.principal.ip, \`${re}\`)`);
    const m = (v: string) => t(`$e.network.http.method = "${v}"`);
    const o = oor(oand(ip('^10\\.'), m('list')), oand(ip('^10\\.', true), ip('^192\\.')));
    const s = pipe(o);
    expect(s).toBe('(not re.regex($e.principal.ip, `^10\\.`) or $e.network.http.method = "list") and re.regex($e.principal.ip, `^(?:10\\.|192\\.)`)');
    sameOn(printOut(o, SYN), s, IPS.flatMap((v) => ['list', 'get'].map((x) => udm({ principal: { ip: v }, network: { http: { method: x } } }))));
  });

  it('left as it was where nothing joins (the choice is no shorter)', () => {
    const o = oor(oand(A, L), oand(t(`${ty} = "system"`), notL));
    expect(pipe(o)).toBe(printOut(o, SYN));
    // B holds two tests: L or (B1 and B2) joins nothing
    const p = oor(oand(A, L), oand(B, t(`${ty} = "system"`), notL));
    expect(pipe(p)).toBe(printOut(tidyRegexes(p), SYN));
  });
});

describe('YARA-L: an empty repeated field matches no regex that needs a character', () => {
  it('`f = "" or not re.regex(f, R)` is `not re.regex(f, R)` on a repeated field, per copy', () => {
    const o = oor(t('$e.principal.ip = ""'), t('not re.regex($e.principal.ip, `^10\\.`)'));
    const s = printOut(tidyRegexes(simplifyInContext(o, yaralReading(o), { and: oand, or: oor })), SYN);
    expect(s).toBe('not re.regex($e.principal.ip, `^10\\.`)');
    sameOn(printOut(o, SYN), s, IPS.map((ip) => udm({ principal: { ip } })));
  });
});
