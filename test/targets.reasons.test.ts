/**
 * The reason table (src/reasons.ts, re-exported by src/targets/common/reasons.ts): the README lists exactly its codes, every code the
 * sources write is in it, fidelity is read from it; target reasons carry the span of the Python that
 * produced the atom; `get(x, d) is None` (a default) is decided by a present null on every target.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, Span, Val } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { proveOutput } from '../src/proof/index.js';
import { fidelityOf } from '../src/targets/common/fidelity.js';
import { REASONS, reasonFidelity } from '../src/reasons.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import type { RenderContext } from '../src/targets/types.js';
import { liftSource } from './fixtures/lifter/helpers.js';

const ctx: RenderContext = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
const PRINTERS = ['sigma', 'kql', 'sentinel', 'yaral', 'cwl'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the reason table', () => {
  it('is what the README "Fidelity" table lists, code for code', () => {
    const md = readFileSync(new URL('../src/targets/README.md', import.meta.url), 'utf8');
    const section = md.slice(md.indexOf('## Fidelity'), md.indexOf('\n## ', md.indexOf('## Fidelity') + 3));
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    const listed = rows.flatMap((r) => [...r.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(Object.keys(REASONS).sort());
    // and each row states the table's fidelity
    for (const r of rows) {
      const fid = r.split('|')[2]!.trim();
      for (const m of r.split('|')[1]!.matchAll(/`([^`]+)`/g)) expect(fid.startsWith(REASONS[m[1]!]!.fidelity), `${m[1]}: ${fid}`).toBe(true);
    }
  });
  it('holds every reason code the sources write', () => {
    const src = new URL('../src', import.meta.url).pathname;
    const codes = new Set<string>();
    for (const f of sources(src)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\b(?:code: |sink\.add\(|\.add\()'((?:unsupported|target|test|opaque)-[a-z0-9-]+)'/g)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(15);
    for (const c of codes) expect(REASONS[c], c).toBeDefined();
  });
  it('decides fidelity (opaque-* approximate; a code nobody declared by its prefix)', () => {
    expect(reasonFidelity('opaque-name')).toBe('approximate');
    expect(reasonFidelity('target-key-case')).toBe('approximate');
    expect(reasonFidelity('unsupported-stateful')).toBe('unsupported');
    expect(reasonFidelity('test-disagrees')).toBe('unsupported');
    expect(reasonFidelity('no-such-code')).toBe('approximate');
    expect(reasonFidelity('unsupported-no-such-code')).toBe('unsupported');
    // the table follows the convention, except where it says otherwise (a lifter defect is unsupported)
    for (const [code, info] of Object.entries(REASONS)) if (code !== 'test-disagrees') expect(info.fidelity === 'unsupported', code).toBe(code.startsWith('unsupported-'));
    const r = (code: string) => ({ code, message: '', file: 'f', line: 1 });
    expect(fidelityOf([])).toBe('exact');
    expect(fidelityOf([r('opaque-name'), r('target-quantifier')])).toBe('approximate');
    expect(fidelityOf([r('opaque-name'), r('unsupported-log-type')])).toBe('unsupported');
  });
});

// ---------------------------------------------------------------------------------------------

const ev: Val = { k: 'event' };
const lit = (v: Json): Val => ({ k: 'lit', v });
const get = (key: string, def?: Json, deep = false): Val => ({ k: 'get', obj: ev, key, ...(def !== undefined ? { default: lit(def) } : {}), ...(deep ? { deep } : {}) });

function rule(condition: Pred, logType: string, tests: { log: Json; expected: boolean }[] = []): Rule {
  return {
    meta: {
      id: 'Test.Rule',
      severity: 'Low',
      enabled: true,
      logTypes: [logType],
      tags: [],
      mitre: [],
      summaryAttributes: [],
      file: 'rules/t.yml',
      pyFile: 'rules/t.py',
    },
    condition,
    outputs: [],
    tests: tests.map((t, i) => ({ name: `t${i}`, ...t })),
    reasons: [],
    notes: [],
  };
}

describe('target reasons name the Python that produced the atom', () => {
  const span: Span = { file: 'rules/t.py', line: 7, col: 12 };
  it('at the atom span when the lifter recorded one', () => {
    const r = rule({ k: 'and', args: [{ k: 'rel', rel: 'startswith', value: get('eventName'), other: get('eventSource'), span }, { k: 'cmp', op: 'eq', left: get('eventSource'), right: lit('kms.amazonaws.com') }] }, 'AWS.CloudTrail');
    for (const t of PRINTERS) {
      const o = renderRule(r, t, ctx);
      const reason = o.reasons.find((x) => x.code === 'target-unsupported-construct');
      expect(reason, t).toMatchObject({ file: 'rules/t.py', line: 7, col: 12 });
    }
  });
  it('at a quantifier span for what its body cannot express', () => {
    const q: Pred = { k: 'quant', q: 'all', list: get('resources'), pred: { k: 'truthy', value: { k: 'elem', depth: 0 } }, span };
    for (const t of ['sigma', 'yaral', 'cwl']) {
      const o = renderRule(rule({ k: 'and', args: [q, { k: 'truthy', value: get('eventName') }] }, 'AWS.CloudTrail'), t, ctx);
      expect(o.reasons.find((x) => x.code === 'target-quantifier'), t).toMatchObject({ line: 7 });
    }
  });
  it('end to end: a lifted rule\'s atom-level reasons name the line of the Python construct', () => {
    const src = [
      'import re',
      'def rule(event):',
      '    if event.get("eventSource") != "kms.amazonaws.com":',
      '        return False',
      '    if not isinstance(event.get("eventName"), str):',
      '        return False',
      '    if event.deep_get("userIdentity", "sessionContext", "tags"):', // line 7: no KQL column holds it
      '        return False',
      '    return re.search(r"Key.$", event.get("eventName"))', // line 9: Logs Insights declares its $ (`.` may be a final \r)
      '',
    ].join('\n');
    const { rule: lifted } = liftSource(src);
    const reasons = Object.fromEntries(PRINTERS.map((t) => [t, renderRule(lifted, t, ctx).reasons]));
    expect(reasons.kql!.find((x) => x.code === 'unsupported-unmapped-field')).toMatchObject({ file: 'rules/r.py', line: 7 });
    expect(reasons.sentinel!.find((x) => x.code === 'unsupported-unmapped-field')).toMatchObject({ file: 'rules/r.py', line: 7 });
    expect(reasons.cwl!.find((x) => x.code === 'target-regex-end-anchor')).toMatchObject({ file: 'rules/r.py', line: 9 });
    // no atom-level reason is left at the file's first line
    for (const t of PRINTERS) for (const r of reasons[t]!) expect([5, 7, 9], `${t} ${r.code}`).toContain(r.line);
  });
  it("a simple detection's reasons name the line of the match expression's Condition", () => {
    const dir = mkdtempSync(join(tmpdir(), 'reasons-simple-'));
    try {
      const yml = [
        'AnalysisType: rule',
        'RuleID: Test.Simple',
        'LogTypes: [AWS.CloudTrail]',
        'Severity: Info',
        'Detection:',
        '  - KeyPath: eventSource',
        '    Condition: Equals',
        '    Value: kms.amazonaws.com',
        '  - KeyPath: userIdentity.sessionContext.tags',
        '    Condition: IsNotNull', // line 10
        '',
      ].join('\n');
      writeFileSync(join(dir, 's.yml'), yml);
      const { rule: lifted } = liftFile(join(dir, 's.yml'));
      for (const t of ['kql', 'sentinel']) {
        const r = renderRule(lifted, t, ctx).reasons.find((x) => x.code === 'unsupported-unmapped-field');
        expect(r, t).toMatchObject({ line: 10 });
        expect(r!.file.endsWith('s.yml'), r!.file).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("else at the first line of the rule's Python file", () => {
    const r = rule({ k: 'rel', rel: 'startswith', value: get('eventName'), other: get('eventSource') }, 'AWS.CloudTrail');
    for (const t of PRINTERS) expect(renderRule(r, t, ctx).reasons.find((x) => x.code === 'target-unsupported-construct'), t).toMatchObject({ file: 'rules/t.py', line: 1 });
  });
});

describe('get(x, d) is None: a present null decides (d is the value when x is absent)', () => {
  // Python: event.get("x", "d") is None ⇔ x is present and null
  const tests = [
    { log: { x: null }, expected: true },
    { log: {}, expected: false },
    { log: { x: 'a' }, expected: false },
  ];
  const isNone: Pred = { k: 'not', arg: { k: 'exists', value: get('x', 'd') } };
  const eqNone: Pred = { k: 'cmp', op: 'eq', left: get('x', 'd'), right: lit(null) };
  const isNotNone: Pred = { k: 'exists', value: get('x', 'd') };
  const flip = (ts: typeof tests) => ts.map((t) => ({ ...t, expected: !t.expected }));

  it('Sigma writes it: present (|exists) and null', () => {
    for (const [p, ts] of [
      [isNone, tests],
      [eqNone, tests],
      [isNotNone, flip(tests)],
    ] as const) {
      const r = rule(p, 'Custom.Thing', [...ts]);
      const o = renderRule(r, 'sigma', ctx);
      expect(o.text).toContain('x|exists: true\n        x: null');
      expect(o.reasons.map((x) => x.code)).not.toContain('target-present-null');
      const proof = proveOutput(o, r, ctx.mapper)!;
      expect(proof.tests, o.text).toMatchObject({ passed: 3, failed: 0, declared: 0 });
    }
  });
  it('Logs Insights (a null reads as absent) declares its constant, the proof agrees', () => {
    for (const [p, ts, dir] of [
      [isNone, tests, 'narrower'],
      [eqNone, tests, 'narrower'],
      [isNotNone, flip(tests), 'wider'],
    ] as const) {
      const r = rule(p, 'Custom.Thing', [...ts]);
      const o = renderRule(r, 'cwl', ctx);
      expect(o.reasons.find((x) => x.code === 'target-present-null')?.direction).toBe(dir);
      expect(o.fidelity).toBe('approximate');
      expect(proveOutput(o, r, ctx.mapper)!.tests.failed).toBe(0);
    }
  });
  it('KQL and YARA-L (null and absent read alike) declare it', () => {
    const p: Pred = { k: 'not', arg: { k: 'exists', value: get('errorCode', 'd') } };
    for (const t of ['kql', 'sentinel', 'yaral']) {
      const o = renderRule(rule(p, 'AWS.CloudTrail'), t, ctx);
      expect(o.reasons.find((x) => x.code === 'target-present-null'), t).toMatchObject({ direction: 'narrower' });
    }
  });
  it("deep_get reads its default for a null too: a constant, nothing to declare", () => {
    const p: Pred = { k: 'and', args: [{ k: 'exists', value: get('x', 'd', true) }, { k: 'cmp', op: 'eq', left: get('y'), right: lit('v') }] };
    for (const t of ['sigma', 'cwl']) {
      const o = renderRule(rule(p, 'Custom.Thing'), t, ctx);
      expect(o.reasons.map((x) => x.code), t).not.toContain('target-present-null');
    }
  });
});
