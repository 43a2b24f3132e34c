/**
 * What a rule's own tests show about the data: the JSON types found at a field's path, and the
 * casing the vendor gives a key. Targets use it where Python's semantics depend on the value's
 * type (truthiness) or where Panther reads keys case-insensitively and the target does not.
 *
 * Reading follows Panther: a key is matched exactly, else ignoring case; a list met by a key step
 * is read element-wise (a quantifier element's path runs through its list).
 */
import type { Json, RuleTest } from '../../ast/types.js';
import type { PathSeg } from '../../ast/view.js';

export type JsonType = 'string' | 'boolean' | 'number' | 'list' | 'dict' | 'null';

/** The JSON type of a value. */
export function typeOf(v: Json): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'dict';
  return typeof v as 'string' | 'boolean' | 'number';
}

type Dict = { [k: string]: Json };

function isDict(v: Json | undefined): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keyOf(o: Dict, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(o, key)) return key;
  const lk = key.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === lk);
}

/** The evidence of a rule's tests, shared by every target rendered from them (see `TestEvidence.of`). */
const shared = new WeakMap<readonly RuleTest[], TestEvidence>();

export class TestEvidence {
  private readonly logs: Json[];
  private readonly typeMemo = new Map<string, Set<JsonType>>();
  private readonly casingMemo = new Map<string, PathSeg[]>();
  private readonly otherMemo = new Map<string, string[]>();

  constructor(tests: readonly RuleTest[]) {
    this.logs = tests.map((t) => t.log);
  }

  /**
   * The evidence of these tests, made once per list: every target asks the same questions of a rule's
   * tests (each walk reads every test log), and the answers depend on the logs alone.
   */
  static of(tests: readonly RuleTest[]): TestEvidence {
    let e = shared.get(tests);
    if (!e) shared.set(tests, (e = new TestEvidence(tests)));
    return e;
  }

  /**
   * Follow a path through every test log: a number indexes lists; a key step reads the mappings met
   * (a list's mappings element-wise) by the keys `pick` names in each, given the step and all of them.
   */
  private walk(path: readonly PathSeg[], pick: (seg: string, dicts: Dict[]) => (d: Dict) => string[]): Json[] {
    let cur: Json[] = this.logs;
    for (const seg of path) {
      const next: Json[] = [];
      if (typeof seg === 'number') {
        for (const v of cur) if (Array.isArray(v)) {
          const x = v[seg < 0 ? v.length + seg : seg];
          if (x !== undefined) next.push(x);
        }
      } else {
        const dicts = cur.flatMap((v) => (isDict(v) ? [v] : Array.isArray(v) ? v.filter(isDict) : []));
        const keys = pick(seg, dicts);
        for (const d of dicts) for (const k of keys(d)) next.push(d[k]!);
      }
      cur = next;
    }
    return cur;
  }

  /** The values found at a path in every test log (missing keys yield nothing); once per path, the caller's own list. */
  values(path: readonly PathSeg[]): Json[] {
    const key = JSON.stringify(path);
    let hit = this.valuesMemo.get(key);
    if (!hit) this.valuesMemo.set(key, (hit = this.valuesOnce(path)));
    return [...hit];
  }

  private readonly valuesMemo = new Map<string, Json[]>();

  private valuesOnce(path: readonly PathSeg[]): Json[] {
    return this.walk(path, (seg) => (d) => {
      const k = keyOf(d, seg);
      return k === undefined ? [] : [k];
    });
  }

  /**
   * JSON types the tests show for the elements of the list at a path (what a quantifier over it reads as its
   * element); null where a test holds something other than a list (or None) there.
   */
  elementTypes(path: readonly PathSeg[]): Set<JsonType> | null {
    const seen = new Set<JsonType>();
    for (const v of this.values(path)) {
      if (v === null) continue;
      if (!Array.isArray(v)) return null;
      for (const x of v) seen.add(typeOf(x));
    }
    return seen;
  }

  /** JSON types the tests show at a path (empty when no test holds it). */
  types(path: readonly PathSeg[]): Set<JsonType> {
    const key = JSON.stringify(path);
    let hit = this.typeMemo.get(key);
    if (!hit) {
      hit = new Set(this.values(path).map(typeOf));
      this.typeMemo.set(key, hit);
    }
    return hit;
  }

  /**
   * Keys of the path that some test holds in another casing than `path` spells them (Panther finds
   * them there; a target reading names case-sensitively does not).
   */
  otherCasings(path: readonly PathSeg[]): string[] {
    const key = JSON.stringify(path);
    let hit = this.otherMemo.get(key);
    if (!hit) this.otherMemo.set(key, (hit = this.otherCasingsOnce(path)));
    return [...hit];
  }

  private otherCasingsOnce(path: readonly PathSeg[]): string[] {
    const found = new Set<string>();
    this.walk(path, (seg) => (d) => {
      const ks = Object.keys(d).filter((k) => k.toLowerCase() === seg.toLowerCase());
      for (const k of ks) if (k !== seg) found.add(k);
      return ks;
    });
    return [...found];
  }

  /**
   * Every spelling the tests give a path of keys, read case-insensitively (a key in any casing), each as
   * the keys in the tests' own casing: `[["eventType"], ["eventtype"]]` when some logs spell the key one way
   * and some the other. Null when a list lies on the path (before its end) in some test.
   */
  pathCasings(path: readonly string[]): string[][] | null {
    return this.casings(path, false);
  }

  /**
   * The spellings the tests give the leading keys of a path (read case-insensitively), each as far as a
   * test holds it: `[["protoPayload", "serviceName"], ["protopayload"]]` where one log holds the whole
   * path and another `protopayload` without a `serviceName` key. Null when a list lies on the path
   * (before its end) in some test.
   */
  prefixCasings(path: readonly string[]): string[][] | null {
    return this.casings(path, true);
  }

  /**
   * The spellings the tests give `path` (`prefixes`: every leading part as far as a test holds it too), once per
   * path (every target asks of every literal's field); the caller's own list (the spellings are only read).
   */
  private casings(path: readonly string[], prefixes: boolean): string[][] | null {
    const key = `${prefixes ? 'p' : 'w'}${JSON.stringify(path)}`;
    let hit = this.casingsMemo.get(key);
    if (hit === undefined) this.casingsMemo.set(key, (hit = this.casingsOnce(path, prefixes)));
    return hit ? [...hit] : null;
  }

  private readonly casingsMemo = new Map<string, string[][] | null>();

  private casingsOnce(path: readonly string[], prefixes: boolean): string[][] | null {
    const found = new Map<string, string[]>();
    let list = false;
    const visit = (v: Json, i: number, keys: string[]): void => {
      if (i === path.length || (prefixes && i > 0)) found.set(JSON.stringify(keys), keys);
      if (i === path.length) return;
      if (Array.isArray(v)) list = true;
      if (!isDict(v)) return;
      const lk = path[i]!.toLowerCase();
      for (const k of Object.keys(v)) if (k.toLowerCase() === lk) visit(v[k]!, i + 1, [...keys, k]);
    };
    for (const log of this.logs) visit(log, 0, []);
    return list ? null : [...found.values()];
  }

  /**
   * The path in the casing the tests show: a key segment that no test holds exactly but that the
   * tests hold under exactly one other casing takes that casing (Panther found it there).
   */
  casing(path: readonly PathSeg[]): PathSeg[] {
    const key = JSON.stringify(path);
    let hit = this.casingMemo.get(key);
    if (!hit) this.casingMemo.set(key, (hit = this.casingOnce(path)));
    return [...hit];
  }

  private casingOnce(path: readonly PathSeg[]): PathSeg[] {
    const out: PathSeg[] = [];
    let i = 0;
    this.walk(path, (seg, dicts) => {
      // number steps are not seen here: fill them in from the path
      while (typeof path[i] === 'number') out.push(path[i++]!);
      i++;
      let chosen = seg;
      if (!dicts.some((d) => Object.prototype.hasOwnProperty.call(d, seg))) {
        const variants = new Set(dicts.flatMap((d) => Object.keys(d).filter((k) => k.toLowerCase() === seg.toLowerCase())));
        if (variants.size === 1) chosen = [...variants][0]!;
      }
      out.push(chosen);
      return (d) => {
        const k = keyOf(d, chosen);
        return k === undefined ? [] : [k];
      };
    });
    while (i < path.length) out.push(path[i++]!);
    return out;
  }
}

/**
 * How Python's truthiness of a field can be rendered: by the JSON type the mapping states, else as
 * the rule's tests show it (null aside). `unknown`: no test holds the field; `mixed`: several types,
 * or a number, list or mapping.
 */
export type TruthKind = 'string' | 'boolean' | 'mixed' | 'unknown';

export function truthKind(statedType: string | undefined, seen: ReadonlySet<JsonType>): TruthKind {
  if (statedType === 'string') return 'string';
  if (statedType === 'boolean') return 'boolean';
  if (statedType) return 'mixed';
  const types = [...seen].filter((t) => t !== 'null');
  if (types.length === 0) return 'unknown';
  if (types.length > 1) return 'mixed';
  return types[0] === 'string' ? 'string' : types[0] === 'boolean' ? 'boolean' : 'mixed';
}

/** Why truthiness of a field of that kind is replaced by its superset, for a reason's message. */
export function truthWhy(kind: TruthKind, seen: ReadonlySet<JsonType>): string {
  if (kind === 'unknown') return 'no test shows its type';
  return `the tests show ${[...seen].filter((t) => t !== 'null').sort().join(' and ')} values`;
}
