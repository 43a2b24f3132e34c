/**
 * A boolean tree of already-rendered target text, for the infix targets (KQL, YARA-L, Logs Insights).
 * Literals that a target cannot express become `true` (the superset); constants are then folded.
 */
import type { Nnf } from './nnf.js';

export type Out = { k: 'const'; v: boolean } | { k: 'and' | 'or'; args: Out[] } | { k: 'text'; s: string };

export function simplifyOut(o: Out): Out {
  if (o.k !== 'and' && o.k !== 'or') return o;
  const unit = o.k === 'and';
  const args: Out[] = [];
  for (const a0 of o.args) {
    const a = simplifyOut(a0);
    if (a.k === 'const') {
      if (a.v === unit) continue;
      return { k: 'const', v: !unit };
    }
    if (a.k === o.k) args.push(...a.args);
    else args.push(a);
  }
  if (args.length === 0) return { k: 'const', v: unit };
  if (args.length === 1) return args[0]!;
  return { k: o.k, args };
}

export function lowerNnf(n: Nnf, lit: (l: Extract<Nnf, { k: 'lit' }>) => Out, quant: (q: Extract<Nnf, { k: 'quant' }>) => Out): Out {
  switch (n.k) {
    case 'const':
      return n;
    case 'lit':
      return lit(n);
    case 'quant':
      return quant(n);
    case 'and':
    case 'or':
      return simplifyOut({ k: n.k, args: n.args.map((a) => lowerNnf(a, lit, quant)) });
  }
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
