/**
 * A Python module as the lifter reads it: its top-level functions, constants and imports, collected once
 * (nothing is evaluated here), and which of its names are rewritten at run time.
 */
import type { Span } from '../ast/types.js';
import type { Expr, Module, Stmt } from './ast.js';

export type FunctionDef = Extract<Stmt, { t: 'FunctionDef' }>;

export interface ModCtx {
  name: string;
  file: string;
  mod: Module;
  defs: Map<string, FunctionDef>;
  assigns: Map<string, { value: Expr; pos: Span }>;
  imports: Map<string, { module: string; name: string | null; pos: Span }>;
  /** Module names changed after their assignment (`X += ...`, `X.append(...)`): their value is not the literal. */
  mutated: Set<string>;
  /** Module names rule() declares `global` (and may rewrite): unknown to the output functions. */
  globalInRule: Set<string>;
}

/** How the lifter finds modules named by imports: the rule's folder, then global_helpers. */
export interface ModuleResolver {
  resolve(name: string): ModCtx | null;
}

/** Native modules the lifter understands (their functions are modelled, not inlined). */
export const NATIVE_MODULES = new Set(['re', 'fnmatch', 'functools', 'collections', 'collections.abc', 'typing', 'json', 'ipaddress', 'unittest.mock', 'unittest', 'logging']);

/**
 * Modules whose functions read state outside the event: Panther's detection cache (DynamoDB), AWS and
 * HTTP clients, and the clock. (Enrichment helpers are lifted like any helper: what they read is the
 * event's p_enrichment data, which the pipeline reports.)
 */
export const STATEFUL = /^(panther_detection_helpers|boto3|botocore|requests|urllib|datetime|time|dateutil)(\.|$)/;

export function moduleCtx(mod: Module, name: string): ModCtx {
  const ctx: ModCtx = { name, file: mod.file, mod, defs: new Map(), assigns: new Map(), imports: new Map(), mutated: new Set(), globalInRule: new Set() };
  for (const st of mod.body) collectTop(st, ctx);
  return ctx;
}

function collectTop(st: Stmt, ctx: ModCtx): void {
  const pos = { file: ctx.file, line: st.line, col: st.col };
  if (st.t === 'FunctionDef') {
    ctx.defs.set(st.name, st);
    // `global X` inside a function: X is per-event state written at run time, not its module literal.
    // Written only by rule() (typically the test-mock idiom), rule() itself may still read the literal.
    const into = st.name === 'rule' ? ctx.globalInRule : ctx.mutated;
    const walk = (b: Stmt[]): void => {
      for (const x of b) {
        if (x.t === 'Global') for (const n of x.names) into.add(n);
        else if (x.t === 'If' || x.t === 'For') walk([...x.body, ...x.orelse]);
        else if (x.t === 'While') walk(x.body);
        else if (x.t === 'Try') walk([...x.body, ...x.orelse, ...x.finalbody, ...x.handlers.flatMap((h) => h.body)]);
      }
    };
    walk(st.body);
  } else if (st.t === 'AugAssign' && st.target.t === 'Name') ctx.mutated.add(st.target.id);
  else if (st.t === 'Expr' && st.value.t === 'Call' && st.value.func.t === 'Attribute' && st.value.func.obj.t === 'Name') ctx.mutated.add(st.value.func.obj.id);
  else if (st.t === 'Assign') {
    for (const tg of st.targets) if (tg.t === 'Name') ctx.assigns.set(tg.id, { value: st.value, pos });
  } else if (st.t === 'Import') {
    for (const n of st.names) {
      if (n.asname) ctx.imports.set(n.asname, { module: n.name, name: null, pos });
      else ctx.imports.set(n.name.split('.')[0] as string, { module: n.name.split('.')[0] as string, name: null, pos });
    }
  } else if (st.t === 'ImportFrom') {
    for (const n of st.names) ctx.imports.set(n.asname ?? n.name, { module: st.module, name: n.name, pos });
  } else if (st.t === 'If' || st.t === 'Try') {
    // module-level conditional definitions: take both branches' definitions (first wins)
    const inner = st.t === 'If' ? [...st.body, ...st.orelse] : [...st.body, ...st.handlers.flatMap((h) => h.body)];
    for (const s of inner) if (!(s.t === 'Assign' && s.targets.some((t) => t.t === 'Name' && ctx.assigns.has(t.id)))) collectTop(s, ctx);
  }
}
