/**
 * The Sentinel schemas as a run reads them (src/mapping/schemas.ts): per table from the build's
 * `dist/schemas/sentinel/` while the schema file is the text it was built from, else from the file.
 * Either way every table must read as the file's table merged with the standard columns.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sourceHash } from '../src/paths.js';
import { precompiledSchemaPath, SCHEMA_FILE, sentinelTable, standardColumns, type PrecompiledIndex } from '../src/mapping/schemas.js';

const text = fs.readFileSync(SCHEMA_FILE);
const file = JSON.parse(text.toString('utf8')) as { standardColumns: Record<string, string>; tables: Record<string, Record<string, string>> };

describe('Sentinel schemas', () => {
  it('read every table as the file has it, standard columns first, and no other table', () => {
    for (const [t, cols] of Object.entries(file.tables)) expect(JSON.stringify(sentinelTable(t))).toBe(JSON.stringify({ ...file.standardColumns, ...cols }));
    expect(sentinelTable('NoSuchTable_CL')).toBeUndefined();
    expect(sentinelTable('index')).toBeUndefined();
    expect(standardColumns()).toEqual(file.standardColumns);
  });

  // (as test/templates.test.ts: skipped before `npm run build`)
  it.skipIf(!fs.existsSync(precompiledSchemaPath('index')))('the build wrote the schema file per table, under the hash of the text it read', () => {
    const indexFile = precompiledSchemaPath('index');
    const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as PrecompiledIndex;
    expect(index.sha1).toBe(sourceHash(text));
    expect(index.tables).toEqual(Object.keys(file.tables));
    expect(index.standardColumns).toEqual(file.standardColumns);
    for (const t of index.tables) expect(fs.readFileSync(precompiledSchemaPath(t), 'utf8')).toBe(JSON.stringify({ ...file.standardColumns, ...file.tables[t] }));
  });
});
