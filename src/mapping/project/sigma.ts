/**
 * Projection of a Panther test log into the fields a Sigma rule addresses, for the Sigma reference
 * evaluator (src/proof/sigma/).
 *
 * What the Sigma specification says (SigmaHQ/sigma-specification, specification/sigma-rules-specification.md,
 * "Field Usage"): a rule names a field as the log source's field mapping calls it, else "as it appears in
 * the log source". Nothing more: how a nested key is spelled is a backend/pipeline matter; this project's
 * convention (mappings/README.md) is the dotted raw path (`userIdentity.arn`) unless a mapping renames it.
 *
 * The projection is the raw JSON document plus, for every path of the log (every prefix of every leaf
 * path), the Sigma field name the mapping gives it (`mapper.resolve(logType, 'sigma', path)`):
 *   - keys keep the log's casing. Sigma field names are matched exactly in practice (a backend's field
 *     mapping names the vendor's key); the mapper normalises a key's case to the log type's known casing,
 *     so where the log's own casing differs from the known one, the mapping is NOT applied and the field
 *     is known only by its raw dotted name in the log's casing (a rule reading `enabled` does not see a
 *     log's `Enabled`);
 *   - a mapping cell that renames a field (GSuite `name` → `eventName`) replaces the raw name: the raw
 *     name is then not a field of the projected event;
 *   - lists: the Sigma specification defines no way for a field name to reach into a list (no index
 *     syntax, no element-wise rule). The projection keeps the list value under its own name
 *     (`sourceIPs` → `["1.2.3.4"]`); the evaluator decides what a list means (element-wise matching is
 *     backend-defined: it evaluates the plausible readings and refuses when they differ). Paths below a
 *     list index are not named (resolve gives them a `sub` path starting at the index);
 *   - a key holding a dot (`annotations["authorization.k8s.io/decision"]`) is joined like any other key
 *     by the mapper; no Sigma convention exists for it, so the entry records `dottedKey` and the
 *     evaluator refuses to read it.
 * JSON null is kept as a present field holding null (the Sigma modifiers appendix: `exists` "only verifies
 * the presence of a field, not its value, be it empty or null"); `field: null` matches it.
 */
import type { Json } from '../../ast/types.js';
import type { PathSeg } from '../../ast/view.js';
import type { FieldMapper } from '../types.js';

/** One log value known by a Sigma field name. */
export interface SigmaEntry {
  /** The log path it was read from. */
  path: PathSeg[];
  value: Json;
  /** A key of the path holds a dot: the dotted name is ambiguous (no Sigma convention). */
  dottedKey?: boolean;
  /** The name comes from a mapping cell (a renamed field), not from the raw path. */
  renamed?: boolean;
}

/** A log as a Sigma rule's fields address it. */
export interface SigmaEvent {
  logType: string;
  /** The Sigma logsource the mapping gives the log type (which detection rule of a file reads the event). */
  logsource?: Record<string, string>;
  /** The raw JSON document. */
  log: Json;
  /** Sigma field name → the log values known by that name (several when two paths give one name). */
  fields: Map<string, SigmaEntry[]>;
}

const isObj = (v: Json): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);

function samePath(a: readonly PathSeg[], b: readonly PathSeg[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** The raw dotted name of a path of keys (no list index), or undefined. */
function rawName(path: readonly PathSeg[]): string | undefined {
  if (!path.every((s) => typeof s === 'string')) return undefined;
  return (path as string[]).join('.');
}

/** Every path of the log: each prefix of each leaf path (list indices included), with its value. */
function walk(v: Json, path: PathSeg[], out: { path: PathSeg[]; value: Json }[]): void {
  if (path.length > 0) out.push({ path, value: v });
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], out));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k], out);
}

/**
 * The event as the Sigma rule's fields address it. Never throws: what cannot be named is left out,
 * what is ambiguous is flagged for the evaluator.
 */
export function projectSigma(log: Json, logType: string, mapper: FieldMapper): SigmaEvent {
  const fields = new Map<string, SigmaEntry[]>();
  const add = (name: string, e: SigmaEntry) => {
    const list = fields.get(name);
    if (list) list.push(e);
    else fields.set(name, [e]);
  };
  const paths: { path: PathSeg[]; value: Json }[] = [];
  walk(log, [], paths);
  for (const { path, value } of paths) {
    // below a list index: no Sigma name (the list itself is a field; the evaluator reads into it)
    if (path.some((s) => typeof s === 'number')) continue;
    const dottedKey = path.some((s) => typeof s === 'string' && s.includes('.'));
    const canon = mapper.canonicalPath(logType, path, 'sigma');
    if (!samePath(canon, path)) {
      // the log's key casing differs from the vendor's known casing: no mapping applies, the raw
      // name in the log's own casing is all a backend could see
      const name = rawName(path);
      if (name !== undefined) add(name, { path, value, ...(dottedKey ? { dottedKey } : {}) });
      continue;
    }
    const r = mapper.resolve(logType, 'sigma', path);
    if ('unmapped' in r) continue;
    const sub = r.sub ?? [];
    if (sub.some((s) => typeof s === 'number')) continue;
    const name = sub.length ? `${r.name}.${(sub as string[]).join('.')}` : r.name;
    const renamed = name !== rawName(path);
    add(name, { path, value, ...(dottedKey && !renamed ? { dottedKey } : {}), ...(renamed ? { renamed } : {}) });
  }
  const logsource = mapper.source(logType, 'sigma')?.logsource;
  return { logType, ...(logsource ? { logsource } : {}), log, fields };
}
