/**
 * Panther data models (`AnalysisType: datamodel`): per log type, the UDM names that `event.udm(name)`
 * reads, each a Path (JSONPath `$.a.b` or dotted `a.b`) or a Method of the model's Python module.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadYaml } from './load.js';
import { pyDataModels } from './pypanther.js';

export interface DataModel {
  id: string;
  file: string;
  pyFile?: string;
  logType: string;
  mappings: Map<string, { path?: string[]; method?: string }>;
}

const cache = new Map<string, Map<string, DataModel>>();

function walk(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    // a test module (pytest's file names, test_*.py and *_test.py, as panther-analysis' data_models_test.py)
    // holds no data model: it is not read
    else if (/\.ya?ml$/i.test(e.name) || (/\.py$/i.test(e.name) && !/^test_|_test\.py$/i.test(e.name))) out.push(p);
  }
}

/** A JSONPath of the simple form Panther's models use: `$.a.b`, `a.b`, `$['a'].b`. Null for filters/wildcards. */
export function parseModelPath(p: string): string[] | null {
  let s = p.trim();
  if (s.startsWith('$')) s = s.slice(1);
  if (s.startsWith('.')) s = s.slice(1);
  const segs: string[] = [];
  const re = /\['([^']*)'\]|\["([^"]*)"\]|([^.[\]]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) segs.push((m[1] ?? m[2] ?? m[3]) as string);
  if (segs.length === 0 || segs.some((x) => x === '*' || x.startsWith('?'))) return null;
  return segs;
}

/** Every data model under a folder, by log type. Files that are not data models are ignored. */
export function loadDataModels(dir: string): Map<string, DataModel> {
  const hit = cache.get(dir);
  if (hit) return hit;
  const out = new Map<string, DataModel>();
  const files: string[] = [];
  walk(dir, files);
  for (const f of files.sort()) {
    // pypanther's data models are Python classes (src/panther/pypanther.ts)
    if (f.endsWith('.py')) {
      for (const m of pyDataModels(f, dir)) out.set(m.logType, m);
      continue;
    }
    let data: unknown;
    try {
      data = loadYaml(f, fs.readFileSync(f, 'utf8')).data;
    } catch {
      continue;
    }
    const d = data as Record<string, unknown> | null;
    if (!d || d.AnalysisType !== 'datamodel' || !Array.isArray(d.Mappings)) continue;
    const mappings = new Map<string, { path?: string[]; method?: string }>();
    for (const m of d.Mappings as Record<string, unknown>[]) {
      if (!m || typeof m.Name !== 'string') continue;
      if (typeof m.Path === 'string') {
        const p = parseModelPath(m.Path);
        if (p) mappings.set(m.Name, { path: p });
      } else if (typeof m.Method === 'string') mappings.set(m.Name, { method: m.Method });
    }
    for (const lt of Array.isArray(d.LogTypes) ? (d.LogTypes as unknown[]) : []) {
      out.set(String(lt), {
        id: String(d.DataModelID ?? path.basename(f)),
        file: f,
        ...(typeof d.Filename === 'string' ? { pyFile: path.join(path.dirname(f), d.Filename) } : {}),
        logType: String(lt),
        mappings,
      });
    }
  }
  cache.set(dir, out);
  return out;
}
