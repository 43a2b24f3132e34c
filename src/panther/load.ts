/**
 * Load a Panther rule: the metadata YAML (with positions for diagnostics), its Tests, and the
 * Python module named by `Filename`; find `global_helpers/` and `data_models/` the way a
 * panther-analysis checkout lays them out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Lexer, LineCounter, Parser, parseDocument, isMap, isSeq, isScalar, type Node as YNode } from 'yaml';
import type { Json, RuleMeta, RuleTest } from '../ast/types.js';
import { fail, TranspileError } from '../diagnostics.js';
import type { PyRuleInfo } from './pypanther.js';
import { readPlainYaml } from './plainyaml.js';

export interface YamlPos {
  line: number;
  col: number;
}

export interface LoadedRule {
  file: string;
  dir: string;
  /** The tree being translated (the folder argument, or the rule's folder): bounds where helpers are looked for. */
  root: string;
  analysisType: string;
  meta: RuleMeta;
  raw: Record<string, unknown>;
  /** Position of a top-level key (or a nested path of keys/indices) in the YAML. */
  pos(...keys: (string | number)[]): YamlPos;
  tests: RuleTest[];
  python?: { file: string; source: string };
  detection?: unknown;
  /** A pypanther rule: which class of the module `python` holds (src/panther/pypanther.ts). */
  pypanther?: PyRuleInfo;
}

const SEVERITIES = ['Info', 'Low', 'Medium', 'High', 'Critical'];

export function loadYaml(file: string, text: string): { data: unknown; pos: (...keys: (string | number)[]) => YamlPos } {
  // a large file with a plain Tests list: its tests are read one by one (see splitTests)
  const split = text.length > splitTestsAbove ? splitTests(text) : null;
  if (split) return split;
  // most rule files are plain YAML, read for the same value ten times faster (plainyaml.ts); positions
  // (asked for by messages and spans, seldom) come from the yaml package's parse, made when first asked
  const plain = readPlainYaml(text);
  if (plain !== undefined) {
    let doc: ReturnType<typeof loadDocument> | undefined;
    return { data: plain, pos: (...keys) => (doc ??= loadDocument(file, text)).pos(...keys) };
  }
  return loadDocument(file, text);
}

/**
 * Above this size, a rule file's Tests list is read test by test. The whole-document parse (the yaml
 * package's syntax tree and document) holds about 75 bytes per byte of YAML at its peak: 3.8 GB for a 50 MB
 * file; test by test, only a few hundred kB of tests' tree at a time.
 */
export const SPLIT_TESTS_ABOVE = 1 << 20;
let splitTestsAbove = SPLIT_TESTS_ABOVE;

/** Change the size above which Tests are read test by test (tests exercise both ways on small files). */
export function setSplitTestsAbove(bytes: number): void {
  splitTestsAbove = bytes;
}
/**
 * How much of the Tests list one parse reads: small enough that each parse's tree dies young (16 kB: the
 * 10 MB file of 4,500 tests peaks at 260 MB, 440 MB with 64 kB parses).
 */
const TESTS_CHUNK = 16 << 10;

/** The line breaks in text[from, to). */
function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function loadDocument(file: string, text: string): { data: unknown; pos: (...keys: (string | number)[]) => YamlPos } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0] as (typeof doc.errors)[number];
    // an unclosed quote is detected where the text ends: point at the quote that opened it
    const at = e.code === 'MISSING_CHAR' ? (unclosedQuote(text) ?? e.pos[0]) : e.pos[0];
    const p = lc.linePos(at);
    fail('yaml-syntax', `invalid YAML: ${e.message.split('\n')[0]}`, { file, line: p.line, col: p.col }, 'fix the YAML syntax at this position');
  }
  const pos = (...keys: (string | number)[]): YamlPos => {
    let node: unknown = doc.contents;
    let best: YNode | null = (doc.contents as YNode | null) ?? null;
    for (const k of keys) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value).toLowerCase() === String(k).toLowerCase());
        if (!pair) break;
        best = (pair.key as YNode) ?? best;
        node = pair.value;
        if (node && (node as YNode).range && keys[keys.length - 1] !== k) best = node as YNode;
      } else if (isSeq(node) && typeof k === 'number') {
        node = node.items[k];
        if (node) best = node as YNode;
      } else break;
    }
    const off = best?.range?.[0] ?? 0;
    const p = lc.linePos(off);
    return { line: p.line, col: p.col };
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    // an alias bomb (aliases of aliases expanding exponentially) is refused, not expanded
    if (!(e instanceof ReferenceError)) throw e;
    const p = lc.linePos(firstAlias(text) ?? 0);
    fail('yaml-aliases', `the YAML expands too many aliases (${e.message.split('\n')[0]})`, { file, line: p.line, col: p.col }, 'write the values out instead of nesting *aliases');
  }
  return { data, pos };
}

/** The lexer's tokens that stand for no text (document start, scalar and flow-end markers). */
const VIRTUAL = new Set(['\x02', '\x1f', '\x18']);

/**
 * A rule YAML whose top level is a plain block mapping and whose `Tests` is a block sequence, read with the
 * tests apart: the YAML lexer (which streams) finds the top-level keys and each test's lines; the other keys
 * are parsed as one document (without the tests' lines: positions after them are moved back down) and the tests
 * a few hundred kB at a time, each parse dropped before the next. Null, for the whole-document parse, on
 * anything else: anchors, aliases, tags,
 * directives, several documents, flow collections around the list, or a test that does not parse alone (the
 * whole-document parse then reports the error as it always does).
 */
function splitTests(text: string): { data: unknown; pos: (...keys: (string | number)[]) => YamlPos } | null {
  const keys: { name: string; at: number }[] = [];
  const items: { at: number; line: number; pos: YamlPos }[] = [];
  let at = 0;
  let line = 1;
  let col = 0;
  let flow = 0;
  let candidate: { name: string; at: number } | null = null;
  let inTests = false;
  let itemCol = -1;
  let afterTestsKey = false;
  let scalar = false;
  // an item's position is where its value starts (the token after its `-`), as the whole-document parse gives it
  let itemValue: { line: number; col: number } | null = null;
  for (const tok of new Lexer().lex(text)) {
    if (VIRTUAL.has(tok)) {
      if (tok === '\x1f') scalar = true;
      continue;
    }
    const c = tok[0] as string;
    if (c === '&' || c === '*' || c === '!' || c === '%' || tok === '---' || tok === '...' || c === '?') return null;
    const blank = c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '#';
    if (!blank && itemValue) {
      itemValue.line = line;
      itemValue.col = col + 1;
      itemValue = null;
    }
    if (!blank) {
      if (candidate && tok === ':') {
        keys.push(candidate);
        inTests = candidate.name === 'Tests';
        afterTestsKey = inTests;
        candidate = null;
      } else {
        candidate = null;
        if (col === 0 && flow === 0 && (scalar || c === '"' || c === "'")) candidate = { name: c === '"' || c === "'" ? tok.slice(1, -1) : tok, at };
        else if (afterTestsKey) {
          // the first thing after `Tests:` must start a block sequence
          if (tok !== '-') return null;
          itemCol = col;
          afterTestsKey = false;
        }
        if (inTests && tok === '-' && flow === 0 && col === itemCol) {
          itemValue = { line, col: col + 1 };
          items.push({ at: at - col, line, pos: itemValue });
        }
        if (c === '[' || c === '{') flow++;
        else if (c === ']' || c === '}') flow--;
      }
      scalar = false;
    }
    at += tok.length;
    const nl = tok.lastIndexOf('\n');
    if (nl >= 0) {
      for (let i = 0; i < tok.length; i++) if (tok.charCodeAt(i) === 10) line++;
      col = tok.length - nl - 1;
    } else col += tok.length;
  }
  const tests = keys.findIndex((k) => k.name === 'Tests');
  if (tests < 0 || items.length === 0 || keys.filter((k) => k.name === 'Tests').length > 1) return null;
  const end = keys[tests + 1]?.at ?? text.length;
  const first = items[0] as { at: number; line: number };
  // the other keys, without the tests' lines (the lines after them are moved back by as many)
  const removed = lineBreaks(text, first.at, end);
  let meta: ReturnType<typeof loadDocument>;
  try {
    meta = loadDocument('', text.slice(0, first.at) + text.slice(end));
  } catch {
    return null;
  }
  const data = meta.data as Record<string, unknown> | null;
  if (!data || typeof data !== 'object' || Array.isArray(data) || !('Tests' in data) || data.Tests !== null) return null;
  // the tests, a few hundred kB of them at a time (each parse's tree dropped before the next)
  const list: unknown[] = [];
  for (let i = 0; i < items.length; ) {
    const from = (items[i] as { at: number }).at;
    let j = i + 1;
    while (j < items.length && (items[j] as { at: number }).at - from < TESTS_CHUNK) j++;
    const doc = parseDocument(text.slice(from, items[j]?.at ?? end), { prettyErrors: false, uniqueKeys: false });
    if (doc.errors.length > 0) return null;
    const some = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (!Array.isArray(some) || some.length !== j - i) return null;
    for (const x of some) list.push(flatStrings(x));
    i = j;
  }
  data.Tests = list;
  const pos = (...path: (string | number)[]): YamlPos => {
    const item = path.length >= 2 && String(path[0]).toLowerCase() === 'tests' && typeof path[1] === 'number' ? items[path[1]] : undefined;
    if (item) return { ...item.pos };
    const p = meta.pos(...path);
    return p.line >= first.line ? { line: p.line + removed, col: p.col } : p;
  };
  return { data, pos };
}

/** The offset of the first quoted scalar that is not closed, from the YAML lexer's tokens. */
function unclosedQuote(text: string): number | undefined {
  let found: number | undefined;
  const visit = (t: unknown): void => {
    if (found !== undefined || !t || typeof t !== 'object') return;
    const tok = t as { type?: string; source?: string; offset?: number };
    if ((tok.type === 'double-quoted-scalar' || tok.type === 'single-quoted-scalar') && typeof tok.source === 'string') {
      const q = tok.source[0];
      const body = tok.source.slice(1);
      const closed = q === '"' ? /(^|[^\\])(\\\\)*"$/.test(body) : /'$/.test(body.replace(/''/g, ''));
      if (!closed || tok.source.length < 2) found = tok.offset;
      return;
    }
    for (const v of Object.values(t)) if (v && typeof v === 'object') visit(v);
  };
  for (const tok of new Parser().parse(text)) visit(tok);
  return found;
}

/** The offset of the first alias (`*name`) in the text, for the alias-bomb error. */
function firstAlias(text: string): number | undefined {
  let found: number | undefined;
  const visit = (t: unknown): void => {
    if (found !== undefined || !t || typeof t !== 'object') return;
    const tok = t as { type?: string; offset?: number };
    if (tok.type === 'alias') {
      found = tok.offset;
      return;
    }
    for (const v of Object.values(t)) if (v && typeof v === 'object') visit(v);
  };
  for (const tok of new Parser().parse(text)) visit(tok);
  return found;
}

/**
 * A file's text as UTF-8, refusing invalid bytes as CPython and PyYAML do (never silently replaced):
 * the error names the line and column of the first bad byte.
 */
export function readUtf8(readPath: string, what: string, file: string = readPath): string {
  // a FIFO, socket or device named like a rule would block the batch or never end
  const stat = fs.statSync(readPath);
  if (!stat.isFile()) fail('not-a-file', `the ${what} is not a regular file`, { file }, 'name a regular file');
  checkSize(stat.size, what, file);
  const bytes = fs.readFileSync(readPath);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const lines = new TextDecoder('utf-8').decode(bytes.subarray(0, bad)).split('\n');
    fail(
      'bad-encoding',
      `the ${what} is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} at offset ${bad})`,
      { file, line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 },
      'save the file as UTF-8',
    );
  }
}

/**
 * Rule files (the YAML, its Python module) above this many megabytes are refused before they are read: the
 * largest rule file of panther-analysis is 50 kB, and reading a YAML costs memory in proportion (about 15 times
 * its size once its tests are in memory). `TRANSPILE_MAX_RULE_MB` raises (or lowers) it.
 */
export const DEFAULT_MAX_RULE_MB = 10;

/** The limit in bytes: TRANSPILE_MAX_RULE_MB megabytes, else DEFAULT_MAX_RULE_MB. */
export function maxRuleBytes(): number {
  const env = process.env.TRANSPILE_MAX_RULE_MB;
  if (env === undefined || env === '') return DEFAULT_MAX_RULE_MB * 1024 * 1024;
  const mb = Number(env);
  if (!Number.isFinite(mb) || mb <= 0) fail('bad-size-limit', `TRANSPILE_MAX_RULE_MB=${JSON.stringify(env)} is not a positive number of megabytes`, {}, `unset it (the limit is then ${DEFAULT_MAX_RULE_MB} MB) or give a number, e.g. TRANSPILE_MAX_RULE_MB=64`);
  return mb * 1024 * 1024;
}

/** Refuse a rule file over the size limit, naming its size and how to raise the limit. */
export function checkSize(bytes: number, what: string, file: string): void {
  const limit = maxRuleBytes();
  if (bytes <= limit) return;
  const size = (n: number): string => (n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(n / 1024)} kB`);
  fail(
    'file-too-large',
    `the ${what} is ${size(bytes)}, over the ${size(limit)} limit for a rule file`,
    { file },
    `a Panther rule file is rarely over a few hundred kB; to translate this one anyway, raise the limit: TRANSPILE_MAX_RULE_MB=${Math.ceil(bytes / (1024 * 1024))}`,
  );
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n = 0;
    let min = 0;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) (n = 1), (min = 0x80);
    else if (c >= 0xe0 && c <= 0xef) (n = 2), (min = 0x800);
    else if (c >= 0xf0 && c <= 0xf4) (n = 3), (min = 0x10000);
    else return i;
    let cp = n === 0 ? c : c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (n > 0 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return i;
    i += n + 1;
  }
  return b.length;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return String(v).trim();
}

function strList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (typeof v === 'string') return [v];
  return [];
}

/** Parse `MITRE ATT&CK: ["TA0040:T1485", ...]` from Reports. */
function mitre(reports: unknown): { tactic: string; technique?: string }[] {
  if (!reports || typeof reports !== 'object') return [];
  const entry = Object.entries(reports as Record<string, unknown>).find(([k]) => k.toLowerCase().replace(/[^a-z]/g, '') === 'mitreattck');
  if (!entry) return [];
  return strList(entry[1]).map((s) => {
    const [tactic, technique] = s.split(':').map((x) => x.trim());
    return { tactic: tactic as string, ...(technique ? { technique } : {}) };
  });
}

/**
 * The yaml package builds a quoted scalar character by character: V8 keeps that as a rope of about 30 bytes a
 * character (a test log held 9 times its JSON size) until something reads the string, which flattens it.
 */
function flatStrings<T>(v: T): T {
  if (typeof v === 'string') v.charCodeAt(0);
  else if (Array.isArray(v)) for (const x of v) flatStrings(x);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) flatStrings(x);
  return v;
}

/** A YAML value as JSON (dates as ISO strings, undefined as null); parts already JSON are shared, not copied. */
function toJson(v: unknown): Json {
  if (v === undefined) return null;
  if (typeof v === 'string') return flatStrings(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) {
    let out: Json[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x = toJson(v[i]);
      if (x !== v[i] && !out) out = v.slice(0, i) as Json[];
      if (out) out.push(x);
    }
    return out ?? (v as Json[]);
  }
  if (v && typeof v === 'object') {
    let out: { [k: string]: Json } | null = null;
    const entries = Object.entries(v as Record<string, unknown>);
    for (const [i, [k, x]] of entries.entries()) {
      const y = toJson(x);
      if (y !== x && !out) out = Object.fromEntries(entries.slice(0, i)) as { [k: string]: Json };
      if (out) out[k] = y;
    }
    return out ?? (v as Json);
  }
  return v as Json;
}

/** The type each documented rule key must have (panther_analysis_tool's schema reads them so). */
const KEY_TYPES: Record<string, 'scalar' | 'strings' | 'bool' | 'int' | 'map' | 'list'> = {
  AnalysisType: 'scalar',
  RuleID: 'scalar',
  DisplayName: 'scalar',
  Filename: 'scalar',
  Severity: 'scalar',
  Description: 'scalar',
  Runbook: 'scalar',
  Reference: 'scalar',
  Status: 'scalar',
  AlertTitle: 'scalar',
  Version: 'scalar',
  LogTypes: 'strings',
  Tags: 'strings',
  SummaryAttributes: 'strings',
  ScheduledQueries: 'strings',
  Enabled: 'bool',
  CreateAlert: 'bool',
  Threshold: 'int',
  DedupPeriodMinutes: 'int',
  Reports: 'map',
  Tests: 'list',
  InlineFilters: 'list',
};

const TYPE_WORDS = { scalar: 'a single value', strings: 'a list of strings', bool: 'true or false', int: 'a whole number', map: 'a mapping', list: 'a list' };

function checkKeyTypes(raw: Record<string, unknown>, where: (k: string) => { file: string; line: number; col: number }): void {
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v) || v instanceof Date;
  for (const [key, want] of Object.entries(KEY_TYPES)) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    const ok =
      want === 'scalar' ? scalar(v)
      : want === 'strings' ? typeof v === 'string' || (Array.isArray(v) && v.every((x) => scalar(x) && x !== null))
      : want === 'bool' ? typeof v === 'boolean'
      : want === 'int' ? typeof v === 'number' && Number.isInteger(v)
      : want === 'map' ? typeof v === 'object' && !Array.isArray(v)
      : Array.isArray(v);
    if (!ok) {
      const got = Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : JSON.stringify(v);
      fail('bad-key-type', `${key} must be ${TYPE_WORDS[want]}, not ${got}`, where(key), `write ${key} as ${TYPE_WORDS[want]}, as panther_analysis_tool expects`);
    }
  }
}

/** Whether `target` lies inside folder `root` (both resolved, symbolic links followed where they exist). */
function inside(root: string, target: string): boolean {
  const real = (p: string): string => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const rel = path.relative(real(root), real(target));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Load a rule YAML (and its Python module). `root` is the tree being translated (the folder argument,
 * or the rule's own folder for a file argument): the module named by `Filename` must lie inside it.
 */
/**
 * How outputs name a file of the tree: the tree folder's own name, then the path inside it
 * (`rules/aws_cloudtrail/x.yml`), whatever the working directory, and never absolute.
 */
export function treePath(root: string, file: string): string {
  if (file === '<stdin>') return file;
  const rel = path.relative(root, file);
  return path.join(path.basename(path.resolve(root)), rel).split(path.sep).join('/');
}

/** A path for messages: relative to the working directory when under it, else as outputs name it (never absolute). */
function messagePath(root: string, file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : treePath(root, file);
}

export function loadRule(readPath: string, given?: string, root: string = path.dirname(readPath)): LoadedRule {
  // `file` names the rule in messages; `readPath` is where it is read
  const file = given !== undefined ? readPath : messagePath(root, readPath);
  let text: string;
  try {
    if (given !== undefined) checkSize(Buffer.byteLength(given), 'rule YAML', file);
    text = given ?? readUtf8(readPath, 'rule YAML', file);
  } catch (e) {
    if (e instanceof TranspileError) throw e;
    fail('file-not-found', `cannot read ${file}`, { file }, 'check the path');
  }
  const { data, pos } = loadYaml(file, text);
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    fail('not-a-rule', 'the YAML is not a mapping of Panther rule keys', { file, line: 1, col: 1 }, 'a Panther rule YAML starts with AnalysisType, RuleID, LogTypes...');
  }
  const raw = data as Record<string, unknown>;
  const analysisType = str(raw.AnalysisType) ?? '';
  const where = (k: string): { file: string; line: number; col: number } => ({ file, ...pos(k) });
  if (!['rule', 'scheduled_rule', 'correlation_rule'].includes(analysisType)) {
    fail(
      'not-a-rule',
      analysisType ? `AnalysisType '${analysisType}' is not a detection rule` : 'missing AnalysisType',
      where('AnalysisType'),
      'only `AnalysisType: rule` files are transpiled (policies, data models and queries are skipped)',
    );
  }
  checkKeyTypes(raw, where);
  const id = str(raw.RuleID);
  if (!id) fail('missing-key', 'missing RuleID', { file, line: 1, col: 1 }, 'add `RuleID: Vendor.Service.Name`');
  const severity = str(raw.Severity) ?? 'Info';
  if (!SEVERITIES.includes(severity)) {
    fail('bad-severity', `Severity '${severity}' is not one of ${SEVERITIES.join(', ')}`, where('Severity'));
  }
  const logTypes = strList(raw.LogTypes);
  const dir = path.dirname(readPath);
  const meta: RuleMeta = {
    id,
    severity,
    enabled: raw.Enabled !== false,
    logTypes,
    tags: strList(raw.Tags),
    mitre: mitre(raw.Reports),
    summaryAttributes: strList(raw.SummaryAttributes),
    file: given !== undefined ? readPath : treePath(root, readPath),
    ...(str(raw.DisplayName) ? { displayName: str(raw.DisplayName) } : {}),
    ...(str(raw.Description) ? { description: str(raw.Description) } : {}),
    ...(str(raw.Reference) ? { reference: str(raw.Reference) } : {}),
    ...(str(raw.Runbook) ? { runbook: str(raw.Runbook) } : {}),
    ...(typeof raw.DedupPeriodMinutes === 'number' ? { dedupPeriodMinutes: raw.DedupPeriodMinutes } : {}),
    ...(typeof raw.Threshold === 'number' ? { threshold: raw.Threshold } : {}),
    ...(str(raw.Version) ? { version: str(raw.Version) } : {}),
  };
  const tests: RuleTest[] = [];
  const rawTests = raw.Tests;
  if (rawTests !== undefined && rawTests !== null && !Array.isArray(rawTests)) fail('bad-tests', 'Tests must be a list', where('Tests'));
  for (const [i, t] of ((rawTests as unknown[]) ?? []).entries()) {
    const tt = t as Record<string, unknown>;
    if (!tt || typeof tt !== 'object') fail('bad-tests', `test #${i + 1} is not a mapping`, { file, ...pos('Tests', i) });
    let log: unknown = tt.Log;
    if (typeof log === 'string') {
      try {
        log = JSON.parse(log);
      } catch {
        fail('bad-tests', `test '${String(tt.Name)}': Log is a string that is not JSON`, { file, ...pos('Tests', i) });
      }
    }
    if (typeof tt.ExpectedResult !== 'boolean') {
      fail('bad-tests', `test '${String(tt.Name ?? i + 1)}': ExpectedResult must be true or false`, { file, ...pos('Tests', i) });
    }
    const mocks = Array.isArray(tt.Mocks)
      ? (tt.Mocks as Record<string, unknown>[]).map((m) => ({ objectName: String(m.objectName), returnValue: toJson(m.returnValue) }))
      : undefined;
    tests.push({
      name: String(tt.Name ?? `test ${i + 1}`),
      expected: tt.ExpectedResult,
      log: toJson(log),
      ...(tt.LogType ? { logType: String(tt.LogType) } : {}),
      ...(mocks ? { mocks } : {}),
    });
  }
  const rule: LoadedRule = { file, dir, root, analysisType, meta, raw, pos, tests };
  if (raw.Detection !== undefined) {
    rule.detection = raw.Detection;
  } else {
    const fname = str(raw.Filename);
    if (!fname) fail('missing-key', 'missing Filename (the Python module) and no Detection block', { file, line: 1, col: 1 }, 'add `Filename: <rule>.py` next to the YAML, or a `Detection:` block');
    // no file system takes a NUL in a path (Node throws on it)
    if (fname.includes('\0')) fail('bad-key-type', 'Filename holds a NUL character, which no file name can', where('Filename'), 'write Filename as the module\'s file name, e.g. <rule>.py');
    const pyFile = path.join(dir, fname);
    const pyShown = given !== undefined ? pyFile : messagePath(root, pyFile);
    // rule files are read only inside the tree being translated: a Filename never reaches elsewhere
    if (path.isAbsolute(fname) || !inside(root, pyFile)) {
      fail(
        'filename-outside-tree',
        `Filename '${fname}' ${path.isAbsolute(fname) ? 'is an absolute path' : 'resolves outside the folder being translated'}; the Python module must lie beside the rule, inside the tree given on the command line`,
        where('Filename'),
        'name the module by its path relative to the rule YAML (usually just <rule>.py), or translate the folder that holds both',
      );
    }
    let source: string;
    try {
      source = readUtf8(pyFile, 'Python module', pyShown);
    } catch (e) {
      if (e instanceof TranspileError) throw e;
      fail('python-not-found', `the Python file '${fname}' named by Filename does not exist`, where('Filename'), `create ${pyFile} or fix Filename`);
    }
    // spans name the module as outputs do: the same from any working directory
    rule.python = { file: given !== undefined ? pyFile : treePath(root, pyFile), source };
    meta.pyFile = given !== undefined ? pyFile : treePath(root, pyFile);
  }
  return rule;
}

/**
 * Files that mark the root of a rule repository: the walk for helpers stops there. `.github` marks a
 * GitHub repository's root in a checkout and in the source archive GitHub serves for a release (which
 * has no `.git`), so a rule file of an unpacked panther-analysis archive finds its global_helpers/.
 */
const REPO_MARKERS = ['.git', '.github', '.panther_settings.yml', '.panther_settings.yaml'];

/**
 * Walk up from `dir` looking for a sibling folder `name` (as in a panther-analysis checkout), up to the
 * repository root: the nearest folder holding `.git`, `.github` or `.panther_settings.yml`, or, when there is none,
 * the folder that holds the tree being translated (`root`). A folder planted higher up is never read.
 */
export function findUp(dir: string, name: string, root: string = dir): string | undefined {
  let cur = path.resolve(dir);
  let stop = path.dirname(path.resolve(root));
  for (let d = cur; ; d = path.dirname(d)) {
    if (REPO_MARKERS.some((m) => fs.existsSync(path.join(d, m)))) {
      stop = d;
      break;
    }
    if (path.dirname(d) === d) break;
  }
  for (;;) {
    const cand = path.join(cur, name);
    if (fs.existsSync(cand) && fs.statSync(cand).isDirectory()) return cand;
    const parent = path.dirname(cur);
    if (cur === stop || parent === cur) return undefined;
    cur = parent;
  }
}
