/**
 * A reader of the KQL the evaluator accepts, written from the language reference
 * (learn.microsoft.com/kusto/query: syntax-conventions, scalar-data-types/string, /dynamic, /timespan,
 * tabular-expression-statements, and each operator's page). It builds the syntax tree that
 * Microsoft's Kusto.Language parser builds for the same text (the same node kinds and member names:
 * `FilterOperator.Condition`, `PathExpression.Selector`, `StringLiteralExpression.LiteralValue`, ...),
 * only for the subset the evaluator reads; anything else is refused, never guessed.
 *
 * Why not Kusto.Language itself: its bundle costs ~0.5 s to load per process (the whole of a one-rule
 * run). The agreement of the two trees is a test (`test/proof.kql.parser.test.ts`: every query the
 * targets emit for `rules/` and the escape fixtures, node by node, literal values included), and
 * Kusto.Language still analyses every emitted query against the Sentinel schemas in the suite.
 */
import { Refusal } from '../types.js';

/** A node of the tree (the members the evaluator reads are set as properties, as on Kusto's nodes). */
export class KqlNode {
  readonly kindName: string;
  readonly IsToken: boolean;
  /** Token text (operators, JSON pair names); '' for other nodes. */
  readonly Text: string;
  private readonly src: string;
  private readonly toks: readonly Tok[];
  readonly start: number;
  readonly end: number;
  readonly items: KqlNode[];
  [member: string]: unknown;

  constructor(kindName: string, src: string, toks: readonly Tok[], start: number, end: number, opts: { token?: boolean; items?: KqlNode[]; members?: Record<string, unknown> } = {}) {
    this.kindName = kindName;
    this.src = src;
    this.toks = toks;
    this.start = start;
    this.end = end;
    this.IsToken = opts.token === true;
    this.Text = opts.token ? src.slice(start, end) : '';
    this.items = opts.items ?? [];
    if (opts.members) for (const [k, v] of Object.entries(opts.members)) this[k] = v;
  }

  get Kind(): number {
    return -1;
  }
  get ChildCount(): number {
    return this.items.length;
  }
  GetChild(i: number): KqlNode | null {
    return this.items[i] ?? null;
  }
  /** The node's tokens, without the whitespace and comments between them (as Kusto.Language's `ToString()`). */
  ToString(): string {
    if (this.IsToken) return this.Text;
    let lo = 0;
    let hi = this.toks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.toks[mid]!.start < this.start) lo = mid + 1;
      else hi = mid;
    }
    let out = '';
    for (let i = lo; i < this.toks.length && this.toks[i]!.end <= this.end && this.toks[i]!.kind !== 'eof'; i++) out += this.toks[i]!.text;
    return out;
  }
  /** The node's source text as written. */
  sourceText(): string {
    return this.src.slice(this.start, this.end);
  }
}

export type TokKind = 'ident' | 'string' | 'number' | 'timespan' | 'punct' | 'typed' | 'eof';
export interface Tok {
  kind: TokKind;
  text: string;
  start: number;
  end: number;
  /** Decoded value of a string token. */
  value?: string;
  /** Whitespace or a comment came right before it. */
  spaced: boolean;
}

const TIMESPAN_UNITS = [
  'microseconds', 'microsecond', 'milliseconds', 'millisecond', 'seconds', 'second', 'minutes', 'minute', 'hours', 'hour', 'days', 'day',
  'ticks', 'tick', 'micro', 'milli', 'min', 'sec', 'ms', 'd', 'h', 'm', 's',
];
/** Literal types written `type(value)` and lexed as one literal (scalar-data-types/*). */
const TYPED: Record<string, string> = {
  bool: 'BooleanLiteralExpression',
  boolean: 'BooleanLiteralExpression',
  int: 'IntLiteralExpression',
  long: 'LongLiteralExpression',
  real: 'RealLiteralExpression',
  double: 'RealLiteralExpression',
  decimal: 'DecimalLiteralExpression',
  datetime: 'DateTimeLiteralExpression',
  date: 'DateTimeLiteralExpression',
  timespan: 'TimespanLiteralExpression',
  time: 'TimespanLiteralExpression',
  guid: 'GuidLiteralExpression',
};
/** Scalar types a function parameter may have (scalar-data-types). */
const SCALAR_TYPES = new Set(['bool', 'datetime', 'decimal', 'dynamic', 'guid', 'int', 'long', 'real', 'string', 'timespan']);

const PUNCT = ['..', '==', '!=', '=~', '!~', '<=', '>=', '|', '(', ')', '[', ']', '{', '}', ',', ';', '.', '=', '<', '>', '+', '-', '*', '/', '%', ':', '!', '~'];

function syntaxError(at: number, what: string): Refusal {
  return new Refusal(`KQL syntax error at offset ${at}: ${what}`);
}

/** Decode a string literal's body (scalar-data-types/string: `\\ \" \' \n \r \t \uXXXX`; anything else refused). */
function decodeEscaped(body: string, at: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case '\\':
      case '"':
      case "'":
        out += e;
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        const hex = body.slice(i + 1, i + 5);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new Refusal(`KQL string escape \\u${hex} at offset ${at}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default:
        throw new Refusal(`KQL string escape \\${e ?? ''} at offset ${at} (not one the evaluator decodes)`);
    }
  }
  return out;
}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let spaced = true;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      spaced = true;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++;
      spaced = true;
      continue;
    }
    const start = i;
    // strings: "..." '...' with escapes; @"..." verbatim (a doubled quote is one quote); h/H prefix (obfuscated) allowed
    let j = i;
    if ((c === 'h' || c === 'H') && (src[j + 1] === '"' || src[j + 1] === "'" || src[j + 1] === '@')) j++;
    const verbatim = src[j] === '@' && (src[j + 1] === '"' || src[j + 1] === "'");
    if (verbatim) j++;
    const q = src[j];
    if ((q === '"' || q === "'") && (j === i || verbatim || src[i] === 'h' || src[i] === 'H')) {
      let k = j + 1;
      let body = '';
      let closed = false;
      while (k < n) {
        const ch = src[k]!;
        if (ch === '\n' || ch === '\r') break;
        if (verbatim) {
          if (ch === q) {
            if (src[k + 1] === q) {
              body += q;
              k += 2;
              continue;
            }
            closed = true;
            k++;
            break;
          }
          body += ch;
          k++;
        } else {
          if (ch === '\\') {
            body += ch + (src[k + 1] ?? '');
            k += 2;
            continue;
          }
          if (ch === q) {
            closed = true;
            k++;
            break;
          }
          body += ch;
          k++;
        }
      }
      if (!closed) throw syntaxError(start, 'unterminated string literal');
      toks.push({ kind: 'string', text: src.slice(start, k), start, end: k, value: verbatim ? body : decodeEscaped(body, start), spaced });
      spaced = false;
      i = k;
      continue;
    }
    if (c === '`' && src.startsWith('```', i)) {
      const close = src.indexOf('```', i + 3);
      if (close < 0) throw syntaxError(start, 'unterminated multi-line string literal');
      toks.push({ kind: 'string', text: src.slice(i, close + 3), start, end: close + 3, value: src.slice(i + 3, close), spaced });
      spaced = false;
      i = close + 3;
      continue;
    }
    if (c >= '0' && c <= '9') {
      const m = /^\d+(?:\.(?!\.)\d*)?(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 400))!;
      let k = i + m[0].length;
      const rest = src.slice(k, k + 16);
      const unit = TIMESPAN_UNITS.find((u) => rest.startsWith(u) && !/[A-Za-z0-9_]/.test(rest[u.length] ?? ''));
      if (unit) {
        k += unit.length;
        toks.push({ kind: 'timespan', text: src.slice(i, k), start, end: k, spaced });
      } else {
        if (/[A-Za-z_]/.test(src[k] ?? '')) throw syntaxError(start, `number followed by '${src[k]}'`);
        toks.push({ kind: 'number', text: src.slice(i, k), start, end: k, spaced });
      }
      spaced = false;
      i = k;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let k = i + 1;
      while (k < n && /[A-Za-z0-9_]/.test(src[k]!)) k++;
      const word = src.slice(i, k);
      const typed = TYPED[word];
      if (typed && src[k] === '(') {
        // type(value): one literal token up to the closing parenthesis
        const close = src.indexOf(')', k);
        if (close < 0) throw syntaxError(start, `unclosed ${word}( literal`);
        toks.push({ kind: 'typed', text: src.slice(i, close + 1), start, end: close + 1, spaced });
        spaced = false;
        i = close + 1;
        continue;
      }
      if (word === 'matches') {
        // `matches regex` is one keyword, one space apart (matches-regex-operator; Kusto.Language rejects other spacing)
        const m = /^ regex(?![A-Za-z0-9_])/.exec(src.slice(k, k + 8));
        if (m) {
          toks.push({ kind: 'ident', text: 'matches regex', start, end: k + m[0].length, spaced });
          spaced = false;
          i = k + m[0].length;
          continue;
        }
      }
      toks.push({ kind: 'ident', text: word, start, end: k, spaced });
      spaced = false;
      i = k;
      continue;
    }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (!p) throw syntaxError(start, `unexpected character '${c}'`);
    toks.push({ kind: 'punct', text: p, start, end: i + p.length, spaced });
    spaced = false;
    i += p.length;
  }
  toks.push({ kind: 'eof', text: '', start: n, end: n, spaced });
  return toks;
}

/** Binary operators of the comparison level and the kind Kusto.Language names them. */
const COMPARE: Record<string, string> = {
  '==': 'EqualExpression',
  '!=': 'NotEqualExpression',
  '=~': 'EqualTildeExpression',
  '!~': 'BangTildeExpression',
  '<': 'LessThanExpression',
  '<=': 'LessThanOrEqualExpression',
  '>': 'GreaterThanExpression',
  '>=': 'GreaterThanOrEqualExpression',
  contains: 'ContainsExpression',
  '!contains': 'NotContainsExpression',
  contains_cs: 'ContainsCsExpression',
  '!contains_cs': 'NotContainsCsExpression',
  startswith: 'StartsWithExpression',
  '!startswith': 'NotStartsWithExpression',
  startswith_cs: 'StartsWithCsExpression',
  '!startswith_cs': 'NotStartsWithCsExpression',
  endswith: 'EndsWithExpression',
  '!endswith': 'NotEndsWithExpression',
  endswith_cs: 'EndsWithCsExpression',
  '!endswith_cs': 'NotEndsWithCsExpression',
  has: 'HasExpression',
  '!has': 'NotHasExpression',
  has_cs: 'HasCsExpression',
  '!has_cs': 'NotHasCsExpression',
  hasprefix: 'HasPrefixExpression',
  '!hasprefix': 'NotHasPrefixExpression',
  hasprefix_cs: 'HasPrefixCsExpression',
  '!hasprefix_cs': 'NotHasPrefixCsExpression',
  hassuffix: 'HasSuffixExpression',
  '!hassuffix': 'NotHasSuffixExpression',
  hassuffix_cs: 'HasSuffixCsExpression',
  '!hassuffix_cs': 'NotHasSuffixCsExpression',
  like: 'LikeExpression',
  notlike: 'NotLikeExpression',
  likecs: 'LikeCsExpression',
  notlikecs: 'NotLikeCsExpression',
  'matches regex': 'MatchesRegexExpression',
};
/** List operators (in-operator, in-cs-operator, has-any-operator, has-all-operator). */
const LISTS: Record<string, string> = {
  in: 'InExpression',
  '!in': 'NotInExpression',
  'in~': 'InCsExpression',
  '!in~': 'NotInCsExpression',
  has_any: 'HasAnyExpression',
  has_all: 'HasAllExpression',
};
const ARITH: Record<string, [number, string]> = {
  '+': [1, 'AddExpression'],
  '-': [1, 'SubtractExpression'],
  '*': [2, 'MultiplyExpression'],
  '/': [2, 'DivideExpression'],
  '%': [2, 'ModuloExpression'],
};

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Tok[],
  ) {}

  private get t(): Tok {
    return this.toks[this.i]!;
  }
  private peek(k = 1): Tok {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }
  private next(): Tok {
    const t = this.t;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private atEnd(): boolean {
    return this.t.kind === 'eof';
  }
  private isPunct(text: string, t: Tok = this.t): boolean {
    return t.kind === 'punct' && t.text === text;
  }
  private isWord(word: string, t: Tok = this.t): boolean {
    return t.kind === 'ident' && t.text === word;
  }
  private expect(text: string): Tok {
    if (!this.isPunct(text)) throw syntaxError(this.t.start, `expected '${text}'${this.t.kind === 'eof' ? ' before the end' : ` before '${this.t.text}'`}`);
    return this.next();
  }
  private node(kind: string, start: number, end: number, members: Record<string, unknown> = {}, items?: KqlNode[]): KqlNode {
    return new KqlNode(kind, this.src, this.toks, start, end, { members, ...(items ? { items } : {}) });
  }
  private token(start: number, end: number): KqlNode {
    return new KqlNode('Token', this.src, this.toks, start, end, { token: true });
  }
  private list(items: KqlNode[]): KqlNode {
    const start = items[0]?.start ?? this.t.start;
    const end = items.length ? items[items.length - 1]!.end : start;
    return new KqlNode('List', this.src, this.toks, start, end, { items });
  }
  private get lastEnd(): number {
    return this.toks[this.i - 1]?.end ?? 0;
  }

  /** query := statement (';' statement)* [';'] */
  queryBlock(): KqlNode {
    const stmts: KqlNode[] = [];
    while (this.t.kind !== 'eof') {
      if (this.isPunct('.') && stmts.length === 0) throw new Refusal('KQL control command');
      stmts.push(this.statement());
      if (this.isPunct(';')) {
        this.next();
        continue;
      }
      if (!this.atEnd()) throw syntaxError(this.t.start, `unexpected '${this.t.text}'`);
    }
    const start = stmts[0]?.start ?? 0;
    return this.node('QueryBlock', start, this.src.length, { Statements: this.list(stmts), Directives: this.list([]) });
  }

  private statement(): KqlNode {
    const start = this.t.start;
    if (this.isWord('let')) {
      this.next();
      const name = this.nameDeclaration();
      this.expect('=');
      const e = this.isPunct('(') ? this.functionDeclaration() : this.pipeExpr();
      return this.node('LetStatement', start, this.lastEnd, { Name: name, Expression: e });
    }
    const e = this.pipeExpr();
    return this.node('ExpressionStatement', start, this.lastEnd, { Expression: e });
  }

  /**
   * A user-defined function (functions/user-defined-functions): `(name: type, ...) { expression }`, scalar
   * parameters without defaults and a body of one expression (no statements).
   */
  private functionDeclaration(): KqlNode {
    const start = this.t.start;
    this.expect('(');
    const params: KqlNode[] = [];
    while (!this.isPunct(')')) {
      if (params.length) this.expect(',');
      const ps = this.t.start;
      const name = this.nameDeclaration();
      this.expect(':');
      const ty = this.next();
      if (ty.kind !== 'ident' || !SCALAR_TYPES.has(ty.text)) throw new Refusal(`KQL function parameter type ${ty.text || '(none)'}`);
      const type = this.node('PrimitiveTypeExpression', ty.start, ty.end, { Type: this.token(ty.start, ty.end) });
      const nat = this.node('NameAndTypeDeclaration', ps, this.lastEnd, { Name: name, Type: type });
      if (this.isPunct('=')) throw new Refusal('KQL function parameter with a default value');
      params.push(this.node('FunctionParameter', ps, this.lastEnd, { NameAndType: nat, DefaultValue: null }));
    }
    this.expect(')');
    const fps = this.node('FunctionParameters', start, this.lastEnd, { Parameters: this.list(params) });
    const bs = this.t.start;
    this.expect('{');
    // scalar let statements before the body's expression, each ending with ';' (user-defined-functions:
    // the body's let statements precede the expression that gives its value; their scope is the body)
    const lets: KqlNode[] = [];
    while (this.isWord('let')) {
      const ls = this.t.start;
      this.next();
      const name = this.nameDeclaration();
      this.expect('=');
      const le = this.expr();
      lets.push(this.node('LetStatement', ls, this.lastEnd, { Name: name, Expression: le }));
      this.expect(';');
    }
    const e = this.expr();
    if (this.isPunct(';')) throw new Refusal('KQL function body with statements after its expression');
    this.expect('}');
    const body = this.node('FunctionBody', bs, this.lastEnd, { Statements: this.list(lets), Expression: e });
    return this.node('FunctionDeclaration', start, this.lastEnd, { Parameters: fps, Body: body });
  }

  private nameDeclaration(): KqlNode {
    const t = this.t;
    if (t.kind === 'ident') {
      this.next();
      return this.node('NameDeclaration', t.start, t.end, { SimpleName: t.text });
    }
    if (this.isPunct('[')) {
      const start = t.start;
      this.next();
      const s = this.next();
      if (s.kind !== 'string') throw syntaxError(s.start, 'expected a quoted name');
      this.expect(']');
      return this.node('NameDeclaration', start, this.lastEnd, { SimpleName: s.value });
    }
    throw syntaxError(t.start, `expected a name${t.kind === 'eof' ? '' : ` before '${t.text}'`}`);
  }

  /** source ('|' operator)*; the source is an expression (a table name) or `union`. */
  private pipeExpr(): KqlNode {
    const start = this.t.start;
    return this.pipeFrom(start, this.isWord('union') ? this.union() : this.expr());
  }

  /** A subquery inside mv-apply: operator ('|' operator)*. */
  private subPipe(): KqlNode {
    const start = this.t.start;
    return this.pipeFrom(start, this.operator());
  }

  private pipeFrom(start: number, first: KqlNode): KqlNode {
    let left = first;
    while (this.isPunct('|')) {
      this.next();
      const op = this.operator();
      left = this.node('PipeExpression', start, this.lastEnd, { Expression: left, Operator: op });
    }
    return left;
  }

  /** An operator keyword, with a dash for `mv-apply` and the like (no spaces around the dash). */
  private operatorWord(): string {
    const t = this.t;
    if (t.kind !== 'ident') throw syntaxError(t.start, `expected a query operator${t.kind === 'eof' ? '' : ` before '${t.text}'`}`);
    this.next();
    let word = t.text;
    while (this.isPunct('-') && !this.t.spaced && this.peek().kind === 'ident' && !this.peek().spaced) {
      this.next();
      word += `-${this.next().text}`;
    }
    return word;
  }

  private operator(): KqlNode {
    const start = this.t.start;
    const word = this.operatorWord();
    switch (word) {
      case 'where':
      case 'filter': {
        const cond = this.expr();
        return this.node('FilterOperator', start, this.lastEnd, { Parameters: this.list([]), Condition: cond });
      }
      case 'take':
      case 'limit': {
        // take-operator: take N (limit is its synonym)
        const params = this.parameters(new Set());
        const n = this.expr();
        return this.node('TakeOperator', start, this.lastEnd, { Parameters: params, Expression: n });
      }
      case 'project': {
        const exps = this.namedList();
        return this.node('ProjectOperator', start, this.lastEnd, { Expressions: exps });
      }
      case 'extend': {
        const exps = this.namedList();
        return this.node('ExtendOperator', start, this.lastEnd, { Expressions: exps });
      }
      case 'summarize': {
        const params = this.parameters(new Set());
        const aggs = this.isWord('by') ? this.list([]) : this.namedList();
        let by: KqlNode | null = null;
        if (this.isWord('by')) {
          const bs = this.t.start;
          this.next();
          const exps = this.namedList();
          by = this.node('SummarizeByClause', bs, this.lastEnd, { Expressions: exps });
        }
        return this.node('SummarizeOperator', start, this.lastEnd, { Parameters: params, Aggregates: aggs, ByClause: by });
      }
      case 'sort': {
        // sort-operator: sort by expr [asc | desc] [nulls first | nulls last], ...
        const params = this.parameters(new Set());
        if (!this.isWord('by')) throw syntaxError(this.t.start, `expected 'by' after 'sort'${this.t.kind === 'eof' ? '' : ` before '${this.t.text}'`}`);
        this.next();
        const exps: KqlNode[] = [this.ordered()];
        while (this.isPunct(',')) {
          this.next();
          exps.push(this.ordered());
        }
        return this.node('SortOperator', start, this.lastEnd, { Parameters: params, Expressions: this.list(exps) });
      }
      case 'mv-apply':
        return this.mvApply(start);
      case 'union':
        this.i--;
        return this.union();
      default:
        throw new Refusal(`KQL operator ${word}`);
    }
  }

  /** `name=value` parameters of an operator (only the names it takes). */
  private parameters(names: Set<string>): KqlNode {
    const out: KqlNode[] = [];
    while (this.t.kind === 'ident' && this.isPunct('=', this.peek()) && names.has(this.t.text)) {
      const nt = this.next();
      this.next();
      const v = this.t.kind === 'ident' && !['true', 'false'].includes(this.t.text) ? this.nameDeclaration() : this.primary();
      out.push(this.node('NamedParameter', nt.start, this.lastEnd, { Name: this.token(nt.start, nt.end), Expression: v }));
    }
    return this.list(out);
  }

  private union(): KqlNode {
    const start = this.t.start;
    this.next();
    const params = this.parameters(new Set(['isfuzzy', 'kind', 'withsource']));
    const exps: KqlNode[] = [this.unionElement()];
    while (this.isPunct(',')) {
      this.next();
      exps.push(this.unionElement());
    }
    return this.node('UnionOperator', start, this.lastEnd, { Parameters: params, Expressions: this.list(exps) });
  }

  /** A table, or a parenthesized query (union-operator: `union (T1 | where ...), (T2 | where ...)`). */
  private unionElement(): KqlNode {
    if (!this.isPunct('(')) return this.expr();
    const start = this.t.start;
    this.next();
    const e = this.pipeExpr();
    this.expect(')');
    return this.node('ParenthesizedExpression', start, this.lastEnd, { Expression: e });
  }

  /** mv-apply [with_itemindex=i] [Name =] Expr [to typeof(T)] on ( subquery ) */
  private mvApply(start: number): KqlNode {
    const params = this.parameters(new Set(['with_itemindex']));
    const exps: KqlNode[] = [];
    do {
      if (exps.length) this.next();
      const es = this.t.start;
      const e = this.named();
      let toType: KqlNode | null = null;
      if (this.isWord('to')) {
        const ts = this.t.start;
        this.next();
        const tt = this.t;
        if (!this.isWord('typeof')) throw syntaxError(tt.start, "expected 'typeof' after 'to'");
        this.next();
        this.expect('(');
        const ty = this.next();
        if (ty.kind !== 'ident') throw syntaxError(ty.start, 'expected a type name');
        this.expect(')');
        const typeOf = this.node('TypeOfLiteralExpression', tt.start, this.lastEnd);
        toType = this.node('ToTypeOfClause', ts, this.lastEnd, { TypeOf: typeOf });
      }
      exps.push(this.node('MvApplyExpression', es, this.lastEnd, { Expression: e, ToTypeOf: toType }));
    } while (this.isPunct(','));
    if (this.isWord('limit') || this.isWord('id')) throw new Refusal('KQL mv-apply limit/id clause');
    if (!this.isWord('on')) throw syntaxError(this.t.start, "expected 'on' in mv-apply");
    this.next();
    const ss = this.t.start;
    this.expect('(');
    const sub = this.subPipe();
    this.expect(')');
    const subq = this.node('MvApplySubqueryExpression', ss, this.lastEnd, { Expression: sub });
    return this.node('MvApplyOperator', start, this.lastEnd, {
      Parameters: params,
      Expressions: this.list(exps),
      RowLimitClause: null,
      ContextIdClause: null,
      Subquery: subq,
    });
  }

  /** A sort key: `expr`, or an OrderedExpression `expr asc|desc [nulls first|last]` (its OrderingClause). */
  private ordered(): KqlNode {
    const start = this.t.start;
    const e = this.expr();
    if (!this.isWord('asc') && !this.isWord('desc') && !this.isWord('nulls')) return e;
    const os = this.t.start;
    if (!this.isWord('nulls')) this.next();
    let nulls: KqlNode | null = null;
    if (this.isWord('nulls')) {
      const ns = this.t.start;
      this.next();
      if (!this.isWord('first') && !this.isWord('last')) throw syntaxError(this.t.start, "expected 'first' or 'last' after 'nulls'");
      this.next();
      nulls = this.node('OrderingNullsClause', ns, this.lastEnd);
    }
    const ordering = this.node('OrderingClause', os, this.lastEnd, { NullsClause: nulls });
    return this.node('OrderedExpression', start, this.lastEnd, { Expression: e, Ordering: ordering });
  }

  /** A comma list of `[Name =] expr`. */
  private namedList(): KqlNode {
    const out: KqlNode[] = [this.named()];
    while (this.isPunct(',')) {
      this.next();
      out.push(this.named());
    }
    return this.list(out);
  }

  private named(): KqlNode {
    const start = this.t.start;
    const isName = this.t.kind === 'ident' && this.isPunct('=', this.peek());
    const isBracketed = this.isPunct('[') && this.peek().kind === 'string' && this.isPunct(']', this.peek(2)) && this.isPunct('=', this.peek(3));
    if (isName || isBracketed) {
      const name = this.nameDeclaration();
      this.expect('=');
      const e = this.expr();
      return this.node('SimpleNamedExpression', start, this.lastEnd, { Name: name, Expression: e });
    }
    return this.expr();
  }

  expr(): KqlNode {
    return this.or();
  }

  private binary(kind: string, left: KqlNode, opStart: number, opEnd: number, right: KqlNode): KqlNode {
    return this.node(kind, left.start, right.end, { Left: left, Operator: this.token(opStart, opEnd), Right: right });
  }

  private or(): KqlNode {
    return this.leftChain('or', 'OrExpression', () => this.and());
  }

  private and(): KqlNode {
    return this.leftChain('and', 'AndExpression', () => this.compare());
  }

  /** `x word x word x`, associated to the left (logical-operators). */
  private leftChain(word: string, kind: string, operand: () => KqlNode): KqlNode {
    let left = operand();
    while (this.isWord(word)) {
      const op = this.next();
      left = this.binary(kind, left, op.start, op.end, operand());
    }
    return left;
  }

  /** The operator at the cursor of the comparison level, with its extent, or undefined. */
  private compareOp(): { text: string; start: number; end: number; width: number } | undefined {
    const t = this.t;
    if (t.kind === 'punct') {
      if (COMPARE[t.text]) return { text: t.text, start: t.start, end: t.end, width: 1 };
      if (t.text === '!') {
        const w = this.peek();
        if (w.kind === 'ident' && !w.spaced) {
          const tilde = this.peek(2);
          if (w.text === 'in' && this.isPunct('~', tilde) && !tilde.spaced) return { text: '!in~', start: t.start, end: tilde.end, width: 3 };
          const text = `!${w.text}`;
          if (COMPARE[text] || LISTS[text] || text === '!between') return { text, start: t.start, end: w.end, width: 2 };
        }
      }
      return undefined;
    }
    if (t.kind !== 'ident') return undefined;
    if (t.text === 'in') {
      const tilde = this.peek();
      if (this.isPunct('~', tilde) && !tilde.spaced) return { text: 'in~', start: t.start, end: tilde.end, width: 2 };
      return { text: 'in', start: t.start, end: t.end, width: 1 };
    }
    if (COMPARE[t.text] || LISTS[t.text] || t.text === 'between') return { text: t.text, start: t.start, end: t.end, width: 1 };
    return undefined;
  }

  private compare(): KqlNode {
    let left = this.additive();
    for (;;) {
      const op = this.compareOp();
      if (!op) return left;
      this.i += op.width;
      if (LISTS[op.text]) {
        const right = this.expressionList(() => this.expr());
        left = this.binary(LISTS[op.text]!, left, op.start, op.end, right);
      } else if (op.text === 'between' || op.text === '!between') {
        const ls = this.t.start;
        this.expect('(');
        const first = this.additive();
        this.expect('..');
        const second = this.additive();
        this.expect(')');
        const right = this.node('ExpressionCouple', ls, this.lastEnd, { First: first, Second: second });
        left = this.binary(op.text === 'between' ? 'BetweenExpression' : 'NotBetweenExpression', left, op.start, op.end, right);
      } else {
        left = this.binary(COMPARE[op.text]!, left, op.start, op.end, this.additive());
      }
    }
  }

  /** `( item, item, ... )`: an ExpressionList (in-operator lists, function arguments). */
  private expressionList(item: () => KqlNode): KqlNode {
    const ls = this.t.start;
    this.expect('(');
    const items: KqlNode[] = [];
    if (!this.isPunct(')')) {
      items.push(item());
      while (this.isPunct(',')) {
        this.next();
        items.push(item());
      }
    }
    this.expect(')');
    return this.node('ExpressionList', ls, this.lastEnd, { Expressions: this.list(items) });
  }

  private additive(level = 1): KqlNode {
    let left = level === 1 ? this.additive(2) : this.unary();
    for (;;) {
      const t = this.t;
      const a = t.kind === 'punct' ? ARITH[t.text] : undefined;
      if (!a || a[0] !== level) return left;
      this.next();
      const right = level === 1 ? this.additive(2) : this.unary();
      left = this.binary(a[1], left, t.start, t.end, right);
    }
  }

  private unary(): KqlNode {
    const t = this.t;
    if (this.isPunct('-') || this.isPunct('+')) {
      this.next();
      const e = this.unary();
      return this.node(t.text === '-' ? 'UnaryMinusExpression' : 'UnaryPlusExpression', t.start, e.end, { Operator: this.token(t.start, t.end), Expression: e });
    }
    return this.postfix(this.primary());
  }

  private postfix(base: KqlNode): KqlNode {
    let e = base;
    for (;;) {
      if (this.isPunct('.') && this.isPunct('[', this.peek()) && this.peek(2).kind === 'string' && this.isPunct(']', this.peek(3))) {
        // x.["odd-key"]
        this.next();
        const bs = this.next().start;
        const s = this.next();
        this.next();
        const sel = this.node('NameReference', bs, this.lastEnd, { SimpleName: s.value });
        e = this.node('PathExpression', e.start, this.lastEnd, { Expression: e, Selector: sel });
        continue;
      }
      if (this.isPunct('.') && this.peek().kind === 'ident') {
        this.next();
        const nt = this.next();
        const sel = this.node('NameReference', nt.start, nt.end, { SimpleName: nt.text });
        e = this.node('PathExpression', e.start, nt.end, { Expression: e, Selector: sel });
        continue;
      }
      if (this.isPunct('[')) {
        const bs = this.t.start;
        this.next();
        const inner = this.expr();
        this.expect(']');
        const sel = this.node('BracketedExpression', bs, this.lastEnd, { Expression: inner });
        e = this.node('ElementExpression', e.start, this.lastEnd, { Expression: e, Selector: sel });
        continue;
      }
      return e;
    }
  }

  private primary(): KqlNode {
    const t = this.t;
    switch (t.kind) {
      case 'string': {
        const parts: Tok[] = [this.next()];
        while (this.t.kind === 'string') parts.push(this.next());
        if (parts.length === 1) return this.node('StringLiteralExpression', t.start, t.end, { LiteralValue: t.value });
        return this.node('CompoundStringLiteralExpression', t.start, this.lastEnd, { LiteralValue: parts.map((p) => p.value).join('') });
      }
      case 'number':
        this.next();
        return this.node(/[.eE]/.test(t.text) ? 'RealLiteralExpression' : 'LongLiteralExpression', t.start, t.end);
      case 'timespan':
        this.next();
        return this.node('TimespanLiteralExpression', t.start, t.end);
      case 'typed': {
        this.next();
        return this.node(TYPED[t.text.slice(0, t.text.indexOf('('))]!, t.start, t.end);
      }
      case 'punct':
        if (t.text === '(') {
          this.next();
          const e = this.expr();
          this.expect(')');
          return this.node('ParenthesizedExpression', t.start, this.lastEnd, { Expression: e });
        }
        if (t.text === '[' && this.peek().kind === 'string' && this.isPunct(']', this.peek(2))) {
          // ["odd name"]: a column named with a quoted name
          this.next();
          const s = this.next();
          this.next();
          return this.node('NameReference', t.start, this.lastEnd, { SimpleName: s.value });
        }
        throw syntaxError(t.start, `unexpected '${t.text}'`);
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') {
          this.next();
          return this.node('BooleanLiteralExpression', t.start, t.end);
        }
        if (t.text === 'null') {
          this.next();
          return this.node('NullLiteralExpression', t.start, t.end);
        }
        if (t.text === 'dynamic' && this.isPunct('(', this.peek())) {
          this.next();
          this.next();
          const v = this.json();
          this.expect(')');
          return this.node('DynamicExpression', t.start, this.lastEnd, { Expression: v });
        }
        if (t.text === 'and' || t.text === 'or') throw syntaxError(t.start, `expected an expression before '${t.text}'`);
        this.next();
        if (this.isPunct('(')) {
          const argList = this.expressionList(() => this.named());
          const name = this.node('NameReference', t.start, t.end, { SimpleName: t.text });
          return this.node('FunctionCallExpression', t.start, this.lastEnd, { Name: name, ArgumentList: argList });
        }
        return this.node('NameReference', t.start, t.end, { SimpleName: t.text });
      }
      default:
        throw syntaxError(t.start, 'expected an expression before the end');
    }
  }

  /** The JSON-like value inside dynamic(...) (scalar-data-types/dynamic#dynamic-literals). */
  private json(): KqlNode {
    const t = this.t;
    if (this.isPunct('[')) {
      this.next();
      const vals: KqlNode[] = [];
      if (!this.isPunct(']')) {
        vals.push(this.json());
        while (this.isPunct(',')) {
          this.next();
          vals.push(this.json());
        }
      }
      this.expect(']');
      return this.node('JsonArrayExpression', t.start, this.lastEnd, { Values: this.list(vals) });
    }
    if (this.isPunct('{')) {
      this.next();
      const pairs: KqlNode[] = [];
      if (!this.isPunct('}')) {
        do {
          if (pairs.length) this.next();
          const k = this.next();
          if (k.kind !== 'string') throw syntaxError(k.start, 'expected a quoted property name');
          this.expect(':');
          const v = this.json();
          pairs.push(this.node('JsonPair', k.start, v.end, { Name: this.token(k.start, k.end), Value: v }));
        } while (this.isPunct(','));
      }
      this.expect('}');
      return this.node('JsonObjectExpression', t.start, this.lastEnd, { Pairs: this.list(pairs) });
    }
    if (this.isPunct('-')) {
      this.next();
      const e = this.json();
      return this.node('UnaryMinusExpression', t.start, e.end, { Operator: this.token(t.start, t.end), Expression: e });
    }
    return this.primary();
  }
}

/** Parse a query's text into its syntax tree; throws `Refusal` on text outside the subset or not KQL. */
export function parseKqlText(text: string): KqlNode {
  const p = new Parser(text, lex(text));
  return p.queryBlock();
}
