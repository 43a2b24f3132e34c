/**
 * Sigma reference evaluator: reads a Sigma rule file back (the text, never the AST that printed it)
 * and decides whether its detection selects one projected event (src/mapping/project/sigma.ts).
 *
 * Specification (SigmaHQ/sigma-specification):
 *   - specification/sigma-rules-specification.md — "Detection": search identifiers are maps (AND of
 *     their fields) or lists of maps (OR); a list of values is OR; values are case-insensitive strings
 *     with `*`/`?` wildcards and `\` escapes ("General", "Escaping"); `''` and `null` ("Special Field
 *     Values"); `exists`; "Condition" (see condition.ts);
 *   - specification/sigma-appendix-modifiers.md — `all`, `startswith`, `endswith`, `contains`, `exists`
 *     ("only verifies the presence of a field, not its value, be it empty or null"), `cased`, `re` with
 *     `i`/`m`/`s` (PCRE flavour), `cidr`, `fieldref`, `lt`/`lte`/`gt`/`gte`;
 *   - specification/sigma-correlation-rules-specification.md (and json-schema/sigma-correlation-rules-schema.json)
 *     — an `event_count` correlation document referring to the detection rule by id or name.
 * Where the specification is silent the pySigma reference implementation's reading is used for syntax
 * (sigma/modifiers.py, sigma/conditions.py, sigma/types.py), and semantics that are backend-defined are
 * evaluated under each plausible reading: when the readings disagree on an event the evaluator refuses
 * (`Refusal`), never guesses. Such cases: a field holding a list (element-wise or as one value), a dotted
 * name reaching into a list (not addressed, flattened, or indexed), a number or boolean compared with a
 * string pattern (typed or textual), non-ASCII case folding, `fieldref` case, a key holding a dot.
 *
 * Refused outright: keyword (full-text) search identifiers, `windash`, `base64`, `base64offset`,
 * `utf16*`/`wide`, `expand`, `neq`, time modifiers, modifier combinations pySigma rejects, correlation
 * types other than `event_count`, a malformed correlation (`group-by: []`, bad `timespan`/`condition`),
 * a field name with an empty segment (`details..tag`: no Sigma convention for a key holding a dot).
 *
 * Shares no code with src/targets/**.
 */
import type { Json } from '../../ast/types.js';
import { projectSigma, type SigmaEntry, type SigmaEvent } from '../../mapping/project/sigma.js';
import { compileTargetRegex } from '../regex.js';
import { Refusal, type CompiledArtifact, type TargetProof } from '../types.js';
import { parseCondition, type CondNode } from './condition.js';
import { CidrNet, isUnknown, parseSigmaString, hasWildcards, triAnd, triNot, triOr, wrap, WildcardString, type Tri } from './values.js';
import { readSigmaDocuments } from './yaml.js';

export type { SigmaEvent } from '../../mapping/project/sigma.js';

// ---------------------------------------------------------------- value predicates

/** What one Sigma value says about one field value. */
interface ValuePred {
  /** The field is absent. */
  missing(): Tri;
  /** The field holds `v` (objects and arrays as one value are not scalars: no scalar test holds). */
  value(v: Json): Tri;
}

const isScalar = (v: Json) => v === null || typeof v !== 'object';

/** A scalar that is not a string compared with a string test: typed (false) or textual (backend-defined). */
function textual(v: number | boolean, test: (s: string) => Tri, what: string): Tri {
  const t = test(String(v));
  if (t === false) return false;
  return { unknown: `Sigma: ${what} compared with the ${typeof v} ${String(v)}: whether it is read as text is backend-defined` };
}

function stringPred(w: WildcardString): ValuePred {
  return {
    missing: () => false,
    value: (v) => {
      if (typeof v === 'string') return w.test(v);
      if (typeof v === 'number' || typeof v === 'boolean') return textual(v, (s) => w.test(s), `the string value '${w.text}'`);
      return false;
    },
  };
}

function regexPred(src: string, re: { test(s: string): boolean }): ValuePred {
  return {
    missing: () => false,
    value: (v) => {
      if (typeof v === 'string') return re.test(v);
      if (typeof v === 'number' || typeof v === 'boolean') return textual(v, (s) => re.test(s), `the regular expression '${src}'`);
      return false;
    },
  };
}

function numberPred(n: number): ValuePred {
  return {
    missing: () => false,
    value: (v) => {
      if (typeof v === 'number') return v === n;
      if (typeof v === 'string' && v === String(n)) {
        return { unknown: `Sigma: the number ${n} compared with the string '${v}': whether types are compared is backend-defined` };
      }
      return false;
    },
  };
}

function boolPred(b: boolean): ValuePred {
  return {
    missing: () => false,
    value: (v) => {
      if (typeof v === 'boolean') return v === b;
      if (typeof v === 'string' && v.toLowerCase() === String(b)) {
        return { unknown: `Sigma: the boolean ${b} compared with the string '${v}': whether types are compared is backend-defined` };
      }
      return false;
    },
  };
}

/** `field: null`: the field is absent or null ("Special Field Values"; pySigma backends: "field does not exist"). */
const nullPred: ValuePred = { missing: () => true, value: (v) => v === null };

/** `field|exists: b`: presence only, "not its value, be it empty or null". */
function existsPred(b: boolean): ValuePred {
  return { missing: () => !b, value: () => b };
}

type CmpOp = 'gt' | 'gte' | 'lt' | 'lte';

function cmpPred(op: CmpOp, n: number): ValuePred {
  const cmp = (x: number) => (op === 'gt' ? x > n : op === 'gte' ? x >= n : op === 'lt' ? x < n : x <= n);
  return {
    missing: () => false,
    value: (v) => {
      if (typeof v === 'number') return cmp(v);
      if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) && cmp(Number(v))) {
        return { unknown: `Sigma: |${op} ${n} on the string '${v}': whether a numeric string is compared as a number is backend-defined` };
      }
      return false;
    },
  };
}

function cidrPred(net: CidrNet): ValuePred {
  return {
    missing: () => false,
    value: (v) => (typeof v === 'string' ? net.test(v) : false),
  };
}

// ---------------------------------------------------------------- reading a field of the event

type Reading = { how: string } & ({ k: 'missing' } | { k: 'value'; v: Json } | { k: 'any'; vs: Json[] });

const flatten = (vs: Json[]): Json[] => vs.flatMap((v) => (Array.isArray(v) ? flatten(v) : [v]));

/** The readings of a dotted name of the event; `{unknown}` when no reading can be made. */
function readings(ev: SigmaEvent, name: string): Reading[] | { unknown: string } {
  const out: Reading[] = [];
  const entries = ev.fields.get(name);
  if (!entries) out.push({ how: 'absent', k: 'missing' });
  else {
    const e = single(name, entries);
    if ('unknown' in e) return e;
    const v = e.value;
    if (Array.isArray(v)) {
      out.push({ how: 'its list matched element-wise', k: 'any', vs: flatten(v) });
      out.push({ how: 'its list taken as one value', k: 'value', v });
    } else out.push({ how: 'its value', k: 'value', v });
  }
  // a proper prefix holding a list: the rest of the name may reach into its elements (backend-defined)
  const segs = name.split('.');
  for (let i = 1; i < segs.length; i++) {
    const head = segs.slice(0, i).join('.');
    const he = ev.fields.get(head);
    if (!he) continue;
    const e = single(head, he);
    if ('unknown' in e) return e;
    if (!containsList(e.value)) continue;
    const rest = segs.slice(i);
    const flat = descend(e.value, rest, false);
    if (flat.length) out.push({ how: `'${head}' flattened through its list elements`, k: 'any', vs: flatten(flat) });
    if (rest.some((s) => /^\d+$/.test(s))) {
      const idx = descend(e.value, rest, true);
      if (idx.length) out.push({ how: `'${head}' indexed by position`, k: 'any', vs: flatten(idx) });
    }
  }
  return out;
}

function containsList(v: Json): boolean {
  if (Array.isArray(v)) return true;
  if (v && typeof v === 'object') return Object.values(v).some(containsList);
  return false;
}

/**
 * Walk `rest` keys from `v`; lists are entered element-wise, or (with `indexed`) a numeric key indexes
 * them. Only values reached by crossing a list are returned (the others are the plain reading).
 */
function descend(v: Json, rest: string[], indexed: boolean): Json[] {
  let cur: { v: Json; crossed: boolean }[] = [{ v, crossed: false }];
  for (const key of rest) {
    const next: { v: Json; crossed: boolean }[] = [];
    const visit = (x: Json, crossed: boolean) => {
      if (Array.isArray(x)) {
        if (indexed && /^\d+$/.test(key)) {
          const y = x[Number(key)];
          if (y !== undefined) next.push({ v: y, crossed: true });
        } else x.forEach((y) => visit(y, true));
      } else if (x && typeof x === 'object' && key in x) next.push({ v: x[key]!, crossed });
    };
    cur.forEach((c) => visit(c.v, c.crossed));
    cur = next;
  }
  return cur.filter((c) => c.crossed).map((c) => c.v);
}

function single(name: string, entries: SigmaEntry[]): SigmaEntry | { unknown: string } {
  const dotted = entries.find((e) => e.dottedKey);
  if (dotted) {
    return {
      unknown: `Sigma field '${name}' reaches the log key '${dotted.path.find((s) => typeof s === 'string' && s.includes('.'))}', which holds a dot: no Sigma convention addresses such a key`,
    };
  }
  const first = entries[0]!;
  if (entries.some((e) => JSON.stringify(e.value) !== JSON.stringify(first.value))) {
    return { unknown: `Sigma field '${name}' is given by several log paths with different values` };
  }
  return first;
}

function onReading(r: Reading, p: ValuePred): Tri {
  switch (r.k) {
    case 'missing':
      return p.missing();
    case 'value':
      return p.value(r.v); // a container (list or map) is no scalar: the scalar predicates read false
    case 'any': {
      // element-wise: null elements are not values (a backend indexes none); no values = absent
      const ws = r.vs.filter((x) => x !== null);
      if (ws.length === 0) return p.missing();
      return triOr(ws.map((x) => p.value(x)));
    }
  }
}

/** Combine the readings of one field test: they must agree. */
function agree(name: string, rs: Reading[], f: (r: Reading) => Tri): Tri {
  const results = rs.map(f);
  const u = results.find(isUnknown);
  if (u) return u;
  if (results.every((x) => x === results[0])) return results[0]!;
  const desc = rs.map((r, i) => `${r.how}: ${String(results[i])}`).join('; ');
  return { unknown: `Sigma field '${name}' is read differently by backends (${desc})` };
}

// ---------------------------------------------------------------- detection items

interface FieldTest {
  field: string;
  key: string;
  eval(ev: SigmaEvent): Tri;
}

type Selection = FieldTest[][]; // OR of ANDs

const MODS_REFUSED: Record<string, string> = {
  windash: 'windash', base64: 'base64', base64offset: 'base64offset', utf16le: 'utf16le', utf16be: 'utf16be',
  utf16: 'utf16', wide: 'wide', expand: 'expand (placeholders)', neq: 'neq',
  minute: 'time', hour: 'time', day: 'time', week: 'time', month: 'time', year: 'time',
};

/** A field name as written in a detection or group-by. */
function checkFieldName(name: string, where: string): void {
  if (name === '') throw new Refusal(`Sigma: ${where}: a field name is empty (keyword search is not evaluated)`);
  if (name.split('.').some((s) => s === '')) {
    throw new Refusal(`Sigma: ${where}: field name '${name}' has an empty dotted segment; no Sigma convention addresses a key holding a dot`);
  }
}

function fieldTest(key: string, raw: Json, sel: string): FieldTest {
  const [field, ...mods] = key.split('|') as [string, ...string[]];
  const where = `'${sel}' item '${key}'`;
  if (field === '') throw new Refusal(`Sigma: ${where}: keyword search (a value without a field) is not evaluated: its matching on the whole event is backend-defined`);
  checkFieldName(field, where);
  for (const m of mods) {
    if (MODS_REFUSED[m]) throw new Refusal(`Sigma modifier '${m}' is not evaluated (${where})`);
  }
  const known = new Set(['contains', 'startswith', 'endswith', 'all', 'cased', 're', 'i', 'm', 's', 'exists', 'cidr', 'fieldref', 'gt', 'gte', 'lt', 'lte']);
  for (const m of mods) if (!known.has(m)) throw new Refusal(`Sigma: unknown modifier '${m}' (${where})`);
  if (new Set(mods).size !== mods.length) throw new Refusal(`Sigma: a modifier is repeated (${where})`);
  const all = mods.includes('all');
  const rest = mods.filter((m) => m !== 'all');
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) throw new Refusal(`Sigma: ${where}: a map is not a value`);
  const values: Json[] = Array.isArray(raw) ? raw : [raw];
  if (values.length === 0) throw new Refusal(`Sigma: ${where}: an empty value list`);
  if (values.some((v) => v !== null && typeof v === 'object')) throw new Refusal(`Sigma: ${where}: a nested list or map is not a value`);
  if (all && values.length < 2) throw new Refusal(`Sigma: ${where}: 'all' on a single value is not allowed (modifiers appendix)`);
  const bad = (why: string): never => {
    throw new Refusal(`Sigma: ${where}: ${why}`);
  };

  let preds: ValuePred[];
  let fieldref: string[] | undefined;
  const strs = (what: string) => values.map((v) => (typeof v === 'string' ? v : bad(`${what} needs string values, got ${JSON.stringify(v)}`)));
  const nums = (what: string) => values.map((v) => (typeof v === 'number' ? v : bad(`${what} needs numeric values, got ${JSON.stringify(v)}`)));

  if (rest.includes('exists')) {
    if (rest.length !== 1 || all) bad(`'exists' takes no other modifier`);
    if (values.length !== 1 || typeof values[0] !== 'boolean') bad(`'exists' takes one boolean`);
    preds = [existsPred(values[0] as boolean)];
  } else if (rest.includes('re')) {
    if (rest[0] !== 're') bad(`'re' must come first (pySigma: "only applicable to unmodified values")`);
    const flags = rest.slice(1);
    for (const f of flags) if (!['i', 'm', 's'].includes(f)) bad(`'${f}' cannot follow 're'`);
    preds = strs("'re'").map((src) => regexPred(src, compileTargetRegex(src, 'pcre', { i: flags.includes('i'), m: flags.includes('m'), s: flags.includes('s') })));
  } else if (rest.some((m) => ['i', 'm', 's'].includes(m))) {
    return bad(`'i', 'm', 's' are sub-modifiers of 're'`);
  } else if (rest.includes('cidr')) {
    if (rest.length !== 1) bad(`'cidr' takes no other modifier`);
    preds = strs("'cidr'").map((s) => cidrPred(new CidrNet(s)));
  } else if (rest.some((m) => ['gt', 'gte', 'lt', 'lte'].includes(m))) {
    if (rest.length !== 1) bad(`a comparison modifier takes no other modifier`);
    preds = nums(`'${rest[0]}'`).map((n) => cmpPred(rest[0] as CmpOp, n));
  } else if (rest.includes('fieldref')) {
    if (rest.length !== 1) bad(`'fieldref' combined with other modifiers is not evaluated`);
    fieldref = strs("'fieldref'").map((s) => {
      const parts = parseSigmaString(s);
      if (hasWildcards(parts)) bad(`field references must not contain wildcards`);
      const ref = parts.join('');
      checkFieldName(ref, where);
      return ref;
    });
    preds = [];
  } else {
    const pos = rest.filter((m) => m === 'contains' || m === 'startswith' || m === 'endswith') as ('contains' | 'startswith' | 'endswith')[];
    if (pos.length > 1) bad(`more than one of contains/startswith/endswith`);
    const cased = rest.includes('cased');
    if (rest.length === 0) {
      preds = values.map((v) => {
        if (v === null) return nullPred;
        if (typeof v === 'number') return numberPred(v);
        if (typeof v === 'boolean') return boolPred(v);
        const s = v as string;
        return stringPred(new WildcardString(parseSigmaString(s), false, s));
      });
    } else {
      preds = strs(`'${rest.join('|')}'`).map((s) => {
        const parts = parseSigmaString(s);
        return stringPred(new WildcardString(pos.length ? wrap(parts, pos[0]!) : parts, cased, s));
      });
    }
  }

  const link = all ? triAnd : triOr;
  if (fieldref) {
    const refs = fieldref;
    return { field, key, eval: (ev) => link(refs.map((r) => fieldRefTest(ev, field, r))) };
  }
  return {
    field,
    key,
    eval: (ev) => {
      const rs = readings(ev, field);
      if (!Array.isArray(rs)) return rs;
      return agree(field, rs, (r) => link(preds.map((p) => onReading(r, p))));
    },
  };
}

/** `a|fieldref: b`: a equals b. Case, and absent fields, are backend-defined. */
function fieldRefTest(ev: SigmaEvent, a: string, b: string): Tri {
  const one = (name: string): { v: Json | undefined } | { unknown: string } => {
    const rs = readings(ev, name);
    if (!Array.isArray(rs)) return rs;
    if (rs.length !== 1) return { unknown: `Sigma fieldref: field '${name}' has several readings (a list)` };
    const r = rs[0]!;
    if (r.k === 'missing') return { v: undefined };
    if (r.k === 'any') return { unknown: `Sigma fieldref on the list field '${name}' is backend-defined` };
    return { v: r.v };
  };
  const x = one(a);
  const y = one(b);
  if ('unknown' in x) return x;
  if ('unknown' in y) return y;
  const xv = x.v ?? null;
  const yv = y.v ?? null;
  if (xv === null && yv === null) return { unknown: `Sigma fieldref '${a}' = '${b}' with both absent or null is backend-defined` };
  if (xv === null || yv === null) return false;
  if (!isScalar(xv) || !isScalar(yv)) return { unknown: `Sigma fieldref on a list or map value is backend-defined` };
  if (typeof xv === 'string' && typeof yv === 'string') {
    const cased = xv === yv;
    const ci = xv.toLowerCase() === yv.toLowerCase() && xv.replace(/[A-Z]/g, (c) => c.toLowerCase()) === yv.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (cased === ci) return cased;
    return { unknown: `Sigma fieldref case sensitivity is backend-defined ('${xv}' vs '${yv}')` };
  }
  if (typeof xv === typeof yv) return xv === yv;
  if (String(xv) === String(yv)) return { unknown: `Sigma fieldref between a ${typeof xv} and a ${typeof yv} is backend-defined` };
  return false;
}

function compileSelection(name: string, v: Json): Selection {
  const mapOf = (m: Json, at: string): FieldTest[] => {
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      throw new Refusal(`Sigma: search identifier '${name}' holds ${at}a keyword list (full-text search is backend-defined, not evaluated)`);
    }
    const keys = Object.keys(m);
    if (keys.length === 0) throw new Refusal(`Sigma: search identifier '${name}' has an empty map`);
    return keys.map((k) => fieldTest(k, m[k]!, name));
  };
  if (Array.isArray(v)) {
    if (v.length === 0) throw new Refusal(`Sigma: search identifier '${name}' is an empty list`);
    return v.map((m) => mapOf(m, ''));
  }
  return [mapOf(v, '')];
}

function evalSelection(sel: Selection, ev: SigmaEvent): Tri {
  return triOr(sel.map((m) => triAnd(m.map((t) => t.eval(ev)))));
}

function evalCond(c: CondNode, sels: Map<string, Selection>, ev: SigmaEvent): Tri {
  switch (c.k) {
    case 'id':
      return evalSelection(sels.get(c.name)!, ev);
    case 'not':
      return triNot(evalCond(c.arg, sels, ev));
    case 'and':
      return triAnd(c.args.map((a) => evalCond(a, sels, ev)));
    case 'or':
      return triOr(c.args.map((a) => evalCond(a, sels, ev)));
  }
}

// ---------------------------------------------------------------- documents

const isMap = (v: Json | undefined): v is { [k: string]: Json } => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

export interface SigmaDetectionRule {
  id?: string;
  name?: string;
  /** The rule's logsource (category, product, service). */
  logsource: Record<string, string>;
  selections: Map<string, Selection>;
  condition: CondNode;
  /** The fields every test reads (for diagnostics). */
  fields: string[];
}

export interface SigmaCorrelation {
  type: 'event_count';
  rules: string[];
  groupBy: string[];
  timespan: string;
  condition: Partial<Record<'gt' | 'gte' | 'lt' | 'lte' | 'eq', number>>;
}

function compileDetectionRule(doc: { [k: string]: Json }): SigmaDetectionRule {
  if (!isMap(doc.logsource)) throw new Refusal('Sigma: the detection rule has no logsource map');
  const logsource: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.logsource)) {
    if (typeof v !== 'string') throw new Refusal(`Sigma: logsource ${k} is not a string`);
    logsource[k] = v;
  }
  const det = doc.detection;
  if (!isMap(det)) throw new Refusal('Sigma: the detection rule has no detection map');
  if ('timeframe' in det) throw new Refusal('Sigma: detection timeframe (a v1 aggregation) is not evaluated');
  const selections = new Map<string, Selection>();
  for (const [k, v] of Object.entries(det)) {
    if (k === 'condition') continue;
    selections.set(k, compileSelection(k, v));
  }
  const c = det.condition;
  const texts = typeof c === 'string' ? [c] : Array.isArray(c) && c.length > 0 && c.every((x) => typeof x === 'string') ? (c as string[]) : undefined;
  if (!texts) throw new Refusal('Sigma: the detection has no condition string (or list of strings)');
  const ids = [...selections.keys()];
  const conds = texts.map((t) => parseCondition(t, ids));
  const condition: CondNode = conds.length === 1 ? conds[0]! : { k: 'or', args: conds };
  const fields = [...selections.values()].flatMap((s) => s.flatMap((m) => m.map((t) => t.field)));
  return {
    ...(typeof doc.id === 'string' ? { id: doc.id } : {}),
    ...(typeof doc.name === 'string' ? { name: doc.name } : {}),
    logsource,
    selections,
    condition,
    fields: [...new Set(fields)],
  };
}

function compileCorrelation(doc: { [k: string]: Json }): SigmaCorrelation {
  const c = doc.correlation;
  if (!isMap(c)) throw new Refusal('Sigma correlation: the correlation section is not a map');
  const known = new Set(['type', 'rules', 'group-by', 'timespan', 'condition', 'generate', 'aliases']);
  for (const k of Object.keys(c)) if (!known.has(k)) throw new Refusal(`Sigma correlation: unknown attribute '${k}'`);
  if (c.type !== 'event_count') throw new Refusal(`Sigma correlation type '${String(c.type)}' is not evaluated (only event_count)`);
  if ('aliases' in c) throw new Refusal('Sigma correlation: aliases are not evaluated');
  const rules = c.rules;
  if (!Array.isArray(rules) || rules.length === 0 || !rules.every((r) => typeof r === 'string')) {
    throw new Refusal('Sigma correlation: rules must be a non-empty list of rule ids or names');
  }
  let groupBy: string[] = [];
  const g = c['group-by'];
  if (g !== undefined) {
    // the specification: group-by "defines one or multiple fields"; an empty list names none
    if (typeof g === 'string') groupBy = [g];
    else if (Array.isArray(g) && g.length > 0 && g.every((x) => typeof x === 'string')) groupBy = g as string[];
    else if (Array.isArray(g) && g.length === 0) {
      throw new Refusal('Sigma correlation: group-by: [] names no field (the specification: group-by "defines one or multiple fields"); omit it for an ungrouped count');
    } else throw new Refusal('Sigma correlation: group-by must be a field name or a list of field names');
    if (new Set(groupBy).size !== groupBy.length) throw new Refusal('Sigma correlation: group-by repeats a field (uniqueItems)');
    for (const f of groupBy) checkFieldName(f, 'correlation group-by');
  }
  const ts = c.timespan;
  if (typeof ts !== 'string' || !/^[1-9]\d*[smhd]$/.test(ts)) {
    throw new Refusal(`Sigma correlation: timespan '${String(ts)}' is not "number + letter (in lowercase)" s/m/h/d`);
  }
  const cond = c.condition;
  if (!isMap(cond) || Object.keys(cond).length === 0) throw new Refusal('Sigma correlation: condition must be a map of gt/gte/lt/lte/eq');
  const condition: SigmaCorrelation['condition'] = {};
  for (const [k, v] of Object.entries(cond)) {
    if (!['gt', 'gte', 'lt', 'lte', 'eq'].includes(k)) throw new Refusal(`Sigma correlation: condition '${k}' is not valid for event_count`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Refusal(`Sigma correlation: condition ${k} needs a non-negative integer, got ${JSON.stringify(v)}`);
    condition[k as keyof SigmaCorrelation['condition']] = v;
  }
  return { type: 'event_count', rules: rules as string[], groupBy, timespan: ts, condition };
}

export interface CompiledSigma extends CompiledArtifact<SigmaEvent> {
  /** The detection rules, in file order (several: one per log source of a rule over several log types). */
  rules: SigmaDetectionRule[];
  correlation?: SigmaCorrelation;
  /** Decide one event, three-valued. */
  decide(event: SigmaEvent): Tri;
}

/**
 * Whether a rule's logsource covers an event's: every field the rule names has the event's value
 * (sigma-rules-specification, logsource: "the log source ... the rule is applicable to"; a backend
 * selects the data by these fields, compared as the taxonomy's lowercase names).
 */
function coversSource(rule: SigmaDetectionRule, ev: SigmaEvent): boolean {
  if (!ev.logsource) throw new Refusal(`Sigma: the mapping gives ${ev.logType} no logsource, so no rule of several can be chosen for it`);
  return Object.entries(rule.logsource).every(([k, v]) => k === 'definition' || ev.logsource![k]?.toLowerCase() === v.toLowerCase());
}

/**
 * Read a Sigma file: one detection rule, or several (one per log source, each read for the events of its
 * source), optionally followed by one event_count correlation referring to all of them.
 */
export function compileSigma(text: string): CompiledSigma {
  const docs = readSigmaDocuments(text);
  const detections: { [k: string]: Json }[] = [];
  const correlations: { [k: string]: Json }[] = [];
  for (const d of docs) {
    if (!isMap(d)) throw new Refusal('Sigma: a YAML document is not a map');
    if ('action' in d) throw new Refusal(`Sigma: 'action: ${String(d.action)}' collections (Sigma v1) are not evaluated`);
    if ('correlation' in d) correlations.push(d);
    else if ('detection' in d) detections.push(d);
    else if ('filter' in d) throw new Refusal('Sigma filter (meta filter) documents are not evaluated');
    else throw new Refusal('Sigma: a document is neither a detection rule nor a correlation');
  }
  if (detections.length === 0) throw new Refusal('Sigma: no detection rule in the file');
  if (correlations.length > 1) throw new Refusal('Sigma: more than one correlation rule');
  const rules = detections.map(compileDetectionRule);
  if (rules.length > 1) {
    const ids = rules.map((r) => r.id);
    if (ids.some((id) => id === undefined) || new Set(ids).size !== ids.length) throw new Refusal('Sigma: the detection rules of one file need distinct ids');
  }
  let correlation: SigmaCorrelation | undefined;
  if (correlations.length === 1) {
    correlation = compileCorrelation(correlations[0]!);
    for (const r of correlation.rules) {
      if (!rules.some((d) => r === d.id || r === d.name)) throw new Refusal(`Sigma correlation refers to rule '${r}', which is not a detection rule of the file`);
    }
    for (const d of rules) if (!correlation.rules.some((r) => r === d.id || r === d.name)) throw new Refusal(`Sigma correlation leaves out the file's rule '${d.id ?? d.name ?? '?'}'`);
  }
  const decide = (ev: SigmaEvent): Tri => {
    // one rule: it reads every event the artifact is proven on (its own log type); several: the ones for the event's source
    const applicable = rules.length === 1 ? rules : rules.filter((r) => coversSource(r, ev));
    let out: Tri = false;
    for (const r of applicable) {
      const t = evalCond(r.condition, r.selections, ev);
      if (t === true) return true;
      if (isUnknown(t)) out = t;
    }
    return out;
  };
  const aggregation = correlation
    ? `event_count ${Object.entries(correlation.condition).map(([k, v]) => `${k} ${v}`).join(' and ')} within ${correlation.timespan}${correlation.groupBy.length ? ` by ${correlation.groupBy.join(', ')}` : ''}`
    : undefined;
  return {
    rules,
    ...(correlation ? { correlation } : {}),
    ...(aggregation ? { aggregation } : {}),
    decide,
    matches(ev: SigmaEvent): boolean {
      const t = decide(ev);
      if (isUnknown(t)) throw new Refusal(t.unknown);
      return t;
    },
  };
}

export const sigmaProof: TargetProof<SigmaEvent> = {
  targets: ['sigma'],
  project: (log, logType, mapper) => projectSigma(log, logType, mapper),
  compile: (text) => compileSigma(text),
};
