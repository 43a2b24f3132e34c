/**
 * The regex class scanner the YARA-L and Logs Insights tidying share (src/targets/common/rejoin.ts), and
 * that a body whose class never closes is read as unknown, not scanned past its end.
 */
import { describe, expect, it } from 'vitest';
import { classEnd } from '../src/targets/common/rejoin.js';
import { firstLineSafe } from '../src/targets/yaral/tidy.js';

describe('classEnd', () => {
  it.each([
    ['[abc]x', 0, 4],
    ['a[^]x]b', 1, 5], // a `]` first is literal, after `^` too
    ['[]]', 0, 2],
    ['[a\\]b]', 0, 5], // an escaped `]` does not close
    ['x[abc', 1, -1], // never closed
    ['[\\', 0, -1],
  ])('%s from %i → %i', (s, open, end) => {
    expect(classEnd(s, open)).toBe(end);
  });
});

describe('a class that never closes', () => {
  it('is not known to exclude a newline (and the scan ends)', () => {
    expect(firstLineSafe('', '^ab[c')).toBe(false);
    expect(firstLineSafe('', '^ab[c]')).toBe(true);
  });
});
