/**
 * Recursive-descent parser for the Logs Insights subset our printer emits (and a little more that the
 * documentation states precisely).
 *
 * Query: `#` comment lines, commands separated by `|` (CWL_QuerySyntax.html):
 *   fields <name>, ...            output only (names), and `jsonParse(f) as name`, which makes the
 *                                 structure `name` the later commands read (`name.attr`, `name.\`a-b\``),
 *                                 and `if(<expr>, v1, v2) as name` with literal v1, v2: the value the later
 *                                 commands read as the field `name` (CWL_QuerySyntax-operations-functions.html,
 *                                 "General functions": "returns trueValue if the condition is true, or
 *                                 falseValue otherwise")
 *   filter <expr> / where <expr>  per event before `stats`; after `stats` a threshold (recorded, not run)
 *                                 (`where` is documented as an alias of `filter`, CWL_QuerySyntax-Where.html)
 *   unnest <field> into <name>    one record per item of the list `field` holds (CWL_QuerySyntax-Unnest.html)
 *   stats ... by ...              the aggregation (recorded as text)
 *   sort <name> [asc|desc], limit <n>, display <name>, ...   no effect on which events a filter keeps
 * Anything else (parse, dedup, unnest, fields with other expressions, ...) is refused.
 *
 * Expressions (CWL_QuerySyntax-Filter.html, CWL_QuerySyntax-operations-functions.html):
 *   operand := field | `quoted field` | "string" | 'string' | number
 *   pred    := operand (= | != | < | <= | > | >=) operand
 *            | operand [not] in [lit, ...]
 *            | operand [not] like ("string" | /regex/)
 *            | operand =~ /regex/
 *            | isempty(f) | ispresent(f) | isblank(f) | isIpInSubnet(f, "cidr")
 *            | (startsWith | endsWith)(sval, sval) = (0 | 1)
 *            | sval (= | !=) sval        (a side a concat() or regexReplace())
 *            | jsonArrayContains(jsonStringify(path), "string")   (path a structure's or item's attribute)
 *   sval    := field | "string" | concat(sval, ...) | regexReplace(sval, "re", "")
 *              (the string functions, CWL_QuerySyntax-operations-functions.html "String functions";
 *              regexReplace only with the patterns `(?s)^.*c` and `(?s)c.*`, c one character or `[c]`,
 *              and an empty replacement: the text after the last c, before the first c)
 *            | ( expr )
 *   unary   := not ( expr ) | not call | pred
 *   expr    := unary (and unary)* | unary (or unary)*
 * The relative precedence of `and` and `or` is not documented: a mix without parentheses is refused.
 * `not` before a bare comparison (`not a = b`) is refused for the same reason; `not` is accepted before
 * a parenthesis or a function call.
 */
import { Refusal } from '../types.js';
import type { Tok } from './lexer.js';

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * A field: a discovered field's name, or (`segs`) a dotted path whose first segment may name a
 * structure made by `fields jsonParse(f) as name` (the evaluator decides which); a back-quoted name
 * (`\`a-b\``) is one discovered field and has no `segs`.
 */
export type FieldOp = { k: 'field'; name: string; segs?: string[] };

export type Operand = FieldOp | { k: 'str'; v: string } | { k: 'num'; v: number };

export type Expr =
  | { k: 'and' | 'or'; args: Expr[] }
  | { k: 'not'; e: Expr }
  | { k: 'cmp'; op: CmpOp; l: Operand; r: Operand }
  | { k: 'in'; neg: boolean; l: Operand; list: (string | number)[] }
  /** `like "s"` (substring), `like /re/` and `=~ /re/` (regex). */
  | { k: 'like'; neg: boolean; l: Operand; str?: string; re?: string }
  | { k: 'call'; fn: 'isempty' | 'ispresent' | 'isblank'; field: FieldOp }
  | { k: 'ipsub'; field: FieldOp; cidr: string }
  /** `jsonArrayContains(jsonStringify(path), "v")`, path into a structure or an `unnest` item. */
  | { k: 'jsoncontains'; path: FieldOp; value: string }
  /** `s = t` / `s != t` where a side is a string function's value (`concat`, `regexReplace`). */
  | { k: 'streq'; neg: boolean; l: SVal; r: SVal }
  /** `startsWith(s, t) = n` / `endsWith(s, t) = n`, n 1 or 0 (the functions return 1 or 0). */
  | { k: 'strfn'; fn: 'startsWith' | 'endsWith'; s: SVal; search: SVal; want: 0 | 1 };

/**
 * A string a string function reads: a field, a string literal, `concat(...)`, or `regexReplace(s, p, "")`
 * with `p` one of two shapes (`cut`): `(?s)^.*c` removes the text up to the last `c` (`after: 'last'`),
 * `(?s)c.*` the text from the first `c` (`before: 'first'`).
 */
export type SVal =
  | { k: 'field'; f: FieldOp }
  | { k: 'str'; v: string }
  | { k: 'concat'; args: SVal[] }
  | { k: 'cut'; s: SVal; ch: string; keep: 'afterLast' | 'beforeFirst'; pattern: string };

/** `jsonParse(source) as name` in a `fields` command (CWL_QuerySyntax-operations-functions.html, "Structure types"). */
export interface JsonAlias {
  name: string;
  source: FieldOp;
}

/** `if(cond, t, f) as name` in a `fields` command (CWL_QuerySyntax-operations-functions.html, "General functions"). */
export interface IfAlias {
  name: string;
  cond: Expr;
  t: string | number;
  f: string | number;
}

export interface Command {
  name: string;
  text: string;
  expr?: Expr;
  /** `fields`: the structures it makes with `jsonParse(f) as name`. */
  aliases?: JsonAlias[];
  /** `fields`: the values it names with `if(cond, t, f) as name`. */
  ifs?: IfAlias[];
  /** `unnest field into name` (CWL_QuerySyntax-Unnest.html). */
  unnest?: { source: FieldOp; into: string };
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'like']);
const BOOL_FNS = new Set(['isempty', 'ispresent', 'isblank', 'isIpInSubnet']);
const STR_TESTS = new Set(['startsWith', 'endsWith']);
const STR_FNS = new Set(['concat', 'regexReplace']);
/** The two regexReplace() patterns read (RE2, "Uses RE2 regex syntax"): `(?s)` lets `.` match every character, `.*` is greedy. */
const CUT = /^\(\?s\)(?:\^\.\*(?<last>[^\\[\]^"]|\[[^\\[\]^"]\])|(?<first>[^\\[\]^"]|\[[^\\[\]^"]\])\.\*)$/;
/** Characters RE2 reads as an operator outside a class (a cut's character is then written `[c]`). */
const RE_SPECIAL = '.+*?()|{}$';
const PASSIVE = new Set(['sort', 'limit', 'display']);

class Parser {
  i = 0;
  constructor(
    readonly toks: Tok[],
    readonly src: string,
  ) {}

  peek(o = 0): Tok | undefined {
    return this.toks[this.i + o];
  }
  next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new Refusal('an expression that ends early');
    return t;
  }
  isWord(t: Tok | undefined, w: string): boolean {
    return t?.t === 'word' && t.v === w;
  }
  expect(kind: Tok['t']): Tok {
    const t = this.next();
    if (t.t !== kind) throw new Refusal(`'${this.src.slice(t.at, t.end)}' where ${kind} was expected`);
    return t;
  }

  fieldName(t: Tok): FieldOp {
    if (t.t === 'qname') {
      if (t.v === '') throw new Refusal('an empty back-quoted field name');
      return { k: 'field', name: t.v };
    }
    if (t.t === 'path') return { k: 'field', name: t.segs.join('.'), segs: t.segs };
    if (t.t === 'word') {
      if (KEYWORDS.has(t.v)) throw new Refusal(`the keyword '${t.v}' where a field was expected`);
      // documented: unquoted names hold only @, . and alphanumerics
      if (!/^@?[A-Za-z0-9.@]+$/.test(t.v) || /^[0-9]/.test(t.v)) throw new Refusal(`the unquoted field name '${t.v}' (only @, . and alphanumerics are documented unquoted)`);
      return { k: 'field', name: t.v, segs: t.v.split('.') };
    }
    throw new Refusal(`'${this.src.slice(t.at, t.end)}' where a field name was expected`);
  }

  operand(): Operand {
    const t = this.next();
    if (t.t === 'str') return { k: 'str', v: t.v };
    if (t.t === 'num') {
      if (!Number.isFinite(t.v)) throw new Refusal(`the number ${t.text}`);
      return { k: 'num', v: t.v };
    }
    if (t.t === 'word' && this.peek()?.t === '(') throw new Refusal(`the function '${t.v}' as an operand`);
    return this.fieldName(t);
  }

  expr(): Expr {
    const args = [this.unary()];
    let conn: 'and' | 'or' | null = null;
    for (;;) {
      const t = this.peek();
      if (t?.t !== 'word' || (t.v !== 'and' && t.v !== 'or')) break;
      if (conn && conn !== t.v) throw new Refusal('`and` and `or` mixed without parentheses (their precedence is undocumented)');
      conn = t.v;
      this.i++;
      args.push(this.unary());
    }
    return conn ? { k: conn, args } : args[0]!;
  }

  unary(): Expr {
    if (this.isWord(this.peek(), 'not')) {
      this.i++;
      const t = this.peek();
      if (t?.t === '(') return { k: 'not', e: this.paren() };
      if (t?.t === 'word' && this.peek(1)?.t === '(') {
        if (STR_TESTS.has(t.v)) throw new Refusal(`\`not\` before ${t.v}() = n (its precedence is undocumented)`);
        return { k: 'not', e: this.call() };
      }
      throw new Refusal('`not` before a comparison without parentheses (its precedence is undocumented)');
    }
    return this.pred();
  }

  paren(): Expr {
    this.expect('(');
    const e = this.expr();
    this.expect(')');
    const t = this.peek();
    if (t && (t.t === 'op' || this.isWord(t, 'in') || this.isWord(t, 'like'))) throw new Refusal('a parenthesised expression used as an operand');
    return e;
  }

  /** A string a string function reads (`SVal`). */
  sval(): SVal {
    const t = this.next();
    if (t.t === 'str') return { k: 'str', v: t.v };
    if (t.t === 'word' && this.peek()?.t === '(') {
      this.i++;
      if (t.v === 'concat') {
        const args = [this.sval()];
        while (this.peek()?.t === ',') {
          this.i++;
          args.push(this.sval());
        }
        this.expect(')');
        return { k: 'concat', args };
      }
      if (t.v === 'regexReplace') {
        const s = this.sval();
        this.expect(',');
        const p = this.next();
        this.expect(',');
        const r = this.next();
        this.expect(')');
        if (p.t !== 'str' || r.t !== 'str' || r.v !== '') throw new Refusal('regexReplace() other than with a pattern string and the empty replacement');
        const m = CUT.exec(p.v);
        const c = m?.groups?.last ?? m?.groups?.first;
        if (!m || c === undefined) throw new Refusal(`the regexReplace() pattern ${JSON.stringify(p.v)} (only \`(?s)^.*c\` and \`(?s)c.*\` are read)`);
        const ch = c.length === 3 ? c[1]! : c;
        if (c.length === 1 && RE_SPECIAL.includes(ch)) throw new Refusal(`the regexReplace() pattern ${JSON.stringify(p.v)}: '${ch}' is an operator there`);
        return { k: 'cut', s, ch, keep: m.groups?.last !== undefined ? 'afterLast' : 'beforeFirst', pattern: p.v };
      }
      throw new Refusal(`the function '${t.v}' as a string argument`);
    }
    return { k: 'field', f: this.fieldName(t) };
  }

  /** `l = r` / `l != r` between strings, a side a string function's value. */
  strEq(l: SVal): Expr {
    const op = this.next();
    if (op.t !== 'op' || (op.v !== '=' && op.v !== '!=')) throw new Refusal('a string function compared otherwise than with `=` or `!=`');
    const r = this.sval();
    return { k: 'streq', neg: op.v === '!=', l, r };
  }

  /** `startsWith(s, t) = n` / `endsWith(s, t) = n`, n 0 or 1 (their results). */
  strTest(fn: 'startsWith' | 'endsWith'): Expr {
    this.expect('(');
    const s = this.sval();
    this.expect(',');
    const search = this.sval();
    this.expect(')');
    const op = this.next();
    const n = this.next();
    if (op.t !== 'op' || op.v !== '=' || n.t !== 'num' || (n.v !== 0 && n.v !== 1)) throw new Refusal(`${fn}() other than compared with \`= 1\` or \`= 0\``);
    return { k: 'strfn', fn, s, search, want: n.v };
  }

  call(): Expr {
    const name = this.next();
    if (name.t !== 'word') throw new Refusal('a function call');
    if (STR_TESTS.has(name.v)) return this.strTest(name.v as 'startsWith' | 'endsWith');
    if (name.v === 'jsonArrayContains') {
      this.expect('(');
      const inner = this.next();
      if (!this.isWord(inner, 'jsonStringify')) throw new Refusal('jsonArrayContains() of something else than jsonStringify()');
      this.expect('(');
      const path = this.fieldName(this.next());
      this.expect(')');
      this.expect(',');
      const v = this.next();
      if (v.t !== 'str') throw new Refusal('jsonArrayContains() without a string value');
      this.expect(')');
      const t = this.peek();
      if (t && (t.t === 'op' || this.isWord(t, 'in') || this.isWord(t, 'like'))) throw new Refusal('the result of jsonArrayContains() compared with a value');
      if (!path.segs || path.segs.length < 2) throw new Refusal('jsonStringify() of something else than an attribute of a structure');
      return { k: 'jsoncontains', path, value: v.v };
    }
    if (!BOOL_FNS.has(name.v)) throw new Refusal(`the function '${name.v}'`);
    this.expect('(');
    const field = this.fieldName(this.next());
    let e: Expr;
    if (name.v === 'isIpInSubnet') {
      this.expect(',');
      const c = this.next();
      if (c.t !== 'str') throw new Refusal('isIpInSubnet without a string subnet');
      e = { k: 'ipsub', field, cidr: c.v };
    } else {
      e = { k: 'call', fn: name.v as 'isempty' | 'ispresent' | 'isblank', field };
    }
    this.expect(')');
    const t = this.peek();
    if (t && (t.t === 'op' || this.isWord(t, 'in') || this.isWord(t, 'like'))) throw new Refusal(`the result of ${name.v}() compared with a value`);
    return e;
  }

  pred(): Expr {
    const t = this.peek();
    if (!t) throw new Refusal('an empty condition');
    if (t.t === '(') return this.paren();
    if (t.t === 'word' && this.peek(1)?.t === '(' && STR_FNS.has(t.v)) return this.strEq(this.sval());
    if (t.t === 'word' && this.peek(1)?.t === '(') return this.call();
    const l = this.operand();
    const n1 = this.peek(1);
    const n2 = this.peek(2);
    if (l.k !== 'num' && n1?.t === 'word' && STR_FNS.has(n1.v) && n2?.t === '(') return this.strEq(l.k === 'str' ? l : { k: 'field', f: l });
    const op = this.peek();
    if (!op) throw new Refusal('a bare field or value as a condition (its truth value is undocumented)');
    this.i++;
    if (op.t === 'op') {
      if (op.v === '=~') {
        const r = this.next();
        if (r.t !== 're') throw new Refusal('`=~` with something else than a /regex/ literal');
        return { k: 'like', neg: false, l, re: r.v };
      }
      const r = this.operand();
      return { k: 'cmp', op: op.v, l, r };
    }
    let neg = false;
    let kw: Tok = op;
    if (this.isWord(op, 'not')) {
      neg = true;
      kw = this.next();
    }
    if (this.isWord(kw, 'in')) {
      this.expect('[');
      const list: (string | number)[] = [];
      if (this.peek()?.t !== ']') {
        for (;;) {
          const x = this.next();
          if (x.t === 'str' || x.t === 'num') list.push(x.v);
          else throw new Refusal(`'${this.src.slice(x.at, x.end)}' in an \`in\` list (only string and number literals)`);
          const sep = this.next();
          if (sep.t === ']') break;
          if (sep.t !== ',') throw new Refusal('a malformed `in` list');
        }
      } else this.i++;
      return { k: 'in', neg, l, list };
    }
    if (this.isWord(kw, 'like')) {
      const r = this.next();
      if (r.t === 'str') return { k: 'like', neg, l, str: r.v };
      if (r.t === 're') return { k: 'like', neg, l, re: r.v };
      throw new Refusal('`like` with something else than a string or a /regex/');
    }
    throw new Refusal(`'${this.src.slice(op.at, op.end)}' after an operand (a bare field or value as a condition is undocumented)`);
  }

  names(): void {
    for (;;) {
      this.fieldName(this.next());
      if (this.i >= this.toks.length) return;
      this.expect(',');
    }
  }

  /** A literal argument of `if` (a string or a number). */
  literal(): string | number {
    const x = this.next();
    if (x.t === 'str') return x.v;
    if (x.t === 'num' && Number.isFinite(x.v)) return x.v;
    throw new Refusal(`'${this.src.slice(x.at, x.end)}' as a value of if() (only string and number literals)`);
  }

  /** `as name` after a function in `fields`: a plain alphanumeric name. */
  alias(fn: string): string {
    if (!this.isWord(this.peek(), 'as')) throw new Refusal(`${fn}() in \`fields\` without \`as name\``);
    this.i++;
    const n = this.next();
    if (n.t !== 'word' || !/^[A-Za-z][A-Za-z0-9]*$/.test(n.v)) throw new Refusal(`${fn}() named otherwise than by a plain alphanumeric name`);
    return n.v;
  }

  /** A `fields` list: names, `jsonParse(f) as name` (the structures it makes) and `if(c, t, f) as name`. */
  fieldList(ifs: IfAlias[] = []): JsonAlias[] {
    const aliases: JsonAlias[] = [];
    for (;;) {
      const t = this.next();
      if (t.t === 'word' && t.v === 'if' && this.peek()?.t === '(') {
        this.i++;
        const cond = this.expr();
        this.expect(',');
        const tv = this.literal();
        this.expect(',');
        const fv = this.literal();
        this.expect(')');
        ifs.push({ name: this.alias('if'), cond, t: tv, f: fv });
      } else if (t.t === 'word' && t.v === 'jsonParse' && this.peek()?.t === '(') {
        this.i++;
        const source = this.fieldName(this.next());
        this.expect(')');
        aliases.push({ name: this.alias('jsonParse'), source });
      } else {
        if (t.t === 'word' && this.peek()?.t === '(') throw new Refusal(`the function '${t.v}' in \`fields\``);
        this.fieldName(t);
        if (this.isWord(this.peek(), 'as')) throw new Refusal('a renamed field in `fields`');
      }
      if (this.i >= this.toks.length) return aliases;
      this.expect(',');
    }
  }
}

/** Split the tokens on `|` and parse each command. */
export function parseQuery(toks: Tok[], src: string): Command[] {
  const groups: Tok[][] = [[]];
  for (const t of toks) {
    if (t.t === 'pipe') groups.push([]);
    else groups[groups.length - 1]!.push(t);
  }
  const cmds: Command[] = [];
  for (const g of groups) {
    if (g.length === 0) throw new Refusal(cmds.length === 0 && groups.length === 1 ? 'an artifact without a query (comments only: not rendered)' : 'an empty command between pipes');
    const head = g[0]!;
    const text = src.slice(head.at, g[g.length - 1]!.end);
    if (head.t !== 'word') throw new Refusal(`a command starting with '${src.slice(head.at, head.end)}'`);
    const p = new Parser(g.slice(1), src);
    if (head.v === 'filter' || head.v === 'where') {
      const expr = p.expr();
      if (p.i < p.toks.length) {
        const t = p.toks[p.i]!;
        throw new Refusal(`'${src.slice(t.at, t.end)}' after a complete condition`);
      }
      cmds.push({ name: 'filter', text, expr });
    } else if (head.v === 'fields') {
      if (g.length === 1) throw new Refusal('`fields` without fields');
      const ifs: IfAlias[] = [];
      const aliases = p.fieldList(ifs);
      cmds.push({ name: 'fields', text, ...(aliases.length ? { aliases } : {}), ...(ifs.length ? { ifs } : {}) });
    } else if (head.v === 'unnest') {
      const source = p.fieldName(p.next());
      if (!p.isWord(p.next(), 'into')) throw new Refusal('`unnest` without `into name`');
      const n = p.next();
      if (n.t !== 'word' || !/^[A-Za-z][A-Za-z0-9]*$/.test(n.v)) throw new Refusal('`unnest` into something else than a plain alphanumeric name');
      if (p.i < p.toks.length) throw new Refusal('something after `unnest ... into name`');
      cmds.push({ name: 'unnest', text, unnest: { source, into: n.v } });
    } else if (head.v === 'stats') {
      cmds.push({ name: 'stats', text });
    } else if (PASSIVE.has(head.v)) {
      if (head.v === 'limit' && !(g.length === 2 && g[1]!.t === 'num')) throw new Refusal('`limit` without one number');
      if (head.v === 'display' && g.length > 1) p.names();
      cmds.push({ name: head.v, text });
    } else {
      throw new Refusal(`the command '${head.v}'`);
    }
  }
  return cmds;
}
