/**
 * Read-only views of AST values for the targets: a field path with its default, and the
 * condition split into indicators and exclusions.
 */
import type { Json, Pred, Val } from './types.js';

export type PathSeg = string | number;

/** A field reference as targets see it: a root, a path of keys/indices, and the value used when it is missing. */
export interface FieldRef {
  root: 'event' | 'elem';
  /** For `elem`: the quantifier's nesting level, 0 the outermost (as the `elem` value of types.ts). */
  depth: number;
  path: PathSeg[];
  /** The default the Python gave when the field is missing (`event.get("x", "")`), if any. */
  default?: Json;
}

/**
 * Collapse a chain of `get`/`index` steps into a path. Intermediate defaults of `{}`/None are
 * the usual `event.get("a", {}).get("b")` idiom and carry no meaning for a target; any other
 * intermediate default, or a computed value, returns null (the target cannot address it as a field).
 */
export function fieldRef(v: Val): FieldRef | null {
  const path: PathSeg[] = [];
  let cur: Val = v;
  let def: Json | undefined;
  let first = true;
  for (;;) {
    if (cur.k === 'get') {
      if (cur.default !== undefined) {
        if (cur.default.k !== 'lit') return null;
        const d = cur.default.v;
        if (first) def = d;
        else if (!(d === null || (typeof d === 'object' && !Array.isArray(d) && Object.keys(d).length === 0))) return null;
      }
      path.unshift(cur.key);
      cur = cur.obj;
    } else if (cur.k === 'index') {
      path.unshift(cur.index);
      cur = cur.obj;
    } else if (cur.k === 'event') {
      return { root: 'event', depth: 0, path, ...(def !== undefined && def !== null ? { default: def } : {}) };
    } else if (cur.k === 'elem') {
      return { root: 'elem', depth: cur.depth, path, ...(def !== undefined && def !== null ? { default: def } : {}) };
    } else {
      return null;
    }
    first = false;
  }
}

/** The dotted spelling of a path, for messages and raw-JSON targets. */
/** A part of the AST as text without its source positions (`span`): two reads of one thing compare equal. */
export function spanlessKey(x: unknown): string {
  return JSON.stringify(x, (k, v: unknown) => (k === 'span' ? undefined : v));
}

export function pathText(path: PathSeg[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** The conjuncts of a predicate (itself when it is not an `and`). */
export function conjuncts(p: Pred): Pred[] {
  return p.k === 'and' ? p.args.flatMap(conjuncts) : [p];
}

/**
 * The seed's "Detection logic" split: exclusions are the top-level NOT conjuncts (what the rule
 * actively suppresses); the rest is the condition.
 */
export function splitExclusions(p: Pred): { condition: Pred[]; exclusions: Pred[] } {
  const condition: Pred[] = [];
  const exclusions: Pred[] = [];
  for (const c of conjuncts(p)) {
    if (c.k === 'not') {
      // not(a or b) excludes a and b each
      if (c.arg.k === 'or') exclusions.push(...c.arg.args);
      else exclusions.push(c.arg);
    } else condition.push(c);
  }
  return { condition, exclusions };
}

/** Every opaque node of a predicate. */
export function opaques(p: Pred): Extract<Pred, { k: 'opaque' }>[] {
  const out: Extract<Pred, { k: 'opaque' }>[] = [];
  const walk = (q: Pred): void => {
    switch (q.k) {
      case 'and':
      case 'or':
        q.args.forEach(walk);
        break;
      case 'not':
        walk(q.arg);
        break;
      case 'quant':
        walk(q.pred);
        break;
      case 'opaque':
        out.push(q);
        break;
      default:
        break;
    }
  };
  walk(p);
  return out;
}
