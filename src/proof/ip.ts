/**
 * IPv4 / IPv6 addresses and networks in text, shared by the reference evaluators (kql, sigma, yaral,
 * cwl). This module only reads text and reports facts; what a fact means (a value that is no address,
 * a spelling to refuse, ...) is each evaluator's documented rule, kept in its own module. It does not
 * trim white space and knows no other spellings than these:
 *
 * - IPv4: the dotted quad, four decimal parts of 1 to 3 digits, each at most 255. A part written with a
 *   leading zero (`010`) is read as decimal and reported (`leadingZeros`): some parsers read it as octal.
 * - IPv6: RFC 4291 section 2.2 text (https://www.rfc-editor.org/rfc/rfc4291#section-2.2): eight groups
 *   of 1 to 4 hex digits separated by `:`, at most one `::` standing for one or more zero groups, the
 *   last two groups optionally written as an IPv4 dotted quad (`embeddedV4`, same rules as above);
 *   optionally followed by a zone, `%` and a non-empty zone id (RFC 4007 section 11,
 *   https://www.rfc-editor.org/rfc/rfc4007#section-11; the characters accepted are RFC 6874's unreserved).
 * - Networks: an address, optionally `/` and a prefix length of 1 to 3 decimal digits, at most 32 for
 *   IPv4 and 128 for IPv6. Netmask forms (`10.0.0.0/255.0.0.0`) are not read. Host bits set below the
 *   prefix are allowed and reported (`hostBitsSet`).
 *
 * Not (here) this module's business, hence nowhere imported from: `src/ast/ip.ts` (the lifter's model of
 * Python's `ipaddress`) and `src/targets/**`.
 */

export type IpVersion = 4 | 6;

/** Something with an address value: an `Address`, or a value an evaluator derived from one. */
export interface IpValue {
  version: IpVersion;
  /** The address as an unsigned integer of 32 (IPv4) or 128 (IPv6) bits. */
  value: bigint;
}

export interface Address extends IpValue {
  /** An IPv4 part (the address, or the dotted quad embedded in an IPv6 address) has a leading zero. */
  leadingZeros: boolean;
  /** IPv6 only: the zone id after `%`. */
  zone?: string;
  /** IPv6 only: the last 32 bits are written as a dotted quad. */
  embeddedV4: boolean;
  /** IPv6 only: the address lies in ::ffff:0:0/96 (IPv4-mapped, RFC 4291 section 2.5.5.2). */
  v4Mapped: boolean;
}

/** A prefix of an address space: the addresses whose first `prefix` bits are those of `value`. */
export interface Prefixed extends IpValue {
  prefix: number;
}

/** A network read from text; `value` is the network address (the host bits below the prefix cleared). */
export interface Network extends Prefixed {
  /** Whether the text has a `/prefix` (without one the prefix is the whole address: 32 or 128). */
  prefixGiven: boolean;
  /** The address text had bits set below the prefix (`10.0.0.1/8`). */
  hostBitsSet: boolean;
  /** The address as written, with its facts. */
  address: Address;
}

/** ::ffff:0:0/96, the IPv4-mapped IPv6 addresses (RFC 4291 section 2.5.5.2). */
export const V4_MAPPED: Prefixed = { version: 6, value: 0xffff00000000n, prefix: 96 };
/** ::/96, the (deprecated) IPv4-compatible IPv6 addresses (RFC 4291 section 2.5.5.1), `::` and `::1` included. */
export const V4_COMPATIBLE: Prefixed = { version: 6, value: 0n, prefix: 96 };

export const addressBits = (v: IpVersion): number => (v === 4 ? 32 : 128);

const DEC_PART = /^[0-9]{1,3}$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const ZONE_ID = /^[0-9A-Za-z._~-]+$/;

function dottedQuad(text: string): { value: bigint; leadingZeros: boolean } | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  let leadingZeros = false;
  for (const p of parts) {
    if (!DEC_PART.test(p) || Number(p) > 255) return null;
    if (p.length > 1 && p.startsWith('0')) leadingZeros = true;
    value = (value << 8n) | BigInt(Number(p));
  }
  return { value, leadingZeros };
}

function ipv6Text(text: string): { value: bigint; leadingZeros: boolean; embeddedV4: boolean } | null {
  const lastColon = text.lastIndexOf(':');
  let groupsText = text;
  let quad: { value: bigint; leadingZeros: boolean } | null = null;
  if (text.slice(lastColon + 1).includes('.')) {
    quad = dottedQuad(text.slice(lastColon + 1));
    if (!quad) return null;
    groupsText = `${text.slice(0, lastColon + 1)}0:0`; // the two groups the quad stands for
  }
  const halves = groupsText.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  // `::` stands for at least one group; without it there are exactly eight
  if (halves.length === 2 ? left.length + right.length > 7 : left.length !== 8) return null;
  let value = 0n;
  for (const g of [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right]) {
    if (!HEX_GROUP.test(g)) return null;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (quad) value = (value & ~0xffffffffn) | quad.value;
  return { value, leadingZeros: quad?.leadingZeros ?? false, embeddedV4: quad !== null };
}

/** An IPv4 or IPv6 address in the forms above, with its facts; null when the text is none of them. */
export function parseAddress(text: string): Address | null {
  if (!text.includes(':')) {
    const q = dottedQuad(text);
    return q && { version: 4, value: q.value, leadingZeros: q.leadingZeros, embeddedV4: false, v4Mapped: false };
  }
  const pct = text.indexOf('%');
  const zone = pct < 0 ? undefined : text.slice(pct + 1);
  if (zone !== undefined && !ZONE_ID.test(zone)) return null;
  const a = ipv6Text(pct < 0 ? text : text.slice(0, pct));
  if (!a) return null;
  const out: Address = { version: 6, ...a, v4Mapped: inNetwork({ version: 6, value: a.value }, V4_MAPPED) };
  if (zone !== undefined) out.zone = zone;
  return out;
}

/** An address without the spellings some engines read differently: no leading zeros, no zone. */
export function parsePlainAddress(text: string): Address | null {
  const a = parseAddress(text);
  return a && !a.leadingZeros && a.zone === undefined ? a : null;
}

/**
 * `address/prefix` split at the first `/` (the prefix: 1 to 3 decimal digits, not yet checked against
 * the address's size); `prefix` undefined without a `/`; null when the part after `/` is no number.
 */
export function splitPrefix(text: string): { address: string; prefix?: number } | null {
  const slash = text.indexOf('/');
  if (slash < 0) return { address: text };
  const p = text.slice(slash + 1);
  if (!DEC_PART.test(p)) return null;
  return { address: text.slice(0, slash), prefix: Number(p) };
}

/** A network `address[/prefix]`; null when the address does not parse or the prefix is too long. */
export function parseNetwork(text: string): Network | null {
  const parts = splitPrefix(text);
  const address = parts && parseAddress(parts.address);
  if (!parts || !address) return null;
  const bits = addressBits(address.version);
  const prefix = parts.prefix ?? bits;
  if (prefix > bits) return null;
  const host = (1n << BigInt(bits - prefix)) - 1n;
  return {
    version: address.version,
    value: address.value & ~host,
    prefix,
    prefixGiven: parts.prefix !== undefined,
    hostBitsSet: (address.value & host) !== 0n,
    address,
  };
}

/** Whether the address lies in the network: same version, and the first `prefix` bits agree. */
export function inNetwork(addr: IpValue, net: Prefixed): boolean {
  if (addr.version !== net.version) return false;
  const shift = BigInt(addressBits(net.version) - net.prefix);
  return addr.value >> shift === net.value >> shift;
}
