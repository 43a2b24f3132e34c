/**
 * Issue 14: YARA-L queries no longer than they need, each shortening the same test as read back by the
 * YARA-L evaluator (src/proof/yaral): a set of exact values says the text its values share once
 * (`factorAffixes`), a case-insensitive list is one regex carrying `nocase` (yaral/printer.ts `inList`),
 * a glob's `\A(?:.*X.*)\z` is the search `X` (`globAnchors`, through `tidyRegexes`), and
 * `allow_zero_values` is left out where a statement fixes every match variable's field (`neverZero`).
 */
import { describe, expect, it } from 'vitest';
import type { UdmEvent, UdmNode } from '../src/mapping/project/yaral.js';
import { Refusal } from '../src/proof/types.js';
import { compileYaral } from '../src/proof/yaral/index.js';
import { or, printOut, text } from '../src/targets/common/out.js';
import { yaralReText, yaralRegexLiteral } from '../src/targets/yaral/escape.js';
import { neverZero } from '../src/targets/yaral/index.js';
import { factorAffixes, regexLiterals, tidyRegexes } from '../src/targets/yaral/tidy.js';

const SYN = { and: ' and ', or: ' or ', true: 'true', false: 'false', parenthesiseAll: true };
const f = '$e.principal.hostname';
const ev = (v: string): UdmEvent => ({ logType: 'test', root: new Map<string, UdmNode>([['principal', new Map<string, UdmNode>([['hostname', v]])]]), casingSkipped: [] });
const yrule = (events: string, extra = '', condition = '$e') => `rule t {\n  meta:\n    author = "x"\n  events:\n    ${events.split('\n').join('\n    ')}\n${extra}\n  condition:\n    ${condition}\n}\n`;
const tidy = (s: string): string => printOut(regexLiterals(tidyRegexes(text(s))), SYN);

/** The two events sections decide alike on every value (and the first is not constant on them). */
function sameOn(a: string, b: string, values: string[]): void {
  const A = compileYaral(yrule(a));
  const B = compileYaral(yrule(b));
  const got = values.map((v) => A.matches(ev(v)));
  for (const [i, v] of values.entries()) expect(B.matches(ev(v)), `${a} | ${b} | ${JSON.stringify(v)}`).toBe(got[i]);
  expect(got).toContain(true);
  expect(got).toContain(false);
}

/** The values, their pieces, neighbours and line breaks: where a wrong factoring would show. */
function around(values: string[]): string[] {
  const out = new Set<string>(['', 'x', '\n']);
  for (const v of values) {
    for (const w of [v, v.toUpperCase(), `${v}x`, `x${v}`, `${v}\n`, `\n${v}`, `${v}\nx`, v.slice(1), v.slice(0, -1)]) out.add(w);
    for (const u of values) out.add(v.slice(0, Math.ceil(v.length / 2)) + u.slice(Math.ceil(u.length / 2)));
  }
  return [...out];
}

describe('YARA-L: the text a set of exact values shares, said once', () => {
  it('a prefix or suffix cut at a word boundary', () => {
    expect(factorAffixes('^(?:GetAccountPasswordPolicy|PutAccountPasswordPolicy|UpdateAccountPasswordPolicy)$')).toBe('^(?:Get|Put|Update)AccountPasswordPolicy$');
    expect(factorAffixes('^(?:ec2messages\\.amazonaws\\.com|ssm\\.amazonaws\\.com)$')).toBe('^(?:ec2messages|ssm)\\.amazonaws\\.com$');
    expect(factorAffixes('^(?:user\\.mfa\\.factor\\.deactivate|user\\.mfa\\.factor\\.suspend)$')).toBe('^user\\.mfa\\.factor\\.(?:deactivate|suspend)$');
    // prefixes of a value (no end anchor) likewise
    expect(factorAffixes('^(?:arn:aws:iam::a|arn:aws:iam::b)')).toBe('^arn:aws:iam::(?:a|b)');
  });

  it('left as it is: no word boundary, a lone separator, an affix that is a whole value, one value, not a literal set', () => {
    for (const body of [
      '^(?:11111111111111|112233445566)$',
      '^(?:eks:|system:)',
      '^(?:GetParameter|GetParameters)$',
      '^(?:abc)$',
      '^(?:ab.c|ab.d)$',
      '^(?:Get|Put)AccountPasswordPolicy$',
      'xGetA|xGetB',
    ])
      expect(factorAffixes(body), body).toBe(body);
  });

  it('the evaluator decides the factored regex as the set, with and without (?s), on values, neighbours and line breaks', () => {
    const sets = [
      ['GetAccountPasswordPolicy', 'PutAccountPasswordPolicy', 'UpdateAccountPasswordPolicy'],
      ['cloudtrail.amazonaws.com', 'ec2.amazonaws.com', 's3.amazonaws.com'],
      ['microsoft.network/a/delete', 'microsoft.network/a/write', 'microsoft.network/b/join/action'],
      ['CreateLoginProfile', 'DeleteLoginProfile'],
    ];
    const esc = yaralReText;
    for (const set of sets) {
      for (const end of [true, false]) {
        const body = `^(?:${set.map(esc).join('|')})${end ? '$' : ''}`;
        const short = factorAffixes(body);
        expect(short.length, body).toBeLessThan(body.length);
        for (const flags of ['(?s)', '']) sameOn(`${f} = ${yaralRegexLiteral(flags + body)}`, `${f} = ${yaralRegexLiteral(flags + short)}`, around(set));
      }
    }
  });

  it('tidyRegexes writes it last, after the values of a junction are joined (2c.)', () => {
    const o = or(text(`${f} = "CreateLoginProfile"`), text(`re.regex(${f}, \`(?s)^(?:DeleteLoginProfile|UpdateLoginProfile)$\`)`));
    expect(printOut(regexLiterals(tidyRegexes(o)), SYN)).toBe(`${f} = /(?s)^(?:Create|Delete|Update)LoginProfile$/`);
  });
});

describe('YARA-L: a case-insensitive list as one regex with nocase', () => {
  it('nocase equalities join a nocase regex of exact values; case-sensitive ones do not', () => {
    const o = or(text(`${f} = "abc-host" nocase`), text(`re.regex(${f}, \`(?s)^(?:def-host|ghi-host)$\`) nocase`));
    expect(printOut(regexLiterals(tidyRegexes(o)), SYN)).toBe(`${f} = /(?s)^(?:abc|def|ghi)-host$/ nocase`);
    const mixed = or(text(`${f} = "abc-host"`), text(`re.regex(${f}, \`(?s)^(?:def-host|ghi-host)$\`) nocase`));
    expect(printOut(regexLiterals(tidyRegexes(mixed)), SYN)).toBe(`${f} = "abc-host" or ${f} = /(?s)^(?:def|ghi)-host$/ nocase`);
    // a nocase regex is never joined with a case-sensitive one on the same field
    const two = or(text(`re.regex(${f}, \`^a\`)`), text(`re.regex(${f}, \`^b\`) nocase`));
    expect(printOut(regexLiterals(tidyRegexes(two)), SYN)).toBe(`${f} = /^a/ or ${f} = /^b/ nocase`);
  });

  it('the evaluator reads the regex as the nocase equalities, and refuses non-ASCII cased text as it does for them', () => {
    const values = ['abc-host', 'ABC-HOST', 'Def-Host', 'ghi-host\n', 'abc', 'xabc-host', 'ghi-hosts'];
    sameOn(`(${f} = "abc-host" nocase or ${f} = "def-host" nocase or ${f} = "ghi-host" nocase)`, `${f} = /(?s)^(?:abc|def|ghi)-host$/ nocase`, values);
    const re = compileYaral(yrule(`${f} = /(?s)^(?:abc|def)-host$/ nocase`));
    // U+017F folds to s in RE2's (?i), not in Python's lower(); the Kelvin sign K folds to k in both
    expect(() => re.matches(ev('abc-ho\u017ft'))).toThrow(Refusal);
    expect(() => re.matches(ev('\u212aey'))).toThrow(Refusal);
    // uncased non-ASCII text is read
    expect(re.matches(ev('abc-host\u4e2d'))).toBe(false);
    expect(re.matches(ev('ABC-host'))).toBe(true);
  });
});

describe('YARA-L: a glob regex as the search it is', () => {
  it('\\A(?:X)\\z is ^X$, and under (?s) a leading ^.* and trailing .*$ go', () => {
    expect(tidy(`re.regex(${f}, \`(?s)\\A(?:.* HashiCorp/.\\.0 Terraform/.*)\\z\`)`)).toBe(`${f} = /(?s) HashiCorp\\/.\\.0 Terraform\\//`);
    expect(tidy(`re.regex(${f}, \`(?s)\\A(?:macie.*\\.amazonaws\\.com)\\z\`)`)).toBe(`${f} = /(?s)^macie.*\\.amazonaws\\.com$/`);
    expect(tidy(`not re.regex(${f}, \`(?s)\\A(?:REST\\..*\\.OBJECT)\\z\`)`)).toBe(`not (${f} = /(?s)^REST\\..*\\.OBJECT$/)`);
    // a prefix test: no newline in the pattern, so (?s) goes too (3.)
    expect(tidy(`re.regex(${f}, \`(?s)\\A(?:abc.*)\\z\`)`)).toBe(`${f} = /^abc/`);
  });

  it('left alone: without (?s) the .* stay, a top-level alternation, groups that do not span, (?m), only .*', () => {
    expect(tidy(`re.regex(${f}, \`\\A(?:.*abc.*)\\z\`)`)).toBe(`${f} = /^.*abc.*$/`);
    expect(tidy(`re.regex(${f}, \`(?ms)\\A(?:.*a)\\z\`)`)).toBe(`${f} = /(?ms)\\A(?:.*a)\\z/`);
    // the others keep their .* and are written with their anchors once (3d., yaral.literals.test.ts)
    for (const [re, want] of [
      ['(?s)\\A(?:a)|\\A(?:b)\\z', '(?s)^a|^b$'],
      ['(?s)\\A(?:a)(?:b)\\z', '(?s)^ab$'],
      ['(?s)\\A(?:.*)\\z', '(?s)^.*$'],
      ['(?s)\\A(?:a|b.*)\\z', '(?s)^(?:a|b.*)$'],
    ])
      expect(tidy(`re.regex(${f}, \`${re}\`)`), re).toBe(`${f} = /${want}/`);
  });

  it('the evaluator decides alike on values with line breaks', () => {
    const values = [' HashiCorp/1.0 Terraform/', 'x HashiCorp/1.0 Terraform/y', 'a\n HashiCorp/1.0 Terraform/\nb', ' HashiCorp/\n.0 Terraform/', 'HashiCorp/1.0 Terraform/', ''];
    for (const [a, b] of [
      ['(?s)\\A(?:.* HashiCorp\\/.\\.0 Terraform\\/.*)\\z', '(?s) HashiCorp\\/.\\.0 Terraform\\/'],
      ['(?s)\\A(?:.* HashiCorp\\/.*)\\z', '(?s) HashiCorp\\/'],
      ['(?s)\\A(?:.*Terraform\\/)\\z', '(?s)Terraform\\/$'],
      ['(?s)\\A(?: HashiCorp.*)\\z', '^ HashiCorp'],
      ['\\A(?:.*Terraform.*)\\z', '^.*Terraform.*$'],
    ] as const)
      sameOn(`${f} = /${a}/`, `${f} = /${b}/`, values);
  });
});

describe('YARA-L: allow_zero_values only where a match variable can be zero', () => {
  const events = ['$e.metadata.log_type = "AWS_CLOUDTRAIL"', '$e.principal.user.userid != ""', '$e.principal.hostname = /x/', '$e.principal.ip = "1.2.3.4"', '($e.target.hostname = "a" or $e.target.hostname = "b")'];
  it('a field a statement fixes to a non-empty string, or to anything but ""', () => {
    expect(neverZero('$e.metadata.log_type', events)).toBe(true);
    expect(neverZero('$e.principal.user.userid', events)).toBe(true);
    // a regex, a repeated field, a statement of an `or`, a field no statement fixes: kept
    for (const k of ['$e.principal.hostname', '$e.principal.ip', '$e.target.hostname', '$e.additional.fields["x"]']) expect(neverZero(k, events), k).toBe(false);
    expect(neverZero('$e.metadata.log_type', ['$e.metadata.log_type_x = "a"'])).toBe(false);
  });

  it('the evaluator keeps the same events with and without the option there', () => {
    const body = '$e.metadata.product_event_type = "x"\n$k = $e.metadata.product_event_type';
    const match = '  match:\n    $k over 30m\n';
    const opt = (s: string) => s.replace(/\}\n$/, '  options:\n    allow_zero_values = true\n}\n');
    const without = compileYaral(yrule(body, match, '#e >= 10'));
    const withOpt = compileYaral(opt(yrule(body, match, '#e >= 10')));
    const mk = (t: string): UdmEvent => ({ logType: 'test', root: new Map<string, UdmNode>([['metadata', new Map<string, UdmNode>([['product_event_type', t]])]]), casingSkipped: [] });
    for (const t of ['x', '', 'y']) expect(without.matches(mk(t)), t).toBe(withOpt.matches(mk(t)));
    expect(without.matches(mk('x'))).toBe(true);
    // not vacuous: where no statement fixes the field, the option decides
    const free = '$e.metadata.product_event_type = "x"\n$k = $e.principal.hostname';
    const ev2: UdmEvent = mk('x');
    expect(compileYaral(yrule(free, match, '#e >= 10')).matches(ev2)).toBe(false);
    expect(compileYaral(opt(yrule(free, match, '#e >= 10'))).matches(ev2)).toBe(true);
  });
});
