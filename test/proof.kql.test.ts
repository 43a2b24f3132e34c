import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json, RuleTest } from '../src/ast/types.js';
import { ruleMapper } from '../src/mapping/custom.js';
import { loadMappings } from '../src/mapping/load.js';
import type { KqlEvent } from '../src/mapping/project/kql.js';
import { liftFile, proveRule } from '../src/pipeline.js';
import { kqlProof } from '../src/proof/kql/index.js';
import { Refusal } from '../src/proof/types.js';
import { refusal } from './support.js';

const mapper = loadMappings();

/** One row of table T with the given typed columns. */
function row(cols: Record<string, [string, Json]>): KqlEvent {
  const columns: Record<string, Json> = {};
  const types: Record<string, string> = {};
  for (const [c, [t, v]] of Object.entries(cols)) {
    columns[c] = v;
    types[c] = t;
  }
  return { tables: ['T'], columns, types, tableColumns: {} };
}

const EMPTY = row({ s: ['string', ''], n: ['long', null], d: ['dynamic', null], b: ['bool', null] });

/** Does `T | where <pred>` keep the row? */
function where(pred: string, ev: KqlEvent = EMPTY): boolean {
  return kqlProof.compile(`T\n| where ${pred}`, 'kql').matches(ev);
}


describe('KQL evaluator: string operators (learn.microsoft.com/kusto/query/datatypes-string-operators)', () => {
  // the examples of the operator table ("Example (yields true)")
  it.each([
    ['"aBc" == "aBc"'],
    ['"abc" != "ABC"'],
    ['"abc" =~ "ABC"'],
    ['"aBc" !~ "xyz"'],
    ['"FabriKam" contains "BRik"'],
    ['"Fabrikam" !contains "xyz"'],
    ['"FabriKam" contains_cs "Kam"'],
    ['"Fabrikam" !contains_cs "Kam"'],
    ['"Fabrikam" endswith "Kam"'],
    ['"Fabrikam" !endswith "brik"'],
    ['"Fabrikam" endswith_cs "kam"'],
    ['"Fabrikam" !endswith_cs "brik"'],
    ['"North America" has "america"'],
    ['"North America" !has "amer"'],
    ['"Fabrikam" startswith "fab"'],
    ['"Fabrikam" !startswith "kam"'],
    ['"Fabrikam" startswith_cs "Fab"'],
    ['"fabrikam" !startswith_cs "Kam"'],
    ['"abc" in ("123", "345", "abc")'],
    ['"bca" !in ("123", "345", "abc")'],
    ['"abc" in~ ("123", "345", "ABC")'],
    ['"bCa" !in~ ("123", "345", "ABC")'],
    ['"Fabrikam" matches regex "b.*k"'],
  ])('%s', (p) => {
    expect(where(p)).toBe(true);
  });

  it('case-insensitive operators fold ASCII only', () => {
    expect(where('"ÄBC" =~ "äbc"')).toBe(false);
    expect(where('"ABC" =~ "abc"')).toBe(true);
    expect(where('"STRASSE" contains "straße"')).toBe(false);
    expect(where('"Éclair" in~ ("éclair")')).toBe(false);
    expect(where('"Éclair" in~ ("ÉCLAIR")')).toBe(true);
  });

  it('has matches whole terms (maximal alphanumeric runs)', () => {
    const ev = row({ s: ['string', 'Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun'] });
    expect(where('s has "kusto"', ev)).toBe(true);
    expect(where('s has "c1db"', ev)).toBe(true);
    expect(where('s has "KustoExplorerQueryRun"', ev)).toBe(true);
    expect(where('s has "Explorer"', ev)).toBe(false);
    expect(where('s has "ad67"', ev)).toBe(false);
    expect(where('s contains "Explorer"', ev)).toBe(true);
  });

  it('in/!in are case-sensitive; a dynamic array in the list contributes its elements', () => {
    const ev = row({ s: ['string', 'Abc'] });
    expect(where('s in ("abc")', ev)).toBe(false);
    expect(where('s !in ("abc")', ev)).toBe(true);
    expect(where('s in (dynamic(["x", "Abc"]))', ev)).toBe(true);
  });

  it('matches regex is an unanchored RE2 search, case-sensitive', () => {
    const ev = row({ s: ['string', 'my kali box'] });
    expect(where('s matches regex "kali"', ev)).toBe(true);
    expect(where('s matches regex "KALI"', ev)).toBe(false);
    expect(where('s matches regex "(?i)KALI"', ev)).toBe(true);
  });

  it('string literals in every KQL form', () => {
    const ev = row({ s: ['string', 'a\\b"c\'d'] });
    expect(where('s == "a\\\\b\\"c\'d"', ev)).toBe(true);
    expect(where("s == 'a\\\\b\"c\\'d'", ev)).toBe(true);
    expect(where('s == @"a\\b""c\'d"', ev)).toBe(true);
    expect(where('s startswith h"a\\\\b"', ev)).toBe(true);
    expect(where('"tab\\there" contains "\\t"')).toBe(true);
  });
});

describe('KQL evaluator: nulls and empties (learn.microsoft.com/kusto/query/scalar-data-types/null-values)', () => {
  it('== with one null is false, != with one null is true, two nulls give null (dropped by where)', () => {
    const ev = row({ v: ['long', null], w: ['long', 5] });
    expect(where('v == 5', ev)).toBe(false);
    expect(where('v != 5', ev)).toBe(true);
    expect(where('v == long(null)', ev) as boolean).toBe(false);
  });

  it('the documented example: val > 3 or isnull(val)', () => {
    const ev = row({ val: ['int', null] });
    expect(where('val > 3', ev)).toBe(false);
    expect(where('val > 3 or isnull(val)', ev)).toBe(true);
    expect(where('not(val > 3)', ev)).toBe(false); // not(null) is null
    const five = row({ val: ['int', 5] });
    expect(where('val > 3', five)).toBe(true);
    expect(where('val != int(null)', five)).toBe(true);
  });

  it('strings are never null: isnull("") is false, isempty("") is true', () => {
    expect(where('isnull(s)')).toBe(false);
    expect(where('isempty(s)')).toBe(true);
    expect(where('isnotempty(s)')).toBe(false);
    expect(where('s == ""')).toBe(true);
  });

  it('isempty: "" or null; parse_json("[]") and parse_json("{}") are not empty (isempty-function)', () => {
    expect(where('isempty(parse_json("[]"))')).toBe(false);
    expect(where('isempty(parse_json("{}"))')).toBe(false);
    expect(where('isempty(d)')).toBe(true);
    expect(where('isnull(d)')).toBe(true);
    expect(where('isempty(n)')).toBe(true);
    expect(where('isnotnull(b)')).toBe(false);
  });

  it('a missing dynamic member is null', () => {
    const ev = row({ d: ['dynamic', { a: { b: 1 } }] });
    expect(where('isnull(d.x)', ev)).toBe(true);
    expect(where('isnull(d.a.x.y)', ev)).toBe(true);
    expect(where('isnotnull(d.a.b)', ev)).toBe(true);
    expect(where('tostring(d.x) == ""', ev)).toBe(true);
  });
});

describe('KQL evaluator: functions', () => {
  it('gettype (gettype-function examples)', () => {
    expect(where('gettype("a") == "string"')).toBe(true);
    expect(where('gettype(111) == "long"')).toBe(true);
    expect(where('gettype(1==1) == "bool"')).toBe(true);
    expect(where('gettype(parse_json("1")) == "int"')).toBe(true);
    expect(where('gettype(parse_json(\' "abc" \')) == "string"')).toBe(true);
    expect(where('gettype(parse_json(\' {"abc":1} \')) == "dictionary"')).toBe(true);
    expect(where('gettype(parse_json(\' [1, 2, 3] \')) == "array"')).toBe(true);
    expect(where('gettype(123.45) == "real"')).toBe(true);
    expect(where('gettype(parse_json("")) == "null"')).toBe(true);
  });

  it('tostring, tobool, toreal, tolong (conversion function pages)', () => {
    expect(where('tostring(123) == "123"')).toBe(true);
    expect(where('tostring(d) == ""')).toBe(true);
    expect(where('tobool("true") == true')).toBe(true);
    expect(where('tobool("false") == false')).toBe(true);
    expect(where('tobool(1) == true')).toBe(true);
    expect(where('tobool(123) == true')).toBe(true);
    expect(where('toreal("1.5") == 1.5')).toBe(true);
    expect(where('isnull(toreal("abc"))')).toBe(true);
    expect(where('tolong("17") == 17')).toBe(true);
    const ev = row({ d: ['dynamic', { on: true, n: 0, s: 'x', o: { k: [1, 'a'] } }] });
    expect(where('tostring(d.on) == "true"', ev)).toBe(true);
    expect(where('tostring(d.o) == \'{"k":[1,"a"]}\'', ev)).toBe(true);
    expect(where('toreal(d.n) == 0', ev)).toBe(true);
  });

  it('strlen, array_length, bag_keys, split, tolower, toupper, coalesce, iff, case', () => {
    const ev = row({ d: ['dynamic', { a: [1, 2, 3], o: { x: 1, y: 2 } }], s: ['string', 'a/b/c'] });
    expect(where('strlen(s) == 5', ev)).toBe(true);
    expect(where('array_length(d.a) == 3', ev)).toBe(true);
    expect(where('isnull(array_length(d.o))', ev)).toBe(true);
    expect(where('array_length(bag_keys(d.o)) == 2', ev)).toBe(true);
    expect(where('tostring(split(s, "/")[1]) == "b"', ev)).toBe(true);
    expect(where('tostring(d.a[-1]) == "3"', ev)).toBe(true);
    expect(where('tolower("ABC") == "abc" and toupper("abc") == "ABC"')).toBe(true);
    expect(where('tostring(coalesce(d.none, d.a)) == "[1,2,3]"', ev)).toBe(true);
    expect(where('coalesce(s, "x") == "a/b/c"', ev)).toBe(true);
    expect(where('iff(n > 1, "big", "small") == "small"')).toBe(true); // a null predicate takes the else branch
    expect(where('case(1 > 2, "a", 2 > 1, "b", "c") == "b"')).toBe(true);
    expect(where('case(1 > 2, "a", "c") == "c"')).toBe(true);
  });

  it('between is inclusive (between-operator)', () => {
    expect(where('5 between (1 .. 5)')).toBe(true);
    expect(where('6 !between (1 .. 5)')).toBe(true);
  });

  it('ipv4_is_in_any_range and ipv6_is_in_any_range (examples of their pages)', () => {
    expect(where('ipv4_is_in_any_range("192.168.1.6", "192.168.1.1/24", "10.0.0.1/8", "127.1.0.1/16")')).toBe(true);
    expect(where('ipv4_is_in_any_range("192.168.1.1", "192.168.2.1/24", "10.0.0.1/8", "127.1.0.1/16")')).toBe(false);
    expect(where('ipv6_is_in_any_range("a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", "a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112", "0:0:0:0:0:ffff:c0a8:ac/60")')).toBe(true);
    expect(where('ipv6_is_in_any_range("::1", "fe80::/10")')).toBe(false);
    // a failed conversion gives null: not() of it stays null and where drops the row
    expect(where('not(ipv4_is_in_any_range("not-an-ip", "10.0.0.0/8"))')).toBe(false);
    expect(where('isnull(ipv4_is_in_any_range("not-an-ip", "10.0.0.0/8"))')).toBe(true);
  });

  it('strcat and a string operator with a column on the right (strcat-function, endswith-cs-operator)', () => {
    const ev = row({ a: ['string', 'arn:aws:iam::1:user/bob'], b: ['string', 'bob'], e: ['string', ''] });
    expect(where('a endswith_cs strcat("user/", b)', ev)).toBe(true);
    expect(where('a endswith_cs strcat("role/", b)', ev)).toBe(false);
    expect(where('a startswith_cs strcat("arn:", "aws")', ev)).toBe(true);
    expect(where('strcat(b) == "bob"', ev)).toBe(true);
    expect(where('(isempty(e) or b endswith_cs e)', ev)).toBe(true);
    // an argument that is not a string: its text is not documented
    expect(() => where('strcat("x", 1) == "x1"', ev)).toThrow(/strcat/);
  });

  it('set_has_element and bag_has_key', () => {
    const ev = row({ d: ['dynamic', { a: ['x', 'y'], o: { k: 1 } }] });
    expect(where('set_has_element(d.a, "y")', ev)).toBe(true);
    expect(where('bag_has_key(d.o, "k")', ev)).toBe(true);
    expect(where('bag_has_key(d.o, "K")', ev)).toBe(false);
  });

  it('dynamic property names are case-sensitive', () => {
    const ev = row({ d: ['dynamic', { Enabled: true }] });
    expect(where('tobool(d.enabled) == true', ev)).toBe(false);
    expect(where('tobool(d.Enabled) == true', ev)).toBe(true);
    expect(where('tobool(d["Enabled"]) == true', ev)).toBe(true);
  });
});

describe('KQL evaluator: tabular operators', () => {
  it('mv-apply expands the array and runs its subquery per row (mv-apply-operator)', () => {
    const q = `T
| mv-apply with_itemindex=__q1_i __q1 = array_concat(coalesce(d.items, dynamic([])), dynamic([null])) to typeof(dynamic) on (summarize __q1_n = countif(__q1_i < array_length(d.items) and tostring(__q1.name) == "admin"))
| where __q1_n > 0`;
    const art = kqlProof.compile(q, 'kql');
    expect(art.matches(row({ d: ['dynamic', { items: [{ name: 'x' }, { name: 'admin' }] }] }))).toBe(true);
    expect(art.matches(row({ d: ['dynamic', { items: [{ name: 'x' }] }] }))).toBe(false);
    expect(art.matches(row({ d: ['dynamic', {}] }))).toBe(false);
  });

  it('an mv-apply nested in a subquery sees the enclosing element, and its output rows keep it (mv-apply-operator)', () => {
    const q = `T
| mv-apply with_itemindex=__q1_i __q1 = array_concat(coalesce(d.rules, dynamic([])), dynamic([null])) to typeof(dynamic) on (mv-apply with_itemindex=__q2_i __q2 = array_concat(coalesce(__q1.verbs, dynamic([])), dynamic([null])) to typeof(dynamic) on (summarize __q2_n = countif(__q2_i < array_length(__q1.verbs) and tostring(__q2) == "create")) | summarize __q1_n = countif(__q1_i < array_length(d.rules) and __q2_n > 0 and tostring(__q1.kind) == s))
| where __q1_n > 0`;
    const art = kqlProof.compile(q, 'kql');
    const ev = (rules: unknown, s = 'role') => row({ d: ['dynamic', { rules }], s: ['string', s] });
    expect(art.matches(ev([{ kind: 'role', verbs: ['get', 'create'] }]))).toBe(true);
    // the create verb sits in another element than the one of the matching kind
    expect(art.matches(ev([{ kind: 'role', verbs: ['get'] }, { kind: 'x', verbs: ['create'] }]))).toBe(false);
    // an element without verbs, no rules, an event column the inner subquery reads through the outer row
    expect(art.matches(ev([{ kind: 'role' }]))).toBe(false);
    expect(art.matches(ev([]))).toBe(false);
    expect(art.matches(ev([{ kind: 'role', verbs: ['create'] }], 'other'))).toBe(false);
  });

  it('extend adds a column; project keeps the rows', () => {
    const art = kqlProof.compile('T | extend x = strlen(s) | where x > 1 | project s', 'kql');
    expect(art.matches(row({ s: ['string', 'abc'] }))).toBe(true);
    expect(art.matches(row({ s: ['string', 'a'] }))).toBe(false);
  });

  it('summarize ends the per-event part; the where after it is the threshold', () => {
    const art = kqlProof.compile(
      'T\n| where s == "x"\n| summarize EventCount = count(), FirstSeen = min(TimeGenerated) by U, Window = bin(TimeGenerated, 30m)\n| where EventCount >= 10',
      'kql',
    );
    expect(art.aggregation).toBe('count >= 10 by U in 30m bins');
    expect(art.matches(row({ s: ['string', 'x'] }))).toBe(true);
    expect(art.matches(row({ s: ['string', 'y'] }))).toBe(false);
  });

  it('union isfuzzy=true reads every table; a row only lives in the tables of its event', () => {
    const art = kqlProof.compile('union isfuzzy=true A, B\n| where s == "x"', 'kql');
    const ev: KqlEvent = { tables: ['B'], columns: { s: 'x' }, types: { s: 'string' }, tableColumns: {} };
    expect(art.matches(ev)).toBe(true);
    expect(art.matches({ ...ev, tables: ['C'] })).toBe(false);
    // a column a table lacks reads empty in that table's row
    const two: KqlEvent = { tables: ['A', 'B'], columns: { s: 'x' }, types: { s: 'string' }, tableColumns: { A: ['s'], B: [] } };
    expect(kqlProof.compile('union isfuzzy=true A, B | where isempty(s)', 'kql').matches(two)).toBe(true);
    expect(kqlProof.compile('A | where isempty(s)', 'kql').matches(two)).toBe(false);
  });

  it('a union of parenthesized queries runs each on its own table, then the operators after it (union-operator)', () => {
    const q = 'union (A | where s == "a" | project TimeGenerated, s), (B | where n > 1)\n| summarize C = count() by bin(TimeGenerated, 1h)';
    const art = kqlProof.compile(q, 'kql');
    const ev = (tables: string[], s: string, n: number): KqlEvent => ({ tables, columns: { s, n, TimeGenerated: '2024-01-01T00:00:00Z' }, types: { s: 'string', n: 'long', TimeGenerated: 'datetime' }, tableColumns: {} });
    expect(art.matches(ev(['A'], 'a', 0))).toBe(true);
    // the other branch's condition does not apply to A's rows, nor A's to B's
    expect(art.matches(ev(['A'], 'b', 5))).toBe(false);
    expect(art.matches(ev(['B'], 'b', 5))).toBe(true);
    expect(art.matches(ev(['B'], 'a', 0))).toBe(false);
    expect(art.matches(ev(['C'], 'a', 5))).toBe(false);
    expect(art.aggregation).toMatch(/summarize|count/);
    expect(refusal(() => kqlProof.compile('union (A | summarize count()), B', 'kql'))).toMatch(/aggregates/);
  });

  it('comment lines are ignored; a Sentinel rule YAML is read through its query', () => {
    const yaml = `id: x\nname: y\nquery: |\n  // a comment\n  T\n  | where s == "x"\nkind: Scheduled\n`;
    const art = kqlProof.compile(yaml, 'sentinel');
    expect(art.matches(row({ s: ['string', 'x'] }))).toBe(true);
  });
});

describe('KQL evaluator: refusals', () => {
  it.each([
    ['T | where s hasprefix "a"', 'hasprefix'],
    ['T | where s like "a"', 'like'],
    ['T | where s has_any ("a")', 'has_any'],
    ['T | take 1', 'take'],
    ['T | where reverse(s) == "a"', 'reverse'],
    ['let x = 1; T', 'statement'],
    ['T | where s ==', 'syntax'],
    ['// only a comment\n', 'comment-only'],
    ['T | join (U) on s', 'join'],
    ['T | where s == "a" | summarize count() by s | where count_ > 1 | extend x = 1', ''],
  ])('%s', (q, what) => {
    if (what === '') {
      // after summarize nothing is evaluated, but the artifact still compiles
      expect(kqlProof.compile(q, 'kql').aggregation).toContain('summarize');
      return;
    }
    expect(refusal(() => kqlProof.compile(q, 'kql'))).toContain(what);
  });

  it('refuses at run time what the event makes undecidable (a comparison across kinds)', () => {
    const art = kqlProof.compile('T | where d.a == "1"', 'kql');
    expect(refusal(() => art.matches(row({ d: ['dynamic', { a: 1 }] })))).toContain('==');
    expect(art.matches(row({ d: ['dynamic', { a: '1' }] }))).toBe(true);
  });

  it('refuses a column the row does not have, and a Sentinel rule without a query', () => {
    expect(refusal(() => kqlProof.compile('T | where nope == "x"', 'kql').matches(EMPTY))).toContain('nope');
    expect(refusal(() => kqlProof.compile('id: x\nname: y\n', 'sentinel'))).toContain('without a query');
  });
});

// ---------------------------------------------------------------------------------------------
// The project's own artifacts (out/kql, out/sentinel) read back on their rules' tests.

const ROOT = new URL('..', import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return ['global_helpers', 'data_models'].includes(f) ? [] : walk(p);
    return /\.ya?ml$/.test(f) ? [p] : [];
  });
}

function testLogType(t: RuleTest): string | undefined {
  if (t.logType) return t.logType;
  const l = t.log;
  return l && typeof l === 'object' && !Array.isArray(l) && typeof l['p_log_type'] === 'string' ? l['p_log_type'] : undefined;
}

describe('KQL evaluator on the committed artifacts of rules/', () => {
  const rules = walk(join(ROOT, 'rules'));
  const cases: { rule: string; target: string; artifact: string }[] = [];
  for (const r of rules) {
    const rel = relative(join(ROOT, 'rules'), r).replace(/\.ya?ml$/, '');
    for (const [target, ext] of [
      ['kql', 'kql'],
      ['sentinel', 'yaml'],
    ] as const) {
      const artifact = join(ROOT, 'out', target, `${rel}.${ext}`);
      if (existsSync(artifact)) cases.push({ rule: r, target, artifact });
    }
  }

  it('finds artifacts for both targets', () => {
    expect(cases.filter((c) => c.target === 'kql').length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.target === 'sentinel').length).toBeGreaterThan(10);
  });

  it('every exact artifact agrees with its rule\'s tests (that it can evaluate)', () => {
    let compiled = 0;
    let evaluated = 0;
    const disagreements: string[] = [];
    for (const c of cases) {
      const text = readFileSync(c.artifact, 'utf8');
      if (!/^(\/\/|#) fidelity: exact$/m.test(text)) continue;
      const { rule, loaded } = liftFile(c.rule);
      const report = proveRule(rule, loaded);
      if (report.fidelity !== 'exact') continue;
      let art;
      try {
        art = kqlProof.compile(text, c.target);
      } catch (e) {
        if (e instanceof Refusal) continue;
        throw e;
      }
      compiled++;
      const logType = rule.meta.logTypes[0]!;
      for (const t of rule.tests) {
        if (t.mocks && t.mocks.length) continue;
        const lt = testLogType(t) ?? logType;
        if (lt !== logType) continue;
        let got: boolean;
        try {
          // a custom-log table as the rule declares it, as the proof projects it (src/proof/index.ts)
          got = art.matches(kqlProof.project(t.log, lt, ruleMapper(mapper, rule)));
        } catch (e) {
          if (e instanceof Refusal) continue;
          throw e;
        }
        evaluated++;
        if (got !== t.expected) disagreements.push(`${c.target} ${rule.meta.id} '${t.name}': expected ${t.expected}, got ${got}`);
      }
    }
    expect(compiled).toBeGreaterThan(10);
    expect(evaluated).toBeGreaterThan(20);
    expect(disagreements).toEqual([]);
  });

  it('reads a thresholded Sentinel artifact: per-event part and aggregation', () => {
    const text = readFileSync(join(ROOT, 'out/sentinel/aws_cloudtrail/aws_repeated_access_denied.yaml'), 'utf8');
    const art = kqlProof.compile(text, 'sentinel');
    expect(art.aggregation).toBe('count >= 10 by UserIdentityArn in 30m windows opening at the first event');
    const denied = kqlProof.project({ errorCode: 'AccessDenied', userIdentity: { type: 'IAMUser' }, sourceIPAddress: '1.2.3.4' }, 'AWS.CloudTrail', mapper);
    expect(art.matches(denied)).toBe(true);
    const service = kqlProof.project({ errorCode: 'AccessDenied', userIdentity: { type: 'AWSService' } }, 'AWS.CloudTrail', mapper);
    expect(art.matches(service)).toBe(false);
  });
});

describe('KQL evaluator: the truthy() function the KQL target declares (TRUTHY_FN), by Python truthiness', () => {
  // Python: bool(v) of each JSON value (a str non-empty, a number non-zero, a list or a dict non-empty, None false)
  const cases: [Json, boolean][] = [
    ['', false], ['a', true], ['0', true], ['false', true], ['[]', true],
    [0, false], [1, true], [-3, true], [0.0, false], [0.5, true], [2 ** 40, true],
    [true, true], [false, false], [[], false], [[0], true], [{}, false], [{ k: null }, true], [null, false],
  ];
  it.each(cases)('truthy(%j) is %s', async (v, want) => {
    const { TRUTHY_FN } = await import('../src/targets/kql/printer.js');
    const ev = row({ d: ['dynamic', v] });
    expect(kqlProof.compile(`${TRUTHY_FN}\nT\n| where truthy(d)`, 'kql').matches(ev)).toBe(want);
    expect(kqlProof.compile(`${TRUTHY_FN}\nT\n| where not(truthy(d))`, 'kql').matches(ev)).toBe(!want);
  });
  it('a let statement of a function body sees the parameters and the lets before it', () => {
    const f = 'let f = (v: dynamic) {\n    let t = gettype(v);\n    let s = t == "string";\n    s and tostring(v) == "x"\n};';
    expect(kqlProof.compile(`${f}\nT\n| where f(d)`, 'kql').matches(row({ d: ['dynamic', 'x'] }))).toBe(true);
    expect(kqlProof.compile(`${f}\nT\n| where f(d)`, 'kql').matches(row({ d: ['dynamic', 1] }))).toBe(false);
  });
});
