/**
 * A unified diff of two texts (line based, 3 lines of context), as `diff -u` prints it. The common
 * prefix and suffix are cut first; the middle is aligned by a longest common subsequence when it is
 * small enough, else shown as a whole replacement.
 */

type Op = { t: ' ' | '-' | '+'; line: string };

const LCS_LIMIT = 4_000_000;

function lines(s: string): string[] {
  if (s === '') return [];
  const ls = s.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}

function ops(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const out: Op[] = a.slice(0, pre).map((line) => ({ t: ' ', line }));
  if (am.length * bm.length > LCS_LIMIT || am.length === 0 || bm.length === 0) {
    out.push(...am.map((line) => ({ t: '-' as const, line })), ...bm.map((line) => ({ t: '+' as const, line })));
  } else {
    const n = am.length;
    const m = bm.length;
    // dp[i][j]: LCS length of am[i..] and bm[j..]
    const dp = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        dp[i * (m + 1) + j] = am[i] === bm[j] ? (dp[(i + 1) * (m + 1) + j + 1] as number) + 1 : Math.max(dp[(i + 1) * (m + 1) + j] as number, dp[i * (m + 1) + j + 1] as number);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (am[i] === bm[j]) {
        out.push({ t: ' ', line: am[i] as string });
        i++;
        j++;
      } else if ((dp[(i + 1) * (m + 1) + j] as number) >= (dp[i * (m + 1) + j + 1] as number)) out.push({ t: '-', line: am[i++] as string });
      else out.push({ t: '+', line: bm[j++] as string });
    }
    while (i < n) out.push({ t: '-', line: am[i++] as string });
    while (j < m) out.push({ t: '+', line: bm[j++] as string });
  }
  out.push(...a.slice(a.length - suf).map((line) => ({ t: ' ' as const, line })));
  return out;
}

/** The unified diff, or '' when the texts are equal. */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return '';
  const a = lines(oldText);
  const b = lines(newText);
  const all = ops(a, b);
  const hunks: string[] = [];
  let k = 0;
  while (k < all.length) {
    while (k < all.length && all[k]?.t === ' ') k++;
    if (k >= all.length) break;
    const start = Math.max(0, k - context);
    let end = k;
    // extend while changes are within 2*context of each other
    for (;;) {
      while (end < all.length && all[end]?.t !== ' ') end++;
      let next = end;
      while (next < all.length && all[next]?.t === ' ') next++;
      if (next < all.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(all.length, end + context);
    let oldStart = 1;
    let newStart = 1;
    for (let x = 0; x < start; x++) {
      if (all[x]?.t !== '+') oldStart++;
      if (all[x]?.t !== '-') newStart++;
    }
    const body = all.slice(start, stop);
    const oldLen = body.filter((o) => o.t !== '+').length;
    const newLen = body.filter((o) => o.t !== '-').length;
    const range = (s: number, l: number): string => (l === 0 ? `${s - 1},0` : l === 1 ? `${s}` : `${s},${l}`);
    hunks.push(`@@ -${range(oldStart, oldLen)} +${range(newStart, newLen)} @@`, ...body.map((o) => `${o.t}${o.line}`));
    k = stop;
  }
  return [`--- ${oldName}`, `+++ ${newName}`, ...hunks].join('\n') + '\n';
}
