/**
 * Structural ids numbered afresh for each rule of a batch (`newIdSpace`, src/ast/normalize.ts; issue 11): the
 * tables that grew for a whole run are emptied, every module's at once, and a node kept from before (a global
 * helper's) is numbered again consistently; a batch's output does not depend on the numbering.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newIdSpace, negId, predId, valId } from '../src/ast/normalize.js';
import type { Pred, Val } from '../src/ast/types.js';
import { litKey, nodeId } from '../src/targets/common/simplify.js';
import { main } from '../src/cli/main.js';

const field = (k: string): Val => ({ k: 'get', obj: { k: 'event' }, key: k });
const eq = (k: string, v: string): Pred => ({ k: 'cmp', op: 'eq', left: field(k), right: { k: 'lit', v } });

describe('newIdSpace', () => {
  it('numbers again from nothing, and equal structures still get equal ids across the reset', () => {
    const old = { k: 'and', args: [eq('a', '1'), eq('b', '2')] } as Pred;
    predId(old);
    negId(old.args[0]!);
    expect(valId(field('zzz'))).toBeGreaterThan(1);
    newIdSpace();
    // the tables were emptied: the first values interned again are numbered from the start (event 0, its get 1)
    expect(valId(field('zzz'))).toBe(1);
    // a node kept from before the reset: its id is computed again in the new numbering
    const fresh = { k: 'and', args: [eq('a', '1'), eq('b', '2')] } as Pred;
    expect(predId(fresh)).toBe(predId(old));
    expect(predId({ k: 'and', args: [eq('b', '2'), eq('a', '1')] })).not.toBe(predId(old));
    expect(negId(old.args[0]!)).toBe(predId({ k: 'cmp', op: 'ne', left: field('a'), right: { k: 'lit', v: '1' } }));
    expect(valId(field('a'))).toBe(valId((old.args[0] as Extract<Pred, { k: 'cmp' }>).left));
    const lit = { k: 'lit' as const, atom: eq('a', '1') as Extract<Pred, { k: 'cmp' }>, neg: false };
    expect(nodeId(lit)).toBe(nodeId({ ...lit, atom: eq('a', '1') as Extract<Pred, { k: 'cmp' }> }));
    expect(litKey(lit)).toBe(predId(lit.atom) * 4);
  });

  it('leaves a batch (fresh ids per rule) with the same output as one rule per process', async () => {
    const run = async (args: string[]): Promise<string> => {
      let out = '';
      await main(args, { out: (s) => (out += s), err: () => {}, stdin: () => '', isTTY: false, env: {} });
      return out;
    };
    const files = fs.readdirSync('rules/aws_cloudtrail').filter((f) => f.endsWith('.yml')).sort().slice(0, 6).map((f) => path.join('rules/aws_cloudtrail', f));
    const batch = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ids-'));
    await run(['-t', 'all', '--out', batch, ...files]);
    for (const f of files.reverse()) {
      const one = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ids-'));
      await run(['-t', 'all', '--out', one, f]);
      for (const t of fs.readdirSync(one)) {
        for (const g of fs.readdirSync(path.join(one, t), { recursive: true, encoding: 'utf8' })) {
          const p = path.join(one, t, g);
          if (fs.statSync(p).isFile()) expect(fs.readFileSync(path.join(batch, t, g), 'utf8'), `${t}/${g}`).toBe(fs.readFileSync(p, 'utf8'));
        }
      }
    }
  }, 120_000);
});
