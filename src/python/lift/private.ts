/**
 * The collections a function holds alone: a local name every assignment of which makes a new list,
 * dict or set (a display, a comprehension, `list()`/`dict()`/`set()` of at most one argument), and
 * which is only read where the object cannot get a second reference: as the object of a subscript,
 * attribute or method call, an operand of a comparison, a tested truth value, an argument of a builtin
 * that copies or reads it (len, list, sorted...), inside an f-string, or returned. Changing such a
 * collection in place (`d[k] = v`, `d.update(...)`, `xs.append(...)`) is seen through that name only,
 * so the lifter's rebinding of the name is the whole effect (Lifter.markChanged is for the others).
 * A name read by a nested function or lambda, passed to another function, stored in another
 * collection or assigned to another name is not private.
 */
import type { Expr, Stmt } from '../ast.js';
import type { FunctionDef } from '../module.js';

/** Builtins that read or copy their argument without keeping a reference to it. */
const READERS = new Set(['len', 'bool', 'any', 'all', 'sorted', 'list', 'set', 'tuple', 'frozenset', 'dict', 'str', 'repr', 'isinstance', 'print', 'min', 'max', 'sum']);

const cache = new WeakMap<FunctionDef, Set<string>>();

export function privateNames(def: FunctionDef): Set<string> {
  let out = cache.get(def);
  if (!out) cache.set(def, (out = compute(def)));
  return out;
}

function fresh(e: Expr): boolean {
  if (e.t === 'Dict' || e.t === 'List' || e.t === 'Set') return true;
  if (e.t === 'Comp') return e.kind !== 'gen';
  return e.t === 'Call' && e.func.t === 'Name' && ['list', 'dict', 'set'].includes(e.func.id) && e.args.length <= 1 && e.kwargs.length === 0;
}

function compute(def: FunctionDef): Set<string> {
  const candidates = new Set<string>();
  const refused = new Set<string>(def.params.map((p) => p.name));
  const bindAll = (t: Expr): void => {
    if (t.t === 'Name') refused.add(t.id);
    else if (t.t === 'Tuple' || t.t === 'List') t.elts.forEach(bindAll);
    else if (t.t === 'Starred') bindAll(t.value);
  };
  // names: how each is read; `safe` says whether this occurrence cannot alias the object
  const use = (e: Expr, safe: boolean): void => {
    switch (e.t) {
      case 'Name':
        if (!safe) refused.add(e.id);
        return;
      case 'Attribute':
        use(e.obj, true);
        return;
      case 'Subscript':
        use(e.obj, true);
        use(e.index, false);
        return;
      case 'Slice':
        for (const x of [e.lower, e.upper, e.step]) if (x) use(x, false);
        return;
      case 'Call': {
        use(e.func, true);
        const reader = e.func.t === 'Name' && READERS.has(e.func.id);
        for (const a of e.args) use(a, reader && a.t !== 'Starred');
        for (const k of e.kwargs) use(k.value, false);
        return;
      }
      case 'Compare':
        use(e.left, true);
        e.comparators.forEach((x) => use(x, true));
        return;
      case 'Not':
        use(e.operand, true);
        return;
      case 'BoolOp':
        // `a or b` is a or b itself: as safe as where the result goes
        use(e.left, safe);
        use(e.right, safe);
        return;
      case 'IfExp':
        use(e.test, true);
        use(e.body, safe);
        use(e.orelse, safe);
        return;
      case 'FString':
        for (const p of e.parts) if (typeof p !== 'string') use(p.expr, true);
        return;
      case 'BinOp':
        // a new object (list + list, set | set)
        use(e.left, true);
        use(e.right, true);
        return;
      case 'UnaryOp':
        use(e.operand, true);
        return;
      case 'List':
      case 'Tuple':
      case 'Set':
        e.elts.forEach((x) => use(x, false));
        return;
      case 'Dict':
        e.keys.forEach((k) => k && use(k, false));
        e.values.forEach((x) => use(x, false));
        return;
      case 'Comp':
        for (const g of e.gens) {
          bindAll(g.target);
          use(g.iter, true);
          g.ifs.forEach((x) => use(x, true));
        }
        use(e.elt, false);
        if (e.value) use(e.value, false);
        return;
      case 'Lambda':
        names(e.body).forEach((n) => refused.add(n));
        return;
      case 'Starred':
        use(e.value, false);
        return;
      case 'Walrus':
        refused.add(e.target);
        use(e.value, false);
        return;
      default:
        return;
    }
  };
  const stmts = (ss: Stmt[]): void => ss.forEach(stmt);
  const stmt = (s: Stmt): void => {
    switch (s.t) {
      case 'Return':
        if (s.value) use(s.value, true);
        return;
      case 'If':
        use(s.test, true);
        stmts(s.body);
        stmts(s.orelse);
        return;
      case 'While':
        use(s.test, true);
        stmts(s.body);
        return;
      case 'Assign':
        for (const t of s.targets) {
          if (t.t === 'Name') {
            if (fresh(s.value) && s.targets.length === 1) candidates.add(t.id);
            else refused.add(t.id);
          } else if (t.t === 'Subscript' || t.t === 'Attribute') use(t, true);
          else bindAll(t);
        }
        use(s.value, false);
        return;
      case 'AugAssign':
        if (s.target.t !== 'Name') use(s.target, true);
        use(s.value, false);
        return;
      case 'Expr':
        use(s.value, true);
        return;
      case 'For':
        bindAll(s.target);
        use(s.iter, true);
        stmts(s.body);
        stmts(s.orelse);
        return;
      case 'Try':
        stmts(s.body);
        for (const h of s.handlers) {
          if (h.name) refused.add(h.name);
          if (h.types) use(h.types, true);
          stmts(h.body);
        }
        stmts(s.orelse);
        stmts(s.finalbody);
        return;
      case 'FunctionDef':
      case 'ClassDef':
        // a nested function or class may read (and change, or keep) any name of this one
        refused.add(s.name);
        stmtNames(s.body).forEach((n) => refused.add(n));
        return;
      case 'Global':
        s.names.forEach((n) => refused.add(n));
        return;
      case 'Import':
        s.names.forEach((n) => refused.add(n.asname ?? n.name.split('.')[0] as string));
        return;
      case 'ImportFrom':
        s.names.forEach((n) => refused.add(n.asname ?? n.name));
        return;
      case 'Raise':
        if (s.exc) use(s.exc, false);
        return;
      default:
        return;
    }
  };
  stmts(def.body);
  return new Set([...candidates].filter((n) => !refused.has(n)));
}

/** Every name an expression mentions. */
function names(e: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(e)) {
    for (const x of e) names(x, out);
  } else if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if (o.t === 'Name' && typeof o.id === 'string') out.add(o.id);
    if (o.t === 'Walrus' && typeof o.target === 'string') out.add(o.target);
    for (const v of Object.values(o)) if (v && typeof v === 'object') names(v, out);
  }
  return out;
}

/** Every name a block of statements mentions (nested functions included). */
function stmtNames(ss: Stmt[]): Set<string> {
  return names(ss);
}
