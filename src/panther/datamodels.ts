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

/** The data models one file defines, in its order (none when it is not a data model or does not read). */
function fileModels(f: string, dir: string, text?: string): DataModel[] {
  // pypanther's data models are Python classes (src/panther/pypanther.ts)
  if (f.endsWith('.py')) return pyDataModels(f, dir);
  let data: unknown;
  try {
    data = loadYaml(f, text ?? fs.readFileSync(f, 'utf8')).data;
  } catch {
    return [];
  }
  const d = data as Record<string, unknown> | null;
  if (!d || d.AnalysisType !== 'datamodel' || !Array.isArray(d.Mappings)) return [];
  const mappings = new Map<string, { path?: string[]; method?: string }>();
  for (const m of d.Mappings as Record<string, unknown>[]) {
    if (!m || typeof m.Name !== 'string') continue;
    if (typeof m.Path === 'string') {
      const p = parseModelPath(m.Path);
      if (p) mappings.set(m.Name, { path: p });
    } else if (typeof m.Method === 'string') mappings.set(m.Name, { method: m.Method });
  }
  const out: DataModel[] = [];
  for (const lt of Array.isArray(d.LogTypes) ? (d.LogTypes as unknown[]) : []) {
    out.push({
      id: String(d.DataModelID ?? path.basename(f)),
      file: f,
      ...(typeof d.Filename === 'string' ? { pyFile: path.join(path.dirname(f), d.Filename) } : {}),
      logType: String(lt),
      mappings,
    });
  }
  return out;
}

/** Every data model under a folder, by log type (a later file's wins). Files that are not data models are ignored. */
export function loadDataModels(dir: string): Map<string, DataModel> {
  const hit = cache.get(dir);
  if (hit) return hit;
  const out = new Map<string, DataModel>();
  const files: string[] = [];
  walk(dir, files);
  for (const f of files.sort()) for (const m of fileModels(f, dir)) out.set(m.logType, m);
  cache.set(dir, out);
  return out;
}

/**
 * A log type a YAML file can only name by writing it out: letters first, dotted words (`AWS.CloudTrail`),
 * never a YAML null, boolean or number, and without spaces (which a folded line could make).
 */
const PLAIN_LOG_TYPE = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

interface Folder {
  files: string[];
  /** The texts of the YAML files not parsed yet (read once), and the models of those parsed. */
  texts: Map<string, string | null>;
  models: Map<string, DataModel[]>;
  byLogType: Map<string, DataModel | undefined>;
}

const folders = new Map<string, Folder>();

/**
 * The data model of one log type under a folder, as `loadDataModels(dir).get(logType)` gives it, reading only
 * the files that can define it: a YAML file whose text neither holds the log type nor an escape (`\`) cannot
 * name it, and is not parsed (a one-rule run parsed the ~30 data model files of panther-analysis, ~8% of it).
 * Python files (pypanther's classes, which name log types by enum) are read as before.
 */
export function dataModelOf(dir: string, logType: string): DataModel | undefined {
  if (!PLAIN_LOG_TYPE.test(logType)) return loadDataModels(dir).get(logType);
  let folder = folders.get(dir);
  if (!folder) {
    const files: string[] = [];
    walk(dir, files);
    folders.set(dir, (folder = { files: files.sort(), texts: new Map(), models: new Map(), byLogType: new Map() }));
  }
  if (folder.byLogType.has(logType)) return folder.byLogType.get(logType);
  let found: DataModel | undefined;
  for (const f of folder.files) {
    let models = folder.models.get(f);
    if (!models) {
      if (!f.endsWith('.py')) {
        let text = folder.texts.get(f);
        if (text === undefined) {
          try {
            text = fs.readFileSync(f, 'utf8');
          } catch {
            text = null;
          }
          folder.texts.set(f, text);
        }
        // a file that does not read defines nothing (as in loadDataModels)
        if (text === null || (!text.includes(logType) && !text.includes('\\'))) continue;
        models = fileModels(f, dir, text);
        folder.texts.delete(f);
      } else models = fileModels(f, dir);
      folder.models.set(f, models);
    }
    for (const m of models) if (m.logType === logType) found = m;
  }
  folder.byLogType.set(logType, found);
  return found;
}
