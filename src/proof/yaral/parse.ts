/**
 * Reads a YARA-L 2.0 rule back: tokenizer and recursive-descent parser for the subset the project's
 * printer emits. Anything outside it throws `Refusal`.
 *
 * Syntax (https://cloud.google.com/chronicle/docs/detection/yara-l-2-0-syntax):
 * - sections in order meta, events, match, outcome, condition, options; `//` and `/* *\/` comments;
 * - double-quoted strings take escapes (`\\`, `\"`, `\n`, `\r`, `\t` are the ones documented by example);
 *   back-quoted strings are raw ("interpret all characters literally");
 * - constants: integers, strings, booleans; regexes as strings given to `re.regex()`, or as the literal
 *   `/re/` right of `=` (`$e.field = /re/`, read as `re.regex($e.field, `re`)`: yara-l-2-0-functions/re-regex);
 * - events: predicates (one per line, ANDed), placeholder assignments `$v = $e.field` (or reversed);
 * - `any` / `all` modifiers before a repeated field (https://cloud.google.com/chronicle/docs/yara-l/repeated-fields);
 * - `nocase` after a string comparison or a regex (yara-l-2-0-syntax, re-regex).
 * `and` / `or` precedence is not documented: a chain mixing both without parentheses is refused.
 */
import { Refusal } from '../types.js';
import { parseUdmPath, type UdmSeg } from '../../mapping/project/yaral.js';

export type Tok =
  | { t: 'ident'; v: string; pos: number }
  | { t: 'var'; v: string; pos: number } // $name
  | { t: 'count'; v: string; pos: number } // #name
  | { t: 'str'; v: string; raw: boolean; pos: number }
  | { t: 're'; v: string; pos: number } // /regex/ after `=`
  | { t: 'num'; v: number; pos: number }
  | { t: 'dur'; v: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'eof'; pos: number };

const KEYWORDS_SECTIONS = ['meta', 'events', 'match', 'outcome', 'condition', 'options'] as const;

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) {
      const e = src.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const e = src.indexOf('*/', i + 2);
      if (e < 0) throw new Refusal('YARA-L: unterminated /* comment');
      i = e + 2;
      continue;
    }
    const pos = i;
    if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= n) throw new Refusal('YARA-L: unterminated string literal');
        const d = src[i]!;
        if (d === '"') break;
        if (d === '\n') throw new Refusal('YARA-L: newline inside a string literal');
        if (d === '\\') {
          const e = src[i + 1];
          const esc: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t' };
          if (e === undefined || esc[e] === undefined) throw new Refusal(`YARA-L: undocumented string escape \\${e ?? ''}`);
          v += esc[e];
          i += 2;
          continue;
        }
        v += d;
        i++;
      }
      i++;
      out.push({ t: 'str', v, raw: false, pos });
      continue;
    }
    if (c === '`') {
      const e = src.indexOf('`', i + 1);
      if (e < 0) throw new Refusal('YARA-L: unterminated back-quoted string');
      out.push({ t: 'str', v: src.slice(i + 1, e), raw: true, pos });
      i = e + 1;
      continue;
    }
    if (c === '$' || c === '#') {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i + 1));
      if (!m) throw new Refusal(`YARA-L: bad variable at offset ${i}`);
      out.push({ t: c === '$' ? 'var' : 'count', v: m[0], pos });
      i += 1 + m[0].length;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([smhd](?![A-Za-z0-9_]))?/.exec(src.slice(i))!;
      if (m[2]) {
        if (m[1]) throw new Refusal(`YARA-L: bad duration ${m[0]}`);
        out.push({ t: 'dur', v: m[0], pos });
      } else {
        if (m[1]) throw new Refusal(`YARA-L: floating-point constant ${m[0]} (only integers are documented)`);
        out.push({ t: 'num', v: Number(m[0]), pos });
      }
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: 'ident', v: m[0], pos });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      out.push({ t: 'op', v: two, pos });
      i += 2;
      continue;
    }
    if ('{}():=<>.,[]-'.includes(c)) {
      out.push({ t: 'op', v: c, pos });
      i++;
      continue;
    }
    if (c === '/') {
      // a regex literal, `$e.field = /regex/` (yara-l-2-0-functions/re-regex): only right after `=`, where
      // no other operand starts with `/`; `\/` is the slash (RE2 reads an escaped `/` as `/` too)
      const prev = out[out.length - 1];
      if (!prev || prev.t !== 'op' || prev.v !== '=') throw new Refusal(`YARA-L: '/' at offset ${i} (a regex literal is read only after \`=\`)`);
      let v = '';
      let j = i + 1;
      for (; j < n && src[j] !== '/'; j++) {
        const d = src[j]!;
        if (d === '\n' || d === '\r') throw new Refusal('YARA-L: line break inside a regex literal');
        if (d === '\\') {
          const e = src[j + 1];
          if (e === undefined) break;
          v += e === '/' ? '/' : d + e;
          j++;
          continue;
        }
        v += d;
      }
      if (j >= n) throw new Refusal('YARA-L: unterminated regex literal');
      out.push({ t: 're', v, pos });
      i = j + 1;
      continue;
    }
    if (c === '%') throw new Refusal('YARA-L: reference list (%list)');
    throw new Refusal(`YARA-L: unexpected character ${JSON.stringify(c)} at offset ${i}`);
  }
  out.push({ t: 'eof', pos: n });
  return out;
}

// ---------------------------------------------------------------------------------------------
// AST

export type Modifier = 'any' | 'all' | undefined;

export type Expr =
  | { k: 'field'; segs: UdmSeg[]; text: string; mod: Modifier }
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'placeholder'; name: string }
  | { k: 'call'; name: string; args: Expr[]; nocase: boolean };

export type Cond =
  | { k: 'and'; args: Cond[] }
  | { k: 'or'; args: Cond[] }
  | { k: 'not'; arg: Cond }
  | { k: 'cmp'; op: string; left: Expr; right: Expr; nocase: boolean }
  | { k: 'call'; call: Extract<Expr, { k: 'call' }> }
  | { k: 'bind'; name: string; field: Extract<Expr, { k: 'field' }> }
  | { k: 'bool'; v: boolean };

export interface ParsedRule {
  name: string;
  meta: Record<string, string>;
  /** The events section's lines (ANDed). */
  events: Cond[];
  match?: { vars: string[]; window: string };
  condition: { k: 'single'; event: string } | { k: 'count'; event: string; op: string; n: number };
  options: Record<string, string | number | boolean>;
}

const EVENT_VAR = 'e';

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  private next(): Tok {
    return this.toks[this.i++]!;
  }
  private isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.t === 'op' && t.v === v;
  }
  private isIdent(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.t === 'ident' && t.v === v;
  }
  private expectOp(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw new Refusal(`YARA-L: expected '${v}' at offset ${t.pos}, found ${describe(t)}`);
  }
  private expectIdent(): string {
    const t = this.next();
    if (t.t !== 'ident') throw new Refusal(`YARA-L: expected a name at offset ${t.pos}, found ${describe(t)}`);
    return t.v;
  }
  private atSection(): boolean {
    return this.peek().t === 'ident' && (KEYWORDS_SECTIONS as readonly string[]).includes((this.peek() as { v: string }).v) && this.isOp(':', 1);
  }

  rule(): ParsedRule {
    if (!this.isIdent('rule')) throw new Refusal('YARA-L: the artifact holds no rule (a comment-only artifact)');
    this.next();
    const name = this.expectIdent();
    this.expectOp('{');
    const r: ParsedRule = { name, meta: {}, events: [], condition: { k: 'single', event: EVENT_VAR }, options: {} };
    const seen: string[] = [];
    let hasCondition = false;
    while (!this.isOp('}')) {
      if (!this.atSection()) throw new Refusal(`YARA-L: expected a section at offset ${this.peek().pos}, found ${describe(this.peek())}`);
      const sec = this.expectIdent();
      this.expectOp(':');
      const order = KEYWORDS_SECTIONS.indexOf(sec as (typeof KEYWORDS_SECTIONS)[number]);
      if (seen.includes(sec) || seen.some((s) => KEYWORDS_SECTIONS.indexOf(s as (typeof KEYWORDS_SECTIONS)[number]) > order)) {
        throw new Refusal(`YARA-L: section ${sec} out of order or repeated`);
      }
      seen.push(sec);
      switch (sec) {
        case 'meta':
          while (!this.atSection() && !this.isOp('}')) {
            const k = this.expectIdent();
            this.expectOp('=');
            const v = this.next();
            if (v.t !== 'str' || v.raw) throw new Refusal(`YARA-L: meta value of ${k} is not a double-quoted string`);
            r.meta[k] = v.v;
          }
          break;
        case 'events':
          while (!this.atSection() && !this.isOp('}')) r.events.push(this.orExpr());
          if (r.events.length === 0) throw new Refusal('YARA-L: empty events section');
          break;
        case 'match': {
          const vars: string[] = [];
          for (;;) {
            const t = this.next();
            if (t.t !== 'var') throw new Refusal(`YARA-L: match section: expected a placeholder, found ${describe(t)}`);
            vars.push(t.v);
            if (this.isOp(',')) this.next();
            else break;
          }
          if (!this.isIdent('over')) throw new Refusal('YARA-L: match section without `over <window>`');
          this.next();
          const w = this.next();
          if (w.t !== 'dur') throw new Refusal(`YARA-L: match window: expected a duration, found ${describe(w)}`);
          if (this.isIdent('every') || this.isIdent('before') || this.isIdent('after')) throw new Refusal(`YARA-L: match window modifier ${(this.peek() as { v: string }).v}`);
          r.match = { vars, window: w.v };
          break;
        }
        case 'outcome':
          // outcome expressions do not select events: read them only to find where they end
          while (!this.atSection() && !this.isOp('}')) {
            const v = this.next();
            if (v.t !== 'var') throw new Refusal(`YARA-L: outcome: expected a variable, found ${describe(v)}`);
            this.expectOp('=');
            this.outcomeExpr();
          }
          break;
        case 'condition': {
          hasCondition = true;
          const t = this.next();
          if (t.t === 'var' && t.v === EVENT_VAR && (this.atSection() || this.isOp('}'))) r.condition = { k: 'single', event: t.v };
          else if (t.t === 'count' && t.v === EVENT_VAR) {
            const op = this.next();
            const nTok = this.next();
            if (op.t !== 'op' || !['>', '>=', '='].includes(op.v) || nTok.t !== 'num') throw new Refusal('YARA-L: condition: only `#e >= N` (or > N) is read');
            r.condition = { k: 'count', event: t.v, op: op.v, n: nTok.v };
            if (!this.atSection() && !this.isOp('}')) throw new Refusal('YARA-L: condition with more than one clause');
          } else throw new Refusal(`YARA-L: condition ${describe(t)} (only \`$e\` and \`#e >= N\` are read)`);
          break;
        }
        case 'options':
          while (!this.atSection() && !this.isOp('}')) {
            const k = this.expectIdent();
            this.expectOp('=');
            const v = this.next();
            if (v.t === 'ident' && (v.v === 'true' || v.v === 'false')) r.options[k] = v.v === 'true';
            else if (v.t === 'num') r.options[k] = v.v;
            else if (v.t === 'str') r.options[k] = v.v;
            else throw new Refusal(`YARA-L: option ${k}: unreadable value`);
          }
          break;
      }
    }
    this.next();
    if (this.peek().t !== 'eof') throw new Refusal('YARA-L: text after the rule');
    if (!seen.includes('events')) throw new Refusal('YARA-L: rule without events section');
    if (!hasCondition) throw new Refusal('YARA-L: rule without condition section');
    return r;
  }

  /** A chain of `and`s or of `or`s; a chain mixing both is refused (precedence undocumented). */
  private orExpr(): Cond {
    const first = this.unary();
    const args = [first];
    let kind: 'and' | 'or' | undefined;
    while (this.isIdent('and') || this.isIdent('or')) {
      const op = (this.next() as { v: string }).v as 'and' | 'or';
      if (kind && kind !== op) {
        throw new Refusal('YARA-L: `and` and `or` mixed without parentheses (their precedence is not documented)');
      }
      kind = op;
      args.push(this.unary());
    }
    return kind ? { k: kind, args } : first;
  }

  private unary(): Cond {
    if (this.isIdent('not')) {
      this.next();
      return { k: 'not', arg: this.unary() };
    }
    if (this.isOp('(')) {
      // a parenthesised condition, unless it is the start of a value (never: values are not parenthesised here)
      this.next();
      const c = this.orExpr();
      this.expectOp(')');
      return c;
    }
    return this.predicate();
  }

  private predicate(): Cond {
    const left = this.value();
    const t = this.peek();
    if (t.t === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.next();
      if (this.isIdent('in')) throw new Refusal('YARA-L: `in` (reference lists)');
      const re = this.peek();
      if (re.t === 're') {
        // `$e.field = /regex/` is `re.regex($e.field, `regex`)` ("Equivalent to", yara-l-2-0-functions/re-regex)
        this.next();
        if (t.v !== '=') throw new Refusal(`YARA-L: a regex literal after '${t.v}' (only \`= /regex/\` is documented)`);
        if (left.k !== 'field') throw new Refusal('YARA-L: a regex literal compared with something other than an event field');
        let nocase = false;
        if (this.isIdent('nocase')) {
          this.next();
          nocase = true;
        }
        return { k: 'call', call: { k: 'call', name: 're.regex', args: [left, { k: 'str', v: re.v }], nocase } };
      }
      const right = this.value();
      let nocase = false;
      if (this.isIdent('nocase')) {
        this.next();
        nocase = true;
      }
      // placeholder assignment: `$v = $e.field` or `$e.field = $v`
      if (t.v === '=' && !nocase) {
        if (left.k === 'placeholder' && right.k === 'field') return { k: 'bind', name: left.name, field: right };
        if (right.k === 'placeholder' && left.k === 'field') return { k: 'bind', name: right.name, field: left };
      }
      if (left.k === 'placeholder' || right.k === 'placeholder') throw new Refusal('YARA-L: a placeholder compared in the events section');
      return { k: 'cmp', op: t.v, left, right, nocase };
    }
    if (left.k === 'call') return { k: 'call', call: left };
    if (left.k === 'bool') return { k: 'bool', v: left.v };
    throw new Refusal(`YARA-L: expected a comparison at offset ${t.pos}, found ${describe(t)}`);
  }

  private value(): Expr {
    const t = this.peek();
    if (t.t === 'ident' && (t.v === 'any' || t.v === 'all')) {
      this.next();
      const f = this.value();
      if (f.k !== 'field') throw new Refusal(`YARA-L: \`${t.v}\` before something other than an event field`);
      if (f.mod) throw new Refusal('YARA-L: two any/all modifiers');
      return { ...f, mod: t.v };
    }
    if (t.t === 'var') {
      this.next();
      if (this.isOp('.')) {
        if (t.v !== EVENT_VAR) throw new Refusal(`YARA-L: event variable $${t.v} (only $${EVENT_VAR} is read)`);
        this.next();
        return this.fieldPath();
      }
      return { k: 'placeholder', name: t.v };
    }
    if (t.t === 'str') {
      this.next();
      return { k: 'str', v: t.v };
    }
    if (t.t === 'num') {
      this.next();
      return { k: 'num', v: t.v };
    }
    if (t.t === 'op' && t.v === '-' && this.peek(1).t === 'num') {
      this.next();
      return { k: 'num', v: -(this.next() as { v: number }).v };
    }
    if (t.t === 'ident' && (t.v === 'true' || t.v === 'false')) {
      this.next();
      return { k: 'bool', v: t.v === 'true' };
    }
    if (t.t === 'ident' && this.isOp('.', 1) && this.peek(2).t === 'ident' && this.isOp('(', 3)) {
      const ns = this.expectIdent();
      this.next();
      const fn = this.expectIdent();
      return this.callArgs(`${ns}.${fn}`);
    }
    throw new Refusal(`YARA-L: unexpected ${describe(t)} at offset ${t.pos}`);
  }

  private callArgs(name: string): Extract<Expr, { k: 'call' }> {
    this.expectOp('(');
    const args: Expr[] = [];
    let nocase = false;
    if (!this.isOp(')')) {
      for (;;) {
        args.push(this.value());
        if (this.isIdent('nocase')) {
          this.next();
          nocase = true;
        }
        if (this.isOp(',')) this.next();
        else break;
      }
    }
    this.expectOp(')');
    if (this.isIdent('nocase')) {
      this.next();
      nocase = true;
    }
    return { k: 'call', name, args, nocase };
  }

  /** The UDM path after `$e.`: names, `["key"]` and `[n]`, read by the projection's path parser. */
  private fieldPath(): Extract<Expr, { k: 'field' }> {
    let text = this.expectIdent();
    for (;;) {
      if (this.isOp('.') && this.peek(1).t === 'ident') {
        this.next();
        text += '.' + this.expectIdent();
      } else if (this.isOp('[')) {
        this.next();
        const k = this.next();
        if (k.t === 'str' && !k.raw) text += `[${JSON.stringify(k.v)}]`;
        else if (k.t === 'num') text += `[${k.v}]`;
        else throw new Refusal(`YARA-L: field subscript ${describe(k)}`);
        this.expectOp(']');
      } else break;
    }
    return { k: 'field', segs: parseUdmPath(text), text, mod: undefined };
  }

  /** Outcome expressions: numbers, strings, fields, placeholders, function calls (incl. `if(...)`), arithmetic. */
  private outcomeExpr(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.t === 'eof') throw new Refusal('YARA-L: unterminated outcome section');
      if (depth === 0) {
        // the next assignment or section starts a new statement
        if (t.t === 'var' && this.isOp('=', 1)) return;
        if (this.atSection() || (t.t === 'op' && t.v === '}')) return;
      }
      if (t.t === 'op' && t.v === '(') depth++;
      if (t.t === 'op' && t.v === ')') depth--;
      this.next();
    }
  }
}

function describe(t: Tok): string {
  switch (t.t) {
    case 'eof':
      return 'end of text';
    case 'str':
      return `string ${JSON.stringify(t.v)}`;
    case 'var':
      return `$${t.v}`;
    case 'count':
      return `#${t.v}`;
    default:
      return `'${String(t.v)}'`;
  }
}

export function parseRule(text: string): ParsedRule {
  return new Parser(tokenize(text)).rule();
}
