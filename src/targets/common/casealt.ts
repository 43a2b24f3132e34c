/**
 * A field whose keys are spelled two ways: Panther's event finds a key exactly as written, else in
 * another casing (`event.get("eventType")` reads `eventtype` where the log holds no `eventType`,
 * ast/evaluate.ts `lookupKey`), while a target reads field names case-sensitively. Where the rule's
 * tests (or the mapping's known casing) spell a field's keys exactly two ways, differing in one key,
 * a target with a presence test writes Panther's lookup: `(P(W) and S(W)) or (not P(W) and S(O))`,
 * W the path up to the differing key as the rule writes it, O the other spelling, S the literal read at
 * each. The targets using it (Sigma: `|exists`; Logs Insights: `ispresent()`) add their own limits
 * (which names they can write, which keys they can test the presence of).
 *
 * `caseAlternative` finds the two spellings, `groupSpellings` gathers the literals of a junction that
 * read the same two (read under one presence test: the test is one value per event, so the junction of
 * their readings is the reading of their junction), and `Spellings` makes a printer read a literal's
 * field at one spelling.
 */
import type { Json, Val } from '../../ast/types.js';
import { fieldRef } from '../../ast/view.js';
import type { Field, FieldResolver } from './fields.js';
import { atomValue, type Nnf } from './nnf.js';
import type { Algebra, Lit } from './printer.js';
import { splitRead } from './split.js';

/** A field's keys as the rule writes them and their one other spelling, differing at key `at`. */
export interface Alternative {
  written: string[];
  other: string[];
  at: number;
  /**
   * The target's name of the field as written (the mapping's, which may rename it: `renamed` below)
   * and of the key its presence test reads (the written keys up to `at`, or the renamed field).
   */
  name: string;
  present: string;
}

/** Which further spellings a target reads (Sigma both; Logs Insights neither). */
export interface AltOptions {
  /**
   * No test holds the whole path otherwise, but one holds its leading keys in another casing
   * (`protopayload` holding no `serviceName`): Panther would find `protopayload.serviceName` in such a
   * log, so that is the other spelling.
   */
  prefix?: boolean;
  /**
   * A field the mapping renames (GSuite's `parameters.NEW_VALUE` is Sigma's `new_value`), spelled by the
   * rule as the mapping knows it: read at its name where present (the differing key is the last one),
   * or under the leading keys where the mapping names them by their raw path; a log's other casing is
   * known by its raw name (the projection's rule).
   */
  renamed?: boolean;
}

/**
 * The two spellings of the event field a literal reads (through a split, str(), lower(), upper() or
 * casefold() of it too), or null: the field is no plain event path, the tests and the mapping spell it
 * one way or more than two, the spellings differ in more than one key, a list lies on the path in some
 * test, the target's mapping does not name the field by its raw dotted path (a log's other casing is
 * then known by its own raw name), a key holds a dot, or `ok` (the target's limits) refuses it.
 */
export function caseAlternative(res: FieldResolver, l: Lit, ok: (a: Alternative) => boolean, opts: AltOptions = {}): Alternative | null {
  let v = atomValue(l.atom);
  const s = splitRead(v);
  if (s) v = s.src;
  else if (v.k === 'fn' && v.args.length === 1 && ['str', 'lower', 'upper', 'casefold'].includes(v.fn)) v = v.args[0]!;
  const ref = fieldRef(v);
  if (!ref || ref.root !== 'event' || ref.path.length === 0 || !ref.path.every((k): k is string => typeof k === 'string')) return null;
  const w = ref.path as string[];
  const spellings = res.evidence.pathCasings(w);
  if (!spellings) return null;
  const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((k, i) => k === b[i]);
  // the casing the mapping knows the vendor's keys in is one more spelling, whether or not a test holds it
  const canon = res.mapper.canonicalPath(res.logType, w, res.target);
  if (canon.length === w.length && canon.every((k): k is string => typeof k === 'string') && !spellings.some((p) => same(p, canon))) spellings.push(canon);
  const others = spellings.filter((p) => !same(p, w));
  if (others.length > 1 || spellings.length > 2) return null;
  let o: string[];
  if (others.length === 1) o = others[0]!;
  else {
    const pre = opts.prefix ? res.evidence.prefixCasings(w) : null;
    if (!pre) return null;
    const keys = new Map<string, [number, string]>();
    for (const p of pre) p.forEach((k, i) => k !== w[i] && keys.set(JSON.stringify([i, k]), [i, k]));
    if (keys.size !== 1) return null;
    const [i, k] = [...keys.values()][0]!;
    o = w.map((x, j) => (j === i ? k : x));
  }
  const at = w.findIndex((k, i) => k !== o[i]);
  if (w.some((k, i) => i !== at && k !== o[i])) return null;
  const m = res.mapper.resolve(res.logType, res.target, w);
  if ('unmapped' in m || m.fallback || m.sub?.length) return null;
  const renamed = m.name.toLowerCase() !== w.join('.').toLowerCase();
  const prefix = w.slice(0, at + 1);
  let present = prefix.join('.');
  if (renamed) {
    if (!opts.renamed || !same(canon, w)) return null;
    if (at === w.length - 1) present = m.name;
    else {
      const pm = res.mapper.resolve(res.logType, res.target, prefix);
      if ('unmapped' in pm || pm.fallback || pm.sub?.length || pm.name !== present) return null;
    }
  }
  if ([...w, ...o].some((k) => k.includes('.'))) return null;
  const alt = { written: w, other: o, at, name: renamed ? m.name : w.join('.'), present };
  return ok(alt) ? alt : null;
}

/**
 * Whether some test log holds the rule's spelling of the key (exactly, up to `at`) as JSON null beside
 * the other spelling: Panther reads None there, where a target that reads a null as an absent field
 * (Logs Insights, src/mapping/project/cwl.ts) would read the other spelling.
 */
export function nullBesideOther(logs: readonly Json[], alt: Alternative): boolean {
  const prefix = alt.written.slice(0, alt.at);
  return logs.some((log) => {
    let cur: Json | undefined = log;
    for (const k of prefix) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return false;
      cur = (cur as { [k: string]: Json })[k];
    }
    if (cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return false;
    const d = cur as { [k: string]: Json };
    return Object.prototype.hasOwnProperty.call(d, alt.written[alt.at]!) && d[alt.written[alt.at]!] === null && Object.prototype.hasOwnProperty.call(d, alt.other[alt.at]!);
  });
}

/** A junction's operand: a node printed as it is, or the literals reading one field's two spellings. */
export type SpellingSlot = { k: 'node'; n: Nnf } | { k: 'alt'; alt: Alternative; lits: Lit[] };

/** The operands of a junction, the literals reading the same two spellings gathered at the first one's place. */
export function groupSpellings(args: readonly Nnf[], altOf: (l: Lit) => Alternative | null): SpellingSlot[] {
  const groups = new Map<string, Extract<SpellingSlot, { k: 'alt' }>>();
  const slots: SpellingSlot[] = [];
  for (const a of args) {
    const alt = a.k === 'lit' ? altOf(a) : null;
    if (!alt || a.k !== 'lit') {
      slots.push({ k: 'node', n: a });
      continue;
    }
    const key = JSON.stringify([alt.written, alt.other]);
    const g = groups.get(key);
    if (g) g.lits.push(a);
    else {
      const slot = { k: 'alt' as const, alt, lits: [a] };
      groups.set(key, slot);
      slots.push(slot);
    }
  }
  return slots;
}

/** Makes a printer read a literal's field at one spelling of its keys (`read`), where `field` answers. */
export class Spellings {
  private forced: { written: string; keys: string[]; name: string } | null = null;

  /** The field `v` reads at the spelling being printed, or null (not forced, or another field). */
  field(v: Val): Field | null {
    const f = this.forced;
    if (!f) return null;
    const ref = fieldRef(v);
    if (!ref || ref.root !== 'event' || JSON.stringify(ref.path) !== f.written) return null;
    return { ref, strict: v.k === 'get' && !!v.strict, path: f.keys, mapped: { name: f.name } };
  }

  /**
   * `(present and body(W)) or (not present and body(O))`: `present` the target's test that the
   * rule's spelling up to the differing key is there, `body` printed with the field read at each.
   */
  both<O>(alg: Algebra<O>, alt: Alternative, present: O, absent: O, body: () => O): O {
    const one = (keys: string[]): O => {
      this.forced = { written: JSON.stringify(alt.written), keys, name: keys === alt.written ? alt.name : keys.join('.') };
      try {
        return body();
      } finally {
        this.forced = null;
      }
    };
    return alg.or(alg.and(present, one(alt.written)), alg.and(absent, one(alt.other)));
  }
}
