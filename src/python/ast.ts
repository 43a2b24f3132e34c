/** A small Python AST, built from the @lezer/python syntax tree (parse.ts). Positions are 1-based. */

export interface Pos {
  line: number;
  col: number;
}

export type Expr = (
  | { t: 'Name'; id: string }
  | { t: 'Const'; value: string | number | boolean | null; bytes?: boolean }
  | { t: 'Ellipsis' }
  | { t: 'FString'; parts: (string | { expr: Expr; conv?: string; spec?: string })[] }
  | { t: 'Attribute'; obj: Expr; attr: string }
  | { t: 'Call'; func: Expr; args: Expr[]; kwargs: { name: string | null; value: Expr }[] }
  | { t: 'Subscript'; obj: Expr; index: Expr }
  | { t: 'Slice'; lower?: Expr; upper?: Expr; step?: Expr }
  | { t: 'BinOp'; op: string; left: Expr; right: Expr }
  | { t: 'BoolOp'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { t: 'Not'; operand: Expr }
  | { t: 'UnaryOp'; op: string; operand: Expr }
  | { t: 'Compare'; left: Expr; ops: string[]; comparators: Expr[] }
  | { t: 'IfExp'; test: Expr; body: Expr; orelse: Expr }
  | { t: 'List' | 'Tuple' | 'Set'; elts: Expr[] }
  | { t: 'Dict'; keys: (Expr | null)[]; values: Expr[] }
  | { t: 'Comp'; kind: 'list' | 'set' | 'gen' | 'dict'; elt: Expr; value?: Expr; gens: { target: Expr; iter: Expr; ifs: Expr[] }[] }
  | { t: 'Lambda'; params: Param[]; body: Expr }
  | { t: 'Starred'; value: Expr; double?: boolean }
  | { t: 'Walrus'; target: string; value: Expr }
  | { t: 'Unsupported'; what: string }
) &
  Pos;

export interface Param {
  name: string;
  default?: Expr;
  kind: 'normal' | 'star' | 'dstar';
}

export interface Handler {
  types: Expr | null;
  name: string | null;
  body: Stmt[];
}

export type Stmt = (
  | { t: 'Return'; value: Expr | null }
  | { t: 'If'; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { t: 'Assign'; targets: Expr[]; value: Expr }
  | { t: 'AugAssign'; target: Expr; op: string; value: Expr }
  | { t: 'Expr'; value: Expr }
  | { t: 'For'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] }
  | { t: 'While'; test: Expr; body: Stmt[] }
  | { t: 'Try'; body: Stmt[]; handlers: Handler[]; orelse: Stmt[]; finalbody: Stmt[] }
  | { t: 'Pass' | 'Break' | 'Continue' }
  | { t: 'FunctionDef'; name: string; params: Param[]; body: Stmt[]; decorators: Expr[] }
  /** A class: its bases, keyword arguments (metaclass=...), body and decorators, as written. */
  | { t: 'ClassDef'; name: string; bases: Expr[]; keywords: { name: string | null; value: Expr }[]; body: Stmt[]; decorators: Expr[] }
  | { t: 'Import'; names: { name: string; asname: string | null }[] }
  | { t: 'ImportFrom'; module: string; level: number; names: { name: string; asname: string | null }[] }
  | { t: 'Global'; names: string[] }
  | { t: 'Raise'; exc: Expr | null }
  | { t: 'Unsupported'; what: string }
) &
  Pos;

export interface Module {
  file: string;
  body: Stmt[];
}
