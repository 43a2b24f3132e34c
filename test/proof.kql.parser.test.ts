/**
 * The KQL evaluator reads queries with its own parser (`src/proof/kql/parser.ts`); here it is held to
 * Microsoft's Kusto.Language: the same tree (kinds, the members the evaluator reads, operator texts,
 * names and literal values) for every query the targets emit for `rules/` (the committed `out/`),
 * for hostile string literals, and for hand-written queries covering each construct; and what
 * Kusto.Language rejects is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { kustoKind, parseWithKusto } from '../src/proof/kql/kusto-tree.js';
import { kind as ourKind, parseKql, type KNode } from '../src/proof/kql/syntax.js';
import { kqlIdent, kqlPath, kqlString } from '../src/targets/kql/escape.js';

/** Members the evaluator reads (src/proof/kql/eval.ts). */
const MEMBERS = [
  'Statements', 'Directives', 'Expression', 'Operator', 'Left', 'Right', 'Selector', 'Name', 'ArgumentList', 'Expressions', 'Values',
  'Pairs', 'Value', 'Condition', 'Parameters', 'Aggregates', 'ByClause', 'Subquery', 'ToTypeOf', 'TypeOf', 'First', 'Second',
  'RowLimitClause', 'ContextIdClause', 'Body', 'NameAndType', 'Ordering',
];

function signature(root: KNode, kindOf: (n: KNode) => string): string {
  const out: string[] = [];
  const rec = (n: KNode | null | undefined, depth: number): void => {
    const pad = ' '.repeat(depth);
    if (!n) {
      out.push(`${pad}-`);
      return;
    }
    const k = kindOf(n);
    if (k === 'List') {
      out.push(`${pad}List`);
      for (let i = 0; i < n.ChildCount; i++) {
        let c = n.GetChild(i);
        if (c && kindOf(c) === 'SeparatedElement') c = c['Element'] as KNode | null;
        if (c && !c.IsToken) rec(c, depth + 1);
      }
      return;
    }
    let line = `${pad}${k}`;
    if (typeof n['SimpleName'] === 'string') line += ` name=${JSON.stringify(n['SimpleName'])}`;
    const t = n.ToString();
    let h = 0;
    for (let i = 0; i < t.length; i++) h = (h * 31 + t.charCodeAt(i)) | 0;
    line += ` text=${JSON.stringify(t.length > 50 ? `${t.slice(0, 40)}…#${t.length}:${h}` : t)}`;
    if (/String/.test(k)) line += ` value=${JSON.stringify(n.LiteralValue)}`;
    out.push(line);
    for (const m of MEMBERS) {
      const v = n[m] as KNode | null | undefined;
      if (v === undefined || v === null || typeof v !== 'object' || typeof (v as KNode).ToString !== 'function') continue;
      if (m === 'Operator' && (v as KNode).IsToken) {
        out.push(`${pad} .Operator ${(v as KNode).Text.replace(/\s+/g, ' ')}`);
        continue;
      }
      if (m === 'Name' && typeof n['SimpleName'] === 'string') continue;
      if (m === 'Name') {
        const s = (v as KNode)['SimpleName'];
        out.push(`${pad} .Name ${typeof s === 'string' ? s : (v as KNode).ToString().trim()}`);
        continue;
      }
      if ((v as KNode).IsToken) continue;
      out.push(`${pad} .${m}`);
      rec(v, depth + 2);
    }
  };
  rec(root, 0);
  return out.join('\n');
}

function kustoSide(text: string): string {
  const { syntax, errors } = parseWithKusto(text);
  if (errors.length) return 'ERROR';
  return signature(syntax, kustoKind);
}
function ourSide(text: string): string {
  try {
    return signature(parseKql(text), ourKind);
  } catch (e) {
    const m = (e as Error).message;
    return /syntax error/.test(m) ? 'ERROR' : `REFUSED ${m}`;
  }
}

function* files(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else yield p;
  }
}

/** The queries of the committed outputs for rules/. */
function emittedQueries(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const f of files('out/kql')) if (f.endsWith('.kql')) out.push({ file: f, text: fs.readFileSync(f, 'utf8') });
  for (const f of files('out/sentinel')) {
    const q = (parseYaml(fs.readFileSync(f, 'utf8')) as { query?: unknown } | null)?.query;
    if (typeof q === 'string') out.push({ file: f, text: q });
  }
  return out;
}

describe('the KQL evaluator reads what Kusto.Language reads', () => {
  it('builds the same tree for every query emitted for rules/', () => {
    const qs = emittedQueries();
    expect(qs.length).toBeGreaterThan(60);
    let statements = 0;
    for (const { file, text } of qs) {
      const theirs = kustoSide(text);
      expect(theirs, file).not.toBe('ERROR');
      const ours = ourSide(text);
      if (theirs.includes('ExpressionStatement')) statements++;
      expect(ours, file).toBe(theirs);
    }
    expect(statements).toBeGreaterThan(60);
  });

  /** Constructs the evaluator reads: the same tree as Kusto.Language's. */
  const readable = [
    '// c\nAWSCloudTrail\n| where EventName in ("DisableKey", "ScheduleKeyDeletion")\n| where isempty(ErrorCode)\n| project TimeGenerated, EventName',
    'union isfuzzy=true SigninLogs, AuditLogs | where tostring(parse_json(InitiatedBy).user) has_cs "a" or UserPrincipalName matches regex @"^x\\d+$"',
    'T | where a == "x\\"y" | summarize count() by bin(TimeGenerated, 30m) | where count_ >= 5',
    'T | summarize EventCount = count(), FirstSeen = min(TimeGenerated), S = make_set(X, 100) by K = tostring(parse_json(I).email), Window = bin(TimeGenerated, 1440m) | where EventCount >= 10',
    'let x = dynamic(["a", 1]); T | where a in~ (x) and not(isnull(b))',
    'T | where a !in~ ("x") or a !in ("y") or a in ("z", "w") or a =~ "q" or a !~ "r" or a != 1 or a < 2 or a <= 3 or a > 4 or a >= 5',
    'T | where a contains "x" and a !contains "y" and a contains_cs "z" and a !contains_cs "w" and a startswith "p" and a !startswith "q"',
    'T | where a startswith_cs "p" and a !startswith_cs "q" and a endswith "r" and a !endswith "s" and a endswith_cs "t" and a !endswith_cs "u"',
    'T | where a has "x" and a !has "y" and a has_cs "z" and a !has_cs "w" and a has_any ("a", "b") and a has_all ("c")',
    'T | where a between (1 .. 5) and b !between (2..3) and c == -1 and d == -1.5 and e == 1e3 and f == 1.',
    'T | where x.a.b == 1 and x["odd key"] == 2 and x[0] == 3 and x[-1] == 4 and ["odd col"] == 5 and x.["q"] == 6',
    'T | where a == bool(null) or b == long(null) or c == real(1.5) or d == int(3) or e == dynamic(null) or f == datetime(2020-01-01) or g == 1d or h == 100ms',
    'T | where a == dynamic({"k": [1, -2, "x", null, true, {"z": false}], "w": 1.5})',
    'T | where a == \'single\' and b == @"verb""atim" and c == h"hidden" and d == "con" "cat" and e == ```multi\nline```',
    'T | extend y = iff(a, 1, 2), z = case(a, 1, b, 2, 3) | project y, z, w = strlen(q)',
    'T | mv-apply with_itemindex=__i __x = array_concat(coalesce(A.b, dynamic([])), dynamic([null])) to typeof(dynamic) on (summarize __n = countif(__i < array_length(A.b) and __x.c == 1)) | where __n > 0',
    'T | where a matches regex "x" and (b or c)',
    'let truthy = (v: dynamic) {\n    case(gettype(v) == "string", strlen(tostring(v)) > 0, isnotnull(v))\n};\nT | where truthy(a.b) or not(truthy(c))',
    'let f = (x: string, n: long) { strlen(x) > n };\nlet g = (v: dynamic) { f(tostring(v), 2) };\nT | where g(a)',
    'let truthy = (v: dynamic) {\n    let t = gettype(v);\n    let u = t == "string";\n    case(u, tostring(v) != "", t == "bool", tobool(v), isnotnull(v))\n};\nT | where truthy(a.b)',
    'T | where a + 1 * 2 - 3 / 4 % 5 > 0',
    'union (A | where s == "a" | project TimeGenerated, s), (B | where n > 1), C | summarize C = count() by bin(TimeGenerated, 1h)',
    'T | extend k = tostring(d.a) | sort by k asc, ["b c"] desc nulls last, x, y nulls first, TimeGenerated asc | extend Window = row_window_session(TimeGenerated, 30m, 30m, k != prev(k) or ["b c"] != prev(["b c"])) | summarize EventCount = count() by k, ["b c"], Window | where EventCount >= 10',
    'T | sort by TimeGenerated asc | extend Window = row_window_session(TimeGenerated, 1440m, 1d) | summarize N = count() by Window',
    '',
    '// only a comment',
  ];
  /** Valid KQL outside the subset: refused (or, if read, the same tree). */
  const outside = ['T | take 10', 'T | where (a or b) | project-away x', '.show tables'];
  /** Not KQL: Kusto.Language reports errors, the evaluator's reader refuses. */
  const invalid = ['T | sort K', 'T | sort by', 'T | sort by K asc nulls', 'T | sort by K asc desc', 'T | where (', 'T | where a ==', 'T | where a == "unterminated', 'T | where a in "x"', 'T | where f == .5', 'T | where a == dynamic({w: 1.5})', 'T | where a matches  regex "x"'];

  it('builds the same tree for each construct, and refuses what Kusto.Language rejects', () => {
    for (const q of readable) {
      const ours = ourSide(q);
      expect(ours, q).not.toMatch(/^(ERROR|REFUSED)/);
      expect(ours, q).toBe(kustoSide(q));
    }
    for (const q of outside) {
      const ours = ourSide(q);
      if (!ours.startsWith('REFUSED')) expect(ours, q).toBe(kustoSide(q));
    }
    for (const q of invalid) {
      expect(kustoSide(q), q).toBe('ERROR');
      expect(ourSide(q), q).toMatch(/^(ERROR|REFUSED)/);
    }
  });

  it('reads every string, name and path the KQL escaper writes as Kusto.Language does', () => {
    const SPECIAL = ['"', "'", '\\', '\n', '\r', '\t', '*', '|', '/', '`', '%', 'é', '\u2028', '\u0085', '\u0000', '\u007f', '$', '{', '}', '[', ']', '(', ')', '//', '@', '-', '\ud83d\ude00', '\ud800', '\udc00', '\ufeff', 'and', 'where', 'a', ' '];
    const hostile = fc.oneof(
      fc.array(fc.constantFrom(...SPECIAL), { maxLength: 10 }).map((a) => a.join('')),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    const pairs = fc.sample(fc.tuple(hostile, hostile), { numRuns: 300, seed: 20261206 });
    for (const [s, k] of pairs) {
      const q = `T | where ${kqlIdent(k || 'x')} == ${kqlString(s)} and Col${kqlPath([k || 'y', 0])} != ${kqlString(k)}`;
      const theirs = kustoSide(q);
      expect(theirs, q).not.toBe('ERROR');
      expect(ourSide(q), q).toBe(theirs);
    }
  });
});
