/**
 * A boolean tree of already-rendered target text, for the infix targets (KQL, YARA-L, Logs Insights).
 * Literals that a target cannot express become `true` (the superset); constants are then folded.
 *
 * Building a junction also tidies what the printer added around the literals (the same presence guard
 * before every test on one field, `(not ispresent(x) or A) and (not ispresent(x) or B)`): the same text
 * twice is kept once, a term holding a sibling is absorbed, and a text shared by several sub-terms is
 * factored out (`not ispresent(x) or (A and B)`). These are identities of any two- or three-valued
 * logic with `and`/`or` as min/max (a target's null reads as unknown), so the tree means the same.
 *
 * Before the layout (`outConjuncts(o, target)`, a `printOut` syntax with `reading`), the whole tree is
 * simplified once more in the context of its own literals, as the target reads its texts (outctx.ts):
 * `A or (B and not A)` → `A or B` where the syntax shows A is never null.
 */
import { foldJunction } from './fold.js';
import { READINGS, simplifyInContext, type Reading, type ReadingName } from './outctx.js';
import type { Algebra } from './printer.js';

export type Out = { k: 'const'; v: boolean } | { k: 'and' | 'or'; args: Out[] } | { k: 'text'; s: string };

export function simplifyOut(o: Out): Out {
  return o.k === 'and' || o.k === 'or' ? foldJunction(o.k, o.args, simplifyOut) : o;
}

const keys = new WeakMap<Out, string>();

/** Structural identity of a tree (text as written, operands in order). */
function key(o: Out): string {
  if (o.k === 'text') return `t${o.s}`;
  if (o.k === 'const') return o.v ? 'T' : 'F';
  let k = keys.get(o);
  if (k === undefined) keys.set(o, (k = `${o.k}(${o.args.map(key).join('\u0001')})`));
  return k;
}

/** Junctions past this many operands are only folded and deduplicated (the tidying is quadratic). */
const TIDY = 64;

/** Fold, deduplicate, absorb and factor one junction (its operands are tidy already). */
function tidy(o: Out): Out {
  const f = simplifyOut(o);
  if (f.k !== 'and' && f.k !== 'or') return f;
  const op = f.k;
  const dual = op === 'and' ? 'or' : 'and';
  const seen = new Set<string>();
  let args = f.args.filter((a) => {
    const k = key(a);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (args.length > TIDY) return args.length === 1 ? (args[0] as Out) : { k: op, args };
  // absorption: x or (x and y) is x; x and (x or y) is x
  args = args.filter((a) => !(a.k === dual && a.args.some((b) => seen.has(key(b)) && b !== a)));
  // factoring: the operand most sub-terms share, pulled out (placed where its first holder was)
  for (;;) {
    const count = new Map<string, number>();
    for (const a of args) if (a.k === dual) for (const k of new Set(a.args.map(key))) count.set(k, (count.get(k) ?? 0) + 1);
    let best: string | null = null;
    for (const [k, n] of count) if (n >= 2 && (best === null || n > (count.get(best) as number))) best = k;
    if (best === null) break;
    const holders = args.filter((a) => a.k === dual && a.args.some((b) => key(b) === best));
    const shared = (holders[0] as { args: Out[] }).args.find((b) => key(b) === best) as Out;
    const rests = holders.map((h) => build(dual, (h as { args: Out[] }).args.filter((b) => key(b) !== best)));
    const factored = build(dual, [shared, build(op, rests)]);
    const at = args.indexOf(holders[0] as Out);
    args = args.flatMap((a, i) => (i === at ? [factored] : holders.includes(a) ? [] : [a]));
  }
  const out = simplifyOut({ k: op, args });
  return out;
}

function build(op: 'and' | 'or', args: Out[]): Out {
  return tidy({ k: op, args });
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
  /**
   * Break a condition longer than `width` characters over lines: a junction's operands one per line
   * (each after its operator), a nested junction's inside its parentheses, indented by `step` more than
   * its parent; continuation lines start with `indent` (what the line's own prefix is worth).
   */
  wrap?: { width: number; indent: string; step: string };
  /** Simplify the condition first in the context of its own printed literals, as this target reads them (outctx.ts). */
  reading?: ReadingName;
}

const needsParens = (o: Out, syn: InfixSyntax, parent: 'and' | 'or' | null): boolean =>
  (o.k === 'or' && parent === 'and') || (!!syn.parenthesiseAll && o.k === 'and' && parent === 'or');

/**
 * Print with `and` binding tighter than `or`; an `or` inside an `and` is parenthesised (with
 * `parenthesiseAll`, every nested connective is). With `wrap`, a long condition is laid out over lines.
 */
export function printOut(o0: Out, syn: InfixSyntax, parent: 'and' | 'or' | null = null): string {
  const o = syn.reading ? simplifyInContext(o0, READINGS[syn.reading], { and, or }) : o0;
  return syn.wrap ? wrapped(o, syn, parent, syn.wrap.indent) : flat(o, syn, parent);
}

function flat(o: Out, syn: InfixSyntax, parent: 'and' | 'or' | null): string {
  switch (o.k) {
    case 'const':
      return o.v ? syn.true : syn.false;
    case 'text':
      return o.s;
    case 'and':
    case 'or': {
      const s = o.args.map((a) => flat(a, syn, o.k as 'and' | 'or')).join(o.k === 'and' ? syn.and : syn.or);
      return needsParens(o, syn, parent) ? `(${s})` : s;
    }
  }
}

/** `o` starting at the current column; its continuation lines start with `ind`. */
function wrapped(o: Out, syn: InfixSyntax, parent: 'and' | 'or' | null, ind: string): string {
  const w = syn.wrap as NonNullable<InfixSyntax['wrap']>;
  const one = flat(o, syn, parent);
  if ((o.k !== 'and' && o.k !== 'or') || one.length + ind.length <= w.width) return one;
  const op = (o.k === 'and' ? syn.and : syn.or).trim();
  const parens = needsParens(o, syn, parent);
  // operands on their own lines: inside parentheses one step in, else at this level's indentation
  const at = parens ? ind + w.step : ind;
  // an operand's own continuation: its parentheses close at its line's indentation, otherwise one step in
  const lines = o.args.map((a, i) => `${i === 0 ? '' : `${op} `}${wrapped(a, syn, o.k as 'and' | 'or', needsParens(a, syn, o.k as 'and' | 'or') ? at : at + w.step)}`);
  return parens ? `(\n${at}${lines.join(`\n${at}`)}\n${ind})` : lines.join(`\n${at}`);
}

/**
 * The top-level conjuncts of a condition (none for `true`). With a target, the condition is first
 * simplified in the context of its own printed literals, as that target reads them (outctx.ts).
 */
export function outConjuncts(o: Out, target?: ReadingName | Reading): Out[] {
  const s = target ? simplifyInContext(o, typeof target === 'string' ? READINGS[target] : target, { and, or }) : o;
  if (s !== o && s.k === 'const' && s.v) return [];
  return s.k === 'and' ? s.args : [s];
}

/** The texts of a condition's leaves, in order, each as often as it is written. */
export function outTexts(o: Out, out: string[] = []): string[] {
  if (o.k === 'text') out.push(o.s);
  else if (o.k !== 'const') for (const a of o.args) outTexts(a, out);
  return out;
}

export const text = (s: string): Out => ({ k: 'text', s });
export const T: Out = { k: 'const', v: true };
export const F: Out = { k: 'const', v: false };
export const or = (...args: Out[]): Out => build('or', args);
export const and = (...args: Out[]): Out => build('and', args);

/** The infix targets' boolean algebra, for the printer base. */
export const OUT: Algebra<Out> = { T, F, and, or };
