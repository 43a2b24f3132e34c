/**
 * scripts/query-stats.mjs reads a YARA-L regex literal (`$e.field = /re/`) as one unit: an `or` or `and`
 * inside the pattern does not split the atom (issue 14 measures repeated atoms).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = new URL('../scripts/query-stats.mjs', import.meta.url).pathname;
const rule = (events: string[]) => `rule t {\n  meta:\n    author = "x"\n\n  events:\n${events.map((e) => `    ${e}\n`).join('')}\n  condition:\n    $e\n}\n`;

function stats(events: string[]): { repeating: number } {
  const dir = mkdtempSync(join(tmpdir(), 'qs-'));
  mkdirSync(join(dir, 'yaral'));
  // the first statement is read as the rule's base filter (left out of the atoms)
  writeFileSync(join(dir, 'yaral', 'x.yaral'), rule(['$e.metadata.log_type = "X"', ...events]));
  return JSON.parse(execFileSync('node', [script, dir, '-t', 'yaral', '--json'], { encoding: 'utf8' })).yaral;
}

describe('query-stats: YARA-L regex literals', () => {
  it('a literal holding `or` is one atom', () => {
    expect(stats(['$e.principal.hostname = /a or b/', 'not ($e.target.hostname = /c or b/)']).repeating).toBe(0);
  });
  it('not vacuous: the same test twice is a repeat', () => {
    expect(stats(['$e.principal.hostname = /a or b/', '($e.principal.hostname = /a or b/ or $e.target.hostname = "x")']).repeating).toBe(1);
  });
});
