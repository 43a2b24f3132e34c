// The Unicode tables the build stores (dist/unicode/tables.json, src/unicodetables.ts) are the tables the code
// computes on this engine: read back, each equals the one computed now (a stale build fails here: rebuild).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../src/targets/common/ci.js';
import '../src/proof/regex.js';
import { ciLiteral } from '../src/targets/common/ci.js';
import { UNICODE_KEY, computeUnicodeTable, storedUnicodeTable, unicodeTableNames, unicodeTablesFile } from '../src/unicodetables.js';

describe('stored Unicode tables', () => {
  it('the build stored every table for this engine', () => {
    expect(existsSync(unicodeTablesFile())).toBe(true);
    const data = JSON.parse(readFileSync(unicodeTablesFile(), 'utf8')) as { key: string; tables: Record<string, unknown> };
    expect(data.key).toBe(UNICODE_KEY);
    expect(Object.keys(data.tables).sort()).toEqual(unicodeTableNames());
    expect(unicodeTableNames().length).toBeGreaterThanOrEqual(10);
  });
  for (const name of unicodeTableNames()) {
    it(`${name} read back equals the one computed now`, () => {
      expect(storedUnicodeTable(name)).toEqual(computeUnicodeTable(name));
    });
  }
  it('a fold table answers as the scan of every code point does', () => {
    // İ lowers to i + combining dot: at an open right end its class holds the i of the literal's end
    const r = ciLiteral('ki', undefined, { left: false, right: true });
    expect(r.ok && r.re).toContain('\u0130');
    expect(ciLiteral('ss', 'upper', { left: false, right: false })).toEqual({ ok: true, re: expect.stringContaining('\u00df') });
  });
});
