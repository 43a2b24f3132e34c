/**
 * Python's precedence of the boolean words: `not` binds tighter than `and`, `and` tighter than `or`
 * (docs.python.org/3/reference/expressions.html#operator-precedence). @lezer/python gives `not` the
 * lowest precedence; the converter reads the words back as Python does. Each expected tree is the one
 * CPython's `ast.parse` gives (printed fully parenthesised).
 */
import { describe, expect, it } from 'vitest';
import type { Expr } from '../src/python/ast.js';
import { parsePython } from '../src/python/parse.js';

function show(e: Expr): string {
  switch (e.t) {
    case 'Name':
      return e.id;
    case 'BoolOp':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'Not':
      return `(not ${show(e.operand)})`;
    case 'Compare':
      return `(${show(e.left)} ${({ '==': 'Eq', in: 'In' } as Record<string, string>)[e.ops[0]!] ?? e.ops[0]} ${show(e.comparators[0]!)})`;
    case 'IfExp':
      return `(${show(e.body)} if ${show(e.test)} else ${show(e.orelse)})`;
    default:
      return `?${e.t}`;
  }
}

function tree(src: string): string {
  const m = parsePython(`def f():\n    return ${src}\n`, 'f.py');
  const fn = m.body[0] as { body: { value: Expr }[] };
  return show(fn.body[0]!.value);
}

const CPYTHON: [string, string][] = [
  ['a and not b or c', '((a and (not b)) or c)'],
  ['not a or b', '((not a) or b)'],
  ['not a and b', '((not a) and b)'],
  ['a or not b and c', '(a or ((not b) and c))'],
  ['not not a or b', '((not (not a)) or b)'],
  ['a and b or c and not d', '((a and b) or (c and (not d)))'],
  ['not (a or b) and c', '((not (a or b)) and c)'],
  ['a or b and c or d', '((a or (b and c)) or d)'],
  ['not a == b or c', '((not (a Eq b)) or c)'],
  ['a and (not b or c)', '(a and ((not b) or c))'],
  ['x if not a or b else y', '(x if ((not a) or b) else y)'],
  ['not a in b and c', '((not (a In b)) and c)'],
];

describe('boolean precedence as CPython reads it', () => {
  for (const [src, want] of CPYTHON) it(src, () => expect(tree(src)).toBe(want));
});
