// foldSet's two ways (src/proof/regex.ts): from a small set's own members, and by a scan of every cased code
// point; the fast one must give the scan's answer on every set it is used for.
import { describe, expect, it } from 'vitest';
import { foldSet } from '../src/proof/regex.js';

type R = [number, number][];
const engines = ['python', 're2', 'pcre', 'js'] as const;

describe('foldSet from members equals foldSet by scan', () => {
  // every code point the case tables touch, alone (and its neighbours), under each engine
  const singles: R[] = [];
  for (let c = 0; c < 0x1ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (String.fromCodePoint(c).toLowerCase() !== String.fromCodePoint(c) || String.fromCodePoint(c).toUpperCase() !== String.fromCodePoint(c)) singles.push([[c, c]]);
  }
  // (pcre and js fold as re2 does: simple case folding orbits)
  for (const e of ['python', 're2'] as const) {
    it(`${e}: each cased code point alone`, () => {
      expect(singles.length).toBeGreaterThan(2000);
      for (const S of singles) expect(foldSet(S, e, 'members')).toEqual(foldSet(S, e, 'scan'));
    });
  }
  it('ranges and mixed sets', () => {
    const sets: R[] = [
      [[0x41, 0x5a]],
      [[0x61, 0x7a]],
      [[0x30, 0x39], [0x4b, 0x4b], [0x73, 0x73]],
      [[0x130, 0x131]],
      [[0x370, 0x3ff]],
      [[0x400, 0x52f]],
      [[0x1e00, 0x1fff]],
      [[0x2126, 0x2126], [0x212a, 0x212b]],
      [[0xdf, 0xdf], [0x1e9e, 0x1e9e]],
      [[0x10400, 0x1044f]],
    ];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let i = 0; i < 200; i++) {
      const s: R = [];
      let at = rnd(0x600);
      for (let k = 0; k < 1 + rnd(4); k++) {
        const len = rnd(40);
        s.push([at, at + len]);
        at += len + 2 + rnd(300);
      }
      sets.push(s);
    }
    for (const e of engines) for (const S of sets) expect(foldSet(S, e, 'members')).toEqual(foldSet(S, e, 'scan'));
  });
});
