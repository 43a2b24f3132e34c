// Shared by the measuring scripts: the compiled project (dist/, or the folder $TRANSPILE_DIST names, e.g. a
// build made with `npx tsc -p tsconfig.json --outDir .build-x`), after checking it was built.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.TRANSPILE_DIST ? pathToFileURL(path.resolve(process.env.TRANSPILE_DIST) + path.sep) : new URL('../dist/', import.meta.url);
if (!fs.existsSync(new URL('pipeline.js', dist))) {
  console.error(`${process.env.TRANSPILE_DIST ?? 'dist/'} is missing: run npm ci (or npm run build) first`);
  process.exit(2);
}
const load = (p) => import(new URL(p, dist));

export const { loadRule } = await load('panther/load.js');
// a rule file as the CLI reads it: a YAML rule, or a pypanther class (`file.py::Class`)
export const { loadRuleFile } = await load('panther/pypanther.js');
export const { liftLoaded, proveRule } = await load('pipeline.js');
export const { renderRule, targetNames, defaultTemplatesDir } = await load('targets/registry.js');
export const { renderProven, proveOutput } = await load('proof/index.js');
export const { loadMappings } = await load('mapping/load.js');
export const { checkKql } = await load('mapping/kusto.js');
export const { customKqlTables } = await load('mapping/custom.js');
export const { collectRuleFiles } = await load('cli/files.js');
// read, lift and prove one rule as the CLI does (helpers and data models found from the folder argument)
export const { prepare } = await load('cli/work.js');
export const { fieldRef, pathText } = await load('ast/view.js');
export const { validateAnalyticRule } = await load('targets/sentinel/schema.js');
export const { checkMutants } = await load('proof/mutants.js');
