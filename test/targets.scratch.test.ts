import { test } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { liftFile } from '../src/pipeline.js';
import { loadMappings } from '../src/mapping/load.js';
import { checkKql } from '../src/mapping/kusto.js';
import { renderRule, targetNames, defaultTemplatesDir } from '../src/targets/registry.js';
import { parseAllDocuments } from 'yaml';
test('scratch', () => {
  const mapper = loadMappings();
  const files: string[] = [];
  const walk = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) { if (e.isDirectory()) walk(join(d, e.name)); else if (/\.ya?ml$/.test(e.name) && !d.includes('helpers')) files.push(join(d, e.name)); } };
  walk('rules');
  const stats: Record<string, Record<string, number>> = {};
  for (const f of files) {
    let lifted;
    try { lifted = liftFile(f); } catch (e) { console.log('LIFT FAIL', f, String(e).slice(0, 200)); continue; }
    const rule = (lifted as any).rule ?? lifted;
    for (const t of targetNames) {
      let o;
      try { o = renderRule(rule, t, { mapper, templatesDir: defaultTemplatesDir() }); } catch (e) { console.log('RENDER FAIL', t, f, (e as Error).stack?.slice(0, 600)); continue; }
      (stats[t] ??= {})[o.fidelity] = ((stats[t] ??= {})[o.fidelity] ?? 0) + 1;
      if (t === 'kql') { const errs = checkKql(o.text); if (errs.length) console.log('KQL ERR', f, JSON.stringify(errs), '\n' + o.text); }
      if (t === 'sigma') for (const d of parseAllDocuments(o.text)) if (d.errors.length) console.log('YAML ERR', f, d.errors);
      if (process.env.SHOW && f.includes(process.env.SHOW)) console.log(`==== ${t} ${f}\n${o.text}\n${JSON.stringify(o.reasons)}`);
    }
  }
  console.log(files.length, JSON.stringify(stats));
});
