/**
 * Human-readable text of AST nodes, for `transpile explain` and messages. Not a target: it reads
 * like the seed page's "Detection logic" (truthiness shows as the bare field).
 */
import type { Json, Pred, Val } from './types.js';
import { fieldRef, pathText, splitExclusions } from './view.js';

export function valText(v: Val): string {
  const f = fieldRef(v);
  if (f) {
    const base = f.root === 'elem' ? `item${f.depth > 0 ? f.depth : ''}${f.path.length ? '.' : ''}` : '';
    const p = base + pathText(f.path);
    return f.default !== undefined ? `${p || 'item'} (default ${lit(f.default)})` : p || 'item';
  }
  switch (v.k) {
    case 'lit':
      return lit(v.v);
    case 'fn':
      if (v.fn === 'concat') return v.args.map(valText).join(' + ');
      return `${v.fn}(${v.args.map(valText).join(', ')})`;
    default:
      return '?';
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
    case 'truthy':
      return valText(p.value);
    case 'cidr':
      return `${valText(p.value)} in_cidr [${p.ranges.map(lit).join(', ')}]`;
    case 'istype':
      return `${valText(p.value)} is_type ${p.type}`;
    case 'valid':
      return `${valText(p.value)} is_valid_json`;
    case 'rel':
      return p.rel === 'in' ? `${valText(p.other)} in${p.ci ? ' (ignoring case)' : ''} ${valText(p.value)}` : `${valText(p.value)} ${p.rel}${p.ci ? ' (ignoring case)' : ''} ${valText(p.other)}`;
    case 'quant':
      return `${p.q}(item in ${valText(p.list)}: ${predText(p.pred)})`;
    case 'opaque':
      return `<unlifted: ${p.reason} at ${p.span.file.split('/').pop()}:${p.span.line}; taken as ${p.assume}>`;
  }
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
