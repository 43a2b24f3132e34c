/**
 * Regex tests of one value in one junction written as one (`common/rejoin.ts`): in an `or`,
 * `X matches regex "A" or X matches regex "B"` is `X matches regex "A|B"`; in an `and`,
 * `not(X matches regex "A") and not(X matches regex "B")` is `not(X matches regex "A|B")`. A
 * case-sensitive substring test (`contains_cs`, `!contains_cs`) is the search for its literal and joins
 * the tests without leading flags; one left alone keeps its text, and so do two substring tests with no
 * regex beside them (read as an engineer writes them; a longer chain reads better as one alternation).
 *
 * A search for `A|B` finds a match exactly where one of A and B has one (the same subject, the same
 * leading flags: tests with other flags are joined apart; an inner flag group is fenced by joinBodies).
 * The printer writes `matches regex` only on a string (a string column or `tostring(...)`), where it is
 * never null (learn.microsoft.com/kusto/query/matches-regex-operator, re2 syntax), so the rewrite is
 * exact also under `not` and Kleene's and/or.
 */
import { joinBodies, namedGroup } from '../common/rejoin.js';
import { and, or, type Out } from '../common/out.js';
import { kqlString, readKqlString } from './escape.js';
import { reEscape } from '../common/regex.js';

interface Test {
  lhs: string;
  flags: string;
  body: string;
  neg: boolean;
  /** read from a `contains_cs` test */
  sub?: boolean;
}

/**
 * `X contains_cs "s"` (`!contains_cs`): a case-sensitive substring test, which is a search for the
 * literal s (learn.microsoft.com/kusto/query/contains-cs-operator); printable text only.
 */
function readContains(s: string): Test | null {
  const m = /^([^\s"]+) (!?)contains_cs ("(?:[^"\\]|\\.)*")$/.exec(s);
  if (!m) return null;
  const lit = readKqlString(m[3]!);
  if (!lit || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(lit)) return null;
  return { lhs: m[1]!, flags: '', body: reEscape(lit), neg: m[2] === '!', sub: true };
}

/** `X matches regex "..."` or `not(X matches regex "...")`, X a value without spaces or quotes. */
function readTest(s: string): Test | null {
  const c = readContains(s);
  if (c) return c;
  const m = /^(not\()?([^\s"]+) matches regex ("(?:[^"\\]|\\.)*")(\))?$/.exec(s);
  if (!m || !!m[1] !== !!m[4]) return null;
  const re = readKqlString(m[3]!);
  if (re === null) return null;
  const f = /^(?:\(\?[a-zA-Z]+\))*/.exec(re)![0];
  const body = re.slice(f.length);
  if (body === '' || namedGroup(body)) return null;
  return { lhs: m[2]!, flags: f, body, neg: !!m[1] };
}

/** The condition with the regex tests of one value in each junction joined (see the file comment). */
export function joinRegexTests(o: Out): Out {
  if (o.k !== 'and' && o.k !== 'or') return o;
  const args = o.args.map(joinRegexTests);
  // in an `or` the positive tests join, in an `and` the negated ones
  const neg = o.k === 'and';
  const groups = new Map<string, { at: number[]; tests: Test[] }>();
  const slots: (Out | null)[] = [...args];
  args.forEach((a, i) => {
    if (a.k !== 'text') return;
    const t = readTest(a.s);
    if (!t || t.neg !== neg) return;
    const key = `${t.lhs}\u0000${t.flags}`;
    const g = groups.get(key);
    if (g) {
      g.tests.push(t);
      g.at.push(i);
    } else groups.set(key, { at: [i], tests: [t] });
  });
  let changed = args.some((a, i) => a !== o.args[i]);
  for (const g of groups.values()) {
    // two substring tests read as written (an engineer's `contains_cs ... or contains_cs ...`); from
    // three on, or with a regex among them, one alternation
    if (g.tests.length < (g.tests.every((x) => x.sub) ? 3 : 2)) continue;
    changed = true;
    for (const i of g.at.slice(1)) slots[i] = null;
    const t = g.tests[0]!;
    const m = `${t.lhs} matches regex ${kqlString(t.flags + joinBodies(g.tests.map((x) => x.body)))}`;
    slots[g.at[0]!] = { k: 'text', s: neg ? `not(${m})` : m };
  }
  if (!changed) return o;
  const kept = slots.filter((x): x is Out => x !== null);
  return o.k === 'and' ? and(...kept) : or(...kept);
}
