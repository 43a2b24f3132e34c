/**
 * Parse Python source with @lezer/python and convert the syntax tree into the small AST of ast.ts.
 * Syntax errors are reported with line and column; nothing here evaluates code.
 */
import { createRequire } from 'node:module';
import type { PartialParse, SyntaxNode, Tree } from '@lezer/common';
import type { Expr, Handler, Module, Param, Pos, Stmt } from './ast.js';

export class PySyntaxError extends Error {
  constructor(
    message: string,
    public file: string,
    public line: number,
    public col: number,
  ) {
    super(message);
  }
}

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', ';', 'Comment', 'At', '=', '->']);

class Converter {
  private lineStarts: number[] = [0];
  constructor(
    private src: string,
    private file: string,
  ) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  pos(offset: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - (this.lineStarts[lo] as number) + 1 };
  }

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  node(n: SyntaxNode): SyntaxNode {
    return n;
  }

  kids(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
    return out;
  }

  /** Children that carry meaning (not punctuation). */
  parts(n: SyntaxNode): SyntaxNode[] {
    return this.kids(n).filter((c) => !PUNCT.has(c.name));
  }

  fail(n: SyntaxNode, msg: string): never {
    const p = this.pos(n.from);
    throw new PySyntaxError(msg, this.file, p.line, p.col);
  }

  checkErrors(root: SyntaxNode): void {
    const cur = root.cursor();
    do {
      if (!cur.type) {
        // lezer cuts its stack at about 2,800 nested productions and leaves a broken tree behind
        const p = this.pos(cur.from);
        throw new PySyntaxError('the expression nests too deeply for the parser (an unparenthesised chain of more than about 2,500 operands)', this.file, p.line, p.col);
      }
      if (cur.type.isError) {
        const p = this.pos(cur.from);
        const near = this.src.slice(cur.from, Math.min(cur.to + 20, this.src.indexOf('\n', cur.from) >= 0 ? this.src.indexOf('\n', cur.from) : this.src.length)).trim();
        throw new PySyntaxError(`invalid Python syntax${near ? ` near '${near.slice(0, 40)}'` : ''}`, this.file, p.line, p.col);
      }
    } while (cur.next());
  }

  module(root: SyntaxNode): Module {
    this.checkErrors(root);
    return { file: this.file, body: this.stmts(this.kids(root)) };
  }

  stmts(nodes: SyntaxNode[]): Stmt[] {
    const out: Stmt[] = [];
    for (const n of nodes) {
      if (PUNCT.has(n.name) || n.name === 'Comment') continue;
      const s = this.stmt(n);
      if (Array.isArray(s)) out.push(...s);
      else out.push(s);
    }
    return out;
  }

  body(n: SyntaxNode | undefined): Stmt[] {
    if (!n) return [];
    if (n.name !== 'Body') return this.stmts([n]);
    return this.stmts(this.kids(n));
  }

  stmt(n: SyntaxNode): Stmt | Stmt[] {
    const at = this.pos(n.from);
    const k = this.kids(n);
    switch (n.name) {
      case 'ReturnStatement': {
        const vals = this.parts(n).filter((c) => c.name !== 'return');
        return { t: 'Return', value: vals.length === 0 ? null : this.tupleOf(vals, n), ...at };
      }
      case 'PassStatement':
        return { t: 'Pass', ...at };
      case 'BreakStatement':
        return { t: 'Break', ...at };
      case 'ContinueStatement':
        return { t: 'Continue', ...at };
      case 'ExpressionStatement':
        return { t: 'Expr', value: this.expr(this.parts(n)[0] as SyntaxNode), ...at };
      case 'AssignStatement':
        return this.assign(n, at);
      case 'UpdateStatement': {
        const [target, op, value] = this.parts(n);
        return { t: 'AugAssign', target: this.expr(target as SyntaxNode), op: this.text(op as SyntaxNode).slice(0, -1), value: this.expr(value as SyntaxNode), ...at };
      }
      case 'IfStatement':
        return this.ifStmt(k, 0);
      case 'ForStatement': {
        const inIdx = k.findIndex((c) => c.name === 'in');
        const targets = k.slice(1, inIdx).filter((c) => !PUNCT.has(c.name));
        const rest = k.slice(inIdx + 1);
        const bodies = rest.filter((c) => c.name === 'Body');
        const iters = rest.filter((c) => c.name !== 'Body' && !PUNCT.has(c.name) && c.name !== 'else');
        return {
          t: 'For',
          target: this.tupleOf(targets, n),
          iter: this.tupleOf(iters, n),
          body: this.body(bodies[0]),
          orelse: this.body(bodies[1]),
          ...at,
        };
      }
      case 'WhileStatement': {
        const parts = this.parts(n).filter((c) => c.name !== 'while');
        return { t: 'While', test: this.expr(parts[0] as SyntaxNode), body: this.body(parts.find((c) => c.name === 'Body')), ...at };
      }
      case 'TryStatement':
        return this.tryStmt(k, at);
      case 'FunctionDefinition':
        return this.funcDef(n, []);
      case 'DecoratedStatement': {
        const decs = k.filter((c) => c.name === 'Decorator').map((d) => this.expr(this.parts(d)[0] as SyntaxNode));
        const def = k.find((c) => c.name === 'FunctionDefinition');
        if (def) return this.funcDef(def, decs);
        const cls = k.find((c) => c.name === 'ClassDefinition');
        return cls ? this.classDef(cls, decs, at) : { t: 'Unsupported', what: 'decorated statement', ...at };
      }
      case 'ClassDefinition':
        return this.classDef(n, [], at);
      case 'ImportStatement':
        return this.importStmt(n, at);
      case 'ScopeStatement':
        return { t: 'Global', names: this.parts(n).filter((c) => c.name === 'VariableName').map((c) => this.text(c)), ...at };
      case 'RaiseStatement': {
        const p = this.parts(n).filter((c) => c.name !== 'raise' && c.name !== 'from');
        return { t: 'Raise', exc: p[0] ? this.expr(p[0]) : null, ...at };
      }
      case 'StatementGroup':
        return this.stmts(k);
      default:
        return { t: 'Unsupported', what: n.name.replace(/Statement$/, '').toLowerCase() + ' statement', ...at };
    }
  }

  assign(n: SyntaxNode, at: Pos): Stmt {
    const k = this.kids(n);
    // split on AssignOp: a = b = value ; type annotations are skipped
    const groups: SyntaxNode[][] = [[]];
    for (const c of k) {
      if (c.name === 'AssignOp') groups.push([]);
      else if (c.name === 'TypeDef') continue;
      else if (c.name !== ',') (groups[groups.length - 1] as SyntaxNode[]).push(c);
    }
    const value = groups.pop() as SyntaxNode[];
    if (groups.length === 0) {
      // annotation only: `x: int`
      return { t: 'Pass', ...at };
    }
    return { t: 'Assign', targets: groups.map((g) => this.tupleOf(g, n)), value: this.tupleOf(value, n), ...at };
  }

  ifStmt(k: SyntaxNode[], i: number): Stmt {
    // k[i] is `if` or `elif`
    const head = k[i] as SyntaxNode;
    const at = this.pos(head.from);
    const test = k[i + 1] as SyntaxNode;
    const body = k[i + 2] as SyntaxNode;
    const next = k[i + 3];
    let orelse: Stmt[] = [];
    if (next && next.name === 'elif') orelse = [this.ifStmt(k, i + 3)];
    else if (next && next.name === 'else') orelse = this.body(k[i + 4]);
    return { t: 'If', test: this.expr(test), body: this.body(body), orelse, ...at };
  }

  tryStmt(k: SyntaxNode[], at: Pos): Stmt {
    const body = this.body(k[1]);
    const handlers: Handler[] = [];
    let orelse: Stmt[] = [];
    let finalbody: Stmt[] = [];
    let i = 2;
    while (i < k.length) {
      const c = k[i] as SyntaxNode;
      if (c.name === 'except') {
        let j = i + 1;
        let types: Expr | null = null;
        let name: string | null = null;
        if (k[j] && k[j]?.name !== 'Body' && k[j]?.name !== 'as') {
          types = this.expr(k[j] as SyntaxNode);
          j++;
        }
        if (k[j]?.name === 'as') {
          name = this.text(k[j + 1] as SyntaxNode);
          j += 2;
        }
        handlers.push({ types, name, body: this.body(k[j]) });
        i = j + 1;
      } else if (c.name === 'else') {
        orelse = this.body(k[i + 1]);
        i += 2;
      } else if (c.name === 'finally') {
        finalbody = this.body(k[i + 1]);
        i += 2;
      } else i++;
    }
    return { t: 'Try', body, handlers, orelse, finalbody, ...at };
  }

  funcDef(n: SyntaxNode, decorators: Expr[]): Stmt {
    const at = this.pos(n.from);
    const k = this.kids(n);
    const name = this.text(k.find((c) => c.name === 'VariableName') as SyntaxNode);
    const plist = k.find((c) => c.name === 'ParamList');
    const body = k.find((c) => c.name === 'Body');
    return { t: 'FunctionDef', name, params: plist ? this.params(plist) : [], body: this.body(body), decorators, ...at };
  }

  /** `class Name(bases, kw=v): body`; `at` is where the statement starts (its first decorator). */
  classDef(n: SyntaxNode, decorators: Expr[], at: Pos): Stmt {
    const k = this.kids(n);
    const name = this.text(k.find((c) => c.name === 'VariableName') as SyntaxNode);
    const args = k.find((c) => c.name === 'ArgList');
    const bases: Expr[] = [];
    const keywords: { name: string | null; value: Expr }[] = [];
    if (args) {
      const call = this.argList(args);
      bases.push(...call.args);
      keywords.push(...call.kwargs);
    }
    return { t: 'ClassDef', name, bases, keywords, body: this.body(k.find((c) => c.name === 'Body')), decorators, ...at };
  }

  params(n: SyntaxNode): Param[] {
    const out: Param[] = [];
    const k = this.kids(n);
    let kind: Param['kind'] = 'normal';
    for (let i = 0; i < k.length; i++) {
      const c = k[i] as SyntaxNode;
      if (c.name === '*') kind = 'star';
      else if (c.name === '**') kind = 'dstar';
      else if (c.name === 'VariableName') {
        const p: Param = { name: this.text(c), kind };
        if (k[i + 1]?.name === 'TypeDef') i++;
        if (k[i + 1]?.name === 'AssignOp') {
          p.default = this.expr(k[i + 2] as SyntaxNode);
          i += 2;
        }
        out.push(p);
        kind = 'normal';
      } else if (c.name === ',' && kind === 'star') kind = 'normal';
    }
    return out;
  }

  importStmt(n: SyntaxNode, at: Pos): Stmt {
    const k = this.kids(n);
    const names: { name: string; asname: string | null }[] = [];
    if (k[0]?.name === 'from') {
      const impIdx = k.findIndex((c) => c.name === 'import');
      const modParts = k.slice(1, impIdx);
      let level = 0;
      let module = '';
      for (const c of modParts) {
        if (c.name === '.' || c.name === 'Ellipsis') {
          if (module === '') level += this.text(c).length;
          else module += '.';
        } else module += this.text(c);
      }
      const rest = k.slice(impIdx + 1).filter((c) => c.name !== '(' && c.name !== ')');
      for (let i = 0; i < rest.length; i++) {
        const c = rest[i] as SyntaxNode;
        if (c.name === 'VariableName' || c.name === '*') {
          let asname: string | null = null;
          if (rest[i + 1]?.name === 'as') {
            asname = this.text(rest[i + 2] as SyntaxNode);
            i += 2;
          }
          names.push({ name: this.text(c), asname });
        }
      }
      return { t: 'ImportFrom', module, level, names, ...at };
    }
    // import a.b.c as d, e
    let cur = '';
    let asname: string | null = null;
    for (let i = 1; i < k.length; i++) {
      const c = k[i] as SyntaxNode;
      if (c.name === ',') {
        names.push({ name: cur, asname });
        cur = '';
        asname = null;
      } else if (c.name === 'as') {
        asname = this.text(k[i + 1] as SyntaxNode);
        i++;
      } else cur += this.text(c);
    }
    if (cur) names.push({ name: cur, asname });
    return { t: 'Import', names, ...at };
  }

  /** Several comma-separated expressions form a tuple. */
  tupleOf(nodes: SyntaxNode[], parent: SyntaxNode): Expr {
    const es = nodes.filter((c) => !PUNCT.has(c.name));
    if (es.length === 1) return this.expr(es[0] as SyntaxNode);
    const at = this.pos((es[0] ?? parent).from);
    return { t: 'Tuple', elts: es.map((e) => this.expr(e)), ...at };
  }

  expr(n: SyntaxNode): Expr {
    const at = this.pos(n.from);
    switch (n.name) {
      case 'VariableName':
        return { t: 'Name', id: this.text(n), ...at };
      case 'Number':
        return { t: 'Const', value: parseNumber(this.text(n)), ...at };
      case 'String':
        return this.stringLit([n], at);
      case 'ContinuedString':
        return this.stringLit(this.kids(n), at);
      case 'FormatString':
        return this.stringLit([n], at);
      case 'Boolean':
        return { t: 'Const', value: this.text(n) === 'True', ...at };
      case 'None':
        return { t: 'Const', value: null, ...at };
      case 'Ellipsis':
        return { t: 'Ellipsis', ...at };
      case 'ParenthesizedExpression': {
        const p = this.parts(n);
        return p.length === 1 ? this.expr(p[0] as SyntaxNode) : { t: 'Tuple', elts: p.map((c) => this.expr(c)), ...at };
      }
      case 'TupleExpression':
        return { t: 'Tuple', elts: this.parts(n).map((c) => this.expr(c)), ...at };
      case 'ArrayExpression':
        return { t: 'List', elts: this.parts(n).map((c) => this.expr(c)), ...at };
      case 'SetExpression':
        return { t: 'Set', elts: this.parts(n).map((c) => this.expr(c)), ...at };
      case 'DictionaryExpression':
        return this.dict(n, at);
      case 'ArrayComprehensionExpression':
        return this.comp(n, 'list', at);
      case 'SetComprehensionExpression':
        return this.comp(n, 'set', at);
      case 'ComprehensionExpression':
        return this.comp(n, 'gen', at);
      case 'DictionaryComprehensionExpression':
        return this.comp(n, 'dict', at);
      case 'MemberExpression': {
        const k = this.kids(n);
        const obj = this.expr(k[0] as SyntaxNode);
        if (k[1]?.name === '.') return { t: 'Attribute', obj, attr: this.text(k[2] as SyntaxNode), ...at };
        // subscript: obj [ ... ]
        const inner = k.slice(2, -1);
        if (inner.some((c) => c.name === ':')) return { t: 'Subscript', obj, index: this.slice(inner, at), ...at };
        return { t: 'Subscript', obj, index: this.tupleOf(inner, n), ...at };
      }
      case 'CallExpression': {
        const k = this.kids(n);
        const func = this.expr(k[0] as SyntaxNode);
        const { args, kwargs } = this.argList(k[1] as SyntaxNode);
        return { t: 'Call', func, args, kwargs, ...at };
      }
      case 'UnaryExpression': {
        const k = this.kids(n);
        const op = this.text(k[0] as SyntaxNode);
        // @lezer/python parses `not a or b` as `not (a or b)`: boolExpr reads it as Python does
        if (op === 'not') return this.boolExpr(n);
        const operand = this.expr(k[1] as SyntaxNode);
        if (op === '-' && operand.t === 'Const' && typeof operand.value === 'number') return { ...operand, value: -operand.value, ...at };
        return { t: 'UnaryOp', op, operand, ...at };
      }
      case 'BinaryExpression':
        return this.binary(n, at);
      case 'ConditionalExpression': {
        const p = this.parts(n).filter((c) => c.name !== 'if' && c.name !== 'else');
        return { t: 'IfExp', body: this.expr(p[0] as SyntaxNode), test: this.expr(p[1] as SyntaxNode), orelse: this.expr(p[2] as SyntaxNode), ...at };
      }
      case 'NamedExpression': {
        const p = this.parts(this.node(n)).filter((c) => c.name !== 'AssignOp');
        return { t: 'Walrus', target: this.text(p[0] as SyntaxNode), value: this.expr(p[1] as SyntaxNode), ...at };
      }
      case 'LambdaExpression': {
        const k = this.kids(n);
        const plist = k.find((c) => c.name === 'ParamList');
        const body = k[k.length - 1] as SyntaxNode;
        return { t: 'Lambda', params: plist ? this.params(plist) : [], body: this.expr(body), ...at };
      }
      default:
        return { t: 'Unsupported', what: n.name, ...at };
    }
  }

  /** `and`/`or` when `n` is an unparenthesised boolean operation, else null. */
  boolOpOf(n: SyntaxNode): 'and' | 'or' | null {
    if (n.name !== 'BinaryExpression') return null;
    const k = this.kids(n);
    const op = k.slice(1, -1).map((c) => this.text(c)).join(' ');
    return op === 'and' || op === 'or' ? op : null;
  }

  /**
   * An unparenthesised boolean expression (`and`, `or`, `not` and their operands), read with Python's
   * precedence: `not` binds tighter than `and`, `and` tighter than `or`. @lezer/python gives `not` the
   * lowest precedence (`a and not b or c` parses as `a and not (b or c)`), so the expression is taken
   * apart into its words and operands in source order, without recursion, and put back together.
   * A chain of up to BALANCE_FROM operands keeps Python's left association ((x1 op x2) op x3); a longer
   * one is built balanced, ((x1 op x2) op (x3 op x4)): `and`/`or` are associative in value and in
   * evaluation order, and a balanced chain keeps the depth (and the cost of lifting it) logarithmic.
   */
  boolExpr(n: SyntaxNode): Expr {
    type Item = { k: 'op'; op: 'and' | 'or' } | { k: 'not'; at: Pos } | { k: 'x'; n: SyntaxNode };
    const items: Item[] = [];
    const stack: (SyntaxNode | Item)[] = [n];
    while (stack.length) {
      const top = stack.pop()!;
      if (!('name' in top)) {
        items.push(top);
        continue;
      }
      const op = this.boolOpOf(top);
      if (op) {
        const k = this.kids(top);
        stack.push(k[k.length - 1] as SyntaxNode, { k: 'op', op }, k[0] as SyntaxNode);
        continue;
      }
      if (top.name === 'UnaryExpression') {
        const k = this.kids(top);
        if (this.text(k[0] as SyntaxNode) === 'not') {
          stack.push(k[1] as SyntaxNode, { k: 'not', at: this.pos(top.from) });
          continue;
        }
      }
      items.push({ k: 'x', n: top });
    }
    let i = 0;
    const startOf = (it: Item | undefined): Pos => (it?.k === 'not' ? it.at : it?.k === 'x' ? this.pos(it.n.from) : this.pos(n.from));
    const chain = (op: 'and' | 'or', xs: Expr[], at: Pos): Expr => {
      if (xs.length === 1) return xs[0] as Expr;
      if (xs.length <= BALANCE_FROM) {
        let out = xs[0] as Expr;
        for (let j = 1; j < xs.length; j++) out = { t: 'BoolOp', op, left: out, right: xs[j] as Expr, ...at };
        return out;
      }
      const build = (lo: number, hi: number): Expr => {
        if (hi - lo === 1) return xs[lo] as Expr;
        const mid = (lo + hi) >> 1;
        const left = build(lo, mid);
        return { t: 'BoolOp', op, left, right: build(mid, hi), ...(lo === 0 ? at : { line: left.line, col: left.col }) };
      };
      return build(0, xs.length);
    };
    const isOp = (op: 'and' | 'or'): boolean => {
      const it = items[i];
      return it !== undefined && it.k === 'op' && it.op === op;
    };
    const parseNot = (): Expr => {
      const nots: Pos[] = [];
      for (let it = items[i]; it?.k === 'not'; it = items[++i]) nots.push(it.at);
      const it = items[i++];
      if (it?.k !== 'x') return { t: 'Unsupported', what: 'boolean expression', ...this.pos(n.from) };
      let e = this.expr(it.n);
      for (let j = nots.length - 1; j >= 0; j--) e = { t: 'Not', operand: e, ...(nots[j] as Pos) };
      return e;
    };
    const parseAnd = (): Expr => {
      const at = startOf(items[i]);
      const xs = [parseNot()];
      while (isOp('and')) {
        i++;
        xs.push(parseNot());
      }
      return chain('and', xs, at);
    };
    const at = startOf(items[0]);
    const xs = [parseAnd()];
    while (isOp('or')) {
      i++;
      xs.push(parseAnd());
    }
    return chain('or', xs, at);
  }

  slice(inner: SyntaxNode[], at: Pos): Expr {
    const slots: (Expr | undefined)[] = [undefined];
    for (const c of inner) {
      if (c.name === ':') slots.push(undefined);
      else slots[slots.length - 1] = this.expr(c);
    }
    const [lower, upper, step] = slots;
    return { t: 'Slice', ...(lower ? { lower } : {}), ...(upper ? { upper } : {}), ...(step ? { step } : {}), ...at };
  }

  argList(n: SyntaxNode): { args: Expr[]; kwargs: { name: string | null; value: Expr }[] } {
    const k = this.kids(n).filter((c) => c.name !== '(' && c.name !== ')');
    const args: Expr[] = [];
    const kwargs: { name: string | null; value: Expr }[] = [];
    // generator argument: f(x for x in y)
    if (k.some((c) => c.name === 'for')) {
      args.push(this.compFrom(k, 'gen', this.pos(n.from)));
      return { args, kwargs };
    }
    for (let i = 0; i < k.length; i++) {
      const c = k[i] as SyntaxNode;
      if (c.name === ',') continue;
      if (c.name === '*' || c.name === '**') {
        const v = this.expr(k[i + 1] as SyntaxNode);
        if (c.name === '**') kwargs.push({ name: null, value: v });
        else args.push({ t: 'Starred', value: v, ...this.pos(c.from) });
        i++;
      } else if (k[i + 1]?.name === 'AssignOp') {
        kwargs.push({ name: this.text(c), value: this.expr(k[i + 2] as SyntaxNode) });
        i += 2;
      } else args.push(this.expr(c));
    }
    return { args, kwargs };
  }

  dict(n: SyntaxNode, at: Pos): Expr {
    const k = this.kids(n).filter((c) => c.name !== '{' && c.name !== '}');
    const keys: (Expr | null)[] = [];
    const values: Expr[] = [];
    for (let i = 0; i < k.length; i++) {
      const c = k[i] as SyntaxNode;
      if (c.name === ',') continue;
      if (c.name === '**') {
        keys.push(null);
        values.push(this.expr(k[i + 1] as SyntaxNode));
        i++;
      } else {
        keys.push(this.expr(c));
        values.push(this.expr(k[i + 2] as SyntaxNode));
        i += 2;
      }
    }
    return { t: 'Dict', keys, values, ...at };
  }

  comp(n: SyntaxNode, kind: 'list' | 'set' | 'gen' | 'dict', at: Pos): Expr {
    const k = this.kids(n).slice(1, -1);
    return this.compFrom(k, kind, at);
  }

  compFrom(k: SyntaxNode[], kind: 'list' | 'set' | 'gen' | 'dict', at: Pos): Expr {
    const firstFor = k.findIndex((c) => c.name === 'for');
    const head = k.slice(0, firstFor).filter((c) => !PUNCT.has(c.name) || c.name === ':');
    let elt: Expr;
    let value: Expr | undefined;
    if (kind === 'dict') {
      const colon = head.findIndex((c) => c.name === ':');
      elt = this.expr(head[0] as SyntaxNode);
      value = this.expr(head[colon + 1] as SyntaxNode);
    } else elt = this.tupleOf(head, k[0] as SyntaxNode);
    const gens: { target: Expr; iter: Expr; ifs: Expr[] }[] = [];
    let i = firstFor;
    while (i < k.length) {
      // for <targets> in <iter> (if <cond>)*
      const inIdx = k.findIndex((c, j) => j > i && c.name === 'in');
      const targets = k.slice(i + 1, inIdx);
      let j = inIdx + 1;
      const iterNodes: SyntaxNode[] = [];
      while (j < k.length && k[j]?.name !== 'for' && k[j]?.name !== 'if') iterNodes.push(k[j++] as SyntaxNode);
      const ifs: Expr[] = [];
      while (k[j]?.name === 'if') {
        ifs.push(this.expr(k[j + 1] as SyntaxNode));
        j += 2;
      }
      gens.push({ target: this.tupleOf(targets, k[i] as SyntaxNode), iter: this.tupleOf(iterNodes, k[i] as SyntaxNode), ifs });
      i = j;
    }
    return { t: 'Comp', kind, elt, ...(value ? { value } : {}), gens, ...at };
  }

  binary(n: SyntaxNode, at: Pos): Expr {
    const k = this.kids(n);
    const left = k[0] as SyntaxNode;
    const right = k[k.length - 1] as SyntaxNode;
    const opNodes = k.slice(1, -1);
    const op = opNodes.map((c) => this.text(c)).join(' ');
    if (op === 'and' || op === 'or') return this.boolExpr(n);
    const cmpOps = ['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is', 'is not', '<>'];
    if (cmpOps.includes(op)) {
      const l = this.expr(left);
      const r = this.expr(right);
      // a chained comparison parses as ((a < b) < c): unfold unless parenthesised
      if (left.name === 'BinaryExpression' && l.t === 'Compare') {
        return { t: 'Compare', left: l.left, ops: [...l.ops, op], comparators: [...l.comparators, r], ...at };
      }
      return { t: 'Compare', left: l, ops: [op], comparators: [r], ...at };
    }
    return { t: 'BinOp', op, left: this.expr(left), right: this.expr(right), ...at };
  }

  stringLit(nodes: SyntaxNode[], at: Pos): Expr {
    const parts: (string | { expr: Expr; conv?: string; spec?: string })[] = [];
    let isF = false;
    let bytes = false;
    for (const n of nodes) {
      const raw = this.text(n);
      const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(raw);
      if (!m) this.fail(n, 'unreadable string literal');
      const prefix = (m[1] as string).toLowerCase();
      const q = m[2] as string;
      const isRaw = prefix.includes('r');
      if (prefix.includes('b')) bytes = true;
      const start = n.from + m[0].length;
      const end = n.to - q.length;
      if (n.name === 'FormatString' || prefix.includes('f')) {
        isF = true;
        let cursor = start;
        for (const c of this.kids(n)) {
          if (c.name !== 'FormatReplacement') continue;
          parts.push(decodeString(this.src.slice(cursor, c.from), isRaw, true));
          const ck = this.kids(c);
          const exprNode = ck.find((x) => !PUNCT.has(x.name) && x.name !== 'FormatConversion' && x.name !== 'FormatSpec' && x.name !== 'FormatSelfDoc');
          const conv = ck.find((x) => x.name === 'FormatConversion');
          const spec = ck.find((x) => x.name === 'FormatSpec');
          parts.push({
            expr: exprNode ? this.expr(exprNode) : { t: 'Unsupported', what: 'empty f-string field', ...this.pos(c.from) },
            ...(conv ? { conv: this.text(conv).slice(1) } : {}),
            ...(spec ? { spec: this.text(spec).slice(1) } : {}),
          });
          cursor = c.to;
        }
        parts.push(decodeString(this.src.slice(cursor, end), isRaw, true));
      } else parts.push(decodeString(this.src.slice(start, end), isRaw, false));
    }
    if (!isF) return { t: 'Const', value: parts.join(''), ...(bytes ? { bytes } : {}), ...at };
    // merge adjacent literal pieces
    const merged: (string | { expr: Expr; conv?: string; spec?: string })[] = [];
    for (const p of parts) {
      const last = merged[merged.length - 1];
      if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p;
      else if (p !== '') merged.push(p);
    }
    return { t: 'FString', parts: merged, ...at };
  }
}

function parseNumber(s: string): number {
  const t = s.replace(/_/g, '').toLowerCase();
  if (t.endsWith('j')) return NaN;
  if (t.startsWith('0x')) return parseInt(t.slice(2), 16);
  if (t.startsWith('0o')) return parseInt(t.slice(2), 8);
  if (t.startsWith('0b')) return parseInt(t.slice(2), 2);
  return Number(t);
}

/** Decode the body of a Python string literal (escapes; `{{`/`}}` in f-strings). */
export function decodeString(body: string, raw: boolean, fstring: boolean): string {
  let s = body;
  if (fstring) s = s.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  if (raw) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const d = s[i + 1];
    i++;
    switch (d) {
      case '\n':
        break;
      case '\\':
        out += '\\';
        break;
      case "'":
        out += "'";
        break;
      case '"':
        out += '"';
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
        out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      case 'u':
        out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      case 'U':
        out += String.fromCodePoint(parseInt(s.slice(i + 1, i + 9), 16));
        i += 8;
        break;
      default:
        if (d !== undefined && /[0-7]/.test(d)) {
          const m = /^[0-7]{1,3}/.exec(s.slice(i)) as RegExpExecArray;
          out += String.fromCharCode(parseInt(m[0], 8));
          i += m[0].length - 1;
        } else out += `\\${d ?? ''}`;
    }
  }
  return out;
}

/** Longer unparenthesised and/or chains are built balanced (see Converter.boolExpr). */
const BALANCE_FROM = 16;

/** A cache of parsed modules `parsePython` goes through (the CLI's on-disk one, cli/parsecache.ts): it gives `parse()`'s module, or a stored copy. */
export type ParseThrough = (src: string, label: string, parse: () => Module) => Module;

let through: ParseThrough | undefined;

/** Set (or, undefined, remove) the cache parsePython goes through; without one, every module is parsed. */
export function setParseThrough(f: ParseThrough | undefined): void {
  through = f;
}

/**
 * The module of `src`, named `file` in its positions; through the parse cache when one is set (setParseThrough).
 */
export function parsePython(src: string, file: string): Module {
  const parse = (): Module => new Converter(src, file).module(parseTree(src).topNode);
  return through ? through(src, file, parse) : parse();
}

let lezer: typeof import('@lezer/python') | undefined;

/**
 * @lezer/python's parser, loaded on the first parse: building it (its tables decoded, its highlighting props
 * attached) took ~10% of the CLI bundle's start-up, which a run whose modules all come from the parse cache
 * (cli/parsecache.ts) does not need. In the bundle (`dist/cli/main.cjs`, CommonJS) `require` is the bundle's own
 * and the package is bundled, evaluated on this first call; run as ES modules (the suite, `dist/` without the
 * bundle) the package is required from node_modules.
 */
function pythonParser(): (typeof import('@lezer/python'))['parser'] {
  lezer ??= typeof require === 'function' ? (require('@lezer/python') as typeof import('@lezer/python')) : (createRequire(import.meta.url)('@lezer/python') as typeof import('@lezer/python'));
  return lezer.parser;
}

/**
 * The lezer tree of `src`. Lezer forces a left-associative production closed after 300 large reductions
 * at one position (a guard against trees too deep for recursive walkers), which turns a long
 * `a and b and ...` chain (about 220 comparisons) into a syntax error although CPython accepts it. The
 * counter is reset before every step, so such chains parse; the converter walks them without recursion.
 */
function parseTree(src: string): Tree {
  const parse = pythonParser().startParse(src) as PartialParse & { bigReductionCount?: number };
  for (;;) {
    if (typeof parse.bigReductionCount === 'number') parse.bigReductionCount = 0;
    const tree = parse.advance();
    if (tree) return tree;
  }
}
