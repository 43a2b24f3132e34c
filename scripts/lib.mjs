// Shared by the measuring scripts: the compiled project (dist/), after checking it was built.
import fs from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
if (!fs.existsSync(new URL('pipeline.js', dist))) {
  console.error('dist/ is missing: run npm ci (or npm run build) first');
  process.exit(2);
}
const load = (p) => import(new URL(p, dist));

export const { loadRule } = await load('panther/load.js');
export const { liftLoaded, proveRule } = await load('pipeline.js');
export const { renderRule, targetNames, defaultTemplatesDir } = await load('targets/registry.js');
export const { renderProven, proveOutput } = await load('proof/index.js');
export const { loadMappings } = await load('mapping/load.js');
export const { checkKql } = await load('mapping/kusto.js');
export const { collectRuleFiles } = await load('cli/files.js');
export const { fieldRef, pathText } = await load('ast/view.js');
export const { validateAnalyticRule } = await load('targets/sentinel/schema.js');
