/**
 * The Sigma `condition` expression.
 *
 * Specification: SigmaHQ/sigma-specification, specification/sigma-rules-specification.md, "Condition":
 * `and`, `or`, `not`, brackets, `1 of them` / `all of them` (search identifiers not starting with `_`),
 * `1 of pattern` / `all of pattern` (`*` wildcards at arbitrary positions), and the precedence, least to
 * most binding: or, and, not, `x of`, `( expression )`. A list of conditions is OR-ed.
 * Lexical details the specification leaves open follow pySigma (sigma/conditions.py, the reference
 * parser): keywords are lower case, identifiers are `[A-Za-z0-9_-]+`, patterns `[A-Za-z0-9_*]+`, a
 * pattern matches whole identifiers and skips `_`-prefixed ones unless the pattern itself starts with `_`.
 */
import { Refusal } from '../types.js';

export type CondNode =
  | { k: 'and' | 'or'; args: CondNode[] }
  | { k: 'not'; arg: CondNode }
  | { k: 'id'; name: string };

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them']);

function tokenize(s: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:(\(|\))|([A-Za-z0-9_*-]+)|(\S))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[3] !== undefined) throw new Refusal(`Sigma condition '${s}': unexpected character '${m[3]}'`);
    out.push(m[1] ?? m[2]!);
    if (re.lastIndex >= s.length) break;
  }
  if (s.trim() !== '' && out.length === 0) throw new Refusal(`Sigma condition '${s}' cannot be read`);
  return out;
}

/** Parse one condition string against the rule's search identifiers. */
export function parseCondition(text: string, identifiers: readonly string[]): CondNode {
  const toks = tokenize(text);
  let i = 0;
  const fail = (what: string): never => {
    throw new Refusal(`Sigma condition '${text}': ${what}`);
  };
  const peek = () => toks[i];
  const next = () => toks[i++];
  const expect = (t: string) => {
    if (next() !== t) fail(`expected '${t}'`);
  };

  const selector = (quant: string): CondNode => {
    expect('of');
    const pat = next();
    if (pat === undefined) return fail(`'${quant} of' without a pattern`);
    let ids: string[];
    if (pat === 'them') ids = identifiers.filter((x) => !x.startsWith('_'));
    else {
      if (!/^[A-Za-z0-9_*]+$/.test(pat)) fail(`'${pat}' is not a search identifier pattern`);
      const re = new RegExp(`^${pat.replace(/\*/g, '.*')}$`);
      ids = identifiers.filter((x) => re.test(x) && (pat.startsWith('_') || !x.startsWith('_')));
    }
    if (ids.length === 0) fail(`'${quant} of ${pat}' matches no search identifier`);
    const args: CondNode[] = ids.map((name) => ({ k: 'id', name }));
    return args.length === 1 ? args[0]! : { k: quant === 'all' ? 'and' : 'or', args };
  };

  const atom = (): CondNode => {
    const t = next();
    if (t === undefined) return fail('unexpected end');
    if (t === '(') {
      const e = orExpr();
      expect(')');
      return e;
    }
    if ((t === '1' || t === 'all') && peek() === 'of') return selector(t);
    if (t === 'any' && peek() === 'of') return fail(`'any of' is not in the Sigma specification (only '1 of' and 'all of')`);
    if (t === ')' || KEYWORDS.has(t)) return fail(`unexpected '${t}'`);
    if (!/^[A-Za-z0-9_-]+$/.test(t)) return fail(`'${t}' is not a search identifier`);
    if (!identifiers.includes(t)) return fail(`search identifier '${t}' is not defined`);
    return { k: 'id', name: t };
  };
  const notExpr = (): CondNode => {
    if (peek() === 'not') {
      next();
      return { k: 'not', arg: notExpr() };
    }
    return atom();
  };
  const andExpr = (): CondNode => {
    const args = [notExpr()];
    while (peek() === 'and') {
      next();
      args.push(notExpr());
    }
    return args.length === 1 ? args[0]! : { k: 'and', args };
  };
  const orExpr = (): CondNode => {
    const args = [andExpr()];
    while (peek() === 'or') {
      next();
      args.push(andExpr());
    }
    return args.length === 1 ? args[0]! : { k: 'or', args };
  };
  const e = orExpr();
  if (i < toks.length) fail(`unexpected '${toks[i]}'`);
  return e;
}
