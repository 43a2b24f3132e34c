/**
 * Issue 11 (performance): work shared between targets and renders gives the same artifacts as doing it afresh.
 * - the passes after a condition's NNF are taken from an earlier target's, log type's or route's over the same
 *   condition when the questions they asked are answered the same (registry.ts targetPasses);
 * - the KQL query is built once for the kql and sentinel targets and for a render after a proof (which only
 *   adds reasons): each gets its own copy, its reasons under its own target's name.
 */
import { describe, expect, it } from 'vitest';
import { collectRuleFiles } from '../src/cli/files.js';
import { prepare } from '../src/cli/work.js';
import { loadMappings } from '../src/mapping/load.js';
import type { Rule } from '../src/ast/types.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { anchorRe, pyToRe2, type ReOptions } from '../src/targets/common/regex.js';
import { litKey, nodeId } from '../src/targets/common/simplify.js';
import type { Nnf } from '../src/targets/common/nnf.js';
import { newIdSpace, predId } from '../src/ast/normalize.js';
import type { Pred } from '../src/ast/types.js';

const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
const rules: [string, Rule][] = [];
for (const f of collectRuleFiles(['rules'], () => '')) {
  const p = prepare(f, {});
  if (p.rule) rules.push([f.rel, p.rule]);
}
// a copy of the rule with no object in common: nothing computed for the original is found for it
const fresh = (r: Rule): Rule => structuredClone(r);
const extra = { code: 'proof-test-disagrees', message: 'a test disagrees (added as a proof would)', file: 'x.py', line: 1 };

describe('the KQL query built once per rule', () => {
  it('covers the sample rules', () => {
    expect(rules.length).toBeGreaterThan(50);
  });

  it.each(rules)('%s: sentinel, then kql, then each again with a reason added, as each rendered afresh', (_, rule) => {
    const sentinel = renderRule(rule, 'sentinel', ctx);
    const kql = renderRule(rule, 'kql', ctx);
    // the outputs handed out are the callers' own: changing one changes no later render
    sentinel.reasons.push(extra);
    sentinel.diagnostics.push({ severity: 'warning', code: 'x', message: 'x' });
    expect(kql).toEqual(renderRule(fresh(rule), 'kql', ctx));
    expect(renderRule(rule, 'sentinel', ctx)).toEqual(renderRule(fresh(rule), 'sentinel', ctx));
    const more = { ...rule, reasons: [...rule.reasons, extra] };
    for (const t of ['kql', 'sentinel']) expect(renderRule(more, t, ctx)).toEqual(renderRule(fresh(more), t, ctx));
  });
});

describe("a target's passes taken from another target's or log type's over the same condition", () => {
  // each target rendered after every other one (the later ones may take the passes' result of an earlier one
  // whose questions they answer the same) against each rendered alone on a copy of the rule (nothing computed
  // before); the sample rules with several log types and routed tables exercise the log types and routes
  it.each(rules)('%s: every target after the others, as each rendered alone', (_, rule) => {
    const order = ['sigma', 'kql', 'yaral', 'cwl', 'sentinel'];
    const after = order.map((t) => renderRule(rule, t, ctx));
    order.forEach((t, i) => expect(after[i]).toEqual(renderRule(fresh(rule), t, ctx)));
  });
});

describe('a pattern translated once per set of options', () => {
  const patterns = ['^a.b$', '(?i)admin', 'x\\d+', 'a|b$', '[', '(?x) a'];
  const options: (string | ReOptions)[] = ['', '/', { engine: 'pcre' }, { engine: 'portable' }, { ci: true }, { dotAll: true }, { delims: '"', engine: 're2', ci: true }];
  it('gives each set of options its own translation, the same on every call, and its anchored forms', () => {
    // first each alone (in reverse order), then all again: a translation never depends on what came before
    const alone = new Map<string, unknown>();
    for (const p of [...patterns].reverse())
      for (const o of [...options].reverse()) {
        const r = pyToRe2(p, '', o);
        const engine = typeof o === 'string' ? 're2' : (o.engine ?? 're2');
        alone.set(JSON.stringify([p, o]), { r, anchored: r.ok ? ['match', 'fullmatch'].map((a) => anchorRe(r.re, a as 'match', engine)) : null });
      }
    for (const p of patterns)
      for (const o of options) {
        const r = pyToRe2(p, '', o);
        const engine = typeof o === 'string' ? 're2' : (o.engine ?? 're2');
        expect({ r, anchored: r.ok ? ['match', 'fullmatch'].map((a) => anchorRe(r.re, a as 'match', engine)) : null }, JSON.stringify([p, o])).toEqual(alone.get(JSON.stringify([p, o])));
      }
    expect(pyToRe2('a', '', { ci: true })).not.toEqual(pyToRe2('(?i)a', '', {}));
    expect(pyToRe2('[', '').ok).toBe(false);
  });
});

/** A seeded generator of integers below n (a linear congruential one: the same trees every run). */
function seeded(seed: number): (n: number) => number {
  return (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
}

/** That equal keys get equal ids and equal ids equal keys over `items`; the number of distinct keys. */
function expectIdsMatchKeys<T>(items: Iterable<T>, key: (x: T) => string, id: (x: T) => number): number {
  const byKey = new Map<string, number>();
  const byId = new Map<number, string>();
  for (const x of items) {
    const k = key(x);
    const i = id(x);
    expect(byKey.get(k) ?? i, k).toBe(i);
    expect(byId.get(i) ?? k).toBe(k);
    byKey.set(k, i);
    byId.set(i, k);
  }
  return byKey.size;
}

describe('node ids without key texts', () => {
  // the key text nodeId was read by before: the kind, then the operands' keys in a fixed order (any order of them equal)
  const keyText = (n: Nnf): string => {
    switch (n.k) {
      case 'const':
        return n.v ? 'T' : 'F';
      case 'lit':
        return `l${litKey(n)}`;
      case 'quant':
        return `q${n.q}${JSON.stringify(n.list)}(${keyText(n.body)})`;
      default:
        return `${n.k}(${n.args.map(keyText).sort().join(',')})`;
    }
  };
  it('gives equal ids to exactly the structurally equal nodes of many random trees', () => {
    newIdSpace();
    const rnd = seeded(7);
    const lit = (): Nnf => ({ k: 'lit', atom: { k: 'cmp', op: 'eq', left: { k: 'get', obj: { k: 'event' }, key: `f${rnd(3)}` }, right: { k: 'lit', v: `${rnd(3)}` } }, neg: rnd(2) === 0, ...(rnd(4) === 0 ? { strGuard: true } : {}) });
    const tree = (depth: number): Nnf => {
      const r = rnd(10);
      if (depth === 0 || r < 3) return r === 0 ? { k: 'const', v: rnd(2) === 0 } : lit();
      if (r === 3) return { k: 'quant', q: rnd(2) ? 'any' : 'all', list: { k: 'get', obj: { k: 'event' }, key: 'l' }, body: tree(depth - 1) };
      return { k: rnd(2) ? 'and' : 'or', args: Array.from({ length: 1 + rnd(4) }, () => tree(depth - 1)) };
    };
    const nodes = Array.from({ length: 3000 }, () => tree(1 + rnd(3)));
    const distinct = expectIdsMatchKeys(nodes, keyText, nodeId);
    // enough distinct and repeated trees to mean something
    expect(distinct).toBeGreaterThan(500);
    expect(distinct).toBeLessThan(nodes.length);
  });
});

describe('predicate ids without key texts', () => {
  it('gives equal ids to exactly the equal predicates (operand order counts) of many random trees', () => {
    newIdSpace();
    const rnd = seeded(11);
    const tree = (depth: number): Pred => {
      const r = rnd(10);
      if (depth === 0 || r < 3) return { k: 'cmp', op: rnd(2) ? 'eq' : 'ne', left: { k: 'get', obj: { k: 'event' }, key: `f${rnd(3)}` }, right: { k: 'lit', v: `${rnd(3)}` } };
      if (r === 3) return { k: 'not', arg: tree(depth - 1) };
      return { k: rnd(2) ? 'and' : 'or', args: Array.from({ length: 1 + rnd(3) }, () => tree(depth - 1)) };
    };
    const preds = Array.from({ length: 3000 }, () => tree(1 + rnd(3)));
    const distinct = expectIdsMatchKeys(preds, (p) => JSON.stringify(p), predId);
    expect(distinct).toBeGreaterThan(500);
    expect(distinct).toBeLessThan(3000);
  });
});
