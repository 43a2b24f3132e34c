/**
 * Sigma values: strings with wildcards and escapes, case-insensitive comparison, CIDR networks.
 *
 * Specification: SigmaHQ/sigma-specification, specification/sigma-rules-specification.md
 * (https://github.com/SigmaHQ/sigma-specification/blob/main/specification/sigma-rules-specification.md),
 * sections "General", "String Wildcard", "Escaping"; modifiers in specification/sigma-appendix-modifiers.md.
 */
import { Refusal } from '../types.js';

/** Three-valued result: true, false, or undecidable (with the reason). */
export type Tri = boolean | { unknown: string };

export const isUnknown = (t: Tri): t is { unknown: string } => typeof t === 'object';

/** Kleene OR (`unknown` unless a true decides). */
export function triOr(xs: Iterable<Tri>): Tri {
  let u: { unknown: string } | undefined;
  for (const x of xs) {
    if (x === true) return true;
    if (isUnknown(x)) u ??= x;
  }
  return u ?? false;
}

/** Kleene AND. */
export function triAnd(xs: Iterable<Tri>): Tri {
  let u: { unknown: string } | undefined;
  for (const x of xs) {
    if (x === false) return false;
    if (isUnknown(x)) u ??= x;
  }
  return u ?? true;
}

export function triNot(x: Tri): Tri {
  return isUnknown(x) ? x : !x;
}

export const WILD_MULTI = { wild: '*' } as const;
export const WILD_SINGLE = { wild: '?' } as const;
export type StrPart = string | typeof WILD_MULTI | typeof WILD_SINGLE;

/**
 * Parse a plain Sigma string value into literal text and wildcards ("Escaping"):
 * `*` and `?` are wildcards; `\` escapes `*`, `?` and `\`; a `\` before any other character (or at the
 * end) is a literal backslash. So `\\*` is a backslash then a wildcard, `\\\*` a backslash then a
 * literal `*`, and three or four backslashes are two literal ones.
 */
export function parseSigmaString(s: string): StrPart[] {
  const out: StrPart[] = [];
  let acc = '';
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\') {
      const n = chars[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        acc += n;
        i++;
      } else acc += '\\';
    } else if (c === '*' || c === '?') {
      if (acc) out.push(acc);
      acc = '';
      out.push(c === '*' ? WILD_MULTI : WILD_SINGLE);
    } else acc += c;
  }
  if (acc) out.push(acc);
  return out;
}

export const hasWildcards = (parts: StrPart[]) => parts.some((p) => typeof p !== 'string');

/** `contains`/`startswith`/`endswith`: wildcards around the value (the appendix: "Puts `*` wildcards around"). */
export function wrap(parts: StrPart[], how: 'contains' | 'startswith' | 'endswith'): StrPart[] {
  const out = [...parts];
  const first = out[0];
  const last = out[out.length - 1];
  if ((how === 'contains' || how === 'endswith') && first !== WILD_MULTI) out.unshift(WILD_MULTI);
  if ((how === 'contains' || how === 'startswith') && last !== WILD_MULTI) out.push(WILD_MULTI);
  return out;
}

const reEscape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => `\\${c}`);

function toRegExp(parts: StrPart[], fold: (s: string) => string): RegExp {
  const body = parts
    .map((p) => (typeof p === 'string' ? reEscape(fold(p)) : p === WILD_MULTI ? '[\\s\\S]*' : '[\\s\\S]'))
    .join('');
  return new RegExp(`^${body}$`, 'u');
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const unicodeLower = (s: string) => s.toLowerCase();
const identity = (s: string) => s;

/** A compiled plain (wildcard) string value. */
export class WildcardString {
  private readonly cased?: RegExp;
  private readonly ascii?: RegExp;
  private readonly unicode?: RegExp;

  constructor(
    readonly parts: StrPart[],
    readonly caseSensitive: boolean,
    readonly text: string,
  ) {
    if (caseSensitive) this.cased = toRegExp(parts, identity);
    else {
      this.ascii = toRegExp(parts, asciiLower);
      this.unicode = toRegExp(parts, unicodeLower);
    }
  }

  /**
   * Whether the whole value matches. Case-insensitive matching is the default ("All values are treated
   * as case-insensitive strings"); which case folding applies beyond ASCII is not specified: when
   * ASCII-only and full Unicode lower-casing disagree, the result is unknown.
   */
  test(v: string): Tri {
    if (this.cased) return this.cased.test(v);
    const a = this.ascii!.test(asciiLower(v));
    const u = this.unicode!.test(unicodeLower(v));
    if (a === u) return a;
    return { unknown: `Sigma case-insensitive matching of non-ASCII text ('${this.text}' against '${v}') is not specified` };
  }
}

// ---- IP networks (`cidr`, appendix "IP (Internet Protocol) Modifiers": IPv4 and IPv6 notations) ----

export interface IpAddr {
  v6: boolean;
  n: bigint;
}

function parseV4(s: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let n = 0n;
  for (const g of m.slice(1)) {
    if (g.length > 1 && g.startsWith('0')) return undefined; // leading zeros: ambiguous (octal in some parsers)
    const x = Number(g);
    if (x > 255) return undefined;
    n = (n << 8n) | BigInt(x);
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let tail4: bigint | undefined;
  let str = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail4 = parseV4(s.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    str = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = str.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail4 !== undefined) n = (n & ~0xffffffffn) | tail4;
  return n;
}

/** An IPv4 or IPv6 address in its plain textual form, or undefined. */
export function parseIp(s: string): IpAddr | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { v6: false, n: v4 };
  if (s.includes(':')) {
    const v6 = parseV6(s);
    if (v6 !== undefined) return { v6: true, n: v6 };
  }
  return undefined;
}

export class CidrNet {
  readonly net: IpAddr;
  readonly bits: number;
  constructor(readonly text: string) {
    const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text.trim());
    const addr = m ? parseIp(m[1]!) : undefined;
    if (!m || !addr) throw new Refusal(`Sigma cidr value '${text}' is not an IPv4/IPv6 network`);
    const max = addr.v6 ? 128 : 32;
    const bits = m[2] === undefined ? max : Number(m[2]);
    if (bits > max) throw new Refusal(`Sigma cidr value '${text}': prefix length ${bits} exceeds ${max}`);
    this.bits = bits;
    const mask = this.mask(max);
    this.net = { v6: addr.v6, n: addr.n & mask };
  }

  private mask(max: number): bigint {
    const all = (1n << BigInt(max)) - 1n;
    return all ^ ((1n << BigInt(max - this.bits)) - 1n);
  }

  /** Whether a textual address lies in the network (a value that is not an address does not). */
  test(v: string): Tri {
    if (v.includes('%')) return { unknown: `Sigma cidr on a scoped IPv6 address '${v}' is not specified` };
    const a = parseIp(v);
    if (!a) return false;
    if (a.v6 !== this.net.v6) {
      // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) against an IPv4 network, or the reverse: backend-defined
      if (a.v6 && a.n >> 32n === 0xffffn) return { unknown: `Sigma cidr of the IPv4-mapped address '${v}' against ${this.text} is backend-defined` };
      return false;
    }
    const max = a.v6 ? 128 : 32;
    return (a.n & this.mask(max)) === this.net.n;
  }
}
