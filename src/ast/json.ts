/**
 * The AST as JSON text, with a node the lift shares written once. A lifted rule is a graph: a helper's
 * result or a variable's value is one node reached from every place that reads it, and the detection view
 * (`detection.condition`, `detection.exclusions`) holds the condition's own conjuncts. Written as a tree,
 * such a file grows with the number of paths, not of nodes (one corpus rule: 487 distinct condition
 * nodes, 5,369 on paths, a 10 MB file).
 *
 * Here a list or object reached again (the same object, by identity) is written in full where the document
 * first reaches it, in the order JSON.stringify writes it, and as a JSON Reference to that place elsewhere:
 * `{"$ref": "#/condition/args/1"}`, the fragment a JSON Pointer (RFC 6901) into this same document. Only
 * values of at least `MIN_SHARED` JSON values are referenced; a small one is written again where it occurs.
 * A document without a shared value of that size is written exactly as JSON.stringify writes it.
 */

/** The smallest value (counted in JSON values: objects, lists and scalars, its own included) written as a reference. */
export const MIN_SHARED = 16;

type Obj = Record<string, unknown>;

/** `doc` as JSON text (indented by `indent`), each shared list or object of MIN_SHARED values or more written once. */
export function sharedJson(doc: unknown, indent = 2): string {
  const size = new Map<object, number>();
  const seen = new Set<object>();
  let shared = false;
  // how many JSON values each list or object holds written in full, and whether any large one is reached twice
  const count = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = size.get(v);
    if (known !== undefined) {
      if (known >= MIN_SHARED) shared = true;
      return known;
    }
    if (seen.has(v)) return 1; // a cycle: JSON.stringify refuses it below
    seen.add(v);
    let n = 1;
    if (Array.isArray(v)) for (const x of v) n += count(x);
    else for (const k of Object.keys(v)) if (written((v as Obj)[k])) n += count((v as Obj)[k]);
    size.set(v, n);
    return n;
  };
  count(doc);
  if (!shared) return JSON.stringify(doc, null, indent);
  // the document again, a value reached before (and large enough) replaced by a reference to its first place
  const at = new Map<object, string>();
  const copy = (v: unknown, pointer: string): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
    const first = at.get(v);
    if (first !== undefined) return { $ref: `#${first}` };
    if ((size.get(v) ?? 0) >= MIN_SHARED) at.set(v, pointer);
    if (Array.isArray(v)) return v.map((x, i) => copy(x, `${pointer}/${i}`));
    const out: Obj = {};
    for (const k of Object.keys(v)) {
      const x = (v as Obj)[k];
      if (written(x)) out[k] = copy(x, `${pointer}/${escapePointer(k)}`);
    }
    return out;
  };
  return JSON.stringify(copy(doc, ''), null, indent);
}

/** Whether JSON.stringify writes an object's property holding this value. */
function written(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
}

/** A key as a JSON Pointer reference token (RFC 6901 section 3: `~` as `~0`, `/` as `~1`). */
function escapePointer(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value a JSON Reference of sharedJson's points to, resolved: the document as a plain tree again (for readers and tests). */
export function resolveShared(doc: unknown): unknown {
  const get = (pointer: string): unknown => {
    let cur: unknown = doc;
    for (const tok of pointer.split('/').slice(1)) cur = (cur as Obj)[tok.replace(/~1/g, '/').replace(/~0/g, '~')];
    return cur;
  };
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    const keys = Object.keys(v);
    const ref = (v as Obj)['$ref'];
    if (keys.length === 1 && typeof ref === 'string' && ref.startsWith('#')) return walk(get(ref.slice(1)));
    return Object.fromEntries(keys.map((k) => [k, walk((v as Obj)[k])]));
  };
  return walk(doc);
}
