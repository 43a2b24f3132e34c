/**
 * A boolean tree of already-rendered target text, for the infix targets (KQL, YARA-L, Logs Insights).
 * Literals that a target cannot express become `true` (the superset); constants are then folded.
 */
import { foldJunction } from './fold.js';
import type { Algebra } from './printer.js';

export type Out = { k: 'const'; v: boolean } | { k: 'and' | 'or'; args: Out[] } | { k: 'text'; s: string };

export function simplifyOut(o: Out): Out {
  return o.k === 'and' || o.k === 'or' ? foldJunction(o.k, o.args, simplifyOut) : o;
}

export interface InfixSyntax {
  and: string;
  or: string;
  true: string;
  false: string;
  /**
   * Parenthesise every nested `and`/`or`, not only an `or` inside an `and`: for languages that do not
   * document the precedence of `and` over `or` (YARA-L, Logs Insights).
   */
  parenthesiseAll?: boolean;
}

/**
 * Print with `and` binding tighter than `or`; an `or` inside an `and` is parenthesised (with
 * `parenthesiseAll`, every nested connective is).
 */
export function printOut(o: Out, syn: InfixSyntax, parent: 'and' | 'or' | null = null): string {
  switch (o.k) {
    case 'const':
      return o.v ? syn.true : syn.false;
    case 'text':
      return o.s;
    case 'and': {
      const s = o.args.map((a) => printOut(a, syn, 'and')).join(syn.and);
      return syn.parenthesiseAll && parent === 'or' ? `(${s})` : s;
    }
    case 'or': {
      const s = o.args.map((a) => printOut(a, syn, 'or')).join(syn.or);
      return parent === 'and' ? `(${s})` : s;
    }
  }
}

export function outConjuncts(o: Out): Out[] {
  return o.k === 'and' ? o.args : [o];
}

export const text = (s: string): Out => ({ k: 'text', s });
export const T: Out = { k: 'const', v: true };
export const F: Out = { k: 'const', v: false };
export const or = (...args: Out[]): Out => simplifyOut({ k: 'or', args });
export const and = (...args: Out[]): Out => simplifyOut({ k: 'and', args });

/** The infix targets' boolean algebra, for the printer base. */
export const OUT: Algebra<Out> = { T, F, and, or };
