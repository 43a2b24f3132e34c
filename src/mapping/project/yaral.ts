/**
 * A Panther test log projected into a Google SecOps (Chronicle) UDM event, the shape YARA-L 2.0 rules read.
 *
 * Every node of the log (every prefix of every leaf path) is resolved through the field mappings
 * (`mapper.resolve(logType, 'yaral', path)`); a mapped node writes its value into the UDM field the
 * mapping names, and the log type's base filter (`metadata.vendor_name = "AMAZON"`, ...) is set, since
 * the parser of that log type produces it. What the mappings do not place lands nowhere, and reads as
 * the field's zero value.
 *
 * Facts (Google's documentation):
 * - Repeated UDM fields hold lists (UDM field list,
 *   https://cloud.google.com/chronicle/docs/reference/udm-field-list; e.g. `principal.ip`, `about`,
 *   `security_result`, `user.email_addresses`, `attribute.roles`).
 * - A missing field reads as its zero value: `""` for strings, 0 for numbers, false for booleans
 *   (https://cloud.google.com/chronicle/docs/detection/yara-l-best-practices, "Filter zero values").
 * - Map fields are read with `["key"]` (`additional.fields["k"]`, `*.labels["k"]`,
 *   `security_result.detection_fields["k"]`); their values are strings.
 *
 * Choices where no document decides (each makes the projection refuse to guess rather than invent):
 * - Keys keep the log's casing. A key whose casing differs from the vendor's casing the mapping records
 *   (`Enabled` where the vendor writes `enabled`) is not the vendor's field: it lands in no mapped UDM field.
 *   (Panther's `event.get` is case-insensitive, the parser is not: such a test may legitimately disagree.)
 * - A JSON object (or a list) landing in a scalar UDM field, or two log fields landing in one scalar UDM
 *   field with different values, give an *unknown* value: an evaluator that reads it must refuse.
 * - A string UDM field receiving a number or boolean holds its JSON spelling (`5`, `true`); an integer
 *   field receiving a string of digits holds the number, anything else there is unknown.
 * - A custom log type (`sources.yaral.custom`, mappings/README.md "Custom log types"): its parser is
 *   the user's, written by the stated convention, which this projection follows through the mapper
 *   (every scalar under `additional.fields["<dotted path>"]`, list elements by index `a[0]`); an object or
 *   a list itself is kept nowhere, so reading one is refused (unknown), never guessed.
 * - `metadata.id` and `metadata.log_type` are set on every ingested event; when the base filter does not
 *   state `metadata.log_type`, it is present with an unknown (non-empty) value.
 */
import type { Json } from '../../ast/types.js';
import { pathText, type PathSeg } from '../../ast/view.js';
import { Refusal } from '../../proof/types.js';
import type { FieldMapper } from '../types.js';

export type UdmScalar = string | number | boolean;

/** A value the projection cannot state: reading it (beyond "is it empty") must be refused. */
export class UdmUnknown {
  constructor(
    /** Why the value is unknown (for the refusal message). */
    public readonly why: string,
    /** True when the value is known to be present and non-empty. */
    public readonly nonEmpty = false,
  ) {}
}

/** A UDM message or map: field name (or map key) → node. Repeated fields are arrays. */
export type UdmMessage = Map<string, UdmNode>;
export type UdmNode = UdmScalar | UdmUnknown | UdmMessage | UdmNode[];

export interface UdmEvent {
  logType: string;
  root: UdmMessage;
  /**
   * Log keys left out because their casing differs from the vendor's casing the mapping records
   * (`eventname` for `eventName`): Panther's case-insensitive lookup finds them, a UDM parser does not.
   */
  casingSkipped: string[];
}

/** One step of a UDM path: a field name, a map key (`["k"]`) or an index (`[0]`). */
export type UdmSeg = { k: 'field'; name: string } | { k: 'key'; key: string } | { k: 'index'; i: number };

// ---------------------------------------------------------------------------------------------
// UDM schema facts (UDM field list, https://cloud.google.com/chronicle/docs/reference/udm-field-list)

/** Nouns of an event (Event.principal, target, src, observer, intermediary[], about[]). */
const NOUNS = new Set(['principal', 'target', 'src', 'observer', 'intermediary', 'about']);

/** Repeated fields of a Noun, as paths relative to the Noun. */
const NOUN_REPEATED = new Set([
  'ip', 'mac', 'nat_ip', 'ip_geo_artifact', 'labels',
  'user.email_addresses', 'user.group_identifiers', 'user.department', 'user.attribute.roles',
  'user.attribute.permissions', 'user.attribute.labels', 'user.time_off',
  'resource.attribute.roles', 'resource.attribute.permissions', 'resource.attribute.labels',
  'attribute.roles', 'attribute.permissions', 'attribute.labels',
  'asset.ip', 'asset.mac', 'asset.nat_ip', 'asset.labels', 'asset.attribute.labels',
  'group.email_addresses', 'group.attribute.labels',
  'process.command_line_history', 'file.names', 'file.capabilities_tags', 'file.tags',
  'domain.name_server', 'domain.tech.email_addresses', 'url_metadata',
]);

/** Repeated fields outside the Nouns, as absolute paths. */
const ABS_REPEATED = new Set([
  'about', 'intermediary', 'security_result', 'extracted', 'metadata.ingestion_labels', 'metadata.tags',
  'security_result.category', 'security_result.category_details', 'security_result.detection_fields',
  'security_result.outcomes', 'security_result.rule_labels', 'security_result.associations',
  'security_result.attack_details.tactics', 'security_result.attack_details.techniques',
  'network.dns.questions', 'network.dns.answers', 'network.dns.authority', 'network.dns.additional',
  'network.email.to', 'network.email.cc', 'network.email.bcc', 'network.email.subject',
  'network.dhcp.options', 'network.tls.client.supported_ciphers',
]);

/** Fields read with `["key"]` (Struct or repeated Label), relative to a Noun or absolute. */
const NOUN_MAPS = new Set(['labels', 'user.attribute.labels', 'resource.attribute.labels', 'attribute.labels', 'asset.labels', 'asset.attribute.labels', 'group.attribute.labels']);
const ABS_MAPS = new Set(['additional.fields', 'security_result.detection_fields', 'security_result.outcomes', 'security_result.rule_labels', 'metadata.ingestion_labels']);

/** Non-string scalar fields the evaluator and the projection must type (others are strings or enums, read as strings). */
const ABS_TYPES: Record<string, 'int' | 'float' | 'timestamp' | 'bool'> = {
  'network.http.response_code': 'int',
  'network.sent_bytes': 'int',
  'network.received_bytes': 'int',
  'network.sent_packets': 'int',
  'network.received_packets': 'int',
  'security_result.risk_score': 'float',
  'security_result.confidence_score': 'float',
  'metadata.event_timestamp': 'timestamp',
  'metadata.collected_timestamp': 'timestamp',
  'metadata.ingested_timestamp': 'timestamp',
};
const NOUN_TYPES: Record<string, 'int' | 'float' | 'timestamp' | 'bool'> = {
  port: 'int',
  nat_port: 'int',
  'process.pid': 'int',
  'user.first_seen_time': 'timestamp',
  'user.last_login_time': 'timestamp',
};

/** The Noun-relative spelling of a dotted field path (`principal.user.email_addresses` → `user.email_addresses`), if under a Noun. */
function nounRel(names: readonly string[]): string | null {
  return names.length >= 2 && NOUNS.has(names[0]!) ? names.slice(1).join('.') : null;
}

/** Is the field at this dotted path (names only, no map keys or indices) repeated? */
export function isRepeatedUdm(names: readonly string[]): boolean {
  const abs = names.join('.');
  if (ABS_REPEATED.has(abs)) return true;
  const rel = nounRel(names);
  return rel !== null && NOUN_REPEATED.has(rel);
}

/** Is the field at this dotted path a map read with `["key"]`? */
export function isMapUdm(names: readonly string[]): boolean {
  const abs = names.join('.');
  if (ABS_MAPS.has(abs)) return true;
  const rel = nounRel(names);
  return rel !== null && NOUN_MAPS.has(rel);
}

/** The scalar type of a UDM leaf (names of the field path; a map value is a string). */
export function udmType(names: readonly string[], mapValue: boolean): 'string' | 'int' | 'float' | 'timestamp' | 'bool' {
  if (mapValue) return 'string';
  const abs = names.join('.');
  if (ABS_TYPES[abs]) return ABS_TYPES[abs]!;
  const rel = nounRel(names);
  if (rel !== null && NOUN_TYPES[rel]) return NOUN_TYPES[rel]!;
  return 'string';
}

/** The zero value of a type (https://cloud.google.com/chronicle/docs/detection/yara-l-best-practices). */
export function zeroOf(t: ReturnType<typeof udmType>): UdmScalar | UdmUnknown {
  if (t === 'string') return '';
  if (t === 'bool') return false;
  if (t === 'timestamp') return new UdmUnknown('the zero value of a timestamp field');
  return 0;
}

// ---------------------------------------------------------------------------------------------
// UDM path text

/** Parse a UDM path as written after `$e.` (and in mapping cells): `a.b["k"].c[0]`. Throws Refusal. */
export function parseUdmPath(text: string): UdmSeg[] {
  const out: UdmSeg[] = [];
  let i = 0;
  const fail = (): never => {
    throw new Refusal(`UDM path ${JSON.stringify(text)} cannot be read`);
  };
  const ident = () => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
    out.push({ k: 'field', name: m![0] });
  };
  ident();
  while (i < text.length) {
    if (text[i] === '.') {
      i++;
      ident();
    } else if (text.startsWith('["', i)) {
      i += 2;
      let key = '';
      for (;;) {
        if (i >= text.length) fail();
        const c = text[i]!;
        if (c === '"') break;
        if (c === '\\') {
          const n = text[i + 1];
          if (n === '\\' || n === '"') key += n;
          else fail();
          i += 2;
        } else {
          key += c;
          i++;
        }
      }
      if (text[i + 1] !== ']') fail();
      i += 2;
      out.push({ k: 'key', key });
    } else if (text[i] === '[') {
      const m = /^\[(\d+)\]/.exec(text.slice(i));
      if (!m) fail();
      i += m![0].length;
      out.push({ k: 'index', i: Number(m![1]) });
    } else fail();
  }
  return out;
}

/** The dotted spelling of UDM path segments (map keys quoted, indices in brackets). */
export function udmPathText(segs: readonly UdmSeg[]): string {
  let s = '';
  for (const g of segs) {
    if (g.k === 'field') s += (s ? '.' : '') + g.name;
    else if (g.k === 'key') s += `[${JSON.stringify(g.key)}]`;
    else s += `[${g.i}]`;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Projection

const MAX_DEPTH = 64;

type Put = { value: UdmScalar | UdmUnknown; source: string };

class Builder {
  readonly root: UdmMessage = new Map();
  /** Per repeated leaf (path text): the sources already written, so one log node is written once. */
  private readonly written = new Map<string, Set<string>>();

  /**
   * Write a value at a UDM path. Repeated messages on the way take element 0 unless the path gives an
   * index; a repeated leaf appends (or writes the index given). A scalar slot written twice with different
   * values becomes unknown.
   */
  put(segs: readonly UdmSeg[], value: UdmScalar | UdmUnknown | UdmScalar[], source: string): void {
    let node: UdmMessage = this.root;
    const names: string[] = [];
    for (let s = 0; s < segs.length; s++) {
      const g = segs[s]!;
      const last = s === segs.length - 1;
      if (g.k === 'index') throw new Refusal(`UDM path ${udmPathText(segs)}: an index after a field that is not repeated`);
      const key = g.k === 'field' ? g.name : g.key;
      if (g.k === 'field') names.push(g.name);
      const mapValue = g.k === 'key';
      const repeated = g.k === 'field' && isRepeatedUdm(names);
      const next = segs[s + 1];
      const index = repeated && next?.k === 'index' ? next.i : undefined;
      const leafAfter = index !== undefined ? s + 1 === segs.length - 1 : last;
      if (repeated) {
        let arr = node.get(key);
        if (!Array.isArray(arr)) {
          arr = [];
          node.set(key, arr);
        }
        if (leafAfter) {
          const typ = udmType(names, false);
          const vals = Array.isArray(value) ? value.map((v, i) => ({ v: convert(v, typ, names), src: `${source}[${i}]` })) : [{ v: convert(value, typ, names), src: source }];
          const seen = this.written.get(udmPathText(segs)) ?? new Set<string>();
          this.written.set(udmPathText(segs), seen);
          for (const { v, src } of vals) {
            if (index !== undefined) {
              while (arr.length <= index) arr.push(zeroOf(typ));
              arr[index] = merge(arr[index], v, udmPathText(segs), true);
            } else if (!seen.has(src)) arr.push(v);
            seen.add(src);
          }
          return;
        }
        const at = index ?? 0;
        while (arr.length <= at) arr.push(new Map());
        let el = arr[at];
        if (!(el instanceof Map)) {
          el = new Map();
          arr[at] = el;
        }
        node = el;
        if (index !== undefined) s++;
        continue;
      }
      if (last) {
        const typ = udmType(names, mapValue);
        const v = Array.isArray(value) ? new UdmUnknown(`a list (${source}) lands in the scalar UDM field ${udmPathText(segs)}`) : convert(value, typ, names);
        node.set(key, merge(node.get(key), v, udmPathText(segs), false, source));
        return;
      }
      let child = node.get(key);
      if (!(child instanceof Map)) {
        if (child !== undefined) {
          node.set(key, new UdmUnknown(`${udmPathText(segs.slice(0, s + 1))} receives both a value and sub-fields`));
          return;
        }
        child = new Map();
        node.set(key, child);
      }
      node = child;
    }
  }
}

/** The value a UDM field of this type holds for a JSON scalar of the log. */
function convert(v: UdmScalar | UdmUnknown, typ: ReturnType<typeof udmType>, names: string[]): UdmScalar | UdmUnknown {
  if (v instanceof UdmUnknown) return v;
  switch (typ) {
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'number' ? jsonNumber(v) : String(v);
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
      return new UdmUnknown(`${JSON.stringify(v)} in the integer UDM field ${names.join('.')}`);
    case 'float':
      if (typeof v === 'number') return v;
      return new UdmUnknown(`${JSON.stringify(v)} in the numeric UDM field ${names.join('.')}`);
    case 'bool':
      if (typeof v === 'boolean') return v;
      return new UdmUnknown(`${JSON.stringify(v)} in the boolean UDM field ${names.join('.')}`);
    case 'timestamp':
      return new UdmUnknown(`the timestamp field ${names.join('.')} (${JSON.stringify(v)})`, typeof v === 'string' ? v !== '' : true);
  }
}

function jsonNumber(n: number): string {
  return JSON.stringify(n);
}

function merge(old: UdmNode | undefined, v: UdmScalar | UdmUnknown, where: string, indexed: boolean, source?: string): UdmScalar | UdmUnknown {
  if (old === undefined) return v;
  if (!indexed && old instanceof UdmUnknown) return old;
  if (old instanceof Map || Array.isArray(old)) return new UdmUnknown(`${where} receives both a value and sub-fields`);
  if (old instanceof UdmUnknown || v instanceof UdmUnknown) return old instanceof UdmUnknown ? old : v;
  if (old === v) return v;
  if (indexed) return v;
  return new UdmUnknown(`two log fields land in ${where} with different values (${JSON.stringify(old)} and ${JSON.stringify(v)}${source ? `, the second from ${source}` : ''})`);
}

/** Does the log's own path spell every key as the vendor does (per the mapping's known casing)? */
function sameCasing(mapper: FieldMapper, logType: string, path: PathSeg[]): boolean {
  const canon = mapper.canonicalPath(logType, path);
  return canon.every((s, i) => s === path[i]);
}

/**
 * The test log as a UDM event for `logType`. Throws Refusal when the log type has no yaral source, or the
 * log is not a JSON object.
 */
export function projectUdm(log: Json, logType: string, mapper: FieldMapper): UdmEvent {
  const src = mapper.source(logType, 'yaral');
  if (!src) throw new Refusal(`YARA-L: log type ${logType} has no UDM mapping (no yaral source)`);
  if (log === null || typeof log !== 'object' || Array.isArray(log)) throw new Refusal('YARA-L: the test log is not a JSON object');
  const b = new Builder();
  for (const f of src.baseFilter ?? []) b.put(parseUdmPath(f.field), f.value, `base filter ${f.field}`);
  // every ingested event has an id and a log type (UDM Metadata.id, Metadata.log_type)
  const meta = b.root.get('metadata');
  const metaMap = meta instanceof Map ? meta : new Map<string, UdmNode>();
  if (!(meta instanceof Map)) b.root.set('metadata', metaMap);
  if (!metaMap.has('id')) metaMap.set('id', new UdmUnknown('metadata.id (set by ingestion)', true));
  if (!metaMap.has('log_type')) metaMap.set('log_type', new UdmUnknown(`metadata.log_type of ${logType} (set by ingestion; the mapping does not state it)`, true));

  const casingSkipped: string[] = [];
  const visit = (node: Json, path: PathSeg[], depth: number): void => {
    if (depth > MAX_DEPTH) throw new Refusal('YARA-L: the test log nests too deeply');
    if (path.length > 0) {
      if (!sameCasing(mapper, logType, path)) {
        // not the vendor's key: lands in no mapped field
        casingSkipped.push(`${pathText(path)} (vendor: ${pathText(mapper.canonicalPath(logType, path))})`);
        return;
      }
      if (place(node, path)) return;
    }
    if (Array.isArray(node)) node.forEach((x, i) => visit(x, [...path, i], depth + 1));
    else if (node !== null && typeof node === 'object') for (const [k, x] of Object.entries(node)) visit(x, [...path, k], depth + 1);
  };

  /** Write one log node where the mapping puts it; true when its children need no visit (a list of scalars written whole). */
  const place = (node: Json, path: PathSeg[]): boolean => {
    if (node === null) return false;
    let m = mapper.resolve(logType, 'yaral', path);
    if ('unmapped' in m && path.some((s) => typeof s === 'number')) {
      // a field under a list (`bindingDeltas[0].action`): the mapping names the path without indices
      const bare = path.filter((s) => typeof s === 'string');
      const mb = mapper.resolve(logType, 'yaral', bare);
      if (!('unmapped' in mb) && !mb.fallback) m = mb;
    }
    if ('unmapped' in m) return false;
    const segs = [...parseUdmPath(m.name), ...(m.sub ?? []).map((s): UdmSeg => (typeof s === 'number' ? { k: 'index', i: s } : { k: 'field', name: s }))];
    const source = pathText(path);
    if (Array.isArray(node)) {
      // a custom log type's parser keeps scalars only, each element by its index (`tags[0]`): the list
      // itself is not kept (reading it is refused), its elements are visited
      if (m.convention) {
        b.put(segs, new UdmUnknown(`a list (${source}), which the custom-parser convention does not keep in ${udmPathText(segs)}`, node.length > 0), source);
        return false;
      }
      if (node.every((x) => x !== null && typeof x !== 'object')) {
        b.put(segs, node as UdmScalar[], source);
        return true;
      }
      b.put(segs, new UdmUnknown(`a list of objects (${source}) lands in ${udmPathText(segs)}`), source);
      return false;
    }
    if (typeof node === 'object') {
      b.put(segs, new UdmUnknown(`a JSON object (${source}) lands in ${udmPathText(segs)}`, Object.keys(node).length > 0), source);
      return false;
    }
    b.put(segs, node, source);
    return false;
  };

  visit(log, [], 0);
  return { logType, root: b.root, casingSkipped };
}
