/**
 * Human-readable text of AST nodes, for `transpile explain` and messages. Not a target: it reads
 * like the seed page's "Detection logic" (truthiness shows as the bare field).
 */
import type { Json, Pred, Val } from './types.js';
import { fieldRef, pathText, splitExclusions } from './view.js';

/** The name of the element bound by the quantifier at nesting level `depth`. */
export const itemName = (depth: number): string => `item${depth > 0 ? depth : ''}`;

export function valText(v: Val): string {
  const f = fieldRef(v);
  if (f) {
    const root = f.root === 'elem' ? itemName(f.depth) : 'event';
    const p = f.path.length === 0 ? root : f.root === 'elem' ? `${root}.${pathText(f.path)}` : pathText(f.path);
    return f.default !== undefined ? `${p} (default ${lit(f.default)})` : p;
  }
  switch (v.k) {
    case 'lit':
      return lit(v.v);
    case 'fn':
      if (v.fn === 'concat') return v.args.map(valText).join(' + ');
      return `${v.fn}(${v.args.map(valText).join(', ')})`;
    case 'index':
      return `${valText(v.obj)}[${v.index}]`;
    case 'get':
      return `${valText(v.obj)}.${v.key}${v.default ? ` (default ${valText(v.default)})` : ''}`;
    case 'event':
      return 'event';
    case 'elem':
      return itemName(v.depth);
  }
}

export function lit(v: Json): string {
  return JSON.stringify(v);
}

const OPS: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

export function predText(p: Pred, top = true): string {
  const wrap = (s: string): string => (top ? s : `(${s})`);
  switch (p.k) {
    case 'const':
      return p.v ? 'true' : 'false';
    case 'and':
      return wrap(p.args.map((a) => predText(a, false)).join(' and '));
    case 'or':
      return wrap(p.args.map((a) => predText(a, false)).join(' or '));
    case 'not':
      return `not ${predText(p.arg, false)}`;
    case 'cmp':
      return `${valText(p.left)} ${OPS[p.op]}${p.ci ? ' (ignoring case)' : ''} ${valText(p.right)}`;
    case 'in':
      return `${valText(p.value)} in${p.ci ? ' (ignoring case)' : ''} [${p.list.map(lit).join(', ')}]`;
    case 'match': {
      const how = p.kind === 'regex' ? (p.anchor === 'fullmatch' ? 'fullmatches regex' : p.anchor === 'match' ? 'matches regex at start' : 'matches regex') : p.kind === 'glob' ? 'matches glob' : p.kind;
      return `${valText(p.value)} ${how}${p.ci ? ' (ignoring case)' : ''} ${lit(p.pattern)}`;
    }
    case 'has':
      return `${valText(p.value)} has${p.ci ? ' (ignoring case)' : ''} ${lit(p.needle)}`;
    case 'exists':
      return `${valText(p.value)} is_not_null`;
    case 'truthy': {
      // a falsy default ("", 0, None, [], {}) does not change truthiness: show the bare field
      const f = fieldRef(p.value);
      const d = f?.default;
      const falsy = d === undefined || d === null || d === '' || d === 0 || d === false || (Array.isArray(d) && d.length === 0) || (typeof d === 'object' && d !== null && Object.keys(d).length === 0);
      return f && falsy ? valText({ ...stripDefault(p.value) }) : valText(p.value);
    }
    case 'cidr':
      return `${valText(p.value)} in_cidr [${p.ranges.map(lit).join(', ')}]`;
    case 'istype':
      return `${valText(p.value)} is_type ${p.type}`;
    case 'valid':
      return `${valText(p.value)} is_valid_json`;
    case 'rel':
      return p.rel === 'in' ? `${valText(p.other)} in${p.ci ? ' (ignoring case)' : ''} ${valText(p.value)}` : `${valText(p.value)} ${p.rel}${p.ci ? ' (ignoring case)' : ''} ${valText(p.other)}`;
    case 'quant': {
      const level = quantLevel(p);
      return `${p.q}(${itemName(level)} in ${valText(p.list)}: ${predText(p.pred)})`;
    }
    case 'opaque':
      return `<unlifted: ${p.reason} at ${p.span.file.split('/').pop()}:${p.span.line}; taken as ${p.assume}>`;
  }
}

/** The nesting level a quantifier binds: the smallest element depth its body reads that its list does not. */
function quantLevel(p: Extract<Pred, { k: 'quant' }>): number {
  const listDepths = new Set<number>();
  const scanVal = (v: Val, into: Set<number>): void => {
    if (v.k === 'elem') into.add(v.depth);
    else if (v.k === 'get' || v.k === 'index') scanVal(v.obj, into);
    else if (v.k === 'fn') v.args.forEach((a) => scanVal(a, into));
  };
  scanVal(p.list, listDepths);
  const above = listDepths.size ? Math.max(...listDepths) + 1 : 0;
  return above;
}

function stripDefault(v: Val): Val {
  if (v.k === 'get' && v.default) {
    const { default: _d, ...rest } = v;
    return rest;
  }
  return v;
}

export interface Indicator {
  field: string;
  kind: string;
  values: Json[];
}

/** The indicators: field/operator/value atoms of the positive condition. */
export function indicators(p: Pred): Indicator[] {
  const out: Indicator[] = [];
  const walk = (q: Pred, positive: boolean): void => {
    switch (q.k) {
      case 'and':
      case 'or':
        q.args.forEach((a) => walk(a, positive));
        return;
      case 'not':
        walk(q.arg, !positive);
        return;
      default:
        break;
    }
    if (!positive) return;
    const f = (v: Val): string | null => {
      const r = fieldRef(v);
      return r ? pathText(r.path) : null;
    };
    if (q.k === 'in') {
      const n = f(q.value);
      if (n) out.push({ field: n, kind: q.ci ? 'in (ignoring case)' : 'in', values: q.list });
    } else if (q.k === 'cmp' && q.right.k === 'lit') {
      const n = f(q.left);
      if (n) out.push({ field: n, kind: OPS[q.op] + (q.ci ? ' (ignoring case)' : ''), values: [q.right.v] });
    } else if (q.k === 'match') {
      const n = f(q.value);
      if (n) out.push({ field: n, kind: q.kind + (q.ci ? ' (ignoring case)' : ''), values: [q.pattern] });
    } else if (q.k === 'cidr') {
      const n = f(q.value);
      if (n) out.push({ field: n, kind: 'cidr', values: q.ranges });
    }
  };
  walk(splitExclusions(p).condition.length ? { k: 'and', args: splitExclusions(p).condition } : p, true);
  return out;
}
