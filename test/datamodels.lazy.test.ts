/**
 * Data models read per log type (src/panther/datamodels.ts `dataModelOf`): only the files whose text can name
 * the log type are parsed, and the answer is the one reading every file gives (`loadDataModels`), including
 * a log type written with an escape, a later file overriding an earlier one, and log types no text spells out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataModelOf, loadDataModels } from '../src/panther/datamodels.js';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

function folder(files: Record<string, string>): string {
  const dir = tmp('dm-lazy-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const model = (id: string, logTypes: string, field: string) => `AnalysisType: datamodel\nDataModelID: ${id}\nLogTypes: ${logTypes}\nMappings:\n  - Name: user\n    Path: $.${field}\n`;

describe('data models read per log type', () => {
  it('gives what reading every file gives, for every log type the files name and some they do not', () => {
    const dir = folder({
      'a.yml': model('A', '\n  - AWS.CloudTrail\n  - Okta.SystemLog', 'a'),
      // a later file overrides an earlier one (sorted paths)
      'b.yml': model('B', '[AWS.CloudTrail]', 'b'),
      // written with an escape: the text never spells the log type out
      'c.yml': model('C', '["GSuite\\u002EReports"]', 'c'),
      'd/e.yaml': model('E', "['Box.Event', 'Custom.Thing']", 'e'),
      // names a log type but is no data model
      'f.yml': 'AnalysisType: rule\nLogTypes: [Slack.AuditLogs]\n',
      // does not read
      'g.yml': 'AnalysisType: datamodel\nLogTypes: [Zoom.Activity\n',
      // numbers, nulls and booleans as log types, which no text spells as they read
      'h.yml': model('H', '[0x10, ~, yes, 1.50]', 'h'),
      'i.yml': model('I', '[Duo.Auth, "Two Words"]', 'i'),
      'j.yml': model('J', '[Duo.Auth]', 'j'),
    });
    const all = loadDataModels(dir);
    const asked = [...all.keys(), 'AWS.CloudTrail', 'GSuite.Reports', 'Slack.AuditLogs', 'Zoom.Activity', 'Nope.Nothing', '16', 'null', 'true', '1.5', 'Two Words', 'Duo.Auth'];
    expect(all.get('AWS.CloudTrail')?.id).toBe('B');
    expect(all.get('GSuite.Reports')?.id).toBe('C');
    expect(all.get('Duo.Auth')?.id).toBe('J');
    for (const lt of asked) expect(dataModelOf(dir, lt), lt).toStrictEqual(all.get(lt));
  });

  it('gives what reading every file gives for the sample rules\' data models (YAML and Python)', () => {
    const dir = path.resolve('rules/data_models');
    const all = loadDataModels(dir);
    expect(all.size).toBeGreaterThan(0);
    for (const lt of [...all.keys(), 'AWS.CloudTrail']) expect(dataModelOf(dir, lt), lt).toStrictEqual(all.get(lt));
  });
});
