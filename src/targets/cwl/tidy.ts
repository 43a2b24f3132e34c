/**
 * The Logs Insights filter said once and no longer than it needs, after the printer and the common
 * tidying (out.ts), before the layout:
 *
 * 1. The condition simplified in the context of its own tests as Logs Insights reads them
 *    (common/outctx.ts, `CWL_READING`).
 * 2. Regex and substring tests on one field joined (common/rejoin.ts): in an `or`,
 *    `f =~ /A/ or f =~ /B/` is `f =~ /A|B/` (with the same leading flags), and `f like "s"` is the
 *    regex of the escaped text `s` (a substring search, "like" and "=~" alike: CWL_QuerySyntax-Filter);
 *    in an `and`, `not (f =~ /A/) and not (f =~ /B/)` is `not (f =~ /A|B/)`. Both hold whatever a test
 *    on an absent field yields (false, or SQL's unknown: src/proof/cwl/index.ts), as every test joined
 *    yields the same there; on a present value the alternation matches exactly where one of the
 *    patterns does. Prefixes share their anchor: `eventName =~ /^(?:Describe|Get)/`.
 */
import { and, or, type Out } from '../common/out.js';
import { CWL_READING, simplifyInContext } from '../common/outctx.js';
import { joinBodies, namedGroup } from '../common/rejoin.js';
import { cwlReText, cwlRegex } from './escape.js';

const FIELD = '@?(?:[A-Za-z0-9.]+|`[^`]*`)';
const RE_TEST = new RegExp(`^(${FIELD}) =~ /([^/]*)/$`);
const LIKE_TEST = new RegExp(`^(${FIELD}) like (?:"([^"\\\\]*)"|'([^'\\\\]*)')$`);

interface ReText {
  neg: boolean;
  field: string;
  /** The leading flag groups, e.g. `(?i)`. */
  flags: string;
  body: string;
}

/** A printed regex or substring test, `not (...)` or not: its field, flags and body. */
export function readCwlRe(s: string): ReText | null {
  const neg = s.startsWith('not (') && s.endsWith(')');
  const inner = neg ? s.slice(5, -1) : s;
  const r = RE_TEST.exec(inner);
  if (r) {
    const flags = /^(?:\(\?[a-zA-Z]+\))*/.exec(r[2]!)![0];
    return { neg, field: r[1]!, flags, body: r[2]!.slice(flags.length) };
  }
  const l = LIKE_TEST.exec(inner);
  if (l) return { neg, field: l[1]!, flags: '', body: cwlReText(l[2] ?? l[3]!) };
  return null;
}

/** Join the tests of one junction on one field with the same flags (positive ones in an `or`, negated ones in an `and`). */
function joinTests(op: 'and' | 'or', args: Out[]): Out[] {
  const groups = new Map<string, { at: number; res: ReText[]; texts: string[] }>();
  const out: (Out | null)[] = [];
  for (const a of args) {
    const r = a.k === 'text' ? readCwlRe(a.s) : null;
    if (!r || r.neg !== (op === 'and') || namedGroup(r.body) || r.body === '') {
      out.push(a);
      continue;
    }
    const k = `${r.field}\u0000${r.flags}`;
    const g = groups.get(k);
    if (g) {
      g.res.push(r);
      g.texts.push((a as { s: string }).s);
    } else {
      groups.set(k, { at: out.length, res: [r], texts: [(a as { s: string }).s] });
      out.push(null);
    }
  }
  for (const g of groups.values()) {
    const first = g.res[0]!;
    const test = `${first.field} =~ ${cwlRegex(first.flags + joinBodies(g.res.map((x) => x.body)))}`;
    out[g.at] = { k: 'text', s: g.res.length === 1 ? g.texts[0]! : first.neg ? `not (${test})` : test };
  }
  return out as Out[];
}

/** Regex and substring tests joined per field (see the module comment, 2). */
export function joinCwlRegexes(o: Out): Out {
  if (o.k !== 'and' && o.k !== 'or') return o;
  const args = joinTests(o.k, o.args.map(joinCwlRegexes));
  return args.length === 1 ? args[0]! : (o.k === 'and' ? and : or)(...args);
}

/** The filter's conjuncts (none for `true`), each said once (the module comment). */
export function cwlConjuncts(cond: Out): Out[] {
  if (cond.k === 'const' && cond.v) return [];
  const s = simplifyInContext(cond, CWL_READING, { and, or });
  if (s.k === 'const' && s.v) return [];
  const t = joinCwlRegexes(s);
  return t.k === 'and' ? t.args : [t];
}
