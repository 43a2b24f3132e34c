/**
 * The simplification pass (src/targets/common/simplify.ts): one case per rewrite, the cases where a
 * rewrite must not apply (a value that can raise, a case-insensitive test, a set membership), the
 * canonical order, and equivalence: a BDD over the literals (common/equiv.ts) and an exhaustive
 * evaluation over a grid of events, on random conditions and on every sample rule.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalPred, evalVal, PyError } from '../src/ast/evaluate.js';
import { canonLength, normalize, specializeLogType } from '../src/ast/normalize.js';
import type { Json, Pred, PyType, Val } from '../src/ast/types.js';
import { liftFile } from '../src/pipeline.js';
import { equivalent } from '../src/targets/common/equiv.js';
import { dropStrGuards } from '../src/targets/common/guards.js';
import { atomValue, conditionNnf, toNnf, type Nnf } from '../src/targets/common/nnf.js';
import { simplifyNnf } from '../src/targets/common/simplify.js';
import { evalNnfBy } from './support.js';

// ---------------------------------------------------------------------------------------------
// Builders

const ev: Val = { k: 'event' };
const lit = (v: Json): Val => ({ k: 'lit', v });
/** `event.get("a").get("b")`: a nested get that raises when `a` is not a mapping. */
const raw = (p: string): Val => p.split('.').reduce<Val>((obj, key) => ({ k: 'get', obj, key }), ev);
/** Panther's deep_get: never raises. */
const deep = (p: string): Val => p.split('.').reduce<Val>((obj, key) => ({ k: 'get', obj, key, deep: true }), ev);
const eq = (v: Val, x: Json, ci = false): Pred => ({ k: 'cmp', op: 'eq', left: v, right: lit(x), ...(ci ? { ci: true } : {}) });
const ne = (v: Val, x: Json, ci = false): Pred => ({ k: 'cmp', op: 'ne', left: v, right: lit(x), ...(ci ? { ci: true } : {}) });
const isin = (v: Val, list: Json[], extra: { ci?: boolean; hashed?: boolean } = {}): Pred => ({ k: 'in', value: v, list, ...extra });
const contains = (v: Val, p: string, ci = false): Pred => ({ k: 'match', kind: 'contains', value: v, pattern: p, ...(ci ? { ci: true } : {}) });
const starts = (v: Val, p: string): Pred => ({ k: 'match', kind: 'startswith', value: v, pattern: p });
const truthy = (v: Val): Pred => ({ k: 'truthy', value: v });
const exists = (v: Val): Pred => ({ k: 'exists', value: v });
const and = (...args: Pred[]): Pred => ({ k: 'and', args });
const or = (...args: Pred[]): Pred => ({ k: 'or', args });
const not = (arg: Pred): Pred => ({ k: 'not', arg });

const x = deep('x');
const y = deep('y');
const z = deep('z');

// ---------------------------------------------------------------------------------------------
// A readable text of a condition in NNF

function valText(v: Val): string {
  switch (v.k) {
    case 'event':
      return 'event';
    case 'elem':
      return `@${v.depth}`;
    case 'lit':
      return JSON.stringify(v.v);
    case 'get':
      return v.obj.k === 'event' ? v.key : `${valText(v.obj)}${v.deep ? '.' : '->'}${v.key}`;
    case 'index':
      return `${valText(v.obj)}[${v.index}]`;
    case 'fn':
      return `${v.fn}(${v.args.map(valText).join(', ')})`;
  }
}

export function text(n: Nnf, parent: 'and' | 'or' | null = null): string {
  switch (n.k) {
    case 'const':
      return String(n.v);
    case 'quant':
      return `${n.q}(${valText(n.list)}: ${text(n.body)})`;
    case 'and':
    case 'or': {
      const s = n.args.map((a) => text(a, n.k)).join(` ${n.k} `);
      return parent ? `(${s})` : s;
    }
    case 'lit': {
      const a = n.atom;
      const v = valText(atomValue(a));
      const ci = 'ci' in a && a.ci ? '~' : '';
      let s: string;
      switch (a.k) {
        case 'cmp': {
          const ops: Record<string, [string, string]> = { eq: ['==', '!='], ne: ['!=', '=='], lt: ['<', '>='], le: ['<=', '>'], gt: ['>', '<='], ge: ['>=', '<'] };
          s = `${v} ${(ops[a.op] as [string, string])[n.neg ? 1 : 0]}${ci} ${a.right.k === 'lit' ? JSON.stringify(a.right.v) : valText(a.right)}`;
          return s;
        }
        case 'in':
          return `${v} ${n.neg ? 'not in' : 'in'}${ci}${a.hashed ? '#' : ''} ${JSON.stringify(a.list)}`;
        case 'match':
          s = `${a.kind}${ci}(${v}, ${JSON.stringify(a.pattern)})`;
          break;
        case 'istype':
          s = `isinstance(${v}, ${a.type})`;
          break;
        default:
          s = `${a.k}(${v})`;
      }
      return `${n.neg ? 'not ' : ''}${n.strGuard ? '[str]' : ''}${s}`;
    }
  }
}

const nnf = (p: Pred): Nnf => toNnf(p);
const simp = (p: Pred): string => text(simplifyNnf(nnf(p)));

/** The pass keeps the meaning (BDD) and gives `want`. */
function rewrites(p: Pred, want: string): void {
  const before = nnf(p);
  const after = simplifyNnf(before);
  expect(text(after)).toBe(want);
  expect(equivalent(before, after)).toEqual({ equal: true });
}

// ---------------------------------------------------------------------------------------------

describe('rewrite rules', () => {
  it('flattens, folds constants and removes duplicates', () => {
    rewrites(and(eq(x, 'a'), and(eq(y, 'b'), eq(x, 'a')), { k: 'const', v: true }), 'x == "a" and y == "b"');
    rewrites(or(eq(x, 'a'), { k: 'const', v: true }), 'true');
    rewrites(or(and(eq(x, 'a'), eq(y, 'b')), and(eq(y, 'b'), eq(x, 'a'))), 'x == "a" and y == "b"');
  });

  it('absorption: a term implied by a sibling of an or, implying a sibling of an and', () => {
    rewrites(or(eq(x, 'a'), and(eq(x, 'a'), eq(y, 'b'))), 'x == "a"');
    rewrites(and(eq(x, 'a'), or(eq(x, 'a'), eq(y, 'b'))), 'x == "a"');
    rewrites(and(or(eq(x, 'a'), eq(y, 'b')), or(eq(x, 'a'), eq(y, 'b'), eq(z, 'c'))), 'x == "a" or y == "b"');
    rewrites(or(eq(x, 'a'), isin(x, ['a', 'b'])), 'x in ["a","b"]');
  });

  it('equalities on one field merge into in, inequalities into not in (lists sorted)', () => {
    rewrites(or(eq(x, 'b'), eq(x, 'a'), eq(x, 'c')), 'x in ["a","b","c"]');
    rewrites(and(ne(x, 'b'), ne(x, 'a')), 'x not in ["a","b"]');
    rewrites(or(isin(x, ['b', 'a']), eq(x, 1)), 'x in ["a","b",1]');
    rewrites(isin(x, ['b', 'a', 'b']), 'x in ["a","b"]');
    rewrites(isin(x, ['a']), 'x == "a"');
    // case-insensitive ones merge among themselves
    rewrites(or(eq(x, 'b', true), eq(x, 'a', true)), 'x in~ ["a","b"]');
  });

  it('booleans are not merged into lists (YARA-L and Logs Insights lack them)', () => {
    rewrites(or(eq(x, true), eq(x, 'a')), 'x == "a" or x == true');
  });

  it('a None in a merged set is not written into a list', () => {
    rewrites(and(exists(x), ne(x, 'a')), 'exists(x) and x != "a"');
  });

  it('contradictions fold to false, tautologies to true, only where the value cannot raise', () => {
    rewrites(and(eq(x, 'a'), eq(x, 'b')), 'false');
    rewrites(and(eq(x, 'a'), ne(x, 'a')), 'false');
    rewrites(or(eq(x, 'a'), ne(x, 'a')), 'true');
    rewrites(or(truthy(x), not(truthy(x))), 'true');
    // event.get("x").get("y") raises when x is a string; x.lower() raises on None: neither polarity holds then
    rewrites(or(eq(raw('x.y'), 'a'), ne(raw('x.y'), 'a')), 'x->y == "a" or x->y != "a"');
    rewrites(or(eq(x, 'a', true), ne(x, 'a', true)), 'x ==~ "a" or x !=~ "a"');
    // a contradiction holds whatever raises
    rewrites(and(eq(x, 'a', true), ne(x, 'a', true)), 'false');
  });

  it('truthiness and presence are implied by an equality with a non-empty value', () => {
    rewrites(and(truthy(x), eq(x, 'a')), 'x == "a"');
    rewrites(and(exists(x), isin(x, ['a', 'b'])), 'x in ["a","b"]');
    rewrites(and(truthy(x), contains(x, 'admin', true)), 'contains~(x, "admin")');
    rewrites(and(truthy(x), eq(x, '')), 'false');
    // "" is falsy but not None
    rewrites(and(exists(x), eq(x, '')), 'x == ""');
  });

  it('an equality is not the negation of an inequality where the field can raise', () => {
    // if x.lower() == "a": return True; return y  ->  on x = None Python raises: no alert
    rewrites(or(eq(x, 'a', true), and(ne(x, 'a', true), eq(y, 'b'))), 'x ==~ "a" or (y == "b" and x !=~ "a")');
    // a plain get never raises: the else branch needs no test
    rewrites(or(eq(x, 'a'), and(ne(x, 'a'), eq(y, 'b'))), 'x == "a" or y == "b"');
  });

  it('subsumed pattern tests', () => {
    rewrites(or(contains(x, 'admin', true), contains(x, 'administrator', true)), 'contains~(x, "admin")');
    rewrites(and(contains(x, 'admin', true), contains(x, 'administrator', true)), 'contains~(x, "administrator")');
    rewrites(and(not(contains(x, 'admin', true)), not(contains(x, 'administrator', true))), 'not contains~(x, "admin")');
    rewrites(and(starts(x, 'ab'), starts(x, 'cd')), 'false');
    rewrites(or(eq(x, 'abc'), starts(x, 'ab')), 'startswith(x, "ab")');
    rewrites(and(eq(x, 'abc'), contains(x, 'b')), 'x == "abc"');
    // on a list, "admin" in x is membership, not a substring: no subsumption for a plain contains
    rewrites(and(not(contains(x, 'admin')), not(contains(x, 'administrator'))), 'not contains(x, "admin") and not contains(x, "administrator")');
  });

  it('context: literal siblings hold inside an and and failed inside an or', () => {
    rewrites(and(eq(x, 'a'), or(ne(x, 'a'), eq(y, 'b'))), 'x == "a" and y == "b"');
    rewrites(and(eq(x, 'a'), or(eq(x, 'b'), eq(y, 'b'))), 'x == "a" and y == "b"');
    rewrites(or(eq(x, 'a'), and(eq(x, 'a'), eq(y, 'b'), eq(z, 'c'))), 'x == "a"');
    // deeper: the fact reaches nested terms
    rewrites(and(eq(x, 'a'), or(eq(y, 'b'), and(eq(z, 'c'), eq(x, 'b')))), 'x == "a" and y == "b"');
  });

  it('compound complements: X or (not X and Y) is X or Y where X cannot raise; X and (not X or Y) is X and Y', () => {
    const X = and(eq(x, false), { k: 'istype', value: x, type: 'bool' });
    const Y = and(eq(y, false), eq(z, false));
    rewrites(or(and(not(X), Y), X), '(x == false and isinstance(x, bool)) or (y == false and z == false)');
    rewrites(and(X, or(not(X), eq(y, 'b'))), 'x == false and isinstance(x, bool) and y == "b"');
    // x.lower() raises on None: X fails there and so does not X
    const R = and(eq(x, 'a', true), eq(y, 'a', true));
    rewrites(or(R, and(not(R), eq(z, 'c'))), '(x ==~ "a" and y ==~ "a") or (z == "c" and (x !=~ "a" or y !=~ "a"))');
  });

  it('common conjuncts are factored out of disjunctions, common disjuncts out of conjunctions', () => {
    rewrites(or(and(eq(x, 'a'), eq(y, 'b')), and(eq(x, 'a'), eq(z, 'c'))), 'x == "a" and (y == "b" or z == "c")');
    rewrites(and(or(eq(x, 'a'), eq(y, 'b')), or(eq(x, 'a'), eq(z, 'c'))), 'x == "a" or (y == "b" and z == "c")');
    // after factoring, the remaining equalities merge
    rewrites(or(and(eq(x, 'acl'), eq(y, 'a')), and(eq(x, 'acl'), eq(y, 'b')), and(eq(x, 'acl'), eq(y, 'b'))), 'x == "acl" and y in ["a","b"]');
  });

  it('length tests: len(v) ordered against an integer is one atom, len(v) >= k, in either polarity (normalize)', () => {
    const len: Val = { k: 'fn', fn: 'len', args: [x] };
    const c = (op: 'lt' | 'le' | 'gt' | 'ge' | 'eq', l: Val, r: Val): Extract<Pred, { k: 'cmp' }> => ({ k: 'cmp', op, left: l, right: r });
    const show = (p: Pred): string => text(simplifyNnf(nnf(normalize(p))));
    expect(show(c('le', len, lit(4)))).toBe('len(x) < 5');
    expect(show(c('lt', len, lit(4)))).toBe('len(x) < 4');
    expect(show(c('gt', len, lit(2)))).toBe('len(x) >= 3');
    expect(show(c('ge', len, lit(2)))).toBe('len(x) >= 2');
    expect(show(c('gt', lit(3), len))).toBe('len(x) < 3');
    expect(show(c('le', lit(3), len))).toBe('len(x) >= 3');
    // not an integer bound, not len(), not an ordering: as it was
    for (const p of [c('lt', len, lit(2.5)), c('lt', len, lit(true)), c('lt', x, lit(3)), c('eq', len, lit(3))]) expect(canonLength(p)).toBe(p);
    // the same result as Python's comparison on every value, raising alike
    const vals: Json[] = [null, 1, '', 'abc', [], [1, 2, 3, 4], { a: 1 }, 'abcdef'];
    const run = (p: Pred, v: Json): string => {
      try {
        return String(evalPred(p, { event: { x: v }, elems: [] }));
      } catch (e) {
        if (e instanceof PyError) return 'raises';
        throw e;
      }
    };
    for (const op of ['lt', 'le', 'gt', 'ge'] as const)
      for (const k of [-1, 0, 1, 3, 4, 6])
        for (const flip of [false, true]) {
          const p = flip ? c(op, lit(k), len) : c(op, len, lit(k));
          for (const v of vals) expect(run(canonLength(p), v)).toBe(run(p, v));
        }
  });

  it('length tests on one value are ordered: the stronger bound goes, a contradiction is false', () => {
    const ge = (v: Val, k: number): Pred => ({ k: 'cmp', op: 'ge', left: { k: 'fn', fn: 'len', args: [v] }, right: lit(k) });
    // len(x) raises where x has no length; len(str(x)) never does
    const s: Val = { k: 'fn', fn: 'str', args: [x] };
    rewrites(and(ge(x, 5), ge(x, 3)), 'len(x) >= 5');
    rewrites(or(ge(x, 5), ge(x, 3)), 'len(x) >= 3');
    rewrites(and(not(ge(x, 3)), not(ge(x, 5))), 'len(x) < 3');
    rewrites(or(not(ge(x, 3)), not(ge(x, 5))), 'len(x) < 5');
    rewrites(and(ge(x, 5), not(ge(x, 3))), 'false');
    rewrites(and(ge(x, 5), not(ge(x, 5))), 'false');
    rewrites(and(ge(x, 3), not(ge(x, 5))), 'len(x) >= 3 and len(x) < 5');
    // context: a guard the sibling decides
    rewrites(and(ge(x, 5), or(not(ge(x, 3)), eq(y, 'b'))), 'y == "b" and len(x) >= 5');
    // one of len >= 3 and len < 5 holds on every length, but both fail where len() raises
    rewrites(or(ge(x, 3), not(ge(x, 5))), 'len(x) >= 3 or len(x) < 5');
    rewrites(or(ge(s, 3), not(ge(s, 5))), 'true');
    // another value's length is another subject
    rewrites(and(ge(x, 5), ge(y, 3)), 'len(x) >= 5 and len(y) >= 3');
  });

  it('an if/else on a length test the lift wrote as clauses reads as if/else, where the test cannot raise', () => {
    const parts: Val = { k: 'fn', fn: 'split', args: [{ k: 'fn', fn: 'str', args: [x] }, lit('/')] };
    const ge = (v: Val, k: number): Pred => ({ k: 'cmp', op: 'ge', left: { k: 'fn', fn: 'len', args: [v] }, right: lit(k) });
    const piece = (i: number, s: string): Pred => eq({ k: 'index', obj: parts, index: i }, s);
    const c = ge(parts, 5);
    const X = piece(4, 'pods');
    const Y = piece(2, 'pods');
    const want = '(len(split(str(x), "/")) >= 5 and split(str(x), "/")[4] == "pods") or (split(str(x), "/")[2] == "pods" and len(split(str(x), "/")) < 5)';
    // (c or Y) and (not c or X)  ->  c and X or not c and Y, whatever the order of the clauses and their operands
    rewrites(and(or(c, Y), or(not(c), X)), want);
    rewrites(and(or(X, not(c)), or(Y, c)), want);
    // the same if/else written as it reads is left as it is
    rewrites(or(and(c, X), and(not(c), Y)), want);
    // several clauses on one test: one if/else
    const Z = eq(y, 'b');
    rewrites(
      and(or(c, Y), or(not(c), X), or(not(c), Z)),
      '(y == "b" and len(split(str(x), "/")) >= 5 and split(str(x), "/")[4] == "pods") or (split(str(x), "/")[2] == "pods" and len(split(str(x), "/")) < 5)',
    );
    // len(x) raises where x has no length: both clauses may hold with neither branch
    const r = ge(x, 5);
    rewrites(and(or(r, Y), or(not(r), X)), '(len(x) >= 5 or split(str(x), "/")[2] == "pods") and (split(str(x), "/")[4] == "pods" or len(x) < 5)');
    // another test (a value-or chain's truthiness): as the lift wrote it
    rewrites(and(or(truthy(x), Y), or(not(truthy(x)), Z)), '(truthy(x) or split(str(x), "/")[2] == "pods") and (y == "b" or not truthy(x))');
  });

  it('an isinstance test on a value its function types (split() a list, str() a str, len() an int) is decided', () => {
    const split = (v: Val): Val => ({ k: 'fn', fn: 'split', args: [v, lit('/')] });
    const sx: Val = { k: 'fn', fn: 'str', args: [x] };
    const ist = (v: Val, type: PyType): Pred => ({ k: 'istype', value: v, type });
    // str(x).split("/") is a list and never raises
    rewrites(ist(split(sx), 'list'), 'true');
    rewrites(not(ist(split(sx), 'list')), 'false');
    rewrites(ist(split(sx), 'str'), 'false');
    rewrites(not(ist(split(sx), 'str')), 'true');
    rewrites(ist({ k: 'fn', fn: 'len', args: [x] }, 'int'), 'isinstance(len(x), int)');
    rewrites(ist({ k: 'fn', fn: 'len', args: [sx] }, 'int'), 'true');
    // x.split("/") raises where x is not a str: there both polarities are false
    rewrites(ist(split(x), 'list'), 'isinstance(split(x, "/"), list)');
    rewrites(not(ist(split(x), 'str')), 'not isinstance(split(x, "/"), str)');
    rewrites(ist(split(x), 'str'), 'false');
    rewrites(not(ist(split(x), 'list')), 'false');
    // the IndexError guard of parts[6] is the length test alone
    const ge7: Pred = { k: 'cmp', op: 'ge', left: { k: 'fn', fn: 'len', args: [split(x)] }, right: lit(7) };
    rewrites(or(ge7, and(not(ist(split(x), 'list')), not(ist(split(x), 'str')))), 'len(split(x, "/")) >= 7');
  });

  it('inside an and, an if/else sibling decides the branches of another sibling on its test', () => {
    const c = eq(x, 'a');
    const ite = or(and(c, eq(y, 'b')), and(not(c), eq(z, 'c')));
    const w = eq(deep('w'), 'q');
    // ite and (w or (c and y != "b")): the second disjunct contradicts the if/else
    rewrites(and(ite, or(w, and(c, ne(y, 'b')))), 'w == "q" and ((x == "a" and y == "b") or (z == "c" and x != "a"))');
    // ... and a sibling reduced so to a literal is a fact for the rest: v holds, so `not v` goes
    const v = eq(deep('v'), 'p');
    rewrites(and(ite, or(v, and(c, ne(y, 'b'))), or(w, ne(deep('v'), 'p'))), 'v == "p" and w == "q" and ((x == "a" and y == "b") or (z == "c" and x != "a"))');
    // a disjunct the if/else does not contradict stays
    rewrites(and(ite, or(w, and(c, eq(deep('u'), 'b')))), '(w == "q" or (u == "b" and x == "a")) and ((x == "a" and y == "b") or (z == "c" and x != "a"))');
  });

  it('a negated set membership of one value stays a membership (it raises on a list, != does not)', () => {
    rewrites(not(isin(x, ['a'], { hashed: true })), 'x not in# ["a"]');
    rewrites(isin(x, ['a'], { hashed: true }), 'x == "a"');
  });

  it('compound terms on one value merge with each other into the one literal that says their set', () => {
    // D.get(x, x) == "s" with D = {"u": "s", "v": "t"}, as the lift writes it in either order of the clauses
    const K = ['u', 'v'];
    const h = { hashed: true };
    const viaIte = or(and(isin(x, K, h), isin(x, ['u'], h)), and(not(isin(x, K, h)), eq(x, 's')));
    const viaClauses = and(or(not(isin(x, K, h)), isin(x, ['u'], h)), or(isin(x, K, h), eq(x, 's')));
    rewrites(viaIte, 'x in ["s","u"]');
    rewrites(viaClauses, 'x in ["s","u"]');
    // the merged literal is then a fact for the other operands
    rewrites(and(viaClauses, or(truthy(y), isin(x, ['v', 'w'], h))), 'x in ["s","u"] and truthy(y)');
    // an `or` of terms on one value is its union
    rewrites(or(and(eq(x, 'a'), ne(x, 'b')), and(isin(x, ['c', 'd']), ne(x, 'd'))), 'x in ["a","c"]');
    // no literal says {"a"} plus every hashable value but "b" (a list or dict raises on the set): left as it is
    expect(simp(and(or(eq(x, 'a'), not(isin(x, ['b'], h))), or(eq(x, 'a'), truthy(y))))).not.toContain('x != "b"');
  });

  it('the facts about one value decide literals together: x in ("a", "b") makes x != "a" and x not in# ("b") false', () => {
    const h = { hashed: true };
    rewrites(and(isin(x, ['a', 'b']), or(truthy(y), and(ne(x, 'a'), not(isin(x, ['b'], h))))), 'x in ["a","b"] and truthy(y)');
    // inside an or the failed siblings are the facts: x is not "a", and "a", "b" or a list or dict: so not "c" either
    rewrites(or(eq(x, 'a'), not(isin(x, ['a', 'b'], h)), and(truthy(y), isin(x, ['a', 'c']))), 'x == "a" or x not in# ["a","b"]');
  });

  it('string guards: a guarded negation holds on every non-string, the plain test on a list too', () => {
    const pos: Nnf = { k: 'lit', atom: contains(x, 'a') as never, neg: false };
    const negGuarded: Nnf = { k: 'lit', atom: contains(x, 'a') as never, neg: true, strGuard: true };
    // both hold on ["a"]: no contradiction; together they cover every value: a tautology
    for (const [g, want] of [
      [{ k: 'and', args: [pos, negGuarded] }, 'contains(x, "a") and not [str]contains(x, "a")'],
      [{ k: 'or', args: [pos, negGuarded] }, 'true'],
    ] as [Nnf, string][]) {
      const s = simplifyNnf(g);
      expect(text(s)).toBe(want);
      expect(equivalent(g, s)).toEqual({ equal: true });
    }
  });

  it('an any() body keeps its three values (an element that raises before the deciding one raises); an all() body only needs to hold', () => {
    const n: Val = { k: 'get', obj: { k: 'elem', depth: 0 }, key: 'n', deep: true };
    const body = and(truthy(n), starts(n, 'a'));
    // any(x and x.startswith("a") for x in items) is False on [None, "ab"]; without the guard it raises
    rewrites({ k: 'quant', q: 'any', list: deep('items'), pred: body }, 'any(items: startswith(@0.n, "a") and truthy(@0.n))');
    rewrites({ k: 'quant', q: 'all', list: deep('items'), pred: body }, 'all(items: startswith(@0.n, "a"))');
    // the checker tells them apart
    const lit = (p: Pred): Nnf => toNnf(p);
    expect(equivalent(lit({ k: 'quant', q: 'any', list: deep('items'), pred: body }), lit({ k: 'quant', q: 'any', list: deep('items'), pred: starts(n, 'a') })).equal).toBe(false);
    // structural rewrites stay: duplicates, absorption, sorting
    rewrites({ k: 'quant', q: 'any', list: deep('items'), pred: or(eq(n, 'b'), and(eq(n, 'b'), truthy(n)), eq(n, 'a')) }, 'any(items: @0.n == "a" or @0.n == "b")');
  });

  it('quantifier bodies are simplified on their own', () => {
    const q: Pred = { k: 'quant', q: 'any', list: deep('items'), pred: or(eq({ k: 'get', obj: { k: 'elem', depth: 0 }, key: 'n', deep: true }, 'b'), eq({ k: 'get', obj: { k: 'elem', depth: 0 }, key: 'n', deep: true }, 'a')) };
    rewrites(and(q, eq(x, 'a')), 'x == "a" and any(items: @0.n == "a" or @0.n == "b")');
    rewrites(and({ ...q, q: 'all' }, eq(x, 'a')), 'x == "a" and all(items: @0.n in ["a","b"])');
  });
});

describe('canonical order', () => {
  it('operands sorted: positive literals by field, compound terms, negated literals, exclusions', () => {
    const [u, v, w] = [deep('u'), deep('v'), deep('w')];
    expect(simp(and(ne(w, 'q'), or(eq(z, '1'), eq(y, '2')), eq(x, 'a'), not(and(eq(u, 'b'), eq(v, 'c'))), eq(deep('t'), 'b')))).toBe(
      't == "b" and x == "a" and (y == "2" or z == "1") and w != "q" and (u != "b" or v != "c")',
    );
    // a literal a sibling decides is gone: y == "b" makes y != "q" true and y == "2" false
    expect(simp(and(ne(y, 'q'), or(eq(z, '1'), eq(y, '2')), eq(x, 'a'), eq(y, 'b')))).toBe('x == "a" and y == "b" and z == "1"');
  });

  it('every permutation of the operands gives the same text', () => {
    const parts = [eq(x, 'a'), or(eq(y, 'b'), contains(z, 'q')), ne(z, 'n'), isin(y, ['c', 'd']), not(and(eq(x, 'b'), truthy(y)))];
    const texts = new Set<string>();
    fc.assert(
      fc.property(fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }), (ps) => {
        texts.add(simp(and(...ps)));
        texts.add(simp(or(...ps)));
      }),
      { numRuns: 60 },
    );
    expect(texts.size).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// Random conditions: BDD equivalence and exhaustive evaluation over a grid of events

const FIELDS: Val[] = [deep('a'), { k: 'get', obj: ev, key: 'b', default: lit('') }, raw('c.d'), ev.k === 'event' ? { k: 'get', obj: ev, key: 'a' } : ev];
const CONSTS: Json[] = ['a', 'ab', 'b', 'A', '', 0, 1, true, null];
const PATTERNS = ['a', 'ab', 'b', 'ba', ''];

const atomArb: fc.Arbitrary<Pred> = fc.oneof(
  fc.record({ v: fc.constantFrom(...FIELDS), c: fc.constantFrom(...CONSTS), op: fc.constantFrom<'eq' | 'ne'>('eq', 'ne') }).map(({ v, c, op }): Pred => ({ k: 'cmp', op, left: v, right: lit(c) })),
  fc.record({ v: fc.constantFrom(...FIELDS), c: fc.constantFrom('a', 'ab', 'b', '') }).map(({ v, c }) => eq(v, c, true)),
  fc.record({ v: fc.constantFrom(...FIELDS), l: fc.subarray(CONSTS, { minLength: 0, maxLength: 4 }), hashed: fc.boolean() }).map(({ v, l, hashed }) => isin(v, l, hashed ? { hashed } : {})),
  fc.record({ v: fc.constantFrom(...FIELDS), l: fc.subarray(['a', 'ab', 'b'], { minLength: 1 }) }).map(({ v, l }) => isin(v, l, { ci: true })),
  fc
    .record({ v: fc.constantFrom(...FIELDS), p: fc.constantFrom(...PATTERNS), kind: fc.constantFrom<'contains' | 'startswith' | 'endswith'>('contains', 'startswith', 'endswith'), ci: fc.boolean() })
    .map(({ v, p, kind, ci }): Pred => ({ k: 'match', kind, value: v, pattern: p, ...(ci ? { ci: true } : {}) })),
  fc.constantFrom(...FIELDS).map(truthy),
  fc.constantFrom(...FIELDS).map(exists),
  fc.record({ v: fc.constantFrom(...FIELDS), t: fc.constantFrom<PyType>('str', 'list', 'dict', 'none', 'int') }).map(({ v, t }): Pred => ({ k: 'istype', value: v, type: t })),
  fc.constantFrom(...FIELDS).map((v): Pred => ({ k: 'match', kind: 'regex', value: v, pattern: '^a' })),
  // length tests as the lift writes them (canonLength): len(a) raises where a has no length, len(str(a)) never
  fc
    .record({ v: fc.constantFrom<Val>(deep('a'), { k: 'fn', fn: 'str', args: [deep('a')] }), k: fc.integer({ min: 0, max: 5 }), op: fc.constantFrom<'lt' | 'le' | 'gt' | 'ge'>('lt', 'le', 'gt', 'ge') })
    .map(({ v, k, op }): Pred => canonLength({ k: 'cmp', op, left: { k: 'fn', fn: 'len', args: [v] }, right: lit(k) })),
);

const predArb: fc.Arbitrary<Pred> = fc.letrec((tie) => ({
  p: fc.oneof({ depthSize: 'small', withCrossShrink: true }, atomArb, atomArb, tie('not'), tie('and'), tie('or')) as fc.Arbitrary<Pred>,
  not: tie('p').map((a) => not(a as Pred)),
  and: fc.array(tie('p'), { minLength: 2, maxLength: 4 }).map((a) => and(...(a as Pred[]))),
  or: fc.array(tie('p'), { minLength: 2, maxLength: 4 }).map((a) => or(...(a as Pred[]))),
})).p;

/** Add `strGuard` to some literals, as dropStrGuards would leave them. */
function guardSome(n: Nnf, seed: number): Nnf {
  let i = seed;
  const walk = (m: Nnf): Nnf => {
    if (m.k === 'lit') return m.atom.k === 'match' && ++i % 3 === 0 ? { ...m, strGuard: true } : m;
    if (m.k === 'and' || m.k === 'or') return { k: m.k, args: m.args.map(walk) };
    return m;
  };
  return walk(n);
}

const VALUES: (Json | undefined)[] = [undefined, null, '', 'a', 'ab', 'b', 'A', 'ba', 'xaby', 0, 1, true, [], ['a'], {}, { a: 1 }];
const C_VALUES: (Json | undefined)[] = [undefined, 's', {}, { d: 'a' }, { d: 'ab' }, { d: null }, { d: ['a'] }, { d: 1 }];

function* events(): Generator<Json> {
  for (const a of VALUES)
    for (const b of VALUES)
      for (const c of C_VALUES) {
        const e: Record<string, Json> = {};
        if (a !== undefined) e.a = a;
        if (b !== undefined) e.b = b;
        if (c !== undefined) e.c = c;
        yield e;
      }
}

/** A literal's value on an event: its atom evaluates to its polarity (a raise is false). */
function holds(n: Nnf, event: Json): boolean {
  const scope = { event, elems: [] };
  return evalNnfBy(n, (l) => {
    try {
      if (l.strGuard && typeof evalVal(atomValue(l.atom), scope) !== 'string') return l.neg;
      return evalPred(l.atom, scope) === !l.neg;
    } catch (e) {
      if (e instanceof PyError) return false;
      throw e;
    }
  });
}

describe('equivalence on random conditions', () => {
  const grid = [...events()];
  it('simplify(p) matches the same events as p (exhaustive over a grid) and the BDD agrees', () => {
    fc.assert(
      fc.property(predArb, fc.nat(2), (p, seed) => {
        const before = guardSome(toNnf(p), seed);
        const after = simplifyNnf(before);
        for (const e of grid) {
          if (holds(before, e) !== holds(after, e)) throw new Error(`differs on ${JSON.stringify(e)}:\n  ${text(before)}\n  ${text(after)}`);
        }
        const v = equivalent(before, after);
        if (v.equal !== true) throw new Error(`BDD: ${JSON.stringify(v)}\n  ${text(before)}\n  ${text(after)}`);
      }),
      { numRuns: 250 },
    );
  });

  it('the pass is idempotent', () => {
    fc.assert(
      fc.property(predArb, (p) => {
        const once = simplifyNnf(toNnf(p));
        expect(text(simplifyNnf(once))).toBe(text(once));
      }),
      { numRuns: 150 },
    );
  });
});

describe('equivalence on the sample rules', () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const f of fs.readdirSync(d)) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) {
        if (!['global_helpers', 'data_models'].includes(f)) walk(p);
      } else if (/\.ya?ml$/.test(f)) files.push(p);
    }
  };
  walk('rules');
  it.each(files)('%s', (file) => {
    const { rule } = liftFile(file);
    const lt = rule.meta.logTypes[0];
    const before = dropStrGuards(conditionNnf(lt ? specializeLogType(rule.condition, lt) : rule.condition), () => true);
    const after = simplifyNnf(before);
    expect(equivalent(before, after)).toEqual({ equal: true });
  });
});

describe('cost', () => {
  /** if x == v0: (y == "b") elif x == v1: (z == "c") ... as the lifter writes an elif chain. */
  const elif = (n: number): Pred => {
    let p: Pred = { k: 'const', v: false };
    for (let i = n - 1; i >= 0; i--) p = or(and(eq(x, `v${i}`), i % 2 ? eq(y, 'b') : eq(z, 'c')), and(ne(x, `v${i}`), p));
    return p;
  };

  // Their speed is measured by `npm run bench`, not asserted here (a timed assertion fails on a loaded machine).
  it('a 1,000-term chain, a 1,000-value merge and a 300-deep elif chain simplify', () => {
    const chain = and(...Array.from({ length: 1000 }, (_, i) => eq(deep(`f${i}`), String(i))));
    const ors = or(...Array.from({ length: 1000 }, (_, i) => eq(x, `v${i}`)));
    const deepChain = nnf(elif(300));
    expect(text(simplifyNnf(nnf(chain))).split(' and ')).toHaveLength(1000);
    const merged = simplifyNnf(nnf(ors));
    expect(merged.k === 'lit' && merged.atom.k === 'in' && merged.atom.list.length).toBe(1000);
    const out = simplifyNnf(deepChain);
    // the chain is two memberships: the odd values with y, the even ones with z
    expect(text(out).replace(/\[[^\]]*\]/g, '[...]')).toBe('(x in [...] and z == "c") or (x in [...] and y == "b")');
  });

  it('a subtree repeated under other facts is simplified under each (junction results are kept per facts)', () => {
    // the same inner `or` (structurally: distinct objects, as a lift reading a helper on several paths makes)
    // true where x == "a" holds, `y == 1` where x == "b" holds, and itself where no fact decides it
    const inner = (): Pred => or(eq(x, 'a'), eq(y, 1));
    rewrites(or(and(eq(x, 'a'), inner()), and(eq(x, 'b'), inner()), and(eq(z, 'c'), inner())), 'x == "a" or (y == 1 and (x == "b" or z == "c"))');
    // the same facts on both paths: one result, taken twice
    const twice = or(and(eq(x, 'b'), or(eq(z, 'c'), inner())), and(eq(x, 'b'), or(eq(z, 'd'), inner())));
    rewrites(twice, 'x == "b" and (y == 1 or z in ["c","d"])');
  });

  it('a helper read on many paths: 2^12 paths over 14 literals, each level simplified once per facts', () => {
    // level i: (f_i == "a" and L) or (f_i != "a" and L), L the level below, written out as a tree
    const level = (i: number): Pred => (i === 12 ? or(eq(x, 'a'), eq(y, 1)) : or(and(eq(deep(`f${i}`), 'a'), level(i + 1)), and(ne(deep(`f${i}`), 'a'), level(i + 1))));
    const p = nnf(and(eq(z, 'c'), level(0)));
    const out = simplifyNnf(p);
    expect(text(out)).toBe('z == "c" and (x == "a" or y == 1)');
  });

  it('the elif chain result is equivalent (BDD)', () => {
    const p = nnf(elif(60));
    expect(equivalent(p, simplifyNnf(p))).toEqual({ equal: true });
  });

  it('a condition nested deeper than the stack is left as it is', () => {
    let p: Nnf = { k: 'lit', atom: eq(x, 'a') as never, neg: false };
    for (let i = 0; i < 200_000; i++) p = { k: i % 2 ? 'and' : 'or', args: [p, { k: 'lit', atom: eq(deep(`f${i}`), 'b') as never, neg: false }] };
    expect(simplifyNnf(p)).toBe(p);
  });
});
